"""MkDocs hook: put the decision tool's files into the built site.

Pyodide's core comes from the npm package (node_modules/pyodide, installed by the
project's install step), the engine as a zip of tool/escalation, and the partnership's
data as a JSON bundle made now. Nothing is fetched from elsewhere at run time.
"""

from __future__ import annotations

import json
import logging
import zipfile
from datetime import date
from pathlib import Path

from mkdocs.exceptions import PluginError

import escalation
from escalation_build.bundle import make_bundle

log = logging.getLogger("mkdocs.hooks.tool_assets")

# What loadPyodide needs from the npm package, and no more (the console pages and
# source maps stay out of the site).
PYODIDE_FILES = ("pyodide.mjs", "pyodide.asm.mjs", "pyodide.asm.wasm", "python_stdlib.zip",
                 "pyodide-lock.json")


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


def on_config(config, **_):
    # The tool page reads this (data-pyodide) and hands it to the worker.
    pyodide = _node_modules(Path(config["config_file_path"]).parent)
    config["extra"]["tool_pyodide"] = _pyodide_folder(pyodide)
    return config


def on_post_build(config, **_):
    config_dir = Path(config["config_file_path"]).parent
    out = Path(config["site_dir"]) / "tool"
    pyodide = _node_modules(config_dir)
    folder = out / _pyodide_folder(pyodide)
    folder.mkdir(parents=True, exist_ok=True)
    for name in PYODIDE_FILES:
        (folder / name).write_bytes((pyodide / name).read_bytes())

    package = Path(escalation.__file__).parent
    with zipfile.ZipFile(out / "escalation.zip", "w", zipfile.ZIP_DEFLATED) as archive:
        for module in sorted(package.glob("*.py")):
            archive.write(module, f"escalation/{module.name}")

    data_dir = config_dir / config["extra"].get("data_dir", "data")
    (out / "bundle.json").write_text(make_bundle(data_dir, date.today()), encoding="utf-8")
    log.info("decision tool: Pyodide, the engine and the data bundle written to %s", out)
