"""The contract between the engine's view and the page: every view the engine makes has
exactly the fields view_shape.View declares, with the declared kinds of value, and
page.js reads every one of them (a field it never reads would be work for nothing, or a
fact the practitioner never sees)."""

from __future__ import annotations

import re
import types
import typing
from datetime import date
from pathlib import Path

import pytest
from test_references import every_path

import packs
from conftest import ROOT
from escalation import view_shape
from escalation.bundle import load_bundle
from escalation.journey import view
from escalation_build.bundle import make_bundle

PACKS = [pack.data_dir for pack in packs.PACKS]
PAGE_JS = ROOT / "tool" / "escalation_build" / "assets" / "tool" / "page.js"


def conforms(value, shape, where="view") -> list[str]:
    """What in `value` differs from the declared `shape` (a TypedDict or a type)."""
    origin, args = typing.get_origin(shape), typing.get_args(shape)
    if origin in (typing.Union, types.UnionType):
        if value is None and type(None) in args:
            return []
        return conforms(value, next(a for a in args if a is not type(None)), where)
    if typing.is_typeddict(shape):
        if not isinstance(value, dict):
            return [f"{where}: not a set of fields"]
        hints = typing.get_type_hints(shape)
        wrong = [f"{where}.{k}: not declared" for k in value if k not in hints]
        wrong += [f"{where}.{k}: missing" for k in hints if k not in value]
        for key, hint in hints.items():
            if key in value:
                wrong += conforms(value[key], hint, f"{where}.{key}")
        return wrong
    if origin is list:
        if not isinstance(value, list):
            return [f"{where}: not a list"]
        return [w for i, item in enumerate(value) for w in conforms(item, args[0], f"{where}[{i}]")]
    if shape is int and isinstance(value, bool):
        return [f"{where}: a true/false, not a number"]
    return [] if isinstance(value, shape) else [f"{where}: {type(value).__name__}, not {shape.__name__}"]


def states(data):
    """Every route, with dates typed, a stage recorded, and one done late."""
    for answers in every_path(data.chooser) if data.chooser else [{}]:
        plans = {p.id: {"start": "24/12/2026", "start_time": "14:30",
                        "stages": {"1": {"completed": "29/12/2026", "who": "My manager"},
                                   "2": {"started": "not a date"}}}
                 for p in data.procedures.procedures}
        yield {"answers": answers, "plans": plans, "email": {"stage": "", "agency": ""},
               "fields": {"child_family": "Case 4471"}, "emails": {"3": {"to_address": "x@"}}}


@pytest.mark.parametrize("data_dir", PACKS, ids=packs.pack_ids())
def test_every_view_has_exactly_the_declared_fields(data_dir: Path):
    bundle = load_bundle(make_bundle(data_dir, date(2026, 12, 2)))
    seen = 0
    for state in states(bundle.data):
        for now in ("2027-01-11T10:00", "2027-01-09T22:00"):
            assert conforms(view(bundle, state, now), view_shape.View) == []
            seen += 1
    assert seen >= 6


def declared_fields(shape) -> set[str]:
    fields: set[str] = set()
    for key, hint in typing.get_type_hints(shape).items():
        fields.add(key)
        for inner in [hint, *typing.get_args(hint)]:
            inner = typing.get_args(inner)[0] if typing.get_origin(inner) is list else inner
            if typing.is_typeddict(inner):
                fields |= declared_fields(inner)
    return fields


def test_the_page_reads_every_field_of_the_view():
    script = PAGE_JS.read_text(encoding="utf-8")
    unread = sorted(name for name in declared_fields(view_shape.View)
                    if not re.search(r"\.\s*" + name + r"\b|\[\s*\"" + name + r"\"\s*\]"
                                     r"|[{,]\s*" + name + r"\s*[,}]", script))
    assert unread == []
