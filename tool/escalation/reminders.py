"""Stage deadlines as calendar reminders (.ics, RFC 5545)."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

from .calendar import Calendar, OutsideCalendar
from .model import Procedure
from .plain_text import encodable
from .timeline import Plan, Reading
from .wording import long_date, reading_words, rung, safety_first, step_title, step_when, when

# --- calendar reminders -------------------------------------------------------------------


@dataclass(frozen=True)
class Reminder:
    """One deadline as an all-day calendar event."""

    uid: str            # stable, so importing again updates the event instead of adding one
    day: date           # the deadline day
    summary: str
    description: str = ""
    remind_on: date | None = None  # the working day before the deadline; None: the day before


# The alarm rings at 09:00 on the reminder's day: the start of an all-day event is
# midnight, local time, so that is 15 hours before the start of the day after it.
ALARM_HOUR = 9


def _trigger(reminder: Reminder) -> str:
    """How long before the event's start the alarm rings (RFC 5545 dur-value): days are
    nominal days, so a Monday deadline reminds at 09:00 on the Friday (-P2DT15H)."""
    days = (reminder.day - reminder.remind_on).days if reminder.remind_on else 1
    whole = days - 1
    return f"-P{whole}DT{24 - ALARM_HOUR}H" if whole else f"-PT{24 - ALARM_HOUR}H"
_FOLD_AT = 75  # octets per line, RFC 5545 section 3.1


def _ical_text(text: str) -> str:
    """A TEXT value (RFC 5545 section 3.3.11): line breaks become the two characters \\n,
    so nothing typed can start a property or an event of its own."""
    text = encodable(text).replace("\r\n", "\n").replace("\r", "\n")
    text = re.sub(r"[\x00-\x08\x0b-\x1f\x7f\u2028\u2029]", " ", text)  # TEXT has no controls but tab
    text = text.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,")
    return text.replace("\n", "\\n")


def _fold(line: str) -> str:
    """One content line folded at 75 octets, never inside a UTF-8 character."""
    parts: list[str] = []
    current: list[str] = []
    size = 0
    for char in line:
        width = len(char.encode("utf-8"))
        if size + width > _FOLD_AT:
            parts.append("".join(current))
            current, size = [" "], 1  # a continuation line starts with one space
        current.append(char)
        size += width
    parts.append("".join(current))
    return "\r\n".join(parts)


def _ical_date(day: date) -> str:
    return f"{day:%Y%m%d}"


def _ical_stamp(stamp: datetime) -> str:
    if stamp.tzinfo is not None:
        stamp = stamp.astimezone(UTC)
    return f"{stamp:%Y%m%dT%H%M%SZ}"


def _event(reminder: Reminder, stamp: str) -> list[str]:
    day = reminder.day.date() if isinstance(reminder.day, datetime) else reminder.day
    summary = _ical_text(reminder.summary)
    return [
        "BEGIN:VEVENT",
        f"UID:{_ical_text(reminder.uid)}",
        f"DTSTAMP:{stamp}",
        f"DTSTART;VALUE=DATE:{_ical_date(day)}",
        f"DTEND;VALUE=DATE:{_ical_date(day + timedelta(days=1))}",
        f"SUMMARY:{summary}",
        f"DESCRIPTION:{_ical_text(reminder.description)}",
        "TRANSP:TRANSPARENT",  # a reminder, not a meeting: it does not block the day
        "BEGIN:VALARM",
        "ACTION:DISPLAY",
        f"TRIGGER:{_trigger(reminder)}",
        f"DESCRIPTION:{summary}",
        "END:VALARM",
        "END:VEVENT",
    ]


def calendar_ics(reminders: Sequence[Reminder], calendar_name: str, stamp: datetime) -> str:
    """The reminders as an .ics file (RFC 5545, CRLF, folded lines).

    stamp is when the file was made, in UTC (a naive datetime is read as UTC); it is an
    argument so that the same reminders always give the same file.
    """
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        "PRODID:-//escalation//EN",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        f"X-WR-CALNAME:{_ical_text(calendar_name)}",
    ]
    dtstamp = _ical_stamp(stamp)
    for reminder in reminders:
        lines += _event(reminder, dtstamp)
    lines.append("END:VCALENDAR")
    return "".join(_fold(line) + "\r\n" for line in lines)




def _working_day_before(calendar: Calendar | None, day: date) -> date | None:
    if calendar is None:
        return None
    try:
        return calendar.working_day_before(day)
    except OutsideCalendar:
        return None  # the day before, then: a reminder on a weekend beats none


def stage_reminders(plan: Plan, procedure: Procedure, partnership_id: str,
                    case_id: str | None = None, calendar: Calendar | None = None,
                    about: str = "child") -> list[Reminder]:
    """One reminder for each stage, and each step of a stage, not yet done, on its
    deadline, with an alarm at 09:00 on the working day before it (never on a Sunday for
    a Monday deadline).

    Nothing the practitioner typed goes in: calendars are often synced to servers, so a
    reminder names the stage and the deadline, never the child.
    """
    reminders = []

    def remind(key: str, due, caveat: str | None, summary: str, said: str,
               reading: Reading | None) -> None:
        at = f" at {due.at:%H:%M}" if due.at else ""
        caveat = f" ({caveat})" if caveat else ""
        # A timescale in two units: the event is on the earlier date, and says the other.
        other = f" ({reading_words(reading, due.day)})" if reading else ""
        reminders.append(Reminder(
            # With the case's random id, one stage of one case is one event whatever its
            # date: importing again after a stage moves updates it, and two cases never
            # overwrite each other's reminders.
            uid=(f"{procedure.id}-{case_id}-{key}@{partnership_id}" if case_id
                 else f"{procedure.id}-{key}-{due.day:%Y%m%d}@{partnership_id}"),
            day=due.day,
            remind_on=_working_day_before(calendar, due.day),
            summary=f"{procedure.name}: {summary} due{at}{caveat}",
            description=(f"{said}{caveat}: no later than {long_date(due.day)}{at}{other}. "
                         f"{safety_first(about)}")))

    stages = {s.number: s for s in procedure.stages}
    for planned in plan.stages:
        stage = stages[planned.number]
        steps = {t.id: t for t in stage.steps}
        # Each step has its own clock (Sefton 17.2), and a reminder made as the stage's.
        for t in planned.steps:
            if t.status == "done" or t.due is None:
                continue
            title = step_title(steps[t.id])
            remind(f"step-{t.id}", t.due, None,
                   f"{rung(procedure, stage.number, capital=False)}, {title},",
                   f"{rung(procedure, stage.number)}, {stage.name}: {title}. "
                   f"{step_when(procedure, stage, steps[t.id])}", t.reading)
        if planned.status == "done" or planned.due is None:
            continue
        remind(f"stage-{planned.number}", planned.due, planned.caveat,
               rung(procedure, planned.number, capital=False),
               f"{rung(procedure, planned.number)}, {planned.name}: {stage.who}. "
               f"{when(procedure, stage)}", planned.reading)
    return reminders
