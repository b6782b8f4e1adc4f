"""The decision tool's view: everything the page shows for one situation, as plain JSON
that page.js only renders into its templates. Every rule (which question comes next, which
route, which date, which number to ring, what each email says) is decided here.

A route without stages (a referral, a complaint, the emergency route) is handled in one
place, `view`: it has no plan, no stage email and no form, and the notes say what
applies instead.
"""

from __future__ import annotations

from typing import Any

from .appendix import appendix_form, form_email, form_html
from .bundle import Bundle
from .case import Case
from .chooser import route, walk
from .documents import PLACEHOLDER
from .emails import Email, mailto_url, sendable_templates, stage_email
from .emergency import EmergencyNow, emergency_now
from .model import (
    CHOSEN_AGENCY,
    COUNTED_FROM,
    Data,
    Procedure,
    Stage,
    Step,
    Template,
    check_email,
)
from .situation import Dates, Situation
from .timeline import Plan, Reading, StagePlan, has_clock, needs_time
from .wording import (
    INDICATIVE,
    every_stage_tasks,
    long_date,
    reach,
    reading_words,
    ring_now,
    rung,
    stage_tasks,
    stage_words,
    start_label,
    step_title,
    time_label,
    untimed,
)

# Where each stage's email keeps the named Senior Manager's address (state: emails.<stage>).
MANAGER_ADDRESS = "to_address"

_STATUS_WORDS = {"done": "Done", "due today": "Due today", "overdue": "Overdue",
                 "upcoming": "Upcoming", "no timescale": "No fixed timescale",
                 "see the procedure": "See the procedure"}


def _status_words(procedure: Procedure, status: str) -> str:
    """A stage's status in words, with the procedure's word for its stages."""
    if status == "stage completed":
        return f"Not recorded: the {rung(procedure, capital=False)} is completed"
    if status == "waiting":
        return f"Waiting for the {rung(procedure, capital=False)} before"
    return _STATUS_WORDS[status]


def view(s: Situation) -> dict[str, Any]:
    """Everything the tool page shows now."""
    window_ends = s.bundle.calendar.last_year
    # Which line is open now, worked out once: the emergency line and the route's
    # contacts both follow it.
    urgent = emergency_now(s.bundle.data, s.bundle.calendar, s.moment)
    shown: dict[str, Any] = {
        "emergency": _emergency(urgent),
        "chooser": _chooser(s.bundle, s.case.answers, urgent),
        "calendar_note": (f"This tool knows bank holidays only until the end of {window_ends}: "
                          "the site needs rebuilding." if s.moment.year >= window_ends else None),
    }
    if s.procedure is None:  # a route without stages: nothing to plan, send or fill in
        return shown | {"plan": _no_plan(s.data), "email": None, "email_note": _stageless_email_note(s),
                        "form": None, "form_note": _stageless_form_note(s)}
    return shown | {
        "plan": _plan(s.data, s.procedure, s.dates, s.plan()),
        "email": _email_view(s, s.procedure),
        "email_note": _email_note(s, s.procedure),
        "form": _form_view(s, s.procedure),
        "form_note": _form_note(s, s.procedure),
    }


# --- which number to ring now, and which route ------------------------------------------


def _emergency(urgent: EmergencyNow) -> dict[str, Any]:
    return {"text": ring_now(urgent)}


def _chooser(bundle: Bundle, answers: dict[str, str], urgent: EmergencyNow) -> dict[str, Any]:
    tree = bundle.data.chooser
    if tree is None:
        return {"question": None, "asked": [], "route": None}
    result = walk(tree, answers)
    shown: dict[str, Any] = {
        "question": result.question.id if result.question else None,
        "asked": [{"question": q.id, "text": q.text, "answer": a.label} for q, a in result.asked],
        "route": None,
    }
    if result.outcome:
        r = route(bundle.data, result.outcome)
        shown["route"] = {
            "id": r.id, "title": r.title, "why": r.why, "do_now": list(r.do_now),
            "emergency": r.emergency, "procedure": r.procedure,
            "contacts": _contacts(bundle, r.contacts, urgent),
        }
    return shown


def _contacts(bundle: Bundle, ids: tuple[str, ...], urgent: EmergencyNow) -> list[dict]:
    """Whom to contact, the line to ring now first: out of hours, the out-of-hours line
    comes before the daytime one (which says it is closed now)."""
    e = bundle.data.partnership.emergency
    now_id = urgent.contact.id if urgent.contact is not None else None
    closed_id = e.in_hours if e.in_hours and e.out_of_hours and now_id != e.in_hours else None
    ordered = sorted(ids, key=lambda c: c != now_id)  # stable: the rest keep their order
    return [_contact(bundle, c, now="Open now, ring this line" if c == now_id and e.out_of_hours
                     else "Closed now" if c == closed_id else None) for c in ordered]


def _contact(bundle: Bundle, contact_id: str, now: str | None = None) -> dict[str, str | None]:
    c = reach(bundle.data, contact_id)
    email, phone = c.email, c.phone
    return {"name": c.name, "team": c.team, "email": email, "phone": phone,
            "phone_note": c.phone_note, "note": c.note, "now": now,
            "textphone": c.textphone, "address": c.address, "web": c.web,
            "tel": f"tel:{phone.replace(' ', '')}" if phone else None,
            "mailto": f"mailto:{email}" if email else None}


# --- the plan -----------------------------------------------------------------------------


def _no_plan(data: Data) -> dict[str, Any]:
    # A route without stages names them with the main procedure's word.
    stages = rung(data.procedure(), capital=False, plural=True)
    return {"procedure": None, "procedure_id": None, "start_label": None, "time_label": None,
            "records": [], "stages": [], "problems": [], "end": None, "drift": None,
            "duties": [], "words": stage_words(data.procedure()),
            "none": (f"The route you chose has no {stages} with deadlines to plan: follow "
                     'what to do now under "Which route?" above.')}


def _plan(data: Data, procedure: Procedure, dates: Dates, result: Plan | None) -> dict[str, Any]:
    problems = [{"field": _field_id(procedure, p["field"]), "message": p["message"]}
                for p in dates.problems]
    shown: dict[str, Any] = {
        "procedure": procedure.name,
        # The page keeps each procedure's dates and records apart, under this id.
        "procedure_id": procedure.id,
        "start_label": start_label(procedure),
        # Asked only when a timescale runs in hours from the start.
        "time_label": time_label(procedure) if needs_time(procedure) else None,
        # The stage records to show, named for this procedure.
        "records": [{"number": s.number, "summary": f"{rung(procedure, s.number)}: {s.name}"}
                    for s in procedure.stages],
        "stages": [], "problems": problems, "end": None, "drift": None, "none": None,
        "duties": [], "words": stage_words(procedure),
    }
    if result is None:
        return shown  # nothing to plan yet
    # A date that could not be read has its own message already.
    unreadable = {p["field"] for p in problems}
    problems += [{"field": field, "message": p.message} for p in result.problems
                 if (field := _field_id(procedure, p.field)) not in unreadable]
    by_number = {s.number: s for s in procedure.stages}
    shown["stages"] = [_stage_row(data, procedure, by_number[s.number], s)
                       for s in result.stages]
    shown["duties"] = every_stage_tasks(data, procedure)
    shown["end"] = _end_text(procedure, result)
    shown["drift"] = result.drift
    return shown


def _field_id(procedure: Procedure, field: str) -> str:
    """The page's id of the field a problem names: a step's fields are the procedure's own
    (done-<procedure>--<step>), as state_paths.step_field keeps them apart."""
    for prefix in ("done-time--", "done--"):
        if field.startswith(prefix):
            return f"{prefix[:-1]}{procedure.id}--{field[len(prefix):]}"
    return field


def _stage_row(data: Data, procedure: Procedure, stage: Stage, s: StagePlan) -> dict[str, Any]:
    steps = {step.id: step for step in stage.steps}
    return {
        "number": s.number, "name": s.name, "who": s.who,
        # As the plan's row heads it: "Stage 2: Inter-agency discussion", "Step 1: ...".
        "title": f"{rung(procedure, s.number)}: {s.name}",
        "when": stage.when,
        # Duties, forms and whom to tell at this stage, besides the next contact.
        "tasks": stage_tasks(data, procedure, stage),
        "due_text": _due_text(procedure, s.due, stage, s.capped, s.unsure,
                              next((steps[t.id] for t in s.steps if t.due is None
                                    and steps[t.id].timescale is not None), None),
                              s.reading),
        "status": s.status, "status_text": _stage_status(procedure, stage, s),
        "completed": long_date(s.completed) if s.completed else None,
        "late": s.late, "caveat": s.caveat,
        "steps": [{
            "id": t.id, "name": step_title(steps[t.id]), "who": t.who,
            "due_text": _due_text(procedure, t.due, steps[t.id], t.capped, t.unsure,
                                  reading=t.reading),
            "status": t.status,
            # A step on a branch ("if agreed") may not happen at all.
            "status_text": (f"Waiting for {_waited_for(procedure, stage, steps[t.id])}"
                            if t.status == "waiting" else _status_words(procedure, t.status)) + (
                f" ({steps[t.id].when})" if steps[t.id].when and t.status in (
                    "overdue", "due today") else ""),
            "completed": long_date(t.done) if t.done else None,
            "late": t.late, "caveat": t.caveat,
        } for t in s.steps],
    }


def _stage_status(procedure: Procedure, stage: Stage, s: StagePlan) -> str:
    """A stage of steps waits for its own steps' dates once it has begun: for what those
    are counted from, named (never "its steps": a procedure may call its stages steps)."""
    if s.status == "waiting" and stage.timescale is None and s.counted_from is not None:
        return f"Waiting for {_steps_waited_for(procedure, stage, s)}"
    return _status_words(procedure, s.status)


def _waited_for(procedure: Procedure, stage: Stage, step: Step) -> str:
    """What a step's clock waits for: the step it is counted from, by its name, or the
    end of the stage before."""
    counted = step.timescale.counted_from if step.timescale else "stage start"
    index = stage.steps.index(step)
    if counted == "previous step" and index > 0:
        return f"'{stage.steps[index - 1].name}'"
    if counted not in COUNTED_FROM:
        named = next((t.name for st in procedure.stages for t in st.steps if t.id == counted),
                     counted)
        return f"'{named}'"
    return f"the {rung(procedure, capital=False)} before"


def _steps_waited_for(procedure: Procedure, stage: Stage, s: StagePlan) -> str:
    """What the timed steps of a stage still without a date wait for, each named once."""
    steps = {step.id: step for step in stage.steps}
    waited = list(dict.fromkeys(_waited_for(procedure, stage, steps[t.id]) for t in s.steps
                                if t.status == "waiting"))
    return " and ".join(waited) or f"the {rung(procedure, capital=False)} before"


def _end_text(procedure: Procedure, result: Plan) -> str | None:
    """The line under the plan: when the whole process ends, only when that is known."""
    if not result.stages:
        return None
    if result.latest_end:
        end = long_date(result.latest_end.day)
        if procedure.indicative:
            return f"As a guide, the whole process ends by {end} ({INDICATIVE})."
        return f"The whole process ends no later than {end}."
    last = procedure.stages[-1]
    word = rung(procedure, capital=False)
    if not has_clock(last):
        if last.no_timescale:
            return (f"The procedure sets no end date: its last {word} has no fixed timescale "
                    f"({last.no_timescale}).")
        return (f"No end date is worked out here: see the procedure for its last {word}'s "
                "timescale.")
    return (f"The end date depends on something not known yet (a {word} before with no "
            "fixed timescale, or a date inside one not yet recorded): it is worked out once "
            "that date is recorded.")


def _due_text(procedure: Procedure, due, part: Stage | Step, capped: bool = False,
              unsure: bool = False, waiting: Step | None = None,
              reading: Reading | None = None) -> str:
    """The "no later than" cell: a date, or why there is none (for a stage of steps, the
    first of its timed steps still without a date is `waiting`)."""
    if due is not None:
        text = long_date(due.day) + (f" at {due.at:%H:%M}" if due.at else "")
        if reading:
            text += f" ({reading_words(reading, due.day)})"
        if capped:
            text += " (the latest the whole procedure may take)"
        if unsure:
            text += (f" (the shortest of its timescales: answer "
                     f"\"{procedure.priority_question}\" above)")
        return text + (f" ({INDICATIVE})" if procedure.indicative else "")
    if not has_clock(part):
        return untimed(part)
    if isinstance(part, Stage) and part.timescale is None:
        # A stage of steps is due with its last timed step: counted from what waits.
        return (_counted_from(procedure, part, waiting) if waiting
                else "When the dates inside it are known")
    if isinstance(part, Stage):
        return f"Counted from when {rung(procedure, part.number - 1, capital=False)} ends"
    return _counted_from(procedure, next(st for st in procedure.stages if part in st.steps),
                         part)


def _counted_from(procedure: Procedure, stage: Stage, step: Step) -> str:
    """Why a step has no date yet: what it is counted from is not done, or the stage before
    has not ended."""
    waited = _waited_for(procedure, stage, step)
    if waited.startswith("'"):
        return f"Counted from {waited}, not yet done"
    return f"Counted from when {rung(procedure, stage.number - 1, capital=False)} ends"


# --- the stage emails ---------------------------------------------------------------------


def _email_stage(case: Case, templates: list[Template], dates: Dates) -> Template | None:
    """The stage chosen, else the first stage with an email that is not yet completed:
    the email the practitioner most likely has to send next."""
    by_stage = {str(t.stage): t for t in templates}
    if case.email_stage in by_stage:
        return by_stage[case.email_stage]
    waiting = [t for t in templates if t.stage not in dates.completed]
    if waiting:
        return waiting[0]
    return templates[-1] if templates else None  # all done: the last, never back to the first


def _email_values(s: Situation, stage: int) -> dict[str, str]:
    """What was typed for every email, and for this stage's email its own answers (whom it
    goes to, what happened before); the previous stage's date and recipient come from its
    record unless typed here, so the practitioner types each fact once."""
    templates = s.data.templates
    own = {p.id for p in templates.placeholders if p.per_email} if templates else set()
    values = {k: v for k, v in s.case.fields.items() if k not in own}
    values.update((k, v) for k, v in s.case.emails.get(str(stage), {}).items() if k in own)
    previous = s.dates.records.get(stage - 1)
    contacted = s.dates.contacted(stage - 1)
    if not values.get("previous_date", "").strip() and contacted:
        values["previous_date"] = long_date(contacted)
    if not values.get("previous_recipient", "").strip() and previous and previous.who.strip():
        values["previous_recipient"] = previous.who.strip()
    return values


def _chosen_agency(s: Situation) -> str | None:
    try:
        agency = s.case.agency
        return agency if agency and s.data.email_of(agency) else None
    except KeyError:
        return None  # a contact since removed from the directory (an old case file)


def stage_email_now(s: Situation, procedure: Procedure) -> tuple[Template, Email] | None:
    """The stage email the practitioner is writing, filled from what was typed."""
    template = _email_stage(s.case, sendable_templates(s.data, procedure.id), s.dates)
    if template is None:
        return None
    address, _ = _manager_address(s.case, template)
    return template, stage_email(s.data, template.stage, _email_values(s, template.stage),
                                 _chosen_agency(s), procedure.id, address)


def _manager_address(case: Case, template: Template) -> tuple[str | None, str | None]:
    """The named Senior Manager's address typed for this stage's email, when it is one
    (else None and what is wrong with it): the templates say "send to the Senior Manager
    identified", and the agency's mailbox is only the default."""
    typed = case.emails.get(str(template.stage), {}).get(MANAGER_ADDRESS, "").strip()
    if not typed or template.to != CHOSEN_AGENCY:
        return None, None
    problem = check_email(typed)
    if problem:
        return None, (problem[0].upper() + problem[1:] + ". Until it is, the email goes to "
                      "the agency's mailbox.")
    return typed, None


def _email_view(s: Situation, procedure: Procedure) -> dict[str, Any] | None:
    made = stage_email_now(s, procedure)
    if made is None:
        return None
    template, email = made
    _, address_problem = _manager_address(s.case, template)
    return {
        "stage": str(template.stage),
        "heading": f"The {rung(procedure, template.stage, capital=False)} email",
        # Whether the email goes to an agency chosen (so a named manager's address may
        # replace its mailbox), and what is wrong with the address typed, if anything.
        "asks_address": template.to == CHOSEN_AGENCY,
        "address_problem": address_problem,
        "instruction": " ".join(template.instruction.split()),
        "needs_agency": template.to == CHOSEN_AGENCY and not email.to,
        "fields": sorted(set(PLACEHOLDER.findall(template.body or ""))),
        "to": ", ".join(email.to), "cc": ", ".join(email.cc), "subject": email.subject,
        "body": email.body, "mailto": mailto_url(email) if email.to else None,
    }


def _email_note(s: Situation, procedure: Procedure) -> str | None:
    """Why no stage email is offered for this procedure (a partnership without templates
    has no email step at all)."""
    if not s.data.templates or sendable_templates(s.data, procedure.id):
        return None
    return f"The {procedure.name} has no email templates: write in your own words."


def _stageless_email_note(s: Situation) -> str | None:
    if not s.data.templates:
        return None
    main = s.data.procedure()
    word, words = rung(main, capital=False), rung(main, capital=False, plural=True)
    return (f"The route you chose has no {words}, so no {word} email applies: do what "
            '"Which route?" says, in your own words where you write to someone. The '
            f"{word} emails are for the {main.name}.")


# --- the form -----------------------------------------------------------------------------


def filled_form(s: Situation):
    return appendix_form(s.data, s.case.fields, s.dates.stage_records(),
                         submitted=s.moment.date())


def has_form(s: Situation, procedure: Procedure) -> bool:
    """Whether the partnership's form belongs to this procedure."""
    return s.data.form is not None and s.data.form.procedure == procedure.id


def _form_view(s: Situation, procedure: Procedure) -> dict | None:
    if not has_form(s, procedure):
        return None
    filled = filled_form(s)
    email = form_email(s.data, filled)
    return {"html": form_html(filled), "to": ", ".join(email.to), "subject": email.subject}


def _form_for(s: Situation) -> str | None:
    form = s.data.form
    return f"The {form.title} is for the {s.data.procedure(form.procedure).name}" if form else None


def _form_note(s: Situation, procedure: Procedure) -> str | None:
    """Why a partnership with a form shows none for this procedure."""
    for_whom = _form_for(s)
    return None if for_whom is None or has_form(s, procedure) else f"{for_whom}."


def _stageless_form_note(s: Situation) -> str | None:
    for_whom = _form_for(s)
    if for_whom is None:
        return None
    return (f'{for_whom}: the route you chose does not use it. Do what "Which route?" says '
            "for your route.")
