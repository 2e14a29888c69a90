#!/usr/bin/env python3
"""Draws the indicator sample judged in eval/judged-indicators.tsv.

Reads `threatdex extract --json` lines (of a build from before roles, which
exported every public IOC) on stdin, keeps the public IOCs of every real
collection document outside the AnnoCTR test split, and prints N of these
(document, indicator) pairs, drawn with a fixed seed, each with the lines
around its first mention, for judging by hand.

    threatdex extract --json ../shared/data/corpus-real \
      | scripts/sample-indicators.py --annoctr ../shared/data/corpus-real/annoctr > sample.txt
"""
import argparse, json, random, re, sys

ap = argparse.ArgumentParser()
ap.add_argument("--annoctr", required=True, help="AnnoCTR folder (for the test split)")
ap.add_argument("-n", type=int, default=200)
ap.add_argument("--seed", type=int, default=16)
args = ap.parse_args()

test = set()
for line in open(f"{args.annoctr}/annotations-compact.jsonl"):
    d = json.loads(line)
    if d["split"] == "test":
        test.add(d["file"].split("/")[-1])

pairs, texts = [], {}
for line in sys.stdin:
    d = json.loads(line)
    path = d.get("path", "")
    if "corpus-real/" not in path or path.split("/")[-1] in test:
        continue
    rel = path.split("corpus-real/", 1)[1]
    if re.match(r"(LICENSE|SOURCE|README)", path.split("/")[-1]):
        continue
    iocs = d.get("iocs") or []
    texts[rel] = (d.get("title") or "") + "\n" + (d.get("text") or "")
    for i in iocs:
        if i["scope"] == "public":
            pairs.append((rel, i["type"], i["value"]))

pairs.sort()
rng = random.Random(args.seed)
sample = rng.sample(pairs, min(args.n, len(pairs)))
print(f"# {len(pairs)} public (document, indicator) pairs; {len(sample)} drawn, seed {args.seed}", file=sys.stderr)

def needle(kind, value):
    if kind == "url":
        host = value.split("://", 1)[1].split("/")[0]
        return host.split(".")[0]
    if kind == "email":
        return value.split("@")[0]
    if kind in ("domain",):
        return value.split(".")[0]
    if kind == "ip" and "." in value:
        return value.rsplit(".", 1)[0].rsplit(".", 1)[0]
    return value[:12]

def refang(line):
    line = re.sub(r"\s?[\[\(\{](\.|dot)[\]\)\}]\s?", ".", line, flags=re.I)
    line = re.sub(r"\[:\]|\[://\]", lambda m: m.group(0)[1:-1], line)
    line = re.sub(r"\bhxxp", "http", line, flags=re.I)
    return re.sub(r"\s?[\[\(\{](at|@)[\]\)\}]\s?", "@", line, flags=re.I)

for n, (rel, kind, value) in enumerate(sample, 1):
    text = texts[rel]
    lines = text.split("\n")
    whole = re.compile(re.escape(value), re.I)
    part = re.compile(re.escape(needle(kind, value)), re.I)
    ctx = "(not found)"
    found = [k for k, l in enumerate(lines) if whole.search(refang(l))]
    found = found or [k for k, l in enumerate(lines) if part.search(l)]
    for k in found[:1]:
        l = lines[k]
        if True:
            heads = [h for h in lines[:k] if h.strip() and (h.lstrip().startswith("#") or h.strip().endswith(":")) and len(h) < 90]
            head = heads[-1].strip() if heads else "-"
            ctx = f"HEAD: {head}\n  LINE: {l.strip()[:400]}"
            break
    print(f"[{n}] {rel}\t{kind}\t{value}\n  {ctx}\n")
