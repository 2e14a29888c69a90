#!/bin/sh
# Regenerates src/ioc/popular-domains.txt from the npm package `top-sites`
# (Kiko Beats, MIT licence; a snapshot of Moz's "Top 500" most linked-to
# domains). Needs npm and python3; run from the crate root.
set -eu
version="${1:-1.1.222}"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
(cd "$work" && npm pack --silent "top-sites@$version" >/dev/null && tar xzf top-sites-*.tgz)
python3 - "$work/package/top-sites.json" "$version" > src/ioc/popular-domains.txt <<'PY'
import json, sys
sites = json.load(open(sys.argv[1]))
print("# The most linked-to domains on the web: a plain link to one is a reference,")
print("# and the domain itself is never an indicator. One host per line, by rank.")
print("# Source: npm package top-sites %s (https://github.com/Kikobeats/top-sites)," % sys.argv[2])
print("# a snapshot of Moz's Top 500. Licence: MIT, Copyright (c) 2018 Kiko Beats.")
print("# Regenerate with scripts/popular-domains.sh.")
for s in sorted(sites, key=lambda s: s["rank"]):
    print(s["rootDomain"].strip().lower())
PY
