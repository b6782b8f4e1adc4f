"""Pages on paper: printed by Chromium to PDF and read back with pypdf."""

from __future__ import annotations

import io
from datetime import datetime

import pytest
from pypdf import PdfReader


@pytest.fixture
def page(served):
    """A new browser tab (its own context) on the built site; page.base is its address."""
    base, browser = served
    context = browser.new_context()
    page = context.new_page()
    page.base = base
    yield page
    context.close()


def printed_text(page) -> str:
    """The page printed by Chromium to A4 PDF, as text with its line breaks undone."""
    pdf = PdfReader(io.BytesIO(page.pdf(format="A4")))
    return " ".join(" ".join(p.extract_text() for p in pdf.pages).split())


def test_a_printed_page_says_when_it_was_printed_and_has_no_navigation(page):
    page.clock.set_fixed_time(datetime(2027, 3, 1, 14, 5))
    page.goto(f"{page.base}/fast-resolution-process/")
    text = printed_text(page)
    assert (f"This page is correct as printed on Monday 1 March 2027 at 14:05. Check "
            f"{page.base}/fast-resolution-process/ for updates.") in text
    assert "The FaST Resolution Process" in text
    for furniture in ("Search", "Skip to content", "Back to top", "For admins"):
        assert furniture not in text, furniture


def test_the_print_footer_is_for_paper_only(page):
    page.goto(f"{page.base}/")
    assert not page.locator(".print-footer").is_visible()


def test_a_printed_link_to_another_site_shows_its_address(page):
    page.goto(f"{page.base}/raising-concerns/")
    assert "online complaint form (https://www.surreycc.gov.uk)" in printed_text(page)
