"""Text in the data may name a contact's detail, as in "ring {cspa.phone}", or a stage's
timescale, as in "within {escalation.stage-1}" ("within 5 working days").

This keeps every phone number and address in contacts.yaml, and every timescale in
stages.yaml, alone: options, outcomes, template instructions and the form read them from
there when shown.
"""

from __future__ import annotations

import re
from datetime import date

from .model import ID_PATTERN, Data, Procedure, Stage

CONTACT_DETAIL = re.compile(r"\{(" + ID_PATTERN + r")\.(email|phone|phone_note|name|team)\}")
STAGE_TIMESCALE = re.compile(r"\{(" + ID_PATTERN + r")\.stage-([0-9]+)\}")


def detail(data: Data, contact_id: str, what: str) -> str:
    if what == "email":
        return data.email_of(contact_id) or ""
    if what == "phone":
        return data.phone_of(contact_id) or ""
    return getattr(data.contact(contact_id), what) or ""


def stage_amount(data: Data, procedure_id: str, number: int) -> str:
    timescale = data.procedure(procedure_id).stages[number - 1].timescale
    return amount(timescale.within, timescale.unit) if timescale else "no fixed time"


def fill_contact_details(text: str, data: Data) -> str:
    """Contact details and stage timescales named in the text, filled in from the data."""
    text = STAGE_TIMESCALE.sub(lambda m: stage_amount(data, m.group(1), int(m.group(2))), text)
    return CONTACT_DETAIL.sub(lambda m: detail(data, m.group(1), m.group(2)), text)


def amount(within: int, unit: str) -> str:
    """'2 working days', '1 working day', '48 hours'."""
    if within == 1:
        unit = {"working days": "working day", "calendar days": "day", "hours": "hour"}[unit]
    elif unit == "calendar days":
        unit = "days"
    return f"{within} {unit}"


NO_TIMESCALE = "No fixed timescale: act without delay"


def start_label(procedure: Procedure) -> str:
    """The label of the tool's start date field."""
    return f"Date of {procedure.start_event}"


def time_label(procedure: Procedure) -> str:
    """The label of the tool's start time field, asked for timescales in hours."""
    return f"Time of {procedure.start_event} (for the timescale in hours)"


def when(procedure: Procedure, stage: Stage) -> str:
    """When a stage is due, in words, from its timescale (FaST 7.2, Table 1, 'When')."""
    t = stage.timescale
    if t is None:
        return NO_TIMESCALE
    if t.counted_from == "start":
        anchor = procedure.start_event
    else:
        anchor = f"the completion of stage {stage.number - 1}"
    text = f"Within {amount(t.within, t.unit)} of {anchor}"
    return f"{text}, {t.caveat}" if t.caveat else text


def long_date(day: date) -> str:
    """'Thursday 24 December 2026', the GOV.UK style for dates."""
    return f"{day:%A} {day.day} {day:%B %Y}"
