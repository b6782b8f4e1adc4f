"""Print how long the site takes to build (median of several builds) and its size.

Usage: .venv/bin/python benchmarks/build.py [--runs 5] [-f mkdocs.yml]
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def build_once(config: Path, out: Path) -> float:
    started = time.perf_counter()
    subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", "-q", "-f", str(config),
                    "-d", str(out)], check=True, cwd=ROOT,
                   env={**os.environ, "NO_MKDOCS_2_WARNING": "1"})
    return time.perf_counter() - started


def site_size(site: Path) -> tuple[int, int, dict[str, int]]:
    files = [p for p in site.rglob("*") if p.is_file()]
    by_kind: dict[str, int] = {}
    for p in files:
        kind = p.suffix or "(none)"
        by_kind[kind] = by_kind.get(kind, 0) + p.stat().st_size
    return len(files), sum(by_kind.values()), by_kind


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("-f", "--config", default="mkdocs.yml")
    args = parser.parse_args()
    config = (ROOT / args.config).resolve()
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "site"
        times = [build_once(config, out) for _ in range(args.runs)]
        count, total, by_kind = site_size(out)
    print(f"site: {config.relative_to(ROOT)}")
    print(f"build time over {args.runs} builds: median {statistics.median(times):.2f} s "
          f"(min {min(times):.2f} s, max {max(times):.2f} s)")
    print(f"built site: {count} files, {total / 1024 / 1024:.2f} MiB")
    for kind, size in sorted(by_kind.items(), key=lambda kv: -kv[1])[:6]:
        print(f"  {kind:>8}: {size / 1024:8.0f} KiB")


if __name__ == "__main__":
    main()
