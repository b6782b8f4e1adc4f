"""Pages on paper: printed by Chromium to PDF and read back with pypdf."""

from __future__ import annotations

import io
from datetime import datetime

from pypdf import PdfReader


def printed_text(page) -> tuple[int, str]:
    pdf = PdfReader(io.BytesIO(page.pdf(format="A4")))
    text = " ".join(" ".join(p.extract_text() for p in pdf.pages).split())
    return len(pdf.pages), text


def test_a_printed_page_says_when_it_was_printed_and_has_no_navigation(served):
    base, browser = served
    context = browser.new_context()
    page = context.new_page()
    page.clock.set_fixed_time(datetime(2027, 3, 1, 14, 5))
    page.goto(f"{base}/fast-resolution-process/")
    _, text = printed_text(page)
    assert (f"This page is correct as printed on Monday 1 March 2027 at 14:05. Check "
            f"{base}/fast-resolution-process/ for updates.") in text
    assert "The FaST Resolution Process" in text
    for furniture in ("Search", "Skip to content", "Back to top", "For admins"):
        assert furniture not in text, furniture
    context.close()


def test_the_print_footer_is_for_paper_only(served):
    base, browser = served
    context = browser.new_context()
    page = context.new_page()
    page.goto(f"{base}/")
    assert not page.locator(".print-footer").is_visible()
    context.close()


def test_a_printed_link_to_another_site_shows_its_address(served):
    base, browser = served
    context = browser.new_context()
    page = context.new_page()
    page.goto(f"{base}/raising-concerns/")
    _, text = printed_text(page)
    assert "online complaint form (https://www.surreycc.gov.uk)" in text
    context.close()
