"""Fill the partnership's templates with what the practitioner typed.

Templates live in data; this module only fills them. A placeholder with nothing typed
for it stays visible as "[To fill: label]", so an unfinished email can never look
finished. The writers, one module per format, are emails, agency_log, reminders and
appendix; each does its own escaping, because each format has its own dangerous
characters (design: "Privacy and safety rules").
"""

from __future__ import annotations

import re
from collections.abc import Mapping

from .model import ID_PATTERN, Data, Placeholder

PLACEHOLDER = re.compile(r"\{(" + ID_PATTERN + r")\}")


def to_fill(placeholder: Placeholder) -> str:
    return f"[To fill: {placeholder.label}]"


def fill(text: str, values: Mapping[str, str], data: Data) -> str:
    """Fill {placeholders} from values. The data's own references ({cspa.phone} and the
    like) were filled in when it was read, so what the practitioner typed is never read
    as one."""
    known = {p.id: p for p in data.templates.placeholders} if data.templates else {}

    def one(match: re.Match) -> str:
        name = match.group(1)
        value = (values.get(name) or "").strip()
        if value:
            return value
        return to_fill(known[name]) if name in known else match.group(0)

    return PLACEHOLDER.sub(one, text)


