"""Data -> Markdown for the site's pages. Pure functions: the macros only call these.

Markdown rather than HTML where the result is prose or a table, so that the glossary's
abbreviations and the site search reach it.
"""

from __future__ import annotations

from html import escape

from escalation import wording
from escalation.appendix import appendix_form, form_html
from escalation.calendar import Calendar
from escalation.documents import fill
from escalation.emails import sendable_templates
from escalation.model import Contact, Data, Template


def mailto(address: str) -> str:
    return f"[{address}](mailto:{address})"


def tel(number: str) -> str:
    return f"[{number}](tel:{number.replace(' ', '')})"


def _cell(text: str) -> str:
    """Make text safe inside a Markdown table cell."""
    return " ".join(text.split()).replace("|", "\\|")


def contact_reach(data: Data, contact: Contact) -> str:
    """'email x' and/or 'ring y (when)' for one contact, as Markdown."""
    parts = []
    email = data.email_of(contact.id)
    phone = data.phone_of(contact.id)
    if email:
        parts.append(mailto(email))
    if phone:
        note = contact.phone_note
        if not note and contact.same_as:
            note = data.contact(contact.same_as).phone_note
        parts.append(tel(phone) + (f" ({note})" if note else ""))
    return " or ".join(parts)


def emergency_box(data: Data) -> str:
    e = data.partnership.emergency
    police, day, night = data.contact(e.police), data.contact(e.in_hours), data.contact(e.out_of_hours)
    lines = [
        '!!! danger "Is a child at immediate risk?"',
        "",
        f"    - If a child is in immediate danger, ring the police on "
        f"**{tel(data.phone_of(police.id))}**.",
        f"    - Ring {day.name} on **{tel(data.phone_of(day.id))}**"
        + (f" ({day.phone_note})" if day.phone_note else "")
        + (f", or email {mailto(data.email_of(day.id))}" if data.email_of(day.id) else "") + ".",
        f"    - Out of hours, including weekends and bank holidays, ring "
        f"**{tel(data.phone_of(night.id))}** and ask for the {night.name}.",
    ]
    return "\n".join(lines)


def options_at_a_glance(data: Data) -> str:
    if not data.options:
        return ""
    lines = ['<div class="grid cards" markdown>', ""]
    for option in data.options.options:
        lines += [
            f"-   **[Option {option.number}: {option.title}]({option.page})**",
            "",
            "    ---",
            "",
            f"    {' '.join(option.summary.split())}",
            "",
        ]
    lines.append("</div>")
    return "\n".join(lines)


def stages_table(data: Data, procedure_id: str | None = None) -> str:
    procedure = data.procedure(procedure_id)
    rows = ["| Stage | What happens | Who | When |", "| --- | --- | --- | --- |"]
    for stage in procedure.stages:
        what = stage.what
        if stage.copy_to:
            copies = ", ".join(mailto(data.email_of(c)) for c in stage.copy_to)
            what += f" Copy in {copies}."
        if stage.contact:
            what += f" Send to {mailto(data.email_of(stage.contact))}."
        rows.append(
            f"| **Stage {stage.number}: {_cell(stage.name)}** | {_cell(what)} | "
            f"{_cell(stage.who)} | {_cell(wording.when(procedure, stage))}. |"
        )
    return "\n".join(rows)


def key_contacts_table(data: Data) -> str:
    rows = ["| Partner | Organisation or team | Contact |", "| --- | --- | --- |"]
    for group in data.contacts.groups:
        if not group.key_contact:
            continue
        members = [c for c in data.contacts.contacts if c.group == group.id]
        partner = group.partner or group.name
        for i, c in enumerate(members):
            who = c.name + (f", {c.team}" if c.team else "")
            if i == 0 and group.partner:
                who = f"*{group.name}*: {who}"
            rows.append(f"| {_cell(partner)} | {_cell(who)} | {_cell(contact_reach(data, c))} |")
    return "\n".join(rows)


def contacts_directory(data: Data) -> str:
    out = []
    for group in data.contacts.groups:
        members = [c for c in data.contacts.contacts if c.group == group.id]
        if not members:
            continue
        out += [f"## {group.name} {{#{group.id}}}", ""]
        if group.description:
            out += [" ".join(group.description.split()), ""]
        out += ["| Organisation | Team or role | How to contact | Last verified |",
                "| --- | --- | --- | --- |"]
        for c in members:
            team = c.team or ""
            if c.note:
                team = f"{team}. {c.note}" if team else c.note
            out.append(f"| {_cell(c.name)} | {_cell(team)} | {_cell(contact_reach(data, c))} | "
                       f"{wording.long_date(c.verified)} |")
        out.append("")
    return "\n".join(out)


def _template_after(data: Data, template: Template) -> str:
    """What to do when the stage's time runs out, from the stages and the drift rule."""
    procedure = data.procedure(template.procedure)
    numbers = [s.number for s in procedure.stages]
    if template.stage + 1 not in numbers:
        return ""
    stage = procedure.stages[numbers.index(template.stage)]
    text = (f"No resolution within {wording.amount(stage.timescale.within, stage.timescale.unit)}? "
            f"Start stage {template.stage + 1} straight away: it is your responsibility to "
            "see the process through.")
    drift = procedure.drift
    if drift and drift.first_stage <= template.stage <= drift.last_stage:
        text += (f" If you leave {drift.gap_calendar_days} days or more between stages "
                 f"{drift.first_stage} to {drift.last_stage}, you must start again at "
                 f"stage {drift.restart_at}.")
    return text


def email_templates(data: Data) -> str:
    if not data.templates:
        return "This partnership publishes no email templates."
    out = []
    for t in data.templates.templates:
        out += [f"## Stage {t.stage} {{#stage-{t.stage}}}", ""]
        out += [fill(" ".join(t.instruction.split()), {}, data), ""]
        if t.subject:
            to = ("the manager you have identified in the other agency (their safeguarding "
                  "team will tell you who: see the [Local Contacts Directory](contacts.md))"
                  if t.to == "chosen agency" else mailto(data.email_of(t.to)))
            out += [f"Subject\n:   {escape(t.subject)}", "", f"To\n:   {to}", ""]
            if t.cc:
                out += ["Copy to\n:   " + ", ".join(mailto(data.email_of(c)) for c in t.cc), ""]
            out += ["Message", ":   The text in square brackets is for you to fill in.", ""]
            for paragraph in fill(t.body, {}, data).split("\n\n"):
                out += ["> " + escape(paragraph).replace("\n", "<br>\n> "), ">"]
            out[-1] = ""
        after = _template_after(data, t)
        if after:
            out += ['!!! warning "If there is no answer in time"', "", f"    {after}", ""]
    return "\n".join(out)


def fast_form(data: Data) -> str:
    """The stage 5 form, blank: the engine's own form with nothing filled in, so that the
    printed blank and the tool's filled copy are one layout."""
    if data.form is None:
        return ""
    return form_html(appendix_form(data, {}, []))


def glossary(data: Data) -> str:
    out = []
    for term in sorted(data.glossary.terms, key=lambda t: t.term.lower()):
        out += [term.term, f":   {term.meaning}." + (f" {term.description}" if term.description
                                                   else ""), ""]
    return "\n".join(out)


def abbreviations(data: Data) -> str:
    """Definitions for Markdown's abbr extension, appended to every page."""
    return "\n".join(f"*[{t.term}]: {t.meaning}" for t in data.glossary.terms)


def when(data: Data, stage_number: int, procedure_id: str | None = None) -> str:
    procedure = data.procedure(procedure_id)
    return wording.when(procedure, procedure.stages[stage_number - 1])


_REGIONS = {("GB", "ENG"): "England", ("GB", "WLS"): "Wales", ("GB", "SCT"): "Scotland",
            ("GB", "NIR"): "Northern Ireland"}


def working_days_note(data: Data, calendar: Calendar) -> str:
    region = data.partnership.region
    where = _REGIONS.get((region.country, region.subdivision),
                         f"{region.country}-{region.subdivision}")
    closures = (" and the partnership's local closure days"
                if data.partnership.closure_days else "")
    return (f"Working days here are Monday to Friday, except bank holidays in {where}"
            f"{closures}. The day a timescale is counted from is never counted itself. This "
            f"site knows the bank holidays from {calendar.first_year} to "
            f"{calendar.last_year}.")


# --- the decision tool page: plain HTML that works before Python has loaded -----------


def tool_questions(data: Data) -> str:
    """Every chooser question as a fieldset of radios; the script shows one at a time."""
    if data.chooser is None:
        return "<p>This partnership has no option chooser.</p>"
    out = []
    for q in data.chooser.questions:
        hint_id = f"hint-{q.id}"
        hint = (f'<div class="tool-hint" id="{hint_id}">{escape(" ".join(q.hint.split()))}</div>'
                if q.hint else "")
        described = f' aria-describedby="{hint_id}"' if q.hint else ""
        radios = "\n".join(
            f'<div class="tool-radio"><input type="radio" name="q-{q.id}" id="q-{q.id}-{i}" '
            f'value="{escape(a.label)}" data-question="{q.id}">'
            f'<label for="q-{q.id}-{i}">{escape(a.label)}</label></div>'
            for i, a in enumerate(q.answers))
        out.append(
            f'<fieldset class="tool-question" data-question="{q.id}"{described}>\n'
            f'<legend><h3>{escape(" ".join(q.text.split()))}</h3></legend>\n{hint}\n{radios}\n'
            f'<button type="button" class="md-button md-button--primary" '
            f'data-action="answer" data-question="{q.id}">Continue</button>\n</fieldset>')
    return "\n".join(out)


# Every field of the tool: data-state names where its value lives in the page's state
# (sessionStorage), so the glue can save and restore any field without knowing it.
# spellcheck is off: a browser's enhanced spell check sends what is typed to a server.


def _hint(field_id: str, text: str | None) -> tuple[str, list[str]]:
    if not text:
        return "", []
    return (f'<div class="tool-hint" id="hint-{field_id}">{escape(" ".join(text.split()))}'
            "</div>"), [f"hint-{field_id}"]


def _text_field(field_id: str, label: str, state: str, *, hint: str | None = None,
                multiline: bool = False, is_date: bool = False) -> str:
    hint_html, described = _hint(field_id, hint)
    error = ""
    if is_date:
        error = (f'<p class="tool-error" id="error-{field_id}" data-field-error="{field_id}" '
                 "hidden></p>")
        described.append(f"error-{field_id}")
    describedby = f' aria-describedby="{" ".join(described)}"' if described else ""
    common = (f'id="{field_id}" name="{field_id}" data-state="{state}"{describedby} '
              'autocomplete="off" spellcheck="false"')
    if multiline:
        control = f'<textarea {common} rows="4"></textarea>'
    else:
        size = ' class="tool-input--date" inputmode="text"' if is_date else ""
        control = f'<input type="text" {common}{size}>'
    return (f'<div class="tool-field" data-field="{field_id}">'
            f'<label for="{field_id}">{escape(label)}</label>{hint_html}{error}{control}</div>')


DATE_HINT = "For example, 24/12/2026."


def tool_plan_fields(data: Data) -> str:
    """The start date of the main procedure."""
    procedure = data.procedure()
    return _text_field("start", f"Date of {procedure.start_event}", "start", hint=DATE_HINT,
                       is_date=True)


def tool_stage_records(data: Data) -> str:
    """For each stage: when contact was made, with whom, how, the outcome and the day it
    was completed. The first stage begins with the process itself."""
    procedure = data.procedure()
    out = []
    for stage in procedure.stages:
        n = stage.number
        fields = []
        if n != procedure.stages[0].number:
            fields.append(_text_field(f"started-{n}", f"Stage {n} started (contact made) on",
                                      f"stages.{n}.started", hint=DATE_HINT, is_date=True))
        fields += [
            _text_field(f"who-{n}", "Who you contacted (name and role)", f"stages.{n}.who"),
            _text_field(f"how-{n}", "How you contacted them (for example email, phone or "
                        "meeting)", f"stages.{n}.how"),
            _text_field(f"outcome-{n}", "Outcome, or why you are moving to the next stage",
                        f"stages.{n}.outcome", multiline=True),
            _text_field(f"completed-{n}", f"Stage {n} completed on (leave empty until it is)",
                        f"stages.{n}.completed", hint=DATE_HINT, is_date=True),
        ]
        out.append(f'<details class="tool-stage" id="record-{n}">'
                   f"<summary>Stage {n}: {escape(stage.name)}</summary>"
                   + "".join(fields) + "</details>")
    return "\n".join(out)


def _placeholder_field(placeholder) -> str:
    field_id = f"field-{placeholder.id}"
    # "@" is the stage of the email being written: page.js reads and writes that stage's
    # own answer, so each email keeps its own.
    state = f"emails.@.{placeholder.id}" if placeholder.per_email else f"fields.{placeholder.id}"
    if not placeholder.choices:
        hint = placeholder.hint
        if placeholder.id in ("previous_date", "previous_recipient"):
            hint = ((hint + " ") if hint else "") + (
                "Left empty, it is taken from what you recorded for the previous stage.")
        return _text_field(field_id, placeholder.label, state, hint=hint,
                           multiline=placeholder.multiline)
    hint_html, described = _hint(field_id, placeholder.hint)
    describedby = f' aria-describedby="{described[0]}"' if described else ""
    radios = "".join(
        f'<div class="tool-radio"><input type="radio" name="{field_id}" '
        f'id="{field_id}-{i}" value="{escape(choice)}" data-state="{state}">'
        f'<label for="{field_id}-{i}">{escape(choice)}</label></div>'
        for i, choice in enumerate(placeholder.choices))
    return (f'<fieldset class="tool-field tool-choices" data-field="{field_id}"{describedby}>'
            f"<legend>{escape(placeholder.label)}</legend>{hint_html}{radios}</fieldset>")


def tool_email_fields(data: Data) -> str:
    """Which stage's email, to which agency, and the fields its templates ask for."""
    if not data.templates:
        return "<p>This partnership publishes no email templates.</p>"
    stages = "".join(
        f'<div class="tool-radio"><input type="radio" name="email-stage" '
        f'id="email-stage-{t.stage}" value="{t.stage}" data-state="email.stage">'
        f'<label for="email-stage-{t.stage}">Stage {t.stage}</label></div>'
        for t in sendable_templates(data))
    groups = []
    for group in data.contacts.groups:
        options = "".join(
            f'<option value="{c.id}">{escape(c.name + (f" ({c.team})" if c.team else ""))}'
            "</option>"
            for c in data.contacts.contacts if c.group == group.id and data.email_of(c.id))
        if options:
            groups.append(f'<optgroup label="{escape(group.name)}">{options}</optgroup>')
    agency = (
        '<div class="tool-field" data-field="agency"><label for="agency">The other agency '
        '(its safeguarding contact from the directory)</label>'
        '<select id="agency" name="agency" data-state="email.agency">'
        '<option value="">Choose the agency</option>' + "".join(groups) + "</select></div>")
    fields = "".join(_placeholder_field(p) for p in data.templates.placeholders)
    return (f'<fieldset class="tool-field tool-choices"><legend>Which stage\'s email?</legend>'
            f"{stages}</fieldset>{agency}{fields}")


def tool_form_fields(data: Data) -> str:
    """The form's own fields; those it shares with the emails are typed once, there."""
    if data.form is None:
        return ""
    shared = {p.id for p in data.templates.placeholders} if data.templates else set()
    return "".join(_text_field(f"field-{f.id}", f.label, f"fields.{f.id}",
                               multiline=f.multiline)
                   for f in data.form.fields if f.id not in shared)
