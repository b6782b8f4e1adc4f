"""Data text into Markdown that shows exactly what the admin wrote.

Every text field of the data is plain text: whatever it holds (a '<script>', a '*', a
Markdown link, an attribute list such as '{: onclick=...}') the page shows those
characters and nothing else. The renderers in pages.py put data text into Markdown
through `text()` (or `cell()` in a table); page templates reach the data through
`DataView`, which hands them every string already made safe, so `{{ s.name }}` in a page
is text too.

Only what Markdown and its extensions here (abbr, attr_list, def_list, md_in_html,
tables, admonition) would read as markup is escaped, and nothing inside a word, so that
the glossary's abbreviations (C-SPA, A&E) still get their tooltips.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Callable
from datetime import date
from typing import Any

# Characters that start inline markup wherever they are: emphasis, code, links and
# images, attribute lists, and backslash escapes themselves.
_INLINE = re.compile(r"([\\`*_{}\[\]])")
# HTML would be passed through as markup, and an entity such as &lt; shown as '<'.
_ENTITY = re.compile(r"&(?=#?[A-Za-z0-9]+;)")
# At the start of a line: headings, lists, definitions and admonitions ('>' is already
# an entity by then).
_LINE_START = re.compile(r"^(?:[#+:!-]|[0-9]+(?=[.)]))")


def text(value: str) -> str:
    """One line of Markdown that reads as `value` does, whitespace run together."""
    line = " ".join(str(value).split())
    line = _INLINE.sub(r"\\\1", line)
    line = _ENTITY.sub("&amp;", line).replace("<", "&lt;").replace(">", "&gt;")
    return _LINE_START.sub(_escape_start, line)


def _escape_start(match: re.Match) -> str:
    mark = match.group()
    if mark[0].isdigit():  # "1." or "1)" starts a numbered list: escape the stop
        return mark + "\\"
    # Markdown has no backslash escape for ':', which starts a definition.
    return "&#58;" if mark == ":" else "\\" + mark


def cell(value: str) -> str:
    """Markdown for a table cell that is already Markdown (built from `text()` and
    links): one line, and a '|' cannot end the cell."""
    return " ".join(value.split()).replace("|", "\\|")


class _Nothing:
    """What a wrong lookup gives a page once it is reported: empty, whatever is asked of
    it next, so that one slip is one message."""

    def __getattr__(self, name: str) -> _Nothing:
        if name.startswith("_") or name == "jinja_pass_arg":
            raise AttributeError(name)
        return self

    def __call__(self, *args: Any, **kwargs: Any) -> _Nothing:
        return self

    def __getitem__(self, key: Any) -> _Nothing:
        return self

    def __iter__(self):
        return iter(())

    def __bool__(self) -> bool:
        return False

    def __str__(self) -> str:
        return ""


NOTHING = _Nothing()


class DataView:
    """The data as page templates see it: the same fields and lookups, with every
    string made into text by `text()`. Numbers and dates are as they are. A field the
    data does not have is told to `report` (with the page's line, by the macros) and
    shows as nothing, so that the build can stop with a message, not a traceback."""

    __slots__ = ("_target", "_report")

    def __init__(self, target: Any, report: Callable[[str], None]):
        object.__setattr__(self, "_target", target)
        object.__setattr__(self, "_report", report)

    def __getattr__(self, name: str) -> Any:
        if name.startswith("_") or name == "jinja_pass_arg":  # Python's and Jinja's probes
            raise AttributeError(name)
        if not hasattr(self._target, name):
            fields = [f.name for f in dataclasses.fields(self._target)]
            self._report(f"'{name}' is not a field of {type(self._target).__name__}: the "
                         f"fields are {', '.join(fields)}")
            return NOTHING
        return view(getattr(self._target, name), self._report)

    def __setattr__(self, name: str, value: Any) -> None:
        raise AttributeError("the data is read-only in a page")

    def __repr__(self) -> str:
        return f"DataView({self._target!r})"


def view(value: Any, report: Callable[[str], None]) -> Any:
    if isinstance(value, str):
        return text(value)
    if isinstance(value, (bool, int, float, date)) or value is None:
        return value
    if isinstance(value, tuple):
        return tuple(view(item, report) for item in value)
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return DataView(value, report)
    if callable(value):  # a lookup such as data.contact('cspa') or data.procedure()
        def lookup(*args, **kwargs):
            try:
                return view(value(*args, **kwargs), report)
            except LookupError as error:
                report(str(error))
                return NOTHING
        return lookup
    raise TypeError(f"a page cannot be given {value!r}")
