"""Every journey through a partnership's decision tool, made the way the page makes them.

The build runs these under Pyodide (pyodide_prepare.mjs `trace`) to learn which modules
of the standard library the tool really imports, so the browser is sent those and no
others; the tests run them again against the trimmed standard library. Each journey goes
through escalation.web, JSON in and JSON out, exactly as the worker calls it: every route
the chooser reaches; its plan empty, with dates, with a wrong date, with every stage
recorded; each email stage for each agency; every file the page downloads; the case file
saved and opened again; the files people open by mistake; plain and accented text; a
time in and out of office hours. Standard library only, like the engine it drives.
"""

from __future__ import annotations

import json
from types import ModuleType
from typing import Any

# Text of every kind a person types: plain, accented, a dash and an apostrophe, a line
# break, and what looks like a header or a formula.
TYPED = ("A. Patel", "Zoë O’Brien – Café Nurse", "Line one\nLine two", "=SUM(A1)\r\nBcc: x")
TIMES = ("2027-01-05T09:30", "2027-01-09T23:10")  # a Tuesday morning; a Saturday night
UTC = "2027-01-05T09:30:00.000Z"
DOWNLOADS = ("email", "form", "calendar", "log", "case")
WRONG_FILES = ("not a case file", "[]", '{"kind": "escalation-case-file", "version": 9}',
               '{"kind": "escalation-case-file", "version": 2, "partnership": "elsewhere"}')


def _routes(chooser) -> list[dict[str, str]]:
    """The answers of every path from the first question to an outcome."""
    questions = {q.id: q for q in chooser.questions}
    paths: list[dict[str, str]] = []
    stack: list[tuple[str, dict[str, str]]] = [(chooser.start, {})]
    while stack:
        node, answers = stack.pop()
        if node not in questions:
            paths.append(answers)
            continue
        for answer in questions[node].answers:
            stack.append((answer.next, {**answers, node: answer.label}))
    return paths


def _record(procedure_id: str, stages, text: str, wrong: bool,
            priorities=()) -> dict[str, Any]:
    days = ["29/12/2026", "30 Dec 2026", "4/1/2027", "6-1-2027", "8.1.2027", "11 January 2027"]
    record: dict[str, Any] = {"start": "31/02/2026" if wrong else "24/12/2026",
                              "start_time": "25:99" if wrong else "2.30pm", "stages": {},
                              "steps": {}}
    for i, stage in enumerate(stages):
        record["stages"][str(stage.number)] = {
            "started": days[i % len(days)], "who": text, "how": "Email", "outcome": text,
            "completed": "yesterday" if wrong else days[(i + 1) % len(days)]}
        for j, step in enumerate(stage.steps):
            record["steps"][step.id] = {"done": "yesterday" if wrong else days[(i + j) % len(days)],
                                        "done_time": "25:99" if wrong else "10.15am"}
    if priorities:
        record["priority"] = priorities[0].id
    return {procedure_id: record}


def run_every_journey(web: ModuleType, bundle_text: str) -> int:
    """Drive escalation.web (already started on `bundle_text`) through every journey;
    the number of calls made. Raises on anything the page would show as broken."""
    from escalation.bundle import load_bundle

    loaded = load_bundle(bundle_text)
    data = loaded.data
    calls = 0

    def view(state: dict[str, Any], now: str) -> dict[str, Any]:
        nonlocal calls
        calls += 1
        return json.loads(web.view(json.dumps(state), now))

    def answer(made: str) -> dict[str, Any]:
        nonlocal calls
        calls += 1
        reply = json.loads(made)
        if "result" not in reply and "error" not in reply:
            raise AssertionError(f"neither a result nor an error: {made[:200]}")
        return reply

    agencies = [""] + [c.id for c in data.contacts.contacts if data.email_of(c.id)][:3]
    routes = _routes(data.chooser) if data.chooser else [{}]
    for n, answers in enumerate(routes):
        text = TYPED[n % len(TYPED)]
        now = TIMES[n % len(TIMES)]
        state: dict[str, Any] = {"id": "0123456789abcdef0123456789abcdef", "answers": answers,
                                 "plans": {}, "email": {"stage": "", "agency": ""},
                                 "fields": {}, "emails": {}}
        shown = view(state, now)
        procedure_id = shown["plan"]["procedure_id"]
        procedure = data.procedure(procedure_id) if procedure_id else None
        stages = procedure.stages if procedure else ()
        for wrong in (True, False):
            state["plans"] = _record(procedure_id or "none", stages, text, wrong,
                                     procedure.priorities if procedure else ())
            shown = view(state, now)
        for template in data.templates.templates if data.templates else ():
            for agency in agencies:
                state["email"] = {"stage": str(template.stage), "agency": agency}
                shown = view(state, now)
                email = shown.get("email") or {}
                state["fields"] = {name: text for name in email.get("fields", ())}
                state["emails"] = {str(template.stage): {"recipient_name": text}}
                view(state, now)
        for what in DOWNLOADS:
            made = answer(web.download(json.dumps(state), now, UTC, what))
            if what == "case" and "result" in made:
                reopened = answer(web.open_case_file(made["result"]["text"]))
                if "result" not in reopened:
                    raise AssertionError(f"a saved case file did not open: {reopened}")
    for text in WRONG_FILES:
        if "error" not in answer(web.open_case_file(text)):
            raise AssertionError(f"a file that is not a case file was opened: {text}")
    # The last year whose bank holidays the site knows, and a date past it.
    for year in (loaded.calendar.last_year, loaded.calendar.last_year + 1):
        view({"answers": routes[0], "plans": _record(data.partnership.main_procedure, (),
                                                     TYPED[0], False)}, f"{year}-06-01T10:00")
    return calls
