"""What the decision tool's web worker calls: JSON text in, JSON text out.

The worker (escalation_build/assets/tool/worker.js) calls start() once with the data bundle, then
the functions below for the page's messages. The build calls start() too, in Pyodide
under Node, and ships a memory snapshot of the result
(tool/escalation_build/pyodide_prepare.mjs), so most browsers never run start() at all.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from .bundle import Bundle, load_bundle
from .journey import download as _download
from .journey import open_case_file as _open_case_file
from .journey import view as _view

_bundle: Bundle | None = None


def start(bundle_text: str) -> None:
    global _bundle
    _bundle = load_bundle(bundle_text)


def _started() -> Bundle:
    if _bundle is None:
        raise RuntimeError("start() is called with the bundle before anything else")
    return _bundle


def view(state_json: str, now: str) -> str:
    return json.dumps(_view(_started(), json.loads(state_json), now))


def _answer(make: Callable[..., Any], *args: Any) -> str:
    # A ValueError carries a message for the person; it goes back without a traceback.
    try:
        return json.dumps({"result": make(_started(), *args)})
    except ValueError as error:
        return json.dumps({"error": str(error)})


def download(state_json: str, now: str, utc: str, what: str) -> str:
    return _answer(_download, json.loads(state_json), now, utc, what)


def open_case_file(text: str) -> str:
    return _answer(_open_case_file, text)
