"""Build step: put the decision tool's files into the built site.

Pyodide's core comes from the npm package (node_modules/pyodide, installed by the
project's install step), the engine as a zip of tool/escalation, and the partnership's
data as a JSON bundle made now. Nothing is fetched from elsewhere at run time.
"""

from __future__ import annotations

import hashlib
import io
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
JOURNEYS = Path(escalation_build.__file__).parent / "journeys.py"


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


def _engine_zip() -> bytes:
    """tool/escalation's source as a zip, the same bytes for the same modules (no dates),
    so that it can name what is made from it: the compiled zip the worker unpacks when it
    has no snapshot."""
    package = Path(escalation.__file__).parent
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for module in sorted(package.glob("*.py")):
            entry = zipfile.ZipInfo(f"escalation/{module.name}", date_time=(1980, 1, 1, 0, 0, 0))
            entry.compress_type = zipfile.ZIP_DEFLATED
            entry.external_attr = 0o644 << 16
            archive.writestr(entry, module.read_bytes())
    return out.getvalue()


def _module_of(name: str) -> str | None:
    """The module a file of the compiled standard library holds (None: not a module)."""
    if not name.endswith(".pyc"):
        return None
    module = name[:-len(".pyc")].replace("/", ".")
    return module[:-len(".__init__")] if module.endswith(".__init__") else module


def trimmed_stdlib(compiled: bytes, modules: set[str]) -> bytes:
    """The compiled standard library with only the modules named (and their packages'
    folders): what the tool imports, found by running its journeys (JOURNEYS)."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(compiled)) as source, \
            zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        kept = [i for i in source.infolist() if _module_of(i.filename) in modules]
        folders = {"/".join(i.filename.split("/")[:n]) + "/"
                   for i in kept for n in range(1, i.filename.count("/") + 1)}
        for info in source.infolist():
            if info in kept or info.filename in folders:
                entry = zipfile.ZipInfo(info.filename, date_time=(1980, 1, 1, 0, 0, 0))
                entry.compress_type = info.compress_type
                entry.external_attr = info.external_attr
                archive.writestr(entry, source.read(info))
    return out.getvalue()


def _made(path: Path, make) -> Path:
    """`path`, made by make(temporary path) unless it is there already (then cached)."""
    if not path.exists():
        make(path.with_suffix(_TMP))
        path.with_suffix(_TMP).replace(path)
    return path


def _prepared(pyodide: Path, bundle: str) -> tuple[Path, Path, Path]:
    """The standard library the tool needs and the engine, compiled, and the tool's
    memory snapshot,
    made once for each version of Pyodide, of the engine, of the data bundle and of the
    scripts that make them, and kept in the checkout's .cache/ (not node_modules/, which
    npm ci empties) so that a build with nothing new starts no Node.

    Three steps: the whole standard library and the engine compiled to bytecode (so the
    browser compiles none of it); every journey of the
    tool run under Pyodide on it, to list the modules imported; the library trimmed to
    those, and the snapshot made on the trimmed library (a snapshot remembers the zip it
    was made with, so it must be the one the site serves)."""
    cache = Path(escalation.__file__).resolve().parents[2] / ".cache" / "escalation-tool"
    cache.mkdir(parents=True, exist_ok=True)
    script = PREPARE.read_bytes()
    # The runtime is its wasm and its JavaScript glue: a change to either makes new files.
    runtime = b"".join((pyodide / name).read_bytes()
                       for name in ("pyodide.asm.wasm", "pyodide.asm.mjs", "pyodide.mjs"))
    source = (pyodide / "python_stdlib.zip").read_bytes()
    compiled = _made(cache / f"stdlib-{_digest(script, runtime, source)}.zip",
                     lambda out: _node("stdlib", str(pyodide), str(out)))
    full = compiled.read_bytes()
    engine = _engine_zip()
    key = _digest(script, runtime, full, JOURNEYS.read_bytes(), engine, bundle.encode())
    work = cache / f"work-{key}{_TMP}"
    work.mkdir(exist_ok=True)
    try:
        (work / "engine.zip").write_bytes(engine)
        (work / "bundle.json").write_text(bundle, encoding="utf-8")
        engine_pyc = _made(cache / f"engine-{_digest(script, runtime, engine)}.zip",
                           lambda out: _node("engine", str(pyodide), str(work / "engine.zip"),
                                             str(out)))
        listed = _made(cache / f"modules-{key}.txt", lambda out: _node(
            "trace", str(pyodide), str(compiled), str(engine_pyc), str(JOURNEYS),
            str(work / "bundle.json"), str(out)))
        modules = set(listed.read_text(encoding="utf-8").split())
        trimmed = trimmed_stdlib(full, modules)
        stdlib = _made(cache / f"stdlib-trimmed-{_digest(trimmed)}.zip",
                       lambda out: out.write_bytes(trimmed))
        package = Path(escalation.__file__).parent
        snapshot = _made(cache / f"snapshot-{_digest(script, runtime, trimmed, bundle.encode(), engine)}.gz",
                         lambda out: _node("snapshot", str(pyodide), str(stdlib), str(package),
                                           str(work / "bundle.json"), str(out)))
    finally:
        shutil.rmtree(work, ignore_errors=True)
    # A new one each day (the bundle carries its date): keep the latest few of each.
    for pattern in ("snapshot-*.gz", "modules-*.txt", "stdlib-trimmed-*.zip", "engine-*.zip"):
        for old in sorted(cache.glob(pattern), key=lambda p: p.stat().st_mtime)[:-8]:
            old.unlink()
    return stdlib, snapshot, engine_pyc


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
    stdlib, snapshot, engine = _prepared(pyodide, bundle)
    _BUILD.update(bundle=bundle, stdlib=stdlib, snapshot=snapshot, engine=engine)
    config["extra"]["tool_pyodide"] = _pyodide_folder(pyodide)
    config["extra"]["tool_stdlib"] = _site_name(stdlib, "python_stdlib", ".zip")
    config["extra"]["tool_snapshot"] = _site_name(snapshot, "python", ".snapshot.gz")
    # For the page's progress bar (how much of the calculator has arrived) and whether it
    # keeps the site for offline use (extra.offline in mkdocs.yml; on unless false).
    sizes = {name: (pyodide / name).stat().st_size for name in PYODIDE_FILES}
    sizes.update({config["extra"]["tool_stdlib"]: stdlib.stat().st_size,
                  config["extra"]["tool_snapshot"]: snapshot.stat().st_size,
                  "escalation.zip": engine.stat().st_size, "bundle.json": len(bundle.encode())})
    config["extra"]["tool_boot"] = json.dumps(
        {"sizes": sizes, "offline": offline_enabled(config)}, separators=(",", ":"))
    return config


def offline_enabled(config) -> bool:
    """Whether the site keeps itself for offline use: `extra: {offline: false}` in
    mkdocs.yml switches it off (content/admin/publishing.md)."""
    return config["extra"].get("offline", True) is not False


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

    shutil.copyfile(_BUILD["engine"], out / "escalation.zip")

    (out / "bundle.json").write_text(_BUILD["bundle"], encoding="utf-8")
    log.info("decision tool: Pyodide, the engine and the data bundle written to %s", out)
