"""Every pack the repository holds, with its data and its own test expectations.

A pack is a folder with a mkdocs.yml, data/ and content/: the repository root (the default
site) and each partnerships/<slug>/. Beside its mkdocs.yml, the pack's expected.yaml says
what the tests expect of it, counted by hand from its source procedure, so that no test
names a pack:

- start: the moment (YYYY-MM-DD HH:MM:SS) the tests fix the browser's clock to; its date
  is typed as the start of the process.
- routes: for each chooser outcome whose route plans a procedure,
  - no_later_than: the tool's "No later than" column, stage by stage;
  - time_of_day, for a route that asks the time of day (a timescale in hours): field, the
    label of the box the time is typed in; typed, what is typed; no_later_than, the column
    once it is typed.
- own_names: names that are the pack's alone, which no other pack's site may say (the
  partnership's name and area and its contacts' emails, addresses and phone numbers are
  taken from data/ and need not be listed). Never a short name several packs use.
- stories (optional): for each practitioner's story in tests/test_stories.py that this
  pack's procedure has a route for, keyed by the story's id,
  - journey: the questions the option chooser asks that person, in order, and the answer
    they give, each written [the question starts with, the answer starts with];
  - route: the chooser outcome the procedure sends them to.
  A pack without the key has none of the stories, so no journeys.
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from datetime import datetime
from functools import cached_property
from pathlib import Path
from typing import Any

import yaml

from conftest import FIXTURE, ROOT
from escalation_build.sources import load_data_dir

EXPECTED_FILE = "expected.yaml"


@dataclass(frozen=True)
class TimeOfDay:
    field: str
    typed: str
    no_later_than: tuple[str, ...]


@dataclass(frozen=True)
class RouteExpected:
    no_later_than: tuple[str, ...]
    time_of_day: TimeOfDay | None


@dataclass(frozen=True)
class Journey:
    # (the question asked starts with, the answer given starts with), in the order asked
    steps: tuple[tuple[str, str], ...]
    route: str


@dataclass(frozen=True)
class Expected:
    start: datetime
    routes: dict[str, RouteExpected]
    own_names: tuple[str, ...]
    stories: dict[str, Journey]


@dataclass(frozen=True)
class Pack:
    folder: Path

    @property
    def label(self) -> str:
        """For test ids and messages: the pack's folder, from the repository root."""
        return self.folder.relative_to(ROOT).as_posix() if self.folder != ROOT else "root"

    @property
    def mkdocs(self) -> Path:
        return self.folder / "mkdocs.yml"

    @property
    def data_dir(self) -> Path:
        return self.folder / "data"

    @property
    def expected_file(self) -> Path:
        return self.folder / EXPECTED_FILE

    @cached_property
    def data(self) -> Any:
        data, _ = load_data_dir(self.data_dir)
        return data

    @cached_property
    def expected(self) -> Expected:
        return load_expected(self.expected_file)


def discover(root: Path = ROOT) -> list[Pack]:
    """The root pack (when the root has a mkdocs.yml) and every partnerships/*/mkdocs.yml."""
    folders = [root] if (root / "mkdocs.yml").is_file() else []
    folders += sorted(p.parent for p in (root / "partnerships").glob("*/mkdocs.yml"))
    return [Pack(folder) for folder in folders]


PACKS = discover()
# The default site frozen (tests/fixture_site, never a pack of PACKS), whose tests assert its
# own facts (its partnership's id among them). It has no expected.yaml: its tests say it all.
FIXTURE_PACK = Pack(FIXTURE)


def pack_ids(packs: list[Pack] = PACKS) -> list[str]:
    """Test ids for a list parametrized over packs (or over something of each pack)."""
    return [pack.label for pack in packs]


def _where(path: Path) -> str:
    return path.relative_to(ROOT).as_posix() if path.is_relative_to(ROOT) else str(path)


def _strings(value: Any, where: str) -> tuple[str, ...]:
    assert isinstance(value, list) and value and all(isinstance(v, str) for v in value), (
        f"{where} must be a list of texts, one a row")
    return tuple(value)


def _keys(value: Any, where: str, required: set[str], optional: tuple[str, ...] = ()) -> dict:
    assert isinstance(value, dict), f"{where} must be a mapping with {', '.join(sorted(required))}"
    missing, unknown = required - set(value), set(value) - required - set(optional)
    assert not missing, f"{where} has no {', '.join(sorted(missing))}"
    assert not unknown, f"{where} has {', '.join(sorted(unknown))}, which the tests do not read"
    return value


def load_expected(path: Path) -> Expected:
    """A pack's expected.yaml, or an AssertionError naming the file and what is wrong."""
    name = _where(path)
    assert path.is_file(), (
        f"{name} is missing: each pack keeps its hand-counted test expectations beside its "
        "mkdocs.yml (see tests/packs.py for what it holds)")
    try:
        doc = yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as error:
        raise AssertionError(f"{name} is not valid YAML: {error}") from None
    doc = _keys(doc, name, {"start", "routes", "own_names"}, ("stories",))
    start = doc["start"]
    assert isinstance(start, datetime), (
        f"{name}: start must be a moment written YYYY-MM-DD HH:MM:SS, not {start!r}")
    assert isinstance(doc["routes"], dict) and doc["routes"], (
        f"{name}: routes must map each outcome that plans a procedure to its dates")
    routes = {}
    for outcome, value in doc["routes"].items():
        where = f"{name}: routes: {outcome}"
        value = _keys(value, where, {"no_later_than"}, ("time_of_day",))
        time_of_day = None
        if value.get("time_of_day") is not None:
            hours = _keys(value["time_of_day"], f"{where}: time_of_day",
                          {"field", "typed", "no_later_than"})
            for key in ("field", "typed"):
                assert isinstance(hours[key], str) and hours[key].strip(), (
                    f"{where}: time_of_day: {key} must be a text")
            time_of_day = TimeOfDay(
                field=" ".join(hours["field"].split()), typed=hours["typed"],
                no_later_than=_strings(hours["no_later_than"],
                                       f"{where}: time_of_day: no_later_than"))
        routes[str(outcome)] = RouteExpected(
            no_later_than=_strings(value["no_later_than"], f"{where}: no_later_than"),
            time_of_day=time_of_day)
    names = doc["own_names"]
    assert isinstance(names, list) and all(isinstance(n, str) and n.strip() for n in names), (
        f"{name}: own_names must be a list of names (or [])")
    return Expected(start=start, routes=routes, own_names=tuple(names),
                    stories=_stories(doc.get("stories"), name))


def _text(value: Any) -> bool:
    return isinstance(value, str) and bool(value.strip())


def _stories(value: Any, name: str) -> dict[str, Journey]:
    """The stories key: each story's journey through the chooser and the route it reaches."""
    if value is None:
        return {}
    assert isinstance(value, dict) and value, (
        f"{name}: stories must map each story's id (from tests/test_stories.py) to its "
        "journey and route, or be left out when the pack has none of the stories")
    stories = {}
    for story, told in value.items():
        where = f"{name}: stories: {story}"
        told = _keys(told, where, {"journey", "route"})
        journey = told["journey"]
        assert isinstance(journey, list) and journey, (
            f"{where}: journey must be a list of [question, answer] pairs, one for each "
            "question asked")
        steps = []
        for n, step in enumerate(journey, 1):
            assert isinstance(step, list) and len(step) == 2 and all(map(_text, step)), (
                f"{where}: journey, step {n}: {step!r} must be two texts, [the question "
                "starts with, the answer starts with] (quote \"Yes\" and \"No\": bare, "
                "YAML reads them as true and false)")
            steps.append((step[0], step[1]))
        assert _text(told["route"]), f"{where}: route must be the id of a chooser outcome"
        stories[str(story)] = Journey(steps=tuple(steps), route=told["route"])
    return stories


def own_facts(pack: Pack) -> set[str]:
    """What the pack's site says and another's must not: its partnership's name and area,
    its contacts' emails (lower case), addresses and phone numbers of more than 3 digits
    (999 is everyone's), as written and as digits alone, and its own names."""
    data = pack.data
    facts = {data.partnership.name, data.partnership.area, *pack.expected.own_names}
    for contact in data.contacts.contacts:
        for field in fields(contact):
            value = getattr(contact, field.name)
            if not isinstance(value, str) or not value.strip():
                continue
            if "email" in field.name:
                facts.add(value.lower())
            elif field.name.endswith("phone"):  # phone, textphone; not phone_note
                digits = "".join(c for c in value if c.isdigit())
                if len(digits) > 3:
                    facts |= {value, digits}
            elif field.name.endswith("address"):
                facts.add(value)
    return facts


def facts_of_other_packs(pack: Pack, packs: list[Pack] = PACKS) -> dict[str, str]:
    """Every other pack's own facts, each with the id of the partnership it belongs to. A
    fact two packs both hold (a national helpline, a shared name) is neither's own and is
    left out."""
    owners: dict[str, set[Pack]] = {}
    for other in packs:
        for fact in own_facts(other):
            owners.setdefault(fact, set()).add(other)
    return {fact: next(iter(held)).data.partnership.id for fact, held in owners.items()
            if len(held) == 1 and pack not in held}
