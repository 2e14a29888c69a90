#!/bin/sh
# Regenerates src/kb/actors-imported.tsv from the public actor catalogues:
# MITRE ATT&CK enterprise intrusion sets and MISP galaxy threat-actor.json.
#
#   scripts/gen-actor-catalogue.sh [DATA]
#
# DATA (default ../shared/data) holds attack/enterprise-intrusion-set/*.json,
# attack/SOURCE.md, misp-galaxy/threat-actor.json and misp-galaxy/SOURCE.md
# (a checkout of mitre/cti's enterprise-attack/intrusion-set and of
# MISP/misp-galaxy's clusters/threat-actor.json will do; the versions printed
# in the header are then "unknown" unless ATTACK_VERSION / MISP_VERSION are
# set). Review the diff, run `cargo test`, and commit the file.
set -eu
cd "$(dirname "$0")/.."
DATA=${1:-../shared/data}
attack_version=${ATTACK_VERSION:-$(grep -m1 -o 'Commit: .*' "$DATA/attack/SOURCE.md" 2>/dev/null | sed 's/^Commit: /mitre\/cti commit /' || true)}
misp_version=${MISP_VERSION:-$(grep -m1 -o 'Commit: [0-9a-f]*' "$DATA/misp-galaxy/SOURCE.md" 2>/dev/null | sed 's/^Commit: /MISP\/misp-galaxy commit /' || true)}
misp_count=$(grep -m1 -o 'version [0-9]*, [0-9]* actors' "$DATA/misp-galaxy/SOURCE.md" 2>/dev/null || true)
out=src/kb/actors-imported.tsv
tmp=$(mktemp)
cargo run --quiet --example gen_catalogue -- \
    --attack "$DATA/attack/enterprise-intrusion-set" \
    --misp "$DATA/misp-galaxy/threat-actor.json" \
    --attack-version "${attack_version:-unknown}" \
    --misp-version "${misp_version:-unknown}${misp_count:+ ($misp_count)}" > "$tmp"
mv "$tmp" "$out"
echo "wrote $out" >&2
