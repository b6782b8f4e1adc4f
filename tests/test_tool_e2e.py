"""The decision tool in Debian's Chromium, under the real self-hosted Pyodide, driven
the way a practitioner uses it: by labels and roles."""

from __future__ import annotations

import re
from datetime import datetime

import pytest
from playwright.sync_api import expect

from browser import chromium, serve

READY_MS = 90_000  # Pyodide boots in a few seconds here; generous for a loaded CI machine
DISAGREEMENT = "A decision or practice of another agency about a child or young person I work with"


@pytest.fixture(scope="module")
def served(built_site):
    with serve(built_site) as base, chromium() as browser:
        yield base, browser


@pytest.fixture
def page(served):
    base, browser = served
    context = browser.new_context()
    page = context.new_page()
    requests: list[str] = []
    page.on("request", lambda r: requests.append(r.url + " " + (r.post_data or "")))
    page.requests = requests
    page.base = base
    yield page
    context.close()


def open_tool(page, now: datetime):
    page.clock.set_fixed_time(now)
    page.goto(f"{page.base}/tool/")
    expect(page.locator("#tool")).to_have_attribute("data-tool-status", "ready", timeout=READY_MS)


def answer(page, question: str, label: str):
    group = page.get_by_role("group", name=question)
    group.get_by_label(label, exact=True).check()
    group.get_by_role("button", name="Continue").click()


def choose_fast(page):
    answer(page, "Is a child in immediate danger or at risk of significant harm right now?", "No")
    answer(page, "What is your concern about?", DISAGREEMENT)
    answer(page, "Is the child or young person being put at risk of harm as a result?", "Yes")
    answer(page, re.compile("^Have you already raised your concern through normal channels"), "Yes")


def stage_rows(page) -> list[list[str]]:
    rows = page.locator("#plan-rows tr")
    return [[c.strip() for c in rows.nth(i).locator("th, td").all_inner_texts()]
            for i in range(rows.count())]


def test_the_page_says_it_is_loading_and_the_questions_are_plain_html(served):
    base, browser = served
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(f"{base}/tool/")
    assert page.locator("#tool").get_attribute("data-tool-status") == "loading"
    expect(page.get_by_role("status")).to_contain_text("Getting the calculator ready")
    expect(page.get_by_role("group", name="What is your concern about?")).to_be_visible()
    context.close()


def test_the_fast_journey_with_deadlines_for_a_christmas_eve_start(page):
    open_tool(page, datetime(2026, 12, 24, 10, 0))
    expect(page.get_by_role("group", name="What is your concern about?")).to_be_hidden()
    choose_fast(page)
    expect(page.get_by_role("heading", name="Start the FaST resolution process")).to_be_visible()
    page.get_by_label("Date of the disagreement or concern arising").fill("2026-12-24")
    expect(page.locator("#plan-table")).to_be_visible()
    rows = stage_rows(page)
    assert [r[2] for r in rows] == [
        "Wednesday 30 December 2026", "Monday 4 January 2027", "Wednesday 6 January 2027",
        "Friday 8 January 2027", "Tuesday 12 January 2027"]
    assert [r[3] for r in rows] == ["Upcoming"] * 5
    expect(page.locator("#latest-end")).to_have_text(
        "The whole process ends no later than Tuesday 12 January 2027.")


def test_completing_stages_moves_the_deadlines_and_a_weeks_gap_warns_of_drift(page):
    open_tool(page, datetime(2027, 2, 12, 11, 0))
    choose_fast(page)
    page.get_by_label("Date of the disagreement or concern arising").fill("2027-02-01")
    page.get_by_label(re.compile("^Stage 1 .* completed on")).fill("2027-02-02")
    page.get_by_label(re.compile("^Stage 2 .* completed on")).fill("2027-02-09")
    expect(page.get_by_role("alert")).to_contain_text("starts again at stage 2")
    assert stage_rows(page)[0][3].startswith("Done")


def test_a_wrong_date_is_shown_beside_its_field_and_what_was_typed_stays(page):
    open_tool(page, datetime(2027, 2, 12, 11, 0))
    page.get_by_label("Date of the disagreement or concern arising").fill("2027-02-05")
    page.get_by_label(re.compile("^Stage 1 .* completed on")).fill("2027-02-03")
    error = page.locator("#error-completed-1")
    expect(error).to_have_text(
        "Error: Stage 1 cannot be completed before the process started (Friday 5 February 2027).")
    assert page.get_by_label(re.compile("^Stage 1 .* completed on")).input_value() == "2027-02-03"


def test_a_child_at_immediate_risk_is_sent_to_the_emergency_route_first(page):
    open_tool(page, datetime(2026, 12, 24, 10, 0))
    answer(page, "Is a child in immediate danger or at risk of significant harm right now?", "Yes")
    expect(page.get_by_role("heading", name="Protect the child now")).to_be_visible()
    expect(page.locator("#route-do-now")).to_contain_text("ring the police on 999")


@pytest.mark.parametrize("now, number", [
    (datetime(2026, 12, 23, 10, 0), "0300 470 9100"),   # Wednesday morning: C-SPA
    (datetime(2026, 12, 23, 17, 30), "01483 517898"),   # Wednesday evening: out of hours
    (datetime(2026, 12, 26, 11, 0), "01483 517898"),    # Saturday
    (datetime(2026, 12, 28, 11, 0), "01483 517898"),    # Boxing Day (substitute), a Monday
])
def test_the_emergency_line_shows_the_number_for_the_uk_time_now(page, now, number):
    open_tool(page, now)
    expect(page.locator("#emergency-now")).to_contain_text(f"on {number}.")


def test_changing_an_earlier_answer_keeps_the_rest(page):
    open_tool(page, datetime(2026, 12, 24, 10, 0))
    choose_fast(page)
    page.get_by_role("button", name=re.compile("Change your answer to: Is the child")).click()
    answer(page, "Is the child or young person being put at risk of harm as a result?", "Yes")
    expect(page.get_by_role("heading", name="Start the FaST resolution process")).to_be_visible()


def test_reload_half_way_loses_nothing_and_start_again_forgets(page):
    open_tool(page, datetime(2026, 12, 24, 10, 0))
    choose_fast(page)
    page.get_by_label("Date of the disagreement or concern arising").fill("2026-12-24")
    page.reload()
    expect(page.locator("#tool")).to_have_attribute("data-tool-status", "ready", timeout=READY_MS)
    expect(page.get_by_role("heading", name="Start the FaST resolution process")).to_be_visible()
    assert page.get_by_label("Date of the disagreement or concern arising").input_value() == "2026-12-24"
    page.get_by_role("button", name="Start again").click()
    expect(page.get_by_role("group", name=re.compile("^Is a child in immediate danger"))).to_be_visible()
    assert page.get_by_label("Date of the disagreement or concern arising").input_value() == ""
    assert page.evaluate("() => sessionStorage.getItem('escalation-tool-state')") \
        == '{"answers":{},"start":"","completed":{}}'


def test_every_request_stays_on_the_site_and_carries_nothing_typed(page):
    open_tool(page, datetime(2026, 12, 24, 10, 0))
    choose_fast(page)
    page.get_by_label("Date of the disagreement or concern arising").fill("2026-12-24")
    expect(page.locator("#plan-table")).to_be_visible()
    assert page.requests, "no request was logged"
    foreign = [r for r in page.requests if not r.startswith(page.base + "/")]
    assert foreign == []
    assert [r for r in page.requests if "2026-12-24" in r or "immediate" in r] == []


def test_when_python_cannot_load_the_page_says_so_and_the_guidance_stays(page):
    page.route("**/pyodide.asm.wasm", lambda route: route.abort())
    page.goto(f"{page.base}/tool/")
    expect(page.locator("#tool")).to_have_attribute("data-tool-status", "failed", timeout=READY_MS)
    expect(page.get_by_role("status")).to_contain_text("could not be loaded")
    expect(page.get_by_role("link", name="FaST Resolution Process").first).to_be_visible()


def test_the_tool_passes_axe_core_with_a_route_and_a_plan_shown(page):
    from test_accessibility import violations

    open_tool(page, datetime(2026, 12, 24, 10, 0))
    choose_fast(page)
    page.get_by_label("Date of the disagreement or concern arising").fill("2026-12-24")
    page.get_by_label(re.compile("^Stage 2 .* completed on")).fill("2026-12-23")  # an error shown
    expect(page.locator("#error-completed-2")).to_be_visible()
    assert violations(page) == []


def test_no_error_is_shown_before_anything_is_typed(page):
    open_tool(page, datetime(2026, 12, 24, 10, 0))
    expect(page.locator(".tool-error:visible")).to_have_count(0)
    expect(page.locator("#plan-table")).to_be_hidden()
