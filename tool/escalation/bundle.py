"""Load the JSON bundle the build makes for the browser: the data files as written, and
the working-day calendar (bank holidays are computed at build time; the browser has no
`holidays` package and makes no requests)."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date

from .calendar import Calendar
from .checks import load
from .model import Data

FORMAT = 1


@dataclass(frozen=True)
class Bundle:
    data: Data
    calendar: Calendar
    built: date


def load_bundle(text: str) -> Bundle:
    """Read a bundle. The data is checked again on the way in (without line numbers):
    it costs little and means a damaged bundle fails loudly rather than misleads."""
    raw = json.loads(text)
    if raw.get("format") != FORMAT:
        raise ValueError(f"this bundle is format {raw.get('format')}; the engine reads {FORMAT}")
    data, _ = load({name: (value, {}) for name, value in raw["files"].items()})
    window = raw["calendar"]
    calendar = Calendar(
        first_year=window["first_year"],
        last_year=window["last_year"],
        closed={date.fromisoformat(day): name for day, name in window["closed"].items()},
    )
    return Bundle(data=data, calendar=calendar, built=date.fromisoformat(raw["built"]))
