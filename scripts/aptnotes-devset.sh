#!/bin/sh
# Picks the 40 real PDF reports of EVAL.md's "PDF extraction on APTnotes"
# from a clone of kbandla/APTnotes (files stay out of the repository):
# the PDFs of the 2008-2015 folders present in the clone, ordered by blob
# hash, every sixth, the first 40. Names get '/' and ' ' replaced by '_'.
#
#   scripts/aptnotes-devset.sh APTNOTES_GIT_DIR OUT_DIR
#
# Measured at commit 586aaa5 ("Happy 2024!"). Then:
#   scripts/pdf-eval.py target/release/threatdex OUT_DIR
set -eu
repo=$1
out=$2
mkdir -p "$out"
git -C "$repo" ls-tree -r HEAD |
    grep -E "	20(1[0-5]|0[89])/.*\.pdf$" |
    while IFS="	" read -r meta path; do
        h=$(echo "$meta" | awk '{print $3}')
        git -C "$repo" cat-file -e "$h" 2>/dev/null && printf '%s\t%s\n' "$h" "$path"
    done |
    sort | awk 'NR % 6 == 1' | head -40 |
    while IFS="	" read -r h path; do
        git -C "$repo" cat-file blob "$h" >"$out/$(echo "$path" | tr '/ ' '__')"
    done
ls "$out" | wc -l
