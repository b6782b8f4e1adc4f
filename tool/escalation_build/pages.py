"""Data -> Markdown for the site's pages. Pure functions: the macros only call these.

Markdown rather than HTML where the result is prose or a table, so that the glossary's
abbreviations and the site search reach it.
"""

from __future__ import annotations

import json
from datetime import date
from functools import partial
from html import escape
from pathlib import Path

import jinja2
from markupsafe import Markup

from escalation import state_paths, wording
from escalation.appendix import appendix_form, form_html
from escalation.calendar import Calendar
from escalation.case import MAX_TEXT, Case, case_state
from escalation.documents import fill
from escalation.emails import sendable_templates
from escalation.model import Contact, Data, Form, Procedure, Stage, Template
from escalation.timeline import needs_time, timed_steps
from escalation.tool_view import MANAGER_ADDRESS
from escalation_build.markdown_text import cell as _cell
from escalation_build.markdown_text import text
from escalation_build.poster import flowchart_svg
from escalation_build.tree import chooser_svg


def mailto(address: str) -> str:
    return f"[{address}](mailto:{address})"


def tel(number: str) -> str:
    return f"[{number}](tel:{number.replace(' ', '')})"


# How the pages write what wording's sentences carry: data text escaped, numbers and
# addresses as links, what must stand out in bold.
def web_link(address: str) -> str:
    """A web address as a link to exactly that address: an HTML tag, since a Markdown
    link's destination would read backslashes, backticks and entities in it as markup,
    with the two characters Markdown reads even inside a tag written as references."""
    href = escape(address, quote=True).replace("`", "&#96;").replace("\\", "&#92;")
    return f'<a href="{href}">{text(address)}</a>'


MARKDOWN = wording.Medium(text=text, phone=tel, email=mailto, strong=lambda s: f"**{s}**",
                          web=web_link)


def contact_reach(data: Data, contact: Contact) -> str:
    """'email x' and/or 'ring y (when)' for one contact, as Markdown."""
    return wording.how_to_reach(wording.reach(data, contact.id), MARKDOWN)


def emergency_box(data: Data) -> str:
    lines = [f'!!! danger "Is {text(wording.someone(data.partnership.about))} at immediate risk?"',
             ""]
    sentences = wording.emergency_sentences(wording.emergency_lines(data), MARKDOWN)
    return "\n".join(lines + [f"    - {sentence}" for sentence in sentences])


def options_at_a_glance(data: Data) -> str:
    if not data.options:
        return ""
    lines = ['<div class="grid cards" markdown>', ""]
    for option in data.options.options:
        lines += [
            f"-   **[Option {option.number}: {text(option.title)}]({option.page})**",
            "",
            "    ---",
            "",
            f"    {text(option.summary)}",
            "",
        ]
    lines.append("</div>")
    return "\n".join(lines)


def _reach_by_mail(data: Data, contact_id: str) -> str:
    """A contact's address as a link, or its name when the procedure gives no address."""
    email = data.email_of(contact_id)
    return mailto(email) if email else text(data.contact(contact_id).name)


def stages_table(data: Data, procedure_id: str | None = None) -> str:
    procedure = data.procedure(procedure_id)
    rows = [f"| {wording.rung(procedure)} | What happens | Who | When |",
            "| --- | --- | --- | --- |"]
    for stage in procedure.stages:
        what = text(stage.what)
        if stage.copy_to:
            copies = ", ".join(_reach_by_mail(data, c) for c in stage.copy_to)
            what += f" Copy in {copies}."
        if stage.contact:
            what += f" Send to {_reach_by_mail(data, stage.contact)}."
        for task in wording.stage_tasks(data, procedure, stage):
            what += f" {text(task)}"
        rows.append(
            f"| **{wording.rung(procedure, stage.number)}: {_cell(text(stage.name))}** | "
            f"{_cell(what)} | "
            f"{_cell(text(stage.who))} | {_cell(text(_when_in_full(procedure, stage)))}. |"
        )
    after = [wording.limit_rule(procedure, limit) for limit in procedure.limits]
    after += wording.every_stage_tasks(data, procedure)
    if procedure.indicative:
        after.append(f"Every timescale is {wording.INDICATIVE}.")
    return "\n".join(rows) + "".join(f"\n\n{text(line)}" for line in after)


def _when_in_full(procedure: Procedure, stage: Stage) -> str:
    """The stage's own timescale and, when it has both, its steps' too (by their own
    names: a procedure may call its stages steps)."""
    said = wording.when(procedure, stage)
    if stage.timescale is not None and stage.steps:
        said += f". Inside it: {wording.steps_when(procedure, stage)}"
    return said


def key_contacts_table(data: Data) -> str:
    rows = ["| Partner | Organisation or team | Contact |", "| --- | --- | --- |"]
    for group in data.contacts.groups:
        if not group.key_contact:
            continue
        members = [c for c in data.contacts.contacts if c.group == group.id]
        partner = group.partner or group.name
        for i, c in enumerate(members):
            who = text(c.name + (f", {c.team}" if c.team else ""))
            if i == 0 and group.partner:
                who = f"*{text(group.name)}*: {who}"
            rows.append(f"| {_cell(text(partner))} | {_cell(who)} | "
                        f"{_cell(contact_reach(data, c))} |")
    return "\n".join(rows)


def contacts_directory(data: Data) -> str:
    out = []
    for group in data.contacts.groups:
        members = [c for c in data.contacts.contacts if c.group == group.id]
        if not members:
            continue
        out += [f"## {text(group.name)} {{#{group.id}}}", ""]
        if group.description:
            out += [text(group.description), ""]
        out += ["| Organisation | Team or role | How to contact | Last verified |",
                "| --- | --- | --- | --- |"]
        for c in members:
            team = c.team or ""
            if c.note:
                team = f"{team}. {c.note}" if team else c.note
            out.append(f"| {_cell(text(c.name))} | {_cell(text(team))} | "
                       f"{_cell(contact_reach(data, c))} | "
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
    within = (f"within {wording.measure(stage.timescale)}"
              if stage.timescale else "straight away")
    advice = (f"No resolution {within}? Start "
              f"{wording.rung(procedure, template.stage + 1, capital=False)} straight away: "
              "it is your responsibility to see the process through.")
    drift = procedure.drift
    if drift and drift.first_stage <= template.stage <= drift.last_stage:
        advice += " " + wording.drift_rule(procedure, drift)
    return advice


def email_templates(data: Data) -> str:
    if not data.templates:
        return "This partnership publishes no email templates."
    out = []
    for t in data.templates.templates:
        heading = wording.rung(data.procedure(t.procedure), t.stage)
        out += [f"## {heading} {{#stage-{t.stage}}}", ""]
        out += [text(fill(t.instruction, {}, data)), ""]
        if t.subject:
            to = ("the manager you have identified in the other agency (their safeguarding "
                  "team will tell you who: see the [Local Contacts Directory](contacts.md))"
                  if t.to == "chosen agency" else mailto(data.email_for(t.to)))
            out += [f"Subject\n:   {text(t.subject)}", "", f"To\n:   {to}", ""]
            if t.cc:
                out += ["Copy to\n:   " + ", ".join(mailto(data.email_for(c)) for c in t.cc), ""]
            out += ["Message", ":   The text in square brackets is for you to fill in.", ""]
            for paragraph in fill(t.body or "", {}, data).split("\n\n"):
                lines = [text(line) for line in paragraph.split("\n")]
                out += ["> " + "<br>\n> ".join(lines), ">"]
            out[-1] = ""
        after = _template_after(data, t)
        if after:
            out += ['!!! warning "If there is no answer in time"', "", f"    {text(after)}", ""]
    return "\n".join(out)


def blank_form(data: Data) -> str:
    """The partnership's form, blank: the engine's own form with nothing filled in, so
    that the printed blank and the tool's filled copy are one layout."""
    if data.form is None:
        return ""
    return form_html(appendix_form(data, {}, []))


def glossary(data: Data) -> str:
    out = []
    for term in sorted(data.glossary.terms, key=lambda t: t.term.lower()):
        out += [text(term.term), f":   {text(term.meaning)}."
                + (f" {text(term.description)}" if term.description else ""), ""]
    return "\n".join(out)


def abbreviations(data: Data) -> str:
    """Definitions for Markdown's abbr extension, appended to every page."""
    # The meaning becomes a title attribute, which Markdown escapes itself.
    return "\n".join(f"*[{' '.join(t.term.split())}]: {' '.join(t.meaning.split())}"
                     for t in data.glossary.terms)


def when(data: Data, stage_number: int, procedure_id: str | None = None) -> str:
    procedure = data.procedure(procedure_id)
    count = len(procedure.stages)
    if not isinstance(stage_number, int) or not 1 <= stage_number <= count:
        raise ValueError(f"procedure '{procedure.id}' has stages 1 to {count}: there is no "
                         f"stage {stage_number!r}")
    return text(wording.when(procedure, procedure.stages[stage_number - 1]))


def working_days_note(data: Data, calendar: Calendar) -> str:
    return (f"{wording.working_days(data.partnership)} {wording.NOT_COUNTED} This site knows "
            f"the bank holidays from {calendar.first_year} to {calendar.last_year}.")


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
                multiline: bool = False, is_date: bool = False, hidden: bool = False,
                has_error: bool = False) -> str:
    hint_html, described = _hint(field_id, hint)
    error = ""
    if is_date or has_error:
        error = (f'<p class="tool-error" id="error-{field_id}" data-field-error="{field_id}" '
                 "hidden></p>")
        described.append(f"error-{field_id}")
    # The engine keeps at most MAX_TEXT characters of a field: the box holds no more, and
    # the page says how many are left beside it before the limit (page.js showRoomLeft).
    room = f'<p class="tool-room" id="room-{field_id}" aria-live="polite" hidden></p>'
    described.append(f"room-{field_id}")
    describedby = f' aria-describedby="{" ".join(described)}"'
    common = (f'id="{field_id}" name="{field_id}" data-state="{state}"{describedby} '
              f'maxlength="{MAX_TEXT}" autocomplete="off" spellcheck="false"')
    if multiline:
        control = f'<textarea {common} rows="4"></textarea>'
    else:
        size = ' class="tool-input--date" inputmode="text"' if is_date else ""
        control = f'<input type="text" {common}{size}>'
    shown = " hidden" if hidden else ""
    return (f'<div class="tool-field" data-field="{field_id}"{shown}>'
            f'<label for="{field_id}">{escape(label)}</label>{hint_html}{error}{control}'
            f"{room}</div>")


DATE_HINT = "For example, 24/12/2026."


def tool_plan_fields(data: Data) -> str:
    """The start date, labelled for the main procedure (the page relabels it for the
    procedure of the route chosen)."""
    procedure = data.procedure()
    start = _text_field("start", wording.start_label(procedure), state_paths.START,
                        hint=DATE_HINT, is_date=True)
    priorities = "".join(_priority_field(p) for p in data.procedures.procedures if p.priorities)
    if not any(needs_time(p) for p in data.procedures.procedures):
        return start + priorities
    # Shown by the page when the route's procedure counts hours from the start.
    return start + _text_field(
        "start-time", wording.time_label(procedure), state_paths.START_TIME,
        hint="For example, 14:30 or 2.30pm. Left empty, the hours are counted from the start "
             "of the day.", is_date=True, hidden=not needs_time(procedure)) + priorities


def _priority_field(procedure: Procedure) -> str:
    """How urgent the issue is, for a procedure whose timescales depend on it; shown only
    while that procedure is planned (page.js, as for the steps' fields)."""
    field_id = f"priority-{procedure.id}"
    state = state_paths.priority_field(procedure.id)
    radios = "".join(
        f'<div class="tool-radio"><input type="radio" name="{field_id}" '
        f'id="{field_id}-{p.id}" value="{escape(p.id)}" data-state="{state}"'
        + (f' aria-describedby="{field_id}-{p.id}-hint"' if p.hint else "")
        + f'><label for="{field_id}-{p.id}">{escape(p.name)}</label>'
        + (f'<p class="tool-hint" id="{field_id}-{p.id}-hint">{escape(p.hint)}</p>' if p.hint
           else "") + "</div>"
        for p in procedure.priorities)
    return (f'<fieldset class="tool-field tool-choices tool-own-fields" data-procedure='
            f'"{escape(procedure.id)}" data-field="{field_id}" hidden>'
            f"<legend>{escape(procedure.priority_question)}</legend>"
            "<p class=\"tool-hint\">Until you choose, each date that depends on it is the "
            f"shortest.</p>{radios}</fieldset>")


def tool_stage_records(data: Data) -> str:
    """For each stage: when contact was made, with whom, how, the outcome and the day it
    was completed. The first stage's contact is the start unless typed. There are as many as
    the longest procedure has stages, named for the main one; the page names and hides
    them for the procedure of the route chosen."""
    procedure = data.procedure()
    names = {s.number: s.name for s in procedure.stages}
    word = partial(wording.rung, procedure)
    most = max(len(p.stages) for p in data.procedures.procedures)
    out = []
    for n in range(1, most + 1):
        # Stage 1 begins with the process, but its contact (FaST: the discussion with your
        # line manager) may be later: Appendix 1 and the log take the date typed here.
        first = " Left empty, the date the process started is used." if n == 1 else ""
        fields = [_text_field(f"started-{n}", f"{word(n)} started (contact made) on",
                              state_paths.stage_field(n, "started"), hint=DATE_HINT + first,
                              is_date=True)]
        fields += [
            _text_field(f"who-{n}", "Who you contacted (name and role)",
                        state_paths.stage_field(n, "who")),
            _text_field(f"how-{n}", "How you contacted them (for example email, phone or "
                        "meeting)", state_paths.stage_field(n, "how")),
            _text_field(f"outcome-{n}",
                        f"Outcome, or why you are moving to the next {word(capital=False)}",
                        state_paths.stage_field(n, "outcome"), multiline=True),
            _text_field(f"completed-{n}", f"{word(n)} completed on (leave empty until it is)",
                        state_paths.stage_field(n, "completed"), hint=DATE_HINT, is_date=True),
        ]
        fields += [_step_fields(p, p.stages[n - 1]) for p in data.procedures.procedures
                   if len(p.stages) >= n and p.stages[n - 1].steps]
        name = f"{word(n)}: {names[n]}" if n in names else word(n)
        hidden = "" if n in names else " hidden"
        out.append(f'<details class="tool-stage" id="record-{n}"{hidden}>'
                   f'<summary id="record-{n}-name">{escape(name)}</summary>'
                   + "".join(fields) + "</details>")
    return "\n".join(out)


def _step_fields(procedure: Procedure, stage: Stage) -> str:
    """The day each step of the stage was done (and the time, when a clock in hours runs
    from it), shown only while this procedure is planned."""
    timed = timed_steps(procedure)
    fields = []
    for step in stage.steps:
        key = f"{procedure.id}--{step.id}"
        title = wording.step_title(step)
        fields.append(_text_field(
            f"done-{key}", f"{title}: done on (leave empty until it is)",
            state_paths.step_field(procedure.id, step.id, "done"), hint=DATE_HINT,
            is_date=True))
        if step.id in timed:
            fields.append(_text_field(
                f"done-time-{key}", f"{title}: time it was done (for the timescale in hours)",
                state_paths.step_field(procedure.id, step.id, "done_time"),
                hint="For example, 14:30 or 2.30pm. Left empty, the hours are counted from "
                     "the start of the day.", has_error=True))
    return (f'<div class="tool-own-fields" data-procedure="{escape(procedure.id)}" hidden>'
            f"<p>Inside {escape(wording.rung(procedure, stage.number, capital=False))}:"
            f"</p>{''.join(fields)}</div>")


def _placeholder_field(placeholder, procedure: Procedure) -> str:
    field_id = f"field-{placeholder.id}"
    # "@" is the stage of the email being written: page.js reads and writes that stage's
    # own answer, so each email keeps its own.
    state = (state_paths.email_field(placeholder.id) if placeholder.per_email
             else state_paths.shared_field(placeholder.id))
    if not placeholder.choices:
        hint = placeholder.hint
        if placeholder.id in ("previous_date", "previous_recipient"):
            hint = ((hint + " ") if hint else "") + (
                "Left empty, it is taken from what you recorded for the previous "
                f"{wording.rung(procedure, capital=False)}.")
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
        f'id="email-stage-{t.stage}" value="{t.stage}" data-state="{state_paths.EMAIL_STAGE}">'
        f'<label for="email-stage-{t.stage}">'
        f"{escape(wording.rung(data.procedure(t.procedure), t.stage))}</label></div>"
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
        f'<select id="agency" name="agency" data-state="{state_paths.AGENCY}">'
        '<option value="">Choose the agency</option>' + "".join(groups) + "</select></div>")
    # The templates say "send to the Senior Manager identified": their own address, when
    # the practitioner has it, goes in To; the agency's mailbox stays the default.
    address = _text_field(
        "email-to-address", "The named manager's own email address (if you have it)",
        state_paths.email_field(MANAGER_ADDRESS), has_error=True,
        hint="Left empty, the email goes to the agency's safeguarding mailbox chosen above.")
    # The page's email step is written for the main procedure's templates (those
    # sendable_templates gives by default), in its word for its stages.
    main = data.procedure()
    fields = "".join(_placeholder_field(p, main) for p in data.templates.placeholders)
    word = wording.rung(main, capital=False)
    return (f'<fieldset class="tool-field tool-choices"><legend>Which {word}\'s email?</legend>'
            f"{stages}</fieldset>{agency}{address}{fields}")


def tool_form_fields(data: Data) -> str:
    """The form's own fields; those it shares with the emails are typed once, there."""
    if data.form is None:
        return ""
    shared = {p.id for p in data.templates.placeholders} if data.templates else set()
    return "".join(_text_field(f"field-{f.id}", f.label, state_paths.shared_field(f.id),
                               multiline=f.multiline)
                   for f in data.form.fields if f.id not in shared)


def _email_stage_span(data: Data) -> str:
    stages = sorted({t.stage for t in sendable_templates(data)})
    procedure = data.procedure()  # the main procedure's templates, as above
    one, many = (wording.rung(procedure, capital=False, plural=plural)
                 for plural in (False, True))
    if len(stages) == 1:
        return f"{one} {stages[0]}"
    if stages == list(range(stages[0], stages[-1] + 1)):
        return f"{many} {stages[0]} to {stages[-1]}"
    return f"{many} " + ", ".join(str(s) for s in stages[:-1]) + f" and {stages[-1]}"


def _steps(data: Data) -> list[str]:
    """The tool's steps for this partnership: emails and the form only where it has them."""
    steps = ["route", "plan"]
    if data.templates and sendable_templates(data):
        steps.append("emails")
    if data.form:
        steps.append("form")
    return steps + ["record"]


def _print_choice(form: Form | None) -> str:
    """What printing the tool page gives (Ctrl+P as well as the buttons): the plan, the
    form or both, each on its own page (site.css, @media print)."""
    buttons = ('<button type="button" class="md-button" data-action="print" '
               'data-print="plan">Print the plan</button>')
    if form is None:
        return f'<p class="tool-actions">{buttons}</p>'
    reference = escape(form.reference)
    choices = (("both", f"The plan and {reference}, each on its own page"),
               ("plan", "The plan alone"), ("form", f"{reference} alone"))
    radios = "".join(
        f'<div class="tool-radio"><input type="radio" name="print-what" id="print-{value}" '
        f'value="{value}" data-print-choice{" checked" if value == "both" else ""}>'
        f'<label for="print-{value}">{label}</label></div>' for value, label in choices)
    return ('<fieldset class="tool-field tool-choices"><legend>When you print this page '
            "(the buttons, or Ctrl+P), print</legend>" + radios + "</fieldset>"
            f'<p class="tool-actions">{buttons}</p>')


_TEMPLATES = jinja2.Environment(
    loader=jinja2.FileSystemLoader(Path(__file__).parent / "templates"),
    autoescape=True, undefined=jinja2.StrictUndefined, keep_trailing_newline=True)


def tool_page(data: Data, extra: dict) -> str:
    """The whole decision tool, from templates/tool.html: plain HTML that works before
    Python has loaded, in steps numbered for this partnership (a partnership without
    templates or a form has no email or form step, and the page says so). The fragments
    built here are escaped already; the template escapes everything else it writes."""
    steps = _steps(data)
    form = data.form
    none_of = [what for what, step in (("email templates", "emails"), ("a form", "form"))
               if step not in steps]
    safe = Markup  # built by this module's renderers, which escape what they put in
    return _TEMPLATES.get_template("tool.html").render(
        number={name: i + 1 for i, name in enumerate(steps)},
        emails="emails" in steps, form=form, none_of=none_of,
        safety_first=wording.safety_first(data.partnership.about),
        their_file=wording.their_file(data.partnership.about),
        procedure=data.procedure(), extra=extra, boot=extra.get("tool_boot", "{}"),
        # The main procedure's word for its stages ("stage", or a protocol's "step"), which
        # the page changes to the planned procedure's (data-word).
        word=wording.stage_words(data.procedure()),
        email_word=wording.rung(data.procedure(), capital=False),
        state_attributes=state_paths.page_attributes(),
        blank_state=json.dumps(case_state(Case())),
        emergency_box=safe(emergency_box(data)), questions=safe(tool_questions(data)),
        plan_fields=safe(tool_plan_fields(data)), stage_records=safe(tool_stage_records(data)),
        print_choice=safe(_print_choice(form)),
        email_fields=safe(tool_email_fields(data)) if "emails" in steps else "",
        email_span=_email_stage_span(data) if "emails" in steps else "",
        form_fields=safe(tool_form_fields(data)),
        form_stage=(wording.rung(data.procedure(form.procedure), form.stage, capital=False)
                    if form else ""),
        send_to=data.contact(form.send_to) if form else None,
        send_to_email=data.email_of(form.send_to) or "" if form else "",
        short_name=data.partnership.short_name,
    )


# --- pictures: the flowchart poster and the chooser's tree ---------------------------


def flowchart(data: Data, procedure_id: str | None = None, id_prefix: str | None = None) -> str:
    """The procedure's flowchart, drawn from data, as a figure in a page."""
    procedure = data.procedure(procedure_id)
    svg = flowchart_svg(data, procedure.id, id_prefix=id_prefix)
    return (f'<figure class="flowchart">\n{svg}\n<figcaption>The {escape(procedure.name)} '
            "as a flowchart, drawn from the same data as every page.</figcaption>\n</figure>")


def poster(data: Data, size: str, procedure_id: str | None = None) -> str:
    """The flowchart as a sheet that prints alone on one page of `size` (A4 or A3)."""
    if size not in ("a4", "a3"):
        raise ValueError(f"posters come in a4 and a3, not {size!r}")
    svg = flowchart_svg(data, procedure_id, id_prefix=f"poster-{size}")
    return f'<div class="poster-sheet poster-sheet--{size}">\n{svg}\n</div>'


def chooser_tree(data: Data) -> str:
    """The option chooser's decision tree at its own size, in a region that scrolls
    sideways (focusable, so that it scrolls from the keyboard too)."""
    svg = chooser_svg(data, natural_size=True)
    if not svg:
        return "<p>This partnership has no option chooser.</p>"
    return (f'<div class="chooser-tree" tabindex="0" role="region" '
            f'aria-label="The option chooser decision tree (scrolls sideways)">\n{svg}\n</div>')


# --- each procedure page's review dates and amendments --------------------------------


def page_record(data: Data, page: str, today: date) -> str:
    """When the page was last reviewed and is next due, and its amendments, collapsed as
    procedures-online sites show them; nothing for a page with no record."""
    record = data.page_record(page)
    if record is None:
        return ""
    def day(d: date) -> str:
        return f"{d.day} {d:%B %Y}"

    overdue = " (overdue)" if record.next_review < today else ""
    out = ['<div class="page-record">',
           f'<p class="page-record__dates">Last reviewed: {day(record.reviewed)}. '
           f"Next review due: {day(record.next_review)}{overdue}.</p>"]
    if record.amendments:
        items = "".join(f"<li><strong>{day(a.date)}</strong>: "
                        f"{escape(' '.join(a.change.split()))}</li>"
                        for a in record.amendments)
        out.append('<details class="page-record__amendments"><summary>Show amendments'
                   f"</summary><ul>{items}</ul></details>")
    out.append("</div>")
    return "\n".join(out)


def after_title(markdown: str, block: str) -> str:
    """`block` placed under the page's first heading (at the top if it has none)."""
    if not block:
        return markdown
    lines = markdown.split("\n")
    for i, line in enumerate(lines):
        if line.startswith("# "):
            return "\n".join(lines[:i + 1] + ["", block, ""] + lines[i + 1:])
    return block + "\n\n" + markdown
