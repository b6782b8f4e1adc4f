"""A reference in the data's text ({contact-id.phone}, {procedure-id.stage-2}) is filled in
once, when the data is read: no page, no drawing and no step of the tool shows one as
written, in any pack."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

import packs
from escalation.bundle import load_bundle
from escalation.journey import view
from escalation_build import pages
from escalation_build.bank_holidays import calendar_for
from escalation_build.bundle import make_bundle
from escalation_build.sources import load_data_dir

PACKS = [pack.data_dir for pack in packs.PACKS]
REFERENCE = re.compile(r"\{[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\}")
TODAY = date(2026, 12, 2)


def strings(value):
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for item in value.values():
            yield from strings(item)
    elif isinstance(value, (list, tuple)):
        for item in value:
            yield from strings(item)


def every_path(tree):
    """Each list of answers that reaches an outcome, as the state the page posts."""
    questions = {q.id: q for q in tree.questions}

    def walk(node, answers):
        if node not in questions:
            yield answers
            return
        for answer in questions[node].answers:
            yield from walk(answer.next, {**answers, node: answer.label})

    yield from walk(tree.start, {})


@pytest.mark.parametrize("data_dir", PACKS, ids=packs.pack_ids())
def test_no_reference_is_left_unfilled_in_pages_or_the_tool(data_dir: Path):
    data, _ = load_data_dir(data_dir, today=TODAY)
    calendar = calendar_for(data.partnership, TODAY)
    extra = {"tool_pyodide": "p/", "tool_stdlib": "s.zip", "tool_snapshot": "x.gz"}
    shown = [pages.emergency_box(data), pages.options_at_a_glance(data),
             pages.key_contacts_table(data), pages.contacts_directory(data),
             pages.email_templates(data), pages.blank_form(data), pages.glossary(data),
             pages.chooser_tree(data), pages.working_days_note(data, calendar),
             pages.tool_page(data, extra), pages.poster(data, "a4")]
    for procedure in data.procedures.procedures:
        shown += [pages.stages_table(data, procedure.id), pages.flowchart(data, procedure.id)]
    for text in shown:
        assert not REFERENCE.search(text), REFERENCE.search(text)

    bundle = load_bundle(make_bundle(data_dir, TODAY))
    paths = list(every_path(data.chooser)) if data.chooser else [{}]
    assert len(paths) >= 3
    for answers in paths:
        state = {"answers": answers, "plans": {p.id: {"start": "24/12/2026"}
                                               for p in data.procedures.procedures}}
        for now in ("2026-12-24T10:00", "2026-12-26T22:00"):
            for text in strings(view(bundle, state, now)):
                assert not REFERENCE.search(text), (answers, text)


def test_no_page_of_the_built_site_shows_a_reference(built_site):
    for page in built_site.rglob("*.html"):
        if "pyodide" in page.parts or "admin" in page.parts:
            continue  # the admin pages show how to write one, in code
        text = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser").get_text(" ")
        assert not REFERENCE.search(text), (page, REFERENCE.search(text))
