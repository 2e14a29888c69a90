#!/bin/sh
# Makes a development set of PDFs for measuring PDF extraction (EVAL.md,
# "PDF extraction"): the texts of real reports typeset by groff in one and
# two columns, with running headers, footers and page numbers, plus any
# PDFs found on the machine. Nothing here goes into the repository.
#
#   scripts/pdf-devset.sh DATA_DIR OUT_DIR
#
# DATA_DIR is /work/shared/data (unit42 notes and AnnoCTR train texts).
set -eu
data="$1"
out="$2"
mkdir -p "$out"
n=0
# groff input from a text file: escape what groff would read as requests.
ms_of() { # $1 text file, $2 columns (1 or 2), $3 title
    printf '.ds LH %s\n.ds RH Development set\n.ds CF Page %%\n.TL\n%s\n' "Threat notes" "$3"
    [ "$2" = 2 ] && printf '.2C\n'
    printf '.PP\n'
    sed -e 's/\\/\\e/g' -e 's/^\([.'"'"']\)/\\\&\1/' -e 's/^[[:space:]]*$/.PP/' "$1"
}
for f in $(ls "$data"/corpus-real/unit42-timely-threat-intel/notes/*.txt | head -24); do
    n=$((n + 1))
    cols=$((n % 2 + 1))
    ms_of "$f" "$cols" "$(basename "$f" .txt)" | groff -k -ms -Tpdf > "$out/unit42-$n-col$cols.pdf" 2>/dev/null
done
# AnnoCTR's train split only (its test split is kept for evaluation).
train=$(grep '"split": "train"' "$data"/corpus-real/annoctr/annotations-compact.jsonl |
    sed 's/.*"file": "\([^"]*\)".*/\1/' | head -16)
for rel in $train; do
    f="$data/corpus-real/annoctr/$rel"
    n=$((n + 1))
    cols=$((n % 2 + 1))
    ms_of "$f" "$cols" "$(basename "$f" .txt)" | groff -k -ms -Tpdf > "$out/annoctr-$n-col$cols.pdf" 2>/dev/null
done
for f in /usr/share/doc/libtasn1-doc/libtasn1.pdf /usr/share/doc/shared-mime-info/shared-mime-info-spec.pdf; do
    [ -f "$f" ] && cp "$f" "$out/"
done
ls "$out" | wc -l
