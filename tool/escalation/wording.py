"""The procedure's sentences, worded once for the pages, the poster, the tool and the
command line: when a stage is due, the drift rule, what a working day is, the emergency
lines and how to reach a contact.

Text in the data may name a contact's detail, as in "ring {cspa.phone}", or a stage's
timescale, as in "within {escalation.stage-1}" ("within 5 working days"). This keeps
every phone number and address in contacts.yaml, and every timescale in stages.yaml,
alone; `fill_contact_details` fills them in once, when the data is read (checks.load).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

from .emergency import EmergencyNow
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

if TYPE_CHECKING:  # the timeline words its dates with this module
    from .timeline import Reading

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
    return measure(timescale) if timescale else "no fixed time"


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


def measure(t: Timescale) -> str:
    """A timescale's length as the procedure gives it: '5 working days', or in two units
    at once, '48 hours (2 working days)'."""
    text = amount(t.within, t.unit)
    return f"{text} ({amount(t.also.within, t.also.unit)})" if t.also else text


def reading_words(r: Reading, due: date) -> str:
    """Beside the date the plan keeps (`due`) for a timescale in two units, which unit
    that date is and when the other ends: '48 hours, which end first; 2 working days end
    on Wednesday 30 December 2026', or '...; 2 working days end later that day'."""
    def verb(length: tuple[int, str]) -> str:
        return "ends" if length[0] == 1 else "end"

    at = f" at {r.then_due.at:%H:%M}" if r.then_due.at else ""
    then_ends = (f"later that day{at}" if r.then_due.day == due
                 else f"on {long_date(r.then_due.day)}{at}")
    return (f"{amount(*r.first)}, which {verb(r.first)} first; {amount(*r.then)} "
            f"{verb(r.then)} {then_ends}")


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


def rung(procedure: Procedure, number: int | None = None, *, capital: bool = True,
         plural: bool = False) -> str:
    """A stage as the procedure names its rungs: 'Stage 2', 'stage', 'Steps' (Lincolnshire's
    protocol says 'step 1' to 'step 4'). The plural adds an 's' to the word the pack gives
    (`stage_word`, a single lower-case word checked when the data is read)."""
    word = procedure.stage_word + ("s" if plural else "")
    if capital:
        word = word[:1].upper() + word[1:]
    return word if number is None else f"{word} {number}"


def stage_words(procedure: Procedure) -> dict[str, str]:
    """The procedure's word for its stages as the tool page's own sentences use it:
    {"stage": "step", "stages": "steps", "Stage": "Step"}."""
    return {"stage": rung(procedure, capital=False),
            "stages": rung(procedure, capital=False, plural=True), "Stage": rung(procedure)}


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
        return steps_when(procedure, stage) if stage.steps else untimed(stage)
    if t.counted_from == "start":
        anchor = procedure.start_event
    else:
        anchor = f"the completion of {rung(procedure, stage.number - 1, capital=False)}"
    return _within(procedure, t, anchor)


def steps_when(procedure: Procedure, stage: Stage) -> str:
    """Each step of a stage with when it is due: 'Agree a way forward: within 2 working
    days of ...; If agreed: Letter ...: within ...'."""
    return "; ".join(f"{step_title(step)}: {_lower_first(step_when(procedure, stage, step))}"
                     for step in stage.steps)


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
                  else f"the completion of {rung(procedure, stage.number - 1, capital=False)}")
    elif counted == "previous step":
        anchor = f"'{stage.steps[index - 1].name}'"
    else:
        named = next((s.name for s in procedure_steps(procedure) if s.id == counted), counted)
        anchor = f"'{named}'"
    return _within(procedure, t, anchor)


def _within(procedure: Procedure, t: Timescale, anchor: str) -> str:
    text = f"Within {measure(t)} of {anchor}"
    if t.by_priority:
        names = {p.id: p.name for p in procedure.priorities}
        listed = {p.priority for p in t.by_priority}
        others = [p.name for p in procedure.priorities if p.id not in listed]
        text = "; ".join([f"{names.get(p.priority, p.priority)}: within "
                          f"{amount(p.within, p.unit)} of {anchor}" for p in t.by_priority]
                         + [f"{' or '.join(others) or 'Otherwise'}: within "
                            f"{amount(t.within, t.unit)} of {anchor}"])
    if t.caveat:
        text += f", {t.caveat}"
    return f"{text} ({INDICATIVE})" if procedure.indicative else text


def procedure_steps(procedure: Procedure) -> list[Step]:
    return [step for stage in procedure.stages for step in stage.steps]


def limit_rule(procedure: Procedure, limit: Limit) -> str:
    """'Stages 1 to 3 take 15 working days at most in all.'"""
    stages = (rung(procedure, limit.first_stage) if limit.first_stage == limit.last_stage
              else f"{rung(procedure, plural=True)} {limit.first_stage} to {limit.last_stage}")
    return (f"{stages} take {amount(limit.within, limit.unit)} at most in all, counted from "
            f"the start of {rung(procedure, limit.first_stage, capital=False)}.")


def long_date(day: date) -> str:
    """'Thursday 24 December 2026', the GOV.UK style for dates."""
    return f"{day:%A} {day.day} {day:%B %Y}"


def either(numbers: list[int]) -> str:
    """'2', '2 or 3', '2, 3 or 4'."""
    words = [str(n) for n in numbers]
    return words[0] if len(words) == 1 else f"{', '.join(words[:-1])} or {words[-1]}"


def drift_rule(procedure: Procedure, drift: Drift) -> str:
    """When a gap between stages means starting again (FaST 7.2: "if there is a week or
    more between Stages, you will need to start the process again at Stage 2")."""
    watched = list(range(drift.first_stage, drift.last_stage + 1))
    word = rung(procedure, capital=False)
    return (f"If you start {word} {either(watched)} and leave {drift.gap_calendar_days} days "
            f"or more before the next {word} starts, the process starts again at {word} "
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


# --- how to reach a contact, and the emergency lines --------------------------------------
#
# The facts are read here once (`reach`, `emergency_lines`), and each sentence is worded
# here once; a `Medium` says how the renderer writes data text, a phone number and an
# address (plain text for the poster's SVG and the tool, Markdown links for the pages).


def _plain(value: str) -> str:
    return " ".join(value.split())


@dataclass(frozen=True)
class Medium:
    """How one renderer writes what the sentences carry."""

    text: Callable[[str], str] = _plain  # data text
    phone: Callable[[str], str] = _plain  # a phone number (the pages: a tel: link)
    email: Callable[[str], str] = _plain  # an address (the pages: a mailto: link)
    strong: Callable[[str], str] = _plain  # what must stand out (the pages: bold)
    web: Callable[[str], str] = _plain  # a web address (the pages: a link)


PLAIN = Medium()  # the poster's SVG text, the tool's view and the command line


@dataclass(frozen=True)
class Reach:
    """How to reach one contact, from the directory (a `same_as` contact's email, phone
    and staffed hours come from the contact it names)."""

    id: str
    name: str
    team: str | None
    email: str | None
    phone: str | None
    phone_note: str | None  # when the phone line is staffed
    note: str | None  # when to use it; for a role with no email or phone, how to reach it
    textphone: str | None = None
    address: str | None = None  # postal
    web: str | None = None  # a web page to reach it through (https://)


def reach(data: Data, contact_id: str) -> Reach:
    c = data.contact(contact_id)
    return Reach(id=c.id, name=c.name, team=c.team, email=data.email_of(contact_id),
                 phone=data.phone_of(contact_id), phone_note=data.phone_note_of(contact_id),
                 note=c.note, textphone=c.textphone, address=c.address, web=c.web)


def phone_with_note(contact: Reach, m: Medium = PLAIN, *, unless: str | None = None) -> str:
    """'0300 470 9100 (Monday to Friday, 9am to 5pm)'; the note is left out when it only
    says `unless` again (a line labelled "Out of hours" needs no "(out of hours)")."""
    if not contact.phone:
        return ""
    note = contact.phone_note
    said = note and not (unless and note.lower() == unless.lower())
    return m.phone(contact.phone) + (f" ({m.text(note)})" if said and note else "")


def how_to_reach(contact: Reach, m: Medium = PLAIN) -> str:
    """'email x or ring y (when)' as the directory gives it: the address and/or the
    number with when it is staffed; empty when the contact has neither."""
    parts = [m.email(contact.email)] if contact.email else []
    if contact.phone:
        parts.append(phone_with_note(contact, m))
    if contact.textphone:
        parts.append(f"textphone {m.phone(contact.textphone)}")
    if contact.web:
        parts.append(f"go to {m.web(contact.web)}")
    said = " or ".join(parts)
    if contact.address:
        said += ("; " if said else "") + f"write to {m.text(contact.address)}"
    return said


def named_phone(contact: Reach, m: Medium = PLAIN, *, unless: str | None = None) -> str:
    """'Emergency Duty Team, 01483 517898', or the name alone when there is no number."""
    if not contact.phone:
        return m.text(contact.name)
    return f"{m.text(contact.name)}, {phone_with_note(contact, m, unless=unless)}"


def named_address(contact: Reach, m: Medium = PLAIN) -> str:
    """'name, email', or the name alone when the contact has no address."""
    name = m.text(contact.name)
    return f"{name}, {m.email(contact.email)}" if contact.email else name


@dataclass(frozen=True)
class EmergencyLines:
    """Whom to ring for a child at risk, from partnership.yaml's emergency entry."""

    police: Reach
    in_hours: Reach | None  # None when the procedure gives no front-door number
    out_of_hours: Reach | None
    note: str | None  # what else to do straight away
    about: str = "child"  # whom the procedure is about


def emergency_lines(data: Data) -> EmergencyLines:
    e = data.partnership.emergency
    return EmergencyLines(
        police=reach(data, e.police),
        in_hours=reach(data, e.in_hours) if e.in_hours else None,
        out_of_hours=reach(data, e.out_of_hours) if e.out_of_hours else None,
        note=e.note, about=data.partnership.about)


def ring_police(number: str, about: str = "child") -> str:
    """The first thing to do for a child in immediate danger; `number` may carry markup."""
    return f"If {someone(about)} is in immediate danger, ring the police on {number}."


def someone(about: str) -> str:
    """'a child', 'an adult or child': whom the procedure is about, with its article."""
    return ("an " if about[:1].lower() in "aeiou" else "a ") + about


def safety_first(about: str) -> str:
    """'A child's safety may call for moving faster.'"""
    whose = f"The safety of {someone(about)}" if " " in about else f"{someone(about)}'s safety"
    return f"{whose[0].upper()}{whose[1:]} may call for moving faster."


def their_file(about: str) -> str:
    """'the child's file', or for a joint procedure 'the person's file'."""
    return f"the {about}'s file" if " " not in about else "the person's file"


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


def role_sentence(data: Data, role_id: str, m: Medium = PLAIN) -> str:
    """'Contact the other agency's single point of contact: Police: Jo Bloggs, 01234 567890;
    Health: ...' (each agency's holder of the role, from the directory)."""
    role = next((r for r in data.contacts.roles if r.id == role_id), None)
    groups = {g.id: g for g in data.contacts.groups}
    holders = []
    for c in data.contacts.contacts:
        if c.role != role_id:
            continue
        group = groups.get(c.group)
        agency = (group.partner or group.name) if group else c.group
        said = how_to_reach(reach(data, c.id), m) or m.text(c.note or "")
        holders.append(f"{m.text(agency)}: {m.text(c.name)}" + (f", {said}" if said else ""))
    name = role.name if role else role_id
    return f"Contact the other agency's {m.text(name)}: " + "; ".join(holders) + "."


def stage_tasks(data: Data, procedure: Procedure, stage: Stage) -> list[str]:
    """What to do at a stage besides its next contact: whom to contact by role, its duties,
    its forms, and whom to tell (at the start, for stage 1)."""
    forms = {f.id: f for f in procedure.forms}
    found = [role_sentence(data, stage.contact_role)] if stage.contact_role else []
    found += [_sentence(duty) for duty in stage.duties]
    found += [form_sentence(data, forms[f]) for f in stage.forms if f in forms]
    moments = {f"stage {stage.number}"} | ({"start"} if stage.number == 1 else set())
    found += [notification_sentence(data, procedure, n) for n in procedure.notifications
              if n.at in moments]
    return found


def every_stage_tasks(data: Data, procedure: Procedure) -> list[str]:
    """What the procedure asks at every stage, and whom to tell when it is resolved."""
    found = [f"At every {rung(procedure, capital=False)}: {_lower_first(_sentence(d))}"
             for d in procedure.duties]
    found += [f"When it is resolved: {_lower_first(notification_sentence(data, procedure, n))}"
              for n in procedure.notifications if n.at == "resolution"]
    return found


def _sentence(text: str) -> str:
    text = " ".join(text.split())
    return text if text.endswith((".", "!", "?")) else text + "."


def _lower_first(text: str) -> str:
    return text[:1].lower() + text[1:]

def _number(contact: Reach, m: Medium) -> str:
    # The check refuses an emergency contact without a phone number.
    if not contact.phone:
        raise ValueError(f"contact '{contact.id}' has no phone number in contacts.yaml")
    return m.strong(m.phone(contact.phone))


def emergency_sentences(lines: EmergencyLines, m: Medium = PLAIN) -> list[str]:
    """The site's emergency box, a sentence a line: police, the front door in its hours,
    out of hours, and the note."""
    said = [ring_police(_number(lines.police, m), m.text(lines.about))]
    day, night = lines.in_hours, lines.out_of_hours
    if day:
        note = f" ({m.text(day.phone_note)})" if day.phone_note else ""
        email = f", or email {m.email(day.email)}" if day.email else ""
        said.append(f"Ring {m.text(day.name)} on {_number(day, m)}{note}{email}.")
    if night:
        said.append(f"Out of hours, including weekends and bank holidays, ring "
                    f"{_number(night, m)} and ask for the {m.text(night.name)}.")
    if lines.note:
        said.append(m.text(lines.note))
    return said


IMMEDIATE_DANGER, WORRIED, OUT_OF_HOURS = "Immediate danger", "Worried about harm", "Out of hours"


def emergency_labelled(lines: EmergencyLines, m: Medium = PLAIN) -> list[tuple[str | None, str]]:
    """The poster's emergency box, as (label, text) lines: 'Out of hours: Emergency Duty
    Team, 01483 517898'; the note last, unlabelled."""
    said: list[tuple[str | None, str]] = [
        (IMMEDIATE_DANGER, named_phone(lines.police, m, unless=IMMEDIATE_DANGER))]
    if lines.in_hours:
        said.append((WORRIED, named_phone(lines.in_hours, m, unless=WORRIED)))
    if lines.out_of_hours:
        said.append((OUT_OF_HOURS, named_phone(lines.out_of_hours, m, unless=OUT_OF_HOURS)))
    if lines.note:
        said.append((None, m.text(lines.note)))
    return said


def ring_now(urgent: EmergencyNow, m: Medium = PLAIN) -> str:
    """The tool's line for this moment: 'Right now, ring C-SPA on 0300 470 9100.', then
    the police line and the note (no front-door line when the procedure gives none)."""
    said = [ring_police(m.phone(urgent.police_phone), m.text(urgent.about))]
    if urgent.contact is not None and urgent.phone:
        said.insert(0, f"Right now, ring {m.text(urgent.contact.name)} on {m.phone(urgent.phone)}.")
    if urgent.note:
        said.append(m.text(urgent.note))
    return " ".join(said)
