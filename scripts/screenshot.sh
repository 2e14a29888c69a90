#!/usr/bin/env bash
# Takes a PNG screenshot of a report page with headless Chromium.
#
#   scripts/screenshot.sh REPORT.html OUT.png [WIDTH] [HEIGHT]
#
# Needs Debian's `chromium` (apt-get install chromium) or $CHROMIUM. The page
# is self-contained, so nothing is fetched; networking features are switched
# off anyway. Runs as root in containers, hence --no-sandbox.
set -euo pipefail

if [[ $# -lt 2 ]]; then
    echo "usage: $0 REPORT.html OUT.png [WIDTH] [HEIGHT]" >&2
    exit 2
fi
report=$1
out=$2
width=${3:-1280}
height=${4:-2400}

browser=${CHROMIUM:-}
if [[ -z $browser ]]; then
    for b in chromium chromium-browser google-chrome; do
        if command -v "$b" >/dev/null 2>&1; then
            browser=$b
            break
        fi
    done
fi
if [[ -z $browser ]]; then
    echo "$0: no chromium found (apt-get install chromium, or set CHROMIUM)" >&2
    exit 1
fi

abs() { (cd "$(dirname "$1")" && printf '%s/%s\n' "$(pwd -P)" "$(basename "$1")"); }
page=$(abs "$report")
target=$(abs "$out")
profile=$(mktemp -d)
trap 'rm -rf "$profile"' EXIT

"$browser" --headless --no-sandbox --disable-gpu --disable-quic --no-first-run \
    --disable-background-networking --disable-component-update --disable-sync \
    --hide-scrollbars --user-data-dir="$profile" \
    --screenshot="$target" --window-size="$width,$height" \
    "file://$page" >/dev/null 2>&1

if [[ ! -s $target ]]; then
    echo "$0: chromium wrote no screenshot" >&2
    exit 1
fi
echo "$target"
