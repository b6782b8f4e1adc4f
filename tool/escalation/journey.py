"""The decision tool's view: from what the page posts to what it shows.

The page sends its form state as plain JSON; this module answers with plain JSON that
the page only renders into templates. Every rule (which question comes next, which route,
which date, which number to ring, what each email says) is decided here, never in
JavaScript.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date, datetime, time
from typing import Any

from .appendix import appendix_form, form_email, form_html
from .bundle import Bundle
from .case import (Case, PlanRecord, StageEntry, case_file, case_state, parse_day,
                   parse_time, read_case, read_case_file)
from .chooser import route, route_for, walk
from .documents import PLACEHOLDER
from .emails import Email, email_eml, mailto_url, sendable_templates, stage_email
from .emergency import emergency_now
from .fast_log import StageRecord, fast_log_csv
from .model import CHOSEN_AGENCY, Procedure, Template, check_email
from .reminders import calendar_ics, stage_reminders
from .timeline import Plan, needs_time, plan
from .wording import (NO_TIMESCALE, fill_contact_details, long_date, start_label, time_label,
                      when)

# Where each stage's email keeps the named Senior Manager's address (state: emails.<stage>).
MANAGER_ADDRESS = "to_address"

_STATUS_WORDS = {"done": "Done", "due today": "Due today", "overdue": "Overdue",
                 "upcoming": "Upcoming", "no timescale": "No fixed timescale",
                 "waiting": "Waiting for the stage before"}


def _procedure(bundle: Bundle, case: Case) -> Procedure | None:
    """The procedure the case follows: the chosen route's, the partnership's main one
    while no route is chosen, and none for a route without stages (such as a referral)."""
    chosen = route_for(bundle.data, case.answers)
    if chosen is None:
        return bundle.data.procedure()
    return bundle.data.procedure(chosen.procedure) if chosen.procedure else None


# --- step 1: which route ------------------------------------------------------------------


def _chooser(bundle: Bundle, answers: dict[str, str], moment: datetime) -> dict[str, Any]:
    tree = bundle.data.chooser
    if tree is None:
        return {"question": None, "asked": [], "route": None}
    result = walk(tree, answers)
    view: dict[str, Any] = {
        "question": result.question.id if result.question else None,
        "asked": [{"question": q.id, "text": q.text, "answer": a.label} for q, a in result.asked],
        "route": None,
    }
    if result.outcome:
        r = route(bundle.data, result.outcome)
        view["route"] = {
            "id": r.id, "title": r.title, "why": r.why, "do_now": list(r.do_now),
            "emergency": r.emergency, "procedure": r.procedure,
            "contacts": _contacts(bundle, r.contacts, moment),
        }
    return view


def _contacts(bundle: Bundle, ids: tuple[str, ...], moment: datetime) -> list[dict]:
    """Whom to contact, the line to ring now first: out of hours, the out-of-hours line
    comes before the daytime one (which says it is closed now)."""
    urgent = emergency_now(bundle.data, bundle.calendar, moment)
    e = bundle.data.partnership.emergency
    now_id = urgent.contact.id if urgent.contact is not None else None
    closed_id = e.in_hours if e.in_hours and e.out_of_hours and now_id != e.in_hours else None
    ordered = sorted(ids, key=lambda c: c != now_id)  # stable: the rest keep their order
    return [_contact(bundle, c, now="Open now, ring this line" if c == now_id and e.out_of_hours
                     else "Closed now" if c == closed_id else None) for c in ordered]


def _contact(bundle: Bundle, contact_id: str, now: str | None = None) -> dict[str, str | None]:
    c = bundle.data.contact(contact_id)
    email, phone = bundle.data.email_of(contact_id), bundle.data.phone_of(contact_id)
    return {"name": c.name, "team": c.team, "email": email, "phone": phone,
            "phone_note": c.phone_note, "note": c.note, "now": now,
            "tel": f"tel:{phone.replace(' ', '')}" if phone else None,
            "mailto": f"mailto:{email}" if email else None}


# --- step 2: the dates typed, and the plan ------------------------------------------------


@dataclass(frozen=True)
class _Dates:
    """The case's dates, read from what was typed; problems name the field to show them at."""

    start: date | None
    started: dict[int, date]
    completed: dict[int, date]
    problems: list[dict[str, str]]
    start_at: time | None = None
    records: dict[int, StageEntry] = field(default_factory=dict)  # what was typed per stage


def _read_dates(record: PlanRecord, procedure: Procedure | None = None) -> _Dates:
    problems: list[dict[str, str]] = []

    def read(text: str, field: str) -> date | None:
        if not text.strip():
            return None  # an empty field is not an error: it waits to be filled
        try:
            return parse_day(text)
        except ValueError as error:
            problems.append({"field": field, "message": str(error)})
            return None

    start = read(record.start, "start")
    start_at = None
    if needs_time(procedure) and record.start_time.strip():
        try:
            start_at = parse_time(record.start_time)
        except ValueError as error:
            problems.append({"field": "start-time", "message": str(error)})
    started, completed = {}, {}
    for number, entry in sorted(record.stages.items()):
        if day := read(entry.started, f"started-{number}"):
            started[number] = day
        if day := read(entry.completed, f"completed-{number}"):
            completed[number] = day
    return _Dates(start, started, completed, problems, start_at, dict(record.stages))


def _plan_result(bundle: Bundle, procedure: Procedure | None, dates: _Dates,
                 now: datetime) -> Plan | None:
    if dates.start is None or procedure is None:
        return None
    return plan(procedure, bundle.calendar, dates.start, today=now,
                completed=dates.completed, started=dates.started, start_at=dates.start_at)


def _plan(procedure: Procedure | None, dates: _Dates, result: Plan | None) -> dict[str, Any]:
    problems = list(dates.problems)
    view: dict[str, Any] = {
        "procedure": procedure.name if procedure else None,
        # The page keeps each procedure's dates and records apart, under this id.
        "procedure_id": procedure.id if procedure else None,
        "start_label": start_label(procedure) if procedure else None,
        # Asked only when a timescale runs in hours from the start.
        "time_label": time_label(procedure) if needs_time(procedure) else None,
        # The stage records to show, named for this procedure.
        "records": [{"number": s.number, "summary": f"Stage {s.number}: {s.name}"}
                    for s in procedure.stages] if procedure else [],
        "stages": [], "problems": problems, "latest_end": None, "end": None, "drift": None,
        "restart_at": None,
        "none": None if procedure else ("The route you chose has no stages with deadlines "
                                        "to plan: follow what to do now in step 1."),
    }
    if result is None or procedure is None:
        return view  # nothing to plan yet
    # A date that could not be read has its own message already.
    unreadable = {p["field"] for p in problems}
    problems += [{"field": p.field, "message": p.message} for p in result.problems
                 if p.field not in unreadable]
    by_number = {s.number: s for s in procedure.stages}
    view["stages"] = [{
        "number": s.number, "name": s.name, "who": s.who,
        "when": when(procedure, by_number[s.number]),
        "due": s.due.day.isoformat() if s.due else None,
        "due_text": _due_text(s.due, by_number[s.number])
        + (" (the latest the whole procedure may take)" if s.capped else ""),
        "status": s.status, "status_text": _STATUS_WORDS[s.status],
        "completed": long_date(s.completed) if s.completed else None,
        "late": s.late, "caveat": s.caveat,
    } for s in result.stages]
    if result.latest_end:
        view["latest_end"] = long_date(result.latest_end.day)
        view["end"] = f"The whole process ends no later than {view['latest_end']}."
    elif result.stages and procedure.stages[-1].timescale is None:
        view["end"] = ("The procedure sets no end date: its last stage has no fixed "
                       "timescale. Act without delay.")
    elif result.stages:
        view["end"] = ("The end date depends on a stage before with no fixed timescale: it "
                       "is worked out once that stage is completed.")
    view["drift"] = result.drift
    view["restart_at"] = result.restart_at
    return view


def _due_text(due, stage) -> str:
    """The "no later than" cell: a date, or why there is none."""
    if due is not None:
        return long_date(due.day) + (f" at {due.at:%H:%M}" if due.at else "")
    if stage.timescale is None:
        return NO_TIMESCALE
    return f"Counted from when stage {stage.number - 1} ends"


def stage_records(dates: _Dates) -> list[StageRecord]:
    """The stage log: for each stage with anything recorded, when contact was made (for
    stage 1 the date typed, else the start of the process), with whom, how and the
    outcome."""
    records = []
    for number, entry in sorted(dates.records.items()):
        contacted = _contacted(dates, number)
        if contacted or entry.who or entry.how or entry.outcome:
            records.append(StageRecord(stage=number, date_contacted=contacted,
                                       who=entry.who.strip(), how=entry.how.strip(),
                                       outcome=entry.outcome.strip()))
    if dates.start and not any(r.stage == 1 for r in records):
        records.insert(0, StageRecord(stage=1, date_contacted=_contacted(dates, 1)))
    return records


def _contacted(dates: _Dates, number: int) -> date | None:
    """When contact was made at a stage; stage 1 begins with the process unless a later
    day is typed for it (FaST: the discussion with the line manager)."""
    if number == 1:
        return dates.started.get(1) or dates.start
    return dates.started.get(number)


# --- step 3: the stage emails -------------------------------------------------------------


def _email_stage(case: Case, templates: list[Template], dates: _Dates) -> Template | None:
    """The stage chosen, else the first stage with an email that is not yet completed:
    the email the practitioner most likely has to send next."""
    by_stage = {str(t.stage): t for t in templates}
    if case.email_stage in by_stage:
        return by_stage[case.email_stage]
    waiting = [t for t in templates if t.stage not in dates.completed]
    if waiting:
        return waiting[0]
    return templates[-1] if templates else None  # all done: the last, never back to the first


def _email_values(bundle: Bundle, case: Case, stage: int, dates: _Dates) -> dict[str, str]:
    """What was typed for every email, and for this stage's email its own answers (whom it
    goes to, what happened before); the previous stage's date and recipient come from its
    record unless typed here, so the practitioner types each fact once."""
    own = {p.id for p in bundle.data.templates.placeholders if p.per_email}
    values = {k: v for k, v in case.fields.items() if k not in own}
    values.update((k, v) for k, v in case.emails.get(str(stage), {}).items() if k in own)
    previous = dates.records.get(stage - 1)
    contacted = _contacted(dates, stage - 1)
    if not values.get("previous_date", "").strip() and contacted:
        values["previous_date"] = long_date(contacted)
    if not values.get("previous_recipient", "").strip() and previous and previous.who.strip():
        values["previous_recipient"] = previous.who.strip()
    return values


def _chosen_agency(bundle: Bundle, case: Case) -> str | None:
    try:
        return case.agency if case.agency and bundle.data.email_of(case.agency) else None
    except KeyError:
        return None  # a contact since removed from the directory (an old case file)


def _stage_email(bundle: Bundle, procedure: Procedure | None, case: Case,
                 dates: _Dates) -> tuple[Template, Email] | None:
    if procedure is None:
        return None
    template = _email_stage(case, sendable_templates(bundle.data, procedure.id), dates)
    if template is None:
        return None
    values = _email_values(bundle, case, template.stage, dates)
    address, _ = _manager_address(case, template)
    return template, stage_email(bundle.data, template.stage, values,
                                 _chosen_agency(bundle, case), procedure.id, address)


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


def _email_view(bundle: Bundle, procedure: Procedure | None, case: Case,
                dates: _Dates) -> dict[str, Any] | None:
    made = _stage_email(bundle, procedure, case, dates)
    if made is None:
        return None
    template, email = made
    _, address_problem = _manager_address(case, template)
    return {
        "stage": str(template.stage),
        # Whether the email goes to an agency chosen (so a named manager's address may
        # replace its mailbox), and what is wrong with the address typed, if anything.
        "asks_address": template.to == CHOSEN_AGENCY,
        "address_problem": address_problem,
        "instruction": fill_contact_details(" ".join(template.instruction.split()),
                                            bundle.data),
        "needs_agency": template.to == CHOSEN_AGENCY and not email.to,
        "fields": sorted(set(PLACEHOLDER.findall(template.body or ""))),
        "to": ", ".join(email.to), "cc": ", ".join(email.cc), "subject": email.subject,
        "body": email.body, "mailto": mailto_url(email) if email.to else None,
    }


# --- step 4: the stage 5 form (Appendix 1) ------------------------------------------------


def _filled_form(bundle: Bundle, case: Case, dates: _Dates, now: datetime):
    return appendix_form(bundle.data, case.fields, stage_records(dates),
                         submitted=now.date())


def _has_form(bundle: Bundle, procedure: Procedure | None) -> bool:
    """Whether the partnership's form belongs to this procedure."""
    form = bundle.data.form
    return form is not None and procedure is not None and form.procedure == procedure.id


def _form_view(bundle: Bundle, procedure: Procedure | None, case: Case, dates: _Dates,
               now: datetime) -> dict | None:
    if not _has_form(bundle, procedure):
        return None
    filled = _filled_form(bundle, case, dates, now)
    email = form_email(bundle.data, filled)
    return {"html": form_html(filled), "to": ", ".join(email.to), "subject": email.subject}


# --- the whole view -----------------------------------------------------------------------


def _set_aside_rejected(bundle: Bundle, procedure: Procedure, dates: _Dates,
                        now: datetime) -> _Dates:
    """The dates without those the plan rejects (a completion before the start, a date in
    the future, a stage missed out): each keeps its message beside its field, and nothing
    else (the stage log, Appendix 1, the emails' "previous stage" date) uses it."""
    result = _plan_result(bundle, procedure, dates, now)
    if result is None:
        return dates
    rejected = [{"field": p.field, "message": p.message} for p in result.problems
                if p.field.startswith(("started-", "completed-"))]
    fields = {p["field"] for p in rejected}
    return replace(
        dates, problems=dates.problems + rejected,
        started={n: d for n, d in dates.started.items() if f"started-{n}" not in fields},
        completed={n: d for n, d in dates.completed.items() if f"completed-{n}" not in fields})


def _read(bundle: Bundle, state: dict[str, Any],
          now: datetime) -> tuple[Case, Procedure | None, _Dates]:
    """The case posted by the page, the procedure it follows now, and that procedure's
    dates and records, without stages the procedure does not have (from a damaged or
    hand-made case file). Each procedure keeps its own record, so changing route never
    moves one procedure's dates onto another's stages."""
    case = read_case(state, bundle.data.partnership.main_procedure)
    procedure = _procedure(bundle, case)
    if procedure is None:
        return case, None, _read_dates(PlanRecord())
    record = case.plan(procedure.id)
    numbers = {s.number for s in procedure.stages}
    record = replace(record, stages={n: e for n, e in record.stages.items() if n in numbers})
    return case, procedure, _set_aside_rejected(bundle, procedure,
                                                _read_dates(record, procedure), now)


def _form_note(bundle: Bundle, procedure: Procedure | None) -> str | None:
    """Why a partnership with a form shows none for this procedure."""
    form = bundle.data.form
    if form is None or _has_form(bundle, procedure):
        return None
    for_whom = f"The {form.title} is for the {bundle.data.procedure(form.procedure).name}"
    if procedure is None:
        return (f"{for_whom}: the route you chose does not use it. Do what step 1 says for "
                "your route.")
    return f"{for_whom}."


def _email_note(bundle: Bundle, procedure: Procedure | None) -> str | None:
    """Why no stage email is offered: the route has no stages, or its procedure has no
    templates (a partnership without templates has no email step at all)."""
    if not bundle.data.templates:
        return None
    if procedure is None:
        main = bundle.data.procedure()
        return ("The route you chose has no stages, so no stage email applies: do what step "
                "1 says, in your own words where you write to someone. The stage emails are "
                f"for the {main.name}.")
    if sendable_templates(bundle.data, procedure.id):
        return None
    return f"The {procedure.name} has no email templates: write in your own words."


def _emergency(bundle: Bundle, moment: datetime) -> dict[str, Any]:
    urgent = emergency_now(bundle.data, bundle.calendar, moment)
    words = [f"If a child is in immediate danger, ring {urgent.police_phone}."]
    if urgent.contact is not None:
        words.insert(0, f"Right now, ring {urgent.contact.name} on {urgent.phone}.")
    if urgent.note:
        words.append(urgent.note)
    return {"text": " ".join(words), "in_hours": urgent.in_hours}


def view(bundle: Bundle, state: dict[str, Any], now: str) -> dict[str, Any]:
    """Everything the tool page shows for `state` at `now` (UK wall-clock, ISO format)."""
    moment = datetime.fromisoformat(now)
    case, procedure, dates = _read(bundle, state, moment)
    window_ends = bundle.calendar.last_year
    return {
        "emergency": _emergency(bundle, moment),
        "chooser": _chooser(bundle, case.answers, moment),
        "plan": _plan(procedure, dates, _plan_result(bundle, procedure, dates, moment)),
        "email": _email_view(bundle, procedure, case, dates),
        "email_note": _email_note(bundle, procedure),
        "form": _form_view(bundle, procedure, case, dates, moment),
        "form_note": _form_note(bundle, procedure),
        "calendar_note": (f"This tool knows bank holidays only until the end of {window_ends}: "
                          "the site needs rebuilding." if moment.year >= window_ends else None),
    }


# --- files to download --------------------------------------------------------------------


def download(bundle: Bundle, state: dict[str, Any], now: str, utc: str,
             what: str) -> dict[str, str]:
    """One file for the practitioner to keep or send: {"name", "type", "text"}.

    what: "email" (the chosen stage's .eml), "form" (Appendix 1 as an .eml to the
    partnership), "calendar" (deadlines as .ics), "log" (the agency's log as CSV) or
    "case" (the case file). File names never carry anything typed.
    """
    moment = datetime.fromisoformat(now)
    stamp = datetime.fromisoformat(utc.replace("Z", "+00:00"))
    case, procedure, dates = _read(bundle, state, moment)
    if procedure is None and what != "case":
        raise ValueError("the route you chose has no stages to plan")
    partnership = bundle.data.partnership.id
    day = f"{moment:%Y-%m-%d}"
    if what == "email":
        made = _stage_email(bundle, procedure, case, dates)
        if made is None:
            raise ValueError("this procedure has no stage emails")
        template, email = made
        return {"name": f"{procedure.id}-stage-{template.stage}-email.eml",
                "type": "message/rfc822", "text": email_eml(email).decode("utf-8")}
    if what == "form":
        if not _has_form(bundle, procedure):
            raise ValueError("this procedure has no form")
        email = form_email(bundle.data, _filled_form(bundle, case, dates, moment))
        return {"name": f"{bundle.data.form.id}.eml",
                "type": "message/rfc822", "text": email_eml(email).decode("utf-8")}
    if what == "calendar":
        result = _plan_result(bundle, procedure, dates, moment)
        if result is None:
            raise ValueError("enter the start date first")
        if not result.stages:  # outside the years whose bank holidays the site knows
            raise ValueError(result.problems[-1].message if result.problems
                             else "there are no deadlines to add")
        reminders = stage_reminders(result, procedure, partnership, case.id or None,
                                    bundle.calendar)
        if not reminders:
            raise ValueError("there are no deadlines left to add: every stage with a date "
                             "is done, and the others have no fixed timescale")
        return {"name": f"{procedure.id}-deadlines.ics", "type": "text/calendar",
                "text": calendar_ics(reminders, f"{procedure.name} deadlines", stamp)}
    if what == "log":
        # With a byte order mark, so that Excel reads the file as UTF-8.
        return {"name": f"{procedure.id}-log-{day}.csv", "type": "text/csv",
                "text": "\ufeff" + fast_log_csv(stage_records(dates), dates.start)}
    if what == "case":
        name = procedure.id if procedure else partnership
        return {"name": f"{name}-case-{day}.json", "type": "application/json",
                "text": case_file(case, partnership, moment)}
    raise ValueError(f"no such file: {what}")


def open_case_file(bundle: Bundle, text: str) -> dict[str, Any]:
    """The state saved in a case file, or ValueError with a message for the person."""
    return case_state(read_case_file(text, bundle.data.partnership.id,
                                     bundle.data.partnership.main_procedure))
