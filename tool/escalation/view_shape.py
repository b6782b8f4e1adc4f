"""The shape of what the tool's view (tool_view.view) sends the page: every field, and
what it holds. page.js renders each of them; tests/test_view_contract.py holds both
sides to this declaration (every view has exactly these fields, and page.js reads each).
"""

from __future__ import annotations

from typing import TypedDict


class Emergency(TypedDict):
    text: str  # the number to ring now, in a sentence, and the police line


class Asked(TypedDict):
    question: str  # its id
    text: str
    answer: str  # the label of the answer given


class Contact(TypedDict):
    name: str
    team: str | None
    email: str | None
    phone: str | None
    phone_note: str | None
    note: str | None
    textphone: str | None
    address: str | None  # postal
    web: str | None  # a web page to reach it through (https://, as the check insists)
    now: str | None  # "Open now, ring this line", "Closed now", or nothing
    tel: str | None  # the tel: link for phone
    mailto: str | None  # the mailto: link for email


class Route(TypedDict):
    id: str
    title: str
    why: str
    do_now: list[str]
    emergency: bool
    procedure: str | None  # the id of the procedure it starts, if any
    contacts: list[Contact]  # the line to ring now first


class Chooser(TypedDict):
    question: str | None  # the id of the question to ask now; None once at a route
    asked: list[Asked]
    route: Route | None


class Record(TypedDict):
    number: int
    summary: str  # "Stage 2: Inter-agency discussion" (Lincolnshire: "Step 2: ...")


class Problem(TypedDict):
    field: str  # the id of the field to show it beside
    message: str


class StepRow(TypedDict):
    id: str
    name: str  # with its condition first: "If agreed: Letter confirming the agreement"
    who: str | None
    due_text: str
    status: str
    status_text: str
    completed: str | None
    late: bool
    caveat: str | None


class StageRow(TypedDict):
    number: int
    name: str
    title: str  # as the row heads it: "Stage 2: Inter-agency discussion" ("Step 1: ...")
    who: str
    when: str | None  # the words on the way into it, when the data gives them
    due_text: str  # the date, or why there is none yet
    # done, due today, overdue, upcoming, no timescale, see the procedure, waiting (and for a
    # step, stage completed)
    status: str
    status_text: str
    completed: str | None
    late: bool
    caveat: str | None
    tasks: list[str]  # duties, forms and whom to tell at this stage
    steps: list[StepRow]


class Words(TypedDict):
    """The planned procedure's word for its stages, for the page's own sentences."""

    stage: str  # "stage", or the procedure's own word, such as "step"
    stages: str
    Stage: str


class Plan(TypedDict):
    procedure: str | None  # its name; None for a route without stages
    procedure_id: str | None
    start_label: str | None
    time_label: str | None  # asked only when a timescale runs in hours
    records: list[Record]
    stages: list[StageRow]
    problems: list[Problem]
    end: str | None
    drift: str | None
    none: str | None  # why there is nothing to plan
    duties: list[str]  # what the procedure asks at every stage, and at its resolution
    words: Words


class Email(TypedDict):
    stage: str
    heading: str  # "The stage 2 email", with the procedure's word for its stages
    asks_address: bool
    address_problem: str | None
    instruction: str
    needs_agency: bool
    fields: list[str]  # the placeholders its body uses
    to: str
    cc: str
    subject: str
    body: str
    mailto: str | None


class Form(TypedDict):
    html: str  # escaped by the engine (appendix.form_html)
    to: str
    subject: str


class View(TypedDict):
    emergency: Emergency
    chooser: Chooser
    calendar_note: str | None
    plan: Plan
    email: Email | None
    email_note: str | None
    form: Form | None
    form_note: str | None
