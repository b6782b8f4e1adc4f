"""FaST stage deadlines (procedure 7.2, Table 1) and the drift rule, dates stated literally."""

from __future__ import annotations

from datetime import date, datetime

from conftest import FIXTURE_DATA
from escalation.timeline import plan
from escalation_build.bank_holidays import calendar_for
from escalation_build.sources import load_data_dir

DATA, _ = load_data_dir(FIXTURE_DATA)
FAST = DATA.procedure("fast")
CALENDAR = calendar_for(DATA.partnership, date(2026, 11, 24))


def dues(result):
    return [s.due.day for s in result.stages]


def test_with_nothing_completed_stage_k_is_due_2k_working_days_after_the_start():
    result = plan(FAST, CALENDAR, date(2026, 12, 24), today=date(2026, 12, 24))
    assert dues(result) == [date(2026, 12, 30), date(2027, 1, 4), date(2027, 1, 6),
                            date(2027, 1, 8), date(2027, 1, 12)]
    assert result.latest_end.day == date(2027, 1, 12)
    assert result.restart_at is None


def test_an_ordinary_week_gives_ten_working_days_at_most():
    result = plan(FAST, CALENDAR, date(2027, 2, 1), today=date(2027, 2, 1))
    assert dues(result) == [date(2027, 2, 3), date(2027, 2, 5), date(2027, 2, 9),
                            date(2027, 2, 11), date(2027, 2, 15)]


def test_completing_a_stage_early_brings_the_next_deadline_forward():
    result = plan(FAST, CALENDAR, date(2027, 2, 1), today=date(2027, 2, 2),
                  completed={1: date(2027, 2, 1)})
    assert dues(result) == [date(2027, 2, 3), date(2027, 2, 3), date(2027, 2, 5),
                            date(2027, 2, 9), date(2027, 2, 11)]


def test_statuses_done_due_today_overdue_and_upcoming():
    result = plan(FAST, CALENDAR, date(2027, 2, 1), today=date(2027, 2, 5),
                  completed={1: date(2027, 2, 2)})
    # Stage 1 done; stage 2 was due 4 Feb (overdue); 3 due 8 Feb...
    assert [s.status for s in result.stages] == ["done", "overdue", "upcoming", "upcoming",
                                                 "upcoming"]
    today = plan(FAST, CALENDAR, date(2027, 2, 1), today=date(2027, 2, 3))
    assert today.stages[0].status == "due today"


def test_a_stage_completed_after_its_deadline_is_done_but_late():
    result = plan(FAST, CALENDAR, date(2027, 2, 1), today=date(2027, 2, 8),
                  completed={1: date(2027, 2, 4)})
    assert result.stages[0].status == "done" and result.stages[0].late


def test_a_start_on_a_saturday():
    result = plan(FAST, CALENDAR, date(2027, 2, 6), today=date(2027, 2, 6))
    assert dues(result)[0] == date(2027, 2, 9)


def test_easter_2027_in_the_middle_of_the_process():
    result = plan(FAST, CALENDAR, date(2027, 3, 22), today=date(2027, 3, 22))
    # Good Friday 26 March and Easter Monday 29 March are skipped.
    assert dues(result) == [date(2027, 3, 24), date(2027, 3, 30), date(2027, 4, 1),
                            date(2027, 4, 5), date(2027, 4, 7)]


def test_a_week_between_stage_2_and_stage_3_means_starting_again_at_stage_2():
    result = plan(FAST, CALENDAR, date(2027, 2, 1), today=date(2027, 2, 12),
                  completed={1: date(2027, 2, 2), 2: date(2027, 2, 9)})
    assert result.restart_at == 2
    assert "starts again at stage 2" in result.drift


def test_six_days_between_stages_is_not_drift():
    result = plan(FAST, CALENDAR, date(2027, 2, 1), today=date(2027, 2, 9),
                  completed={1: date(2027, 2, 2), 2: date(2027, 2, 8)})
    assert result.restart_at is None and result.drift is None


def test_a_stage_left_open_for_a_week_is_drift_already():
    result = plan(FAST, CALENDAR, date(2027, 2, 1), today=date(2027, 2, 10),
                  completed={1: date(2027, 2, 2), 2: date(2027, 2, 3)})
    assert result.restart_at == 2
    assert "7 days have passed without stage 4 starting" in result.drift


def test_a_gap_after_stage_1_alone_is_not_drift():
    # The rule watches stages 2 to 4: stage 1 to 2 is governed by the timescale only.
    result = plan(FAST, CALENDAR, date(2027, 2, 1), today=date(2027, 2, 3))
    assert result.restart_at is None


def test_a_completion_before_the_previous_one_is_shown_beside_its_field():
    result = plan(FAST, CALENDAR, date(2027, 2, 1), today=date(2027, 2, 10),
                  completed={1: date(2027, 2, 5), 2: date(2027, 2, 3)})
    assert [(p.field, p.message) for p in result.problems] == [
        ("completed-2", "Stage 2 cannot be completed before stage 1 (Friday 5 February 2027).")]


def test_a_stage_cannot_be_skipped():
    result = plan(FAST, CALENDAR, date(2027, 2, 1), today=date(2027, 2, 10),
                  completed={3: date(2027, 2, 5)})
    assert ("completed-3", "Stage 3 is completed but stage 2 is not: no stage may be missed out.") \
        in [(p.field, p.message) for p in result.problems]


def test_a_date_outside_the_bank_holiday_window_is_a_problem_not_a_guess():
    result = plan(FAST, CALENDAR, date(2031, 12, 29), today=datetime(2031, 12, 29, 9))
    assert result.stages == ()
    assert result.problems[0].field == "start"
    assert "2025 to 2031" in result.problems[0].message


# --- other units, stages with no timescale, and the time of day -------------------------

def _procedure(*stages):
    from escalation.model import Procedure, Stage, Timescale

    # A stage given as None is one the procedure sets no timescale for ("without delay").
    return Procedure(id="p", name="P", start_event="the start", stages=tuple(
        Stage(number=i + 1, name=f"S{i + 1}", who="w", what="x",
              timescale=Timescale(*t) if t else None,
              no_timescale=None if t else "act without delay")
        for i, t in enumerate(stages)))


def test_hours_run_through_weekends_and_holidays_from_the_time_given():
    from datetime import time

    p = _procedure((48, "hours", "start"))
    day_only = plan(p, CALENDAR, date(2026, 12, 24), today=date(2026, 12, 24))
    assert (day_only.stages[0].due.day, day_only.stages[0].due.at) == (date(2026, 12, 26), time(0))
    timed = plan(p, CALENDAR, date(2026, 12, 24), today=date(2026, 12, 24),
                 start_at=time(14, 30))
    assert (timed.stages[0].due.day, timed.stages[0].due.at) == (date(2026, 12, 26), time(14, 30))


def test_calendar_days_count_every_day():
    p = _procedure((28, "calendar days", "start"), (7, "calendar days", "previous stage"))
    result = plan(p, CALENDAR, date(2026, 12, 24), today=date(2026, 12, 24))
    assert dues(result) == [date(2027, 1, 21), date(2027, 1, 28)]


def test_a_stage_with_no_timescale_has_no_date_and_the_next_waits_for_it():
    p = _procedure((1, "working days", "start"), None, (1, "working days", "previous stage"),
                   (2, "working days", "start"))
    result = plan(p, CALENDAR, date(2026, 12, 24), today=date(2026, 12, 24))
    assert [s.due.day if s.due else None for s in result.stages] == [
        date(2026, 12, 29), None, None, date(2026, 12, 30)]
    assert [s.status for s in result.stages] == ["upcoming", "no timescale", "waiting",
                                                 "upcoming"]
    assert result.stages[2].counted_from is None
    # Once the untimed stage is completed, the next is counted from that day.
    done = plan(p, CALENDAR, date(2026, 12, 24), today=date(2027, 1, 4),
                completed={1: date(2026, 12, 29), 2: date(2027, 1, 4)})
    assert done.stages[2].due.day == date(2027, 1, 5)
    assert result.latest_end.day == date(2026, 12, 30)


def test_the_last_stage_without_a_timescale_leaves_no_latest_end():
    p = _procedure((1, "working days", "start"), None)
    assert plan(p, CALENDAR, date(2026, 12, 24), today=date(2026, 12, 24)).latest_end is None


def test_the_whole_procedures_limit_caps_every_stage_even_after_a_late_one():
    from dataclasses import replace

    from escalation.model import Limit

    p = replace(_procedure((5, "working days", "start"), (5, "working days", "previous stage"),
                           (5, "working days", "previous stage")),
                limits=(Limit(1, 3, 15, "working days"),))
    on_time = plan(p, CALENDAR, date(2026, 12, 24), today=date(2026, 12, 24))
    assert dues(on_time) == [date(2027, 1, 5), date(2027, 1, 12), date(2027, 1, 19)]
    assert not any(s.capped for s in on_time.stages)
    late = plan(p, CALENDAR, date(2026, 12, 24), today=date(2027, 1, 8),
                completed={1: date(2027, 1, 8)})
    # Stage 2 from the late stage 1 would be 15 January, stage 3 22 January: but 15
    # working days from the start end on 19 January.
    assert dues(late)[1:] == [date(2027, 1, 15), date(2027, 1, 19)]
    assert [s.capped for s in late.stages] == [False, False, True]
    assert late.latest_end.day == date(2027, 1, 19)


def test_a_rejected_completion_date_changes_no_deadline_and_marks_nothing_done():
    as_typed_nothing = plan(FAST, CALENDAR, date(2027, 2, 1), today=date(2027, 2, 10))
    for wrong in (date(2027, 1, 29),   # before the process started
                  date(2027, 2, 20)):  # in the future
        result = plan(FAST, CALENDAR, date(2027, 2, 1), today=date(2027, 2, 10),
                      completed={1: wrong, 2: date(2027, 2, 4)}, started={2: date(2027, 2, 3)})
        assert dues(result) == [date(2027, 2, 3), date(2027, 2, 5), date(2027, 2, 9),
                                date(2027, 2, 11), date(2027, 2, 15)]
        assert dues(result) == dues(as_typed_nothing)
        assert result.latest_end == as_typed_nothing.latest_end
        assert [s.status for s in result.stages] == ["overdue", "overdue", "overdue",
                                                     "upcoming", "upcoming"]
        # Stage 2's own date is right, but with stage 1 set aside it would skip a stage.
        assert [p.field for p in result.problems] == ["completed-1", "completed-2"]


def test_a_rejected_start_of_a_stage_causes_no_drift():
    result = plan(FAST, CALENDAR, date(2027, 2, 1), today=date(2027, 2, 10),
                  completed={1: date(2027, 2, 8)}, started={2: date(2027, 1, 1)})
    assert result.drift is None
    assert [p.field for p in result.problems] == ["started-2"]
