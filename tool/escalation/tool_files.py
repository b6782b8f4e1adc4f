"""The files the practitioner downloads from the tool, one maker per kind of file.

Each maker takes the situation and gives {"name", "type", "text"}, or raises ValueError
with a message for the person. File names never carry anything typed.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime

from .agency_log import agency_log_csv
from .appendix import form_email
from .case import case_file
from .emails import email_eml
from .model import Procedure
from .reminders import calendar_ics, stage_reminders
from .situation import Situation
from .tool_view import filled_form, has_form, stage_email_now
from .wording import rung, step_title

File = dict[str, str]


def _email(s: Situation, procedure: Procedure, stamp: datetime) -> File:
    made = stage_email_now(s, procedure)
    if made is None:
        raise ValueError("this procedure has no stage emails")
    template, email = made
    # Named with the procedure's word: "fast-stage-3-email.eml", "escalation-step-2-email.eml".
    return {"name": f"{procedure.id}-{procedure.stage_word}-{template.stage}-email.eml",
            "type": "message/rfc822", "text": email_eml(email).decode("utf-8")}


def _form(s: Situation, procedure: Procedure, stamp: datetime) -> File:
    if not has_form(s, procedure) or s.data.form is None:
        raise ValueError("this procedure has no form")
    email = form_email(s.data, filled_form(s))
    return {"name": f"{s.data.form.id}.eml", "type": "message/rfc822",
            "text": email_eml(email).decode("utf-8")}


def _calendar(s: Situation, procedure: Procedure, stamp: datetime) -> File:
    result = s.plan()
    if result is None:
        raise ValueError("enter the start date first")
    if not result.stages:  # outside the years whose bank holidays the site knows
        raise ValueError(result.problems[-1].message if result.problems
                         else "there are no deadlines to add")
    reminders = stage_reminders(result, procedure, s.data.partnership.id, s.case.id or None,
                                s.bundle.calendar, s.data.partnership.about)
    if not reminders:
        raise ValueError(f"there are no deadlines left to add: every "
                         f"{rung(procedure, capital=False)} with a date is done, and the "
                         "others have no fixed timescale")
    return {"name": f"{procedure.id}-deadlines.ics", "type": "text/calendar",
            "text": calendar_ics(reminders, f"{procedure.name} deadlines", stamp)}


def _log(s: Situation, procedure: Procedure, stamp: datetime) -> File:
    # With a byte order mark, so that Excel reads the file as UTF-8.
    return {"name": f"{procedure.id}-log-{s.moment:%Y-%m-%d}.csv", "type": "text/csv",
            "text": "\ufeff" + agency_log_csv(s.dates.stage_records(), s.dates.start,
                                             _steps_done(s, procedure), procedure.stage_word)}


def _steps_done(s: Situation, procedure: Procedure) -> list[tuple[int, str, date]] | None:
    if not any(stage.steps for stage in procedure.stages):
        return None
    return [(stage.number, step_title(step), s.dates.done[step.id])
            for stage in procedure.stages for step in stage.steps if step.id in s.dates.done]


# Files about the procedure's stages; the case file is for any route.
_STAGED: dict[str, Callable[[Situation, Procedure, datetime], File]] = {
    "email": _email,       # the chosen stage's email, as .eml
    "form": _form,         # the partnership's form, as an .eml to the partnership
    "calendar": _calendar, # the deadlines as .ics reminders
    "log": _log,           # the agency's log as CSV
}


def case(s: Situation) -> File:
    partnership = s.data.partnership.id
    name = s.procedure.id if s.procedure else partnership
    return {"name": f"{name}-case-{s.moment:%Y-%m-%d}.json", "type": "application/json",
            "text": case_file(s.case, partnership, s.moment)}


def download(s: Situation, what: str, stamp: datetime) -> File:
    """One file: "email", "form", "calendar", "log" or "case"."""
    if what == "case":
        return case(s)
    if what not in _STAGED:
        raise ValueError(f"no such file: {what}")
    if s.procedure is None:
        raise ValueError("the route you chose has no stages to plan")
    return _STAGED[what](s, s.procedure, stamp)
