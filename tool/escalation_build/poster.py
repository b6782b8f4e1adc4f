"""A procedure as a flowchart poster: one SVG, drawn from the data alone.

The SVG is embedded inline in a page and printed on one A4 portrait page (or scaled up
to A3), so it uses real text in a system sans-serif font, black on white, and carries
its meaning in words, borders and arrows, never in colour. It is styled by presentation
attributes only: the site's Content-Security-Policy (style-src 'self') blocks <style>
elements and style="" attributes.

Text is wrapped by svg_text (shared with the chooser tree), the same on every build, and
each box grows to fit its text. When the stages do not fit the A4 height the poster tries
tighter spacing and smaller, still legible, type; only past the smallest does it grow
taller than A4 (the page then scales it down to print), so nothing is ever cut off.

The poster is first put into words (`poster_content`), then drawn (`flowchart_svg`):
the same words make the SVG's text and its description for screen readers.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from typing import Literal
from xml.sax.saxutils import escape, quoteattr

from escalation import timeline, wording
from escalation.model import Data, Procedure, Stage, Timescale
from escalation_build.svg_text import FONT, wrap

# A4 portrait at 96 user units to the inch (210 x 297 mm).
WIDTH = 794
HEIGHT = 1123
MARGIN = 32
LIGHT_GREY = "#efefef"
_ID_PREFIX = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_-]*$")  # ids of the data (check_id) fit

BoxKind = Literal["emergency", "start", "stage"]


# --- the poster in words ----------------------------------------------------------------


@dataclass(frozen=True)
class Line:
    """One statement in a box: an optional bold label ('Who') and its text."""

    label: str | None
    text: str


@dataclass(frozen=True)
class Box:
    kind: BoxKind
    heading: str
    lines: tuple[Line, ...]
    arrow_in: str | None = None  # words beside the arrow that leads into the box


@dataclass(frozen=True)
class Poster:
    title: str
    subtitle: str
    boxes: tuple[Box, ...]
    notes: tuple[Line, ...]


def _words(text: str) -> str:
    return " ".join(text.split())


def addressed(data: Data, contact_id: str) -> str:
    """'name, email', or the name alone when the contact has no address."""
    return wording.named_address(wording.reach(data, contact_id))


def emergency_box(data: Data) -> Box:
    # Some procedures give no front-door or out-of-hours number; their note says what
    # to do instead.
    lines = wording.emergency_labelled(wording.emergency_lines(data))
    return Box(
        kind="emergency",
        heading="Child at immediate risk, or worried about harm? Make a referral first:",
        lines=tuple(Line(label, said) for label, said in lines),
    )


def start_box(data: Data, procedure: Procedure) -> Box:
    uses = tuple(
        Line("Use it", _words(option.summary))
        for option in (data.options.options if data.options else ())
        if option.procedure == procedure.id
    )
    return Box(
        kind="start",
        heading=f"Start: {procedure.start_event}",
        lines=uses,
        arrow_in="No immediate risk, but you disagree with another agency's decision",
    )


_FIRST_SENTENCE = re.compile(r"^(.+?[.!?])(?:\s|$)")


def first_sentence(text: str) -> str:
    """What happens at a stage, in brief: the first sentence of its description."""
    words = _words(text)
    match = _FIRST_SENTENCE.match(words)
    return match.group(1) if match else words


def stage_box(data: Data, procedure: Procedure, stage: Stage) -> Box:
    lines = [Line("What", first_sentence(stage.what)), Line("Who", _words(stage.who))]
    if stage.timescale is not None or not stage.steps:
        lines.append(Line("When", _words(wording.when(procedure, stage))))
    # Each step with its own clock, and the branch it is on ("If agreed").
    lines += [Line(_words(wording.step_title(step)),
                   _words(wording.step_when(procedure, stage, step)))
              for step in stage.steps]
    if stage.copy_to:
        # The address alone: the same copy goes at every stage, and a name as well
        # would take a second line in every box.
        lines.append(Line("Copy in", "; ".join(data.email_of(c) or data.contact(c).name
                                              for c in stage.copy_to)))
    form = data.form
    if form and form.procedure == procedure.id and form.stage == stage.number:
        lines.append(Line("Form", f"{form.title} ({form.reference})"))
    if stage.contact:
        lines.append(Line("Send to", addressed(data, stage.contact)))
    lines += [Line("Also", task) for task in wording.stage_tasks(data, procedure, stage)]
    return Box(
        kind="stage",
        heading=f"{wording.rung(procedure, stage.number)}: {_words(stage.name)}",
        lines=tuple(lines),
        arrow_in=None if stage == procedure.stages[0] else _words(stage.when or "Not resolved"),
    )


def footer_notes(data: Data, procedure: Procedure) -> tuple[Line, ...]:
    notes = []
    drift = procedure.drift
    if drift:
        notes.append(Line("Start again", wording.drift_rule(procedure, drift)))
    notes += [Line(None, task) for task in wording.every_stage_tasks(data, procedure)]
    for limit in procedure.limits:
        notes.append(Line("Limit", wording.limit_rule(procedure, limit)))
    if procedure.indicative:
        notes.append(Line("Timescales", "indicative: the procedure's timescales are a guide."))
    units = {unit for t in _timescales(procedure) for unit in timeline.units(t)} | {
        limit.unit for limit in procedure.limits}
    if "working days" in units:
        notes.append(Line(None, wording.working_days(data.partnership)))
    if "calendar days" in units:
        notes.append(Line("Days", "every day counts, weekends and bank holidays too."))
    if "hours" in units:
        notes.append(Line("Hours", "counted round the clock."))
    if units & {"working days", "calendar days"}:
        notes.append(Line(None, wording.NOT_COUNTED))
    return tuple(notes)


def _timescales(procedure: Procedure) -> list[Timescale]:
    found = []
    for stage in procedure.stages:
        found += [stage.timescale] if stage.timescale else []
        found += [step.timescale for step in stage.steps if step.timescale]
    return found


def poster_content(data: Data, procedure: Procedure) -> Poster:
    return Poster(
        title=procedure.name,
        subtitle=data.partnership.name,
        boxes=(emergency_box(data), start_box(data, procedure))
        + tuple(stage_box(data, procedure, stage) for stage in procedure.stages),
        notes=footer_notes(data, procedure),
    )


def _sentence(line: Line) -> str:
    text = f"{line.label}: {line.text}" if line.label else line.text
    return text if text.endswith((".", "?", "!", ":")) else text + "."


# Words an arrow's label may already open its condition with ("If step 1 does not resolve
# it", "After a third referral"): the description then adds no "if" of its own.
_CONDITION_WORDS = ("if", "when", "after", "once", "unless", "where", "should", "until")


def description(poster: Poster) -> str:
    """The whole flowchart in words, box by box, for the SVG's <desc>."""
    parts = [f"Flowchart of the {poster.title}, {poster.subtitle}."]
    for box in poster.boxes:
        if box.arrow_in:
            words = box.arrow_in[0].lower() + box.arrow_in[1:]
            opens = words.split(" ", 1)[0].rstrip(",") in _CONDITION_WORDS
            parts.append(f"Then, {'' if opens else 'if '}{words}:")
        parts.append(_sentence(Line(None, box.heading)))
        parts.extend(_sentence(line) for line in box.lines)
    parts.extend(_sentence(line) for line in poster.notes)
    return " ".join(parts)


# --- the poster drawn ------------------------------------------------------------------


@dataclass(frozen=True)
class Metrics:
    """Type sizes and spacing, in user units; the presets run from roomy to tight."""

    title: float
    subtitle: float
    heading: float
    body: float
    leading: float  # line height as a multiple of the font size
    padding: float  # inside a box
    gap: float  # the arrow between two boxes


PRESETS = (
    Metrics(title=32, subtitle=18, heading=17, body=16, leading=1.25, padding=9, gap=28),
    Metrics(title=30, subtitle=17, heading=16, body=15, leading=1.22, padding=8, gap=24),
    Metrics(title=28, subtitle=16, heading=15, body=14, leading=1.2, padding=7, gap=22),
    Metrics(title=26, subtitle=15, heading=14, body=13, leading=1.18, padding=6, gap=20),
)


def _text(x: float, y: float, size: float, content: str, *, bold: bool = False,
          middle: bool = False) -> str:
    attrs = f'x="{x:g}" y="{y:g}" font-size="{size:g}"'
    if bold:
        attrs += ' font-weight="bold"'
    if middle:
        attrs += ' text-anchor="middle"'
    return f"<text {attrs}>{content}</text>"


def _line_texts(line: Line, x: float, y: float, size: float, width: float,
                leading: float) -> tuple[list[str], float]:
    """A labelled line, wrapped, label in bold; returns the elements and the next y."""
    whole = f"{line.label}: {line.text}" if line.label else line.text
    out = []
    for i, part in enumerate(wrap(whole, size, width)):
        y += size * leading
        content = escape(part)
        if i == 0 and line.label:
            rest = part[len(line.label) + 1:]
            content = f'<tspan font-weight="bold">{escape(line.label)}:</tspan>{escape(rest)}'
        out.append(_text(x, y - size * (leading - 1), size, content))
    return out, y


def _box(box: Box, top: float, m: Metrics) -> tuple[list[str], float]:
    """One box with its heading and lines; returns the elements and the box's bottom."""
    x, width = MARGIN, WIDTH - 2 * MARGIN
    inner = width - 2 * m.padding
    texts = []
    y = top + m.padding
    for part in wrap(box.heading, m.heading, inner, bold=True):
        y += m.heading * m.leading
        texts.append(_text(x + m.padding, y - m.heading * (m.leading - 1), m.heading,
                           escape(part), bold=True))
    rule_y = y + m.padding / 2
    if box.lines:
        y = rule_y + m.padding / 2
    for line in box.lines:
        drawn, y = _line_texts(line, x + m.padding, y, m.body, inner, m.leading)
        texts += drawn
    bottom = y + m.padding
    # The first step is set apart by a heavy border and a grey fill; the start by its
    # round ends; the stages by a rule under the heading. None of it relies on colour.
    frame = {
        "emergency": f'fill="{LIGHT_GREY}" stroke="#000" stroke-width="4" rx="4"',
        "start": f'fill="#fff" stroke="#000" stroke-width="2" rx="{min(24, (bottom - top) / 2):g}"',
        "stage": 'fill="#fff" stroke="#000" stroke-width="2" rx="6"',
    }[box.kind]
    shapes = [f'<rect x="{x:g}" y="{top:g}" width="{width:g}" height="{bottom - top:g}" {frame}/>']
    if box.kind == "stage" and box.lines:
        shapes.append(f'<line x1="{x:g}" y1="{rule_y:g}" x2="{x + width:g}" y2="{rule_y:g}" '
                      'stroke="#000" stroke-width="1"/>')
    return shapes + texts, bottom


def _arrow(label: str | None, top: float, m: Metrics) -> tuple[list[str], float]:
    """A downward arrow in the middle of the page, with its label to the right."""
    label_lines = wrap(label, m.body, WIDTH / 2 - MARGIN - 16) if label else []
    length = max(m.gap, len(label_lines) * m.body * m.leading + 6)
    centre, bottom, head = WIDTH / 2, top + length, 10
    out = [
        f'<line x1="{centre:g}" y1="{top:g}" x2="{centre:g}" y2="{bottom - head:g}" '
        'stroke="#000" stroke-width="2.5"/>',
        f'<polygon points="{centre - 7:g},{bottom - head:g} {centre + 7:g},{bottom - head:g} '
        f'{centre:g},{bottom:g}" fill="#000"/>',
    ]
    y = top + (length - len(label_lines) * m.body * m.leading) / 2
    for part in label_lines:
        y += m.body * m.leading
        out.append(_text(centre + 16, y - m.body * (m.leading - 1) - 2, m.body,
                         escape(part)))
    return out, bottom


def _layout(poster: Poster, m: Metrics) -> tuple[list[str], float]:
    """Every element of the poster, top to bottom; returns them and the bottom edge."""
    width = WIDTH - 2 * MARGIN
    out: list[str] = []
    y: float = MARGIN
    for part in wrap(poster.title, m.title, width, bold=True):
        y += m.title * 1.15
        out.append(_text(WIDTH / 2, y - m.title * 0.15, m.title, escape(part),
                         bold=True, middle=True))
    for part in wrap(poster.subtitle, m.subtitle, width):
        y += m.subtitle * m.leading
        out.append(_text(WIDTH / 2, y - m.subtitle * (m.leading - 1), m.subtitle,
                         escape(part), middle=True))
    y += m.gap / 2
    for i, box in enumerate(poster.boxes):
        if i:
            drawn, y = _arrow(box.arrow_in, y, m)
            out += drawn
        drawn, y = _box(box, y, m)
        out += drawn
    if poster.notes:
        y += m.gap / 2
        out.append(f'<line x1="{MARGIN:g}" y1="{y:g}" x2="{WIDTH - MARGIN:g}" y2="{y:g}" '
                   'stroke="#000" stroke-width="1"/>')
        y += m.body * 0.3
        for note in poster.notes:
            drawn, y = _line_texts(note, MARGIN, y, m.body, width, m.leading)
            out += drawn
    return out, y + MARGIN


def _fitted(poster: Poster) -> tuple[list[str], float]:
    """The roomiest layout that fits one A4 page, else the tightest, grown taller.

    Room left over lengthens the arrows (a little), rather than leaving it all at the foot.
    """
    for metrics in PRESETS:
        elements, bottom = _layout(poster, metrics)
        if bottom <= HEIGHT:
            # The gap is used once per arrow and twice as a half: each unit added to it
            # adds at most len(boxes) units to the height, so this still fits.
            more = min(metrics.gap, (HEIGHT - bottom) / len(poster.boxes))
            elements, _ = _layout(poster, replace(metrics, gap=metrics.gap + more))
            return elements, HEIGHT
    return elements, bottom


def flowchart_svg(data: Data, procedure_id: str | None = None, *,
                  id_prefix: str | None = None) -> str:
    """The procedure (the partnership's main one by default) as an SVG flowchart poster.

    `id_prefix` (default: the procedure's id) keeps the ids of the SVG's title and
    description unique when the poster appears more than once on a page.
    """
    procedure = data.procedure(procedure_id)
    prefix = id_prefix or procedure.id
    if not _ID_PREFIX.match(prefix):
        raise ValueError(f"id_prefix {prefix!r} may hold only letters, digits, - and _")
    poster = poster_content(data, procedure)
    elements, height = _fitted(poster)
    title_id, desc_id = f"{prefix}-title", f"{prefix}-desc"
    return "\n".join([
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {height:g}" '
        f'width="100%" role="img" aria-labelledby="{title_id} {desc_id}" '
        f'font-family={quoteattr(FONT)} fill="#000">',
        f'<title id="{title_id}">{escape(procedure.name)} flowchart</title>',
        f'<desc id="{desc_id}">{escape(description(poster))}</desc>',
        f'<rect x="0" y="0" width="{WIDTH}" height="{height:g}" fill="#fff"/>',
        *elements,
        "</svg>",
    ])
