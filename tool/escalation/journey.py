"""The decision tool's three calls, as the browser's worker makes them (web.py): from
what the page posts to what it shows, the files it downloads, and a case file opened.

The page sends its form state as plain JSON; each call reads it once into a Situation
(situation.py) and answers with plain JSON: the view (tool_view.py) or a file
(tool_files.py). Every rule lives in those modules, never in JavaScript.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from .bundle import Bundle
from .case import case_state, read_case_file
from .situation import read_situation
from .tool_files import download as _download
from .tool_view import MANAGER_ADDRESS
from .tool_view import view as _view

__all__ = ["MANAGER_ADDRESS", "download", "open_case_file", "view"]


def view(bundle: Bundle, state: dict[str, Any], now: str) -> dict[str, Any]:
    """Everything the tool page shows for `state` at `now` (UK wall-clock, ISO format)."""
    return _view(read_situation(bundle, state, now))


def download(bundle: Bundle, state: dict[str, Any], now: str, utc: str,
             what: str) -> dict[str, str]:
    """One file for the practitioner to keep or send: {"name", "type", "text"}.

    what: "email" (the chosen stage's .eml), "form" (the form as an .eml to the
    partnership), "calendar" (deadlines as .ics), "log" (the agency's log as CSV) or
    "case" (the case file). File names never carry anything typed.
    """
    stamp = datetime.fromisoformat(utc.replace("Z", "+00:00"))
    return _download(read_situation(bundle, state, now), what, stamp)


def open_case_file(bundle: Bundle, text: str) -> dict[str, Any]:
    """The state saved in a case file, or ValueError with a message for the person."""
    data = bundle.data
    return case_state(read_case_file(
        text, data.partnership.id, data.partnership.main_procedure,
        {p.id: p.stage_word for p in data.procedures.procedures}))
