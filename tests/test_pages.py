"""The page renderers (escalation_build.pages) on the frozen default site's data
(tests/fixture_site): each turns data into the Markdown a page shows, with the facts exact
and data text kept as text."""

from __future__ import annotations

import dataclasses
from datetime import date
from html import unescape

import markdown
import pytest

from conftest import FIXTURE_DATA
from escalation_build import pages
from escalation_build.bank_holidays import calendar_for
from escalation_build.markdown_text import DataView, cell, text
from escalation_build.sources import load_data_dir

TODAY = date(2026, 12, 2)
EXTENSIONS = ["abbr", "admonition", "attr_list", "def_list", "md_in_html", "tables"]


@pytest.fixture(scope="module")
def data():
    return load_data_dir(FIXTURE_DATA, today=TODAY)[0]


def html(source: str) -> str:
    return markdown.markdown(source, extensions=EXTENSIONS)


def test_the_emergency_box_gives_police_the_front_door_and_out_of_hours(data):
    box = pages.emergency_box(data)
    assert box.splitlines() == [
        '!!! danger "Is a child at immediate risk?"',
        "",
        "    - If a child is in immediate danger, ring the police on **[999](tel:999)**.",
        "    - Ring Surrey Children's Single Point of Access (C-SPA) on "
        "**[0300 470 9100](tel:03004709100)** (Monday to Friday, 9am to 5pm), or email "
        "[cspa@surreycc.gov.uk](mailto:cspa@surreycc.gov.uk).",
        "    - Out of hours, including weekends and bank holidays, ring "
        "**[01483 517898](tel:01483517898)** and ask for the Emergency Duty Team.",
    ]


def test_the_stages_table_has_a_row_per_stage_with_its_timescale(data):
    rows = pages.stages_table(data).splitlines()
    assert rows[0] == "| Stage | What happens | Who | When |"
    assert len(rows) == 2 + 5
    assert rows[2].startswith("| **Stage 1: Internal discussion** | Talk the disagreement")
    assert rows[2].endswith("| You and your own line manager | Within 2 working days of the "
                            "disagreement or concern arising. |")
    assert ("Copy in [Partnership.escalation@surreycc.gov.uk]"
            "(mailto:Partnership.escalation@surreycc.gov.uk).") in rows[3]
    assert "| Within 2 working days of the completion of stage 1. |" in rows[3]


def test_when_is_the_timescale_in_words(data):
    assert pages.when(data, 1) == "Within 2 working days of the disagreement or concern arising"
    assert pages.when(data, 5) == "Within 2 working days of the completion of stage 4"
    with pytest.raises(ValueError, match="procedure 'fast' has stages 1 to 5: there is no stage 6"):
        pages.when(data, 6)
    with pytest.raises(ValueError, match="there is no stage -1"):
        pages.when(data, -1)  # never the last stage by Python's negative index


def test_the_key_contacts_table_names_the_partner_and_how_to_reach_each(data):
    rows = pages.key_contacts_table(data).splitlines()
    assert rows[2] == ("| Children's Social Care | Children's Social Care, Business Support Team "
                       "| [fast.signposting@surreycc.gov.uk](mailto:fast.signposting@surreycc.gov.uk) |")
    assert any("syheartlandsccg.surrey.safeguarding@nhs.net" in row for row in rows)


def test_the_directory_has_a_section_per_group_with_the_date_last_verified(data):
    directory = pages.contacts_directory(data)
    assert "## C-SPA, out of hours and emergencies {#front-door}" in directory
    assert ("| Surrey Children's Single Point of Access (C-SPA) |  | "
            "[cspa@surreycc.gov.uk](mailto:cspa@surreycc.gov.uk) or "
            "[0300 470 9100](tel:03004709100) (Monday to Friday, 9am to 5pm) | "
            "Saturday 20 April 2024 |") in directory


def test_the_email_templates_show_subject_to_copy_and_the_message_to_fill(data):
    templates = pages.email_templates(data)
    assert ("Subject\n:   SSCP Stage 2 FaST Resolution request – Urgent response required "
            "within 2 working days") in templates
    assert "> Dear \\[To fill: Name of the person you are writing to\\]" in templates
    assert "No resolution within 2 working days? Start stage 3 straight away" in templates
    shown = html(templates)
    assert "Dear [To fill: Name of the person you are writing to]" in shown


def test_the_glossary_and_the_abbreviations_come_from_one_list(data):
    glossary = pages.glossary(data)
    assert "C-SPA\n:   Children's Single Point of Access." in glossary
    assert "*[C-SPA]: Children's Single Point of Access" in pages.abbreviations(data)
    page = html("Ring C-SPA.\n\n" + pages.abbreviations(data))
    assert '<abbr title="Children\'s Single Point of Access">C-SPA</abbr>' in page


def test_the_working_days_note_names_the_region_and_the_years_known(data):
    note = pages.working_days_note(data, calendar_for(data.partnership, TODAY))
    assert note == ("Working days are Monday to Friday, except bank holidays in England. "
                    "The day a timescale is counted from is never counted itself. This site "
                    "knows the bank holidays from 2025 to 2031.")


def test_a_page_record_shows_review_dates_and_flags_an_overdue_review(data):
    record = pages.page_record(data, "fast-resolution-process.md", TODAY)
    assert "Last reviewed: 25 November 2026. Next review due: 25 November 2027." in record
    assert "(overdue)" in pages.page_record(data, "fast-resolution-process.md", date(2028, 1, 1))
    assert pages.page_record(data, "no-such-page.md", TODAY) == ""


def test_after_title_puts_the_block_under_the_first_heading():
    assert pages.after_title("---\n# Title\n\nText", "B") == "---\n# Title\n\nB\n\n\nText"
    assert pages.after_title("No heading", "B") == "B\n\nNo heading"
    assert pages.after_title("# Title", "") == "# Title"


@pytest.mark.parametrize("written", [
    "<script>alert(1)</script>", "**bold** and _italic_", "[a link](javascript:alert(1))",
    "Name {: onclick=\"alert(1)\" }", "# Not a heading", "1. Not a list", "- Not a list",
    "!!! danger", ":   not a definition", "&lt;already an entity&gt;", "back\\slash `code`",
    "*[C-SPA]: not an abbreviation", "a | pipe",
])
def test_data_text_reads_exactly_as_written(written):
    shown = html(cell(text(written)))
    assert shown.startswith("<p>") and shown.count("<") == 2, shown  # one paragraph, no markup
    assert unescape(markdown.markdown(text(written))[3:-4]) == " ".join(written.split())


def test_a_page_template_reads_data_as_text(data):
    view = DataView(data, report=lambda message: pytest.fail(message))
    hostile = dataclasses.replace(data.procedure(), name="<b>FaST</b>")
    assert DataView(hostile, report=print).name == "&lt;b&gt;FaST&lt;/b&gt;"
    assert view.procedure().stages[0].name == "Internal discussion"
    assert view.procedure().stages[0].timescale.within == 2
    assert view.contact("cspa").phone == "0300 470 9100"


def test_a_wrong_lookup_in_a_page_template_is_reported_not_raised(data):
    said = []
    view = DataView(data, report=said.append)
    assert str(view.contact("nobody").name) == ""
    assert str(view.nothing) == ""
    assert said == ["there is no contact 'nobody' in contacts.yaml",
                    "'nothing' is not a field of Data: the fields are partnership, contacts, "
                    "procedures, glossary, options, chooser, templates, form, pages"]


EXTRA = {"tool_pyodide": "pyodide/", "tool_stdlib": "stdlib.zip", "tool_snapshot": "s.gz"}


def test_the_tool_page_numbers_its_steps_for_what_the_partnership_has(data):
    page = pages.tool_page(data, EXTRA)
    for heading in ('id="step-route">1. Which route?', 'id="step-plan">2. Plan and track',
                    'id="step-emails">3. The emails for stages 2 to 4',
                    'id="step-form">4. Appendix 1: the FaST Resolution Form',
                    'id="step-record">5. Your record'):
        assert heading in page
    assert "does not reproduce" not in page
    bare = dataclasses.replace(data, templates=None, form=None)
    page = pages.tool_page(bare, EXTRA)
    assert 'id="step-record">3. Your record' in page and "step-emails" not in page
    assert "This site does not reproduce email templates or a form for its procedures" in page


def test_the_tool_page_escapes_what_the_data_says(data):
    procedure = dataclasses.replace(data.procedure(), name='<img src=x onerror="alert(1)">')
    hostile = dataclasses.replace(data, procedures=dataclasses.replace(
        data.procedures, procedures=(procedure,) + data.procedures.procedures[1:]))
    page = pages.tool_page(hostile, EXTRA)
    assert "<img src=x" not in page
    assert '&lt;img src=x onerror=&#34;alert(1)&#34;&gt;.' in page
