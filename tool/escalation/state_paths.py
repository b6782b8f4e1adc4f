"""Where each value lives in the tool page's state, named once.

The page (page.js) keeps what is typed as nested objects in the tab's sessionStorage and
posts it whole; case.py reads that shape back. Each field of the page carries its place
as data-state="..." (pages.py writes it with these functions), and two markers stand for
what the page knows only at the moment: PROCEDURE for the procedure being planned and
EMAIL for the stage of the email being written. page.js takes the markers and the
other names from the tool's root element (pages.tool_page writes them there), so Python
and JavaScript cannot disagree.
"""

from __future__ import annotations

# The parts of the state.
ANSWERS = "answers"   # question id -> answer label
PLANS = "plans"       # procedure id -> its start and stage records
STAGES = "stages"     # in a plan: stage number -> what was recorded
STEPS = "steps"       # in a plan: step id -> when it was done
CHOICE = "email"      # which stage's email, to which agency
FIELDS = "fields"     # placeholder or form field id -> what was typed, for every email
EMAILS = "emails"     # stage -> each email's own answers

# Stand-ins the page replaces when it reads or writes a field.
PROCEDURE = "%"
EMAIL = "@"

START = f"{PLANS}.{PROCEDURE}.start"
START_TIME = f"{PLANS}.{PROCEDURE}.start_time"
EMAIL_STAGE = f"{CHOICE}.stage"
AGENCY = f"{CHOICE}.agency"

# What the page records for each stage (case.StageEntry has the same fields).
RECORD_FIELDS = ("started", "completed", "who", "how", "outcome")


def stage_field(number: int, name: str) -> str:
    if name not in RECORD_FIELDS:
        raise ValueError(f"a stage record has no field {name!r}")
    return f"{PLANS}.{PROCEDURE}.{STAGES}.{number}.{name}"


# What the page records for each step of a stage (case.StepEntry has the same fields).
STEP_FIELDS = ("done", "done_time")


def step_field(procedure_id: str, step_id: str, name: str) -> str:
    """A step's record. Step ids are the procedure's own, so the path names the procedure
    rather than the marker: each procedure's steps have fields of their own."""
    if name not in STEP_FIELDS:
        raise ValueError(f"a step record has no field {name!r}")
    return f"{PLANS}.{procedure_id}.{STEPS}.{step_id}.{name}"


PRIORITY = "priority"  # in a plan: the id of the priority chosen


def priority_field(procedure_id: str) -> str:
    """The priority chosen for a procedure whose timescales depend on it."""
    return f"{PLANS}.{procedure_id}.{PRIORITY}"


def shared_field(field_id: str) -> str:
    """A field typed once for every email and the form."""
    return f"{FIELDS}.{field_id}"


def email_field(field_id: str) -> str:
    """A field each stage's email has its own answer for."""
    return f"{EMAILS}.{EMAIL}.{field_id}"


def page_attributes() -> dict[str, str]:
    """What page.js needs to know of these names, as data- attributes of the tool."""
    return {"data-state-procedure": PROCEDURE, "data-state-email": EMAIL,
            "data-state-answers": ANSWERS, "data-state-email-stage": EMAIL_STAGE}
