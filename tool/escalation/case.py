"""One practitioner's case as the tool keeps it: what they answered and typed.

The page keeps this as plain JSON in sessionStorage and posts it with every change. It
arrives from the browser, or from a case file someone opened, so it is read defensively:
anything of the wrong shape is dropped, never trusted, and nothing in it is needed to
compute a date except the dates themselves (no name is ever required).
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, time
from typing import Any

from .model import check_id
from .state_paths import (
    ANSWERS,
    CHOICE,
    EMAILS,
    FIELDS,
    PLANS,
    PRIORITY,
    RECORD_FIELDS,
    STAGES,
    STEP_FIELDS,
    STEPS,
)

# --- typed dates ------------------------------------------------------------------------

_MONTHS = {name: number for number, names in enumerate(
    (("jan", "january"), ("feb", "february"), ("mar", "march"), ("apr", "april"),
     ("may",), ("jun", "june"), ("jul", "july"), ("aug", "august"),
     ("sep", "sept", "september"), ("oct", "october"), ("nov", "november"),
     ("dec", "december")), start=1) for name in names}
_ISO = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$")
_DAY_MONTH_YEAR = re.compile(r"^(\d{1,2})[\s/.-]+([a-z]+|\d{1,2})[\s/.,-]+(\d+)$")
EXAMPLE = "24/12/2026"


def parse_day(text: str) -> date:
    """A date as people type it in the UK: 24/12/2026, 24 12 2026, 24-12-2026,
    24 Dec 2026, 24 December 2026, or 2026-12-24. ValueError says what is wrong, in
    words to show beside the field (GOV.UK date input messages)."""
    typed = " ".join(text.strip().lower().split())
    if match := _ISO.match(typed):
        year, month, day = (int(g) for g in match.groups())
    elif match := _DAY_MONTH_YEAR.match(typed):
        day_text, month_text, year_text = match.groups()
        day, year = int(day_text), int(year_text)
        month = int(month_text) if month_text.isdigit() else _MONTHS.get(month_text, 0)
        if not month_text.isdigit() and not month:
            raise ValueError(f"Enter the month as a number or a name, such as {EXAMPLE}.")
        if len(year_text) != 4:
            raise ValueError(f"Enter the year in full, with 4 digits, such as {EXAMPLE}.")
    else:
        raise ValueError(f"Enter the date as day, month and year, such as {EXAMPLE}.")
    if not 1 <= month <= 12:
        raise ValueError("The month must be from 1 to 12.")
    if not 1900 <= year <= 2999:
        raise ValueError(f"Enter a real year, such as {EXAMPLE[-4:]}.")
    try:
        return date(year, month, day)
    except ValueError:
        last = (date(year + month // 12, month % 12 + 1, 1) - date(year, month, 1)).days
        raise ValueError(f"{text.strip()} is not a real date: "
                         f"{date(year, month, 1):%B %Y} has {last} days.") from None


_TIME = re.compile(r"^(\d{1,2})(?:[:.](\d{2}))?\s*(am|pm)?$")
TIME_EXAMPLE = "14:30"


def parse_time(text: str) -> time:
    """A time of day as people type it: 14:30, 14.30, 2.30pm, 2pm, 9am. ValueError says
    what is wrong, in words to show beside the field."""
    typed = text.strip().lower().replace(" ", "")
    match = _TIME.match(typed)
    if not match:
        raise ValueError(f"Enter the time as hours and minutes, such as {TIME_EXAMPLE} or 2.30pm.")
    hour, minute = int(match.group(1)), int(match.group(2) or 0)
    if match.group(3):
        if not 1 <= hour <= 12:
            raise ValueError("With am or pm, the hour must be from 1 to 12.")
        hour = hour % 12 + (12 if match.group(3) == "pm" else 0)
    elif match.group(2) is None:
        raise ValueError(f"Enter the minutes too, such as {TIME_EXAMPLE}, or add am or pm.")
    if hour > 23 or minute > 59:
        raise ValueError(f"{text.strip()} is not a time of day: use 00:00 to 23:59.")
    return time(hour, minute)


# --- the case ---------------------------------------------------------------------------

# The most a field holds: the page says so beside a field before it is reached (its
# maxlength is this), so nothing typed is ever cut short here; it only stops a damaged file.
MAX_TEXT = 20_000
_MAX_TEXT = MAX_TEXT
# A key the page may use as a part of a state path: a field id (placeholders have
# underscores), never one a JavaScript object has already (__proto__, constructor...).
_KEY = re.compile(r"^[a-z0-9][a-z0-9_-]{0,63}$")
_OBJECT_KEYS = frozenset({"constructor", "prototype", "tostring", "valueof",
                          "hasownproperty", "isprototypeof", "propertyisenumerable",
                          "tolocalestring"})
_STAGE = re.compile(r"^[1-9][0-9]{0,2}$")


def usable_key(key: Any) -> bool:
    """Whether a key from the page or a case file is one of the state's own data keys."""
    return isinstance(key, str) and bool(_KEY.match(key)) and key not in _OBJECT_KEYS


@dataclass(frozen=True)
class StageEntry:
    """What the practitioner recorded for one stage, as typed (dates are still text)."""

    started: str = ""
    completed: str = ""
    who: str = ""       # who they contacted
    how: str = ""       # how: email, phone, meeting
    outcome: str = ""   # the outcome, or why they moved to the next stage


@dataclass(frozen=True)
class StepEntry:
    """When the practitioner recorded a step of a stage as done, as typed."""

    done: str = ""
    done_time: str = ""  # only asked for when a timescale in hours runs from the step


_CASE_ID = re.compile(r"^[A-Za-z0-9-]{8,64}$")


@dataclass(frozen=True)
class PlanRecord:
    """One procedure's dates and stage records in a case: a case may follow more than one
    procedure (a referral followed up, then escalated), each with its own."""

    start: str = ""
    start_time: str = ""  # only asked for when a timescale is in hours
    stages: dict[int, StageEntry] = field(default_factory=dict)
    steps: dict[str, StepEntry] = field(default_factory=dict)  # step id -> its record
    priority: str = ""  # the id of the priority chosen, for timescales that depend on it


@dataclass(frozen=True)
class Case:
    id: str = ""  # random, made by the page when the case begins; never typed
    answers: dict[str, str] = field(default_factory=dict)   # question id -> answer label
    plans: dict[str, PlanRecord] = field(default_factory=dict)  # procedure id -> its record
    email_stage: str = ""
    agency: str = ""                                        # a contact id
    fields: dict[str, str] = field(default_factory=dict)    # placeholder / form field id
    emails: dict[str, dict[str, str]] = field(default_factory=dict)  # stage -> per-email fields

    def plan(self, procedure_id: str) -> PlanRecord:
        return self.plans.get(procedure_id, PlanRecord())


def _text(value: Any) -> str:
    return value[:_MAX_TEXT] if isinstance(value, str) else ""


def _texts(value: Any) -> dict[str, str]:
    if not isinstance(value, dict):
        return {}
    return {k: _text(v) for k, v in value.items() if usable_key(k) and isinstance(v, str) and v}


def _plan_record(raw: dict) -> PlanRecord:
    stages: dict[int, StageEntry] = {}
    for key, entry in (raw.get(STAGES) or {}).items() if isinstance(raw.get(STAGES),
                                                                         dict) else ():
        # isascii: "²" is a digit to Python, but no stage number.
        if _STAGE.match(str(key)) and isinstance(entry, dict):
            stages[int(key)] = StageEntry(**{f: _text(entry.get(f)) for f in RECORD_FIELDS})
    steps = {str(key): StepEntry(**{f: _text(entry.get(f)) for f in STEP_FIELDS})
             for key, entry in (raw.get(STEPS) or {}).items()
             if check_id(str(key)) is None and isinstance(entry, dict)} \
        if isinstance(raw.get(STEPS), dict) else {}
    priority = _text(raw.get(PRIORITY))
    return PlanRecord(start=_text(raw.get("start")), start_time=_text(raw.get("start_time")),
                      stages=stages, steps={k: e for k, e in steps.items() if e.done or e.done_time},
                      priority=priority if check_id(priority) is None else "")


def read_case(raw: Any, main_procedure: str = "") -> Case:
    """The case from the page's JSON state, keeping only what has the expected shape.

    A case from before each procedure kept its own record has its dates and stages at
    the top: they belong to `main_procedure`, the only one the tool planned then."""
    raw = raw if isinstance(raw, dict) else {}
    plans = {str(k): _plan_record(v) for k, v in (raw.get(PLANS) or {}).items()
             if isinstance(v, dict) and check_id(str(k)) is None} \
        if isinstance(raw.get(PLANS), dict) else {}
    if main_procedure and main_procedure not in plans and any(
            raw.get(k) for k in ("start", "start_time", STAGES)):
        plans[main_procedure] = _plan_record(raw)
    email = raw.get(CHOICE) if isinstance(raw.get(CHOICE), dict) else {}
    case_id = raw.get("id") if isinstance(raw.get("id"), str) else ""
    stage = _text(email.get("stage"))
    agency = _text(email.get("agency"))
    return Case(id=case_id if _CASE_ID.match(case_id) else "",
                answers=_texts(raw.get(ANSWERS)), plans=plans,
                email_stage=stage if _STAGE.match(stage) else "",
                agency=agency if check_id(agency) is None else "",
                fields=_texts(raw.get(FIELDS)),
                emails={str(k): _texts(v) for k, v in (raw.get(EMAILS) or {}).items()
                        if _STAGE.match(str(k)) and _texts(v)}
                if isinstance(raw.get(EMAILS), dict) else {})


def _plan_state(record: PlanRecord) -> dict[str, Any]:
    state: dict[str, Any] = {
        "start": record.start, "start_time": record.start_time,
        STAGES: {str(n): {f: getattr(e, f) for f in RECORD_FIELDS if getattr(e, f)}
                 for n, e in sorted(record.stages.items())}}
    if record.priority:
        state[PRIORITY] = record.priority
    if record.steps:
        state[STEPS] = {k: {f: getattr(e, f) for f in STEP_FIELDS if getattr(e, f)}
                        for k, e in sorted(record.steps.items())}
    return state


def case_state(case: Case) -> dict[str, Any]:
    """The case as the page keeps it (the inverse of read_case)."""
    return {
        "id": case.id,
        ANSWERS: dict(case.answers),
        PLANS: {k: _plan_state(v) for k, v in sorted(case.plans.items())},
        CHOICE: {"stage": case.email_stage, "agency": case.agency},
        FIELDS: dict(case.fields),
        EMAILS: {k: dict(v) for k, v in case.emails.items()},
    }


# --- the case file the practitioner keeps -----------------------------------------------

CASE_FILE_KIND = "escalation-case-file"
CASE_FILE_VERSION = 2  # 2: each procedure's dates and stages kept apart ("plans")
_READABLE_VERSIONS = (1, 2)


def case_file(case: Case, partnership_id: str, saved: datetime) -> str:
    """The case as a file to keep with the agency's own records (JSON, readable)."""
    return json.dumps({"kind": CASE_FILE_KIND, "version": CASE_FILE_VERSION,
                       "partnership": partnership_id, "saved": saved.isoformat(),
                       "case": case_state(case)}, indent=2, ensure_ascii=False) + "\n"


# A case file is a few kilobytes; with every field full it is still well under this.
MAX_CASE_FILE = 5_000_000  # characters (the page checks the file's size in bytes first)


def _kind(value: Any) -> str:
    if isinstance(value, bool):
        return "true or false"
    if isinstance(value, dict):
        return "a set of named values"
    return {list: "a list", str: "text", int: "a number", float: "a number",
            type(None): "empty (null)"}.get(type(value), "something else")


def _wrong(where: str, expected: str, value: Any) -> ValueError:
    return ValueError(f"This case file cannot be opened: {where} should be {expected}, but "
                      f"it is {_kind(value)}.")


def _check_texts(value: Any, where: str, expected: str = "text") -> None:
    if not isinstance(value, dict):
        raise _wrong(where, "a set of named values", value)
    for key, item in value.items():
        if not isinstance(item, str):
            raise _wrong(f"{where} “{key}”", expected, item)


def _check_plan(value: Any, where: str, word: str) -> None:
    if not isinstance(value, dict):
        raise _wrong(where, "a set of named values", value)
    for key in ("start", "start_time"):
        if key in value and not isinstance(value[key], str):
            raise _wrong(f"{where} “{key}”", "text", value[key])
    if STAGES in value:
        if not isinstance(value[STAGES], dict):
            raise _wrong(f"{where} “{STAGES}”", "a set of named values", value[STAGES])
        for number, entry in value[STAGES].items():
            _check_texts(entry, f"{where} {word} {number}")


def check_case_shape(raw: Any, main_procedure: str = "",
                     stage_words: Mapping[str, str] | None = None) -> None:
    """ValueError naming the first part of a case of the wrong shape (as saved by this
    tool, every part is text or a set of named texts). Parts it does not know are left
    out when it is read, not refused. `stage_words` gives each procedure's word for its
    stages ("step"), so a stage is named as the practitioner knows it."""
    words = stage_words or {}

    def word(procedure: str) -> str:
        return words.get(procedure, "stage")

    if not isinstance(raw, dict):
        raise _wrong("the case in it", "a set of named values", raw)
    if "id" in raw and not isinstance(raw["id"], str):
        raise _wrong("its id", "text", raw["id"])
    for key in (ANSWERS, FIELDS, CHOICE):
        if key in raw:
            _check_texts(raw[key], f"“{key}”")
    if EMAILS in raw:
        if not isinstance(raw[EMAILS], dict):
            raise _wrong(f"“{EMAILS}”", "a set of named values", raw[EMAILS])
        for stage, fields in raw[EMAILS].items():
            _check_texts(fields, f"the {word(main_procedure)} {stage} email")
    if PLANS in raw:
        if not isinstance(raw[PLANS], dict):
            raise _wrong(f"“{PLANS}”", "a set of named values", raw[PLANS])
        for procedure, record in raw[PLANS].items():
            _check_plan(record, f"the plan “{procedure}”", word(str(procedure)))
    _check_plan({k: raw[k] for k in ("start", "start_time", STAGES) if k in raw},
                "the plan", word(main_procedure))  # version 1 keeps its one plan at the top


def read_case_file(text: str, partnership_id: str, main_procedure: str = "",
                   stage_words: Mapping[str, str] | None = None) -> Case:
    """A case file saved by this tool, or ValueError saying plainly why it cannot be used
    (`stage_words`: each procedure's word for its stages, for the messages)."""
    if len(text) > MAX_CASE_FILE:
        raise ValueError(f"This file is too large to be a case file saved by this tool (they "
                         f"are far smaller than {MAX_CASE_FILE // 1_000_000} MB), so it is "
                         "not opened.")
    try:
        raw = json.loads(text)
    except ValueError:
        raise ValueError("This is not a case file saved by this tool: it cannot be read.") \
            from None
    if not isinstance(raw, dict) or raw.get("kind") != CASE_FILE_KIND:
        raise ValueError("This is not a case file saved by this tool.")
    if raw.get("version") not in _READABLE_VERSIONS:
        raise ValueError(f"This case file was saved by another version of the tool "
                         f"(version {raw.get('version')}); this one reads versions "
                         f"{' and '.join(str(v) for v in _READABLE_VERSIONS)}.")
    if raw.get("partnership") != partnership_id:
        raise ValueError(f"This case file was saved on another partnership's tool "
                         f"('{raw.get('partnership')}'): its procedures and contacts "
                         "differ, so open it there.")
    if "case" not in raw:
        raise ValueError("This case file has no case in it.")
    check_case_shape(raw["case"], main_procedure, stage_words)
    return read_case(raw["case"], main_procedure)
