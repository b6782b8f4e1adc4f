"""JSON Schemas for the data files, generated from the model, so that an admin's editor
checks a file as it is typed and completes its field names.

Each data file's first line names its schema (`# yaml-language-server: $schema=...`),
which VS Code's YAML extension and other editors read. The schemas say what the reader
(escalation.reading) says of one file: the fields, which are required, their types and
what each check allows (model.CHECK_SCHEMAS). What needs several files, such as an id
that must name a contact, only `escalation check` can say.

The schemas are written into the repository's schemas/ folder by `escalation schemas`;
a test holds that the committed ones are these.
"""

from __future__ import annotations

import dataclasses
import json
import types
import typing
from datetime import date
from pathlib import Path
from typing import Any, Literal

from escalation import model
from escalation.reading import HIDDEN

DRAFT = "http://json-schema.org/draft-07/schema#"
FOLDER = "schemas"
_MODELINE = "# yaml-language-server: $schema="

# Text as the reader takes it: not empty, and no invisible control or direction character.
_TEXT = {
    "type": "string",
    "pattern": r"\S",
    "not": {"pattern": HIDDEN.pattern},
    "patternErrorMessage": "is empty",
}
_DATE = {
    "type": "string",
    "format": "date",
    "pattern": "^[0-9]{4}-[0-9]{2}-[0-9]{2}$",
    "patternErrorMessage": "should be a date written YYYY-MM-DD",
}


def schema_file(data_file: str) -> str:
    """The schema's file name for a data file, such as stages.schema.json."""
    return data_file.removesuffix(".yaml") + ".schema.json"


def modeline(data_file: Path, root: Path) -> str:
    """The first line a data file starts with: its schema's path, relative to the file."""
    up = [".."] * len(data_file.parent.relative_to(root).parts)
    return f"{_MODELINE}{Path(*up, FOLDER, schema_file(data_file.name)).as_posix()}"


def named_schema(text: str) -> str | None:
    """The schema path a data file's first line names, if it names one."""
    first = text.split("\n", 1)[0].strip()
    return first.removeprefix(_MODELINE).strip() if first.startswith(_MODELINE) else None


class _Builder:
    def __init__(self):
        self.definitions: dict[str, Any] = {"text": _TEXT, "date": _DATE}

    def object(self, cls: type) -> dict[str, Any]:
        hints = typing.get_type_hints(cls)
        properties, required = {}, []
        for f in dataclasses.fields(cls):
            prop: dict[str, Any] = {"description": f.metadata.get("doc", "")}
            if model.is_required(f):
                required.append(f.name)
            elif f.default is not None:
                prop["default"] = list(f.default) if isinstance(f.default, tuple) else f.default
            prop.update(self.value(hints[f.name], f.metadata.get("check")))
            example = model.EXAMPLES.get((cls.__name__, f.name))
            if example is not None:  # for a list, an example of one of its entries
                prop["examples"] = [[example] if typing.get_origin(hints[f.name]) is tuple
                                    else example]
            properties[f.name] = prop
        shape: dict[str, Any] = {"type": "object", "additionalProperties": False,
                                 "properties": properties}
        if required:
            shape["required"] = required
        if cls.__doc__ and cls in model.FILES.values():
            shape["description"] = " ".join(cls.__doc__.split())
        return shape

    def value(self, tp, check=None) -> dict[str, Any]:
        """The schema of one value; `check` applies to it (or, for a list, to each item)."""
        origin, args = typing.get_origin(tp), typing.get_args(tp)
        if origin in (typing.Union, types.UnionType):
            inner = [a for a in args if a is not type(None)]
            return {"anyOf": [self.value(inner[0], check), {"type": "null"}]}
        if origin is tuple:
            return {"type": "array", "items": self.value(args[0], check)}
        if origin is Literal:
            return {"enum": list(args)}
        if isinstance(tp, type) and dataclasses.is_dataclass(tp):
            name = tp.__name__
            if name not in self.definitions:
                self.definitions[name] = {}  # taken, before its own fields are read
                self.definitions[name] = self.object(tp)
            return {"allOf": [{"$ref": f"#/definitions/{name}"}]}
        if check is not None and check not in model.CHECK_SCHEMAS:  # a bug in the model
            raise TypeError(f"{check!r} has no JSON Schema keywords: decorate it with "
                            "@schema(...) in escalation/model.py")
        keywords = [model.CHECK_SCHEMAS[check]] if check is not None else []
        if tp is bool:
            return {"type": "boolean"}
        if tp is int:
            return {"type": "integer", **(keywords[0] if keywords else {})}
        if tp is date:
            return {"allOf": [{"$ref": "#/definitions/date"}]}
        if tp is str:
            return {"allOf": [{"$ref": "#/definitions/text"}, *keywords]}
        raise TypeError(f"no schema for {tp!r}")  # a bug in the model, not in the data


def schema_for(data_file: str) -> dict[str, Any]:
    """The JSON Schema of one data file, such as 'contacts.yaml'."""
    builder = _Builder()
    top = builder.object(model.FILES[data_file])
    return {"$schema": DRAFT, "title": data_file, **top, "definitions": builder.definitions}


def rendered() -> dict[str, str]:
    """Every schema's file name and text, as committed in schemas/."""
    return {schema_file(name): json.dumps(schema_for(name), indent=2, ensure_ascii=True) + "\n"
            for name in model.FILES}


def _stale(folder: Path) -> dict[str, str]:
    """The schemas (name and the model's text) missing from the folder or differing there."""
    return {name: text for name, text in rendered().items()
            if not (folder / name).is_file() or (folder / name).read_text("utf-8") != text}


def out_of_date(folder: Path) -> list[str]:
    """The schema files in the folder that are missing or differ from the model's."""
    return list(_stale(folder))


def write(folder: Path) -> list[str]:
    """Write every schema into the folder; return the names written anew."""
    stale = _stale(folder)
    folder.mkdir(parents=True, exist_ok=True)
    for name, text in stale.items():
        (folder / name).write_text(text, encoding="utf-8")
    return list(stale)
