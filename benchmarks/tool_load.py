"""Print how long the decision tool takes to be ready in Debian's Chromium (median of
several cold loads) and how much the tool page downloads.

Usage: .venv/bin/python benchmarks/tool_load.py [--runs 5]   (builds the site first)
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

from browser import chromium, serve  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        site = Path(tmp) / "site"
        subprocess.run([sys.executable, "-m", "mkdocs", "build", "-q", "-d", str(site)],
                       check=True, cwd=ROOT, capture_output=True)
        times, transferred = [], []
        with serve(site) as base, chromium() as browser:
            for _ in range(args.runs):
                context = browser.new_context()  # a cold cache each time
                page = context.new_page()
                sizes: list[int] = []
                page.on("requestfinished", lambda r: sizes.append(r.sizes()["responseBodySize"]))
                started = time.perf_counter()
                page.goto(f"{base}/tool/")
                page.wait_for_selector('#tool[data-tool-status="ready"]', timeout=120_000)
                times.append(time.perf_counter() - started)
                transferred.append(sum(sizes))
                context.close()
    print(f"tool ready (cold, {args.runs} loads): median {statistics.median(times):.2f} s "
          f"(min {min(times):.2f} s, max {max(times):.2f} s)")
    print(f"tool page downloads: {statistics.median(transferred) / 1024 / 1024:.1f} MiB "
          "(Pyodide's core, the engine, the data bundle and the page)")


if __name__ == "__main__":
    main()
