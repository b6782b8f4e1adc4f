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


# --- the flowchart poster ---------------------------------------------------------------

A4_POINTS, A3_POINTS = (595, 842), (842, 1191)


def printed(page, **options) -> PdfReader:
    return PdfReader(io.BytesIO(page.pdf(**options)))


def is_size(pdf: PdfReader, points: tuple[int, int]) -> bool:
    """The first page is this size, give or take a point of Chromium's rounding."""
    box = pdf.pages[0].mediabox
    return (abs(float(box.width) - points[0]) < 2 and abs(float(box.height) - points[1]) < 2)


def poster_facts() -> list[str]:
    """What the poster must carry, read from the data: every stage's name and timescale,
    the front door's and out-of-hours numbers, the address stage 5 goes to."""
    from conftest import FIXTURE_DATA
    from escalation.wording import when
    from escalation_build.sources import load_data_dir

    data, _ = load_data_dir(FIXTURE_DATA)
    procedure = data.procedure()
    e = data.partnership.emergency
    facts = [data.phone_of(e.in_hours), data.phone_of(e.out_of_hours), data.phone_of(e.police)]
    for stage in procedure.stages:
        facts += [stage.name, when(procedure, stage)]
        if stage.contact:
            facts.append(data.email_of(stage.contact))
    return facts


def test_the_poster_prints_alone_on_one_a4_page_with_every_stage_and_number(page):
    page.clock.set_fixed_time(datetime(2027, 3, 1, 14, 5))
    page.goto(f"{page.base}/poster/")
    for options in ({"format": "A4"}, {"prefer_css_page_size": True}):
        pdf = printed(page, **options)
        assert len(pdf.pages) == 1, options
        assert is_size(pdf, A4_POINTS), (options, pdf.pages[0].mediabox)
    text = " ".join(pdf.pages[0].extract_text().split())
    for fact in poster_facts():
        assert " ".join(fact.split()) in text, fact
    assert "This page is correct as printed on Monday 1 March 2027 at 14:05." in text
    assert "Print this page" not in text  # the page's own text stays on screen


def test_the_a3_poster_prints_alone_on_one_a3_page(page):
    page.goto(f"{page.base}/poster-a3/")
    for options in ({"format": "A3"}, {"prefer_css_page_size": True}):
        pdf = printed(page, **options)
        assert len(pdf.pages) == 1, options
        assert is_size(pdf, A3_POINTS), (options, pdf.pages[0].mediabox)
    text = " ".join(pdf.pages[0].extract_text().split())
    for fact in poster_facts():
        assert " ".join(fact.split()) in text, fact


def test_the_poster_is_a_picture_with_words_for_screen_readers(page):
    page.goto(f"{page.base}/fast-resolution-process/")
    picture = page.get_by_role("img", name="FaST Resolution Process flowchart")
    assert picture.count() == 1
    description = page.locator(".flowchart svg desc").text_content()
    assert "Stage 5" in description and "0300 470 9100" in description


@pytest.mark.parametrize("path, drawing", [("poster/", ".poster-sheet svg"),
                                           ("fast-resolution-process/", ".flowchart svg"),
                                           ("admin/chooser-tree/", ".chooser-tree svg")])
def test_every_line_of_a_drawing_fits_inside_it_in_the_browsers_own_font(page, path, drawing):
    """The drawings wrap text by an estimate of its width (svg_text); measured here in
    Chromium's real font, no line reaches past the drawing's edges."""
    page.goto(f"{page.base}/{path}")
    outside = page.locator(drawing).first.evaluate("""svg => {
        const [x0, , width] = svg.getAttribute("viewBox").split(" ").map(Number);
        return [...svg.querySelectorAll("text")].map(t => {
            const box = t.getBBox();
            return {text: t.textContent, left: box.x, right: box.x + box.width};
        }).filter(b => b.left < x0 - 0.5 || b.right > x0 + width + 0.5);
    }""")
    assert outside == []


def test_the_blank_appendix_1_prints_on_one_a4_page_with_every_label(page):
    from conftest import FIXTURE_DATA
    from escalation_build.sources import load_data_dir

    form = load_data_dir(FIXTURE_DATA)[0].form
    page.goto(f"{page.base}/appendix-1-fast-resolution-form/")
    for options in ({"format": "A4"}, {"prefer_css_page_size": True}):
        pdf = PdfReader(io.BytesIO(page.pdf(**options)))
        assert len(pdf.pages) == 1, options
        assert is_size(pdf, A4_POINTS), options
    text = " ".join(pdf.pages[0].extract_text().split())
    for field in form.fields:
        assert " ".join(field.label.split()) in text, field.label
    assert "Date Contact Made" in text and "This page is correct as printed on" in text
