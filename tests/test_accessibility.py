"""Every page passes axe-core's WCAG 2.2 AA rules in real Chromium, and works by keyboard."""

from __future__ import annotations

import functools

import pytest
from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import expect
from test_site import PAGES

from browser import chromium, serve
from conftest import ROOT

AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
WCAG_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]


@pytest.fixture(scope="module")
def site_page(built_site):
    with serve(built_site) as base, chromium() as browser:
        page = browser.new_page()
        yield base, page


@functools.cache
def _axe_source() -> str:
    return AXE.read_text(encoding="utf-8")


def violations(page) -> list[str]:
    # The site's Content-Security-Policy refuses the inline <script> that add_script_tag
    # would insert. page.evaluate runs axe's source through the DevTools protocol instead,
    # which the page's policy does not govern; the page's own scripts stay under it.
    assert page.evaluate(_axe_source() + "\n;typeof axe") == "object"
    # Judge the page at rest: a button caught half-way through fading in (Material's "Back
    # to top") has a contrast it never keeps. Transitions are animations here too.
    page.evaluate("""() => Promise.all(document.getAnimations()
        .filter((a) => a.effect && a.effect.getComputedTiming().endTime !== Infinity)
        .map((a) => a.finished))""")
    result = page.evaluate("tags => axe.run(document, {runOnly: {type: 'tag', values: tags}})",
                           WCAG_AA)
    return [f"{v['id']} ({v['impact']}): {v['help']} at "
            + ", ".join(n["target"][0] for n in v["nodes"][:3])
            for v in result["violations"]]


@pytest.mark.parametrize("path", PAGES)
def test_the_page_passes_axe_core_wcag_2_2_aa(site_page, path):
    base, page = site_page
    page.goto(f"{base}/{path.removesuffix('index.html')}")
    assert violations(page) == []


def test_the_axe_check_can_fail(site_page):
    base, page = site_page
    page.goto(f"{base}/")
    page.evaluate("""() => { const img = document.createElement('img');
                     img.src = 'data:image/png;base64,iVBORw0KGgo=';
                     document.querySelector('article').appendChild(img); }""")
    assert any(v.startswith("image-alt") for v in violations(page))


def test_axe_runs_under_the_sites_content_security_policy(site_page):
    # The policy is in force (an inline script tag is refused), and axe still runs.
    base, page = site_page
    page.goto(f"{base}/")
    with pytest.raises(PlaywrightError, match="Content Security Policy"):
        page.add_script_tag(path=str(AXE))
    assert violations(page) == []


def test_the_home_page_routes_are_reached_by_keyboard_alone(site_page):
    base, page = site_page
    page.goto(f"{base}/")
    reached = []
    for _ in range(60):
        page.keyboard.press("Tab")
        text = page.evaluate("() => document.activeElement.textContent.trim()")
        reached.append(text)
        if text.startswith("Option 4"):
            break
    assert "Option 1: Make a referral to C-SPA" in reached
    page.keyboard.press("Enter")
    page.wait_for_url("**/raising-concerns/#option-4")
    focused_outline = page.evaluate("() => location.hash")
    assert focused_outline == "#option-4"


def test_the_search_dialog_with_results_passes_axe_core(site_page):
    base, page = site_page
    page.goto(f"{base}/")
    page.keyboard.press("s")  # Material's shortcut: focus the search box
    page.keyboard.type("stage")
    expect(page.locator(".md-search-result__item").first).to_be_visible()
    assert violations(page) == []
    page.keyboard.press("ArrowDown")
    assert violations(page) == []


def test_every_link_in_the_navigation_is_legible_when_focused(site_page):
    base, page = site_page
    page.goto(f"{base}/")
    seen = set()
    for _ in range(25):
        page.keyboard.press("Tab")
        if page.evaluate("() => document.activeElement.closest('.md-nav') !== null"):
            page.wait_for_timeout(300)  # Material fades a focused link's colour in (125 ms)
            seen.add(page.evaluate("() => document.activeElement.textContent.trim()"))
            assert violations(page) == [], seen
    assert "Decision tool" in seen
