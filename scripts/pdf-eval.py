#!/usr/bin/env python3
"""Word F1 of threatdex's PDF text against pdftotext (EVAL.md, "PDF extraction").

    scripts/pdf-eval.py THREATDEX_BINARY PDF_DIR

For each PDF: the reference is `pdftotext FILE -` (Debian poppler-utils, its
default reading order); threatdex's text is `extract --json` (exactly what
`index` stores: the title line plus the body). Both are cut into lower-case
word tokens. Bag-of-words F1 measures the words; F1 over adjacent word
pairs (bigrams) also measures reading order (interleaved columns break
pairs). Micro-averaged over all files; the worst files are listed.
"""
import collections
import json
import re
import subprocess
import sys

TOKEN = re.compile(r"\w+", re.UNICODE)


def tokens(text):
    return [t.lower() for t in TOKEN.findall(text)]


def f1(ours, ref):
    a, b = collections.Counter(ours), collections.Counter(ref)
    common = sum((a & b).values())
    return common, sum(a.values()), sum(b.values())


def main():
    exe, folder = sys.argv[1], sys.argv[2]
    files = subprocess.run(["sh", "-c", f"ls {folder}/*.pdf"], capture_output=True, text=True).stdout.split()
    tot_w = [0, 0, 0]
    tot_b = [0, 0, 0]
    rows = []
    skipped = []
    for path in files:
        ref = subprocess.run(["pdftotext", path, "-"], capture_output=True, text=True, errors="replace").stdout
        out = subprocess.run([exe, "extract", "--json", path], capture_output=True, text=True).stdout
        obj = json.loads(out.splitlines()[0]) if out.strip() else {}
        if "text" not in obj:
            skipped.append((path, obj.get("skipped")))
            ours_text = ""
        else:
            # The reference has the title inside the text; so does ours, once.
            ours_text = obj["text"]
            if obj.get("title") and obj["title"] not in ours_text:
                ours_text = obj["title"] + "\n" + ours_text
        o, r = tokens(ours_text), tokens(ref)
        w = f1(o, r)
        b = f1(list(zip(o, o[1:])), list(zip(r, r[1:])))
        for i in range(3):
            tot_w[i] += w[i]
            tot_b[i] += b[i]
        fw = 2 * w[0] / (w[1] + w[2]) if w[1] + w[2] else 1.0
        fb = 2 * b[0] / (b[1] + b[2]) if b[1] + b[2] else 1.0
        rows.append((fw, fb, path.split("/")[-1]))
    fw = 2 * tot_w[0] / (tot_w[1] + tot_w[2])
    fb = 2 * tot_b[0] / (tot_b[1] + tot_b[2])
    print(f"files {len(files)}, skipped {len(skipped)}")
    print(f"word F1 (micro) {fw:.3f}   bigram F1 (micro, reading order) {fb:.3f}")
    print(f"words: ours {tot_w[1]}, pdftotext {tot_w[2]}, common {tot_w[0]}")
    rows.sort()
    print("worst files (word F1, bigram F1):")
    for fw, fb, name in rows[:6]:
        print(f"  {fw:.3f} {fb:.3f} {name}")
    for p, why in skipped:
        print(f"  skipped {p}: {why}")


main()
