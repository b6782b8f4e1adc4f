"""The tool's view and files, computed by the engine exactly as the browser's worker calls
it (journey.view, journey.download, journey.open_case_file), on the frozen default
site's bundle (tests/fixture_site)."""

from __future__ import annotations

import json
import shutil
from datetime import date
from email import message_from_bytes, policy
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from conftest import FIXTURE_DATA, edit
from escalation.bundle import load_bundle
from escalation.case import parse_day, read_case
from escalation.journey import download, open_case_file, view
from escalation_build.bundle import make_bundle
from packs import FIXTURE_PACK

NOW = "2027-01-05T09:30"
UTC = "2027-01-05T09:30:00.000Z"
# The partnership id a case file saved on the default site's tool carries, and another's.
PARTNERSHIP = FIXTURE_PACK.data.partnership.id
ANOTHER = "another-partnership"


@pytest.fixture(scope="module")
def bundle():
    return load_bundle(make_bundle(FIXTURE_DATA, date(2026, 11, 27)))


def case(**extra):
    state = {
        "start": "24/12/2026",
        "stages": {"1": {"who": "My line manager", "completed": "29/12/2026"},
                   "2": {"started": "30 Dec 2026", "who": "A. Patel", "how": "Email",
                         "outcome": "No response", "completed": "4/1/2027"}},
        "email": {"stage": "", "agency": "east-surrey-hospital"},
        "fields": {"child_family": "Case ref 4471"},
    }
    state.update(extra)
    return state


# --- dates as people type them ------------------------------------------------------------

@pytest.mark.parametrize("typed", ["24/12/2026", "24-12-2026", "24.12.2026", "24 12 2026",
                                   " 24 / 12 / 2026 ", "24 Dec 2026", "24 December 2026",
                                   "2026-12-24", "24/12/2026"])
def test_a_date_is_read_as_people_in_the_uk_type_it(typed):
    assert parse_day(typed) == date(2026, 12, 24)


@pytest.mark.parametrize("typed, message", [
    ("31/02/2027", "31/02/2027 is not a real date: February 2027 has 28 days."),
    ("29/02/2028", None),  # a leap year
    ("31/04/2027", "31/04/2027 is not a real date: April 2027 has 30 days."),
    ("24/13/2026", "The month must be from 1 to 12."),
    ("24/12/26", "Enter the year in full, with 4 digits, such as 24/12/2026."),
    ("tomorrow", "Enter the date as day, month and year, such as 24/12/2026."),
    ("24 Decembre 2026", "Enter the month as a number or a name, such as 24/12/2026."),
    ("01/01/0001", "Enter a real year, such as 2026."),
])
def test_a_wrong_date_says_what_is_wrong(typed, message):
    if message is None:
        assert parse_day(typed) == date(2028, 2, 29)
        return
    with pytest.raises(ValueError) as error:
        parse_day(typed)
    assert str(error.value) == message


@given(st.dates(min_value=date(1900, 1, 1), max_value=date(2999, 12, 31)))
def test_every_date_written_day_month_year_reads_back(day):
    assert parse_day(f"{day.day}/{day.month}/{day.year}") == day
    assert parse_day(f"{day:%d %B %Y}") == day


# --- the view -----------------------------------------------------------------------------

def test_an_unreadable_date_is_reported_once_beside_its_field(bundle):
    state = case(stages={"2": {"started": "31/02/2027"}})
    problems = view(bundle, state, NOW)["plan"]["problems"]
    assert problems == [{"field": "started-2",
                         "message": "31/02/2027 is not a real date: February 2027 has 28 days."}]


def test_the_next_email_is_the_first_stage_not_yet_completed(bundle):
    email = view(bundle, case(), NOW)["email"]
    assert email["stage"] == "3"
    assert email["subject"] == ("SSCP Stage 3 FaST Resolution request - Urgent 48-hour "
                                "response required")
    assert (email["to"], email["cc"]) == ("sash.safeguardingchildren@nhs.net",
                                          "Partnership.escalation@surreycc.gov.uk")
    # Typed once: the previous stage's start and recipient come from its record.
    assert ("On Wednesday 30 December 2026 I submitted a FaST Resolution Stage 2 request to "
            "A. Patel regarding Child/Family Case ref 4471") in email["body"]


def test_what_is_typed_for_the_email_wins_over_the_record(bundle):
    state = case(emails={"3": {"previous_recipient": "the duty manager",
                               "previous_date": "2 January"}})
    body = view(bundle, state, NOW)["email"]["body"]
    assert "On 2 January I submitted a FaST Resolution Stage 2 request to the duty manager" in body


def test_a_chosen_stage_and_an_unknown_agency(bundle):
    state = case(email={"stage": "2", "agency": "no-such-contact"})
    email = view(bundle, state, NOW)["email"]
    assert email["stage"] == "2"
    assert email["to"] == "" and email["needs_agency"] and email["mailto"] is None
    assert email["fields"] == ["action_needed", "child_family", "recipient_name", "risk",
                               "sender"]


def test_the_form_is_filled_from_the_records_and_dated_today(bundle):
    html = view(bundle, case(), NOW)["form"]["html"]
    assert "Case ref 4471" in html and "A. Patel" in html and "Wednesday 30 December 2026" in html
    assert "Tuesday 5 January 2027" in html  # the date of submission


def test_nothing_typed_of_the_wrong_shape_is_trusted(bundle):
    state = {"answers": ["not", "a", "mapping"], "start": 20261224,
             "stages": {"x": {"who": "?"}, "2": "no"}, "email": None, "fields": {"risk": 3}}
    shown = view(bundle, state, NOW)
    assert shown["plan"]["stages"] == [] and shown["chooser"]["asked"] == []
    assert read_case(state).fields == {}


# --- files --------------------------------------------------------------------------------

def test_file_names_never_carry_what_was_typed(bundle):
    names = [download(bundle, case(), NOW, UTC, what)["name"]
             for what in ("email", "form", "calendar", "log", "case")]
    assert names == ["fast-stage-3-email.eml", "fast-resolution-form.eml", "fast-deadlines.ics",
                     "fast-log-2027-01-05.csv", "fast-case-2027-01-05.json"]


def test_the_email_file_is_named_with_the_procedures_word_for_its_stages(tmp_path):
    data = Path(shutil.copytree(FIXTURE_DATA, tmp_path / "data"))
    main = FIXTURE_PACK.data.partnership.main_procedure
    edit(data / "stages.yaml", f"  - id: {main}\n", f"  - id: {main}\n    stage_word: step\n")
    stepped = load_bundle(make_bundle(data, date(2026, 11, 27)))
    assert download(stepped, case(), NOW, UTC, "email")["name"] == f"{main}-step-3-email.eml"


def test_the_email_file_has_the_subject_on_one_line(bundle):
    eml = download(bundle, case(), NOW, UTC, "email")["text"].encode()
    message = message_from_bytes(eml, policy=policy.default)
    assert message["Subject"] == ("SSCP Stage 3 FaST Resolution request - Urgent 48-hour "
                                  "response required")


def test_a_case_file_reads_back_as_it_was_saved(bundle):
    saved = download(bundle, case(), NOW, UTC, "case")["text"]
    state = open_case_file(bundle, saved)
    # A case from before each procedure kept its own record reads as FaST's.
    assert state["plans"]["fast"]["stages"]["2"] == {
        "started": "30 Dec 2026", "completed": "4/1/2027", "who": "A. Patel", "how": "Email",
        "outcome": "No response"}
    assert view(bundle, state, NOW) == view(bundle, case(), NOW)
    again = open_case_file(bundle, download(bundle, state, NOW, UTC, "case")["text"])
    assert again == state


def test_each_procedure_keeps_its_own_record_and_the_case_file_keeps_them_all(bundle):
    state = {"plans": {"fast": case()}, "answers": {"immediate-risk": "Yes"}}
    # The emergency route has no stages: nothing is planned, nothing is lost.
    shown = view(bundle, state, NOW)["plan"]
    assert shown["procedure_id"] is None and shown["stages"] == [] and shown["none"]
    saved = open_case_file(bundle, download(bundle, state, NOW, UTC, "case")["text"])
    assert saved["plans"]["fast"]["stages"]["2"]["who"] == "A. Patel"
    # Back to FaST: its dates and records are all there.
    saved["answers"] = {}
    assert [s["status"] for s in view(bundle, saved, NOW)["plan"]["stages"]][:2] == [
        "done", "done"]


@pytest.mark.parametrize("text, message", [
    ("not json", "This is not a case file saved by this tool: it cannot be read."),
    ('{"kind": "something else"}', "This is not a case file saved by this tool."),
    (json.dumps({"kind": "escalation-case-file", "version": 9, "partnership": PARTNERSHIP}),
     "This case file was saved by another version of the tool (version 9); this one reads "
     "versions 1 and 2."),
    (json.dumps({"kind": "escalation-case-file", "version": 1, "partnership": ANOTHER}),
     f"This case file was saved on another partnership's tool ('{ANOTHER}'): its "
     "procedures and contacts differ, so open it there."),
])
def test_a_file_that_is_not_a_case_file_is_refused_plainly(bundle, text, message):
    with pytest.raises(ValueError) as error:
        open_case_file(bundle, text)
    assert str(error.value) == message


def test_a_calendar_needs_a_start_date(bundle):
    with pytest.raises(ValueError, match="enter the start date first"):
        download(bundle, {}, NOW, UTC, "calendar")


def test_the_log_opens_as_utf_8_in_a_spreadsheet(bundle):
    text = download(bundle, case(stages={"1": {"who": "=HYPERLINK(\"x\")"}}), NOW, UTC,
                    "log")["text"]
    assert text.startswith("\ufeffStage,Start date")
    assert "'=HYPERLINK" in text  # never a formula
    json.dumps(text)  # and it travels to the page as JSON


def test_with_every_email_stage_completed_the_last_email_stays_shown(bundle):
    stages = {str(n): {"completed": f"{28 + n}/12/2026"} for n in (1, 2, 3)}
    stages["4"] = {"completed": "04/01/2027"}
    assert view(bundle, case(stages=stages), NOW)["email"]["stage"] == "4"


def test_a_calendar_outside_the_known_years_says_why(bundle):
    with pytest.raises(ValueError, match="2099"):
        download(bundle, {"start": "1/1/2099"}, NOW, UTC, "calendar")


def test_records_of_stages_the_procedure_does_not_have_are_dropped(bundle):
    state = case(stages={"²": {"who": "x"}, "0": {"started": "2/1/2027"}, "9": {"who": "y"}})
    shown = view(bundle, state, NOW)
    assert shown["plan"]["problems"] == []
    log = download(bundle, state, NOW, UTC, "log")["text"]
    assert log.splitlines()[1:] == ["1,2026-12-24,,,"]


def test_a_cases_reminders_keep_their_identity_and_two_cases_do_not_collide(bundle):
    from icalendar import Calendar

    def uids(state):
        ics = download(bundle, state, NOW, UTC, "calendar")["text"]
        return [str(e["UID"]) for e in Calendar.from_ical(ics).walk("VEVENT")]

    first = uids(case(id="case-1111aaaa"))
    assert first == [f"fast-case-1111aaaa-stage-{n}@surrey" for n in (3, 4, 5)]
    # Stage 3 done early moves stages 4 and 5: the same events, updated.
    early = case(id="case-1111aaaa")
    early["stages"]["3"] = {"completed": "5/1/2027"}
    assert uids(early) == first[1:]
    assert set(uids(case(id="case-2222bbbb"))).isdisjoint(first)
    # An id that is not one of ours is ignored, never written into the file.
    assert uids(case(id="x\r\nBEGIN:VEVENT")) == [
        "fast-stage-3-20270106@surrey", "fast-stage-4-20270108@surrey",
        "fast-stage-5-20270112@surrey"]


def test_each_email_keeps_its_own_answers(bundle):
    # What was typed for the stage 3 email (whom it goes to, when the stage 2 request went)
    # must not turn up in the stage 4 email, which takes stage 3's own record instead.
    state = case(email={"stage": "4", "agency": "east-surrey-hospital"},
                 emails={"3": {"recipient_name": "B. Jones", "previous_date": "4 November"}})
    state["stages"]["3"] = {"started": "5/1/2027", "who": "D. Khan, service manager"}
    body = view(bundle, state, NOW)["email"]["body"]
    assert body.startswith("Dear [To fill: Name of the person you are writing to]")
    assert ("On Tuesday 5 January 2027 I submitted a FaST Resolution Stage 3 request to "
            "D. Khan, service manager") in body
    # A shared answer (the child) serves every email; a per-email one typed as shared does not.
    state["fields"]["recipient_name"] = "Typed as shared"
    assert "Case ref 4471" in view(bundle, state, NOW)["email"]["body"]
    assert "Typed as shared" not in view(bundle, state, NOW)["email"]["body"]


def test_times_are_read_as_people_type_them():
    from datetime import time

    import pytest

    from escalation.case import parse_time

    assert [parse_time(t) for t in ("14:30", "14.30", "2.30pm", "2pm", "9 am", "12am", "12pm")] == [
        time(14, 30), time(14, 30), time(14, 30), time(14), time(9), time(0), time(12)]
    for wrong, message in (("25:00", "is not a time of day"), ("14", "Enter the minutes too"),
                           ("13pm", "the hour must be from 1 to 12"), ("soon", "Enter the time")):
        with pytest.raises(ValueError, match=message):
            parse_time(wrong)


def test_a_rejected_stage_date_changes_nothing_in_the_plan_the_log_or_the_form(bundle):
    good = view(bundle, case(), NOW)
    # Stage 2 "started" before the process began, and "completed" next week.
    wrong = case(stages={"1": {"who": "My line manager", "completed": "29/12/2026"},
                         "2": {"started": "1/12/2026", "who": "A. Patel",
                               "completed": "12/1/2027"}})
    shown = view(bundle, wrong, NOW)
    fields = {p["field"] for p in shown["plan"]["problems"]}
    assert fields == {"started-2", "completed-2"}
    # Stage 2 is not done: every deadline is as if nothing were typed for it.
    only_stage_1 = view(bundle, case(stages={"1": {"who": "My line manager",
                                                    "completed": "29/12/2026"}}), NOW)
    assert [s["due_text"] for s in shown["plan"]["stages"]] == \
        [s["due_text"] for s in only_stage_1["plan"]["stages"]]
    assert shown["plan"]["end"] == only_stage_1["plan"]["end"]
    assert shown["plan"]["stages"][1]["status"] != "done"
    assert good["plan"]["stages"][1]["status"] == "done"
    # The stage log and Appendix 1 do not carry the rejected date either.
    assert "1 December 2026" not in shown["form"]["html"]
    log = download(bundle, wrong, NOW, UTC, "log")["text"]
    assert "2026-12-01" not in log


def test_stage_1_contact_is_the_day_typed_for_it_else_the_start(bundle):
    typed = case(stages={"1": {"started": "29/12/2026", "who": "My line manager"}})
    assert "Tuesday 29 December 2026" in view(bundle, typed, NOW)["form"]["html"]
    assert "\r\n1,2026-12-29,My line manager" in download(bundle, typed, NOW, UTC, "log")["text"]
    untyped = case(stages={"1": {"who": "My line manager"}})
    assert "\r\n1,2026-12-24,My line manager" in download(bundle, untyped, NOW, UTC, "log")["text"]


def test_the_calendar_file_reminds_on_the_working_day_before_each_deadline(bundle):
    state = case(stages={"1": {"completed": "29/12/2026"}})
    ics = download(bundle, state, "2026-12-30T09:00", UTC, "calendar")["text"]
    # Stage 5 is due Monday 11 January 2027: the alarm rings at 09:00 on Friday 8 January,
    # two days and fifteen hours before the start of the Monday.
    assert "DTSTART;VALUE=DATE:20270111\r\n" in ics
    assert ics.split("DTSTART;VALUE=DATE:20270111")[1].count("TRIGGER:-P2DT15H") == 1


def saved_file(case_part, version=2):
    return json.dumps({"kind": "escalation-case-file", "version": version,
                       "partnership": PARTNERSHIP, "case": case_part})


@pytest.mark.parametrize("case_part, message", [
    ([], "This case file cannot be opened: the case in it should be a set of named values, "
         "but it is a list."),
    ({"answers": ["No"]}, "This case file cannot be opened: “answers” should be a set of "
                          "named values, but it is a list."),
    ({"fields": {"child_family": 4471}}, "This case file cannot be opened: “fields” "
                                         "“child_family” should be text, but it is a number."),
    ({"plans": {"fast": {"start": None}}}, "This case file cannot be opened: the plan “fast” "
                                           "“start” should be text, but it is empty (null)."),
    ({"plans": {"fast": {"stages": {"2": {"who": True}}}}},
     "This case file cannot be opened: the plan “fast” stage 2 “who” should be text, but it "
     "is true or false."),
    ({"emails": {"3": "B. Jones"}}, "This case file cannot be opened: the stage 3 email should "
                                    "be a set of named values, but it is text."),
])
def test_a_case_file_of_the_wrong_shape_is_refused_naming_what_is_wrong(bundle, case_part,
                                                                      message):
    with pytest.raises(ValueError) as refused:
        open_case_file(bundle, saved_file(case_part))
    assert str(refused.value) == message


def test_a_case_file_of_an_unknown_version_or_too_large_is_refused(bundle):
    with pytest.raises(ValueError, match=r"another version of the tool \(version 99\)"):
        open_case_file(bundle, saved_file({}, version=99))
    with pytest.raises(ValueError, match="too large to be a case file"):
        open_case_file(bundle, saved_file({"fields": {"risk": "x" * 5_000_001}}))


def test_keys_that_are_no_field_of_the_case_are_left_out(bundle):
    opened = open_case_file(bundle, saved_file({
        "id": "__proto__.polluted", "answers": {"__proto__": "Yes", "constructor": "No"},
        "email": {"stage": "__proto__.polluted", "agency": "__proto__"},
        "fields": {"__proto__": "x", "prototype": "y", "child_family": "Case ref 4471"},
        "emails": {"__proto__": {"recipient_name": "x"}, "2": {"__proto__": "x"}},
        "plans": {"__proto__": {"start": "24/12/2026"}}}))
    assert opened["fields"] == {"child_family": "Case ref 4471"}
    assert opened["answers"] == {} and opened["emails"] == {} and opened["plans"] == {}
    assert opened["email"] == {"stage": "", "agency": ""} and opened["id"] == ""


def test_the_route_lists_the_line_to_ring_now_first_with_call_and_mail_links(bundle):
    emergency = {"answers": {"immediate-risk": "Yes"}}
    saturday_night = view(bundle, emergency, "2026-12-26T22:00")["chooser"]["route"]["contacts"]
    assert [(c["name"], c["now"]) for c in saturday_night] == [
        ("Emergency Duty Team", "Open now, ring this line"), ("Police emergency", None),
        ("Surrey Children's Single Point of Access (C-SPA)", "Closed now")]
    assert saturday_night[0]["tel"] == "tel:01483517898"
    assert saturday_night[2]["mailto"] == "mailto:cspa@surreycc.gov.uk"
    weekday = view(bundle, emergency, "2026-12-23T10:00")["chooser"]["route"]["contacts"]
    assert [(c["name"], c["now"]) for c in weekday] == [
        ("Surrey Children's Single Point of Access (C-SPA)", "Open now, ring this line"),
        ("Police emergency", None), ("Emergency Duty Team", None)]
