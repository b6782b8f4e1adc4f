"""Build the model from plain data, reporting every field that does not fit.

The same reader runs on YAML at build time (with line numbers) and on the JSON
bundle in the browser (without). Positions map a path such as
("contacts", 3, "email") to the line it was written on.
"""

from __future__ import annotations

import dataclasses
import difflib
import re
import types
import typing
from collections.abc import Mapping
from datetime import date, datetime
from typing import Any, Literal

from .model import RENAMED, is_required
from .problems import Problem

Path = tuple[Any, ...]
Positions = Mapping[Path, int]

_FAILED = object()
_ISO_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
# Written with escapes in a quoted YAML string, these reach the text: none is ever meant
# (line breaks and tabs are).
HIDDEN = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]")


class _Context:
    def __init__(self, file: str, positions: Positions):
        self.file = file
        self.positions = positions
        self.problems: list[Problem] = []

    def line(self, path: Path) -> int | None:
        for end in range(len(path), -1, -1):
            line = self.positions.get(path[:end])
            if line is not None:
                return line
        return None

    def fail(self, path: Path, label: str, message: str):
        self.problems.append(Problem(self.file, self.line(path), label, message))
        return _FAILED


def line_of(positions: Positions, path: Path) -> int | None:
    return _Context("", positions).line(path)


def read_file(cls: type, value: Any, file: str, positions: Positions | None = None):
    """Return (instance or None, problems) for one data file.

    With problems, the instance (if any) holds only the entries that could be read.
    """
    ctx = _Context(file, positions or {})
    result = _read(cls, value, (), "(top level)", ctx)
    return (None if result is _FAILED else result), ctx.problems


def _describe(tp) -> str:
    origin = typing.get_origin(tp)
    if tp is str:
        return "text"
    if tp is int:
        return "a whole number"
    if tp is bool:
        return "true or false"
    if tp is date:
        return "a date (YYYY-MM-DD)"
    if origin is tuple:
        return "a list"
    if dataclasses.is_dataclass(tp):
        return "a set of fields (key: value lines)"
    if origin is Literal:
        return "one of " + ", ".join(f"'{a}'" for a in typing.get_args(tp))
    return str(tp)


def _shown(value: Any) -> str:
    if isinstance(value, dict):
        return "a set of fields"
    if isinstance(value, list):
        return "a list"
    if value is None:
        return "nothing"
    text = str(value)
    return f"'{text[:60]}...'" if len(text) > 63 else f"'{text}'"


def _read(tp, value, path: Path, label: str, ctx: _Context, check=None):
    origin = typing.get_origin(tp)
    args = typing.get_args(tp)

    if origin in (typing.Union, types.UnionType):
        inner = [a for a in args if a is not type(None)]
        if value is None:
            return None
        return _read(inner[0], value, path, label, ctx, check)

    if dataclasses.is_dataclass(tp):
        return _read_dataclass(tp, value, path, label, ctx)

    if origin is tuple:
        if not isinstance(value, list):
            one = (": for a single entry, make it a list of one by putting '- ' before it "
                   "(or [ ] around it)"
                   if isinstance(value, dict) and dataclasses.is_dataclass(args[0]) else "")
            return ctx.fail(path, label, f"should be a list (lines starting with '- '), "
                                         f"not {_shown(value)}{one}")
        # A broken entry is reported and left out, so that the checks after this one
        # still run on the others and the admin sees every problem in one go.
        items = []
        for index, item in enumerate(value):
            item_label = f"{label}[{_item_name(item, index)}]"
            result = _read(args[0], item, path + (index,), item_label, ctx, check)
            if result is not _FAILED:
                items.append(result)
        return tuple(items)

    if origin is Literal:
        if value in args:
            return value
        choices = ", ".join(f"'{a}'" for a in args)
        return ctx.fail(path, label, f"{_shown(value)} is not allowed here: use one of {choices}")

    if tp is bool:
        if isinstance(value, bool):
            return value
        return ctx.fail(path, label, f"should be true or false, not {_shown(value)}")

    if tp is int:
        if not isinstance(value, int) or isinstance(value, bool):
            return ctx.fail(path, label, f"should be a whole number, not {_shown(value)}")
        message = check(value) if check is not None else None
        return ctx.fail(path, label, message) if message else value

    if tp is date:
        if isinstance(value, date) and not isinstance(value, datetime):
            return value
        if isinstance(value, str) and _ISO_DATE.fullmatch(value):
            try:
                return date.fromisoformat(value)
            except ValueError:
                return ctx.fail(path, label, f"{_shown(value)} is not a day of the calendar: "
                                             "check the month and the day")
        return ctx.fail(path, label, f"should be a date written YYYY-MM-DD, not {_shown(value)}")

    if tp is str:
        if not isinstance(value, str):
            hint = " (put it in quotes)" if isinstance(value, (int, float, bool, date)) else ""
            return ctx.fail(path, label, f"should be text{hint}, not {_shown(value)}")
        if not value.strip():
            return ctx.fail(path, label, "is empty")
        hidden = HIDDEN.search(value)
        if hidden:
            return ctx.fail(path, label, f"holds an invisible control or text-direction "
                                         f"character (U+{ord(hidden.group()):04X}): delete it")
        if check is not None:
            message = check(value)
            if message:
                return ctx.fail(path, label, message)
        return value

    raise TypeError(f"no reader for {tp!r}")  # a bug in the model, not in the data


def label_for(value: Any, path: Path) -> str:
    """The admin-facing name of a path, as in contacts[csh-surrey].email."""
    label = "(top level)"
    for step in path:
        if isinstance(step, int) and isinstance(value, list):
            item = value[step] if step < len(value) else None
            label = f"{label}[{_item_name(item, step)}]"
            value = item
        else:
            label = _join(label, str(step))
            value = value.get(step) if isinstance(value, dict) else None
    return label


# The field that names an entry of a list in messages, as in contacts[cspa].
NAMING_FIELDS = ("id", "number", "term")


def _item_name(item: Any, index: int) -> str:
    if isinstance(item, dict):
        for key in NAMING_FIELDS:
            if isinstance(item.get(key), (str, int)) and not isinstance(item.get(key), bool):
                return str(item[key])
    return f"#{index + 1}"


def _read_dataclass(cls, value, path: Path, label: str, ctx: _Context):
    if not isinstance(value, dict):
        return ctx.fail(path, label, f"should be {_describe(cls)}, not {_shown(value)}")
    hints = typing.get_type_hints(cls)
    fields = {f.name: f for f in dataclasses.fields(cls)}
    failed = False
    for key in value:
        if key not in fields:
            close = difflib.get_close_matches(str(key), fields, n=1)
            advice = RENAMED.get((cls.__name__, str(key))) or (
                f"did you mean '{close[0]}'?" if close else (
                    "the fields allowed here are " + ", ".join(fields)))
            ctx.fail(path + (key,), _join(label, str(key)), f"unknown field: {advice}")
    kwargs = {}
    for name, f in fields.items():
        field_label = _join(label, name)
        if name not in value:
            if is_required(f):
                ctx.fail(path, field_label, f"missing: {f.metadata.get('doc', '')}")
                failed = True
            continue
        result = _read(hints[name], value[name], path + (name,), field_label, ctx,
                       f.metadata.get("check"))
        if result is _FAILED:
            failed = True
        else:
            kwargs[name] = result
    return _FAILED if failed else cls(**kwargs)


def _join(label: str, name: str) -> str:
    if not name.strip():  # a key that is empty or only spaces: show it in quotes
        name = f"'{name}'"
    return name if label == "(top level)" else f"{label}.{name}"
