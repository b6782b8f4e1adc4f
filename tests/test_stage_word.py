"""A procedure's own word for its rungs (`stage_word` in stages.yaml): a protocol that
numbers them "step 1" to "step 4" (tests/fixture_steps_site, a frozen copy of such a pack)
says "Step 1" in everything a practitioner reads where another site says "Stage 1"; the
check refuses a word the pages could not use."""

from __future__ import annotations

import csv
import dataclasses
import io
import json
import re
import shutil
from datetime import date, datetime
from html.parser import HTMLParser
from pathlib import Path

import pytest
from test_references import every_path

from conftest import FIXTURE_DATA, STEPS_SITE, built, copy_project, edit
from escalation import wording
from escalation.bundle import load_bundle
from escalation.chooser import route, route_for
from escalation.journey import download, open_case_file, view
from escalation_build.bundle import make_bundle
from escalation_build.cli import main
from escalation_build.poster import flowchart_svg
from escalation_build.sources import load_data_dir

TODAY = date(2026, 12, 2)


@pytest.fixture(scope="module")
def steps_data():
    data, _ = load_data_dir(STEPS_SITE / "data", today=TODAY)
    return data


@pytest.fixture(scope="module")
def surrey():
    data, _ = load_data_dir(FIXTURE_DATA, today=TODAY)
    return data


# --- the word, worded once ----------------------------------------------------------------


def test_a_procedure_without_a_word_of_its_own_says_stage(surrey):
    procedure = surrey.procedure()
    assert procedure.stage_word == "stage"
    assert wording.rung(procedure, 2) == "Stage 2"
    assert wording.rung(procedure, 2, capital=False) == "stage 2"
    assert wording.rung(procedure, plural=True) == "Stages"


def test_a_protocol_of_steps_calls_its_rungs_steps(steps_data):
    procedure = steps_data.procedure()
    assert procedure.stage_word == "step"
    assert wording.rung(procedure, 1) == "Step 1"
    assert wording.rung(procedure, capital=False) == "step"
    assert wording.rung(procedure, capital=False, plural=True) == "steps"
    assert wording.rung(procedure, plural=True) == "Steps"


def test_the_plural_adds_an_s_to_any_word(surrey):
    procedure = dataclasses.replace(surrey.procedure(), stage_word="level")
    assert wording.rung(procedure, 3) == "Level 3"
    assert wording.rung(procedure, plural=True, capital=False) == "levels"


def test_the_word_is_used_in_the_rules_that_name_a_rung(surrey):
    fast = surrey.procedure()
    as_steps = dataclasses.replace(fast, stage_word="step")
    assert fast.drift is not None
    assert wording.drift_rule(fast, fast.drift) == (
        "If you start stage 2, 3 or 4 and leave 7 days or more before the next stage starts, "
        "the process starts again at stage 2.")
    assert wording.drift_rule(as_steps, fast.drift) == (
        "If you start step 2, 3 or 4 and leave 7 days or more before the next step starts, "
        "the process starts again at step 2.")
    assert wording.when(as_steps, fast.stages[1]) == (
        "Within 2 working days of the completion of step 1")


# --- the check ----------------------------------------------------------------------------


def line_of(path: Path, text: str) -> int:
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if text in line:
            return number
    raise AssertionError(f"{text!r} not found in {path}")


@pytest.mark.parametrize("word", ["Step", "two words", "step-by-step", "step2", "step."])
def test_the_check_refuses_a_word_that_is_not_one_lower_case_word(tmp_path, capsys, word):
    data = Path(shutil.copytree(STEPS_SITE / "data", tmp_path / "data"))
    stages = data / "stages.yaml"
    edit(stages, "    stage_word: step\n", f"    stage_word: {word}\n")
    code = main(["check", str(data)])
    output = capsys.readouterr()
    said = output.out + output.err
    assert code == 1
    line = line_of(stages, "    stage_word: ")
    assert f"{stages}, line {line}: error: procedures[escalation].stage_word: " in said
    assert "is not a word for the procedure's stages: write one lower-case word" in said


# --- what the practitioner reads -------------------------------------------------------------


class _Text(HTMLParser):
    """The words a page shows (and reads out: the flowchart's SVG text and description),
    without its markup, attributes, scripts or styles."""

    def __init__(self) -> None:
        super().__init__()
        self.words: list[str] = []
        self._hidden = 0

    def handle_starttag(self, tag, attrs):
        self._hidden += tag in ("script", "style")

    def handle_endtag(self, tag):
        self._hidden -= tag in ("script", "style")

    def handle_data(self, data):
        if not self._hidden:
            self.words.append(data)


def shown(html: str) -> str:
    parser = _Text()
    parser.feed(html)
    return " ".join(" ".join(parser.words).split())


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    return built(STEPS_SITE, tmp_path_factory.mktemp("steps-site"))


STAGE = re.compile(r"\bstages?\b", re.IGNORECASE)


def test_no_page_of_the_site_says_stage(site):
    pages = sorted(site.rglob("*.html"))
    assert len(pages) > 5
    for page in pages:
        text = shown(page.read_text("utf-8"))
        assert not STAGE.findall(text), f"{page.relative_to(site)}: {STAGE.findall(text)}"


def test_the_steps_table_and_flowchart_number_the_protocols_steps(site):
    text = shown((site / "escalation-and-resolution-steps" / "index.html").read_text("utf-8"))
    # The table's first column, and the flowchart's boxes (its SVG text and description).
    assert text.count("Step 1: Direct professional to professional discussion") >= 3
    assert "Step 4: LSAB or LSCP independent chaired meeting" in text


def test_the_tool_page_records_each_step(site):
    text = shown((site / "tool" / "index.html").read_text("utf-8"))
    assert "Step 1: Direct professional to professional discussion" in text
    assert "Step 1 started (contact made) on" in text
    assert "Step deadlines" in text
    # The clocks inside a step are introduced by the step, never as its steps.
    assert "Inside step 3:" in text
    assert "steps of step" not in text.lower()


def test_the_poster_numbers_the_protocols_steps(steps_data):
    svg = shown(flowchart_svg(steps_data, "escalation"))
    assert "Step 2: Direct manager to manager discussion" in svg
    assert not STAGE.findall(svg)


# --- the tool's view ------------------------------------------------------------------------


@pytest.fixture(scope="module")
def bundle():
    return load_bundle(make_bundle(STEPS_SITE / "data", TODAY))


def escalation_view(bundle, plan: dict) -> dict:
    answers = next(a for a in every_path(bundle.data.chooser)
                   if (r := route_for(bundle.data, a)) and r.procedure == "escalation")
    state = {"answers": answers, "plans": {"escalation": plan},
             "email": {"stage": "", "agency": ""}, "fields": {}, "emails": {}}
    return view(bundle, state, "2026-12-29T10:00")


def test_the_tools_plan_numbers_the_protocols_steps(bundle):
    plan = escalation_view(bundle, {"start": "24/12/2026", "start_time": "09:00"})["plan"]
    assert [r["summary"] for r in plan["records"]][:2] == [
        "Step 1: Direct professional to professional discussion",
        "Step 2: Direct manager to manager discussion"]
    assert [s["title"] for s in plan["stages"]][3] == (
        "Step 4: LSAB or LSCP independent chaired meeting")
    step_3 = plan["stages"][2]
    # Its plan waits for the SLOE to be contacted, which is named, not "a step".
    assert step_3["due_text"] == "Counted from 'SLOE contacted', not yet done"
    assert step_3["status_text"] == "Waiting for 'SLOE contacted'"
    action_plan = step_3["steps"][1]
    assert action_plan["due_text"] == "Counted from 'SLOE contacted', not yet done"
    assert action_plan["status_text"] == "Waiting for 'SLOE contacted'"


def test_the_tools_own_sentences_take_the_planned_procedures_word(bundle):
    # The page's headings, caption and column say the word of the procedure planned,
    # which need not be the main one's.
    words = escalation_view(bundle, {"start": "24/12/2026"})["plan"]["words"]
    assert words == {"stage": "step", "stages": "steps", "Stage": "Step"}
    other = dataclasses.replace(bundle.data.procedure(), stage_word="level")
    assert wording.stage_words(other) == {"stage": "level", "stages": "levels",
                                          "Stage": "Level"}


def test_the_tools_messages_name_steps(bundle):
    plan = escalation_view(bundle, {"start": "24/12/2026",
                                    "stages": {"2": {"completed": "28/12/2026"}}})["plan"]
    assert {p["message"] for p in plan["problems"]} == {
        "Step 2 is completed but step 1 is not: no step may be missed out."}


# --- the command line -------------------------------------------------------------------------


def test_the_deadlines_command_lists_steps_and_the_clocks_inside_them(capsys):
    code = main(["deadlines", "--data", str(STEPS_SITE / "data"), "--start", "2026-12-24",
                 "--today", "2026-12-29"])
    out = capsys.readouterr().out
    assert code == 0
    lines = out.splitlines()
    assert lines[1] == ("  Step 1 (Direct professional to professional discussion): no later "
                        "than Saturday 26 December 2026 at 00:00 [overdue]")
    assert lines[2] == ("    - Acknowledgement: no fixed timescale: provide it immediately "
                        "[no timescale]")
    assert "  Step 4 (LSAB or LSCP independent chaired meeting)" in out
    assert "Stage" not in out and "Step:" not in out


def test_the_deadlines_command_still_says_stage_for_the_default_site(capsys):
    main(["deadlines", "--data", str(FIXTURE_DATA), "--start", "2026-12-24",
          "--today", "2026-12-29"])
    assert capsys.readouterr().out.splitlines()[1] == (
        "  Stage 1 (Internal discussion): no later than Wednesday 30 December 2026 [upcoming]")


# --- the files the tool makes -------------------------------------------------------------


def steps_file(bundle, what: str, plan: dict) -> str:
    answers = next(a for a in every_path(bundle.data.chooser)
                   if (r := route_for(bundle.data, a)) and r.procedure == "escalation")
    state = {"answers": answers, "plans": {"escalation": plan},
             "email": {"stage": "", "agency": ""}, "fields": {}, "emails": {}}
    return download(bundle, state, "2026-12-24T10:00", "2026-12-24T10:00:00Z", what)["text"]


def test_the_calendar_reminders_name_steps(bundle):
    ics = steps_file(bundle, "calendar", {"start": "24/12/2026"})
    unfolded = ics.replace("\r\n ", "")
    assert ("SUMMARY:Joint professional escalation and resolution protocol: step 1\\, "
            "Agreed action plan\\, due at 00:00") in unfolded
    assert "SUMMARY:Joint professional escalation and resolution protocol: step 1 due" in unfolded
    assert "DESCRIPTION:Step 2\\, Direct manager to manager discussion:" in unfolded
    # Only the events' ids say "stage" (ids stay as they are: a stage is a stage inside).
    said = [line for line in unfolded.split("\r\n") if not line.startswith("UID:")]
    assert not STAGE.findall("\n".join(said))


def test_the_agency_log_heads_its_columns_with_steps(bundle):
    log = steps_file(bundle, "log", {"start": "24/12/2026",
                                            "steps": {"acknowledgement": {"done": "24/12/2026"}}})
    rows = list(csv.reader(io.StringIO(log.lstrip("\ufeff"))))
    assert rows[0] == ["Step", "Start date", "Raised with", "How",
                       "Outcome or resolution agreed", "Done within the step"]
    assert rows[1] == ["1", "2026-12-24", "", "", "", "Acknowledgement: 2026-12-24"]


def test_the_tools_end_line_names_the_last_step(bundle):
    plan = escalation_view(bundle, {"start": "24/12/2026"})["plan"]
    assert plan["end"] == ("No end date is worked out here: see the procedure for its last "
                           "step's timescale.")


# --- in Chromium ------------------------------------------------------------------------------


def test_the_tool_page_plans_step_1_in_a_browser(site, steps_data):
    from playwright.sync_api import expect
    from test_packs import open_tool, settled, trail_to, walk_to

    from browser import chromium, serve

    outcome = next(o for o in steps_data.chooser.outcomes
                   if route(steps_data, o).procedure == "escalation")
    with serve(site) as base, chromium() as browser:
        context = browser.new_context()
        page = context.new_page()
        page.base = base
        open_tool(page, datetime(2026, 12, 29, 10, 0))
        walk_to(page, steps_data, trail_to(steps_data, outcome.id))
        settled(page)
        page.get_by_label(f"Date of {steps_data.procedure().start_event}").fill("24/12/2026")
        settled(page)
        plan = page.get_by_role("table", name="Step deadlines")
        expect(plan.get_by_role("columnheader").first).to_have_text("Step")
        heads = plan.locator("#plan-rows th")
        expect(heads.first).to_have_text("Step 1: Direct professional to professional discussion")
        titles = [t.strip() for t in heads.all_inner_texts()]
        assert "Step 4: LSAB or LSCP independent chaired meeting (Urgent resolution required)" \
            in titles, titles
        assert not any(STAGE.search(t) for t in titles), titles
        expect(page.locator("#plan-rows")).to_contain_text("Waiting for 'SLOE contacted'")
        context.close()


# A pack whose second procedure says "stage" where its main one says "step": the copy's
# route "within-agency" plans a procedure of its own.
SECOND_PROCEDURE = """
  - id: internal
    name: Internal escalation
    start_event: the disagreement
    stages:
      - number: 1
        name: Line manager
        who: Your line manager
        what: Discuss it with your line manager.
        timescale: {within: 2, unit: working days, counted_from: start}
"""


@pytest.fixture(scope="module")
def mixed_site(tmp_path_factory):
    project = copy_project(tmp_path_factory.mktemp("mixed"), STEPS_SITE)
    (project / "data" / "stages.yaml").write_text(
        (project / "data" / "stages.yaml").read_text(encoding="utf-8").rstrip("\n") + "\n"
        + SECOND_PROCEDURE, encoding="utf-8")
    edit(project / "data" / "options.yaml", "    page: about-the-protocol.md#what-the-protocol-is-for\n",
         "    page: about-the-protocol.md#what-the-protocol-is-for\n    procedure: internal\n")
    data, _ = load_data_dir(project / "data", today=TODAY)
    assert route(data, next(o for o in data.chooser.outcomes if o.id == "within-agency")
                 ).procedure == "internal"
    return data, built(project, tmp_path_factory.mktemp("mixed-site"))


def test_the_tool_page_says_the_planned_procedures_word_in_a_browser(mixed_site):
    from playwright.sync_api import expect
    from test_packs import open_tool, settled, trail_to, walk_to

    from browser import chromium, serve

    data, site = mixed_site
    with serve(site) as base, chromium() as browser:
        context = browser.new_context()
        page = context.new_page()
        page.base = base
        open_tool(page, datetime(2026, 12, 29, 10, 0))
        for outcome, start_event, word in (("within-agency", "the disagreement", "Stage"),
                                           ("escalation", data.procedure().start_event, "Step")):
            page.get_by_role("button", name="Start again").click()
            walk_to(page, data, trail_to(data, outcome))
            settled(page)
            page.get_by_label(f"Date of {start_event}").fill("24/12/2026")
            settled(page)
            plan = page.get_by_role("table", name=f"{word} deadlines")
            expect(plan.get_by_role("columnheader").first).to_have_text(word)
            expect(page.locator("#step-plan")).to_contain_text(
                f"Plan and track the {word.lower()}s")
            expect(plan.locator("#plan-rows th").first).to_contain_text(f"{word} 1:")
        context.close()


@pytest.mark.parametrize("case_part, message", [
    ({"plans": {"escalation": {"stages": {"2": {"who": True}}}}},
     "This case file cannot be opened: the plan “escalation” step 2 “who” should be text, "
     "but it is true or false."),
    ({"stages": {"3": []}}, "This case file cannot be opened: the plan step 3 should be a "
                            "set of named values, but it is a list."),
    ({"emails": {"3": "B. Jones"}}, "This case file cannot be opened: the step 3 email should "
                                    "be a set of named values, but it is text."),
])
def test_a_damaged_case_file_is_named_with_the_protocols_word(bundle, case_part, message):
    saved = json.dumps({"kind": "escalation-case-file", "version": 2,
                        "partnership": bundle.data.partnership.id, "case": case_part})
    with pytest.raises(ValueError) as refused:
        open_case_file(bundle, saved)
    assert str(refused.value) == message
    elsewhere = json.dumps({"kind": "escalation-case-file", "version": 2,
                            "partnership": "another", "case": {}})
    # Another partnership's stages are not this one's to name: neither word is used.
    with pytest.raises(ValueError, match="its procedures and contacts differ"):
        open_case_file(bundle, elsewhere)


def test_a_route_without_steps_says_so_with_the_protocols_word(bundle):
    answers = next(a for a in every_path(bundle.data.chooser)
                   if (r := route_for(bundle.data, a)) and r.procedure is None)
    state = {"answers": answers, "plans": {}, "email": {"stage": "", "agency": ""},
             "fields": {}, "emails": {}}
    assert view(bundle, state, "2026-12-29T10:00")["plan"]["none"].startswith(
        "The route you chose has no steps with deadlines to plan")
