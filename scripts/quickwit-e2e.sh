#!/usr/bin/env bash
# Real-cluster check of the Quickwit backend (issue #20), run by hand:
#
#   QUICKWIT_BIN=/path/to/quickwit scripts/quickwit-e2e.sh
#
# Starts a two-node Quickwit cluster on loopback ports (file metastore under
# a scratch folder), creates two indexes with `threatdex quickwit init`,
# feeds them with `threatdex index --to` (the bundled corpus/, and PAGES
# generated pages), builds the same two local indexes, and compares local
# and remote answers for a fixed list of queries and filters: totals, hit
# sets (-l, compared as sets: BM25 statistics are per split, so the order
# of equal-ish scores may differ) and facet counts (--json, byte for byte).
# Then measures ingest docs/s and the median whole-process latency of a
# search and a facets run, local and remote. Stops the nodes by their
# process ids at the end (or on error).
#
# Environment:
#   QUICKWIT_BIN   the quickwit binary (required)
#   PAGES=20000    generated pages
#   RUNS=20        runs per latency measurement
#   PORT=7280      node1's REST port (node2 uses PORT+10); gossip/gRPC +1
#   KEEP=1         keep the work folder (indexes, node logs, outputs)
#   RESULTS=FILE   also write the summary to FILE
set -euo pipefail

: "${QUICKWIT_BIN:?set QUICKWIT_BIN to the quickwit binary}"
PAGES=${PAGES:-20000}
RUNS=${RUNS:-20}
PORT=${PORT:-7280}
PORT2=$((PORT + 10))
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$ROOT"

log() { printf '==> %s\n' "$*" >&2; }

WORK=$(mktemp -d "${TMPDIR:-/tmp}/threatdex-qw-e2e.XXXXXX")
PIDS=()
stop_nodes() {
    # A graceful stop takes about 20 s; after 90 s the node is killed.
    for pid in "${PIDS[@]}"; do
        kill -TERM "$pid" 2>/dev/null || true
    done
    for pid in "${PIDS[@]}"; do
        for _ in $(seq 1 90); do
            kill -0 "$pid" 2>/dev/null || break
            sleep 1
        done
        kill -KILL "$pid" 2>/dev/null || true
        wait "$pid" 2>/dev/null || true
    done
    PIDS=()
}
cleanup() {
    stop_nodes
    if [[ -n "${KEEP:-}" ]]; then echo "work folder kept: $WORK" >&2; else rm -rf "$WORK"; fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

log "building threatdex and gen_corpus (release)"
cargo build --release --quiet --bin threatdex --example gen_corpus
TD="$WORK/threatdex"
cp target/release/threatdex "$TD"
cp target/release/examples/gen_corpus "$WORK/gen_corpus"

# ------------------------------------------------------------- cluster ----
node_config() { # name rest_port services
    cat <<YAML
version: 0.8
cluster_id: threatdex-e2e
node_id: $1
listen_address: 127.0.0.1
advertise_address: 127.0.0.1
rest:
  listen_port: $2
grpc_listen_port: $(($2 + 1))
gossip_listen_port: $2
peer_seeds:
  - 127.0.0.1:$PORT
data_dir: $WORK/qw/$1-data
metastore_uri: file://$WORK/qw/shared/indexes
default_index_root_uri: file://$WORK/qw/shared/indexes
indexer:
  enable_otlp_endpoint: false
jaeger:
  enable_endpoint: false
$3
YAML
}
mkdir -p "$WORK/qw/node1-data" "$WORK/qw/node2-data" "$WORK/qw/shared/indexes"
node_config node1 "$PORT" "" >"$WORK/qw/node1.yaml"
node_config node2 "$PORT2" $'enabled_services:\n  - searcher\n  - indexer' >"$WORK/qw/node2.yaml"
wait_ready() {
    for _ in $(seq 1 200); do
        if curl -sf "http://127.0.0.1:$1/health/readyz" >/dev/null; then return 0; fi
        sleep 0.2
    done
    echo "node on port $1 not ready; see $WORK/qw/*.log" >&2
    return 1
}
for p in "$PORT" "$PORT2"; do
    if curl -s -o /dev/null "http://127.0.0.1:$p/"; then
        echo "something already listens on 127.0.0.1:$p: choose another PORT" >&2
        exit 1
    fi
done
log "starting node1 (:$PORT) and node2 (:$PORT2)"
"$QUICKWIT_BIN" run --config "$WORK/qw/node1.yaml" >"$WORK/qw/node1.log" 2>&1 &
PIDS+=($!)
wait_ready "$PORT"
"$QUICKWIT_BIN" run --config "$WORK/qw/node2.yaml" >"$WORK/qw/node2.log" 2>&1 &
PIDS+=($!)
wait_ready "$PORT2"
QW_VERSION=$("$QUICKWIT_BIN" --version 2>/dev/null | head -1 || true)

# ------------------------------------------------------------- corpora ----
GEN="$WORK/gen$PAGES"
log "generating $PAGES pages"
"$WORK/gen_corpus" --out "$GEN" --pages "$PAGES" >/dev/null

SUMMARY="$WORK/summary.md"
: >"$SUMMARY"
say() { echo "$*" | tee -a "$SUMMARY"; }
say "Quickwit: ${QW_VERSION:-unknown}; two nodes on 127.0.0.1:$PORT and :$PORT2"

FAILS=0
CHECKS=0
feed() { # name path
    local id=$1 src=$2
    "$TD" quickwit init "http://127.0.0.1:$PORT" --index "$id" >/dev/null
    local t0 t1
    t0=$(date +%s.%N)
    "$TD" --index "$WORK/$id-local" index --to "quickwit://127.0.0.1:$PORT2/$id" \
        --state "$WORK/$id-state" --json -q "$src" >"$WORK/$id-feed.json"
    t1=$(date +%s.%N)
    "$TD" --index "$WORK/$id-local" index --json -q "$src" >"$WORK/$id-local.json"
    local sent secs
    sent=$(sed -n 's/.*"indexed":\([0-9]*\).*/\1/p' "$WORK/$id-feed.json")
    secs=$(echo "$t1 - $t0" | bc)
    say "$id: fed $sent documents in ${secs}s ($(echo "$sent / $secs" | bc) docs/s, whole process incl. extraction and the final commit); local index: $(sed -n 's/.*"total":\([0-9]*\).*/\1/p' "$WORK/$id-local.json") documents, remote: $(sed -n 's/.*"total":\([0-9]*\).*/\1/p' "$WORK/$id-feed.json")"
    # A rerun sends nothing.
    "$TD" --index "$WORK/$id-local" index --to "quickwit://127.0.0.1:$PORT2/$id" \
        --state "$WORK/$id-state" --json -q "$src" >"$WORK/$id-refeed.json"
    say "$id: rerun sent $(sed -n 's/.*"indexed":\([0-9]*\).*/\1/p' "$WORK/$id-refeed.json") documents"
}

# The fixed list: each entry is QUERY|FILTERS, the query passed as one
# argument (after --, so "-word" stays a word) and the filters as shell
# words. Every search entry is checked for its total (--count) and its hit
# set (-l, sorted); every facets entry for its --json output, byte for byte.
SEARCHES=(
    'ransomware|'
    '"volt typhoon"|'
    'vanguard panda|'
    'apt28|'
    'fancy bear|'
    'lazarus -crypto|'
    'ransomware OR wiper|'
    '(ransomware OR extortion) AND hospital|'
    'CVE-2024-3400|'
    'T1059|'
    'exploit*|'
    'title:ransomware|'
    '"citrix bleed"|'
    'log4j2|'
    'phishing -ransomware|'
    '"supply chain"|'
    '|--actor "Volt Typhoon"'
    '|--actor APT28 --actor Lazarus'
    '|--country CN'
    '|--target US'
    '|--sector energy'
    '|--origin RU'
    '|--since 2023-01-01 --until 2023-12-31'
    '|--cve CVE-2023-4966'
    '|--technique T1566'
    'phishing|--country US --since 2022-01-01'
    'ransomware|--sector healthcare'
    'espionage|--origin CN --target TW'
    '|--since 2024-01-01'
)
FACETS=(
    '|'
    '|--by month'
    '|--by quarter --by year'
    '|--by cve --by technique'
    'ransomware|--by country --by target'
    '|--cross actor,sector'
    '|--cross country,year --top 5'
    '|--actor APT28 --by month --top 12'
    '|--by origin --by sector --since 2022-01-01'
)

# The arguments of an entry: filters, then -- and the query if any.
entry_args() {
    local query=${1%%|*} filters=${1#*|}
    eval "args=($filters)"
    if [[ -n "$query" ]]; then args+=(-- "$query"); fi
}

check() { # what local-file remote-file
    CHECKS=$((CHECKS + 1))
    if cmp -s "$2" "$3"; then
        return 0
    fi
    FAILS=$((FAILS + 1))
    say "  DIFF $1"
    diff "$2" "$3" | head -5 | sed 's/^/    /' | tee -a "$SUMMARY" >/dev/null || true
}

compare() { # id corpus-root
    local id=$1 n=0
    local L=(--index "$WORK/$id-local") R=(--remote "quickwit://127.0.0.1:$PORT/$id")
    for line in "${SEARCHES[@]}"; do
        entry_args "$line"
        "$TD" "${L[@]}" search --count "${args[@]}" >"$WORK/l.count" 2>>"$WORK/errors.log" || echo error >"$WORK/l.count"
        "$TD" search "${R[@]}" --count "${args[@]}" >"$WORK/r.count" 2>>"$WORK/errors.log" || echo error >"$WORK/r.count"
        check "$id search --count $line" "$WORK/l.count" "$WORK/r.count"
        { "$TD" "${L[@]}" search -l "${args[@]}" 2>>"$WORK/errors.log" || echo error; } | sort >"$WORK/l.set"
        { "$TD" search "${R[@]}" -l "${args[@]}" 2>>"$WORK/errors.log" || echo error; } | sort >"$WORK/r.set"
        check "$id search -l $line" "$WORK/l.set" "$WORK/r.set"
        say "  search $line: $(cat "$WORK/l.count") local, $(cat "$WORK/r.count") remote"
    done
    for line in "${FACETS[@]}"; do
        entry_args "$line"
        "$TD" "${L[@]}" facets --json "${args[@]}" >"$WORK/l.facets" 2>>"$WORK/errors.log" || echo error >"$WORK/l.facets"
        "$TD" facets "${R[@]}" --json "${args[@]}" >"$WORK/r.facets" 2>>"$WORK/errors.log" || echo error >"$WORK/r.facets"
        check "$id facets $line" "$WORK/l.facets" "$WORK/r.facets"
    done
}

median_ms() { # command...
    local times=()
    for _ in $(seq 1 "$RUNS"); do
        local t0 t1
        t0=$(date +%s%N)
        "$@" >/dev/null
        t1=$(date +%s%N)
        times+=($(((t1 - t0) / 1000)))
    done
    printf '%s\n' "${times[@]}" | sort -n | awk '{a[NR]=$1} END {m=(NR%2)?a[(NR+1)/2]:(a[NR/2]+a[NR/2+1])/2; printf "%.1f", m/1000}'
}

for pair in "corpus:$ROOT/corpus" "gen:$GEN"; do
    id="td-${pair%%:*}"
    src="${pair#*:}"
    log "feeding $id from $src"
    feed "$id" "$src"
    log "comparing $id"
    compare "$id" "$src"
done

log "latency (median of $RUNS whole-process runs)"
id=td-gen
L=(--index "$WORK/$id-local")
R=(--remote "quickwit://127.0.0.1:$PORT/$id")
say "latency on $id (ms, median of $RUNS): search \"volt typhoon\" local $(median_ms "$TD" "${L[@]}" search '"volt typhoon"') remote $(median_ms "$TD" search "${R[@]}" '"volt typhoon"')"
say "latency on $id (ms, median of $RUNS): facets local $(median_ms "$TD" "${L[@]}" facets) remote $(median_ms "$TD" facets "${R[@]}")"
say "latency on $id (ms, median of $RUNS): facets --cross actor,sector local $(median_ms "$TD" "${L[@]}" facets --cross actor,sector) remote $(median_ms "$TD" facets "${R[@]}" --cross actor,sector)"
say "equality: $((CHECKS - FAILS)) of $CHECKS checks identical"

log "stopping the nodes (pids ${PIDS[*]})"
stop_nodes
if [[ -n "${RESULTS:-}" ]]; then cp "$SUMMARY" "$RESULTS"; fi
[[ $FAILS -eq 0 ]]
