"""What the tool knows at one moment, read once from what the page posts.

The view (tool_view) and the files to download (tool_files) both start from a
`Situation`: the partnership's bundle, the case as typed, the procedure the case follows
now (None for a route without stages, such as a referral), that procedure's dates and
records with any the plan rejects set aside, and the UK wall-clock time.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date, datetime, time
from typing import Any

from .agency_log import StageRecord
from .bundle import Bundle
from .case import Case, PlanRecord, StageEntry, parse_day, parse_time, read_case
from .chooser import route_for
from .model import Data, Procedure
from .timeline import Plan, needs_time, plan, timed_steps


@dataclass(frozen=True)
class Dates:
    """The case's dates, read from what was typed; problems name the field to show them at."""

    start: date | None
    started: dict[int, date]
    completed: dict[int, date]
    problems: list[dict[str, str]]
    start_at: time | None = None
    records: dict[int, StageEntry] = field(default_factory=dict)  # what was typed per stage
    done: dict[str, date] = field(default_factory=dict)  # step id -> the day it was done
    done_at: dict[str, time] = field(default_factory=dict)  # and its time, for hours
    priority: str | None = None  # the priority chosen, when the timescales depend on one

    def contacted(self, number: int) -> date | None:
        """When contact was made at a stage; stage 1 begins with the process unless a later
        day is typed for it (FaST: the discussion with the line manager)."""
        if number == 1:
            return self.started.get(1) or self.start
        return self.started.get(number)

    def stage_records(self) -> list[StageRecord]:
        """The stage log: for each stage with anything recorded, when contact was made,
        with whom, how and the outcome."""
        records = []
        for number, entry in sorted(self.records.items()):
            contacted = self.contacted(number)
            if contacted or entry.who or entry.how or entry.outcome:
                records.append(StageRecord(stage=number, date_contacted=contacted,
                                           who=entry.who.strip(), how=entry.how.strip(),
                                           outcome=entry.outcome.strip()))
        if self.start and not any(r.stage == 1 for r in records):
            records.insert(0, StageRecord(stage=1, date_contacted=self.contacted(1)))
        return records


@dataclass(frozen=True)
class Situation:
    bundle: Bundle
    case: Case
    procedure: Procedure | None  # None: the route chosen has no stages
    dates: Dates
    moment: datetime

    @property
    def data(self) -> Data:
        return self.bundle.data

    def plan(self) -> Plan | None:
        """The procedure's plan from the dates typed; None until there is a start date."""
        return _plan(self.bundle, self.procedure, self.dates, self.moment)


def read_situation(bundle: Bundle, state: dict[str, Any], now: str) -> Situation:
    """The case posted by the page, the procedure it follows now, and that procedure's
    dates and records, without stages the procedure does not have (from a damaged or
    hand-made case file). Each procedure keeps its own record, so changing route never
    moves one procedure's dates onto another's stages."""
    moment = datetime.fromisoformat(now)
    case = read_case(state, bundle.data.partnership.main_procedure)
    procedure = _procedure(bundle, case)
    if procedure is None:
        return Situation(bundle, case, None, Dates(None, {}, {}, []), moment)
    record = case.plan(procedure.id)
    numbers = {s.number for s in procedure.stages}
    record = replace(record, stages={n: e for n, e in record.stages.items() if n in numbers})
    dates = _set_aside_rejected(bundle, procedure, _read_dates(record, procedure), moment)
    return Situation(bundle, case, procedure, dates, moment)


def _procedure(bundle: Bundle, case: Case) -> Procedure | None:
    """The procedure the case follows: the chosen route's, the partnership's main one
    while no route is chosen, and none for a route without stages (such as a referral)."""
    chosen = route_for(bundle.data, case.answers)
    if chosen is None:
        return bundle.data.procedure()
    return bundle.data.procedure(chosen.procedure) if chosen.procedure else None


def _read_dates(record: PlanRecord, procedure: Procedure) -> Dates:
    problems: list[dict[str, str]] = []

    def read(text: str, field: str) -> date | None:
        if not text.strip():
            return None  # an empty field is not an error: it waits to be filled
        try:
            return parse_day(text)
        except ValueError as error:
            problems.append({"field": field, "message": str(error)})
            return None

    start = read(record.start, "start")
    start_at = None
    if needs_time(procedure) and record.start_time.strip():
        try:
            start_at = parse_time(record.start_time)
        except ValueError as error:
            problems.append({"field": "start-time", "message": str(error)})
    started, completed = {}, {}
    for number, entry in sorted(record.stages.items()):
        if day := read(entry.started, f"started-{number}"):
            started[number] = day
        if day := read(entry.completed, f"completed-{number}"):
            completed[number] = day
    steps = {step.id for stage in procedure.stages for step in stage.steps}
    timed = timed_steps(procedure)
    done, done_at = {}, {}
    for step_id, step_entry in sorted(record.steps.items()):
        if step_id not in steps:
            continue  # from another version of the pack, or a hand-made file
        if day := read(step_entry.done, f"done--{step_id}"):
            done[step_id] = day
        if step_id in timed and step_entry.done_time.strip():
            try:
                done_at[step_id] = parse_time(step_entry.done_time)
            except ValueError as error:
                problems.append({"field": f"done-time--{step_id}", "message": str(error)})
    known = {p.id for p in procedure.priorities}
    return Dates(start, started, completed, problems, start_at, dict(record.stages), done,
                 done_at, record.priority if record.priority in known else None)


def _plan(bundle: Bundle, procedure: Procedure | None, dates: Dates,
          moment: datetime) -> Plan | None:
    if dates.start is None or procedure is None:
        return None
    return plan(procedure, bundle.calendar, dates.start, today=moment,
                completed=dates.completed, started=dates.started, start_at=dates.start_at,
                done=dates.done, done_at=dates.done_at, priority=dates.priority)


def _set_aside_rejected(bundle: Bundle, procedure: Procedure, dates: Dates,
                        moment: datetime) -> Dates:
    """The dates without those the plan rejects (a completion before the start, a date in
    the future, a stage missed out): each keeps its message beside its field, and nothing
    else (the stage log, Appendix 1, the emails' "previous stage" date) uses it."""
    result = _plan(bundle, procedure, dates, moment)
    if result is None:
        return dates
    rejected = [{"field": p.field, "message": p.message} for p in result.problems
                if p.field.startswith(("started-", "completed-", "done--"))]
    fields = {p["field"] for p in rejected}
    return replace(
        dates, problems=dates.problems + rejected,
        started={n: d for n, d in dates.started.items() if f"started-{n}" not in fields},
        completed={n: d for n, d in dates.completed.items() if f"completed-{n}" not in fields},
        done={i: d for i, d in dates.done.items() if f"done--{i}" not in fields},
        done_at={i: t for i, t in dates.done_at.items() if f"done--{i}" not in fields})
