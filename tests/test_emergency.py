"""Which number to ring now (emergency.emergency_now), on the frozen default site's data
(tests/fixture_site) and every pack's real data: the in-hours line when it is open, the
out-of-hours line on evenings, weekends and bank holidays, police always. The time given is
the UK wall-clock time."""

from __future__ import annotations

import dataclasses
from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

import pytest

from conftest import FIXTURE_DATA
from escalation.emergency import emergency_now
from escalation.model import ClosureDay
from escalation_build.bank_holidays import calendar_for
from escalation_build.sources import load_data_dir
from packs import PACKS, pack_ids

LONDON = ZoneInfo("Europe/London")


@pytest.fixture(scope="module")
def surrey():
    data, _ = load_data_dir(FIXTURE_DATA, today=date(2026, 12, 2))
    return data, calendar_for(data.partnership, date(2026, 12, 2))


def line_at(surrey, when: str) -> str:
    data, calendar = surrey
    now = emergency_now(data, calendar, datetime.fromisoformat(when))
    assert now.police_phone == "999"
    return now.contact.id


@pytest.mark.parametrize("when, line", [
    ("2026-12-02T08:59", "edt"),   # Wednesday, a minute before C-SPA opens at 9am
    ("2026-12-02T09:00", "cspa"),
    ("2026-12-02T16:59", "cspa"),
    ("2026-12-02T17:00", "edt"),   # closes at 5pm: from then on, out of hours
    ("2026-12-02T23:30", "edt"),
    ("2026-12-05T11:00", "edt"),   # Saturday
    ("2026-12-06T11:00", "edt"),   # Sunday
])
def test_the_hours_of_the_front_door(surrey, when, line):
    assert line_at(surrey, when) == line


@pytest.mark.parametrize("when, line", [
    ("2026-12-24T10:00", "cspa"),  # Christmas Eve is a working day
    ("2026-12-25T10:00", "edt"),   # Christmas Day, a Friday
    ("2026-12-28T10:00", "edt"),   # Boxing Day falls on a Saturday: Monday 28th is its substitute
    ("2026-12-29T10:00", "cspa"),
    ("2027-01-01T10:00", "edt"),   # New Year's Day
    ("2026-08-31T10:00", "edt"),   # Summer bank holiday
    ("2027-03-26T10:00", "edt"),   # Good Friday 2027
    ("2027-03-29T10:00", "edt"),   # Easter Monday 2027
    ("2027-03-30T10:00", "cspa"),
])
def test_bank_holidays_send_people_out_of_hours(surrey, when, line):
    assert line_at(surrey, when) == line


def test_a_local_closure_day_is_out_of_hours_too(surrey):
    data, _ = surrey
    closure = ClosureDay(date=date(2026, 12, 30), name="County council closure day")
    partnership = dataclasses.replace(data.partnership, closure_days=(closure,))
    data = dataclasses.replace(data, partnership=partnership)
    calendar = calendar_for(partnership, date(2026, 12, 2))
    assert emergency_now(data, calendar, datetime(2026, 12, 30, 10)).contact.id == "edt"
    assert emergency_now(data, calendar, datetime(2026, 12, 31, 10)).contact.id == "cspa"


def test_a_day_outside_the_known_years_sends_people_to_the_line_always_staffed(surrey):
    data, calendar = surrey
    late = datetime(calendar.last_year + 1, 6, 2, 10)  # a weekday, but its holidays unknown
    assert late.weekday() < 5
    assert emergency_now(data, calendar, late).contact.id == "edt"


@pytest.mark.parametrize("utc, line", [
    # 08:30 UTC is 09:30 in summer time (open) and 08:30 in winter (not yet open).
    ("2026-07-01T08:30", "cspa"),
    ("2026-12-01T08:30", "edt"),
    # The Monday after the clocks go forward (29 March 2026): 08:05 UTC is 09:05 BST.
    ("2026-03-30T08:05", "cspa"),
    # The Monday after they go back (25 October 2026): 08:05 UTC is 08:05 GMT.
    ("2026-10-26T08:05", "edt"),
    # 16:30 UTC in summer is 17:30 BST: closed.
    ("2026-06-15T16:30", "edt"),
])
def test_the_uk_wall_clock_decides_across_summer_time(surrey, utc, line):
    """The page passes Europe/London wall-clock time; the rule reads it as it is."""
    instant = datetime.fromisoformat(utc).replace(tzinfo=UTC)
    wall_clock = instant.astimezone(LONDON).replace(tzinfo=None)
    assert line_at(surrey, wall_clock.isoformat(timespec="minutes")) == line


@pytest.mark.parametrize("pack", PACKS, ids=pack_ids())
def test_every_pack_gives_the_police_and_its_front_door_or_else_its_note(pack):
    data, _ = load_data_dir(pack.data_dir, today=date(2026, 12, 2))
    calendar = calendar_for(data.partnership, date(2026, 12, 2))
    now = emergency_now(data, calendar, datetime(2026, 12, 2, 10))
    assert now.police_phone == "999"
    e = data.partnership.emergency
    if e.in_hours is None:  # a procedure with no front-door number: the police and its note
        assert now.contact is None and now.phone is None
        assert now.note == e.note
    else:  # its front door, or the out-of-hours line when that is shut, with its number
        assert now.contact is not None and now.contact.id in {e.in_hours, e.out_of_hours}
        assert now.phone == data.phone_of(now.contact.id)


# --- opening hours that differ by day (Sefton's emergency duty team takes over "from
# 5.30pm Monday to Thursday, from 4pm on Friday and at weekends") ----------------------

def _sefton_hours(surrey):
    from escalation.model import Hours

    data, calendar = surrey
    front = data.contact(data.partnership.emergency.in_hours)
    hours = (Hours("monday to thursday", "09:00", "17:30"), Hours("friday", "09:00", "16:00"))
    contacts = tuple(dataclasses.replace(c, hours=hours) if c.id == front.id else c
                     for c in data.contacts.contacts)
    return dataclasses.replace(data, contacts=dataclasses.replace(data.contacts,
                                                                  contacts=contacts)), calendar


@pytest.mark.parametrize("when, in_hours", [
    ("2027-01-07T17:29", True),    # Thursday
    ("2027-01-07T17:30", False),
    ("2027-01-08T15:59", True),    # Friday closes earlier
    ("2027-01-08T16:00", False),
    ("2027-01-09T10:00", False),   # Saturday
    ("2027-01-01T10:00", False),   # New Year's Day, a Friday
])
def test_opening_hours_by_day(surrey, when, in_hours):
    data, calendar = _sefton_hours(surrey)
    assert emergency_now(data, calendar, datetime.fromisoformat(when)).in_hours is in_hours


def test_a_line_open_at_weekends_is_open_then_but_shut_on_a_bank_holiday(surrey):
    from escalation.model import Hours

    data, calendar = _sefton_hours(surrey)
    front = data.contact(data.partnership.emergency.in_hours)
    weekend = (Hours("every day", "10:00", "12:00"),)
    contacts = tuple(dataclasses.replace(c, hours=weekend) if c.id == front.id else c
                     for c in data.contacts.contacts)
    data = dataclasses.replace(data, contacts=dataclasses.replace(data.contacts, contacts=contacts))
    assert emergency_now(data, calendar, datetime(2027, 1, 9, 11, 0)).in_hours  # Saturday
    assert not emergency_now(data, calendar, datetime(2026, 12, 25, 11, 0)).in_hours


def test_the_days_an_admin_may_write():
    from escalation.model import check_days, days_of

    assert days_of("monday to thursday") == {0, 1, 2, 3}
    assert days_of("Saturday and Sunday") == {5, 6}
    assert days_of("weekdays, saturday") == {0, 1, 2, 3, 4, 5}
    for wrong in ("thursday to monday", "mondays", "", "weekdays and"):
        assert check_days(wrong) is not None, wrong
