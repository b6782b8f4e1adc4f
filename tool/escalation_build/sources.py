"""Read a partnership's YAML files with the line of every value.

PyYAML's composer keeps each node's position; we build plain data from the node tree
ourselves so that every path gets a line and a repeated key is reported instead of
silently overwriting the first (PyYAML's default).

Whatever is in a file, reading it ends in data or in problems with a file and a line,
never in a traceback: the bytes must be UTF-8, the text must be printable, only plain
YAML values are read (no tags, no merge keys), nesting is shallow and aliases may not
multiply the file beyond what any procedure needs.
"""

from __future__ import annotations

import dataclasses
import re
from datetime import date
from pathlib import Path as FilePath
from typing import Any

import yaml

from escalation import model
from escalation.checks import Documents, load
from escalation.model import Data
from escalation.problems import DataError, Problem
from escalation.reading import label_for, line_of
from escalation_build.bank_holidays import region_problem

# Far above any real partnership's file (Surrey's largest is about 10 KB and 700 values),
# far below what would slow the check: a file past these is refused, not read.
MAX_FILE_BYTES = 1_000_000
MAX_VALUES = 50_000
MAX_DEPTH = 40

_PLAIN = (str, int, float, bool, type(None))
_MERGE = "tag:yaml.org,2002:merge"


class _Loader(yaml.SafeLoader):
    """PyYAML's safe loader, reading unquoted values as YAML 1.2 does, as the admin's
    editor and the schemas' checker (check-jsonschema) do: true and false are the only
    booleans ('yes', 'no', 'on' and 'off' are text), 17:00 is text (YAML 1.1 made it the
    number 1020), and 0300 is a number, so that editor and check agree on what needs
    quotes. Dates stay text (an unquoted 2026-02-30 would stop PyYAML with a traceback),
    and the model reads them with a message."""


_YAML_1_1_ONLY = {"tag:yaml.org,2002:timestamp", "tag:yaml.org,2002:bool",
                  "tag:yaml.org,2002:int", "tag:yaml.org,2002:float"}
_Loader.yaml_implicit_resolvers = {
    first: [(tag, pattern) for tag, pattern in resolvers if tag not in _YAML_1_1_ONLY]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
# A lone '=' is YAML 1.1's "value" key, which nothing constructs: read it as text.
_Loader.yaml_implicit_resolvers["="] = []
# YAML 1.2's core schema (yaml.org/spec/1.2.2, section 10.3.2).
_CORE = {
    "tag:yaml.org,2002:bool": (r"^(?:true|True|TRUE|false|False|FALSE)$", "tTfF"),
    "tag:yaml.org,2002:int": (r"^(?:[-+]?[0-9]+|0o[0-7]+|0x[0-9a-fA-F]+)$", "-+0123456789"),
    "tag:yaml.org,2002:float": (
        r"^(?:[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?"
        r"|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$", "-+.0123456789"),
}
for _tag, (_pattern, _first) in _CORE.items():
    _Loader.add_implicit_resolver(_tag, re.compile(_pattern), list(_first))


def _core_int(loader: yaml.SafeLoader, node: yaml.ScalarNode) -> int:
    text = loader.construct_scalar(node)
    if text.startswith(("0o", "0x")):
        return int(text[2:], 8 if text[1] == "o" else 16)
    return int(text, 10)  # 0300 is three hundred, not YAML 1.1's octal 192


def _core_bool(loader: yaml.SafeLoader, node: yaml.ScalarNode) -> bool:
    return loader.construct_scalar(node).lower() == "true"


_Loader.add_constructor("tag:yaml.org,2002:int", _core_int)
_Loader.add_constructor("tag:yaml.org,2002:bool", _core_bool)


class _Unreadable(Exception):
    def __init__(self, line: int | None, field: str, message: str):
        super().__init__(message)
        self.line, self.field, self.message = line, field, message


def decode(raw: bytes, file: str) -> tuple[str | None, list[Problem]]:
    """The file's text, or a problem saying what is wrong with its encoding."""
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")) or (len(raw) > 1 and b"\x00" in raw[:4]):
        return None, [Problem(file, 1, "(file)",
                              "the file is saved as UTF-16, not UTF-8: save it again as "
                              "UTF-8 (in most editors: Save as, Encoding, UTF-8)")]
    try:
        return raw.decode("utf-8-sig"), []
    except UnicodeDecodeError as error:
        line = raw[:error.start].count(b"\n") + 1
        byte = raw[error.start]
        return None, [Problem(file, line, "(file)",
                              f"the byte 0x{byte:02X} is not UTF-8 text: the file was saved in "
                              "another encoding (such as Windows-1252); save it again as UTF-8 "
                              "and check the accented letters on this line")]


def read_yaml(text: str, file: str) -> tuple[Any, dict, list[Problem]]:
    """Return (value, positions, problems) for one YAML document."""
    try:
        loader = _Loader(text)
    except yaml.reader.ReaderError as error:
        # PyYAML refuses control characters (even in a comment) before reading anything.
        at = text.count("\n", 0, error.position) + 1
        return None, {}, [Problem(file, at, "(file)",
                                  f"the character U+{error.character:04X} is a control "
                                  "character, not text: delete it (it is invisible in most "
                                  "editors; retype the line)")]
    try:
        root = loader.get_single_node()
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        line = mark.line + 1 if mark else None
        reason = getattr(error, "problem", None) or str(error)
        return None, {}, [Problem(file, line, "(syntax)",
                                  f"this is not valid YAML: {reason}; check the indentation "
                                  "and that text containing ': ' is in quotes")]
    except RecursionError:
        return None, {}, [Problem(file, None, "(file)",
                                  f"the file is nested too deeply: no data file needs more "
                                  f"than {MAX_DEPTH} levels of indentation")]
    finally:
        loader.dispose()
    positions: dict[tuple, int] = {}
    if root is None:
        return None, positions, [Problem(file, 1, "(file)", "the file is empty")]
    builder = _Builder(loader, positions)
    try:
        value = builder.build(root, (), 0)
    except _Unreadable as error:
        return None, {}, [Problem(file, error.line, error.field, error.message)]
    if value is None:
        return None, positions, [Problem(file, 1, "(file)",
                                         "the file holds no data (only '~' or 'null')")]
    problems = [Problem(file, line, label_for(value, path),
                        f"'{path[-1]}' is given twice in the same place; keep one")
                for line, path in builder.repeated]
    return value, positions, problems


_COLLECTION_TAGS = {"tag:yaml.org,2002:map", "tag:yaml.org,2002:seq"}


class _Builder:
    def __init__(self, loader: yaml.SafeLoader, positions: dict[tuple, int]):
        self.loader = loader
        self.positions = positions
        self.repeated: list[tuple[int, tuple]] = []
        self.count = 0

    def build(self, node, path: tuple, depth: int) -> Any:
        line = node.start_mark.line + 1
        self.count += 1
        if self.count > MAX_VALUES:
            raise _Unreadable(line, "(file)",
                              f"the file holds more than {MAX_VALUES} values once its aliases "
                              "(*name) are expanded: write each value out once instead")
        if depth > MAX_DEPTH:
            raise _Unreadable(line, "(file)",
                              f"the file is nested more than {MAX_DEPTH} levels deep (or an "
                              "alias (*name) refers to the value it is in): no data file needs "
                              "that")
        self.positions[path] = line
        if isinstance(node, yaml.ScalarNode):
            return self.scalar(node)
        if node.tag not in _COLLECTION_TAGS:
            raise _Unreadable(line, "(file)", _tag_message(node.tag))
        if isinstance(node, yaml.SequenceNode):
            return [self.build(item, path + (i,), depth + 1) for i, item in enumerate(node.value)]
        result: dict[Any, Any] = {}
        for key_node, value_node in node.value:
            key_line = key_node.start_mark.line + 1
            if key_node.tag == _MERGE:
                raise _Unreadable(key_line, label_for(result, path + ("<<",)),
                                  "merge keys ('<<') are not read here: write the fields out "
                                  "in full")
            if not isinstance(key_node, yaml.ScalarNode):
                raise _Unreadable(key_line, label_for(result, path),
                                  "a list or a set of fields is used as a field name: a name "
                                  "is a plain word such as 'email', followed by ': '")
            key = self.scalar(key_node)
            if key in result:
                self.repeated.append((key_line, path + (key,)))
                continue
            result[key] = self.build(value_node, path + (key,), depth + 1)
            self.positions[path + (key,)] = key_line
        return result

    def scalar(self, node: yaml.ScalarNode) -> Any:
        try:
            value = self.loader.construct_object(node, deep=True)
        except yaml.YAMLError:
            value = _Unreadable
        if not isinstance(value, _PLAIN):
            raise _Unreadable(node.start_mark.line + 1, "(file)", _tag_message(node.tag))
        return value


def _tag_message(tag: str) -> str:
    return (f"'{tag}' is not a kind of value these files use: remove the tag (the word "
            "starting with '!') and write plain text, a number, or true or false")


def read_documents(data_dir: FilePath) -> tuple[Documents, set[str], list[Problem]]:
    """Every data file read, the names of those present that could not be read, and the
    problems found reading them."""
    documents = {}
    unreadable: set[str] = set()
    problems: list[Problem] = []
    for name in model.FILES:
        file = data_dir / name
        if not file.is_file():
            continue
        value, positions, found = _read_file(file, name)
        problems += found
        if value is None:
            unreadable.add(name)
        else:
            documents[name] = (value, positions)
    known = set(model.FILES)
    for extra in sorted(data_dir.glob("*.y*ml")):
        if extra.name not in known:
            problems.append(Problem(extra.name, None, "(file)",
                                    "this file is not one the site reads: the data files are "
                                    + ", ".join(sorted(known))))
    return documents, unreadable, problems


def _read_file(file: FilePath, name: str) -> tuple[Any, dict, list[Problem]]:
    if file.stat().st_size > MAX_FILE_BYTES:
        return None, {}, [Problem(name, None, "(file)",
                                  f"the file is larger than {MAX_FILE_BYTES // 1_000_000} MB: "
                                  "a partnership's data file is a few KB; is it the right file?")]
    text, problems = decode(file.read_bytes(), name)
    if text is None:
        return None, {}, problems
    return read_yaml(text, name)


def load_data_dir(data_dir: FilePath | str, today: date | None = None) -> tuple[Data, list[Problem]]:
    """Read, check and build a data directory. Raises DataError with every problem."""
    data_dir = FilePath(data_dir)
    if not data_dir.is_dir():
        raise DataError([Problem(str(data_dir), None, "(folder)", "there is no such folder")])
    documents, unreadable, problems = read_documents(data_dir)
    try:
        data, warnings = load(documents, today=today, unreadable=unreadable)
    except DataError as error:
        raise DataError(_located(data_dir, problems + error.problems)) from None
    # The engine cannot know which regions the holidays package covers: asked here.
    region = data.partnership.region
    wrong = region_problem(region.country, region.subdivision)
    if wrong:
        name, message = wrong
        line = line_of(documents["partnership.yaml"][1], ("region", name))
        problems.append(Problem("partnership.yaml", line, f"region.{name}", message))
    if any(p.severity == "error" for p in problems):
        raise DataError(_located(data_dir, problems + warnings))
    return data, _located(data_dir, problems + warnings)


def _located(data_dir: FilePath, problems: list[Problem]) -> list[Problem]:
    """Name each file by its path, so that the message says which partnership's file."""
    return [dataclasses.replace(p, file=str(data_dir / p.file)) if "/" not in p.file else p
            for p in problems]
