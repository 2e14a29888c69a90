#!/bin/sh
# Rebuilds the corpus PDFs from their groff sources in src/ (needs groff with
# its PDF output, Debian package "groff"). The PDFs are committed: indexing
# and the tests need only cargo.
set -eu
cd "$(dirname "$0")"
for src in src/*.ms; do
    out="$(basename "$src" .ms).pdf"
    # The PDF's CreationDate: the date on the source's "creation-date" line
    # (reproducible output, and the date a publisher's tool would record).
    day="$(sed -n 's/^\.\\" creation-date: //p' "$src")"
    SOURCE_DATE_EPOCH="$(date -u -d "$day" +%s)"
    export SOURCE_DATE_EPOCH
    # -t: tables (tbl); -ms: the ms macros; -k: UTF-8 input.
    groff -t -k -ms -mpdfmark -Tpdf "$src" > "$out"
    echo "wrote $out"
done
