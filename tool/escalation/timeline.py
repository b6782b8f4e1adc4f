"""Stage deadlines for one case, as the procedure sets them, and the drift rule.

FaST 7.2, Table 1: each stage is due within its timescale of the completion of the stage
before (stage 1: of the concern arising). A stage not yet completed is assumed to end at
its own deadline, so with nothing completed stage k of FaST is due at start + 2k working
days; completing a stage early brings the next deadline forward.

Drift (guidance for all agencies): "If you commence Stage 2, 3 or 4 and then leave it for
a week or more between Stages, you will need to start the process again at Stage 2."
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime, time
from typing import Literal

from .calendar import Calendar, Deadline, OutsideCalendar
from .model import Procedure, Stage
from .wording import long_date

# "no timescale": the procedure sets none; "waiting": counted from a stage before that has
# no timescale and is not yet completed.
Status = Literal["done", "due today", "overdue", "upcoming", "no timescale", "waiting"]


@dataclass(frozen=True)
class InputProblem:
    """Something wrong with what was typed, to show beside the field it names."""

    field: str  # "start", "completed-3", "started-2"
    message: str


@dataclass(frozen=True)
class StagePlan:
    number: int
    name: str
    who: str
    counted_from: date | None  # None when the stage before has no timescale and is open
    due: Deadline | None  # None when the procedure sets no timescale for it
    status: Status
    completed: date | None
    late: bool
    caveat: str | None
    capped: bool = False  # the procedure's overall limit comes first


@dataclass(frozen=True)
class Plan:
    start: date
    stages: tuple[StagePlan, ...]
    latest_end: Deadline | None  # None when the last stage has no timescale
    restart_at: int | None
    drift: str | None
    problems: tuple[InputProblem, ...]


def _status(stage: Stage, due: Deadline | None, completed: date | None,
            now: datetime) -> Status:
    if completed is not None:
        return "done"
    if due is None:
        return "no timescale" if stage.timescale is None else "waiting"
    if due.passed(now):
        return "overdue"
    if now.date() == due.day:
        return "due today"
    return "upcoming"


def _check_inputs(procedure: Procedure, start: date, completed: Mapping[int, date],
                  started: Mapping[int, date], today: date) -> list[InputProblem]:
    problems = []
    numbers = [s.number for s in procedure.stages]
    for name, dates in (("completed", completed), ("started", started)):
        for number, day in sorted(dates.items()):
            where = f"{name}-{number}"
            if number not in numbers:
                problems.append(InputProblem(where, f"There is no stage {number}."))
            elif day < start:
                problems.append(InputProblem(
                    where, f"Stage {number} cannot be {name} before the process started "
                           f"({long_date(start)})."))
            elif day > today:
                problems.append(InputProblem(
                    where, f"This date is in the future: enter it once stage {number} "
                           f"has {name}."))
    for number, day in sorted(completed.items()):
        earlier = completed.get(number - 1)
        if number - 1 in numbers and earlier is None:
            problems.append(InputProblem(
                f"completed-{number}", f"Stage {number} is completed but stage {number - 1} "
                                       "is not: no stage may be missed out."))
        elif earlier is not None and day < earlier:
            problems.append(InputProblem(
                f"completed-{number}", f"Stage {number} cannot be completed before stage "
                                       f"{number - 1} ({long_date(earlier)})."))
    return problems


def _accepted(procedure: Procedure, start: date, completed: dict[int, date],
              started: dict[int, date], today: date
              ) -> tuple[list[InputProblem], dict[int, date], dict[int, date]]:
    """The problems with the dates typed, and the dates the plan may use: a date shown as
    wrong changes nothing (no stage done, no deadline moved, no end date from it). Setting
    one aside can make another wrong (stage 2's completion once stage 1's is set aside),
    so this repeats until nothing more is set aside; each field keeps its first message."""
    problems: dict[str, InputProblem] = {}
    while True:
        for problem in _check_inputs(procedure, start, completed, started, today):
            problems.setdefault(problem.field, problem)
        kept_completed = {n: d for n, d in completed.items()
                          if f"completed-{n}" not in problems}
        kept_started = {n: d for n, d in started.items() if f"started-{n}" not in problems}
        if kept_completed == completed and kept_started == started:
            return list(problems.values()), completed, started
        completed, started = kept_completed, kept_started


def _drift(procedure: Procedure, completed: Mapping[int, date], started: Mapping[int, date],
           today: date) -> str | None:
    rule = procedure.drift
    if rule is None:
        return None

    def began(number: int) -> date | None:
        return started.get(number) or completed.get(number - 1)

    for number in range(rule.first_stage, rule.last_stage + 1):
        this = began(number)
        if this is None:
            continue
        following = began(number + 1)
        gap = ((following or today) - this).days
        if gap >= rule.gap_calendar_days:
            next_words = (f"stage {number + 1} started {gap} days later"
                          if following else f"{gap} days have passed without stage "
                                            f"{number + 1} starting")
            return (f"Stage {number} started on {long_date(this)} and {next_words}. After a "
                    f"gap of {rule.gap_calendar_days} days or more between stages "
                    f"{rule.first_stage} to {rule.last_stage}, the process starts again at "
                    f"stage {rule.restart_at}.")
    return None


def plan(procedure: Procedure, calendar: Calendar, start: date, *,
         today: date | datetime, completed: Mapping[int, date] | None = None,
         started: Mapping[int, date] | None = None, start_at: time | None = None) -> Plan:
    """Every stage's deadline and status for a case that started on `start`.

    `start_at`, the time of day it started, counts timescales in hours from that moment
    (without it, from the start of the day: never later than the real deadline)."""
    completed = dict(completed or {})
    started = dict(started or {})
    now = today if isinstance(today, datetime) else datetime.combine(today, time())
    problems, completed, started = _accepted(procedure, start, completed, started, now.date())
    stages: list[StagePlan] = []
    previous: Deadline | None = None
    try:
        limit = _limit(procedure, calendar, start, start_at)
        for index, stage in enumerate(procedure.stages):
            anchor = _anchor(stage, start, completed, previous, first=index == 0)
            t = stage.timescale
            if t is None or anchor is None:
                due = None
            elif _counts_from_start(stage, first=index == 0):
                due = calendar.deadline(_moment(start, start_at, t.unit), t.within, t.unit)
            else:
                due = calendar.deadline(anchor, t.within, t.unit)
            capped = limit is not None and due is not None and _later(due, limit)
            if capped:
                due = limit
            done = completed.get(stage.number)
            stages.append(StagePlan(
                number=stage.number, name=stage.name, who=stage.who, counted_from=anchor,
                due=due, status=_status(stage, due, done, now), completed=done,
                late=done is not None and due is not None and done > due.day,
                caveat=t.caveat if t else None, capped=capped))
            previous = due
    except OutsideCalendar as error:
        problems.append(InputProblem("start", str(error)))
        stages = []
    drift = _drift(procedure, completed, started, now.date())
    return Plan(
        start=start,
        stages=tuple(stages),
        latest_end=stages[-1].due if stages else None,
        restart_at=procedure.drift.restart_at if drift else None,
        drift=drift,
        problems=tuple(problems),
    )


def _limit(procedure: Procedure, calendar: Calendar, start: date,
           start_at: time | None) -> Deadline | None:
    """The latest any stage may end: the procedure's overall limit, if it has one."""
    t = procedure.overall
    if t is None:
        return None
    return calendar.deadline(_moment(start, start_at, t.unit), t.within, t.unit)


def _moment(start: date, start_at: time | None, unit: str) -> date | datetime:
    """What a timescale counted from the start runs from: for hours, the time of day it
    started when known; otherwise the day."""
    return datetime.combine(start, start_at) if unit == "hours" and start_at else start


def _counts_from_start(stage: Stage, *, first: bool) -> bool:
    return first or (stage.timescale is not None and stage.timescale.counted_from == "start")


def needs_time(procedure: Procedure | None) -> bool:
    """Whether a timescale runs in hours from the start, so the time of day matters."""
    return procedure is not None and any(
        s.timescale is not None and s.timescale.unit == "hours"
        and _counts_from_start(s, first=i == 0) for i, s in enumerate(procedure.stages))


def _later(due: Deadline, limit: Deadline) -> bool:
    def moment(d: Deadline) -> datetime:
        return datetime.combine(d.day, d.at or time.max)

    return moment(due) > moment(limit)


def _anchor(stage: Stage, start: date, completed: Mapping[int, date],
            previous: Deadline | None, *, first: bool) -> date | None:
    """The day a stage's timescale is counted from (never itself counted); None while
    the stage before, which has no timescale, is still open."""
    if _counts_from_start(stage, first=first):
        return start
    if stage.number - 1 in completed:
        return completed[stage.number - 1]
    return previous.day if previous is not None else None
