"""Build step: a Brotli (.br) and a gzip (.gz) copy beside every file that compresses.

Pyodide's WebAssembly is 9.2 MiB as it is and 2.6 MiB as Brotli: on a slow line that is
most of the wait. Hosts that serve precompressed files (nginx's brotli_static and
gzip_static, `escalation serve`) send the copy the browser asks for with
`Content-Encoding`; other hosts ignore the copies and compress by themselves, or not
(content/admin/publishing.md says which does what). Files that are compressed already
(the standard library zip, the memory snapshot, images) get no copies.

Brotli at its best setting is slow (half a minute for the wasm on a busy machine), so
each copy is kept in the checkout's .cache/, named after the file's contents: only files
that changed are compressed again.
"""

from __future__ import annotations

import gzip
import hashlib
import os
import time
from pathlib import Path

import brotli

import escalation

COMPRESSIBLE = (".html", ".css", ".js", ".mjs", ".json", ".wasm", ".svg", ".xml", ".txt",
                ".ics", ".map")
MIN_BYTES = 1024  # below this, the header costs about what compression saves
WORTH = 0.9  # keep a copy only if it is at most this share of the original
ENCODINGS = {".br": "br", ".gz": "gzip"}
_KEEP_DAYS = 30


def _cache() -> Path:
    folder = Path(escalation.__file__).resolve().parents[2] / ".cache" / "escalation-compressed"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def _brotli(data: bytes) -> bytes:
    return brotli.compress(data, quality=11)


def _gzip(data: bytes) -> bytes:
    # mtime 0: the same file gives the same bytes on every build.
    return gzip.compress(data, compresslevel=9, mtime=0)


def _compressed(data: bytes, suffix: str, cache: Path) -> bytes:
    kept = cache / f"{hashlib.sha256(data).hexdigest()}{suffix}"
    if kept.exists():
        os.utime(kept)
        return kept.read_bytes()
    made = _brotli(data) if suffix == ".br" else _gzip(data)
    temporary = kept.with_name(f"{kept.name}.tmp{os.getpid()}")
    temporary.write_bytes(made)
    temporary.replace(kept)
    return made


def compressible(path: Path) -> bool:
    return path.suffix.lower() in COMPRESSIBLE and path.stat().st_size >= MIN_BYTES


def compress_site(site: Path) -> dict[str, int]:
    """Write x.br and x.gz beside every compressible file x of the built site; the number
    of copies written and the bytes before and after (Brotli)."""
    cache = _cache()
    counts = {"files": 0, "bytes": 0, "br": 0}
    for path in sorted(site.rglob("*")):
        if not path.is_file() or not compressible(path):
            continue
        data = path.read_bytes()
        for suffix in ENCODINGS:
            made = _compressed(data, suffix, cache)
            copy = path.with_name(path.name + suffix)
            if len(made) <= WORTH * len(data):
                copy.write_bytes(made)
                if suffix == ".br":
                    counts["files"] += 1
                    counts["bytes"] += len(data)
                    counts["br"] += len(made)
            elif copy.exists():
                copy.unlink()
    cutoff = time.time() - _KEEP_DAYS * 86400
    for old in cache.iterdir():
        if old.stat().st_mtime < cutoff:
            old.unlink(missing_ok=True)
    return counts
