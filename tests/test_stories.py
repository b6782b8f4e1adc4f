"""Eight practitioners, each in their own words, walked through the option chooser of
every partnership whose procedure has a route for them.

Each story is what the person would say. Each pack says, under stories in its own
expected.yaml (see tests/packs.py), the journey of every person whose story its procedure
has a route for: the questions the tool asks, in order, the answer that person gives, and
the route they reach. The walk fails if the tool asks another question than the one
expected, so a change to a chooser that sends someone a different way shows up here as a
story that no longer ends where the procedure says it should.
"""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from escalation.chooser import route_for, walk
from packs import PACKS, Pack, load_expected, pack_ids


@dataclass(frozen=True)
class Story:
    who: str
    words: str


STORIES = {
    "designated-safeguarding-lead": Story(
        "a designated safeguarding lead at a primary school",
        "I referred a Year 4 girl to children's services about neglect and they decided on "
        "no further action. I believe she is at risk of harm, though she is not in danger "
        "tonight. I raised it at the team around the child meeting and nothing changed. "
        "My head teacher agrees I should take it further."),
    "health-visitor-at-the-door": Story(
        "a health visitor on a home visit",
        "I'm outside the flat now. The toddler has a fresh burn on his arm, his dad is drunk "
        "and shouting, and he won't let me back in."),
    "class-teacher-first-worry": Story(
        "a class teacher",
        "A boy in my class told me this morning that things at home frighten him and he "
        "doesn't want to go back. I haven't told anyone yet and I don't know who to tell."),
    "family-support-worker-complaint": Story(
        "a family support worker",
        "The mum I support is upset that the council keeps cancelling her son's respite "
        "care. Nobody is in danger; she just wants it put right and doesn't know how to "
        "complain."),
    "police-officer-between-agencies": Story(
        "a police officer in the child abuse investigation team",
        "The health trust never sends anyone to our strategy discussions and doesn't "
        "return calls. No child has been put at risk by it so far, but it's no way to work "
        "together."),
    "youth-worker-not-yet-raised": Story(
        "a youth worker",
        "The mental health team discharged a 14-year-old I work with after one missed "
        "appointment. I think that leaves him at risk, but I haven't raised it with anyone "
        "yet, not even at his review meeting."),
    "school-nurse-suicide-risk": Story(
        "a school nurse",
        "A 15-year-old told me she has a plan to take her own life. She is with me in the "
        "medical room now, but the mental health service says she is not for them and won't "
        "get involved."),
    "gp-dissents-from-conference": Story(
        "a GP",
        "At the child protection conference the chair decided to end the plan. I said I "
        "disagreed and it was minuted. I believe it leaves the child at risk of significant "
        "harm, and I want to challenge it."),
}

JOURNEYS = [(story, pack) for pack in PACKS for story in pack.expected.stories]


def test_there_are_eight_stories_and_each_is_walked_in_some_pack():
    assert len(STORIES) == 8
    for pack in PACKS:
        unknown = set(pack.expected.stories) - set(STORIES)
        assert not unknown, (f"{pack.expected_file}: stories: {', '.join(sorted(unknown))} "
                             f"is not a story of tests/test_stories.py ({', '.join(STORIES)})")
    assert {story for story, _ in JOURNEYS} == set(STORIES)


@pytest.mark.parametrize("stories, message", [
    ("stories: {}", "stories must map each story's id"),
    ("stories: {a-story: {journey: [[Is a child in danger, No]], route: emergency}}",
     "a-story: journey, step 1: ['Is a child in danger', False] must be two texts"),
    ("stories: {a-story: {journey: [], route: emergency}}",
     "a-story: journey must be a list of [question, answer] pairs"),
    ("stories: {a-story: {journey: [[Is a child in danger, 'No']]}}", "a-story has no route"),
    ("stories: {a-story: {journey: [[Is a child in danger, 'No']], route: x, end: y}}",
     "a-story has end, which the tests do not read"),
])
def test_a_journey_written_wrong_is_refused_naming_the_file(tmp_path, stories, message):
    path = tmp_path / "expected.yaml"
    path.write_text(f"start: 2026-12-24 09:00:00\nroutes: {{a: {{no_later_than: [x]}}}}\n"
                    f"own_names: []\n{stories}\n", encoding="utf-8")
    with pytest.raises(AssertionError) as error:
        load_expected(path)
    assert str(error.value).startswith(f"{path}: stories")
    assert message in str(error.value)


def answers_for(pack: Pack, steps) -> dict[str, str]:
    """Walk the pack's chooser as the person answers it: each question asked must be the
    one the story expects next, and exactly one answer must be the person's."""
    tree = pack.data.chooser
    answers: dict[str, str] = {}
    for expected, said in steps:
        question = walk(tree, answers).question
        assert question is not None, f"the route ended before {expected!r} was asked"
        assert question.text.startswith(expected), \
            f"{pack.label} asked {question.text!r}, not {expected!r}"
        chosen = [a.label for a in question.answers if a.label.startswith(said)]
        assert len(chosen) == 1, f"{said!r} matches {chosen} in {question.text!r}"
        answers[question.id] = chosen[0]
    return answers


@pytest.mark.parametrize(("story", "pack"), JOURNEYS,
                         ids=[f"{story}@{pack.label}" for story, pack in JOURNEYS])
def test_each_practitioner_reaches_the_route_the_procedure_gives_them(story, pack):
    journey = pack.expected.stories[story]
    chosen = route_for(pack.data, answers_for(pack, journey.steps))
    assert chosen is not None, f"{STORIES[story].who} was left with a question unanswered"
    assert chosen.id == journey.route


DSL = "designated-safeguarding-lead"
WITH_DSL = [pack for pack in PACKS if DSL in pack.expected.stories]


@pytest.mark.parametrize("pack", WITH_DSL, ids=pack_ids(WITH_DSL))
def test_the_designated_safeguarding_lead_who_believes_the_child_at_risk_reaches_a_procedure(
        pack):
    # She believes the girl at risk of harm, not in danger tonight, and has raised it
    # through normal channels: a procedure for disagreements is for exactly this (FaST
    # 6.2). The first question must not catch her: it asks about immediate danger or
    # imminent risk (FaST 4.9; her journey in the pack's expected.yaml says its words),
    # never about significant harm.
    first = walk(pack.data.chooser, {}).question
    assert first is not None and "significant harm" not in first.text
    route = route_for(pack.data, answers_for(pack, pack.expected.stories[DSL].steps))
    assert route is not None and route.procedure is not None, (
        f"{pack.label}: the designated safeguarding lead reaches no procedure")
    assert route.procedure in {p.id for p in pack.data.procedures.procedures}
    # A route that plans a procedure has its hand-counted dates in expected.yaml.
    assert route.id in pack.expected.routes
