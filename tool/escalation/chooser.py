"""Walk the option chooser's decision tree (chooser.yaml) from the answers given.

Answers are kept by question, so that changing an earlier answer keeps the others: a
question that falls off the path is simply not asked, and its answer comes back into
use if the path returns to it.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from .model import Answer, Chooser, Data, Outcome, Question


@dataclass(frozen=True)
class Walk:
    asked: tuple[tuple[Question, Answer], ...]  # the path so far, in order
    question: Question | None  # the next question to ask, if any
    outcome: Outcome | None  # where the path ends, once it does


@dataclass(frozen=True)
class Route:
    """An outcome made ready to show, its text on one line (contact details such as
    {cspa.phone} were filled in when the data was read)."""

    id: str
    title: str
    why: str
    do_now: tuple[str, ...]
    contacts: tuple[str, ...]
    option: str | None
    emergency: bool
    procedure: str | None


def walk(tree: Chooser, answers: Mapping[str, str]) -> Walk:
    """Follow `answers` (question id -> answer label) from the first question."""
    questions = {q.id: q for q in tree.questions}
    outcomes = {o.id: o for o in tree.outcomes}
    asked: list[tuple[Question, Answer]] = []
    current = questions[tree.start]
    while True:
        label = answers.get(current.id)
        answer = next((a for a in current.answers if a.label == label), None)
        if answer is None:
            return Walk(tuple(asked), current, None)
        asked.append((current, answer))
        if answer.next in outcomes:
            return Walk(tuple(asked), None, outcomes[answer.next])
        current = questions[answer.next]


def route(data: Data, outcome: Outcome) -> Route:
    option = data.option(outcome.option) if outcome.option else None
    return Route(
        id=outcome.id,
        title=outcome.title,
        why=" ".join(outcome.why.split()),
        do_now=tuple(" ".join(step.split()) for step in outcome.do_now),
        contacts=outcome.contacts,
        option=outcome.option,
        emergency=outcome.emergency,
        procedure=option.procedure if option else None,
    )


def route_for(data: Data, answers: Mapping[str, str]) -> Route | None:
    """The route for a complete set of answers, or None while questions remain."""
    if data.chooser is None:
        return None
    outcome = walk(data.chooser, answers).outcome
    return route(data, outcome) if outcome else None


def paths(tree: Chooser) -> list[tuple[tuple[str, str], ...]]:
    """Every path from the first question to an outcome, as (question id, answer) pairs."""
    questions = {q.id: q for q in tree.questions}
    found: list[tuple[tuple[str, str], ...]] = []

    def follow(question: Question, trail: tuple[tuple[str, str], ...]) -> None:
        for answer in question.answers:
            step = trail + ((question.id, answer.label),)
            if answer.next in questions:
                follow(questions[answer.next], step)
            else:
                found.append(step)

    follow(questions[tree.start], ())
    return found
