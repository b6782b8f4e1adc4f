"""Which number to ring now: the in-hours line when it is open, otherwise out of hours.

The time is the UK wall-clock time, passed in (the browser reads it with Intl for
Europe/London): no clock inside the rules.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, time

from .calendar import Calendar, OutsideCalendar
from .model import Contact, Data, days_of


@dataclass(frozen=True)
class EmergencyNow:
    contact: Contact | None  # None when the partnership gives no front-door number
    phone: str | None
    in_hours: bool
    police_phone: str
    note: str | None
    about: str = "child"  # whom the procedure is about (partnership.yaml)


def _open(contact: Contact, calendar: Calendar, now: datetime) -> bool:
    """Whether the line is open now: on a day its hours name, between its times (Sefton's
    front door closes at 17:30 Monday to Thursday and at 16:00 on Friday)."""
    for hours in contact.hours:
        days = days_of(hours.days) or frozenset()
        if now.weekday() not in days:
            continue
        if hours.closed_on_bank_holidays and _closed_today(calendar, now):
            continue
        if time.fromisoformat(hours.opens) <= now.time() < time.fromisoformat(hours.closes):
            return True
    return False


def _closed_today(calendar: Calendar, now: datetime) -> bool:
    """Whether today is a bank holiday or a local closure day."""
    try:
        calendar.is_working_day(now.date())  # only to ask whether the year is known
    except OutsideCalendar:
        return True  # unknown: send people to the line that is always staffed
    return calendar.closure(now.date()) is not None


def emergency_now(data: Data, calendar: Calendar, now: datetime) -> EmergencyNow:
    e = data.partnership.emergency
    police = data.phone_of(e.police)
    if police is None:  # the check refuses an emergency contact without a phone number
        raise ValueError(f"the police contact '{e.police}' has no phone number")
    if e.in_hours is None:
        return EmergencyNow(contact=None, phone=None, in_hours=False, police_phone=police,
                            note=e.note, about=data.partnership.about)
    day = data.contact(e.in_hours)
    # With no out-of-hours line, the one line given is the one to ring at any time.
    is_open = e.out_of_hours is None or _open(day, calendar, now)
    contact = day if is_open or e.out_of_hours is None else data.contact(e.out_of_hours)
    return EmergencyNow(contact=contact, phone=data.phone_of(contact.id), in_hours=is_open,
                        police_phone=police, note=e.note, about=data.partnership.about)
