"""Every pack (the repository root and each partnerships/<slug>/) checks, builds and works
from the same engine, with only its own data and prose (issue 6), and is held to the
expectations it keeps beside its mkdocs.yml in expected.yaml (issue 14): nothing here
names a pack."""

from __future__ import annotations

import subprocess
import sys
from datetime import datetime

import pytest
from playwright.sync_api import expect

from conftest import FIXTURE, ROOT
from escalation.chooser import paths, route
from packs import PACKS, facts_of_other_packs

READY_MS = 60_000


def test_every_pack_is_found_with_what_a_pack_holds():
    folders = {pack.folder for pack in PACKS}
    assert ROOT in folders and len(folders) >= 2, [pack.label for pack in PACKS]
    # The frozen default site has a mkdocs.yml, data/ and content/ too, but is no pack: its
    # tests assert its facts, and it has no expected.yaml.
    assert FIXTURE not in folders and (FIXTURE / "mkdocs.yml").is_file()
    for folder in (ROOT / "partnerships").iterdir():
        if folder.is_dir():  # a folder here is a pack, or it is half-made
            assert folder in folders, f"{folder.relative_to(ROOT)} has no mkdocs.yml"
    for pack in PACKS:
        for part in ("data", "content"):
            assert (pack.folder / part).is_dir(), f"{pack.label} has no {part}/"
        assert pack.expected.routes  # found and well formed, or the message says why


@pytest.fixture(scope="module", params=PACKS, ids=lambda pack: pack.label)
def pack(request, tmp_path_factory):
    """(the pack, its data, its site built with --strict)."""
    pack = request.param
    out = tmp_path_factory.mktemp("site-" + pack.label.replace("/", "-"))
    result = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "-f", str(pack.mkdocs),
         "-d", str(out)], capture_output=True, text=True, cwd=ROOT)
    assert result.returncode == 0, result.stderr
    return pack, pack.data, out


def test_every_pack_passes_the_data_check():
    for pack in PACKS:
        result = subprocess.run(
            [sys.executable, "-m", "escalation_build.cli", "check", str(pack.data_dir)],
            capture_output=True, text=True)
        assert result.returncode == 0, pack.label + "\n" + result.stdout + result.stderr


def test_no_other_packs_fact_appears_in_a_packs_site(pack):
    pack, _, site = pack
    facts = facts_of_other_packs(pack)
    assert facts  # every other pack has at least a name and an area
    # Everything a reader or the tool can see: pages, search index, the data bundle, the
    # shared browser files. (The engine's zip and Pyodide are code, not content.)
    texts = [p for p in site.rglob("*") if p.suffix in {".html", ".json", ".js", ".css", ".xml"}
             and "pyodide" not in p.parts]
    assert texts
    for path in texts:
        text = path.read_text("utf-8", errors="replace")
        lowered = text.lower()
        for fact, owner in facts.items():
            found = fact.lower() in lowered if "@" in fact else fact in text
            assert not found, f"{pack.label}: {owner}'s {fact!r} in {path.relative_to(site)}"


def test_a_pack_without_templates_or_a_form_says_so_and_shows_none(pack):
    pack, data, site = pack
    tool = (site / "tool" / "index.html").read_text("utf-8")
    if data.templates is None and data.form is None:
        assert "This site does not reproduce email templates or a form for its procedures" in tool
        assert 'id="step-emails"' not in tool and 'id="step-form"' not in tool
        assert "3. Your record" in tool  # the steps are numbered for what is there


@pytest.fixture(scope="module")
def tab(pack):
    from browser import chromium, serve

    pack, data, site = pack
    with serve(site) as base, chromium() as browser:
        context = browser.new_context()
        page = context.new_page()
        page.base, page.site = base, site
        # "Clear everything" asks once (issue 13): these journeys say yes.
        page.on("dialog", lambda dialog: dialog.accept())
        yield pack, data, page
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
    pack, data, page = tab
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
    assert reached == set(outcomes), f"{pack.label}: routes never reached: {set(outcomes) - reached}"


def trail_to(data, outcome_id):
    for trail in paths(data.chooser):
        questions = {q.id: q for q in data.chooser.questions}
        last = questions[trail[-1][0]]
        if next(a.next for a in last.answers if a.label == trail[-1][1]) == outcome_id:
            return trail
    raise AssertionError(f"no path reaches {outcome_id}")


def no_later_than(page) -> list[str]:
    """The plan's "No later than" column, row by row."""
    rows = page.locator("#plan-rows tr")
    return [rows.nth(i).locator("td").nth(1).inner_text().strip() for i in range(rows.count())]


def test_each_route_with_stages_plans_them_from_a_fixed_start(tab):
    pack, data, page = tab
    expected = pack.expected
    planned = {o.id for o in data.chooser.outcomes if route(data, o).procedure}
    assert set(expected.routes) == planned, (
        f"{pack.label}: {pack.expected_file.name} must give the dates of {sorted(planned)}")
    for outcome_id, dates in expected.routes.items():
        open_tool(page, expected.start)
        page.get_by_role("button", name="Clear everything").click()
        walk_to(page, data, trail_to(data, outcome_id))
        outcome = next(o for o in data.chooser.outcomes if o.id == outcome_id)
        procedure = data.procedure(route(data, outcome).procedure)
        settled(page)  # the start date is labelled for the route's procedure
        page.get_by_label(f"Date of {procedure.start_event}").fill(
            expected.start.strftime("%d/%m/%Y"))
        settled(page)
        rows = page.locator("#plan-rows tr")
        assert rows.count() == len(dates.no_later_than)
        assert no_later_than(page) == list(dates.no_later_than), outcome_id
        hours = dates.time_of_day
        if hours is None:
            # A route the pack expects no time of day for does not ask for one.
            expect(page.get_by_label(f"Time of {procedure.start_event} (for the timescale "
                                     "in hours)")).to_be_hidden()
            continue
        # Given the time of day, the hours run from it, not from midnight.
        time_field = page.get_by_label(hours.field, exact=True)
        time_field.fill(hours.typed)
        settled(page)
        assert no_later_than(page) == list(hours.no_later_than), (outcome_id, hours.typed)
        time_field.fill("25:00")
        expect(page.locator(f"#error-{time_field.get_attribute('id')}")).to_have_text(
            "Error: 25:00 is not a time of day: use 00:00 to 23:59.")
        expect(time_field).to_have_value("25:00")  # what was typed stays


def test_every_page_of_the_pack_passes_axe_core(tab):
    from test_accessibility import violations

    pack, data, page = tab
    site_pages = sorted(p.relative_to(page.site).as_posix()
                        for p in page.site.rglob("index.html"))
    assert len(site_pages) >= 5
    for path in site_pages:
        page.goto(f"{page.base}/{path.removesuffix('index.html')}")
        if path == "tool/index.html":
            expect(page.locator("#tool")).to_have_attribute("data-tool-status", "ready",
                                                             timeout=READY_MS)
        assert violations(page) == [], f"{pack.label}: {path}"


def test_each_procedure_keeps_its_own_dates_when_the_route_changes(tab):
    pack, data, page = tab
    by_procedure: dict[str, str] = {}
    plans_nothing = []
    for o in data.chooser.outcomes:
        procedure = route(data, o).procedure
        if procedure and procedure not in by_procedure:
            by_procedure[procedure] = o.id
        elif not procedure:
            plans_nothing.append(o)
    assert by_procedure, f"{pack.label}: no route plans a procedure"
    first_route = next(iter(by_procedure.values()))
    # The route to go to and back from: another procedure's if the pack has two, or else
    # one that plans nothing (the emergency route last: every pack has it).
    others = list(by_procedure.values())[1:2] or [
        o.id for o in sorted(plans_nothing, key=lambda o: bool(o.emergency))][:1]
    assert others, f"{pack.label}: every route plans the same procedure"
    second_route = others[0]
    start_day = pack.expected.start.strftime("%d/%m/%Y")
    open_tool(page, pack.expected.start)
    page.get_by_role("button", name="Clear everything").click()
    walk_to(page, data, trail_to(data, first_route))
    settled(page)
    start = page.locator("#start")
    start.fill(start_day)
    settled(page)
    page.get_by_role("button", name="Start again").click()
    walk_to(page, data, trail_to(data, second_route))
    settled(page)
    if len(by_procedure) >= 2:
        expect(start).to_have_value("")  # the other procedure's date is not carried over
    expect(page.locator("#plan-table")).to_be_hidden()
    page.get_by_role("button", name="Start again").click()
    walk_to(page, data, trail_to(data, first_route))
    settled(page)
    expect(start).to_have_value(start_day)  # and it is still there, under its own
    expect(page.locator("#plan-table")).to_be_visible()


def test_a_packs_home_page_and_chapters_link_to_the_tool_in_their_text(pack):
    from test_site import pages_without_a_link_to_the_tool

    pack, _, site = pack
    assert pages_without_a_link_to_the_tool(site) == [], pack.label
