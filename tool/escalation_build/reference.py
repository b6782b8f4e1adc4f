"""The admins' reference to the data files, written from the model: every file, every
field, its type, whether it must be given, and an example from the site's own data.

The model's field descriptions are the words the schemas give editors, so the page, the
editor and the check say the same thing.
"""

from __future__ import annotations

import dataclasses
import types
import typing
from datetime import date
from typing import Any, Literal

from escalation import model
from escalation.model import Data

from .markdown_text import text
from .schemas import FOLDER, schema_file

_EXAMPLE_LENGTH = 100


def _words(cls: type) -> str:
    """A class name as words: ClosureDay -> 'Closure day'."""
    name = cls.__name__
    spaced = "".join(f" {c.lower()}" if c.isupper() and i else c for i, c in enumerate(name))
    return spaced[0].upper() + spaced[1:]


def _anchor(data_file: str, cls: type | None = None) -> str:
    stem = data_file.removesuffix(".yaml")
    return f"{stem}-yaml" + (f"-{cls.__name__.lower()}" if cls is not None else "")


def _type(tp, check, data_file: str) -> str:
    """What a value of this type is, in words, with a link to a set of fields' own list."""
    origin, args = typing.get_origin(tp), typing.get_args(tp)
    if origin in (typing.Union, types.UnionType):
        return _type(next(a for a in args if a is not type(None)), check, data_file)
    if origin is tuple:
        return "a list of " + _plural(_type(args[0], check, data_file))
    if origin is Literal:
        return "one of " + ", ".join(f"`{a}`" for a in args)
    if isinstance(tp, type) and dataclasses.is_dataclass(tp):
        return f"a set of fields, [{_words(tp).lower()}](#{_anchor(data_file, tp)})"
    if tp is bool:
        return "either `true` or `false`"
    if tp is int:
        if isinstance(check, model.within_range):
            return f"a whole number from {check.low} to {check.high}"
        return "a whole number"
    if tp is date:
        return "a date, YYYY-MM-DD"
    if tp is str:
        return "text"
    raise TypeError(f"no words for {tp!r}")  # a bug in the model, not in the data


def _plural(words: str) -> str:
    for single, many in (("a set of fields", "sets of fields"), ("a whole number", "whole numbers"),
                         ("a date", "dates"), ("text", "lines of text")):
        if words.startswith(single):
            return many + words[len(single):]
    return words


def _examples(data: Data) -> dict[tuple[type, str], Any]:
    """The first value this site's data gives each field of each kind of entry."""
    found: dict[tuple[type, str], Any] = {}

    def walk(value: Any) -> None:
        if isinstance(value, tuple):
            for item in value:
                walk(item)
        elif dataclasses.is_dataclass(value) and not isinstance(value, type):
            for f in dataclasses.fields(value):
                inner = getattr(value, f.name)
                if inner not in (None, (), f.default):
                    found.setdefault((type(value), f.name), inner)
                walk(inner)

    walk(data)
    return found


def _example(value: Any) -> str | None:
    if isinstance(value, tuple):
        value = value[0] if value else None
    if value is None or dataclasses.is_dataclass(value):
        return None
    if isinstance(value, bool):
        return f"`{str(value).lower()}`"
    shown = value.isoformat() if isinstance(value, date) else str(value)
    if len(shown) > _EXAMPLE_LENGTH:
        shown = shown[:_EXAMPLE_LENGTH].rsplit(" ", 1)[0] + " …"
    return text(shown)


def _fields(cls: type, data_file: str, examples: dict) -> list[str]:
    hints = typing.get_type_hints(cls)
    lines = []
    for f in dataclasses.fields(cls):
        if model.is_required(f):
            need = "**Required.**"
        elif f.default not in (None, ()):
            default = str(f.default).lower() if isinstance(f.default, bool) else f.default
            need = f"Optional (if left out: {text(str(default))})."
        else:
            need = "Optional."
        kind = _type(hints[f.name], f.metadata.get("check"), data_file)
        doc = text(f.metadata.get("doc", ""))
        lines += [f"`{f.name}`", f":   {need} {kind[0].upper()}{kind[1:]}. {doc}"]
        example = _example(examples.get((cls, f.name)))
        if example:
            lines += ["", f"    For example, in this site's data: {example}"]
        elif (example := _example(model.EXAMPLES.get((cls.__name__, f.name)))):
            lines += ["", f"    For example: {example}"]
        lines.append("")
    return lines


def _nested(cls: type) -> list[type]:
    """The sets of fields inside a file's top level, each once, in the order first met."""
    seen: list[type] = []

    def visit(tp) -> None:
        if isinstance(tp, type) and dataclasses.is_dataclass(tp):
            if tp not in seen:
                seen.append(tp)
                for hint in typing.get_type_hints(tp).values():
                    visit(hint)
        else:
            for arg in typing.get_args(tp):
                visit(arg)

    visit(cls)
    return seen[1:]


def data_reference(data: Data) -> str:
    """Markdown for the reference page: each file, then each set of fields in it."""
    examples = _examples(data)
    out = []
    for data_file, cls in model.FILES.items():
        required = "Every site needs it." if data_file in model.REQUIRED_FILES else (
            "A site may leave it out.")
        out += [f"## `{data_file}` {{#{_anchor(data_file)}}}", "",
                f"{text(' '.join((cls.__doc__ or '').split()))} {required} Its schema: "
                f"`{FOLDER}/{schema_file(data_file)}`.", ""]
        out += _fields(cls, data_file, examples)
        for inner in _nested(cls):
            out += [f"### {_words(inner)} {{#{_anchor(data_file, inner)}}}", "",
                    f"A set of fields in `{data_file}`.", ""]
            out += _fields(inner, data_file, examples)
    return "\n".join(out)
