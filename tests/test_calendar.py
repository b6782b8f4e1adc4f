"""Working days in England, stated literally, as python-holidays states its dates."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from conftest import FIXTURE_DATA
from escalation.calendar import Calendar, Deadline, OutsideCalendar
from escalation_build.bank_holidays import calendar_for
from escalation_build.sources import load_data_dir

DATA, _ = load_data_dir(FIXTURE_DATA)
ENGLAND = calendar_for(DATA.partnership, date(2026, 11, 24), years=(2021, 2031))


def test_a_weekday_that_is_not_a_bank_holiday_is_a_working_day():
    assert ENGLAND.is_working_day(date(2026, 11, 24))


def test_weekends_are_not_working_days():
    assert not ENGLAND.is_working_day(date(2026, 11, 28))
    assert not ENGLAND.is_working_day(date(2026, 11, 29))


def test_the_start_day_is_never_counted():
    # Tuesday 24 November 2026: two working days after is Thursday, not Wednesday.
    assert ENGLAND.working_days_after(date(2026, 11, 24), 2) == date(2026, 11, 26)


def test_christmas_week_2026_skips_christmas_day_and_boxing_day_substitute():
    # 25 Dec 2026 is a Friday; Boxing Day falls on Saturday, so Monday 28th is the holiday.
    assert ENGLAND.working_days_after(date(2026, 12, 24), 1) == date(2026, 12, 29)
    assert ENGLAND.working_days_after(date(2026, 12, 24), 2) == date(2026, 12, 30)
    assert ENGLAND.working_days_after(date(2026, 12, 24), 4) == date(2027, 1, 4)


def test_christmas_2027_skips_both_substitute_days():
    # Christmas and Boxing Day 2027 fall at a weekend: Monday 27 and Tuesday 28 are holidays.
    assert ENGLAND.working_days_after(date(2027, 12, 24), 1) == date(2027, 12, 29)


def test_easter_2027_skips_good_friday_and_easter_monday():
    assert ENGLAND.working_days_after(date(2027, 3, 25), 1) == date(2027, 3, 30)


def test_easter_2026():
    assert ENGLAND.working_days_after(date(2026, 4, 2), 2) == date(2026, 4, 8)


def test_a_start_on_a_weekend_counts_from_the_next_working_day():
    # Saturday 28 Nov 2026: Monday is the first working day after it.
    assert ENGLAND.working_days_after(date(2026, 11, 28), 1) == date(2026, 11, 30)
    assert ENGLAND.working_days_after(date(2026, 11, 28), 2) == date(2026, 12, 1)


def test_a_start_on_a_bank_holiday_is_not_counted_either():
    # Monday 31 August 2026, the late summer bank holiday.
    assert ENGLAND.working_days_after(date(2026, 8, 31), 2) == date(2026, 9, 2)


def test_the_2022_platinum_jubilee_and_moved_spring_bank_holiday():
    assert ENGLAND.closure(date(2022, 6, 2)) == "Spring Bank Holiday"
    assert ENGLAND.closure(date(2022, 6, 3)) == "Platinum Jubilee of Elizabeth II"
    assert ENGLAND.working_days_after(date(2022, 6, 1), 1) == date(2022, 6, 6)


def test_the_2022_state_funeral_of_queen_elizabeth_ii():
    assert ENGLAND.working_days_after(date(2022, 9, 16), 1) == date(2022, 9, 20)


def test_the_2023_coronation_bank_holiday():
    assert not ENGLAND.is_working_day(date(2023, 5, 8))
    assert ENGLAND.working_days_after(date(2023, 5, 5), 2) == date(2023, 5, 10)


def test_a_local_closure_day_in_data_is_not_a_working_day(tmp_path):
    import shutil

    from conftest import edit
    data_dir = shutil.copytree(FIXTURE_DATA, tmp_path / "data")
    edit(data_dir / "partnership.yaml", "closure_days: []",
         "closure_days:\n  - {date: 2026-12-29, name: County council closure day}")
    data, _ = load_data_dir(data_dir)
    calendar = calendar_for(data.partnership, date(2026, 11, 24))
    assert calendar.closure(date(2026, 12, 29)) == "County council closure day"
    assert calendar.working_days_after(date(2026, 12, 24), 1) == date(2026, 12, 30)


def test_the_window_covers_the_previous_year_and_the_next_five():
    calendar = calendar_for(DATA.partnership, date(2026, 11, 24))
    assert (calendar.first_year, calendar.last_year) == (2025, 2031)


def test_a_date_outside_the_window_is_refused_not_guessed():
    calendar = calendar_for(DATA.partnership, date(2026, 11, 24))
    with pytest.raises(OutsideCalendar, match="2025 to 2031"):
        calendar.working_days_after(date(2031, 12, 30), 5)


def test_calendar_days_count_weekends_and_holidays():
    assert ENGLAND.deadline(date(2026, 12, 24), 7, "calendar days") == Deadline(date(2026, 12, 31))


def test_hours_are_hours_from_the_moment_given():
    start = datetime(2026, 12, 24, 15, 30)
    assert ENGLAND.deadline(start, 48, "hours") == Deadline(date(2026, 12, 26), time(15, 30))


def test_hours_from_a_date_alone_start_at_midnight_so_never_later_than_the_real_deadline():
    assert ENGLAND.deadline(date(2026, 12, 24), 48, "hours") == Deadline(date(2026, 12, 26), time(0, 0))


def test_a_deadline_in_working_days_lasts_to_the_end_of_its_day():
    due = Deadline(date(2026, 12, 30))
    assert not due.passed(datetime(2026, 12, 30, 23, 59))
    assert due.passed(datetime(2026, 12, 31, 0, 0))


days = st.dates(min_value=date(2021, 1, 1), max_value=date(2031, 11, 30))
counts = st.integers(min_value=1, max_value=15)


@given(days, counts)
def test_a_due_date_in_working_days_is_always_a_working_day(start, count):
    assert ENGLAND.is_working_day(ENGLAND.working_days_after(start, count))


@given(days, counts)
def test_adding_working_days_is_monotonic_in_the_count(start, count):
    assert ENGLAND.working_days_after(start, count) < ENGLAND.working_days_after(start, count + 1)


@given(days, days, counts)
def test_adding_working_days_is_monotonic_in_the_start(first, second, count):
    early, late = sorted((first, second))
    assert ENGLAND.working_days_after(early, count) <= ENGLAND.working_days_after(late, count)


@given(days, counts)
def test_exactly_count_working_days_lie_after_the_start_up_to_the_due_date(start, count):
    due = ENGLAND.working_days_after(start, count)
    between = [start + timedelta(days=n) for n in range(1, (due - start).days + 1)]
    assert sum(ENGLAND.is_working_day(d) for d in between) == count


def test_a_calendar_with_no_holidays_counts_weekdays_only():
    plain = Calendar(first_year=2026, last_year=2027)
    assert plain.working_days_after(date(2026, 12, 24), 2) == date(2026, 12, 28)
