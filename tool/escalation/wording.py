"""Text in the data may name a contact's detail, as in "ring {cspa.phone}", or a stage's
timescale, as in "within {escalation.stage-1}" ("within 5 working days").

This keeps every phone number and address in contacts.yaml, and every timescale in
stages.yaml, alone: options, outcomes, template instructions and the form read them from
there when shown.
"""

from __future__ import annotations

import re
from datetime import date

from .model import (
    ID_PATTERN,
    Data,
    Drift,
    Limit,
    NamedForm,
    Notification,
    Partnership,
    Procedure,
    Stage,
    Step,
    Timescale,
)

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


SEE_PROCEDURE = "See the procedure for its timescale"
# Beside every date of a procedure whose timescales are indicative (HIPS: "timescales are
# indicative").
INDICATIVE = "indicative: the procedure's timescales are a guide"


def untimed(part: Stage | Step) -> str:
    """What a stage or step with no timescale says instead: the procedure's own words when
    the pack gives them, otherwise (not written down yet) where to look."""
    if part.no_timescale:
        return f"No fixed timescale: {part.no_timescale}"
    return SEE_PROCEDURE


def start_label(procedure: Procedure) -> str:
    """The label of the tool's start date field."""
    return f"Date of {procedure.start_event}"


def time_label(procedure: Procedure) -> str:
    """The label of the tool's start time field, asked for timescales in hours."""
    return f"Time of {procedure.start_event} (for the timescale in hours)"


def step_title(step: Step) -> str:
    """A step as a row of the plan names it: 'If agreed: Letter confirming the agreement'."""
    return f"{step.when[0].upper()}{step.when[1:]}: {step.name}" if step.when else step.name


def when(procedure: Procedure, stage: Stage) -> str:
    """When a stage is due, in words, from its timescale (FaST 7.2, Table 1, 'When'); for
    a stage of steps, each step's."""
    t = stage.timescale
    if t is None:
        if stage.steps:
            return "; ".join(f"{step_title(step)}: {_lower_first(step_when(procedure, stage, step))}"
                             for step in stage.steps)
        return untimed(stage)
    if t.counted_from == "start":
        anchor = procedure.start_event
    else:
        anchor = f"the completion of stage {stage.number - 1}"
    return _within(procedure, t, anchor)


def step_when(procedure: Procedure, stage: Stage, step: Step) -> str:
    """When a step is due, in words: 'Within 5 working days of Agree a way forward'."""
    t = step.timescale
    if t is None:
        return untimed(step)
    index = stage.steps.index(step)
    counted = t.counted_from
    if counted == "start":
        anchor = procedure.start_event
    elif counted == "stage start" or (counted == "previous step" and index == 0):
        anchor = (procedure.start_event if stage.number == 1
                  else f"the completion of stage {stage.number - 1}")
    elif counted == "previous step":
        anchor = f"'{stage.steps[index - 1].name}'"
    else:
        named = next((s.name for s in procedure_steps(procedure) if s.id == counted), counted)
        anchor = f"'{named}'"
    return _within(procedure, t, anchor)


def _within(procedure: Procedure, t: Timescale, anchor: str) -> str:
    text = f"Within {amount(t.within, t.unit)} of {anchor}"
    if t.caveat:
        text += f", {t.caveat}"
    return f"{text} ({INDICATIVE})" if procedure.indicative else text


def procedure_steps(procedure: Procedure) -> list[Step]:
    return [step for stage in procedure.stages for step in stage.steps]


def limit_rule(limit: Limit) -> str:
    """'Stages 1 to 3 take 15 working days at most in all.'"""
    stages = (f"Stage {limit.first_stage}" if limit.first_stage == limit.last_stage
              else f"Stages {limit.first_stage} to {limit.last_stage}")
    return (f"{stages} take {amount(limit.within, limit.unit)} at most in all, counted from "
            f"the start of stage {limit.first_stage}.")


def long_date(day: date) -> str:
    """'Thursday 24 December 2026', the GOV.UK style for dates."""
    return f"{day:%A} {day.day} {day:%B %Y}"


def either(numbers: list[int]) -> str:
    """'2', '2 or 3', '2, 3 or 4'."""
    words = [str(n) for n in numbers]
    return words[0] if len(words) == 1 else f"{', '.join(words[:-1])} or {words[-1]}"


def drift_rule(drift: Drift) -> str:
    """When a gap between stages means starting again (FaST 7.2: "if there is a week or
    more between Stages, you will need to start the process again at Stage 2")."""
    watched = list(range(drift.first_stage, drift.last_stage + 1))
    return (f"If you start stage {either(watched)} and leave {drift.gap_calendar_days} days "
            f"or more before the next stage starts, the process starts again at stage "
            f"{drift.restart_at}.")


_REGIONS = {("GB", "ENG"): "England", ("GB", "WLS"): "Wales", ("GB", "SCT"): "Scotland",
            ("GB", "NIR"): "Northern Ireland"}


def working_days(partnership: Partnership) -> str:
    """What a working day is, for this partnership."""
    region = partnership.region
    where = _REGIONS.get((region.country, region.subdivision),
                         f"{region.country}-{region.subdivision}")
    closures = " and the partnership's local closure days" if partnership.closure_days else ""
    return f"Working days are Monday to Friday, except bank holidays in {where}{closures}."


NOT_COUNTED = "The day a timescale is counted from is never counted itself."


def ring_police(number: str) -> str:
    """The first thing to do for a child in immediate danger; `number` may carry markup."""
    return f"If a child is in immediate danger, ring the police on {number}."


# --- forms, notifications and duties ---------------------------------------------------


def form_sentence(data: Data, form: NamedForm) -> str:
    """'Complete the Stage 3 Monitoring Information Form (Appendix 1), from the
    Pan-Lancashire procedures website, and send it to the LSCB Team.'"""
    title = form.title + (f" ({form.reference})" if form.reference else "")
    where = form.get_it + (f", {form.address}" if form.address else "")
    send = f", and send it to {data.contact(form.send_to).name}" if form.send_to else ""
    return f"Complete the {title}, from {where}{send}."


def notification_sentence(data: Data, procedure: Procedure, note: Notification) -> str:
    """'Tell the LSCB Team that senior officers are involved, on the Stage 3 Monitoring
    Information Form.'"""
    form = next((f for f in procedure.forms if f.id == note.form), None)
    carried = f", on the {form.title}" if form else ""
    return f"Tell {data.contact(note.to).name} {note.what}{carried}."


def stage_tasks(data: Data, procedure: Procedure, stage: Stage) -> list[str]:
    """What to do at a stage besides its next contact: its duties, its forms, and whom to
    tell (at the start, for stage 1)."""
    forms = {f.id: f for f in procedure.forms}
    found = [_sentence(duty) for duty in stage.duties]
    found += [form_sentence(data, forms[f]) for f in stage.forms if f in forms]
    moments = {f"stage {stage.number}"} | ({"start"} if stage.number == 1 else set())
    found += [notification_sentence(data, procedure, n) for n in procedure.notifications
              if n.at in moments]
    return found


def every_stage_tasks(data: Data, procedure: Procedure) -> list[str]:
    """What the procedure asks at every stage, and whom to tell when it is resolved."""
    found = [f"At every stage: {_lower_first(_sentence(d))}" for d in procedure.duties]
    found += [f"When it is resolved: {_lower_first(notification_sentence(data, procedure, n))}"
              for n in procedure.notifications if n.at == "resolution"]
    return found


def _sentence(text: str) -> str:
    text = " ".join(text.split())
    return text if text.endswith((".", "!", "?")) else text + "."


def _lower_first(text: str) -> str:
    return text[:1].lower() + text[1:]
