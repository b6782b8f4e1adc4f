"""The option chooser's decision tree (chooser.yaml) drawn as an SVG, for admins and trainers.

A change to the tree can then be reviewed as a picture, and the picture's diff stays small
because the same data always gives the same bytes.

The layout is layered, top-down, in the manner of Sugiyama:

1. each question or outcome sits on the layer of its longest path from the first
   question, so every arrow points down;
2. every arrow becomes a chain through "ranks": the answer's label takes a slot of its
   own in the rank just below its question, and a bend point takes a slot in each rank
   the arrow passes, so labels and arrows never lie on a box or on each other's labels;
3. the slots of each rank are ordered by the barycentre of their neighbours, a few sweeps
   down and up, keeping the order with the fewest crossings;
4. each slot is then placed as near its neighbours as it can be without overlapping its
   rank's other slots (least squares under order, by pool-adjacent-violators).

Text is measured and wrapped by svg_text (shared with the poster). The SVG has no <style>
and no style attributes (the site's CSP is style-src 'self'); presentation attributes only.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from html import escape
from itertools import pairwise
from xml.sax.saxutils import quoteattr

from escalation.model import Chooser, Data, Outcome, Question
from escalation_build.svg_text import FONT, clean, text_width, wrap

TITLE = "Option chooser decision tree"

MARGIN = 16.0
RANK_GAP = 22.0  # least vertical room between ranks, where arrows may slant
STEEPNESS = 0.15  # more room where an arrow travels far sideways, so it does not lie flat
SLOT_GAP = 24.0  # horizontal room between neighbours in a rank
PAD = 10.0  # inside a box, around its text
LABEL_PAD = 4.0
QUESTION_WIDTH = 250.0  # widest line of a question or outcome, before wrapping
LABEL_WIDTH = 150.0  # widest line of an answer's label
TEXT, SMALL = 14.0, 12.0

Key = tuple  # ("node", id) | ("label", question id, answer index) | ("bend", q id, index, rank)


@dataclass(frozen=True)
class Line:
    text: str
    size: float
    bold: bool = False
    italic: bool = False
    space_before: float = 0.0

    @property
    def height(self) -> float:
        return self.space_before + self.size * 1.3


@dataclass(frozen=True)
class Arrow:
    """One answer: from its question, through its label and bends, to where it leads."""

    question: str
    index: int
    label: str
    target: str
    keys: tuple[Key, ...]  # question, label, bends..., target


@dataclass(frozen=True)
class Placed:
    x: float  # centre
    y: float  # top
    width: float
    height: float

    @property
    def bottom(self) -> float:
        return self.y + self.height


# --- text -------------------------------------------------------------------------------

def sentence(text: str) -> str:
    text = clean(text)
    return text if text.endswith((".", "?", "!")) else text + "."


def lines_of(text: str, size: float, max_width: float, *, bold: bool = False,
             italic: bool = False, space_before: float = 0.0) -> list[Line]:
    wrapped = wrap(text, size, max_width, bold)
    return [Line(t, size, bold, italic, space_before if i == 0 else 0.0)
            for i, t in enumerate(wrapped)]


# --- the graph --------------------------------------------------------------------------


def node_layers(tree: Chooser) -> dict[str, int]:
    """Each node's layer: the length of its longest path from the first question."""
    questions = {q.id: q for q in tree.questions}
    finished: list[str] = []
    seen: set[str] = set()

    def visit(node: str) -> None:
        seen.add(node)
        for answer in questions[node].answers if node in questions else ():
            if answer.next not in seen:
                visit(answer.next)
        finished.append(node)

    visit(tree.start)
    layers = dict.fromkeys(finished, 0)
    for node in reversed(finished):  # a topological order, since the tree has no loops
        for answer in questions[node].answers if node in questions else ():
            layers[answer.next] = max(layers[answer.next], layers[node] + 1)
    return layers


def arrows(tree: Chooser, layers: Mapping[str, int]) -> list[Arrow]:
    """Every answer as a chain of slots; node layer L is rank 2L, its labels rank 2L + 1."""
    found = []
    for q in tree.questions:
        if q.id not in layers:
            continue
        for i, answer in enumerate(q.answers):
            first, last = 2 * layers[q.id] + 1, 2 * layers[answer.next]
            bends = tuple(("bend", q.id, i, r) for r in range(first + 1, last))
            keys = (("node", q.id), ("label", q.id, i), *bends, ("node", answer.next))
            found.append(Arrow(q.id, i, answer.label, answer.next, keys))
    return found


def rank_of(key: Key, layers: Mapping[str, int]) -> int:
    if key[0] == "node":
        return 2 * layers[key[1]]
    if key[0] == "label":
        return 2 * layers[key[1]] + 1
    return key[3]


def first_order(tree: Chooser, chains: Sequence[Arrow], layers: Mapping[str, int]) -> list[list[Key]]:
    """Slots in each rank in the order a depth-first walk of the answers meets them."""
    by_question: dict[str, list[Arrow]] = {}
    for arrow in chains:
        by_question.setdefault(arrow.question, []).append(arrow)
    ranks: list[list[Key]] = [[] for _ in range(2 * max(layers.values()) + 1)]
    placed: set[Key] = set()

    def place(key: Key) -> None:
        if key not in placed:
            placed.add(key)
            ranks[rank_of(key, layers)].append(key)

    def visit(node: str) -> None:
        place(("node", node))
        for arrow in by_question.get(node, ()):
            for key in arrow.keys[1:-1]:
                place(key)
            if ("node", arrow.target) not in placed:
                visit(arrow.target)

    visit(tree.start)
    return ranks


def neighbours(chains: Sequence[Arrow]) -> tuple[dict[Key, list[Key]], dict[Key, list[Key]]]:
    """Each slot's neighbours in the rank above and in the rank below."""
    up: dict[Key, list[Key]] = {}
    down: dict[Key, list[Key]] = {}
    for arrow in chains:
        for upper, lower in pairwise(arrow.keys):
            down.setdefault(upper, []).append(lower)
            up.setdefault(lower, []).append(upper)
    return up, down


# --- order within ranks -----------------------------------------------------------------


def crossings(ranks: Sequence[Sequence[Key]], down: Mapping[Key, list[Key]]) -> int:
    total = 0
    for upper, lower in pairwise(ranks):
        at = {key: i for i, key in enumerate(lower)}
        links = [(i, at[d]) for i, key in enumerate(upper) for d in down.get(key, ())]
        total += sum(1 for n, (a, b) in enumerate(links) for c, d in links[n + 1:]
                     if (a - c) * (b - d) < 0)
    return total


def by_barycentre(rank: Sequence[Key], towards: Mapping[Key, list[Key]],
                  other: Sequence[Key]) -> list[Key]:
    at = {key: i for i, key in enumerate(other)}

    def weight(item: tuple[int, Key]) -> tuple[float, int]:
        i, key = item
        seen = [at[k] for k in towards.get(key, ())]
        return (sum(seen) / len(seen) if seen else float(i), i)

    return [key for _, key in sorted(enumerate(rank), key=weight)]


def ordered(ranks: list[list[Key]], up: Mapping[Key, list[Key]],
            down: Mapping[Key, list[Key]], sweeps: int = 4) -> list[list[Key]]:
    """Reorder the slots of each rank to reduce crossings; the best order seen wins."""
    best, fewest = [list(r) for r in ranks], crossings(ranks, down)
    current = [list(r) for r in ranks]
    for _ in range(sweeps):
        for r in range(1, len(current)):
            current[r] = by_barycentre(current[r], up, current[r - 1])
        for r in range(len(current) - 2, -1, -1):
            current[r] = by_barycentre(current[r], down, current[r + 1])
        count = crossings(current, down)
        if count < fewest:
            best, fewest = [list(r) for r in current], count
    return best


# --- positions --------------------------------------------------------------------------


def fit_in_order(wanted: Sequence[float], widths: Sequence[float], gap: float) -> list[float]:
    """Centres as near `wanted` as they can be (least squares) keeping order and gaps."""
    offsets = [0.0]
    for left, right in pairwise(widths):
        offsets.append(offsets[-1] + (left + right) / 2 + gap)
    blocks: list[list[float]] = []  # [sum, count] of pooled wishes, non-decreasing
    for wish, offset in zip(wanted, offsets, strict=True):
        blocks.append([wish - offset, 1.0])
        while len(blocks) > 1 and blocks[-2][0] / blocks[-2][1] > blocks[-1][0] / blocks[-1][1]:
            total, count = blocks.pop()
            blocks[-1][0] += total
            blocks[-1][1] += count
    shifted = [total / count for total, count in blocks for _ in range(int(count))]
    return [s + offset for s, offset in zip(shifted, offsets, strict=True)]


def centres(ranks: Sequence[Sequence[Key]], widths: Mapping[Key, float],
            up: Mapping[Key, list[Key]], down: Mapping[Key, list[Key]],
            rounds: int = 12) -> dict[Key, float]:
    """Each slot's horizontal centre: pulled towards its neighbours, never overlapping."""
    x: dict[Key, float] = {}
    for rank in ranks:
        x.update(zip(rank, fit_in_order([0.0] * len(rank), [widths[k] for k in rank], SLOT_GAP),
                     strict=True))

    def settle(rank: Sequence[Key], towards: Sequence[Mapping[Key, list[Key]]]) -> None:
        wanted = []
        for key in rank:
            near = [x[k] for side in towards for k in side.get(key, ())]
            wanted.append(sum(near) / len(near) if near else x[key])
        x.update(zip(rank, fit_in_order(wanted, [widths[k] for k in rank], SLOT_GAP), strict=True))

    for _ in range(rounds):
        for rank in ranks[1:]:
            settle(rank, [up])
        for rank in reversed(ranks[:-1]):
            settle(rank, [down])
    for rank in ranks:
        settle(rank, [up, down])
    return x


def rank_gaps(ranks: Sequence[Sequence[Key]], x: Mapping[Key, float],
              down: Mapping[Key, list[Key]]) -> list[float]:
    """The room below each rank: enough for its steepest-needed arrow to stay readable."""
    gaps = []
    for rank in ranks:
        travel = max((abs(x[k] - x[d]) for k in rank for d in down.get(k, ())), default=0.0)
        gaps.append(min(max(RANK_GAP, travel * STEEPNESS), 3 * RANK_GAP))
    return gaps


# --- boxes and their words --------------------------------------------------------------


def option_number(data: Data, outcome: Outcome) -> int | None:
    if not outcome.option:
        return None
    try:
        return data.option(outcome.option).number
    except KeyError:
        return None


def question_lines(question: Question, number: int) -> list[Line]:
    lines = [Line(f"Question {number}", SMALL, bold=True)]
    lines += lines_of(question.text, TEXT, QUESTION_WIDTH, space_before=2)
    if question.hint:
        lines += lines_of(question.hint, SMALL, QUESTION_WIDTH, italic=True, space_before=4)
    return lines


def outcome_lines(outcome: Outcome, option: int | None) -> list[Line]:
    lines = [Line("Emergency route:" if outcome.emergency else "Route:", SMALL, bold=True)]
    lines += lines_of(outcome.title, TEXT, QUESTION_WIDTH, bold=True, space_before=2)
    if option is not None:
        lines.append(Line(f"Option {option}", SMALL, space_before=2))
    return lines


def box_size(lines: Sequence[Line], pad: float, least: float = 0.0) -> tuple[float, float]:
    width = max(text_width(line.text, line.size, line.bold) for line in lines)
    return max(width + 2 * pad, least), sum(line.height for line in lines) + 2 * pad


def reading_order(ranks: Sequence[Sequence[Key]], tree: Chooser) -> dict[str, int]:
    """Questions numbered as the picture reads: top to bottom, left to right."""
    questions = {q.id for q in tree.questions}
    found = [key[1] for rank in ranks for key in rank if key[0] == "node" and key[1] in questions]
    return {qid: n for n, qid in enumerate(found, start=1)}


def describe(data: Data, tree: Chooser, numbers: Mapping[str, int]) -> str:
    """The whole tree in words, for the SVG's <desc>: every question, answer and route."""
    questions = {q.id: q for q in tree.questions}
    outcomes = {o.id: o for o in tree.outcomes}

    def leads_to(target: str) -> str:
        if target in questions:
            return f"question {numbers[target]}"
        outcome = outcomes[target]
        option = option_number(data, outcome)
        return (f"the route \u201c{clean(outcome.title)}\u201d"
                + (f" (option {option})" if option is not None else "")
                + (", the emergency route" if outcome.emergency else ""))

    parts = [f"{TITLE}, read from the top. It starts at question 1."]
    for qid in sorted(numbers, key=lambda node: numbers[node]):
        q = questions[qid]
        parts.append(f"Question {numbers[qid]}: {sentence(q.text)}")
        if q.hint:
            parts.append(f"Hint: {sentence(q.hint)}")
        parts += [f"Answer \u201c{clean(a.label)}\u201d leads to {leads_to(a.next)}."
                  for a in q.answers]
    return " ".join(parts)


# --- the whole layout -------------------------------------------------------------------


@dataclass(frozen=True)
class Layout:
    """Where everything goes: every slot's box, every rank's band, every box's words."""

    layers: Mapping[str, int]
    chains: tuple[Arrow, ...]
    numbers: Mapping[str, int]  # question id -> its number in reading order
    boxes: Mapping[Key, Placed]
    lines: Mapping[Key, list[Line]]
    rank_box: tuple[tuple[float, float], ...]  # each rank's top and bottom
    width: float
    height: float


def lay_out(data: Data, tree: Chooser) -> Layout:
    layers = node_layers(tree)
    chains = arrows(tree, layers)
    up, down = neighbours(chains)
    ranks = ordered(first_order(tree, chains, layers), up, down)
    numbers = reading_order(ranks, tree)
    questions = {q.id: q for q in tree.questions}
    outcomes = {o.id: o for o in tree.outcomes}

    lines: dict[Key, list[Line]] = {}
    sizes: dict[Key, tuple[float, float]] = {}
    for arrow in chains:
        key = arrow.keys[1]
        lines[key] = lines_of(arrow.label, SMALL, LABEL_WIDTH)
        sizes[key] = box_size(lines[key], LABEL_PAD)
        sizes.update({k: (0.0, 0.0) for k in arrow.keys[2:-1]})
    for node in layers:
        key = ("node", node)
        lines[key] = (question_lines(questions[node], numbers[node]) if node in questions
                      else outcome_lines(outcomes[node], option_number(data, outcomes[node])))
        sizes[key] = box_size(lines[key], PAD, least=140.0)

    x = centres(ranks, {k: w for k, (w, _) in sizes.items()}, up, down)
    left = min(x[k] - sizes[k][0] / 2 for rank in ranks for k in rank)
    right = max(x[k] + sizes[k][0] / 2 for rank in ranks for k in rank)
    rank_box: list[tuple[float, float]] = []
    top = MARGIN
    for rank, gap in zip(ranks, rank_gaps(ranks, x, down), strict=True):
        height = max(sizes[k][1] for k in rank)
        rank_box.append((top, top + height))
        top += height + gap
    boxes = {k: Placed(x[k] - left + MARGIN,
                       rank_box[r][0] + (rank_box[r][1] - rank_box[r][0] - sizes[k][1]) / 2,
                       *sizes[k])
             for r, rank in enumerate(ranks) for k in rank}
    return Layout(layers, tuple(chains), numbers, boxes, lines, tuple(rank_box),
                  right - left + 2 * MARGIN, rank_box[-1][1] + MARGIN)


# --- drawing ----------------------------------------------------------------------------


def _n(value: float) -> str:
    """A coordinate, short and stable."""
    text = f"{value:.1f}"
    return text[:-2] if text.endswith(".0") else text


def draw_lines(lines: Sequence[Line], centre: float, top: float) -> list[str]:
    out, y = [], top
    for line in lines:
        y += line.space_before
        attrs = f' font-size="{_n(line.size)}"'
        attrs += ' font-weight="bold"' if line.bold else ""
        attrs += ' font-style="italic"' if line.italic else ""
        out.append(f'<text x="{_n(centre)}" y="{_n(y + line.size)}"{attrs}>{escape(line.text)}</text>')
        y += line.size * 1.3
    return out


def spread(count: int, index: int, box: Placed) -> float:
    """The index-th of `count` points spread along the middle of a box's edge."""
    inner = box.width * 0.6
    return box.x - inner / 2 + inner * (index + 1) / (count + 1)


def route_points(arrow: Arrow, layout: Layout, start_x: float,
                 end_x: float) -> list[tuple[float, float]]:
    """Down from the question, straight through each rank it crosses, into the target's top.

    Arrows slant only in the gaps between ranks, which hold nothing else, so an arrow
    never runs across a box or a label.
    """
    boxes, bands = layout.boxes, layout.rank_box
    source, target = boxes[arrow.keys[0]], boxes[arrow.keys[-1]]
    points = [(start_x, source.bottom), (start_x, bands[rank_of(arrow.keys[0], layout.layers)][1])]
    for key in arrow.keys[1:-1]:
        top, bottom = bands[rank_of(key, layout.layers)]
        points += [(boxes[key].x, top), (boxes[key].x, bottom)]
    points += [(end_x, bands[rank_of(arrow.keys[-1], layout.layers)][0]), (end_x, target.y)]
    return [p for i, p in enumerate(points) if i == 0 or p != points[i - 1]]


def ports(chains: Sequence[Arrow], boxes: Mapping[Key, Placed]) -> dict[tuple[str, int], tuple[float, float]]:
    """Where each arrow leaves its question and enters its target, in left-to-right order."""
    leaving: dict[Key, list[Arrow]] = {}
    entering: dict[Key, list[Arrow]] = {}
    for arrow in chains:
        leaving.setdefault(arrow.keys[0], []).append(arrow)
        entering.setdefault(arrow.keys[-1], []).append(arrow)
    starts, ends = {}, {}
    for key, group in leaving.items():
        group = sorted(group, key=lambda a: (boxes[a.keys[1]].x, a.index))
        for i, arrow in enumerate(group):
            starts[(arrow.question, arrow.index)] = spread(len(group), i, boxes[key])
    for key, group in entering.items():
        group = sorted(group, key=lambda a: (boxes[a.keys[-2]].x, a.question, a.index))
        for i, arrow in enumerate(group):
            ends[(arrow.question, arrow.index)] = spread(len(group), i, boxes[key])
    return {k: (starts[k], ends[k]) for k in starts}


def chooser_svg(data: Data, *, id_prefix: str = "chooser", natural_size: bool = False) -> str:
    """The chooser's decision tree as an SVG document; "" when the data has no chooser.
    It scales to the width of its container, or with `natural_size` is drawn at its own
    size (for a region that scrolls)."""
    tree = data.chooser
    if tree is None:
        return ""
    layout = lay_out(data, tree)
    width, height, p = _n(layout.width), _n(layout.height), escape(id_prefix)
    size = f'width="{width}" height="{height}"' if natural_size else 'width="100%"'
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" '
        f'{size} role="img" aria-labelledby="{p}-title {p}-desc" '
        f'font-family={quoteattr(FONT)} text-anchor="middle" fill="#000">',
        f'<title id="{p}-title">{TITLE}</title>',
        f'<desc id="{p}-desc">{escape(describe(data, tree, layout.numbers))}</desc>',
        f'<defs><marker id="{p}-arrow" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="7" '
        f'markerHeight="7" orient="auto"><path d="M0,0 L10,5 L0,10 z" fill="#000"/></marker></defs>',
        # A white ground, so that black lines stay legible on the site's dark scheme too.
        f'<rect x="0" y="0" width="{width}" height="{height}" fill="#fff"/>',
        *draw_arrows(layout, p),
        *draw_nodes(tree, layout),
        "</svg>",
    ]
    return "\n".join(out) + "\n"


def draw_arrows(layout: Layout, p: str) -> list[str]:
    out = []
    at = ports(layout.chains, layout.boxes)
    for arrow in layout.chains:
        start_x, end_x = at[(arrow.question, arrow.index)]
        points = route_points(arrow, layout, start_x, end_x)
        label = layout.boxes[arrow.keys[1]]
        out += [
            f'<g class="answer" data-from="{escape(arrow.question)}" data-to="{escape(arrow.target)}">',
            f'<polyline points="{" ".join(f"{_n(px)},{_n(py)}" for px, py in points)}" fill="none" '
            f'stroke="#000" stroke-width="1.5" marker-end="url(#{p}-arrow)"/>',
            f'<rect class="label" x="{_n(label.x - label.width / 2)}" y="{_n(label.y)}" '
            f'width="{_n(label.width)}" height="{_n(label.height)}" fill="#fff"/>',
            *draw_lines(layout.lines[arrow.keys[1]], label.x, label.y + LABEL_PAD),
            "</g>",
        ]
    return out


def draw_nodes(tree: Chooser, layout: Layout) -> list[str]:
    questions = {q.id for q in tree.questions}
    emergency = {o.id for o in tree.outcomes if o.emergency}
    out = []
    for key, box in sorted(((k, b) for k, b in layout.boxes.items() if k[0] == "node"),
                           key=lambda kb: (kb[1].y, kb[1].x)):
        node, left = key[1], box.x - box.width / 2
        frame = f'x="{_n(left)}" y="{_n(box.y)}" width="{_n(box.width)}" height="{_n(box.height)}"'
        if node in questions:
            out += [f'<g class="question" data-node="{escape(node)}">',
                    f'<rect class="box" {frame} fill="#fff" stroke="#000" stroke-width="1.5"/>']
        else:
            out += [f'<g class="outcome" data-node="{escape(node)}">',
                    f'<rect class="box" {frame} rx="14" fill="#fff" stroke="#000" stroke-width="3.5"/>']
            if node in emergency:  # a double border, besides the words
                out.append(f'<rect x="{_n(left + 5)}" y="{_n(box.y + 5)}" width="{_n(box.width - 10)}" '
                           f'height="{_n(box.height - 10)}" rx="10" fill="none" stroke="#000" '
                           f'stroke-width="1"/>')
        out += draw_lines(layout.lines[key], box.x, box.y + PAD)
        out.append("</g>")
    return out
