"""The option chooser drawn as a picture: every question, answer and route is in it, in
words a screen reader gets too, and the boxes and arrows are laid out without overlap."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from dataclasses import replace
from datetime import date
from itertools import combinations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import FIXTURE_DATA
from escalation.model import Answer, Chooser, Data, Outcome, Question
from escalation_build.sources import load_data_dir
from escalation_build.tree import chooser_svg

DATA, _ = load_data_dir(FIXTURE_DATA, today=date(2026, 11, 2))
SVG = "{http://www.w3.org/2000/svg}"


def parse(svg: str) -> ET.Element:
    return ET.fromstring(svg)


def words(root: ET.Element) -> str:
    """All the drawn text, as one whitespace-normalised string."""
    return " ".join(" ".join(el.text or "" for el in root.iter(f"{SVG}text")).split())


def normal(text: str) -> str:
    return " ".join(text.split())


def rects(root: ET.Element, kind: str) -> list[tuple[float, float, float, float]]:
    return [tuple(float(r.get(a)) for a in ("x", "y", "width", "height"))
            for r in root.iter(f"{SVG}rect") if r.get("class") == kind]


def node_boxes(root: ET.Element) -> dict[str, tuple[float, float, float, float]]:
    found = {}
    for group in root.iter(f"{SVG}g"):
        if group.get("data-node"):
            box = next(r for r in group.iter(f"{SVG}rect") if r.get("class") == "box")
            found[group.get("data-node")] = tuple(float(box.get(a)) for a in ("x", "y", "width", "height"))
    return found


def overlap(a, b) -> bool:
    ax, ay, aw, ah = a
    bx, by, bw, bh = b
    return ax < bx + bw and bx < ax + aw and ay < by + bh and by < ay + ah


def assert_nothing_overlaps(root: ET.Element) -> None:
    everything = rects(root, "box") + rects(root, "label")
    clashes = [(a, b) for a, b in combinations(everything, 2) if overlap(a, b)]
    assert not clashes


def arrows(root: ET.Element) -> list[tuple[str, str, list[tuple[float, float]]]]:
    found = []
    for group in root.iter(f"{SVG}g"):
        if group.get("class") == "answer":
            line = group.find(f"{SVG}polyline")
            points = [tuple(map(float, p.split(","))) for p in line.get("points").split()]
            found.append((group.get("data-from"), group.get("data-to"), points))
    return found


def assert_every_arrow_goes_down(root: ET.Element) -> None:
    boxes = node_boxes(root)
    for source, target, points in arrows(root):
        ys = [y for _, y in points]
        assert ys == sorted(ys), (source, target, points)
        sx, sy, sw, sh = boxes[source]
        tx, ty, tw, th = boxes[target]
        assert points[0][1] == pytest.approx(sy + sh) and sx <= points[0][0] <= sx + sw
        assert points[-1][1] == pytest.approx(ty) and tx <= points[-1][0] <= tx + tw
        assert ty > sy + sh


def with_chooser(data: Data, tree: Chooser) -> Data:
    return replace(data, chooser=tree)


def bigger_tree() -> Chooser:
    """Fifteen questions; answers that skip layers; routes reached from several questions."""
    outcomes = [Outcome(id="emergency", title="Protect the child now", why="Now.",
                        do_now=("Ring.",), emergency=True)]
    outcomes += [Outcome(id=f"route-{n}", title=f"Route number {n} for a longer title",
                         why="Because.", do_now=("Do it.",)) for n in range(1, 6)]

    def to(n: int, fallback: int) -> str:
        return f"q{n}" if n <= 15 else f"route-{fallback % 5 + 1}"

    questions = []
    for i in range(1, 16):
        answers = [Answer(label="Yes, and that is the case for the child", next=to(2 * i, i)),
                   Answer(label="No", next=to(2 * i + 1, i + 1))]
        if i % 3 == 0:
            answers.append(Answer(label="Something else happened that needs a long answer",
                                  next=to(i + 5, i + 2)))
        if i == 1:
            answers.append(Answer(label="A child is at immediate risk", next="emergency"))
        questions.append(Question(id=f"q{i}", text=f"Question text number {i}, asked of the "
                                  "practitioner in a full sentence?", answers=tuple(answers),
                                  hint="A hint." if i % 2 else None))
    return Chooser(start="q1", questions=tuple(questions), outcomes=tuple(outcomes))


@st.composite
def choosers(draw) -> Chooser:
    """Any tree the check accepts: no loops, every question reached, answers forward only."""
    size = draw(st.integers(1, 15))
    routes = [f"route-{n}" for n in range(draw(st.integers(1, 6)))]
    forced: dict[int, list[str]] = {}
    for j in range(1, size):  # someone earlier must lead to question j
        forced.setdefault(draw(st.integers(0, j - 1)), []).append(f"q{j}")
    questions = []
    for i in range(size):
        later = [f"q{j}" for j in range(i + 1, size)] + routes
        extra = draw(st.lists(st.sampled_from(later), min_size=max(0, 2 - len(forced.get(i, []))),
                              max_size=3))
        labels = draw(st.lists(st.text("abcdefghij ", min_size=1, max_size=60),
                               min_size=len(forced.get(i, [])) + len(extra),
                               max_size=len(forced.get(i, [])) + len(extra)))
        targets = forced.get(i, []) + extra
        answers = tuple(Answer(label=f"{n}. {label}", next=target)
                        for n, (label, target) in enumerate(zip(labels, targets, strict=True)))
        questions.append(Question(id=f"q{i}", text=f"Question {i} " + "word " * draw(st.integers(0, 30)),
                                  answers=answers))
    outcomes = tuple(Outcome(id=r, title=f"Title of {r}", why=".", do_now=(".",),
                             emergency=r == "route-0") for r in routes)
    return Chooser(start="q0", questions=tuple(questions), outcomes=outcomes)


def test_the_drawing_is_well_formed_and_labelled_for_assistive_technology():
    root = parse(chooser_svg(DATA))
    assert root.tag == f"{SVG}svg"
    assert root.get("role") == "img"
    assert root.get("aria-labelledby") == "chooser-title chooser-desc"
    assert root.find(f"{SVG}title").get("id") == "chooser-title"
    assert root.find(f"{SVG}title").text == "Option chooser decision tree"
    assert root.find(f"{SVG}desc").get("id") == "chooser-desc"
    assert root.get("width") == "100%"
    assert len(root.get("viewBox").split()) == 4


def test_the_id_prefix_keeps_two_drawings_on_one_page_apart():
    root = parse(chooser_svg(DATA, id_prefix="poster"))
    assert root.get("aria-labelledby") == "poster-title poster-desc"
    assert {el.get("id") for el in root.iter() if el.get("id")} == {
        "poster-title", "poster-desc", "poster-arrow"}
    assert all(line.get("marker-end") == "url(#poster-arrow)" for line in root.iter(f"{SVG}polyline"))


def test_the_drawing_uses_no_styles_the_csp_would_block():
    svg = chooser_svg(DATA)
    root = parse(svg)
    assert root.find(f".//{SVG}style") is None
    assert not [el for el in root.iter() if el.get("style") is not None]
    assert "sans-serif" in root.get("font-family")


def test_every_question_answer_and_route_is_drawn():
    drawn = words(parse(chooser_svg(DATA)))
    tree = DATA.chooser
    for question in tree.questions:
        assert normal(question.text) in drawn
        for answer in question.answers:
            assert normal(answer.label) in drawn
    for outcome in tree.outcomes:
        assert normal(outcome.title) in drawn


def test_the_description_tells_the_whole_tree_in_words():
    desc = normal(parse(chooser_svg(DATA)).find(f"{SVG}desc").text)
    assert desc.startswith("Option chooser decision tree, read from the top. It starts at question 1.")
    assert ("Question 1: Is a child in immediate danger, or at imminent risk of harm, right now? "
            "Hint: If you are not sure, answer yes. If you believe a child is at risk of harm but it "
            "is not imminent, answer no: the next questions ask about that risk. "
            "Answer “Yes” leads to the route “Protect the child now”, the emergency route. "
            "Answer “No” leads to question 2.") in desc
    assert ("Answer “Yes” leads to the route “Start the FaST resolution process” (option 4).") in desc
    for question in DATA.chooser.questions:
        assert normal(question.text) in desc


def test_routes_are_told_apart_by_shape_and_words_not_colour():
    root = parse(chooser_svg(DATA))
    groups = {g.get("data-node"): g for g in root.iter(f"{SVG}g") if g.get("data-node")}
    emergency = " ".join(t.text for t in groups["emergency"].iter(f"{SVG}text"))
    fast = " ".join(t.text for t in groups["fast"].iter(f"{SVG}text"))
    assert emergency.startswith("Emergency route:")
    assert fast.startswith("Route:") and fast.endswith("Option 4")
    assert groups["fast"].get("class") == "outcome" and groups["concern"].get("class") == "question"
    assert next(groups["fast"].iter(f"{SVG}rect")).get("rx")
    assert not next(groups["concern"].iter(f"{SVG}rect")).get("rx")


def test_boxes_and_answer_labels_do_not_overlap():
    assert_nothing_overlaps(parse(chooser_svg(DATA)))


def test_every_arrow_goes_down_from_its_question_to_where_the_answer_leads():
    root = parse(chooser_svg(DATA))
    drawn = {(source, target) for source, target, _ in arrows(root)}
    expected = {(q.id, a.next) for q in DATA.chooser.questions for a in q.answers}
    assert drawn == expected
    assert_every_arrow_goes_down(root)


def test_the_same_data_draws_the_same_bytes():
    assert chooser_svg(DATA) == chooser_svg(DATA)


def test_a_question_added_between_an_answer_and_its_route_is_drawn_and_described():
    tree = DATA.chooser
    concern = next(q for q in tree.questions if q.id == "concern")
    family = next(a for a in concern.answers if a.next == "complaint")
    new = Question(id="family-consent", text="Has the family agreed that you may help them complain?",
                   answers=(Answer(label="Yes", next="complaint"),
                            Answer(label="No, they would rather not", next="referral")))
    answers = tuple(replace(a, next="family-consent") if a is family else a for a in concern.answers)
    questions = tuple(replace(q, answers=answers) if q is concern else q for q in tree.questions)
    changed = with_chooser(DATA, replace(tree, questions=questions + (new,)))

    svg = chooser_svg(changed)
    root = parse(svg)
    assert svg != chooser_svg(DATA)
    assert normal(new.text) in words(root)
    assert normal(new.text) in root.find(f"{SVG}desc").text
    assert "No, they would rather not" in words(root)
    assert ("family-consent", "referral") in {(s, t) for s, t, _ in arrows(root)}
    assert_nothing_overlaps(root)
    assert_every_arrow_goes_down(root)


def test_text_from_the_data_is_escaped():
    tree = DATA.chooser
    start = next(q for q in tree.questions if q.id == tree.start)
    risky = replace(start, text='Is <b>a child</b> at "risk" & in danger?')
    changed = with_chooser(DATA, replace(tree, questions=tuple(
        risky if q is start else q for q in tree.questions)))
    root = parse(chooser_svg(changed))
    assert 'Is <b>a child</b> at "risk" & in danger?' in words(root)
    assert root.find(f".//{SVG}b") is None


def test_a_bigger_tree_is_drawn_without_overlap_and_with_every_arrow_down():
    tree = bigger_tree()
    svg = chooser_svg(with_chooser(DATA, tree))
    root = parse(svg)
    drawn = words(root)
    assert all(normal(q.text) in drawn for q in tree.questions)
    assert all(o.title in drawn for o in tree.outcomes)
    assert len(arrows(root)) == sum(len(q.answers) for q in tree.questions)
    assert_nothing_overlaps(root)
    assert_every_arrow_goes_down(root)
    assert svg == chooser_svg(with_chooser(DATA, bigger_tree()))


@settings(max_examples=40, deadline=None)
@given(choosers())
def test_any_valid_tree_is_drawn_without_overlap_and_with_every_arrow_down(tree):
    root = parse(chooser_svg(with_chooser(DATA, tree)))
    drawn = words(root)
    assert all(normal(q.text) in drawn for q in tree.questions)
    assert len(arrows(root)) == sum(len(q.answers) for q in tree.questions)
    assert_nothing_overlaps(root)
    assert_every_arrow_goes_down(root)


def test_a_partnership_without_a_chooser_draws_nothing():
    assert chooser_svg(replace(DATA, chooser=None)) == ""
