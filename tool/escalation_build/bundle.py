"""Make the JSON bundle the browser loads: the partnership's data and its calendar."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

from escalation.bundle import FORMAT

from .bank_holidays import calendar_for
from .sources import load_data_dir, read_documents


def _json_value(value):
    if isinstance(value, date):
        return value.isoformat()
    raise TypeError(f"cannot put {value!r} in the bundle")


def make_bundle(data_dir: Path, today: date) -> str:
    """The bundle as JSON text. The data must pass the check first (DataError if not)."""
    data, _ = load_data_dir(data_dir, today=today)
    documents, _, _ = read_documents(Path(data_dir))
    calendar = calendar_for(data.partnership, today)
    bundle = {
        "format": FORMAT,
        "built": today.isoformat(),
        "files": {name: value for name, (value, _) in documents.items()},
        "calendar": {
            "first_year": calendar.first_year,
            "last_year": calendar.last_year,
            "closed": {day.isoformat(): name for day, name in sorted(calendar.closed.items())},
        },
    }
    return json.dumps(bundle, default=_json_value, ensure_ascii=False, separators=(",", ":"))
