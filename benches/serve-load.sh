#!/usr/bin/env bash
# Load figures of `threatdex serve`: requests/s and latency (p50, p99) at 1,
# 8 and 64 concurrent clients for a search, the facet counts and the search
# page itself, over an index of generated pages, on loopback. A benchmark,
# not a test: the figures go to BENCH.md and README by hand.
#
#   benches/serve-load.sh [PAGES] [SECONDS]
#
# Needs `wrk` (apt-get install wrk). Builds the release binary, generates
# PAGES pages (default 20,000) into /tmp/gen$PAGES and indexes them into
# /tmp/ix$PAGES unless those exist.
set -euo pipefail
cd "$(dirname "$0")/.."

pages=${1:-20000}
seconds=${2:-10}
corpus=/tmp/gen$pages
index=/tmp/ix$pages
command -v wrk >/dev/null || { echo "$0: needs wrk (apt-get install wrk)" >&2; exit 2; }

cargo build --release --quiet
bin=target/release/threatdex
if [[ ! -d $corpus ]]; then
    cargo run --release --quiet --example gen_corpus -- --out "$corpus" --pages "$pages"
fi
if [[ ! -f $index/meta.json ]]; then
    "$bin" --index "$index" index "$corpus" -q
fi

log=$(mktemp)
"$bin" --index "$index" serve --addr 127.0.0.1:0 2>"$log" &
server=$!
trap 'kill $server 2>/dev/null; rm -f "$log"' EXIT
for _ in $(seq 100); do
    grep -q 'http://' "$log" && break
    sleep 0.1
done
base=$(grep -o 'http://[0-9.:]*' "$log" | head -1)
[[ -n $base ]] || { echo "$0: the server did not start:" >&2; cat "$log" >&2; exit 1; }

docs=$(curl -s "$base/api/search?n=1" | grep -o '"total":[0-9]*' | cut -d: -f2)
echo "threatdex serve over $docs documents ($pages generated pages), $(nproc) cores, ${seconds}s per run"
echo
echo "| endpoint | clients | requests/s | p50 | p99 |"
echo "|---|---:|---:|---:|---:|"
for endpoint in \
    "/api/search?q=ransomware+loader&n=10" \
    "/api/facets?q=ransomware&by=actor&by=country&by=sector&by=year" \
    "/?q=ransomware+loader"; do
    # Warm the caches once.
    curl -s -o /dev/null "$base$endpoint"
    for clients in 1 8 64; do
        threads=$(( clients < 2 ? 1 : 2 ))
        out=$(wrk -t"$threads" -c"$clients" -d"${seconds}s" --latency "$base$endpoint")
        rps=$(awk '/Requests\/sec/ {print $2}' <<<"$out")
        p50=$(awk '$1 == "50%" {print $2}' <<<"$out")
        p99=$(awk '$1 == "99%" {print $2}' <<<"$out")
        errors=$(grep -E 'Non-2xx|Socket errors' <<<"$out" | tr -s ' ' || true)
        echo "| \`${endpoint}\` | $clients | ${rps%.*} | $p50 | $p99 |${errors:+ $errors}"
    done
done
