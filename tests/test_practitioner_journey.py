"""The practitioner's journey on every device (issue 13): phones, feedback for every
button, safety with what was typed, and case files that are not what they claim to be.
Debian's Chromium under the real Pyodide, driven by labels and roles."""

from __future__ import annotations

import json
import re
from datetime import datetime

import pytest
from playwright.sync_api import expect
from test_tool_e2e import (  # noqa: F401
    DISAGREEMENT,
    PARTNERSHIP,
    READY_MS,
    answer,
    choose_fast,
    downloaded,
    fill_case,
    open_tool,
    page,
    record,
    settled,
    stage_rows,
)

START = "Date of the disagreement or concern arising"


def message(page):
    """The message shown on screen for what a button just did."""
    return page.locator("#tool-message")


# --- phones -------------------------------------------------------------------------------


@pytest.mark.parametrize("width", [320, 390])
def test_on_a_phone_nothing_scrolls_sideways_with_a_plan_an_email_and_the_form(page, width):
    from test_accessibility import violations

    page.set_viewport_size({"width": width, "height": 740})
    open_tool(page, datetime(2027, 1, 9, 22, 0))
    fill_case(page)
    page.get_by_label("Name of the agency seeking a solution").fill("Greenfield Primary School")
    settled(page)
    for part in ("#plan-table", "#email-preview", "#form-preview", "#route"):
        expect(page.locator(part)).to_be_visible()
    widths = page.evaluate("() => [document.documentElement.scrollWidth, "
                           "document.documentElement.clientWidth]")
    assert widths[0] <= widths[1], widths
    # The plan, the email and the form each fit the screen (the form's stage log may
    # scroll inside its own box, which keyboard users can reach).
    for part in ("#plan-table", "#email-preview", "#form-preview"):
        box = page.locator(part).bounding_box()
        assert box["x"] >= 0 and box["x"] + box["width"] <= widths[1] + 0.5, (part, box)
    # Every deadline is on screen, each cell named, and still a table to a screen reader.
    expect(page.get_by_role("cell", name="No later than: Tuesday 12 January 2027")).to_be_visible()
    expect(page.get_by_role("rowheader", name=re.compile("^Stage 5"))).to_be_visible()
    assert violations(page) == []


def test_after_each_answer_on_a_phone_the_next_question_is_in_view(page):
    page.set_viewport_size({"width": 390, "height": 740})
    open_tool(page, datetime(2027, 1, 5, 9, 30))
    steps = [(re.compile("^Is a child in immediate danger"), "No"),
             ("What is your concern about?", DISAGREEMENT),
             ("Is the child or young person being put at risk of harm as a result?", "Yes"),
             (re.compile("^Have you already raised your concern"), "Yes")]
    for i, (question, label) in enumerate(steps):
        answer(page, question, label)
        settled(page)
        last = i == len(steps) - 1
        target = (page.get_by_role("heading", name="Start the FaST resolution process") if last
                  else page.locator("fieldset.tool-question:visible legend h3"))
        expect(target).to_be_focused()
        box = target.bounding_box()
        header = page.locator(".md-header").bounding_box()
        assert box["y"] >= header["y"] + header["height"] - 1, (i, box, header)
        assert box["y"] + box["height"] <= 740, (i, box)


def test_overdue_stands_out_by_more_than_colour(page):
    open_tool(page, datetime(2027, 1, 8, 9, 30))
    choose_fast(page)
    page.get_by_label(START).fill("24/12/2026")
    rows = stage_rows(page)
    assert [r[3] for r in rows][:3] == ["OVERDUE", "OVERDUE", "OVERDUE"]  # capitals
    style = """(row) => { const cell = row.querySelector('td:last-child');
      const s = getComputedStyle(cell), r = getComputedStyle(row);
      return {weight: s.fontWeight, border: r.borderLeftWidth,
              sign: getComputedStyle(cell, '::before').content}; }"""
    overdue = page.locator("#plan-rows tr").nth(0).evaluate(style)
    upcoming = page.locator("#plan-rows tr").nth(4).evaluate(style)
    assert overdue["weight"] == "700" and upcoming["weight"] != "700"
    assert overdue["border"] != "0px" and upcoming["border"] == "0px"
    assert "\u26a0" in overdue["sign"]
    # The words say it too: a screen reader and a greyscale print hear and see "Overdue".
    assert page.locator("#plan-rows tr").nth(0).locator("td").last.text_content() == "Overdue"


# --- feedback -----------------------------------------------------------------------------


def test_every_button_shows_what_it_did_on_screen(page):
    open_tool(page, datetime(2027, 1, 5, 9, 30))
    page.get_by_role("group", name=re.compile("^Is a child in immediate danger")) \
        .get_by_role("button", name="Continue").click()
    expect(message(page)).to_have_text("Choose an answer first.")
    expect(message(page)).to_be_visible()
    choose_fast(page)
    page.get_by_role("button", name="Add these deadlines to my calendar (.ics)").click()
    expect(message(page)).to_have_text("The file could not be made: enter the start date first.")
    expect(message(page)).to_be_in_viewport()
    page.get_by_role("button", name="Start again").click()
    fill_case(page)
    page.context.grant_permissions(["clipboard-read", "clipboard-write"], origin=page.base)
    for button, said, text in (
            ("Copy To", "To copied.", "sash.safeguardingchildren@nhs.net"),
            ("Copy Cc", "Cc copied.", "Partnership.escalation@surreycc.gov.uk"),
            ("Copy the subject", "The subject copied.", "SSCP Stage 3 FaST Resolution request"),
            ("Copy the message", "The message copied.", "Dear B. Jones")):
        page.get_by_role("button", name=button, exact=True).click()
        expect(message(page)).to_have_text(said)
        expect(message(page)).to_be_in_viewport()
        assert page.evaluate("() => navigator.clipboard.readText()").startswith(text)
    downloaded(page, "Save case file")
    expect(message(page)).to_have_text("fast-case-2027-01-05.json downloaded.")
    page.get_by_role("button", name="Clear everything").click()
    expect(message(page)).to_have_text("Everything you typed has been cleared from this browser tab.")
    expect(message(page)).to_be_visible()


def test_clear_everything_asks_once_and_no_keeps_everything(served):
    base, browser = served
    context = browser.new_context()
    page = context.new_page()
    page.base = base
    asked = []

    def say_no(dialog):
        asked.append((dialog.type, dialog.message))
        dialog.dismiss()

    page.on("dialog", say_no)
    open_tool(page, datetime(2027, 1, 5, 9, 30))
    fill_case(page)
    page.get_by_role("button", name="Clear everything").click()
    expect(message(page)).to_have_text("Nothing was cleared.")
    assert [t for t, _ in asked] == ["confirm"]
    assert "cannot be brought back" in asked[0][1]
    assert page.get_by_label("Child or family").input_value() == "Case ref 4471"
    assert page.get_by_label(START).input_value() == "24/12/2026"
    expect(page.locator("#plan-table")).to_be_visible()
    context.close()


# --- route panel and routes without stages -----------------------------------------------


def test_on_a_saturday_night_the_route_lists_the_out_of_hours_line_first_with_links(page):
    open_tool(page, datetime(2026, 12, 26, 22, 0))
    answer(page, "Is a child in immediate danger, or at imminent risk of harm, right now?", "Yes")
    contacts = page.locator("#route-contacts li")
    expect(contacts.first).to_contain_text("Open now, ring this line:")
    expect(contacts.first).to_contain_text("01483 517898")
    expect(contacts.last).to_contain_text("Closed now:")
    expect(contacts.last).to_contain_text("0300 470 9100")
    assert contacts.first.get_by_role("link", name="01483 517898").get_attribute("href") \
        == "tel:01483517898"
    assert page.locator("#route-contacts").get_by_role("link", name="999") \
        .get_attribute("href") == "tel:999"
    assert page.locator("#route-contacts").get_by_role("link", name="cspa@surreycc.gov.uk") \
        .get_attribute("href") == "mailto:cspa@surreycc.gov.uk"


def test_the_inter_agency_route_reaches_any_agencys_safeguarding_team(page):
    open_tool(page, datetime(2027, 1, 5, 9, 30))
    answer(page, re.compile("^Is a child in immediate danger"), "No")
    answer(page, "What is your concern about?", DISAGREEMENT)
    answer(page, "Is the child or young person being put at risk of harm as a result?", "No")
    expect(page.get_by_role("heading", name="Raise a complaint or disagreement between agencies")) \
        .to_be_visible()
    expect(page.locator("#route-contacts")).to_contain_text("unsure who to escalate")
    link = page.locator("#route").get_by_role("link", name="contacts directory")
    link.click()
    expect(page.get_by_role("heading", name=re.compile("Local Contacts Directory"))).to_be_visible()
    expect(page.get_by_text("sash.safeguardingchildren@nhs.net").first).to_be_visible()


def test_a_route_without_stages_offers_no_stage_email_or_form_and_says_what_applies(page):
    open_tool(page, datetime(2027, 1, 5, 9, 30))
    answer(page, re.compile("^Is a child in immediate danger"), "No")
    answer(page, "What is your concern about?",
           "A child who may be suffering harm, neglect or abuse, and I have not made a referral")
    settled(page)
    expect(page.locator("#plan-none")).to_contain_text("no stages with deadlines")
    expect(page.locator("#email-none")).to_contain_text(
        'no stage email applies: do what "Which route?" says')
    expect(page.locator("#form-none")).to_contain_text("the route you chose does not use it")
    expect(page.get_by_label("Stage 3", exact=True)).to_be_hidden()
    expect(page.get_by_label("Child or family")).to_be_hidden()
    expect(page.get_by_role("button", name="Print the form")).to_be_hidden()


# --- stage emails: the named Senior Manager ----------------------------------------------


def test_the_named_managers_own_address_fills_to_and_a_wrong_one_is_shown_beside_it(page):
    open_tool(page, datetime(2027, 1, 5, 9, 30))
    fill_case(page)
    address = page.get_by_label("The named manager's own email address (if you have it)")
    expect(page.locator("#email-to")).to_have_text("sash.safeguardingchildren@nhs.net")
    address.fill("b.jones@nhs")
    expect(page.locator("#error-email-to-address")).to_contain_text("is not a complete email address")
    expect(page.locator("#email-to")).to_have_text("sash.safeguardingchildren@nhs.net")
    address.fill("b.jones@nhs.net")
    expect(page.locator("#error-email-to-address")).to_be_hidden()
    expect(page.locator("#email-to")).to_have_text("b.jones@nhs.net")
    settled(page)
    assert page.get_by_role("link", name="Open in my email program").get_attribute("href") \
        .startswith("mailto:b.jones@nhs.net?cc=Partnership.escalation@surreycc.gov.uk")
    # Each stage's email keeps its own manager.
    page.get_by_label("Stage 4", exact=True).check()
    expect(address).to_have_value("")
    expect(page.locator("#email-to")).to_have_text("sash.safeguardingchildren@nhs.net")


# --- what was typed is safe ---------------------------------------------------------------


def typed_state(page) -> dict:
    return {"child": page.get_by_label("Child or family").input_value(),
            "start": page.get_by_label(START).input_value(),
            "stored": page.evaluate("() => sessionStorage.getItem('escalation-tool-state')")}


@pytest.mark.parametrize("name, content, said", [
    ("list.json", json.dumps({"kind": "escalation-case-file", "version": 2,
                              "partnership": PARTNERSHIP, "case": ["not", "a", "case"]}),
     "the case in it should be a set of named values, but it is a list"),
    ("types.json", json.dumps({"kind": "escalation-case-file", "version": 2,
                               "partnership": PARTNERSHIP,
                               "case": {"fields": {"child_family": 4471}}}),
     "“fields” “child_family” should be text, but it is a number"),
    ("future.json", json.dumps({"kind": "escalation-case-file", "version": 99,
                                "partnership": PARTNERSHIP, "case": {}}),
     "another version of the tool (version 99)"),
    ("huge.json", None, "too large to be a case file saved by this tool (50 MB)"),
])
def test_a_hostile_case_file_is_refused_and_what_was_typed_stays(page, tmp_path, name, content,
                                                                 said):
    open_tool(page, datetime(2027, 1, 5, 9, 30))
    fill_case(page)
    settled(page)
    before = typed_state(page)
    path = tmp_path / name
    if content is None:
        path.write_bytes(b'{"kind": "escalation-case-file", "pad": "' + b"x" * 50_000_000 + b'"}')
    else:
        path.write_text(content)
    page.get_by_label("Open a saved case file").set_input_files(path)
    expect(page.locator("#error-open-case")).to_contain_text(said)
    expect(page.locator("#error-open-case")).to_contain_text("Nothing you typed here has changed.")
    settled(page)
    assert typed_state(page) == before
    assert "confirm" not in page.dialogs  # refused before anything is asked or replaced


def test_a_case_file_with_proto_keys_changes_no_object_prototype(page, tmp_path):
    open_tool(page, datetime(2027, 1, 5, 9, 30))
    hostile = {"kind": "escalation-case-file", "version": 2, "partnership": PARTNERSHIP,
               "case": {"id": "__proto__.polluted",
                        "__proto__": {"polluted": "yes"},
                        "answers": {"__proto__": "Yes", "immediate-risk": "No"},
                        "email": {"stage": "__proto__.polluted", "agency": "__proto__"},
                        "fields": {"__proto__": "x", "constructor": "y", "child_family": "Ref 9"},
                        "emails": {"__proto__": {"polluted": "yes"},
                                   "__proto__.polluted": {"recipient_name": "x"}},
                        "plans": {"__proto__": {"start": "24/12/2026"},
                                  "fast": {"stages": {"__proto__": {"who": "x"}}}}}}
    path = tmp_path / "case.json"
    path.write_text(json.dumps(hostile))
    page.get_by_label("Open a saved case file").set_input_files(path)
    expect(page.locator("#tool-message")).to_contain_text("Case file case.json opened")
    expect(page.get_by_label("Child or family")).to_have_value("Ref 9")
    page.get_by_label("Name of the person you are writing to").fill("B. Jones")
    settled(page)
    clean = "() => { const o = {}; return [o.polluted, o.recipient_name, o.who, o.start, " \
            "Object.keys(Object.prototype).length]; }"
    assert page.evaluate(clean) == [None, None, None, None, 0]

    # The same through the tab's own copy: a stage id of "__proto__.polluted" in storage.
    page.evaluate("""() => sessionStorage.setItem('escalation-tool-state', JSON.stringify({
        id: 'abcdefgh1234', email: {stage: '__proto__.polluted', agency: ''},
        emails: {}, fields: {}, answers: {}, plans: {}}))""")
    page.reload()
    expect(page.locator("#tool")).to_have_attribute("data-tool-status", "ready", timeout=READY_MS)
    page.get_by_label("Name of the person you are writing to").fill("C. Lee")
    page.get_by_label("Name of the person you are writing to").press("Tab")
    settled(page)
    assert page.evaluate(clean) == [None, None, None, None, 0]


def test_when_the_browsers_storage_is_full_the_plan_still_recomputes_and_says_so(page):
    open_tool(page, datetime(2027, 1, 5, 9, 30))
    choose_fast(page)
    settled(page)
    # Fill this tab's storage to the browser's real quota, leaving less than a date's room.
    page.evaluate("""() => {
      let chunk = 'x'.repeat(1 << 20), n = 0;
      while (chunk.length >= 1) {
        try { sessionStorage.setItem('ballast-' + n, chunk); n += 1; }
        catch { chunk = chunk.slice(0, Math.floor(chunk.length / 2)); }
      }
    }""")
    expect(page.locator("#storage-full")).to_be_hidden()
    page.get_by_label(START).fill("24/12/2026")
    expect(page.get_by_role("alert").filter(has_text="can no longer keep a copy")).to_be_visible()
    expect(page.locator("#storage-full")).to_contain_text("Save a case file now")
    rows = stage_rows(page)
    assert [r[2] for r in rows][-1] == "Tuesday 12 January 2027"
    page.get_by_label(START).fill("04/01/2027")  # still recomputes with every change
    assert [r[2] for r in stage_rows(page)][-1] == "Monday 18 January 2027"
    name, _ = downloaded(page, "Save case file")
    assert name == "fast-case-2027-01-05.json"


def test_a_field_says_how_much_room_is_left_before_its_limit_and_a_case_file_keeps_it_all(
        page, tmp_path):
    open_tool(page, datetime(2027, 1, 5, 9, 30))
    choose_fast(page)
    page.get_by_label(START).fill("24/12/2026")
    outcome = page.locator("#record-1").get_by_label("Outcome, or why you are moving to the next stage")
    page.locator("#record-1 summary").click()
    limit = int(outcome.get_attribute("maxlength"))
    assert limit == 20_000
    outcome.fill("a" * 1000)
    expect(page.locator("#room-outcome-1")).to_be_hidden()
    long = ("Spoke to the duty manager, who agreed. " * 600)[:19_500] + " é\u2014end"
    outcome.fill(long)
    expect(page.locator("#room-outcome-1")).to_have_text(
        f"You have {20_000 - len(long):,} characters left (at most 20,000).")
    name, saved = downloaded(page, "Save case file")
    page.get_by_role("button", name="Clear everything").click()
    case = tmp_path / name
    case.write_bytes(saved)
    page.get_by_label("Open a saved case file").set_input_files(case)
    expect(outcome).to_have_value(long)


def test_a_filled_form_with_long_entries_never_splits_a_row_across_pages(page):
    import io

    from pypdf import PdfReader

    open_tool(page, datetime(2027, 1, 5, 9, 30))
    fill_case(page)
    worry = "RISK-BEGINS " + "The child is left alone overnight and misses school. " * 40 + "RISK-ENDS"
    action = "ACTION-BEGINS " + "A strategy discussion this week with health. " * 40 + "ACTION-ENDS"
    page.get_by_label("What the risk to the child is now").fill(worry)
    page.get_by_label("What action you believe needs to be taken").fill(action)
    page.get_by_label("Appendix 1 alone").check()
    settled(page)
    pages = [" ".join(p.extract_text().split())
             for p in PdfReader(io.BytesIO(page.pdf(format="A4"))).pages]
    assert len(pages) >= 2  # long enough to need a second page
    for begins, ends in (("RISK-BEGINS", "RISK-ENDS"), ("ACTION-BEGINS", "ACTION-ENDS")):
        on = [i for i, text in enumerate(pages) if begins in text]
        assert on and ends in pages[on[0]], (begins, on)
