"""The decision tool's view: from what the page posts to what it shows.

The page sends its form state as plain JSON; this module answers with plain JSON that
the page only renders into templates. Every rule (which question comes next, which route,
which date, which number to ring) is decided here, never in JavaScript.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from .bundle import Bundle
from .chooser import route, walk
from .emergency import emergency_now
from .timeline import plan
from .wording import long_date, when

_STATUS_WORDS = {"done": "Done", "due today": "Due today", "overdue": "Overdue",
                 "upcoming": "Upcoming"}


def _chooser(bundle: Bundle, answers: dict[str, str]) -> dict[str, Any]:
    tree = bundle.data.chooser
    if tree is None:
        return {"question": None, "asked": [], "route": None}
    result = walk(tree, answers)
    view: dict[str, Any] = {
        "question": result.question.id if result.question else None,
        "asked": [{"question": q.id, "text": q.text, "answer": a.label} for q, a in result.asked],
        "route": None,
    }
    if result.outcome:
        r = route(bundle.data, result.outcome)
        view["route"] = {
            "id": r.id, "title": r.title, "why": r.why, "do_now": list(r.do_now),
            "emergency": r.emergency, "procedure": r.procedure,
            "contacts": [_contact(bundle, c) for c in r.contacts],
        }
    return view


def _contact(bundle: Bundle, contact_id: str) -> dict[str, str | None]:
    c = bundle.data.contact(contact_id)
    return {"name": c.name, "team": c.team, "email": bundle.data.email_of(contact_id),
            "phone": bundle.data.phone_of(contact_id), "phone_note": c.phone_note}


def _date_field(text: str | None, field: str, problems: list[dict]) -> date | None:
    if not text:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        problems.append({"field": field, "message": "Enter a real date, such as 24 12 2026."})
        return None


def _plan(bundle: Bundle, state: dict[str, Any], now: datetime) -> dict[str, Any]:
    procedure = bundle.data.procedure(state.get("procedure"))
    problems: list[dict] = []
    start = _date_field(state.get("start"), "start", problems)
    completed = {}
    for key, text in (state.get("completed") or {}).items():
        day = _date_field(text, f"completed-{key}", problems)
        if day:
            completed[int(key)] = day
    view: dict[str, Any] = {"procedure": procedure.name, "stages": [], "problems": problems,
                            "latest_end": None, "drift": None, "restart_at": None}
    if start is None:
        return view  # nothing to plan yet; an empty field is not an error
    result = plan(procedure, bundle.calendar, start, today=now, completed=completed)
    problems += [{"field": p.field, "message": p.message} for p in result.problems]
    by_number = {s.number: s for s in procedure.stages}
    view["stages"] = [{
        "number": s.number, "name": s.name, "who": s.who,
        "when": when(procedure, by_number[s.number]),
        "due": s.due.day.isoformat(),
        "due_text": long_date(s.due.day) + (f" at {s.due.at:%H:%M}" if s.due.at else ""),
        "status": s.status, "status_text": _STATUS_WORDS[s.status],
        "completed": s.completed.isoformat() if s.completed else None,
        "late": s.late, "caveat": s.caveat,
    } for s in result.stages]
    if result.latest_end:
        view["latest_end"] = long_date(result.latest_end.day)
    view["drift"] = result.drift
    view["restart_at"] = result.restart_at
    return view


def view(bundle: Bundle, state: dict[str, Any], now: str) -> dict[str, Any]:
    """Everything the tool page shows for `state` at `now` (UK wall-clock, ISO format)."""
    moment = datetime.fromisoformat(now)
    urgent = emergency_now(bundle.data, bundle.calendar, moment)
    window_ends = bundle.calendar.last_year
    return {
        "emergency": {"name": urgent.contact.name, "phone": urgent.phone,
                      "in_hours": urgent.in_hours, "police": urgent.police_phone},
        "chooser": _chooser(bundle, dict(state.get("answers") or {})),
        "plan": _plan(bundle, state, moment),
        "calendar_note": (f"This tool knows bank holidays only until the end of {window_ends}: "
                          "the site needs rebuilding." if moment.year >= window_ends else None),
    }
