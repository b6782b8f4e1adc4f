"""The flowchart poster, drawn from the frozen default site's data (tests/fixture_site) and
from changed copies of it.

The SVG is read back with xml.etree, as a browser or a screen reader would parse it:
the tests look at its text, its accessible name and its geometry, not at our strings.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from dataclasses import replace
from datetime import date

import pytest

from conftest import FIXTURE_DATA
from escalation import wording
from escalation.model import Data, Procedure, Stage, Timescale
from escalation_build.poster import flowchart_svg
from escalation_build.sources import load_data_dir
from escalation_build.svg_text import text_width

SVG = "{http://www.w3.org/2000/svg}"
CAVEAT = "or a timescale that protects the child, whichever is less"


@pytest.fixture(scope="module")
def surrey() -> Data:
    data, _ = load_data_dir(FIXTURE_DATA, today=date(2026, 11, 1))
    return data


def parse(svg: str) -> ET.Element:
    return ET.fromstring(svg)


def text_elements(root: ET.Element) -> list[ET.Element]:
    return list(root.iter(f"{SVG}text"))


def poster_text(svg: str) -> str:
    """Every <text> in document order, as one run of words (wrapped lines rejoined)."""
    runs = ["".join(t.itertext()) for t in text_elements(parse(svg))]
    return " ".join(" ".join(runs).split())


def description(svg: str) -> str:
    return " ".join(parse(svg).find(f"{SVG}desc").text.split())


def viewbox(root: ET.Element) -> tuple[float, float, float, float]:
    x, y, w, h = (float(n) for n in root.get("viewBox").split())
    return x, y, w, h


def with_procedure(data: Data, procedure: Procedure) -> Data:
    """The data with this procedure in place of the one with its id (or added)."""
    others = tuple(p for p in data.procedures.procedures if p.id != procedure.id)
    return replace(data, procedures=replace(data.procedures, procedures=(procedure, *others)))


def with_stage(data: Data, number: int, **changes) -> Data:
    procedure = data.procedure()
    stages = tuple(replace(s, **changes) if s.number == number else s
                   for s in procedure.stages)
    return with_procedure(data, replace(procedure, stages=stages))


def with_contact(data: Data, contact_id: str, **changes) -> Data:
    contacts = tuple(replace(c, **changes) if c.id == contact_id else c
                     for c in data.contacts.contacts)
    return replace(data, contacts=replace(data.contacts, contacts=contacts))


def long_procedure(count: int) -> Procedure:
    """A made-up procedure of `count` stages, long names, every unit and a caveat."""
    units = ("working days", "calendar days", "hours")
    stages = tuple(
        Stage(number=n,
              name=f"Review by the senior leadership and safeguarding leads, level {n}",
              who="The designated safeguarding leads of both agencies, or their deputies "
                  "acting on their behalf",
              what="Talk it through.",
              timescale=Timescale(within=n + 1, unit=units[n % 3],
                                  counted_from="start" if n == 1 else "previous stage",
                                  caveat=CAVEAT if n % 2 else None),
              copy_to=("sscp",) if n > 1 else ())
        for n in range(1, count + 1))
    return Procedure(id="long", name="Resolving professional differences",
                     start_event="the concern being raised", stages=stages)


# --- what the poster says -------------------------------------------------------------


def test_every_stage_shows_its_number_name_who_and_when(surrey):
    procedure = surrey.procedure()
    text = poster_text(flowchart_svg(surrey))
    for stage in procedure.stages:
        assert f"Stage {stage.number}: {stage.name}" in text
        assert " ".join(stage.who.split()) in text
        assert wording.when(procedure, stage) in text
    assert "Within 2 working days of the completion of stage 4" in text


def test_the_first_step_is_a_referral_by_phone_before_stage_1(surrey):
    e = surrey.partnership.emergency
    text = poster_text(flowchart_svg(surrey))
    for contact_id in (e.in_hours, e.out_of_hours, e.police):
        assert surrey.contact(contact_id).name in text
        assert surrey.phone_of(contact_id) in text
    assert "0300 470 9100" in text
    assert "999" in text
    assert text.index("0300 470 9100") < text.index("Stage 1:")


def test_the_in_hours_line_says_when_it_is_staffed(surrey):
    cspa = surrey.contact(surrey.partnership.emergency.in_hours)
    assert f"{cspa.phone} ({cspa.phone_note})" in poster_text(flowchart_svg(surrey))


def test_the_last_stage_names_the_partnership_and_its_address(surrey):
    last = surrey.procedure().stages[-1]
    text = poster_text(flowchart_svg(surrey))
    final = text[text.index(f"Stage {last.number}:"):]
    assert surrey.contact(last.contact).name in final
    assert surrey.email_of(last.contact) in final
    assert "Partnership.escalation@surreycc.gov.uk" in final


def test_stages_that_copy_someone_in_say_whom(surrey):
    text = poster_text(flowchart_svg(surrey))
    stages = surrey.procedure().stages
    for stage in stages:
        box = text[text.index(f"Stage {stage.number}:"):]
        if stage.number < len(stages):
            box = box[:box.index(f"Stage {stage.number + 1}:")]
        for contact_id in stage.copy_to:
            assert f"Copy in: {surrey.email_of(contact_id)}" in box
        if not stage.copy_to:
            assert "Copy in" not in box


def test_the_heading_names_the_procedure_and_the_partnership(surrey):
    text = poster_text(flowchart_svg(surrey))
    assert text.startswith(f"{surrey.procedure().name} {surrey.partnership.name}")
    renamed = replace(surrey, partnership=replace(surrey.partnership, name="Anytown Partnership"))
    assert "Anytown Partnership" in poster_text(flowchart_svg(renamed))


def test_the_option_that_starts_the_procedure_says_when_to_use_it(surrey):
    option = next(o for o in surrey.options.options if o.procedure == surrey.procedure().id)
    assert " ".join(option.summary.split()) in poster_text(flowchart_svg(surrey))


def test_the_drift_rule_and_working_days_are_stated_at_the_foot(surrey):
    text = poster_text(flowchart_svg(surrey))
    # The same sentences as every other page and the tool (wording.py).
    assert ("Start again: If you start stage 2, 3 or 4 and leave 7 days or more before the "
            "next stage starts, the process starts again at stage 2.") in text
    assert "Working days are Monday to Friday, except bank holidays in England." in text


def test_a_procedure_without_drift_has_no_drift_note(surrey):
    data = with_procedure(surrey, replace(surrey.procedure(), drift=None))
    assert "Start again" not in poster_text(flowchart_svg(data))


# --- one fact, one place: the poster follows the data ---------------------------------


def test_a_changed_timescale_changes_the_poster(surrey):
    stage_3 = surrey.procedure().stages[2]
    data = with_stage(surrey, 3, timescale=replace(stage_3.timescale, within=5))
    before = poster_text(flowchart_svg(surrey))
    after = poster_text(flowchart_svg(data))
    assert "Within 5 working days of the completion of stage 2" in after
    assert "5 working days" not in before


def test_a_caveat_is_shown_beside_its_timescale(surrey):
    stage_2 = surrey.procedure().stages[1]
    data = with_stage(surrey, 2, timescale=Timescale(within=7, unit="calendar days",
                                                     counted_from="previous stage",
                                                     caveat=CAVEAT))
    svg = flowchart_svg(data)
    expected = f"When: Within 7 days of the completion of stage 1, {CAVEAT}"
    assert expected in poster_text(svg)
    assert expected in description(svg)
    assert "Days: every day counts" in poster_text(svg)
    assert stage_2.name in poster_text(svg)


def test_a_timescale_in_hours_is_said_in_hours(surrey):
    data = with_stage(surrey, 1, timescale=Timescale(within=48, unit="hours",
                                                     counted_from="start"))
    text = poster_text(flowchart_svg(data))
    assert "Within 48 hours of the disagreement or concern arising" in text
    assert "Hours: counted round the clock." in text


def test_a_contact_without_a_phone_is_named_without_a_number(surrey):
    e = surrey.partnership.emergency
    data = with_contact(surrey, e.in_hours, phone=None, phone_note=None)
    data = with_contact(data, e.out_of_hours, phone=None)
    text = poster_text(flowchart_svg(data))
    assert surrey.contact(e.in_hours).name in text
    assert surrey.contact(e.out_of_hours).name in text
    assert surrey.phone_of(e.in_hours) not in text
    assert surrey.phone_of(e.out_of_hours) not in text


# A partnership may leave out the front-door numbers (with a note instead) and a
# stage's timescale.
def test_without_front_door_numbers_the_emergency_box_gives_the_note(surrey):
    e = surrey.partnership.emergency
    emergency = replace(e, in_hours=None, out_of_hours=None,
                        note="Refer to the MASH on the multi-agency form.")
    data = replace(surrey, partnership=replace(surrey.partnership, emergency=emergency))
    text = poster_text(flowchart_svg(data))
    assert f"Immediate danger: {surrey.contact(e.police).name}, 999" in text
    assert "Refer to the MASH on the multi-agency form." in text
    assert surrey.phone_of(e.in_hours) not in text
    assert text.index("Refer to the MASH") < text.index("Stage 1:")


def test_a_stage_without_a_timescale_says_so(surrey):
    data = with_stage(surrey, 4, timescale=None)
    procedure = data.procedure()
    text = poster_text(flowchart_svg(data))
    assert f"When: {wording.when(procedure, procedure.stages[3])}" in text
    assert "Stage 4: Heads/Directors of Service" in text


def test_a_contact_without_an_email_is_named_alone(surrey):
    last = surrey.procedure().stages[-1]
    data = with_contact(surrey, last.contact, email=None)
    text = poster_text(flowchart_svg(data))
    assert f"Send to: {surrey.contact(last.contact).name}" in text


def test_another_procedure_can_be_drawn_by_its_id(surrey):
    data = with_procedure(surrey, long_procedure(3))
    text = poster_text(flowchart_svg(data, "long"))
    assert text.startswith("Resolving professional differences")
    assert "Stage 3: Review by the senior leadership" in text
    assert "FaST" not in text


def test_text_from_the_data_is_escaped(surrey):
    data = with_stage(surrey, 2, name='Talk <now> & "agree" it')
    svg = flowchart_svg(data)
    assert 'Stage 2: Talk <now> & "agree" it' in poster_text(svg)
    assert 'Talk <now> & "agree" it' in description(svg)


# --- accessible, printable, and safe under the site's CSP -----------------------------


def test_the_poster_is_an_image_named_by_its_title_and_description(surrey):
    root = parse(flowchart_svg(surrey))
    assert root.tag == f"{SVG}svg"
    assert root.get("role") == "img"
    title, desc = root.find(f"{SVG}title"), root.find(f"{SVG}desc")
    assert root.get("aria-labelledby").split() == [title.get("id"), desc.get("id")]
    assert title.text == "FaST Resolution Process flowchart"


def test_the_description_gives_the_whole_flowchart_in_words(surrey):
    procedure = surrey.procedure()
    desc = description(flowchart_svg(surrey))
    assert surrey.phone_of(surrey.partnership.emergency.in_hours) in desc
    for stage in procedure.stages:
        assert f"Stage {stage.number}: {stage.name}" in desc
        assert " ".join(stage.who.split()) in desc
        assert wording.when(procedure, stage) in desc
    assert surrey.email_of(procedure.stages[-1].contact) in desc
    assert desc.index("999") < desc.index("Stage 1:")


def test_two_posters_on_one_page_have_distinct_ids(surrey):
    first = parse(flowchart_svg(surrey, id_prefix="poster-a"))
    second = parse(flowchart_svg(surrey, id_prefix="poster-b"))
    ids_a = {e.get("id") for e in first.iter() if e.get("id")}
    ids_b = {e.get("id") for e in second.iter() if e.get("id")}
    assert ids_a and ids_b and not ids_a & ids_b
    assert second.get("aria-labelledby") == "poster-b-title poster-b-desc"


def test_the_id_prefix_defaults_to_the_procedure_id(surrey):
    assert parse(flowchart_svg(surrey)).get("aria-labelledby") == "fast-title fast-desc"


def test_an_id_prefix_that_is_not_an_id_is_refused(surrey):
    with pytest.raises(ValueError):
        flowchart_svg(surrey, id_prefix='a" onload="x')


def test_no_style_element_or_attribute(surrey):
    svg = flowchart_svg(surrey)
    root = parse(svg)
    assert root.find(f".//{SVG}style") is None
    assert all("style" not in e.attrib for e in root.iter())
    assert "foreignObject" not in svg


def test_the_poster_scales_and_prints_on_a4_portrait(surrey):
    root = parse(flowchart_svg(surrey))
    _, _, width, height = viewbox(root)
    assert (width, height) == (794, 1123)
    assert root.get("width") in (None, "100%")
    assert root.get("height") is None


def test_the_poster_is_black_on_white_in_a_sans_serif_system_font(surrey):
    root = parse(flowchart_svg(surrey))
    assert root.get("font-family").endswith("sans-serif")
    colours = {e.get(a) for e in root.iter() for a in ("fill", "stroke") if e.get(a)}
    for colour in colours - {"none"}:
        digits = re.fullmatch(r"#([0-9a-f]{3}|[0-9a-f]{6})", colour).group(1)
        step = len(digits) // 3
        r, g, b = (digits[i:i + step] for i in range(0, len(digits), step))
        assert r == g == b, f"{colour} is not a grey: meaning must not rest on colour"


@pytest.mark.parametrize("stages", [None, 1, 5, 8])
def test_all_text_lies_within_the_viewbox_in_legible_sizes(surrey, stages):
    data = surrey if stages is None else with_procedure(surrey, long_procedure(stages))
    root = parse(flowchart_svg(data, None if stages is None else "long"))
    _, _, width, height = viewbox(root)
    for text in text_elements(root):
        size = float(text.get("font-size"))
        x, y = float(text.get("x")), float(text.get("y"))
        words = "".join(text.itertext())
        assert size >= 13, words
        assert y - size >= 0 and y + size * 0.25 <= height, words
        # Estimated as the layout does (svg_text); test_print measures it in Chromium.
        reach = text_width(words, size, bold=text.get("font-weight") == "bold")
        if text.get("text-anchor") == "middle":
            assert x - reach / 2 >= 0 and x + reach / 2 <= width, words
        else:
            assert x >= 0 and x + reach <= width, words


def test_surrey_fits_one_a4_page_and_eight_stages_never_overflow(surrey):
    _, _, _, height = viewbox(parse(flowchart_svg(surrey)))
    assert height == 1123
    eight = parse(flowchart_svg(with_procedure(surrey, long_procedure(8)), "long"))
    _, _, width, tall = viewbox(eight)
    assert width == 794 and tall >= 1123
    assert "Stage 8: Review" in poster_text(ET.tostring(eight, encoding="unicode"))


def test_the_poster_is_the_same_on_every_build(surrey):
    assert flowchart_svg(surrey) == flowchart_svg(surrey)


def test_each_stage_says_what_happens_in_its_first_sentence(surrey):
    from escalation_build.poster import first_sentence

    text = poster_text(flowchart_svg(surrey))
    for stage in surrey.procedure().stages:
        brief = first_sentence(stage.what)
        assert brief.endswith(".") and len(brief) < len(" ".join(stage.what.split()))
        assert f"What: {brief}" in text
    assert first_sentence("No full stop here") == "No full stop here"


@pytest.mark.parametrize("when, said", [
    ("If step 1 does not resolve the issue", "Then, if step 1 does not resolve the issue:"),
    ("After a third referral", "Then, after a third referral:"),
    ("Urgent resolution required", "Then, if urgent resolution required:"),
])
def test_the_description_says_an_arrows_condition_once(surrey, when, said):
    """An arrow's own "If ..." is not read out as "Then, if if ..."."""
    desc = description(flowchart_svg(with_stage(surrey, 2, when=when)))
    assert said in desc
    assert "if if" not in desc.lower()
