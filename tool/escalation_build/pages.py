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


def tool_plan_fields(data: Data) -> str:
    """The start date and a completion date for each stage of the main procedure."""
    procedure = data.procedure()
    rows = [
        '<div class="tool-field">'
        f'<label for="start">Date of {escape(procedure.start_event)}</label>'
        '<p class="tool-error" id="error-start" hidden></p>'
        '<input type="date" id="start" name="start" aria-describedby="error-start">'
        '</div>']
    for stage in procedure.stages:
        key = f"completed-{stage.number}"
        rows.append(
            '<div class="tool-field">'
            f'<label for="{key}">Stage {stage.number} ({escape(stage.name)}) completed on '
            '(leave empty until it is)</label>'
            f'<p class="tool-error" id="error-{key}" hidden></p>'
            f'<input type="date" id="{key}" name="{key}" data-stage="{stage.number}" '
            f'aria-describedby="error-{key}">'
            '</div>')
    return "\n".join(rows)
