"""Checks that span fields and files: ids, references, stages, the decision tree.

`load` is the one entry point: it reads every file, runs every check, and either
returns the model with any warnings or raises DataError listing every problem.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Collection, Iterator, Mapping
from datetime import date
from typing import Any

from . import model
from .documents import PLACEHOLDER
from .model import CHOSEN_AGENCY, Chooser, Contacts, Data, Procedures
from .problems import DataError, Problem
from .reading import NAMING_FIELDS, Path, Positions, line_of, read_file
from .wording import CONTACT_DETAIL, STAGE_TIMESCALE, fill_contact_details

Documents = Mapping[str, tuple[Any, Positions]]

STALE_AFTER_DAYS = 365
_ANY_DETAIL = re.compile(r"\{([A-Za-z0-9_-]+)\.([A-Za-z0-9_-]+)\}")


class _Report:
    def __init__(self, positions_by_file: Mapping[str, Positions]):
        self.positions_by_file = positions_by_file
        self.problems: list[Problem] = []

    def add(self, file: str, path: Path, field: str, message: str, severity="error"):
        line = line_of(self.positions_by_file.get(file, {}), path)
        self.problems.append(Problem(file, line, field, message, severity))


def load(documents: Documents, today: date | None = None,
         unreadable: Collection[str] = ()) -> tuple[Data, list[Problem]]:
    """Read and check a partnership's data. Returns (data, warnings); raises DataError.

    `unreadable` names files that are there but could not be read (their problems are
    reported where they were read), so that they are not also called missing."""
    problems: list[Problem] = []
    parts: dict[str, Any] = {}
    broken: set[str] = set()  # files with entries left out: their inner checks would mislead
    for file, cls in model.FILES.items():
        if file not in documents:
            if file in model.REQUIRED_FILES and file not in unreadable:
                problems.append(Problem(file, None, "(file)", "this file is missing"))
            continue
        value, positions = documents[file]
        obj, found = read_file(cls, value, file, positions)
        problems += found
        if obj is not None:
            parts[file] = obj
        if found:
            broken.add(file)

    report = _Report({file: positions for file, (_, positions) in documents.items()})
    _check(documents, parts, broken, report, today)
    problems += report.problems
    # A required file that could not be read was reported by its reader.
    if (any(p.severity == "error" for p in problems) or unreadable
            or any(f not in parts for f in model.REQUIRED_FILES)):
        raise DataError(problems)
    data = Data(
        partnership=parts["partnership.yaml"],
        contacts=parts["contacts.yaml"],
        procedures=parts["stages.yaml"],
        glossary=parts["glossary.yaml"],
        options=parts.get("options.yaml"),
        chooser=parts.get("chooser.yaml"),
        templates=parts.get("templates.yaml"),
        form=parts.get("form.yaml"),
        pages=parts.get("pages.yaml"),
    )
    return _references_filled(data), problems


def _references_filled(data: Data) -> Data:
    """The data with every {contact-id.detail} and {procedure-id.stage-N} in its text
    filled in, once, here: every page, the poster, the tool and the command line then
    read the same finished text. (The references were checked above.)"""

    def filled(value: Any) -> Any:
        if isinstance(value, str):
            return fill_contact_details(value, data)
        if isinstance(value, tuple):
            return tuple(filled(item) for item in value)
        if dataclasses.is_dataclass(value) and not isinstance(value, type):
            return dataclasses.replace(value, **{f.name: filled(getattr(value, f.name))
                                                 for f in dataclasses.fields(value)})
        return value

    return filled(data)


def _check(documents: Documents, parts: dict[str, Any], broken: set[str], report: _Report,
           today: date | None) -> None:
    ids = _collect_ids(documents, report)
    for file, obj in parts.items():
        _check_references(file, obj, ids, report)

    def whole(*files: str) -> bool:
        return all(f in parts and f not in broken for f in files)

    if whole("contacts.yaml"):
        _check_contacts(parts["contacts.yaml"], report, today)
    if whole("stages.yaml"):
        _check_stages(parts["stages.yaml"], report)
    if whole("stages.yaml", "contacts.yaml"):
        _check_roles(parts["stages.yaml"], parts["contacts.yaml"], report)
    if whole("partnership.yaml", "contacts.yaml"):
        _check_partnership(parts["partnership.yaml"], parts["contacts.yaml"], report)
    if whole("chooser.yaml"):
        _check_tree(parts["chooser.yaml"], report)
    if whole("templates.yaml", "stages.yaml"):
        _check_templates(parts["templates.yaml"], parts["stages.yaml"], ids, report)
    if whole("form.yaml", "stages.yaml"):
        _check_form(parts["form.yaml"], parts["stages.yaml"], report)
    if whole("pages.yaml"):
        _check_pages(parts["pages.yaml"], report, today)


# --- ids and references ---------------------------------------------------------------


_ID_SOURCES = {  # kind: (file, list, key)
    "contact": ("contacts.yaml", "contacts", "id"),
    "group": ("contacts.yaml", "groups", "id"),
    "procedure": ("stages.yaml", "procedures", "id"),
    "option": ("options.yaml", "options", "id"),
    "placeholder": ("templates.yaml", "placeholders", "id"),
    "template": ("templates.yaml", "templates", "id"),
    "term": ("glossary.yaml", "terms", "term"),
    "field": ("form.yaml", "fields", "id"),
    "page": ("pages.yaml", "pages", "page"),
}
_KIND_WORDS = {"node": "question or outcome"}


def _raw_entries(documents: Documents, file: str, attr: str) -> list[tuple[Path, Any]]:
    value = documents.get(file, (None, {}))[0]
    entries = value.get(attr) if isinstance(value, dict) else None
    if not isinstance(entries, list):
        return []
    return [((attr, i), e) for i, e in enumerate(entries) if isinstance(e, dict)]


def _as_list(value: Any) -> list:
    """A list as written, or none when the file has something else there (the reader
    reports that)."""
    return value if isinstance(value, list) else []


def _collect_ids(documents: Documents, report: _Report) -> dict[str, set[str]]:
    """Ids are read from the files as written, so that an entry with a broken field
    still counts: a reference to it is not reported as dangling, and a duplicate of it
    is still found."""
    ids: dict[str, set[str]] = {}
    for kind, (file, attr, key) in _ID_SOURCES.items():
        if file in documents:
            ids[kind] = _unique(file, _raw_entries(documents, file, attr), key,
                                f"{kind} id" if key == "id" else kind, report)
    if "chooser.yaml" in documents:
        entries = (_raw_entries(documents, "chooser.yaml", "questions")
                   + _raw_entries(documents, "chooser.yaml", "outcomes"))
        ids["node"] = _unique("chooser.yaml", entries, "id", "question or outcome id", report)
    if "stages.yaml" in documents:  # what {procedure-id.stage-N} may name
        ids["stage"] = {f"{p.get('id')}.stage-{s.get('number')}"
                        for _, p in _raw_entries(documents, "stages.yaml", "procedures")
                        for s in _as_list(p.get("stages")) if isinstance(s, dict)
                        and isinstance(s.get("timescale"), dict)}
    if "options.yaml" in documents:
        _unique("options.yaml", _raw_entries(documents, "options.yaml", "options"), "number",
                "option number", report)
    return ids


def _unique(file, entries, key, what, report) -> set[str]:
    seen: dict[str, int] = {}
    for path, entry in entries:
        value = entry.get(key)
        if value is None or isinstance(value, (dict, list)):
            continue
        value = str(value)
        if value in seen:
            report.add(file, path + (key,), f"{path[0]}[{value}].{key}",
                       f"duplicate {what} '{value}': entry {seen[value] + 1} of {path[0]} "
                       "already uses it; each must be different")
        else:
            seen[value] = path[1]
    return set(seen)


def _walk(obj: Any, path: Path, label: str) -> Iterator[tuple[Any, Path, str]]:
    yield obj, path, label
    for f in dataclasses.fields(obj):
        value = getattr(obj, f.name)
        sub_label = f.name if not label else f"{label}.{f.name}"
        if dataclasses.is_dataclass(value):
            yield from _walk(value, path + (f.name,), sub_label)
        elif isinstance(value, tuple):
            for i, item in enumerate(value):
                if dataclasses.is_dataclass(item):
                    name = next((getattr(item, key) for key in NAMING_FIELDS
                                 if getattr(item, key, None) is not None), f"#{i + 1}")
                    yield from _walk(item, path + (f.name, i), f"{sub_label}[{name}]")


_REF_SOURCE = {"contact": "contacts.yaml", "group": "contacts.yaml",
               "procedure": "stages.yaml", "option": "options.yaml", "node": "chooser.yaml"}


def _check_references(file: str, obj: Any, ids: dict[str, set[str]], report: _Report):
    for node, path, label in _walk(obj, (), ""):
        for f in dataclasses.fields(node):
            _check_details_in_text(file, node, f.name, path, label, ids, report)
            kind = f.metadata.get("ref")
            if not kind or kind not in ids:
                continue
            value = getattr(node, f.name)
            values = list(enumerate(value)) if isinstance(value, tuple) else [(None, value)]
            for i, ref in values:
                if ref is None or ref in ids[kind]:
                    continue
                where = path + (f.name,) + (() if i is None else (i,))
                field = f"{label}.{f.name}" if label else f.name
                word = _KIND_WORDS.get(kind, kind)
                report.add(file, where, field,
                           f"refers to {word} '{ref}', but there is no {word} with that id "
                           f"in {_REF_SOURCE[kind]}")


# What an admin may expect to become formatting; every field is plain text.
_LOOKS_LIKE_MARKUP = re.compile(r"<[A-Za-z/!?]|\]\(|&#?[A-Za-z0-9]+;|\{:")


def _check_details_in_text(file, node, name, path, label, ids, report: _Report):
    value = getattr(node, name)
    texts = list(enumerate(value)) if isinstance(value, tuple) else [(None, value)]
    for i, text in texts:
        if not isinstance(text, str):
            continue
        markup = _LOOKS_LIKE_MARKUP.search(text)
        if markup:
            where = path + (name,) + (() if i is None else (i,))
            report.add(file, where, f"{label}.{name}" if label else name,
                       f"holds what looks like HTML or Markdown ('{markup.group()}'): every "
                       "field is plain text, so the site shows it exactly as written",
                       severity="warning")
        for match in _ANY_DETAIL.finditer(text):
            where = path + (name,) + (() if i is None else (i,))
            field = f"{label}.{name}" if label else name
            if STAGE_TIMESCALE.fullmatch(match.group(0)):
                if "stage" in ids and match.group(0)[1:-1] not in ids["stage"]:
                    report.add(file, where, field,
                               f"{match.group(0)} names no stage with a timescale: use "
                               "{procedure-id.stage-N} for a stage of stages.yaml that has one")
            elif not CONTACT_DETAIL.fullmatch(match.group(0)):
                report.add(file, where, field,
                           f"{match.group(0)} names no contact detail or timescale: use "
                           "{contact-id.email}, .phone, .phone_note, .name or .team, or "
                           "{procedure-id.stage-N}")
            elif "contact" in ids and match.group(1) not in ids["contact"]:
                report.add(file, where, field,
                           f"{match.group(0)} refers to contact '{match.group(1)}', but there "
                           "is no contact with that id in contacts.yaml")


# --- contacts -------------------------------------------------------------------------


def _check_contacts(contacts: Contacts, report: _Report, today: date | None):
    by_id = {c.id: c for c in contacts.contacts}
    for i, c in enumerate(contacts.contacts):
        path = ("contacts", i)
        label = f"contacts[{c.id}]"
        # A role the procedure names without its details (such as "the board's team")
        # needs a note that says how to reach it.
        if not (c.email or c.phone or c.same_as or c.note):
            report.add("contacts.yaml", path, label,
                       "has no email, no phone, no same_as and no note on how to reach it: "
                       "practitioners could not reach it")
        if c.same_as == c.id:
            report.add("contacts.yaml", path + ("same_as",), f"{label}.same_as",
                       "a contact cannot be the same as itself")
        elif c.same_as in by_id and by_id[c.same_as].same_as:
            report.add("contacts.yaml", path + ("same_as",), f"{label}.same_as",
                       f"'{c.same_as}' itself uses same_as: point at the contact that holds "
                       "the details")
        if c.hours and not (c.phone or c.same_as):
            report.add("contacts.yaml", path + ("hours",), f"{label}.hours",
                       "opening hours are given but there is no phone number")
        if today is not None and (today - c.verified).days > STALE_AFTER_DAYS:
            report.add("contacts.yaml", path + ("verified",), f"{label}.verified",
                       f"last verified {c.verified.isoformat()}, over a year ago: check the "
                       "details with the agency and update the date", severity="warning")


def _check_roles(procedures: Procedures, contacts: Contacts, report: _Report):
    roles = {r.id for r in contacts.roles}
    for i, c in enumerate(contacts.contacts):
        if c.role is not None and c.role not in roles:
            report.add("contacts.yaml", ("contacts", i, "role"), f"contacts[{c.id}].role",
                       f"'{c.role}' is not one of the roles listed under 'roles'")
    held = {c.role for c in contacts.contacts if c.role}
    for p_index, procedure in enumerate(procedures.procedures):
        for s_index, stage in enumerate(procedure.stages):
            role = stage.contact_role
            if role is None:
                continue
            path = ("procedures", p_index, "stages", s_index, "contact_role")
            label = f"procedures[{procedure.id}].stages[{stage.number}].contact_role"
            if role not in roles:
                report.add("stages.yaml", path, label,
                           f"'{role}' is not one of the roles listed in contacts.yaml")
            elif role not in held:
                report.add("stages.yaml", path, label,
                           f"no contact in contacts.yaml holds the role '{role}': give each "
                           "agency's holder 'role: " + role + "'")


def _check_partnership(partnership, contacts: Contacts, report: _Report):
    by_id = {c.id: c for c in contacts.contacts}
    emergency = partnership.emergency
    if emergency.out_of_hours and not emergency.in_hours:
        report.add("partnership.yaml", ("emergency", "out_of_hours"), "emergency.out_of_hours",
                   "an out-of-hours number needs an in-hours one (emergency.in_hours) beside it")
    for name in ("in_hours", "out_of_hours", "police"):
        contact = by_id.get(getattr(emergency, name) or "")
        if contact and not (contact.phone or contact.same_as):
            report.add("partnership.yaml", ("emergency", name), f"emergency.{name}",
                       f"'{contact.id}' has no phone number: the emergency box needs one")
    in_hours = by_id.get(emergency.in_hours or "")
    if in_hours and emergency.out_of_hours and not in_hours.hours:
        report.add("partnership.yaml", ("emergency", "in_hours"), "emergency.in_hours",
                   f"'{in_hours.id}' has no opening hours in contacts.yaml, so the tool "
                   "cannot tell when to show the out-of-hours number")


# --- stages ---------------------------------------------------------------------------


def _check_stages(procedures: Procedures, report: _Report):
    seen: set[str] = set()
    for p_index, procedure in enumerate(procedures.procedures):
        base = ("procedures", p_index)
        label = f"procedures[{procedure.id}]"
        if procedure.id in seen:
            continue
        seen.add(procedure.id)
        if not procedure.stages:
            report.add("stages.yaml", base + ("stages",), f"{label}.stages",
                       "a procedure needs at least one stage")
        steps_before: set[str] = set()  # the ids of the steps so far, in order
        for s_index, stage in enumerate(procedure.stages):
            path = base + ("stages", s_index)
            s_label = f"{label}.stages[{stage.number}]"
            if stage.number != s_index + 1:
                report.add("stages.yaml", path + ("number",), f"{s_label}.number",
                           f"stage {s_index + 1} in order is numbered {stage.number}: number "
                           "the stages 1, 2, 3 ... in the order they happen")
            _check_clock(stage, path, s_label, report, allowed=("start", "previous stage"),
                         first=s_index == 0, what="stage")
            if stage.timescale is None and stage.no_timescale is None and not stage.steps:
                report.add("stages.yaml", path, s_label,
                           "no timescale and no 'no_timescale': the site says 'See the "
                           "procedure for its timescale' until it is written down",
                           severity="warning")
            for t_index, step in enumerate(stage.steps):
                t_path = path + ("steps", t_index)
                t_label = f"{s_label}.steps[{step.id}]"
                if step.id in steps_before:
                    report.add("stages.yaml", t_path + ("id",), f"{t_label}.id",
                               f"another step of this procedure is '{step.id}' already: each "
                               "step needs its own id")
                _check_clock(step, t_path, t_label, report,
                             allowed=("start", "stage start", "previous step"),
                             first=t_index == 0, what="step", earlier=steps_before)
                if step.timescale is None and step.no_timescale is None:
                    report.add("stages.yaml", t_path, t_label,
                               "no timescale and no 'no_timescale': the site says 'See the "
                               "procedure for its timescale' until it is written down",
                               severity="warning")
                steps_before.add(step.id)
        numbers = {s.number for s in procedure.stages}
        _check_forms_and_notifications(procedure, base, label, numbers, report)
        _check_priorities(procedure, base, label, report)
        for l_index, limit in enumerate(procedure.limits):
            l_path, l_label = base + ("limits", l_index), f"{label}.limits[{l_index + 1}]"
            for name in ("first_stage", "last_stage"):
                if getattr(limit, name) not in numbers:
                    report.add("stages.yaml", l_path + (name,), f"{l_label}.{name}",
                               f"there is no stage {getattr(limit, name)} in this procedure")
            if limit.first_stage > limit.last_stage:
                report.add("stages.yaml", l_path + ("last_stage",), f"{l_label}.last_stage",
                           f"the limit ends at stage {limit.last_stage}, before its first "
                           f"stage {limit.first_stage}")
            too_long = _timescale_problem(limit)
            if too_long:
                report.add("stages.yaml", l_path + ("within",), f"{l_label}.within", too_long)
        drift = procedure.drift
        if drift:
            for name in ("first_stage", "last_stage", "restart_at"):
                if getattr(drift, name) not in numbers:
                    report.add("stages.yaml", base + ("drift", name), f"{label}.drift.{name}",
                               f"there is no stage {getattr(drift, name)} in this procedure")
            if drift.gap_calendar_days < 1:
                report.add("stages.yaml", base + ("drift", "gap_calendar_days"),
                           f"{label}.drift.gap_calendar_days", "use 1 or more days")


def _unique_ids(entries, name: str, what: str, base, label: str, report: _Report) -> set[str]:
    """The ids of a procedure's forms or priorities; one given twice is named."""
    ids: set[str] = set()
    for i, entry in enumerate(entries):
        if entry.id in ids:
            report.add("stages.yaml", base + (name, i, "id"), f"{label}.{name}[{entry.id}].id",
                       f"another {what} of this procedure is '{entry.id}' already")
        ids.add(entry.id)
    return ids


def _check_forms_and_notifications(procedure, base, label: str, numbers: set[int],
                                   report: _Report):
    forms = _unique_ids(procedure.forms, "forms", "form", base, label, report)
    for s_index, stage in enumerate(procedure.stages):
        for i, form_id in enumerate(stage.forms):
            if form_id not in forms:
                report.add("stages.yaml", base + ("stages", s_index, "forms", i),
                           f"{label}.stages[{stage.number}].forms",
                           f"there is no form '{form_id}' in this procedure's 'forms'")
    for n_index, note in enumerate(procedure.notifications):
        path = base + ("notifications", n_index)
        if note.form is not None and note.form not in forms:
            report.add("stages.yaml", path + ("form",), f"{label}.notifications[{n_index + 1}].form",
                       f"there is no form '{note.form}' in this procedure's 'forms'")
        if note.at.startswith("stage ") and int(note.at.split()[1]) not in numbers:
            report.add("stages.yaml", path + ("at",), f"{label}.notifications[{n_index + 1}].at",
                       f"there is no {note.at} in this procedure")


def _check_priorities(procedure, base, label: str, report: _Report):
    known = _unique_ids(procedure.priorities, "priorities", "priority", base, label, report)
    if len(known) == 1:
        report.add("stages.yaml", base + ("priorities",), f"{label}.priorities",
                   "one priority is no choice: give two or more, or none")
    for s_index, stage in enumerate(procedure.stages):
        parts: list[tuple[tuple, str, Any]] = [(("stages", s_index), f"stages[{stage.number}]",
                                                stage)]
        parts += [(("stages", s_index, "steps", t), f"stages[{stage.number}].steps[{step.id}]",
                   step) for t, step in enumerate(stage.steps)]
        for path, where, part in parts:
            t = part.timescale
            for i, timed in enumerate(t.by_priority if t else ()):
                at = base + path + ("timescale", "by_priority", i)
                if timed.priority not in known:
                    report.add("stages.yaml", at + ("priority",),
                               f"{label}.{where}.timescale.by_priority.priority",
                               f"'{timed.priority}' is not one of this procedure's "
                               "priorities (give them in 'priorities')")
                message = _timescale_problem(timed)
                if message:
                    report.add("stages.yaml", at + ("within",),
                               f"{label}.{where}.timescale.by_priority.within", message)


def _check_clock(part, path, label: str, report: _Report, *, allowed: tuple[str, ...],
                 first: bool, what: str, earlier: set[str] | None = None):
    """A stage's or a step's timescale: sensible, and counted from something it can be."""
    t = part.timescale
    if t is not None and part.no_timescale is not None:
        report.add("stages.yaml", path + ("no_timescale",), f"{label}.no_timescale",
                   f"a {what} has a timescale or 'no_timescale', not both")
    if t is None:
        return
    message = _timescale_problem(t)
    if message:
        report.add("stages.yaml", path + ("timescale", "within"), f"{label}.timescale.within",
                   message)
    if t.also is not None:
        _check_also(t, path + ("timescale", "also"), f"{label}.timescale.also", report)
    where = (path + ("timescale", "counted_from"), f"{label}.timescale.counted_from")
    counted = t.counted_from
    if first and counted in ("previous stage", "previous step"):
        report.add("stages.yaml", *where,
                   f"the first {what} has no {counted}: use "
                   + ("'start'" if what == "stage" else "'stage start' or 'start'"))
    elif counted in allowed:
        return
    elif what == "step" and earlier is not None and counted in earlier:
        return
    elif what == "step" and counted == getattr(part, "id", None):
        report.add("stages.yaml", *where, "a step cannot be counted from itself")
    else:
        steps = " or the id of a step before it" if what == "step" else ""
        words = ", ".join(f"'{w}'" for w in allowed)
        report.add("stages.yaml", *where,
                   f"'{counted}' is not something a {what} can be counted from: use "
                   f"{words}{steps}")


def _check_also(t, path, label: str, report: _Report):
    """A timescale's second unit ("48 hours (two working days)"): another unit, sensible,
    and not beside timescales by priority (whose own units would leave it unclear which
    it restates)."""
    also = t.also
    message = _timescale_problem(also)
    if message:
        report.add("stages.yaml", path + ("within",), f"{label}.within", message)
    if also.unit == t.unit:
        report.add("stages.yaml", path + ("unit",), f"{label}.unit",
                   f"'also' gives the same timescale in another unit, and '{t.unit}' is the "
                   "unit already given: use another unit, or leave 'also' out")
    if t.by_priority:
        report.add("stages.yaml", path, label,
                   "a timescale by priority cannot have 'also' as well: give each priority "
                   "its own timescale in 'by_priority', or leave 'also' out")


# The longest timescale that makes sense in each unit: a year. A typing slip such as
# 20000 would otherwise make the tool count working days for decades.
_MOST = {"working days": 260, "calendar days": 366, "hours": 24 * 366}


def _timescale_problem(timescale) -> str | None:
    most = _MOST[timescale.unit]
    if 1 <= timescale.within <= most:
        return None
    return (f"{timescale.within} {timescale.unit} is not a timescale: use 1 to {most} "
            f"{timescale.unit}")


# --- the decision tree ---------------------------------------------------------------


def _check_tree(tree: Chooser, report: _Report):
    questions = {q.id: (i, q) for i, q in enumerate(tree.questions)}
    outcomes = {o.id: o for o in tree.outcomes}
    if tree.start not in questions:
        report.add("chooser.yaml", ("start",), "start",
                   f"'{tree.start}' is not a question: the tree must start with a question")
        return
    for qid, (i, q) in questions.items():
        if len(q.answers) < 2:
            report.add("chooser.yaml", ("questions", i, "answers"), f"questions[{qid}].answers",
                       "a question needs at least two answers")

    # A loop would let a practitioner go round for ever; find one by depth-first search.
    state: dict[str, str] = {}

    def visit(qid: str, trail: list[str]) -> None:
        state[qid] = "open"
        i, q = questions[qid]
        for a_index, answer in enumerate(q.answers):
            nxt = answer.next
            if nxt in questions:
                if state.get(nxt) == "open":
                    loop = " -> ".join(trail + [qid, nxt])
                    report.add("chooser.yaml", ("questions", i, "answers", a_index, "next"),
                               f"questions[{qid}].answers[{answer.label}].next",
                               f"makes a loop ({loop}): every path must end in an outcome")
                elif nxt not in state:
                    visit(nxt, trail + [qid])
        state[qid] = "done"

    visit(tree.start, [])
    reached = {a.next for qid in state for a in questions[qid][1].answers}
    for qid, (i, _) in questions.items():
        if qid not in state:
            report.add("chooser.yaml", ("questions", i), f"questions[{qid}]",
                       "no answer leads to this question, so nobody can reach it")
    for o_index, outcome in enumerate(tree.outcomes):
        if outcome.id not in reached:
            report.add("chooser.yaml", ("outcomes", o_index), f"outcomes[{outcome.id}]",
                       "no path through the questions reaches this outcome")
    first = questions[tree.start][1]
    if not any(outcomes.get(a.next) and outcomes[a.next].emergency for a in first.answers):
        report.add("chooser.yaml", ("questions", questions[tree.start][0]),
                   f"questions[{tree.start}]",
                   "the first question must offer the emergency route (an outcome with "
                   "emergency: true), so that a child at immediate risk is sent there first")


# --- templates and the form --------------------------------------------------------------


def _stage_numbers(procedures: Procedures, procedure_id: str) -> set[int] | None:
    for p in procedures.procedures:
        if p.id == procedure_id:
            return {s.number for s in p.stages}
    return None


def _check_templates(templates, procedures: Procedures, ids, report: _Report):
    known = ids.get("placeholder", set())
    for i, t in enumerate(templates.templates):
        path, label = ("templates", i), f"templates[{t.id}]"
        numbers = _stage_numbers(procedures, t.procedure)
        if numbers is not None and t.stage not in numbers:
            report.add("templates.yaml", path + ("stage",), f"{label}.stage",
                       f"procedure '{t.procedure}' has no stage {t.stage}")
        if t.to != CHOSEN_AGENCY and t.to not in ids.get("contact", {t.to}):
            report.add("templates.yaml", path + ("to",), f"{label}.to",
                       f"'{t.to}' is neither '{CHOSEN_AGENCY}' nor a contact id in contacts.yaml")
        if bool(t.subject) != bool(t.body):
            report.add("templates.yaml", path, label,
                       "give both a subject and a body for an email, or neither for an "
                       "instruction only")
        for name in ("subject", "body"):
            for used in PLACEHOLDER.findall(getattr(t, name) or ""):
                if used not in known:
                    report.add("templates.yaml", path + (name,), f"{label}.{name}",
                               f"uses {{{used}}}, which is not one of the placeholders "
                               "listed at the top of templates.yaml")


def _check_form(form, procedures: Procedures, report: _Report):
    numbers = _stage_numbers(procedures, form.procedure)
    if numbers is None:
        return
    if form.stage not in numbers:
        report.add("form.yaml", ("stage",), "stage", f"procedure '{form.procedure}' has no "
                   f"stage {form.stage}")
    for i, n in enumerate(form.log_stages):
        if n not in numbers:
            report.add("form.yaml", ("log_stages", i), "log_stages",
                       f"procedure '{form.procedure}' has no stage {n}")


# --- pages' review dates and amendments ----------------------------------------------


def _check_pages(records, report: _Report, today: date | None):
    for i, record in enumerate(records.pages):
        path = ("pages", i)
        label = f"pages[{record.page}]"
        if not record.page.endswith(".md") or record.page.startswith("/"):
            report.add("pages.yaml", path + ("page",), f"{label}.page",
                       f"'{record.page}' is not a page: give its file in content/, such as "
                       "'fast-resolution-process.md'")
        if record.next_review <= record.reviewed:
            report.add("pages.yaml", path + ("next_review",), f"{label}.next_review",
                       f"{record.next_review.isoformat()} is not after the last review "
                       f"({record.reviewed.isoformat()})")
        elif today is not None and record.next_review < today:
            report.add("pages.yaml", path + ("next_review",), f"{label}.next_review",
                       f"the review due on {record.next_review.isoformat()} has not been done: "
                       "check the page against the procedure, then update reviewed and "
                       "next_review", severity="warning")
        for j, amendment in enumerate(record.amendments):
            where = path + ("amendments", j, "date")
            if today is not None and amendment.date > today:
                report.add("pages.yaml", where, f"{label}.amendments[{j + 1}].date",
                           f"{amendment.date.isoformat()} is in the future: is it a slip?",
                           severity="warning")
            if j and amendment.date > record.amendments[j - 1].date:
                report.add("pages.yaml", where, f"{label}.amendments[{j + 1}].date",
                           f"{amendment.date.isoformat()} is newer than the amendment above "
                           "it: list amendments newest first")
