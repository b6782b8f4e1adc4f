"""The tool in Chromium through a stage of steps (issue 14): a conditional step, and a
step counted in hours from the time a recorded meeting was held.

The site is the repository's own, with its main procedure's stage 2 given the steps of Sefton
LSCB's stage 2 (manual section 17.2, May 2017): "agree within 2 working days, or meet
within a further 5 working days; outcome letter within 48 hours of the meeting".
"""

from __future__ import annotations

from datetime import datetime

import pytest
import yaml
from bs4 import BeautifulSoup
from playwright.sync_api import expect
from test_accessibility import violations
from test_packs import open_tool, settled, trail_to, walk_to

from conftest import built, copy_project
from escalation.chooser import route
from escalation_build.sources import load_data_dir

STAGE_2_STEPS = [
    {"id": "agree", "name": "Agree a way forward",
     "timescale": {"within": 2, "unit": "working days", "counted_from": "stage start"}},
    {"id": "agreed-letter", "name": "Letter confirming what was agreed", "when": "if agreed",
     "timescale": {"within": 2, "unit": "working days", "counted_from": "agree"}},
    {"id": "meeting", "name": "Meeting", "when": "if not agreed",
     "timescale": {"within": 5, "unit": "working days", "counted_from": "agree"}},
    {"id": "outcome-letter", "name": "Outcome letter", "when": "if not agreed",
     "timescale": {"within": 48, "unit": "hours", "counted_from": "meeting"}},
]


# With what a Markdown link would read as markup: brackets, an entity, a backtick, a
# backslash, emphasis.
WEB = "https://www.example.gov.uk/directory/search?q=liaison(children)&amp;x=`a`\\b_*c*"


@pytest.fixture(scope="module")
def stepped(tmp_path_factory):
    project = copy_project(tmp_path_factory.mktemp("stepped"))
    stages_file = project / "data" / "stages.yaml"
    stages = yaml.safe_load(stages_file.read_text("utf-8"))
    data, _ = load_data_dir(project / "data")
    main = data.partnership.main_procedure
    procedure = next(p for p in stages["procedures"] if p["id"] == main)
    # The stage keeps its own timescale (the site's prose counts it), and its steps have
    # theirs inside it.
    stage = procedure["stages"][1]
    stage["steps"] = STAGE_2_STEPS
    # Sefton 17.2 also tells the partnership on a Notification form at stage 2, and
    # Wirral tells it again when the escalation is resolved.
    partner = data.contacts.contacts[0]
    stage["duties"] = ["Tell the other organisation that you intend to escalate"]
    stage["forms"] = ["notification"]
    procedure["forms"] = [{"id": "notification", "title": "Notification form",
                           "get_it": "the partnership's website", "send_to": partner.id}]
    # Cheshire East: a response time by priority (the numbers are the shape's).
    procedure["priorities"] = [{"id": "urgent", "name": "Urgent"},
                               {"id": "standard", "name": "Standard",
                                "hint": "Nothing needs a manager's attention today."}]
    procedure["stages"][2]["timescale"]["by_priority"] = [
        {"priority": "urgent", "within": 24, "unit": "hours"}]
    procedure["notifications"] = [
        {"at": "stage 2", "to": partner.id, "what": "that the procedure is in use",
         "form": "notification"},
        {"at": "resolution", "to": partner.id, "what": "how it was resolved"}]
    stages_file.write_text(yaml.safe_dump(stages, sort_keys=False), encoding="utf-8")
    # Lincolnshire's liaison officers are found through a directory search on the web: the
    # route's first contact is given a web address.
    outcome = next(o for o in data.chooser.outcomes if route(data, o).procedure == main)
    contacts_file = project / "data" / "contacts.yaml"
    contacts = yaml.safe_load(contacts_file.read_text("utf-8"))
    searched = next(c for c in contacts["contacts"] if c["id"] == route(data, outcome).contacts[0])
    searched["web"] = WEB
    contacts_file.write_text(yaml.safe_dump(contacts, sort_keys=False), encoding="utf-8")
    out = built(project, tmp_path_factory.mktemp("stepped-site"))
    data, _ = load_data_dir(project / "data")  # as built: the chooser is as it was
    return data, data.procedure(main), outcome, out


@pytest.fixture(scope="module")
def page(stepped):
    from browser import chromium, serve

    data, procedure, outcome, site = stepped
    with serve(site) as base, chromium() as browser:
        context = browser.new_context()
        tab = context.new_page()
        tab.base, tab.site = base, site
        tab.on("dialog", lambda dialog: dialog.accept())
        yield tab
        context.close()


def rows(page) -> list[tuple[str, str]]:
    found = page.locator("#plan-rows tr")
    # A row's heading is its name, then the list of what else to do at that stage.
    return [(found.nth(i).locator("th").inner_text().strip().split("\n")[0],
             found.nth(i).locator("td").nth(1).inner_text().strip())
            for i in range(found.count())]


def on_the_route(page, data, outcome) -> None:
    """The tool, cleared, on 15 January 2027, with the route's questions answered."""
    open_tool(page, datetime(2027, 1, 15, 10, 0))
    page.get_by_role("button", name="Clear everything").click()
    walk_to(page, data, trail_to(data, outcome.id))
    settled(page)


def test_a_branch_and_a_letter_counted_from_the_meetings_recorded_time(stepped, page):
    data, procedure, outcome, _ = stepped
    on_the_route(page, data, outcome)
    page.get_by_label(f"Date of {procedure.start_event}").fill("24/12/2026")
    settled(page)
    stage_2 = f"Stage 2: {procedure.stages[1].name}"
    shown = rows(page)
    titles = [title for title, _ in shown]
    assert stage_2 in titles, shown
    at = titles.index(stage_2)
    # The steps follow their stage, each with its branch's words; counted from stage 1's
    # due date (the stage before is assumed to end on its deadline).
    assert [t.lstrip("↳ ").strip() for t in titles[at + 1:at + 5]] == [
        "Agree a way forward", "If agreed: Letter confirming what was agreed",
        "If not agreed: Meeting", "If not agreed: Outcome letter"]
    first_due = shown[at - 1][1]
    assert first_due.startswith("Wednesday 30 December 2026"), first_due
    assert shown[at + 1][1] == "Monday 4 January 2027"
    assert shown[at + 3][1] == "Monday 11 January 2027"
    assert shown[at + 4][1] == "Wednesday 13 January 2027 at 00:00"

    # Stage 3's timescale depends on how urgent the issue is: the shortest until asked.
    # (From stage 2's own date, Monday 4 January: urgent, 24 hours; otherwise 2 working
    # days.)
    assert shown[at + 5][1] == ('Tuesday 5 January 2027 at 00:00 (the shortest of its '
                                'timescales: answer "How urgent is the issue?" above)')
    urgency = page.get_by_role("group", name="How urgent is the issue?")
    urgency.get_by_label("Standard").check()
    settled(page)
    assert rows(page)[at + 5][1] == "Wednesday 6 January 2027"
    expect(urgency.get_by_label("Standard")).to_be_checked()

    # What else to do at stage 2, under its name, and at the resolution, under the plan.
    partner = data.contacts.contacts[0].name
    tasks = page.locator("#plan-rows tr").nth(at).locator("li")
    expect(tasks).to_have_text([
        "Tell the other organisation that you intend to escalate.",
        f"Complete the Notification form, from the partnership's website, and send it to "
        f"{partner}.",
        f"Tell {partner} that the procedure is in use, on the Notification form."])
    expect(page.locator("#plan-duties li")).to_have_text(
        [f"When it is resolved: tell {partner} how it was resolved."])

    # The meeting was held on 14 January at 3.30pm: the letter is due 48 hours on.
    page.locator("#record-2 summary").click()
    key = f"{procedure.id}--meeting"
    page.locator(f"#done-{key}").fill("14/01/2027")
    settled(page)
    expect(page.locator(f"#done-time-{key}")).to_be_visible()
    page.locator(f"#done-time-{key}").fill("3.30pm")
    settled(page)
    shown = rows(page)
    assert shown[at + 4][1] == "Saturday 16 January 2027 at 15:30"
    # The meeting is done (late: it was due on 11 January); the agreed letter, on the branch
    # not taken, says it applies only if agreed.
    statuses = page.locator("#plan-rows tr")
    assert "late, done Thursday 14 January 2027" in statuses.nth(at + 3).text_content()
    assert "Overdue (if agreed)" in statuses.nth(at + 2).text_content()

    # A time that is not a time is shown beside its field and changes nothing.
    page.locator(f"#done-time-{key}").fill("25:99")
    settled(page)
    expect(page.locator(f"#error-done-time-{key}")).to_contain_text("is not a time of day")
    assert rows(page)[at + 4][1] == "Saturday 16 January 2027 at 00:00"
    expect(page.locator(f"#done-time-{key}")).to_have_value("25:99")

    # The plan with its steps, the priority question and the steps' fields pass axe-core.
    assert violations(page) == []


def test_a_contacts_web_address_is_a_link_in_the_tool_and_the_directory(stepped, page):
    data, _, outcome, site = stepped
    on_the_route(page, data, outcome)
    link = page.locator("#route-contacts").get_by_role("link", name=WEB)
    expect(link).to_have_attribute("href", WEB)
    directory = BeautifulSoup((site / "contacts" / "index.html").read_text(encoding="utf-8"),
                              "html.parser")
    [shown] = [a for a in directory.find_all("a") if a.get_text() == WEB]
    assert shown["href"] == WEB
