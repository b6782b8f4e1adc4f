"""Eight practitioners, each in their own words, walked through the option chooser of
every partnership whose procedure has a route for them.

Each story is what the person would say; each journey is the questions the tool asks,
in order, and the answer that person gives. The walk fails if the tool asks another
question than the one expected, so a change to a chooser that sends someone a different
way shows up here as a story that no longer ends where the procedure says it should.
"""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from conftest import ROOT
from escalation.chooser import route_for, walk
from escalation_build.sources import load_data_dir

PACKS = {"surrey": ROOT / "data",
         **{p.parent.name: p.parent / "data"
            for p in sorted((ROOT / "partnerships").glob("*/mkdocs.yml"))}}
DATA = {slug: load_data_dir(folder)[0] for slug, folder in PACKS.items()}


@dataclass(frozen=True)
class Story:
    who: str
    words: str
    # partnership -> ((the question asked starts with, the answer given starts with), ...),
    # and the route the procedure sends this person to.
    journeys: dict[str, tuple[tuple[tuple[str, str], ...], str]]


STORIES = {
    "designated-safeguarding-lead": Story(
        "a designated safeguarding lead at a primary school",
        "I referred a Year 4 girl to children's services about neglect and they decided on "
        "no further action. I believe she is at risk of harm, though she is not in danger "
        "tonight. I raised it at the team around the child meeting and nothing changed. "
        "My head teacher agrees I should take it further.",
        {"surrey": ((("Is a child in immediate danger", "No"),
                     ("What is your concern about?", "A decision or practice of another agency"),
                     ("Is the child or young person being put at risk", "Yes"),
                     ("Have you already raised your concern", "Yes")), "fast"),
         "pan-lancashire": ((("Is a child in immediate danger", "No"),
                             ("Where are you up to", "I have made a referral"),
                             ("What have Blackpool Children's Social Care told you",
                              "They have decided, and I am still worried"),
                             ("Is someone needed to act now", "No"),
                             ("Does the disagreement have to be settled very quickly", "No")),
                            "escalation"),
         "suffolk": ((("Is a child in immediate danger", "No"),
                      ("What is your concern or disagreement about?",
                       "Another agency's decision, action or lack of action about a referral")),
                     "referral-dispute")}),
    "health-visitor-at-the-door": Story(
        "a health visitor on a home visit",
        "I'm outside the flat now. The toddler has a fresh burn on his arm, his dad is drunk "
        "and shouting, and he won't let me back in.",
        {slug: ((("Is a child in immediate danger", "Yes"),), "emergency") for slug in PACKS}),
    "class-teacher-first-worry": Story(
        "a class teacher",
        "A boy in my class told me this morning that things at home frighten him and he "
        "doesn't want to go back. I haven't told anyone yet and I don't know who to tell.",
        {"surrey": ((("Is a child in immediate danger", "No"),
                     ("What is your concern about?", "A child who may be suffering harm")),
                    "referral"),
         "pan-lancashire": ((("Is a child in immediate danger", "No"),
                             ("Where are you up to", "I am worried about a child")), "referral")}),
    "family-support-worker-complaint": Story(
        "a family support worker",
        "The mum I support is upset that the council keeps cancelling her son's respite "
        "care. Nobody is in danger; she just wants it put right and doesn't know how to "
        "complain.",
        {"surrey": ((("Is a child in immediate danger", "No"),
                     ("What is your concern about?", "A family who are unhappy")), "complaint")}),
    "police-officer-between-agencies": Story(
        "a police officer in the child abuse investigation team",
        "The health trust never sends anyone to our strategy discussions and doesn't "
        "return calls. No child has been put at risk by it so far, but it's no way to work "
        "together.",
        {"surrey": ((("Is a child in immediate danger", "No"),
                     ("What is your concern about?", "A decision or practice of another agency"),
                     ("Is the child or young person being put at risk", "No")),
                    "between-agencies")}),
    "youth-worker-not-yet-raised": Story(
        "a youth worker",
        "The mental health team discharged a 14-year-old I work with after one missed "
        "appointment. I think that leaves him at risk, but I haven't raised it with anyone "
        "yet, not even at his review meeting.",
        {"surrey": ((("Is a child in immediate danger", "No"),
                     ("What is your concern about?", "A decision or practice of another agency"),
                     ("Is the child or young person being put at risk", "Yes"),
                     ("Have you already raised your concern", "No")),
                    "normal-channels-first")}),
    "school-nurse-suicide-risk": Story(
        "a school nurse",
        "A 15-year-old told me she has a plan to take her own life. She is with me in the "
        "medical room now, but the mental health service says she is not for them and won't "
        "get involved.",
        # Where the first question asks about imminent risk of harm, that is its answer.
        {"surrey": ((("Is a child in immediate danger, or at imminent risk", "Yes"),),
                    "emergency"),
         # Pan-Lancashire asks about immediate danger first (she is safe with the nurse
         # now) and about a life-threatening episode next (seed 003).
         "pan-lancashire": ((("Is a child in immediate danger", "No"),
                             ("Where are you up to", "I disagree with another professional"),
                             ("Is someone needed to act now", "Yes")), "life-threatening")}),
    "gp-dissents-from-conference": Story(
        "a GP",
        "At the child protection conference the chair decided to end the plan. I said I "
        "disagreed and it was minuted. I believe it leaves the child at risk of significant "
        "harm, and I want to challenge it.",
        {"surrey": ((("Is a child in immediate danger", "No"),
                     ("What is your concern about?", "A decision or practice of another agency"),
                     ("Is the child or young person being put at risk", "Yes"),
                     # Raising it at a child protection meeting is a normal channel (FaST 6.2).
                     ("Have you already raised your concern", "Yes")), "fast"),
         "pan-lancashire": ((("Is a child in immediate danger", "No"),
                             ("Where are you up to", "I disagree with another professional"),
                             ("Is someone needed to act now", "No"),
                             ("Does the disagreement have to be settled very quickly", "No")),
                            "escalation"),
         "suffolk": ((("Is a child in immediate danger", "No"),
                      ("What is your concern or disagreement about?",
                       "A child protection conference"),
                      ("Who is unhappy with the conference?", "I am, or my agency is")),
                     "conference-dissent")}),
}

JOURNEYS = [(name, slug) for name, story in STORIES.items() for slug in story.journeys]


def test_there_are_eight_stories_and_each_pack_has_some():
    assert len(STORIES) == 8
    assert {slug for _, slug in JOURNEYS} == set(PACKS)


def answers_for(slug: str, steps) -> dict[str, str]:
    """Walk the pack's chooser as the person answers it: each question asked must be the
    one the story expects next, and exactly one answer must be the person's."""
    tree = DATA[slug].chooser
    answers: dict[str, str] = {}
    for expected, said in steps:
        question = walk(tree, answers).question
        assert question is not None, f"the route ended before {expected!r} was asked"
        assert question.text.startswith(expected), \
            f"{slug} asked {question.text!r}, not {expected!r}"
        chosen = [a.label for a in question.answers if a.label.startswith(said)]
        assert len(chosen) == 1, f"{said!r} matches {chosen} in {question.text!r}"
        answers[question.id] = chosen[0]
    return answers


@pytest.mark.parametrize(("story", "slug"), JOURNEYS)
def test_each_practitioner_reaches_the_route_the_procedure_gives_them(story, slug):
    steps, expected = STORIES[story].journeys[slug]
    chosen = route_for(DATA[slug], answers_for(slug, steps))
    assert chosen is not None, f"{STORIES[story].who} was left with a question unanswered"
    assert chosen.id == expected


def test_the_designated_safeguarding_lead_who_believes_the_child_at_risk_reaches_fast():
    # FaST 6.2: at risk of harm, raised through normal channels: FaST is for exactly this.
    # The first question must not catch her: it asks about imminent risk (FaST 4.9).
    first = DATA["surrey"].chooser.questions[0]
    assert "imminent risk" in first.text and "significant harm" not in first.text
    steps, _ = STORIES["designated-safeguarding-lead"].journeys["surrey"]
    assert route_for(DATA["surrey"], answers_for("surrey", steps)).procedure == "fast"
