#!/usr/bin/env python3
"""The pipeline a user would script by hand with the Python standard library:
strip tags, scripts and styles with html.parser, store the text in SQLite
FTS5 (one transaction), query with MATCH and snippet().

    fts5.py index DB DIR...      build DB from the .html/.htm/.txt/.md files under DIR
    fts5.py query DB QUERY [-n N] [--count]
                                 print the top N hits (rank order) with snippets

`index` prints one JSON line: {"pages", "bytes", "html_bytes", "seconds",
"pages_per_s", "mb_per_s"}. Used by benches/e2e.sh as the peer baseline.
"""
import json
import os
import sqlite3
import sys
import time
from html.parser import HTMLParser

EXTS = {".html": "html", ".htm": "html", ".txt": "text", ".md": "text"}


class TextExtractor(HTMLParser):
    """Collects visible text: everything outside <script>, <style> & co."""

    SKIP = {"script", "style", "noscript", "template", "svg", "head"}
    BLOCK = {"p", "div", "li", "h1", "h2", "h3", "h4", "br", "tr", "section", "article"}

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.parts = []
        self.title = []
        self.skip = 0
        self.in_title = False

    def handle_starttag(self, tag, attrs):
        if tag == "title":
            self.in_title = True
        elif tag in self.SKIP:
            self.skip += 1
        elif tag in self.BLOCK:
            self.parts.append("\n")

    def handle_endtag(self, tag):
        if tag == "title":
            self.in_title = False
        elif tag in self.SKIP and self.skip:
            self.skip -= 1

    def handle_data(self, data):
        if self.in_title:
            self.title.append(data)
        elif not self.skip:
            self.parts.append(data)


def extract(path, kind):
    with open(path, "rb") as f:
        raw = f.read()
    text = raw.decode("utf-8", errors="replace")
    if kind == "text":
        first = text.lstrip().split("\n", 1)[0].lstrip("# ").strip()
        return first, text, len(raw)
    p = TextExtractor()
    p.feed(text)
    p.close()
    body = " ".join("".join(p.parts).split())
    return " ".join("".join(p.title).split()), body, len(raw)


def walk(roots):
    for root in roots:
        for dirpath, dirnames, filenames in os.walk(root):
            dirnames.sort()
            for name in sorted(filenames):
                kind = EXTS.get(os.path.splitext(name)[1].lower())
                if kind:
                    yield os.path.join(dirpath, name), kind


def cmd_index(db, roots):
    started = time.perf_counter()
    if os.path.exists(db):
        os.remove(db)
    con = sqlite3.connect(db)
    con.execute(
        "CREATE VIRTUAL TABLE docs USING fts5(path UNINDEXED, title, body, tokenize='porter unicode61')"
    )
    pages = total = html_bytes = 0
    with con:  # one transaction
        for path, kind in walk(roots):
            title, body, size = extract(path, kind)
            con.execute("INSERT INTO docs(path, title, body) VALUES (?, ?, ?)", (path, title, body))
            pages += 1
            total += size
            if kind == "html":
                html_bytes += size
    con.close()
    secs = time.perf_counter() - started
    print(json.dumps({
        "pages": pages,
        "bytes": total,
        "html_bytes": html_bytes,
        "seconds": round(secs, 3),
        "pages_per_s": round(pages / secs, 1),
        "mb_per_s": round(total / 1e6 / secs, 2),
    }))


def cmd_query(db, query, limit, count_only):
    con = sqlite3.connect(db)
    if count_only:
        (n,) = con.execute("SELECT count(*) FROM docs WHERE docs MATCH ?", (query,)).fetchone()
        print(n)
        return
    (n,) = con.execute("SELECT count(*) FROM docs WHERE docs MATCH ?", (query,)).fetchone()
    rows = con.execute(
        "SELECT path, title, snippet(docs, 2, '[', ']', '…', 24) FROM docs "
        "WHERE docs MATCH ? ORDER BY rank LIMIT ?",
        (query, limit),
    ).fetchall()
    out = [f"{n} matching documents"]
    for path, title, snip in rows:
        out.append(f"{title}\n  {path}\n  {snip}")
    print("\n".join(out))


def main(argv):
    if len(argv) >= 3 and argv[0] == "index":
        cmd_index(argv[1], argv[2:])
    elif len(argv) >= 3 and argv[0] == "query":
        limit, count_only, rest = 10, False, argv[3:]
        while rest:
            a = rest.pop(0)
            if a == "-n" and rest:
                limit = int(rest.pop(0))
            elif a == "--count":
                count_only = True
            else:
                sys.exit(f"fts5.py: unknown argument {a!r}")
        cmd_query(argv[1], argv[2], limit, count_only)
    else:
        sys.exit(__doc__)


if __name__ == "__main__":
    main(sys.argv[1:])
