"""One timescale given in two units at once (issue 14; survey: "mixed units"): the
Lincolnshire joint professional escalation and resolution protocol, step 1, "within 48
hours (two working days) of the initial discussion, an agreed action plan should be
developed". The two readings end on different days across a weekend or a bank holiday:
the plan keeps the earlier (never later than the procedure allows), and the tool, the
command line and the calendar say the other beside each date of such a timescale; the
pages and the poster say both units. England's bank holidays: 25 and 28 December 2026,
1 January 2027.
"""

from __future__ import annotations

import json
from datetime import date, datetime, time

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from test_references import every_path
from test_steps import CALENDAR, _checked

from conftest import STEPS_SITE
from escalation.bundle import load_bundle
from escalation.calendar import Deadline
from escalation.chooser import route_for
from escalation.journey import download, view
from escalation.model import (
    Limit,
    Measure,
    PriorityTimescale,
    Procedure,
    Stage,
    Step,
    Timescale,
)
from escalation.timeline import Reading, needs_time, plan, timed_steps
from escalation.wording import measure, reading_words, step_when
from escalation_build.bundle import make_bundle
from escalation_build.cli import main
from escalation_build.pages import stages_table
from escalation_build.poster import footer_notes, stage_box
from escalation_build.sources import load_data_dir

WD, HOURS, DAYS = "working days", "hours", "calendar days"
FORTY_EIGHT_HOURS = Timescale(48, HOURS, "start", also=Measure(2, WD))


def protocol(timescale: Timescale = FORTY_EIGHT_HOURS, *, then: Timescale | None = None,
             limits: tuple[Limit, ...] = ()) -> Procedure:
    """Step 1 of the protocol: an acknowledgement, then the action plan on `timescale`;
    `then`, a step counted from the plan."""
    steps = [Step(id="acknowledgement", name="Acknowledgement", no_timescale="immediately"),
             Step(id="action-plan", name="Agreed action plan", timescale=timescale)]
    if then is not None:
        steps.append(Step(id="review", name="Review of the plan", timescale=then))
    return Procedure(
        id="escalation", name="Joint professional escalation and resolution protocol",
        start_event="the initial discussion", limits=limits, stages=(
            Stage(number=1, name="Direct professional to professional discussion",
                  who="w", what="x", steps=tuple(steps)),))


def action_plan(procedure: Procedure, start: date, at: time | None = None,
                today: date | datetime | None = None):
    result = plan(procedure, CALENDAR, start, start_at=at, today=today or start)
    return result.stages[0].steps[1]


# --- the plan -----------------------------------------------------------------------------


def test_across_christmas_the_48_hours_end_four_days_before_the_two_working_days():
    # Thursday 24 December 2026 at 14:30: 48 hours end Saturday 26 at 14:30; two working
    # days skip Friday 25, the weekend and Monday 28: Tuesday 29, Wednesday 30.
    step = action_plan(protocol(), date(2026, 12, 24), time(14, 30))
    assert (step.due.day, step.due.at) == (date(2026, 12, 26), time(14, 30))
    assert step.reading == Reading(first=(48, HOURS), then=(2, WD),
                                   then_due=Deadline(date(2026, 12, 30)))


def test_over_a_weekend_the_48_hours_end_on_sunday_and_the_working_days_on_tuesday():
    # Friday 4 December 2026 at 16:00.
    step = action_plan(protocol(), date(2026, 12, 4), time(16))
    assert (step.due.day, step.due.at) == (date(2026, 12, 6), time(16))
    assert (step.reading.then_due.day, step.reading.then_due.at) == (date(2026, 12, 8), None)


def test_midweek_both_end_on_the_same_day_and_the_48_hours_first():
    # Monday 7 December 2026 at 10:00: 48 hours end Wednesday 9 at 10:00; two working
    # days at the end of Wednesday 9.
    step = action_plan(protocol(), date(2026, 12, 7), time(10))
    assert (step.due.day, step.due.at) == (date(2026, 12, 9), time(10))
    assert (step.reading.then_due.day, step.reading.then_due.at) == (date(2026, 12, 9), None)
    # Said so, not as the same date twice.
    assert reading_words(step.reading, step.due.day) == (
        "48 hours, which end first; 2 working days end later that day")


def test_the_earlier_is_kept_whichever_unit_is_written_first():
    written_the_other_way = Timescale(2, WD, "start", also=Measure(48, HOURS))
    step = action_plan(protocol(written_the_other_way), date(2026, 12, 4), time(16))
    assert (step.due.day, step.due.at) == (date(2026, 12, 6), time(16))
    assert (step.reading.first, step.reading.then) == ((48, HOURS), (2, WD))
    assert step.reading.then_due.day == date(2026, 12, 8)


def test_working_days_can_be_the_earlier():
    # "5 working days (one week)" from Thursday 24 December 2026: seven days end Thursday
    # 31 December; five working days skip the bank holidays: Tuesday 5 January.
    week = Timescale(5, WD, "start", also=Measure(7, DAYS))
    step = action_plan(protocol(week), date(2026, 12, 24))
    assert step.due.day == date(2026, 12, 31)
    assert (step.reading.first, step.reading.then) == ((7, DAYS), (5, WD))
    assert step.reading.then_due.day == date(2027, 1, 5)


def test_when_both_give_the_same_moment_there_is_nothing_to_add():
    # From Monday 30 November 2026, with no bank holiday near: both end Monday 7 December.
    week = Timescale(5, WD, "start", also=Measure(7, DAYS))
    step = action_plan(protocol(week), date(2026, 11, 30))
    assert (step.due.day, step.reading) == (date(2026, 12, 7), None)


def test_the_status_and_what_is_counted_from_it_follow_the_earlier_date():
    review = Timescale(1, WD, "previous step")
    # Friday 4 December 2026 at 16:00: the plan is due Sunday 6 at 16:00, so on Monday 7
    # it is overdue although two working days (Tuesday 8) have not run out...
    result = plan(protocol(then=review), CALENDAR, date(2026, 12, 4), start_at=time(16),
                  today=datetime(2026, 12, 7, 9))
    action, counted = result.stages[0].steps[1:]
    assert action.status == "overdue"
    # ...and a step counted from it counts from Sunday 6: one working day, Monday 7.
    assert counted.due.day == date(2026, 12, 7)
    assert result.stages[0].due.day == date(2026, 12, 7)
    # Done on the Tuesday, it was late by the date the plan kept.
    done = plan(protocol(), CALENDAR, date(2026, 12, 4), start_at=time(16),
                today=date(2026, 12, 8), done={"action-plan": date(2026, 12, 8)})
    assert done.stages[0].steps[1].late


def test_a_limit_that_comes_first_leaves_no_other_reading():
    limit = Limit(first_stage=1, last_stage=1, within=24, unit=HOURS)
    step = action_plan(protocol(limits=(limit,)), date(2026, 12, 4), time(16))
    assert (step.due.day, step.due.at, step.capped, step.reading) == (
        date(2026, 12, 5), time(16), True, None)


def test_a_later_date_past_a_limit_is_not_shown():
    # Thursday 24 December 2026 at 14:30, under a limit of 3 days over the stage (the end
    # of Sunday 27): the 48 hours (Saturday 26) come first and stand; the two working
    # days (Wednesday 30) would be past the limit, a date the procedure does not allow.
    limit = Limit(first_stage=1, last_stage=1, within=3, unit=DAYS)
    step = action_plan(protocol(limits=(limit,)), date(2026, 12, 24), time(14, 30))
    assert (step.due.day, step.capped, step.reading) == (date(2026, 12, 26), False, None)
    # A limit after both leaves the other date to be said.
    later = Limit(first_stage=1, last_stage=1, within=10, unit=DAYS)
    step = action_plan(protocol(limits=(later,)), date(2026, 12, 24), time(14, 30))
    assert step.reading.then_due.day == date(2026, 12, 30)


def test_a_stage_of_its_own_may_give_two_units():
    # A stage (not a step) "within 48 hours (two working days)" of the stage before.
    p = Procedure(id="escalation", name="N", start_event="the initial discussion", stages=(
        Stage(number=1, name="One", who="w", what="x",
              timescale=Timescale(2, WD, "start")),
        Stage(number=2, name="Two", who="w", what="x",
              timescale=Timescale(48, HOURS, "previous stage", also=Measure(2, WD)))))
    # Stage 1 from Wednesday 23 December 2026 is due Tuesday 29 (Thursday 24, Tuesday 29)
    # and recorded as completed that day. Stage 2 counts from that day, the hours from
    # its start (no time of day is known): 48 hours end Thursday 31 at 00:00; two working
    # days (Wednesday 30, Thursday 31) at the end of Thursday 31.
    result = plan(p, CALENDAR, date(2026, 12, 23), today=date(2026, 12, 29),
                  completed={1: date(2026, 12, 29)})
    two = result.stages[1]
    assert (two.due.day, two.due.at) == (date(2026, 12, 31), time(0))
    assert two.reading.then_due == Deadline(date(2026, 12, 31))
    # Not completed: counted from stage 1's own deadline, Tuesday 29, the same way.
    assert plan(p, CALENDAR, date(2026, 12, 23), today=date(2026, 12, 23)
                ).stages[1].due.day == date(2026, 12, 31)


def test_a_second_unit_in_hours_makes_the_tool_ask_the_time():
    assert needs_time(protocol(Timescale(2, WD, "start", also=Measure(48, HOURS))))
    assert not needs_time(protocol(Timescale(2, WD, "start", also=Measure(3, DAYS))))
    # ...and the time a step was done, when such a clock is counted from it.
    review = Timescale(2, WD, "previous step", also=Measure(48, HOURS))
    assert timed_steps(protocol(then=review)) == {"action-plan"}
    assert timed_steps(protocol(then=Timescale(2, WD, "previous step"))) == set()


@settings(max_examples=200, deadline=None)
@given(start=st.dates(date(2026, 1, 1), date(2030, 12, 20)),
       at=st.one_of(st.none(), st.times()),
       first=st.tuples(st.integers(1, 80), st.sampled_from([WD, HOURS, DAYS])),
       then=st.tuples(st.integers(1, 80), st.sampled_from([WD, HOURS, DAYS])))
def test_the_date_kept_is_the_earlier_of_the_two_each_unit_gives_alone(start, at, first,
                                                                        then):
    if first[1] == then[1]:
        return  # the check refuses one unit twice

    def alone(within, unit):
        due = action_plan(protocol(Timescale(within, unit, "start")), start, at)
        assert due.reading is None
        return datetime.combine(due.due.day, due.due.at or time.max)

    both = action_plan(protocol(Timescale(*first, "start", also=Measure(*then))), start, at)
    kept = datetime.combine(both.due.day, both.due.at or time.max)
    assert kept == min(alone(*first), alone(*then))
    counted = datetime.combine(start, at or time())
    assert kept > counted
    if both.reading is not None:
        other = both.reading.then_due
        assert datetime.combine(other.day, other.at or time.max) == max(alone(*first),
                                                                          alone(*then)) > kept
        assert {both.reading.first, both.reading.then} == {first, then}
    else:
        assert alone(*first) == alone(*then)


# --- the words ----------------------------------------------------------------------------


def test_the_timescale_is_said_as_the_procedure_says_it():
    p = protocol()
    assert measure(FORTY_EIGHT_HOURS) == "48 hours (2 working days)"
    assert step_when(p, p.stages[0], p.stages[0].steps[1]) == (
        "Within 48 hours (2 working days) of the initial discussion")


def test_the_pages_and_the_poster_say_both_units():
    data, _ = load_data_dir(STEPS_SITE / "data", today=date(2026, 12, 2))
    procedure = data.procedure()
    assert ("Agreed action plan: within 48 hours (2 working days) of the initial discussion "
            "between the professionals") in stages_table(data)
    box = stage_box(data, procedure, procedure.stages[0])
    assert [(line.label, line.text) for line in box.lines if line.label == "Agreed action plan"
            ] == [("Agreed action plan", "Within 48 hours (2 working days) of the initial "
                                         "discussion between the professionals")]


def test_the_posters_footer_explains_a_unit_given_only_as_the_second_or_by_priority():
    def footer(timescale):
        return {line.text for line in footer_notes(data, protocol(timescale))}

    data, _ = load_data_dir(STEPS_SITE / "data", today=date(2026, 12, 2))
    working_days = "Working days are Monday to Friday, except bank holidays in England."
    assert working_days in footer(FORTY_EIGHT_HOURS)
    assert "counted round the clock." in footer(FORTY_EIGHT_HOURS)
    assert working_days not in footer(Timescale(48, HOURS, "start"))
    # A unit given only for one priority is explained too.
    assert working_days in footer(Timescale(48, HOURS, "start", by_priority=(
        PriorityTimescale("standard", 5, WD),)))


# --- the check ----------------------------------------------------------------------------


def _stages_with(timescale: str) -> str:
    return f"""
procedures:
  - id: fast
    name: N
    start_event: the start
    priorities:
      - {{id: urgent, name: Urgent}}
      - {{id: standard, name: Standard}}
    priority_question: How urgent is it?
    stages:
      - number: 1
        name: S
        who: w
        what: x
        timescale: {timescale}
"""


def test_the_check_names_a_second_unit_that_says_nothing_new(tmp_path):
    same = _checked(tmp_path / "a", _stages_with(
        "{within: 2, unit: working days, counted_from: start, "
        "also: {within: 10, unit: working days}}"))
    assert ("stages.yaml, line 15: error: procedures[fast].stages[1].timescale.also.unit: 'also' "
            "gives the same timescale in another unit, and 'working days' is the unit "
            "already given: use another unit, or leave 'also' out") in same
    none = _checked(tmp_path / "b", _stages_with(
        "{within: 48, unit: hours, counted_from: start, also: {within: 0, unit: working days}}"))
    assert ("procedures[fast].stages[1].timescale.also.within: 0 working days is not a "
            "timescale: use 1 to 260 working days") in none
    too_long = _checked(tmp_path / "b2", _stages_with(
        "{within: 48, unit: hours, counted_from: start, also: {within: 261, unit: working days}}"))
    assert ("procedures[fast].stages[1].timescale.also.within: 261 working days is not a "
            "timescale: use 1 to 260 working days") in too_long
    with_priorities = _checked(tmp_path / "c", _stages_with(
        "{within: 5, unit: working days, counted_from: start, also: {within: 7, unit: "
        "calendar days}, by_priority: [{priority: urgent, within: 24, unit: hours}]}"))
    assert ("procedures[fast].stages[1].timescale.also: a timescale by priority cannot have "
            "'also' as well") in with_priorities
    unknown_unit = _checked(tmp_path / "d", _stages_with(
        "{within: 48, unit: hours, counted_from: start, also: {within: 2, unit: weeks}}"))
    assert "procedures[fast].stages[1].timescale.also.unit" in unknown_unit
    fine = _checked(tmp_path / "e", _stages_with(
        "{within: 48, unit: hours, counted_from: start, also: {within: 2, unit: working days}}"))
    assert "timescale" not in fine  # (the default site's templates name stages 2 to 5)


# --- the tool, the command line and the calendar ----------------------------------------------


def _state(bundle, plan_state: dict) -> dict:
    answers = next(a for a in every_path(bundle.data.chooser)
                   if (r := route_for(bundle.data, a)) and r.procedure == "escalation")
    return {"answers": answers, "plans": {"escalation": plan_state},
            "email": {"stage": "", "agency": ""}, "fields": {}, "emails": {}}


@pytest.fixture(scope="module")
def bundle():
    return load_bundle(make_bundle(STEPS_SITE / "data", date(2026, 12, 2)))


def test_the_tool_shows_the_date_each_unit_gives(bundle):
    state = _state(bundle, {"start": "04/12/2026", "start_time": "16:00"})
    step_1 = view(bundle, state, "2026-12-07T09:00")["plan"]["stages"][0]
    action = step_1["steps"][1]
    assert action["due_text"] == ("Sunday 6 December 2026 at 16:00 (48 hours, which end "
                                  "first; 2 working days end on Tuesday 8 December 2026)")
    assert action["status_text"] == "Overdue"
    # The step's own caveat is gone: the second unit says what it said.
    assert action["caveat"] is None
    # The stage of steps shows its date alone: its step's row, just below, says both.
    assert step_1["due_text"] == "Sunday 6 December 2026 at 16:00"


def test_the_calendar_reminder_is_on_the_earlier_date_and_says_the_other(bundle):
    state = _state(bundle, {"start": "04/12/2026", "start_time": "16:00"})
    ics = download(bundle, state, "2026-12-04T17:00", "2026-12-04T17:00:00Z",
                   "calendar")["text"].replace("\r\n ", "")
    event = next(block for block in ics.split("BEGIN:VEVENT")[1:]
                 if "Agreed action plan" in block.split("SUMMARY:")[1].split("\r\n")[0])
    assert "DTSTART;VALUE=DATE:20261206" in event
    assert ("no later than Sunday 6 December 2026 at 16:00 (48 hours\\, which end first\\; "
            "2 working days end on Tuesday 8 December 2026)") in event


def test_the_deadlines_command_says_both_and_its_json_gives_the_other(capsys):
    args = ["deadlines", "--data", str(STEPS_SITE / "data"), "--start", "2026-12-04",
            "--start-time", "16:00", "--today", "2026-12-04"]
    assert main(args) == 0
    assert ("    - Agreed action plan: no later than Sunday 6 December 2026 at 16:00 (48 hours, "
            "which end first; 2 working days end on Tuesday 8 December 2026) [upcoming]"
            ) in capsys.readouterr().out.splitlines()
    assert main([*args, "--json"]) == 0
    step = json.loads(capsys.readouterr().out)["stages"][0]["steps"][1]
    assert (step["due"], step["due_time"]) == ("2026-12-06", "16:00")
    assert step["reading"] == {"first": {"within": 48, "unit": HOURS},
                               "then": {"within": 2, "unit": WD},
                               "due": "2026-12-08", "due_time": None}


def test_a_second_unit_counted_from_a_recorded_time():
    # Step 3: "within 48 hours (two working days)", counted here from the SLOE being
    # contacted, on Thursday 24 December 2026 at 11:15.
    data, _ = load_data_dir(STEPS_SITE / "data", today=date(2026, 12, 2))
    result = plan(data.procedure(), CALENDAR, date(2026, 12, 21), today=date(2026, 12, 24),
                  completed={1: date(2026, 12, 22), 2: date(2026, 12, 23)},
                  done={"sloe-contacted": date(2026, 12, 24)},
                  done_at={"sloe-contacted": time(11, 15)})
    mutual = result.stages[2].steps[1]
    assert (mutual.due.day, mutual.due.at) == (date(2026, 12, 26), time(11, 15))
    assert mutual.reading.then_due.day == date(2026, 12, 30)
    assert mutual.counted_from == datetime(2026, 12, 24, 11, 15)
