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
from .model import COUNTED_FROM, Procedure, Stage, Step, Timescale, Unit
from .wording import drift_rule, long_date, rung

# "no timescale": the procedure sets none; "see the procedure": the pack has not written
# its timescale down; "waiting": counted from something not yet known (a stage before with
# no timescale still open, a step not yet done); "stage completed": a step not recorded
# in a stage that is (it is no longer due).
Status = Literal["done", "due today", "overdue", "upcoming", "no timescale",
                 "see the procedure", "waiting", "stage completed"]
Moment = date | datetime  # a day, or a moment when an hours clock runs from it


@dataclass(frozen=True)
class InputProblem:
    """Something wrong with what was typed, to show beside the field it names."""

    field: str  # "start", "completed-3", "started-2", "done--meeting"
    message: str


@dataclass(frozen=True)
class Reading:
    """A timescale the procedure gives in two units at once ("within 48 hours (two working
    days)"), read both ways: the plan's date is the earlier, `first`'s; `then` is the
    other unit's, and `then_due` the date it gives."""

    first: tuple[int, Unit]  # (48, "hours"): the measure whose date the plan keeps
    then: tuple[int, Unit]  # (2, "working days")
    then_due: Deadline


@dataclass(frozen=True)
class StepPlan:
    """One timed step inside a stage (Sefton 17.2: "speak to the agency within 3 working
    days; the agency replies within a further 2")."""

    id: str
    name: str
    who: str | None
    when: str | None  # the condition, in the procedure's words ("if agreed")
    counted_from: Moment | None
    due: Deadline | None
    status: Status
    done: date | None
    late: bool
    caveat: str | None
    capped: bool = False
    unsure: bool = False  # the shortest of its priorities' timescales, none being chosen
    reading: Reading | None = None  # the date in the procedure's second unit, when later


@dataclass(frozen=True)
class StagePlan:
    number: int
    name: str
    who: str
    counted_from: Moment | None  # None when what it counts from is not known yet
    due: Deadline | None  # None when the procedure sets no timescale for it
    status: Status
    completed: date | None
    late: bool
    caveat: str | None
    capped: bool = False  # a limit over a group of stages comes first
    steps: tuple[StepPlan, ...] = ()
    unsure: bool = False  # the shortest of its priorities' timescales, none being chosen
    reading: Reading | None = None  # the date in the procedure's second unit, when later


@dataclass(frozen=True)
class Plan:
    start: date
    stages: tuple[StagePlan, ...]
    latest_end: Deadline | None  # None when the end is not known from the dates
    restart_at: int | None
    drift: str | None
    problems: tuple[InputProblem, ...]


def _status(timed: bool, untimed_said: bool, due: Deadline | None, completed: date | None,
            now: datetime) -> Status:
    if completed is not None:
        return "done"
    if due is None:
        if timed:
            return "waiting"
        return "no timescale" if untimed_said else "see the procedure"
    if due.passed(now):
        return "overdue"
    if now.date() == due.day:
        return "due today"
    return "upcoming"


def _check_inputs(procedure: Procedure, start: date, completed: Mapping[int, date],
                  started: Mapping[int, date], done: Mapping[str, date],
                  today: date) -> list[InputProblem]:
    problems = []
    numbers = [s.number for s in procedure.stages]
    word = rung(procedure, capital=False)  # "stage", or the procedure's own word

    def named(number: int) -> str:  # "Stage 2", at the start of a sentence
        return rung(procedure, number)

    for name, dates in (("completed", completed), ("started", started)):
        for number, day in sorted(dates.items()):
            where = f"{name}-{number}"
            if number not in numbers:
                problems.append(InputProblem(where, f"There is no {word} {number}."))
            elif day < start:
                problems.append(InputProblem(
                    where, f"{named(number)} cannot be {name} before the process started "
                           f"({long_date(start)})."))
            elif day > today:
                problems.append(InputProblem(
                    where, f"This date is in the future: enter it once {word} {number} "
                           f"has {name}."))
    for number, day in sorted(completed.items()):
        earlier = completed.get(number - 1)
        if number - 1 in numbers and earlier is None:
            problems.append(InputProblem(
                f"completed-{number}", f"{named(number)} is completed but {word} {number - 1} "
                                       f"is not: no {word} may be missed out."))
        elif earlier is not None and day < earlier:
            problems.append(InputProblem(
                f"completed-{number}", f"{named(number)} cannot be completed before {word} "
                                       f"{number - 1} ({long_date(earlier)})."))
    steps = {step.id: (stage, i, step) for stage in procedure.stages
             for i, step in enumerate(stage.steps)}
    for step_id, day in done.items():
        where = f"done--{step_id}"
        if step_id not in steps:
            problems.append(InputProblem(where, f"There is no step '{step_id}'."))
            continue
        stage, index, step = steps[step_id]
        # A step is named, never "this step": a procedure may call its stages steps.
        if day < start:
            problems.append(InputProblem(
                where, f"'{step.name}' cannot be done before the process started "
                       f"({long_date(start)})."))
        elif day > today:
            problems.append(InputProblem(
                where, f"This date is in the future: enter it once '{step.name}' is done."))
        elif (before := _step_before(stage.steps, index, step)) is not None \
                and before.id in done and day < done[before.id]:
            problems.append(InputProblem(
                where, f"'{step.name}' is counted from '{before.name}', done on "
                       f"{long_date(done[before.id])}: it cannot be done before it."))
    return problems


def _step_before(steps, index: int, step: Step) -> Step | None:
    """The step this one is counted from, when it is counted from a step of its stage."""
    t = step.timescale
    if t is None:
        return None
    if t.counted_from == "previous step":
        return steps[index - 1] if index else None
    return next((s for s in steps if s.id == t.counted_from), None)


def _accepted(procedure: Procedure, start: date, completed: dict[int, date],
              started: dict[int, date], done: dict[str, date], today: date
              ) -> tuple[list[InputProblem], dict[int, date], dict[int, date], dict[str, date]]:
    """The problems with the dates typed, and the dates the plan may use: a date shown as
    wrong changes nothing (no stage done, no deadline moved, no end date from it). Setting
    one aside can make another wrong (stage 2's completion once stage 1's is set aside),
    so this repeats until nothing more is set aside; each field keeps its first message."""
    problems: dict[str, InputProblem] = {}
    while True:
        for problem in _check_inputs(procedure, start, completed, started, done, today):
            problems.setdefault(problem.field, problem)
        kept_completed = {n: d for n, d in completed.items()
                          if f"completed-{n}" not in problems}
        kept_started = {n: d for n, d in started.items() if f"started-{n}" not in problems}
        kept_done = {i: d for i, d in done.items() if f"done--{i}" not in problems}
        if (kept_completed, kept_started, kept_done) == (completed, started, done):
            return list(problems.values()), completed, started, done
        completed, started, done = kept_completed, kept_started, kept_done


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
            word = rung(procedure, capital=False)
            next_words = (f"{word} {number + 1} started {gap} days later"
                          if following else f"{gap} days have passed without {word} "
                                            f"{number + 1} starting")
            return (f"{rung(procedure, number)} started on {long_date(this)} and {next_words}. "
                    + drift_rule(procedure, rule))
    return None


def plan(procedure: Procedure, calendar: Calendar, start: date, *,
         today: date | datetime, completed: Mapping[int, date] | None = None,
         started: Mapping[int, date] | None = None, start_at: time | None = None,
         done: Mapping[str, date] | None = None,
         done_at: Mapping[str, time] | None = None, priority: str | None = None) -> Plan:
    """Every stage's and step's deadline and status for a case that started on `start`.

    `start_at`, the time of day it started, counts timescales in hours from that moment
    (without it, from the start of the day: never later than the real deadline). `done`
    holds the day each step was done, and `done_at` its time, for a clock in hours counted
    from it (a letter "within 48 hours of the meeting"). `priority` chooses among timescales
    that depend on it; without one, each such date is the shortest (never too late)."""
    completed = dict(completed or {})
    started = dict(started or {})
    now = today if isinstance(today, datetime) else datetime.combine(today, time())
    problems, completed, started, done_days = _accepted(
        procedure, start, completed, started, dict(done or {}), now.date())
    known = {p.id for p in procedure.priorities}
    clock = _Clock(procedure, calendar, _at(start, start_at), completed, done_days,
                   dict(done_at or {}), now, priority if priority in known else None)
    try:
        stages = tuple(clock.stage(index) for index in range(len(procedure.stages)))
    except OutsideCalendar as error:
        problems.append(InputProblem("start", str(error)))
        stages = ()
    drift = _drift(procedure, completed, started, now.date())
    return Plan(
        start=start,
        stages=stages,
        latest_end=_end(procedure, stages),
        restart_at=procedure.drift.restart_at if drift and procedure.drift else None,
        drift=drift,
        problems=tuple(problems),
    )


def _at(day: date, moment: time | None) -> Moment:
    return datetime.combine(day, moment) if moment else day


def _day(moment: Moment) -> date:
    return moment.date() if isinstance(moment, datetime) else moment


def _from(moment: Moment, unit: str) -> Moment:
    """What a clock runs from: for hours the moment itself; otherwise its day."""
    return moment if unit == "hours" else _day(moment)


def _deadline_moment(due: Deadline) -> Moment:
    return datetime.combine(due.day, due.at) if due.at else due.day


def _later(due: Deadline, limit: Deadline) -> bool:
    def moment(d: Deadline) -> datetime:
        return datetime.combine(d.day, d.at or time.max)

    return moment(due) > moment(limit)


class _Clock:
    """Works through the procedure in order: each stage's start, its steps, its due date,
    and the limits over groups of stages."""

    def __init__(self, procedure: Procedure, calendar: Calendar, start: Moment,
                 completed: dict[int, date], done: dict[str, date], done_at: dict[str, time],
                 now: datetime, priority: str | None):
        self.procedure, self.calendar, self.start = procedure, calendar, start
        self.completed, self.done, self.done_at, self.now = completed, done, done_at, now
        self.priority = priority
        self.stage_dues: dict[int, Deadline | None] = {}
        self.step_moments: dict[str, Moment | None] = {}  # when each step was, or is due
        self.limits: dict[int, Deadline | None] = {}  # limit index -> its deadline

    def stage_start(self, number: int) -> Moment | None:
        """When a stage began: the start for stage 1; otherwise the day the stage before
        was completed, or (assumed) its due date; None while that is unknown."""
        if number == 1:
            return self.start
        if number - 1 in self.completed:
            return self.completed[number - 1]
        before = self.stage_dues.get(number - 1)
        return _deadline_moment(before) if before else None

    def limit_for(self, number: int) -> Deadline | None:
        """The earliest limit over a group of stages that includes this one."""
        found = None
        for index, limit in enumerate(self.procedure.limits):
            if not limit.first_stage <= number <= limit.last_stage:
                continue
            if index not in self.limits:
                begun = self.stage_start(limit.first_stage)
                self.limits[index] = None if begun is None else self.calendar.deadline(
                    _from(begun, limit.unit), limit.within, limit.unit)
            due = self.limits[index]
            if due is not None and (found is None or _later(found, due)):
                found = due
        return found

    def due(self, t: Timescale, anchor: Moment) -> tuple[Deadline, bool, Reading | None]:
        """When a timescale counted from `anchor` runs out, at the priority chosen; with
        none chosen and timescales by priority, the earliest of them (and True). One given
        in two units runs out at the earlier of their dates; the other is its Reading."""
        chosen = [p for p in t.by_priority if p.priority == self.priority]
        if chosen or self.priority is not None or not t.by_priority:
            within, unit = (chosen[0].within, chosen[0].unit) if chosen else (t.within, t.unit)
            due = self.calendar.deadline(_from(anchor, unit), within, unit)
            if t.also is None or chosen:
                return due, False, None
            first, then = (within, unit), (t.also.within, t.also.unit)
            other = self.calendar.deadline(_from(anchor, t.also.unit), *then)
            if _later(due, other):
                due, other, first, then = other, due, then, first
            elif not _later(other, due):
                return due, False, None  # both give the same moment: nothing to add
            return due, False, Reading(first, then, other)
        options = [(t.within, t.unit)] + [(p.within, p.unit) for p in t.by_priority]
        dues = [self.calendar.deadline(_from(anchor, unit), within, unit)
                for within, unit in options]
        earliest = dues[0]
        for d in dues[1:]:
            if _later(earliest, d):
                earliest = d
        return earliest, True, None

    def capped(self, due: Deadline | None, limit: Deadline | None) -> tuple[Deadline | None, bool]:
        if due is not None and limit is not None and _later(due, limit):
            return limit, True
        return due, False

    @staticmethod
    def within_limit(reading: Reading | None, capped: bool,
                     limit: Deadline | None) -> Reading | None:
        """The other unit's date, unless a limit over the group comes first: no date the
        procedure does not allow is shown."""
        if reading is None or capped or (limit is not None
                                         and _later(reading.then_due, limit)):
            return None
        return reading

    def stage(self, index: int) -> StagePlan:
        stage = self.procedure.stages[index]
        begun = self.stage_start(stage.number)
        limit = self.limit_for(stage.number)
        steps = tuple(self.step(stage, begun, i, limit) for i in range(len(stage.steps)))
        t = stage.timescale
        anchor: Moment | None
        unsure = False
        reading = None
        if t is not None:
            anchor = self.start if index == 0 or t.counted_from == "start" else begun
            due = None
            if anchor is not None:
                due, unsure, reading = self.due(t, anchor)
        else:
            anchor = begun
            due = _latest(tuple(plan for plan, step in zip(steps, stage.steps, strict=True)
                                if step.timescale is not None))
        due, capped = self.capped(due, limit)
        self.stage_dues[stage.number] = due
        done = self.completed.get(stage.number)
        timed = has_clock(stage)
        return StagePlan(
            number=stage.number, name=stage.name, who=stage.who,
            counted_from=anchor if timed else None, due=due,
            status=_status(timed, bool(stage.no_timescale), due, done, self.now),
            completed=done, late=done is not None and due is not None and done > due.day,
            caveat=t.caveat if t else None, capped=capped, steps=steps,
            unsure=unsure or any(step.unsure for step in steps),
            reading=self.within_limit(reading, capped, limit))

    def step(self, stage: Stage, begun: Moment | None, index: int,
             limit: Deadline | None) -> StepPlan:
        step = stage.steps[index]
        t = step.timescale
        anchor: Moment | None = None
        due = None
        unsure = False
        reading = None
        if t is not None:
            anchor = self.step_anchor(stage, begun, index, t.counted_from)
            if anchor is not None:
                due, unsure, reading = self.due(t, anchor)
        due, capped = self.capped(due, limit)
        done = self.done.get(step.id)
        if done is not None:
            at = self.done_at.get(step.id)
            self.step_moments[step.id] = _at(done, at)
        else:
            self.step_moments[step.id] = _deadline_moment(due) if due else None
        status = _status(t is not None, bool(step.no_timescale), due, done, self.now)
        if done is None and stage.number in self.completed:
            status = "stage completed"
        return StepPlan(
            id=step.id, name=step.name, who=step.who, when=step.when, counted_from=anchor,
            due=due, status=status,
            done=done, late=done is not None and due is not None and done > due.day,
            caveat=t.caveat if t else None, capped=capped, unsure=unsure,
            reading=self.within_limit(reading, capped, limit))

    def step_anchor(self, stage: Stage, begun: Moment | None, index: int,
                    counted_from: str) -> Moment | None:
        if counted_from == "start":
            return self.start
        if counted_from in ("stage start", "previous stage") or (
                counted_from == "previous step" and index == 0):
            return begun
        if counted_from == "previous step":
            return self.step_moments.get(stage.steps[index - 1].id)
        return self.step_moments.get(counted_from)


def _latest(timed: tuple[StepPlan, ...]) -> Deadline | None:
    """A stage made of steps is due when its last timed step is (on the longest branch);
    unknown while any timed step's date is."""
    dues = [s.due for s in timed]
    if not dues or None in dues:
        return None
    latest = dues[0]
    for due in dues[1:]:
        if due is not None and latest is not None and _later(due, latest):
            latest = due
    return latest


def _end(procedure: Procedure, stages: tuple[StagePlan, ...]) -> Deadline | None:
    """When the whole process ends at the latest: the last stage's date, when it is
    known."""
    return stages[-1].due if stages else None


def has_clock(part: Stage | Step) -> bool:
    """Whether a stage or step has a date to work out: a timescale of its own or, for a
    stage, a timed step."""
    return part.timescale is not None or any(
        step.timescale is not None for step in getattr(part, "steps", ()))


def needs_time(procedure: Procedure | None) -> bool:
    """Whether a timescale runs in hours from the start, so the time of day matters."""
    if procedure is None:
        return False
    for i, stage in enumerate(procedure.stages):
        t = stage.timescale
        if t and _in_hours(t) and (i == 0 or t.counted_from == "start"):
            return True
        for j, step in enumerate(stage.steps):
            u = step.timescale
            if u and _in_hours(u) and (
                    u.counted_from == "start"
                    or (i == 0 and (u.counted_from == "stage start"
                                    or (j == 0 and u.counted_from == "previous step")))):
                return True
    if any(limit.unit == "hours" and limit.first_stage == 1 for limit in procedure.limits):
        return True
    return False


def _in_hours(t: Timescale) -> bool:
    return "hours" in units(t)


def units(t: Timescale) -> set[Unit]:
    """Every unit a timescale is given in: its own, its second one and its priorities'."""
    return ({t.unit} | ({t.also.unit} if t.also else set())
            | {p.unit for p in t.by_priority})


def timed_steps(procedure: Procedure) -> set[str]:
    """The steps an hours clock is counted from, so the time they were done matters."""
    found = set()
    for stage in procedure.stages:
        for j, step in enumerate(stage.steps):
            t = step.timescale
            if t is None or not _in_hours(t):
                continue
            if t.counted_from == "previous step" and j:
                found.add(stage.steps[j - 1].id)
            elif t.counted_from not in COUNTED_FROM:
                found.add(t.counted_from)
    return found
