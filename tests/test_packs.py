"""Every partnership pack (partnerships/<slug>/) checks, builds and works from the same
engine as Surrey's site, with only its own data and prose (issue 6)."""

from __future__ import annotations

import subprocess
import sys
from datetime import datetime

import pytest
from playwright.sync_api import expect

from conftest import ROOT
from escalation.chooser import paths, route
from escalation_build.sources import load_data_dir

PACKS = sorted(p.parent.name for p in (ROOT / "partnerships").glob("*/mkdocs.yml"))
READY_MS = 60_000

# Each pack's timelines for a start on Thursday 24 December 2026, counted by hand from
# its seed (England's bank holidays: Friday 25 and Monday 28 December 2026, Friday 1
# January 2027): route id -> the "No later than" column, stage by stage.
NONE = "No fixed timescale: act without delay"
SUFFOLK_DISPUTE = [
    NONE,
    "Tuesday 29 December 2026 (or a timescale that protects the child, whichever is less)",
    "Wednesday 30 December 2026 (or a timescale that protects the child, whichever is less)",
    NONE, NONE, NONE]
REFERRAL = [
    "Saturday 26 December 2026 at 00:00",  # 48 hours, counted from the start of the day
    "Tuesday 29 December 2026",
    "Thursday 31 December 2026 (if it has not arrived by then, chase it straight away)",
    "Tuesday 12 January 2027 (only if Children's Social Care decide to carry out an "
    "initial assessment)"]
LANCS = "(and all three stages within 15 working days at most)"
ESCALATION = [f"Tuesday 5 January 2027 {LANCS}", f"Tuesday 12 January 2027 {LANCS}",
              f"Tuesday 19 January 2027 {LANCS}"]
EXPECTED = {
    "pan-lancashire": {
        "referral": REFERRAL, "awaiting-acknowledgement": REFERRAL,
        "follow-through": REFERRAL, "escalation": ESCALATION,
        "life-threatening": ESCALATION, "very-quickly": ESCALATION},
    "suffolk": {
        "referral-dispute": SUFFOLK_DISPUTE, "plan-disagreement": SUFFOLK_DISPUTE,
        "conference-complaint": ["Thursday 21 January 2027", NONE],  # 28 calendar days
        "placed-child-details": ["Thursday 31 December 2026", NONE, NONE],  # 7 days
        "private-home-incident": ["Saturday 26 December 2026 at 00:00", NONE]},  # 48 hours
}


def test_there_are_packs_to_test():
    assert {"pan-lancashire", "suffolk"} <= set(PACKS)


@pytest.fixture(scope="module", params=PACKS)
def pack(request, tmp_path_factory):
    """(slug, its data, its site built with --strict)."""
    slug = request.param
    folder = ROOT / "partnerships" / slug
    out = tmp_path_factory.mktemp(f"site-{slug}")
    result = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "-f", str(folder / "mkdocs.yml"),
         "-d", str(out)], capture_output=True, text=True, cwd=ROOT)
    assert result.returncode == 0, result.stderr
    data, _ = load_data_dir(folder / "data")
    return slug, data, out


def test_every_pack_passes_the_data_check():
    for slug in PACKS:
        result = subprocess.run(
            [sys.executable, "-m", "escalation_build.cli", "check",
             str(ROOT / "partnerships" / slug / "data")], capture_output=True, text=True)
        assert result.returncode == 0, result.stdout + result.stderr


def surrey_facts() -> set[str]:
    """What only Surrey's site may say: its names, addresses and numbers."""
    data, _ = load_data_dir(ROOT / "data")
    facts = {"Surrey", "C-SPA", "SSCP", "FaST", data.partnership.name}
    for c in data.contacts.contacts:
        if c.email:
            facts.add(c.email.lower())
        if c.phone and len(c.phone.replace(" ", "")) > 3:  # 999 is everyone's
            facts.add(c.phone)
    return facts


def test_no_surrey_fact_appears_in_another_packs_site(pack):
    slug, _, site = pack
    facts = surrey_facts()
    # Everything a reader or the tool can see: pages, search index, the data bundle, the
    # shared browser files. (The engine's zip and Pyodide are code, not content.)
    texts = [p for p in site.rglob("*") if p.suffix in {".html", ".json", ".js", ".css", ".xml"}
             and "pyodide" not in p.parts]
    assert texts
    for path in texts:
        text = path.read_text("utf-8", errors="replace")
        lowered = text.lower()
        for fact in facts:
            found = fact.lower() in lowered if "@" in fact else fact in text
            assert not found, f"{slug}: {fact!r} in {path.relative_to(site)}"


def test_a_pack_without_templates_or_a_form_says_so_and_shows_none(pack):
    slug, data, site = pack
    tool = (site / "tool" / "index.html").read_text("utf-8")
    if data.templates is None and data.form is None:
        assert "This site does not reproduce email templates or a form for its procedures" in tool
        assert 'id="step-emails"' not in tool and 'id="step-form"' not in tool
        assert "3. Your record" in tool  # the steps are numbered for what is there


@pytest.fixture(scope="module")
def tab(pack):
    from browser import chromium, serve

    slug, data, site = pack
    with serve(site) as base, chromium() as browser:
        context = browser.new_context()
        page = context.new_page()
        page.base, page.site = base, site
        # "Clear everything" asks once (issue 13): these journeys say yes.
        page.on("dialog", lambda dialog: dialog.accept())
        yield slug, data, page
        context.close()


def open_tool(page, now: datetime):
    page.clock.set_fixed_time(now)
    page.goto(f"{page.base}/tool/")
    expect(page.locator("#tool")).to_have_attribute("data-tool-status", "ready",
                                                     timeout=READY_MS)


def settled(page):
    expect(page.locator("#tool")).not_to_have_attribute("data-tool-busy", "true")


def walk_to(page, data, trail):
    questions = {q.id: q for q in data.chooser.questions}
    for question_id, label in trail:
        group = page.get_by_role("group", name=" ".join(questions[question_id].text.split()))
        group.get_by_label(label, exact=True).check()
        group.get_by_role("button", name="Continue").click()


def test_the_chooser_reaches_every_route_of_the_pack(tab):
    slug, data, page = tab
    outcomes = {o.id: o for o in data.chooser.outcomes}
    reached = set()
    open_tool(page, datetime(2027, 1, 5, 10, 0))
    for trail in paths(data.chooser):
        page.get_by_role("button", name="Start again").click()
        walk_to(page, data, trail)
        last_question = {q.id: q for q in data.chooser.questions}[trail[-1][0]]
        target = next(a.next for a in last_question.answers if a.label == trail[-1][1])
        expect(page.locator("#route-title")).to_have_text(outcomes[target].title)
        reached.add(target)
    assert reached == set(outcomes), f"{slug}: routes never reached: {set(outcomes) - reached}"


def trail_to(data, outcome_id):
    for trail in paths(data.chooser):
        questions = {q.id: q for q in data.chooser.questions}
        last = questions[trail[-1][0]]
        if next(a.next for a in last.answers if a.label == trail[-1][1]) == outcome_id:
            return trail
    raise AssertionError(f"no path reaches {outcome_id}")


def test_each_route_with_stages_plans_them_from_a_fixed_start(tab):
    slug, data, page = tab
    expected = EXPECTED[slug]
    planned = {o.id for o in data.chooser.outcomes if route(data, o).procedure}
    assert set(expected) == planned, f"{slug}: expected dates for {planned}"
    for outcome_id, dates in expected.items():
        open_tool(page, datetime(2026, 12, 24, 9, 0))
        page.get_by_role("button", name="Clear everything").click()
        walk_to(page, data, trail_to(data, outcome_id))
        outcome = next(o for o in data.chooser.outcomes if o.id == outcome_id)
        procedure = data.procedure(route(data, outcome).procedure)
        settled(page)  # the start date is labelled for the route's procedure
        page.get_by_label(f"Date of {procedure.start_event}").fill("24/12/2026")
        settled(page)
        rows = page.locator("#plan-rows tr")
        assert rows.count() == len(dates)
        due = [rows.nth(i).locator("td").nth(1).inner_text().strip() for i in range(len(dates))]
        assert due == dates, outcome_id
        hours = [i for i, s in enumerate(procedure.stages)
                 if s.timescale and s.timescale.unit == "hours"]
        time_field = page.get_by_label(f"Time of {procedure.start_event} (for the timescale "
                                       "in hours)")
        if not hours:
            expect(time_field).to_be_hidden()
            continue
        # Given the time of day, the hours run from it, not from midnight.
        time_field.fill("2.30pm")
        settled(page)
        assert rows.nth(hours[0]).locator("td").nth(1).inner_text().strip().startswith(
            dates[hours[0]].replace("at 00:00", "at 14:30").split(" (")[0]), outcome_id
        time_field.fill("25:00")
        expect(page.locator("#error-start-time")).to_have_text(
            "Error: 25:00 is not a time of day: use 00:00 to 23:59.")
        expect(time_field).to_have_value("25:00")  # what was typed stays


def test_every_page_of_the_pack_passes_axe_core(tab):
    from test_accessibility import violations

    slug, data, page = tab
    site_pages = sorted(p.relative_to(page.site).as_posix()
                        for p in page.site.rglob("index.html"))
    assert len(site_pages) >= 5
    for path in site_pages:
        page.goto(f"{page.base}/{path.removesuffix('index.html')}")
        if path == "tool/index.html":
            expect(page.locator("#tool")).to_have_attribute("data-tool-status", "ready",
                                                             timeout=READY_MS)
        assert violations(page) == [], f"{slug}/{path}"


def test_each_procedure_keeps_its_own_dates_when_the_route_changes(tab):
    slug, data, page = tab
    by_procedure = {}
    for o in data.chooser.outcomes:
        procedure = route(data, o).procedure
        if procedure and procedure not in by_procedure:
            by_procedure[procedure] = o.id
    assert len(by_procedure) >= 2, f"{slug} has one procedure: nothing to keep apart"
    (first, first_route), (second, second_route) = list(by_procedure.items())[:2]
    open_tool(page, datetime(2026, 12, 24, 9, 0))
    page.get_by_role("button", name="Clear everything").click()
    walk_to(page, data, trail_to(data, first_route))
    settled(page)
    start = page.locator("#start")
    start.fill("24/12/2026")
    settled(page)
    page.get_by_role("button", name="Start again").click()
    walk_to(page, data, trail_to(data, second_route))
    settled(page)
    expect(start).to_have_value("")  # the other procedure's date is not carried over
    expect(page.locator("#plan-table")).to_be_hidden()
    page.get_by_role("button", name="Start again").click()
    walk_to(page, data, trail_to(data, first_route))
    settled(page)
    expect(start).to_have_value("24/12/2026")  # and it is still there, under its own
    expect(page.locator("#plan-table")).to_be_visible()


def test_a_packs_home_page_and_chapters_link_to_the_tool_in_their_text(pack):
    from test_site import pages_without_a_link_to_the_tool

    slug, _, site = pack
    assert pages_without_a_link_to_the_tool(site) == [], slug
