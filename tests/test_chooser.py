"""The option chooser, walked as a practitioner answers it."""

from __future__ import annotations

from conftest import FIXTURE_DATA
from escalation.chooser import paths, route_for, walk
from escalation_build.sources import load_data_dir

DATA, _ = load_data_dir(FIXTURE_DATA)
TREE = DATA.chooser

AT_RISK_DISAGREEMENT = {
    "immediate-risk": "No",
    "concern": "A decision or practice of another agency about a child or young person I work with",
    "at-risk": "Yes",
}


def test_the_first_question_is_about_immediate_risk():
    assert walk(TREE, {}).question.id == "immediate-risk"


def test_a_child_at_immediate_risk_gets_the_emergency_route_first():
    route = route_for(DATA, {"immediate-risk": "Yes"})
    assert route.emergency and route.id == "emergency"
    assert "ring the police on 999" in route.do_now[0]
    assert "0300 470 9100 (Monday to Friday, 9am to 5pm)" in route.do_now[1]
    assert "01483 517898" in route.do_now[2]


def test_three_yeses_lead_to_fast():
    route = route_for(DATA, {**AT_RISK_DISAGREEMENT, "normal-channels": "Yes"})
    assert route.id == "fast" and route.option == "fast" and route.procedure == "fast"
    assert any("Partnership.escalation@surreycc.gov.uk" in step for step in route.do_now)


def test_at_risk_but_not_yet_raised_through_normal_channels_goes_there_first():
    route = route_for(DATA, {**AT_RISK_DISAGREEMENT, "normal-channels": "No"})
    assert route.id == "normal-channels-first"
    assert route.title == "Raise it through normal channels first"


def test_a_disagreement_with_no_child_at_risk_is_option_3():
    route = route_for(DATA, {**AT_RISK_DISAGREEMENT, "at-risk": "No"})
    assert route.option == "between-agencies"


def test_a_new_concern_is_a_referral_and_an_unhappy_family_a_complaint():
    referral = route_for(DATA, {"immediate-risk": "No", "concern": TREE.questions[1].answers[0].label})
    complaint = route_for(DATA, {"immediate-risk": "No", "concern": TREE.questions[1].answers[1].label})
    assert referral.option == "referral"
    assert complaint.option == "complaint"
    assert any("be.heard@surreycc.gov.uk" in step for step in complaint.do_now)


def test_the_surrey_tree_reaches_all_four_options_and_the_normal_channels_case():
    ends = {walk(TREE, dict(path)).outcome for path in paths(TREE)}
    assert {o.option for o in ends if o.option} == {"referral", "complaint", "between-agencies",
                                                    "fast"}
    assert {o.id for o in ends} >= {"emergency", "normal-channels-first"}


def test_changing_an_earlier_answer_keeps_the_later_ones():
    answers = {**AT_RISK_DISAGREEMENT, "normal-channels": "Yes"}
    assert route_for(DATA, {**answers, "at-risk": "No"}).option == "between-agencies"
    # Back to "yes": the answer to the last question was kept and is used again.
    assert route_for(DATA, answers).id == "fast"


def test_an_unanswered_question_is_the_next_one_asked():
    result = walk(TREE, AT_RISK_DISAGREEMENT)
    assert result.question.id == "normal-channels" and result.outcome is None
    assert [q.id for q, _ in result.asked] == ["immediate-risk", "concern", "at-risk"]


# --- a disagreement about no particular child (survey: "No child named") ------------------
# Hertfordshire's procedure allows thematic or systemic disagreements, with no child named;
# the HIPS procedures exclude them. Either is the partnership's own chooser: a question,
# and where its "No" leads, with no field or code of its own.

PARTICULAR_CHILD = """
  - id: particular-child
    text: Is the disagreement about a particular child or family?
    hint: A disagreement about a service or a pattern of practice names no child.
    answers:
      - {label: "Yes", next: at-risk}
      - {label: "No, it is about a service or a pattern of practice", next: NO_CHILD}
"""
NOT_FOR_THEMATIC = """
  - id: thematic-elsewhere
    title: Raise it with the partnership instead
    why: This procedure is for disagreements about a particular child or family.
    do_now:
      - Write to the partnership team about the service or the pattern of practice.
"""


def _with_no_child_question(tmp_path, leads_to: str, extra_outcome: str = ""):
    import shutil

    from conftest import edit

    shutil.copytree(FIXTURE_DATA, tmp_path / "data")
    chooser = tmp_path / "data" / "chooser.yaml"
    edit(chooser, "        next: at-risk\n", "        next: particular-child\n")
    edit(chooser, "\noutcomes:\n", PARTICULAR_CHILD.replace("NO_CHILD", leads_to)
         + "\noutcomes:\n" + extra_outcome)
    data, _ = load_data_dir(tmp_path / "data")
    return data


def test_a_procedure_that_allows_a_thematic_disagreement_routes_it_there(tmp_path):
    data = _with_no_child_question(tmp_path, "fast")
    answers = {"immediate-risk": "No", "concern": TREE.questions[1].answers[2].label,
               "particular-child": "No, it is about a service or a pattern of practice"}
    route = route_for(data, answers)
    assert (route.id, route.procedure) == ("fast", "fast")
    # With a child, the questions about risk come next as before.
    assert walk(data.chooser, {**answers, "particular-child": "Yes"}).question.id == "at-risk"


def test_a_procedure_that_excludes_one_says_where_it_goes(tmp_path):
    data = _with_no_child_question(tmp_path, "thematic-elsewhere", NOT_FOR_THEMATIC)
    route = route_for(data, {"immediate-risk": "No",
                             "concern": TREE.questions[1].answers[2].label,
                             "particular-child": "No, it is about a service or a pattern of "
                                                 "practice"})
    assert route.id == "thematic-elsewhere" and route.procedure is None
    assert route.title == "Raise it with the partnership instead"
