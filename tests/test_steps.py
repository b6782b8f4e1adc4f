"""Steps inside stages, each with its own clock (issue 14), from real procedures' own
terms with literal dates. England's bank holidays: 25 and 28 December 2026, 1 January 2027.

The fixture is Sefton LSCB's manual, section 17.2 (May 2017), stages 1 and 2: "raise it
within 2 working days of the disagreement; speak to the agency within 3 working days; the
agency replies by letter within a further 2 working days"; stage 2: "agree within 2
working days, or meet within a further 5 working days; outcome letter within 48 hours".
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import FIXTURE_DATA
from escalation.model import Limit, Procedure, Stage, Step, Timescale
from escalation.problems import DataError
from escalation.timeline import plan, timed_steps
from escalation.wording import step_when, when
from escalation_build.bank_holidays import calendar_for
from escalation_build.sources import load_data_dir

DATA, _ = load_data_dir(FIXTURE_DATA)
CALENDAR = calendar_for(DATA.partnership, date(2026, 11, 24))
WD = "working days"


def step(id, name, within=None, unit=WD, counted_from="previous step", when=None,
         no_timescale=None):
    return Step(id=id, name=name, when=when, no_timescale=no_timescale,
                timescale=Timescale(within, unit, counted_from) if within else None)


SEFTON = Procedure(
    id="sefton", name="Resolution of professional disagreement",
    start_event="the disagreement arising", stages=(
        Stage(number=1, name="Practitioner to practitioner", who="w", what="x", steps=(
            step("raise", "Raise it with the other agency", 2, counted_from="stage start"),
            step("speak", "The agency speaks to you", 3),
            step("reply", "The agency replies by letter", 2))),
        Stage(number=2, name="Service managers", who="w", what="x", steps=(
            step("agree", "Agree a way forward", 2, counted_from="stage start"),
            step("agreed-letter", "Letter confirming what was agreed", 2,
                 counted_from="agree", when="if agreed"),
            step("meeting", "Meeting", 5, counted_from="agree", when="if not agreed"),
            step("outcome-letter", "Outcome letter", 48, unit="hours",
                 counted_from="meeting", when="if not agreed")),
            when="If stage 1 does not resolve it"),
    ))


def dues(result, number):
    return [(s.due.day, s.due.at) if s.due else None for s in result.stages[number - 1].steps]


def test_each_step_counts_from_the_one_before_and_the_stage_from_its_last():
    result = plan(SEFTON, CALENDAR, date(2026, 12, 24), today=date(2026, 12, 24))
    assert dues(result, 1) == [(date(2026, 12, 30), None), (date(2027, 1, 5), None),
                               (date(2027, 1, 7), None)]
    assert result.stages[0].due.day == date(2027, 1, 7)
    # Stage 2 begins when stage 1 is due: agree by 11 January; the letter if agreed two
    # working days on; otherwise the meeting five working days on, and its outcome letter
    # 48 hours after it (from the start of that day until the meeting's time is known).
    assert dues(result, 2) == [(date(2027, 1, 11), None), (date(2027, 1, 13), None),
                               (date(2027, 1, 18), None), (date(2027, 1, 20), time(0))]
    # The stage is due on its longest branch, and so is the whole process.
    assert (result.stages[1].due.day, result.latest_end.day) == (date(2027, 1, 20),) * 2


def test_a_step_done_early_brings_the_steps_counted_from_it_forward():
    result = plan(SEFTON, CALENDAR, date(2026, 12, 24), today=date(2026, 12, 31),
                  done={"raise": date(2026, 12, 29)})
    assert dues(result, 1)[1:] == [(date(2027, 1, 4), None), (date(2027, 1, 6), None)]
    assert result.stages[0].steps[0].status == "done"


def test_hours_run_from_the_time_a_recorded_meeting_was_held():
    result = plan(SEFTON, CALENDAR, date(2026, 12, 24), today=date(2027, 1, 14),
                  completed={1: date(2027, 1, 6)},
                  done={"agree": date(2027, 1, 8), "meeting": date(2027, 1, 14)},
                  done_at={"meeting": time(15, 30)})
    letter = result.stages[1].steps[3]
    assert (letter.due.day, letter.due.at) == (date(2027, 1, 16), time(15, 30))
    # Without the time, from the start of that day: never later than the real deadline.
    day_only = plan(SEFTON, CALENDAR, date(2026, 12, 24), today=date(2027, 1, 14),
                    completed={1: date(2027, 1, 6)},
                    done={"agree": date(2027, 1, 8), "meeting": date(2027, 1, 14)})
    assert (day_only.stages[1].steps[3].due.day, day_only.stages[1].steps[3].due.at) == (
        date(2027, 1, 16), time(0))
    assert timed_steps(SEFTON) == {"meeting"}


def test_a_step_done_before_the_step_it_counts_from_is_refused_and_changes_nothing():
    typed = plan(SEFTON, CALENDAR, date(2026, 12, 24), today=date(2027, 1, 20),
                 done={"agree": date(2027, 1, 12), "meeting": date(2027, 1, 11)})
    assert [p.field for p in typed.problems] == ["done--meeting"]
    assert typed.stages[1].steps[2].status != "done"
    assert dues(typed, 2)[3] == (date(2027, 1, 21), time(0))  # from the meeting's due date


def test_a_step_in_the_future_or_unknown_is_refused():
    result = plan(SEFTON, CALENDAR, date(2026, 12, 24), today=date(2026, 12, 29),
                  done={"raise": date(2027, 1, 4), "nothing": date(2026, 12, 29)})
    assert {p.field for p in result.problems} == {"done--raise", "done--nothing"}


def test_the_words_of_each_step_say_what_it_counts_from():
    stage = SEFTON.stages[1]
    assert step_when(SEFTON, stage, stage.steps[0]) == (
        "Within 2 working days of the completion of stage 1")
    assert step_when(SEFTON, stage, stage.steps[3]) == "Within 48 hours of 'Meeting'"
    assert when(SEFTON, SEFTON.stages[0]).startswith(
        "Raise it with the other agency: within 2 working days of the disagreement arising; "
        "The agency speaks to you: within 3 working days of 'Raise it with the other agency'")
    assert "If agreed: Letter confirming what was agreed: within 2 working days of 'Agree" \
        in when(SEFTON, stage)


def test_a_limit_over_a_group_of_stages_counts_from_the_first_of_them():
    # West Yorkshire 2.8: "steps 1 to 5 should not exceed 5 working days in all".
    five = Procedure(id="wy", name="W", start_event="the start", stages=tuple(
        Stage(number=n, name=f"S{n}", who="w", what="x",
              timescale=Timescale(2, WD, "start" if n == 1 else "previous stage"))
        for n in range(1, 7)), limits=(Limit(2, 5, 5, WD),))
    result = plan(five, CALENDAR, date(2027, 2, 1), today=date(2027, 2, 1))
    # Stage 1 ends 3 February; stages 2 to 5 in all within 5 working days of that: 10
    # February; stage 6 is outside the group and runs on from stage 5's capped date.
    assert [s.due.day for s in result.stages] == [
        date(2027, 2, 3), date(2027, 2, 5), date(2027, 2, 9), date(2027, 2, 10),
        date(2027, 2, 10), date(2027, 2, 12)]
    assert [s.capped for s in result.stages] == [False, False, False, True, True, False]


@settings(max_examples=150, deadline=None)
@given(start=st.dates(date(2026, 1, 1), date(2030, 12, 31)),
       offsets=st.lists(st.one_of(st.none(), st.integers(0, 40)), min_size=7, max_size=7),
       at=st.one_of(st.none(), st.times()))
def test_no_step_is_ever_due_before_what_it_counts_from(start, offsets, at):
    ids = [s.id for stage in SEFTON.stages for s in stage.steps]
    done = {i: start + timedelta(days=o) for i, o in zip(ids, offsets, strict=True) if o is not None}
    result = plan(SEFTON, CALENDAR, start, today=start + timedelta(days=60), done=done,
                  done_at={"meeting": at} if at else {})
    for stage in result.stages:
        for s in stage.steps:
            if s.due is None or s.counted_from is None:
                continue
            due = datetime.combine(s.due.day, s.due.at or time.max)
            counted = (s.counted_from if isinstance(s.counted_from, datetime)
                       else datetime.combine(s.counted_from, time()))
            assert due > counted, (s.id, s.counted_from, s.due)


def _checked(folder, stages_yaml: str) -> str:
    """The check's messages for a stages.yaml, the other files being Surrey's."""
    import shutil

    folder.mkdir(parents=True, exist_ok=True)
    shutil.copytree(FIXTURE_DATA, folder / "data")
    (folder / "data" / "stages.yaml").write_text(stages_yaml, encoding="utf-8")
    try:
        load_data_dir(folder / "data", today=date(2026, 12, 2))
    except DataError as error:
        return str(error)
    return ""


def test_the_check_names_a_step_counted_from_nothing_it_has(tmp_path):
    messages = _checked(tmp_path, """
procedures:
  - id: fast
    name: N
    start_event: the start
    stages:
      - number: 1
        name: S
        who: w
        what: x
        steps:
          - {id: one, name: One, timescale: {within: 2, unit: working days, counted_from: two}}
          - {id: two, name: Two, timescale: {within: 2, unit: hours, counted_from: previous step}}
          - id: two
            name: Again
            no_timescale: now
            timescale: {within: 1, unit: hours, counted_from: start}
      - number: 2
        name: T
        who: w
        what: x
        timescale: {within: 2, unit: working days, counted_from: previous step}
""")
    assert "'two' is not something a step can be counted from" in messages
    assert "another step of this procedure is 'two' already" in messages
    assert "a step has a timescale or 'no_timescale', not both" in messages
    assert "'previous step' is not something a stage can be counted from" in messages


# --- forms, notifications and duties ----------------------------------------------------

def _with_forms():
    from dataclasses import replace

    from escalation.model import NamedForm, Notification

    contact = DATA.contacts.contacts[0]
    stages = list(SEFTON.stages)
    stages[1] = replace(stages[1], duties=("Tell the other organisation you intend to escalate",),
                        forms=("notification",))
    return contact, replace(
        SEFTON, stages=tuple(stages), duties=("Record each discussion on the child's file",),
        forms=(NamedForm(id="notification", title="Notification form", reference="Appendix 2",
                         get_it="the partnership's website", send_to=contact.id),),
        notifications=(
            Notification(at="start", to=contact.id, what="that the procedure is in use"),
            Notification(at="stage 2", to=contact.id, what="that managers are involved",
                         form="notification"),
            Notification(at="resolution", to=contact.id, what="how it was resolved")))


def test_each_stage_says_its_duties_forms_and_whom_to_tell():
    from escalation.wording import every_stage_tasks, stage_tasks

    contact, procedure = _with_forms()
    assert stage_tasks(DATA, procedure, procedure.stages[0]) == [
        f"Tell {contact.name} that the procedure is in use."]
    assert stage_tasks(DATA, procedure, procedure.stages[1]) == [
        "Tell the other organisation you intend to escalate.",
        f"Complete the Notification form (Appendix 2), from the partnership's website, and "
        f"send it to {contact.name}.",
        f"Tell {contact.name} that managers are involved, on the Notification form."]
    assert every_stage_tasks(DATA, procedure) == [
        "At every stage: record each discussion on the child's file.",
        f"When it is resolved: tell {contact.name} how it was resolved."]


def test_the_check_names_a_form_or_a_stage_that_is_not_there(tmp_path):
    # A value of the wrong form is named where it is read (and the file's cross-checks
    # wait until it is put right).
    messages = _checked(tmp_path / "a", """
procedures:
  - id: fast
    name: N
    start_event: the start
    forms:
      - {id: monitoring, title: M, get_it: the website, address: "www.example.org"}
    notifications:
      - {at: the end, to: sscp, what: that it ended}
    stages:
      - {number: 1, name: S, who: w, what: x, no_timescale: now}
""")
    assert "'the end' is not a time to notify" in messages
    assert "'www.example.org' is not a web address" in messages
    messages = _checked(tmp_path / "b", """
procedures:
  - id: fast
    name: N
    start_event: the start
    forms:
      - {id: monitoring, title: M, get_it: the website}
    notifications:
      - {at: stage 9, to: sscp, what: that it started, form: missing}
    stages:
      - number: 1
        name: S
        who: w
        what: x
        forms: [monitoring, nowhere]
        timescale: {within: 2, unit: working days, counted_from: start}
""")
    assert "there is no form 'nowhere' in this procedure's 'forms'" in messages
    assert "there is no form 'missing' in this procedure's 'forms'" in messages
    assert "there is no stage 9 in this procedure" in messages


# --- timescales by priority -------------------------------------------------------------
# Cheshire East's escalation page: stage 2 "now includes a timescale for responses to
# support frontline managers to identify what issues require their immediate attention
# and those issues that are less urgent". Its table could not be read from the stored copy,
# so the numbers here are the shape's, not Cheshire East's.

def _by_priority():
    from escalation.model import Priority, PriorityTimescale

    return Procedure(
        id="ce", name="Escalation", start_event="the concern being raised",
        priorities=(Priority("urgent", "Urgent"), Priority("standard", "Standard")),
        stages=(
            Stage(number=1, name="Practitioners", who="w", what="x",
                  timescale=Timescale(2, WD, "start")),
            Stage(number=2, name="Frontline managers", who="w", what="x",
                  timescale=Timescale(5, WD, "previous stage", by_priority=(
                      PriorityTimescale("urgent", 24, "hours"),)))))


def test_a_timescale_by_priority_is_the_shortest_until_the_priority_is_given():
    p = _by_priority()
    unsure = plan(p, CALENDAR, date(2027, 2, 1), today=date(2027, 2, 1))
    # Stage 1 ends Wednesday 3 February; urgent: 24 hours from its start, Thursday 00:00.
    assert (unsure.stages[1].due.day, unsure.stages[1].due.at) == (date(2027, 2, 4), time(0))
    assert unsure.stages[1].unsure and not unsure.stages[0].unsure
    standard = plan(p, CALENDAR, date(2027, 2, 1), today=date(2027, 2, 1), priority="standard")
    assert (standard.stages[1].due.day, standard.stages[1].unsure) == (date(2027, 2, 10), False)
    urgent = plan(p, CALENDAR, date(2027, 2, 1), today=date(2027, 2, 1), priority="urgent")
    assert urgent.stages[1].due.day == date(2027, 2, 4)
    # A priority the procedure does not have (a damaged case file) is no choice at all.
    assert plan(p, CALENDAR, date(2027, 2, 1), today=date(2027, 2, 1),
                priority="nonsense").stages[1].unsure
    assert when(p, p.stages[1]) == ("Urgent: within 24 hours of the completion of stage 1; "
                                    "Standard: within 5 working days of the completion of "
                                    "stage 1")


def test_indicative_timescales_are_said_as_a_guide():
    from dataclasses import replace

    # HIPS procedures (Hampshire, Isle of Wight, Portsmouth, Southampton): "timescales
    # are indicative".
    p = replace(SEFTON, indicative=True)
    assert step_when(p, p.stages[0], p.stages[0].steps[0]).endswith(
        "(indicative: the procedure's timescales are a guide)")


# --- role contacts per agency -----------------------------------------------------------
# Cheshire East lists a single point of contact per agency ("See the SPOC (single point of
# contact) list for where to escalate to"); Surrey's FaST stage 3 goes to "their opposite
# number in the other agency".

def test_a_stage_that_goes_to_a_role_lists_each_agencys_holder(tmp_path):
    import shutil

    import yaml

    from escalation.wording import stage_tasks

    folder = tmp_path / "data"
    shutil.copytree(FIXTURE_DATA, folder)
    contacts = yaml.safe_load((folder / "contacts.yaml").read_text("utf-8"))
    contacts["roles"] = [{"id": "spoc", "name": "single point of contact"}]
    holders = [c for c in contacts["contacts"] if c.get("phone") or c.get("email")][:2]
    for c in holders:
        c["role"] = "spoc"
    (folder / "contacts.yaml").write_text(yaml.safe_dump(contacts, sort_keys=False), "utf-8")
    stages = yaml.safe_load((folder / "stages.yaml").read_text("utf-8"))
    stages["procedures"][0]["stages"][2]["contact_role"] = "spoc"
    (folder / "stages.yaml").write_text(yaml.safe_dump(stages, sort_keys=False), "utf-8")
    data, _ = load_data_dir(folder)
    procedure = data.procedures.procedures[0]
    said = stage_tasks(data, procedure, procedure.stages[2])[0]
    groups = {g.id: g for g in data.contacts.groups}
    assert said.startswith("Contact the other agency's single point of contact: ")
    for c in holders:
        group = groups[c["group"]]
        assert f"{group.partner or group.name}: {c['name']}" in said
        assert (c.get("phone") or c.get("email")) in said

    # A role nobody holds, or one not listed, is named by the check.
    stages["procedures"][0]["stages"][2]["contact_role"] = "liaison"
    (folder / "stages.yaml").write_text(yaml.safe_dump(stages, sort_keys=False), "utf-8")
    try:
        load_data_dir(folder)
    except DataError as error:
        assert "'liaison' is not one of the roles listed in contacts.yaml" in str(error)
    else:
        raise AssertionError("the check let an unknown role through")


def test_the_agency_log_lists_the_steps_done_in_their_stages_row():
    import csv
    import io

    from escalation.agency_log import StageRecord, agency_log_csv

    text = agency_log_csv([StageRecord(stage=2, who="=HYPERLINK(1)")], date(2026, 12, 24),
                          [(2, "If not agreed: Meeting", date(2027, 1, 14)),
                           (2, "Agree a way forward", date(2027, 1, 8)),
                           (3, "=cmd", date(2027, 1, 18))])
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[0][-1] == "Done within the stage"
    assert rows[1] == ["1", "2026-12-24", "", "", "", ""]
    assert rows[2] == ["2", "", "'=HYPERLINK(1)", "", "",
                       "If not agreed: Meeting: 2027-01-14; Agree a way forward: 2027-01-08"]
    assert rows[3] == ["3", "", "", "", "", "'=cmd: 2027-01-18"]
    # A procedure without steps keeps the five columns.
    assert "Done within the stage" not in agency_log_csv([], date(2026, 12, 24))


def test_an_earlier_versions_fields_are_named_with_how_to_write_them_now(tmp_path):
    import shutil

    shutil.copytree(FIXTURE_DATA, tmp_path / "data")
    stages = tmp_path / "data" / "stages.yaml"
    text = stages.read_text("utf-8").replace(
        "    drift:\n", "    overall: {within: 15, unit: working days, counted_from: start}\n"
                       "    drift:\n", 1)
    stages.write_text(text, "utf-8")
    contacts = tmp_path / "data" / "contacts.yaml"
    text = contacts.read_text("utf-8")
    assert "hours: [{" in text
    contacts.write_text(text.replace("hours: [{", "hours: {", 1).replace("}]\n", "}\n", 1),
                        "utf-8")
    try:
        load_data_dir(tmp_path / "data")
    except DataError as error:
        said = str(error)
    else:
        raise AssertionError("the check let the old fields through")
    assert "overall: unknown field: a procedure's overall limit is now one of its 'limits'" in said
    assert "hours: should be a list (lines starting with '- '), not a set of fields: for a " \
        "single entry, make it a list of one" in said


def test_a_step_with_no_timescale_done_does_not_hold_up_its_stage():
    # Lincolnshire, step 1: "An acknowledgement must be provided immediately"; "within 48
    # hours (two working days) of the initial discussion, an agreed action plan".
    p = Procedure(id="l", name="L", start_event="the initial discussion", stages=(
        Stage(number=1, name="Professional to professional", who="w", what="x", steps=(
            step("acknowledge", "Acknowledgement", no_timescale="provide it immediately"),
            step("action-plan", "Agreed action plan", 48, unit="hours", counted_from="start"))),
        Stage(number=2, name="Manager to manager", who="w", what="x",
              timescale=Timescale(5, WD, "start"))))
    for done in ({}, {"acknowledge": date(2027, 2, 1)}):
        result = plan(p, CALENDAR, date(2027, 2, 1), today=date(2027, 2, 1), done=done,
                      start_at=time(10, 0))
        assert (result.stages[0].due.day, result.stages[0].due.at) == (date(2027, 2, 3),
                                                                       time(10, 0))
        assert result.stages[1].due.day == date(2027, 2, 8)
    assert result.stages[0].steps[0].status == "done"


def test_a_step_left_unrecorded_in_a_completed_stage_is_no_longer_due():
    result = plan(SEFTON, CALENDAR, date(2026, 12, 24), today=date(2027, 1, 20),
                  completed={1: date(2027, 1, 4)}, done={"raise": date(2026, 12, 28)})
    assert [s.status for s in result.stages[0].steps] == ["done", "stage completed",
                                                          "stage completed"]
    assert result.stages[1].steps[0].status == "overdue"  # stage 2 runs from 4 January


def test_each_step_not_done_has_its_own_calendar_reminder():
    from escalation.reminders import stage_reminders

    result = plan(SEFTON, CALENDAR, date(2026, 12, 24), today=date(2026, 12, 24),
                  done={"raise": date(2026, 12, 24)})
    reminders = stage_reminders(result, SEFTON, "p", "case-1", CALENDAR)
    assert [r.uid for r in reminders] == [
        "sefton-case-1-step-speak@p", "sefton-case-1-step-reply@p", "sefton-case-1-stage-1@p",
        "sefton-case-1-step-agree@p", "sefton-case-1-step-agreed-letter@p",
        "sefton-case-1-step-meeting@p", "sefton-case-1-step-outcome-letter@p",
        "sefton-case-1-stage-2@p"]
    letter = reminders[6]
    assert letter.summary == ("Resolution of professional disagreement: stage 2, If not "
                              "agreed: Outcome letter, due at 00:00")
    # Raised on 24 December: spoken to by 31 December, the reply by 5 January, agreement
    # by 7 January, the meeting by 14 January and its letter 48 hours on, Saturday 16 at
    # 00:00; the alarm rings on the working day before, Friday 15.
    assert (letter.day, letter.remind_on) == (date(2027, 1, 16), date(2027, 1, 15))
