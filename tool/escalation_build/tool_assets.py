"""Build step: put the decision tool's files into the built site.

Pyodide's core comes from the npm package (node_modules/pyodide, installed by the
project's install step), the engine as a zip of tool/escalation, and the partnership's
data as a JSON bundle made now. Nothing is fetched from elsewhere at run time.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import shutil
import subprocess
import zipfile
from datetime import date
from pathlib import Path

from mkdocs.exceptions import PluginError

import escalation
import escalation_build
from escalation_build.bundle import make_bundle

log = logging.getLogger("mkdocs.plugins.escalation.tool")

# What loadPyodide needs from the npm package, and no more (the console pages and
# source maps stay out of the site). Its python_stdlib.zip is replaced by the same
# standard library compiled to bytecode (see _prepared).
PYODIDE_FILES = ("pyodide.mjs", "pyodide.asm.mjs", "pyodide.asm.wasm", "pyodide-lock.json")
PREPARE = Path(escalation_build.__file__).parent / "pyodide_prepare.mjs"


def _node_modules(start: Path) -> Path:
    # Beside the configuration (or above it, for a partnership pack), else beside the
    # engine's own checkout.
    checkout = Path(escalation.__file__).resolve().parents[2]
    for folder in (start, *start.parents, checkout):
        candidate = folder / "node_modules" / "pyodide"
        if candidate.is_dir():
            return candidate
    raise PluginError("Pyodide is not installed: run scripts/install (it runs npm ci) "
                      "before building the site")


def _pyodide_folder(pyodide: Path) -> str:
    """Where Pyodide goes in the site, relative to tool/: named after its version, so that
    its files can be cached for a year and an upgrade still reaches every browser."""
    version = json.loads((pyodide / "package.json").read_text(encoding="utf-8"))["version"]
    return f"pyodide/{version}/"


def _digest(*parts: bytes) -> str:
    return hashlib.sha256(b"\0".join(parts)).hexdigest()[:16]


def _node(*args: str) -> None:
    node = shutil.which("node")
    if node is None:
        raise PluginError("Node.js is missing: run scripts/install (npm ci needs it too)")
    try:
        # Minutes at most even on a slow machine; loadPyodide can hang rather than fail.
        result = subprocess.run([node, str(PREPARE), *args], capture_output=True, text=True,
                                timeout=600)
    except subprocess.TimeoutExpired:
        raise PluginError("preparing Python for the tool took over 10 minutes") from None
    if result.returncode:
        raise PluginError(f"preparing Python for the tool failed:\n{result.stderr[-2000:]}")


# Per process: two builds at once (tests do that) never share a half-written file.
_TMP = f".tmp{os.getpid()}"


def _prepared(pyodide: Path, bundle: str) -> tuple[Path, Path]:
    """The compiled standard library and the tool's memory snapshot, made once for each
    version of Pyodide, of the engine, of the data bundle and of the script that makes
    them, and kept in the checkout's .cache/ (not node_modules/, which npm ci empties) so
    that a build with nothing new starts no Node."""
    cache = Path(escalation.__file__).resolve().parents[2] / ".cache" / "escalation-tool"
    cache.mkdir(parents=True, exist_ok=True)
    script = PREPARE.read_bytes()
    # The runtime is its wasm and its JavaScript glue: a change to either makes new files.
    runtime = b"".join((pyodide / name).read_bytes()
                       for name in ("pyodide.asm.wasm", "pyodide.asm.mjs", "pyodide.mjs"))
    source = (pyodide / "python_stdlib.zip").read_bytes()
    stdlib = cache / f"stdlib-{_digest(script, runtime, source)}.zip"
    if not stdlib.exists():
        _node("stdlib", str(pyodide), str(stdlib.with_suffix(_TMP)))
        stdlib.with_suffix(_TMP).replace(stdlib)
    package = Path(escalation.__file__).parent
    engine = [m.read_bytes() for m in sorted(package.glob("*.py"))]
    key = _digest(script, runtime, stdlib.read_bytes(), bundle.encode(), *engine)
    snapshot = cache / f"snapshot-{key}.gz"
    if not snapshot.exists():
        bundle_file = cache / f"bundle-{key}{_TMP}"
        bundle_file.write_text(bundle, encoding="utf-8")
        try:
            _node("snapshot", str(pyodide), str(stdlib), str(package), str(bundle_file),
                  str(snapshot.with_suffix(_TMP)))
        finally:
            bundle_file.unlink()
        snapshot.with_suffix(_TMP).replace(snapshot)
        # A new one each day (the bundle carries its date): keep the latest few.
        for old in sorted(cache.glob("snapshot-*.gz"), key=lambda p: p.stat().st_mtime)[:-8]:
            old.unlink()
    return stdlib, snapshot


def _bundle(config) -> str:
    config_dir = Path(config["config_file_path"]).parent
    data_dir = config_dir / config["extra"].get("data_dir", "data")
    return make_bundle(data_dir, date.today())


# Made once a build, in on_config, and used again in on_post_build: the bundle and the
# prepared files (finding those reads and hashes some 20 MB, so it is not done twice).
_BUILD: dict[str, object] = {}


def _site_name(path: Path, stem: str, suffix: str) -> str:
    # Named after their contents: a browser's cached copy is always the right one.
    return f"{stem}-{hashlib.sha256(path.read_bytes()).hexdigest()[:12]}{suffix}"


def on_config(config, **_):
    # The tool page reads these (data-pyodide, data-stdlib, data-snapshot) and hands them
    # to the worker.
    pyodide = _node_modules(Path(config["config_file_path"]).parent)
    bundle = _bundle(config)
    stdlib, snapshot = _prepared(pyodide, bundle)
    _BUILD.update(bundle=bundle, stdlib=stdlib, snapshot=snapshot)
    config["extra"]["tool_pyodide"] = _pyodide_folder(pyodide)
    config["extra"]["tool_stdlib"] = _site_name(stdlib, "python_stdlib", ".zip")
    config["extra"]["tool_snapshot"] = _site_name(snapshot, "python", ".snapshot.gz")
    return config


def on_post_build(config, **_):
    config_dir = Path(config["config_file_path"]).parent
    out = Path(config["site_dir"]) / "tool"
    pyodide = _node_modules(config_dir)
    folder = out / _pyodide_folder(pyodide)
    folder.mkdir(parents=True, exist_ok=True)
    for name in PYODIDE_FILES:
        (folder / name).write_bytes((pyodide / name).read_bytes())
    shutil.copyfile(_BUILD["stdlib"], folder / config["extra"]["tool_stdlib"])
    # Beside Pyodide, so it is cached for a year too: its name changes with its contents.
    shutil.copyfile(_BUILD["snapshot"], folder / config["extra"]["tool_snapshot"])

    package = Path(escalation.__file__).parent
    with zipfile.ZipFile(out / "escalation.zip", "w", zipfile.ZIP_DEFLATED) as archive:
        for module in sorted(package.glob("*.py")):
            archive.write(module, f"escalation/{module.name}")

    (out / "bundle.json").write_text(_BUILD["bundle"], encoding="utf-8")
    log.info("decision tool: Pyodide, the engine and the data bundle written to %s", out)
