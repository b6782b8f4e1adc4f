"""Appendix 1, the stage 5 form, filled from what was typed and the stage log."""

from __future__ import annotations

import html
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date

from .documents import fill
from .emails import Email, email_of
from .fast_log import StageRecord
from .model import Data, Form
from .plain_text import html_lines
from .wording import long_date

# --- the stage 5 form (Appendix 1) ------------------------------------------------------


@dataclass(frozen=True)
class FilledForm:
    """The stage 5 form with the practitioner's answers. A blank answer is "" here, left
    as a space to write in on the printed form and marked "[To fill]" in the text."""

    title: str
    reference: str
    heading: str
    fields: tuple[tuple[str, str], ...]     # (label, answer)
    log_heading: str
    log_columns: tuple[str, ...]
    log_rows: tuple[tuple[str, ...], ...]   # one per stage the form lists, by log_columns
    closing: str
    submission_label: str
    submitted: str                          # the date sent, in words, or ""
    multiline: tuple[bool, ...] = ()        # beside fields: answers that need a tall box


BLANK = "[To fill]"


def _form(data: Data) -> Form:
    if data.form is None:
        raise ValueError("this partnership has no form.yaml, so there is no form to fill")
    return data.form


def _log_cell(column_id: str, record: StageRecord | None, stage: int) -> str:
    """One cell of the form's stage table. A column the engine does not know stays
    blank, to be written in by hand on the printed form."""
    if column_id == "stage":
        return str(stage)
    if record is None:
        return ""
    if column_id == "date":
        return long_date(record.date_contacted) if record.date_contacted else ""
    return {"who": record.who, "how": record.how, "outcome": record.outcome}.get(column_id, "")


def appendix_form(data: Data, values: Mapping[str, str], records: Sequence[StageRecord],
                  submitted: date | None = None) -> FilledForm:
    """The stage 5 form filled from the practitioner's answers and stage records.

    values is keyed by the form's field ids, which are the email placeholders' ids where
    they ask the same thing, so the practitioner types the child and the risk once. When
    a stage has several records (a restart after drift), the last one given is shown.
    """
    form = _form(data)
    latest = {r.stage: r for r in records}
    return FilledForm(
        title=form.title,
        reference=form.reference,
        heading=form.heading,
        fields=tuple((f.label, (values.get(f.id) or "").strip()) for f in form.fields),
        multiline=tuple(f.multiline for f in form.fields),
        log_heading=form.log_heading,
        log_columns=tuple(c.label for c in form.log_columns),
        log_rows=tuple(tuple(_log_cell(c.id, latest.get(n), n) for c in form.log_columns)
                       for n in form.log_stages),
        # Contact details only: nothing typed is ever placed in the form's own words.
        closing=fill(" ".join(form.closing.split()), {}, data),
        submission_label=form.submission_label,
        submitted=long_date(submitted) if submitted else "",
    )


def _labelled(label: str, value: str) -> str:
    return f"{label if label.endswith(':') else label + ':'} {value or BLANK}"


def form_text(form: FilledForm) -> str:
    """The filled form as plain text: the body of the email that carries it."""
    lines = [f"{form.title} ({form.reference})", form.heading, ""]
    for label, value in form.fields:
        lines += [label, value or BLANK, ""]
    lines += [form.log_heading, ""]
    for row in form.log_rows:
        lines += [_labelled(c, v) for c, v in zip(form.log_columns, row, strict=True)] + [""]
    lines += [form.closing, "", _labelled(form.submission_label, form.submitted)]
    return "\n".join(lines)


def _answer_cell(value: str, tall: bool) -> str:
    css = "form-answer form-answer--tall" if tall and not value else "form-answer"
    return f'<td class="{css}">{html_lines(value)}</td>'


def form_html(form: FilledForm) -> str:
    """The form as a printable HTML fragment; with nothing filled in it is the site's
    blank Appendix 1 (escalation_build.pages.fast_form)."""
    tall = form.multiline or (False,) * len(form.fields)
    fields = "\n".join(f'<tr><th scope="row">{html.escape(label)}</th>'
                       f"{_answer_cell(value, t)}</tr>"
                       for (label, value), t in zip(form.fields, tall, strict=True))
    head = "".join(f'<th scope="col">{html.escape(c)}</th>' for c in form.log_columns)
    log = "\n".join(
        "<tr>" + "".join(f'<th scope="row">{html.escape(v)}</th>' if i == 0
                         else _answer_cell(v, False) for i, v in enumerate(row)) + "</tr>"
        for row in form.log_rows)
    submitted = f'<span class="form-line">{html.escape(form.submitted)}</span>'
    return f"""<div class="fast-form">
<p class="fast-form__title">{html.escape(form.title)} ({html.escape(form.reference)})</p>
<p class="fast-form__heading">{html.escape(form.heading)}</p>
<table class="fast-form__fields">
<caption>About the child and the disagreement</caption>
<tbody>
{fields}
</tbody>
</table>
<p class="fast-form__heading">{html.escape(form.log_heading)}</p>
<table class="fast-form__log">
<caption>What was done at each stage</caption>
<thead><tr>{head}</tr></thead>
<tbody>
{log}
</tbody>
</table>
<p>{html.escape(form.closing)}</p>
<p class="fast-form__submitted">{html.escape(form.submission_label)} {submitted}</p>
</div>"""


def form_email(data: Data, form: FilledForm) -> Email:
    """The email that carries the filled form to the partnership (stage 5)."""
    settings = _form(data)
    return Email(to=(email_of(data, settings.send_to),), cc=(), subject=settings.subject,
                 body=form_text(form))
