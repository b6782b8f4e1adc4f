"""Read a partnership's YAML files with the line of every value.

PyYAML's composer keeps each node's position; we build plain data from the node tree
ourselves so that every path gets a line and a repeated key is reported instead of
silently overwriting the first (PyYAML's default).
"""

from __future__ import annotations

import dataclasses
from datetime import date
from pathlib import Path as FilePath
from typing import Any

import yaml

from escalation import model
from escalation.checks import Documents, load
from escalation.model import Data
from escalation.problems import DataError, Problem
from escalation.reading import label_for


def read_yaml(text: str, file: str) -> tuple[Any, dict, list[Problem]]:
    """Return (value, positions, problems) for one YAML document."""
    loader = yaml.SafeLoader(text)
    try:
        root = loader.get_single_node()
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        line = mark.line + 1 if mark else None
        reason = getattr(error, "problem", None) or str(error)
        return None, {}, [Problem(file, line, "(syntax)",
                                  f"this is not valid YAML: {reason}; check the indentation "
                                  "and that text containing ': ' is in quotes")]
    finally:
        loader.dispose()
    positions: dict[tuple, int] = {}
    if root is None:
        return None, positions, [Problem(file, 1, "(file)", "the file is empty")]
    repeated: list[tuple[int, tuple]] = []
    value = _build(root, (), positions, repeated, loader)
    problems = [Problem(file, line, label_for(value, path),
                        f"'{path[-1]}' is given twice in the same place; keep one")
                for line, path in repeated]
    return value, positions, problems


def _build(node, path, positions, repeated, loader):
    positions[path] = node.start_mark.line + 1
    if isinstance(node, yaml.MappingNode):
        result = {}
        for key_node, value_node in node.value:
            key = loader.construct_object(key_node, deep=True)
            if key in result:
                repeated.append((key_node.start_mark.line + 1, path + (key,)))
                continue
            result[key] = _build(value_node, path + (key,), positions, repeated, loader)
            positions[path + (key,)] = key_node.start_mark.line + 1
        return result
    if isinstance(node, yaml.SequenceNode):
        return [_build(item, path + (i,), positions, repeated, loader)
                for i, item in enumerate(node.value)]
    return loader.construct_object(node, deep=True)


def read_documents(data_dir: FilePath) -> tuple[Documents, list[Problem]]:
    documents = {}
    problems: list[Problem] = []
    for name in model.FILES:
        file = data_dir / name
        if not file.exists():
            continue
        value, positions, found = read_yaml(file.read_text(encoding="utf-8"), name)
        problems += found
        if value is not None:
            documents[name] = (value, positions)
    known = set(model.FILES)
    for extra in sorted(data_dir.glob("*.y*ml")):
        if extra.name not in known:
            problems.append(Problem(extra.name, None, "(file)",
                                    "this file is not one the site reads: the data files are "
                                    + ", ".join(sorted(known))))
    return documents, problems


def load_data_dir(data_dir: FilePath | str, today: date | None = None) -> tuple[Data, list[Problem]]:
    """Read, check and build a data directory. Raises DataError with every problem."""
    data_dir = FilePath(data_dir)
    if not data_dir.is_dir():
        raise DataError([Problem(str(data_dir), None, "(folder)", "there is no such folder")])
    documents, problems = read_documents(data_dir)
    try:
        data, warnings = load(documents, today=today)
    except DataError as error:
        raise DataError(_located(data_dir, problems + error.problems)) from None
    if any(p.severity == "error" for p in problems):
        raise DataError(_located(data_dir, problems + warnings))
    return data, _located(data_dir, problems + warnings)


def _located(data_dir: FilePath, problems: list[Problem]) -> list[Problem]:
    """Name each file by its path, so that the message says which partnership's file."""
    return [dataclasses.replace(p, file=str(data_dir / p.file)) if "/" not in p.file else p
            for p in problems]
