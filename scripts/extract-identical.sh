#!/usr/bin/env bash
# Proves that a change leaves extraction alone: runs `threatdex extract --json`
# with two binaries on every report file (.html/.htm/.txt/.md …) under
# DATA_DIR and compares the outputs byte for byte (stdout: one JSON line per
# file; stderr: the warnings).
#
#   scripts/extract-identical.sh BASE_BIN NEW_BIN [DATA_DIR]
#
# DATA_DIR defaults to ../shared/data beside the repository. Prints the number
# of files compared and the bytes of output; exits 0 when identical, 1 on any
# difference (listing the first differing files), 2 on bad usage.
set -euo pipefail

if [[ $# -lt 2 || $# -gt 3 ]]; then
    echo "usage: $0 BASE_BIN NEW_BIN [DATA_DIR]" >&2
    exit 2
fi
base=$1
new=$2
data=${3:-"$(cd "$(dirname "$0")/.." && pwd)/../shared/data"}
for bin in "$base" "$new"; do
    if [[ ! -x $bin ]]; then
        echo "$0: $bin is not an executable" >&2
        exit 2
    fi
done
if [[ ! -d $data ]]; then
    echo "$0: $data is not a directory" >&2
    exit 2
fi

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# The same argument and working directory for both, so the paths printed in
# the output are the same.
(cd "$data" && "$base" extract --json . >"$work/base.jsonl" 2>"$work/base.err")
(cd "$data" && "$new" extract --json . >"$work/new.jsonl" 2>"$work/new.err")

files=$(wc -l <"$work/base.jsonl")
bytes=$(wc -c <"$work/base.jsonl")
status=0
if ! cmp -s "$work/base.jsonl" "$work/new.jsonl"; then
    status=1
    echo "DIFFERENT: extract --json output differs ($files vs $(wc -l <"$work/new.jsonl") lines)" >&2
    # The files whose lines differ (lines are in the same order: one per file).
    paste -d '\n' "$work/base.jsonl" "$work/new.jsonl" |
        awk 'NR % 2 == 1 { b = $0; next } b != $0 { print "  " substr(b, 1, 160) }' |
        head -n 10 >&2
fi
if ! cmp -s "$work/base.err" "$work/new.err"; then
    status=1
    echo "DIFFERENT: stderr differs" >&2
    diff "$work/base.err" "$work/new.err" | head -n 10 >&2 || true
fi
if [[ $status -eq 0 ]]; then
    echo "identical: $files files, $bytes bytes of extract --json output (stderr $(wc -c <"$work/base.err") bytes, identical) under $data"
else
    echo "compared $files files under $data: NOT identical" >&2
fi
exit $status
