#!/usr/bin/env python3
"""Whole-process search latency: runs each query RUNS times (after one
warm-up) as a fresh `threatdex` process and prints the median (min-max) as a
Markdown table row. A benchmark, not a test.

    benches/search-latency.py BIN INDEX [RUNS]

BIN is a threatdex binary (use a release build), INDEX an index directory
(for issue 21's figure: 20,000 generated pages, see BENCH.md).
"""
import statistics
import subprocess
import sys
import time

QUERIES = [
    ["search", "ransomware"],
    ["search", '"critical infrastructure"'],
    ["search", "Vanguard Panda"],
    ["search", "phishing", "--actor", "Volt Typhoon", "--since", "2023-01-01"],
    ["search", "volt typhoon"],
]


def main() -> int:
    if len(sys.argv) not in (3, 4):
        print(__doc__, file=sys.stderr)
        return 2
    binary, index = sys.argv[1], sys.argv[2]
    runs = int(sys.argv[3]) if len(sys.argv) == 4 else 30
    print("| query | median (min–max) |")
    print("|---|---|")
    for q in QUERIES:
        times = []
        for _ in range(runs + 1):
            t = time.perf_counter()
            subprocess.run([binary, "--index", index] + q, stdout=subprocess.DEVNULL,
                           stderr=subprocess.DEVNULL, check=False)
            times.append((time.perf_counter() - t) * 1000)
        times = times[1:]
        print(f"| `{' '.join(q[1:])}` | {statistics.median(times):.1f} ms "
              f"({min(times):.1f}–{max(times):.1f}) |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
