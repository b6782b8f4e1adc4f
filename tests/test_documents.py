"""The documents a practitioner sends or keeps, written from the frozen default site's data
(tests/fixture_site).

Each output is read back with an independent reader (the stdlib email parser, the
icalendar library, csv.reader, urllib's unquote), so the tests check what a mail
program, a calendar or a spreadsheet would see, not our own strings.
"""

from __future__ import annotations

import csv
import io
from datetime import UTC, date, datetime, timedelta
from email import policy
from email.parser import BytesParser
from urllib.parse import unquote, urlsplit

import icalendar
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import FIXTURE_DATA
from escalation.agency_log import StageRecord, agency_log_csv
from escalation.appendix import appendix_form, form_email, form_html, form_text
from escalation.documents import fill
from escalation.emails import Email, email_eml, email_html, email_text, mailto_url, stage_email
from escalation.reminders import Reminder, calendar_ics
from escalation.wording import fill_contact_details
from escalation_build.sources import load_data_dir

SSCP = "Partnership.escalation@surreycc.gov.uk"
ROYAL_SURREY = "rsc-tr.SafeguardingChildren@nhs.net"
SCRIPT = "<script>alert(1)</script>"
STAMP = datetime(2026, 12, 1, 9, 30, tzinfo=UTC)


@pytest.fixture(scope="module")
def data():
    loaded, _ = load_data_dir(FIXTURE_DATA)
    return loaded


def parse_eml(raw: bytes):
    return BytesParser(policy=policy.default).parsebytes(raw)


def body_of(message) -> str:
    """The body as a mail program shows it (an .eml file's lines end in CRLF)."""
    return message.get_content().replace("\r\n", "\n")


def an_email(**changes) -> Email:
    fields = dict(to=(ROYAL_SURREY,), cc=(SSCP,), subject="Stage 2", body="Dear Sam\n\nThanks")
    fields.update(changes)
    return Email(**fields)


# --- stage emails ------------------------------------------------------------------------


@pytest.mark.parametrize("stage, subject", [
    (2, "SSCP Stage 2 FaST Resolution request – Urgent response required within 2 working days"),
    (3, "SSCP Stage 3 FaST Resolution request - Urgent 48-hour response required"),
    (4, "SSCP Stage 4 FaST Resolution request – Urgent 48-hour response required"),
])
def test_stage_email_keeps_the_partnerships_subject_and_copies_in_the_sscp(data, stage, subject):
    email = stage_email(data, stage, {}, "royal-surrey")
    assert email.subject == subject
    assert email.to == (ROYAL_SURREY,)
    assert email.cc == (SSCP,)


def test_stage_email_fills_what_was_typed_and_marks_what_was_not(data):
    email = stage_email(data, 2, {"child_family": "AB (ref 1234)", "risk": "No plan for tonight",
                                  "recipient_name": "  "}, "east-surrey-hospital")
    assert email.to == ("sash.safeguardingchildren@nhs.net",)
    assert "Child/family: AB (ref 1234)\nThe risk: No plan for tonight\n" in email.body
    assert email.body.startswith("Dear [To fill: Name of the person you are writing to]\n")
    assert "The action needed: [To fill: What action you believe needs to be taken]" in email.body
    assert email.body.endswith("[To fill: Your name, position and telephone number]")


def test_stage_email_fills_the_same_answer_everywhere_it_is_asked(data):
    email = stage_email(data, 3, {"child_family": "CD"}, "royal-surrey")
    assert "regarding Child/Family CD but" in email.body
    assert 'I believe that CD is still "at risk"' in email.body


def test_typed_text_is_never_read_as_a_contact_reference(data):
    email = stage_email(data, 2, {"risk": "{sscp.email} {child_family}"}, "royal-surrey")
    assert "The risk: {sscp.email} {child_family}\n" in email.body


def test_stage_email_without_a_chosen_agency_has_no_recipient_yet(data):
    email = stage_email(data, 2, {"child_family": "AB"}, None)
    assert email.to == ()
    assert email.cc == (SSCP,)
    assert "Child/family: AB" in email.body


def test_stage_email_follows_a_contact_that_shares_another_ones_address(data):
    # Mind Works Surrey uses Surrey and Borders Partnership's safeguarding address.
    assert stage_email(data, 2, {}, "mind-works").to == ("safeguardingchildren@sabp.nhs.uk",)


def test_stage_email_names_what_is_missing(data):
    with pytest.raises(KeyError, match="no email template for stage 9 of procedure 'fast'"):
        stage_email(data, 9, {}, "royal-surrey")
    with pytest.raises(ValueError, match="stage 5 template 'stage-5' has no subject and body"):
        stage_email(data, 5, {}, None)
    with pytest.raises(KeyError, match="no contact 'nobody'"):
        stage_email(data, 2, {}, "nobody")
    with pytest.raises(ValueError, match="contact 'edt' in contacts.yaml has no email address"):
        stage_email(data, 2, {}, "edt")


def test_email_text_lists_headers_then_the_body():
    assert email_text(an_email()) == (
        f"To: {ROYAL_SURREY}\nCc: {SSCP}\nSubject: Stage 2\n\nDear Sam\n\nThanks")


def test_fill_for_pages_fills_placeholders_in_text_read_with_its_references_filled(data):
    # The data's references ({sscp.email}) are filled in once, when it is read; fill
    # then fills the placeholders only.
    written = fill_contact_details("Write to {sscp.email} about {child_family}", data)
    assert fill(written, {}, data) == f"Write to {SSCP} about [To fill: Child or family]"
    assert fill("{sscp.email}", {}, data) == "{sscp.email}"


# --- .eml ----------------------------------------------------------------------------------


def test_eml_reads_back_as_an_unsent_draft_with_the_same_headers_and_body(data):
    email = stage_email(data, 2, {"child_family": "Zoë", "risk": "Line one\nLine two"},
                        "royal-surrey")
    raw = email_eml(email)
    message = parse_eml(raw)
    assert message["To"] == ROYAL_SURREY
    assert message["Cc"] == SSCP
    assert message["Subject"] == (
        "SSCP Stage 2 FaST Resolution request – Urgent response required within 2 working days")
    assert message["X-Unsent"] == "1"
    assert message["MIME-Version"] == "1.0"
    assert message.get_content_type() == "text/plain"
    assert message.get_content_charset() == "utf-8"
    assert body_of(message) == email.body + "\n"
    assert b"\r\n" in raw and b"\n" not in raw.replace(b"\r\n", b"")


def test_eml_without_a_recipient_yet_has_no_to_header():
    message = parse_eml(email_eml(an_email(to=(), cc=())))
    assert message["To"] is None and message["Cc"] is None


@pytest.mark.parametrize("newline", ["\n", "\r\n", "\r", "\u2028", "\x85"])
def test_a_line_break_in_the_subject_cannot_add_a_header(newline):
    email = an_email(subject=f"x{newline}Bcc: evil@example.com")
    message = parse_eml(email_eml(email))
    assert list(message.keys()) == ["To", "Cc", "Subject", "X-Unsent", "Content-Type",
                                    "Content-Transfer-Encoding", "MIME-Version"]
    assert message["Subject"] == "x Bcc: evil@example.com"
    assert message["Bcc"] is None
    assert "\n" not in email_text(email).split("\n\n")[0].split("Subject: ")[1]


@pytest.mark.parametrize("newline", ["\n", "\r\n", "\r"])
def test_a_line_break_in_an_address_is_refused(newline):
    with pytest.raises(ValueError, match="not a complete email address"):
        an_email(to=(f"a@example.com{newline}Bcc: evil@example.com",))


@pytest.mark.parametrize("address", ["team", "team@example", "a b@example.com",
                                     "Evil <evil@example.com>", "a@example.com, b@example.com"])
def test_a_malformed_address_is_refused(address):
    with pytest.raises(ValueError, match="cannot send to this address"):
        an_email(cc=(address,))


def test_a_single_address_given_as_a_string_is_one_address():
    assert an_email(to=ROYAL_SURREY).to == (ROYAL_SURREY,)


@settings(max_examples=200, deadline=None)
@given(st.text(), st.text())
def test_no_typed_subject_or_body_adds_a_header(subject, body):
    message = parse_eml(email_eml(an_email(subject=subject, body=body)))
    assert sorted(message.keys()) == sorted(["To", "Cc", "Subject", "X-Unsent", "Content-Type",
                                             "Content-Transfer-Encoding", "MIME-Version"])


# --- HTML preview --------------------------------------------------------------------------


def test_email_html_escapes_what_was_typed(data):
    email = stage_email(data, 2, {"risk": SCRIPT, "child_family": 'A & "B"'}, "royal-surrey")
    fragment = email_html(email)
    assert "<script" not in fragment
    assert "The risk: &lt;script&gt;alert(1)&lt;/script&gt;" in fragment
    assert "Child/family: A &amp; &quot;B&quot;<br>" in fragment


def test_email_html_keeps_paragraphs_and_line_breaks_and_marks_gaps():
    fragment = email_html(an_email(body="Dear [To fill: Name]\n\nLine 1\nLine 2"))
    assert '<p>Dear <mark class="to-fill">[To fill: Name]</mark></p>' in fragment
    assert "<p>Line 1<br>\nLine 2</p>" in fragment
    assert f"<dt>To</dt><dd>{ROYAL_SURREY}</dd>" in fragment
    assert "<dt>Subject</dt><dd>Stage 2</dd>" in fragment


# --- mailto: -------------------------------------------------------------------------------


def test_mailto_round_trips_subject_and_body_and_encodes_what_would_end_them():
    body = "Risk: A & B?\nSee #3 = 50% +1\n\nThanks"
    url = mailto_url(an_email(to=(ROYAL_SURREY, "a+b@example.com"), subject="Stage 2 – now?",
                              body=body))
    parts = urlsplit(url)
    assert parts.scheme == "mailto"
    assert parts.path == f"{ROYAL_SURREY},a%2Bb@example.com"
    query = dict(pair.split("=", 1) for pair in parts.query.split("&"))
    assert list(query) == ["cc", "subject", "body"]
    assert unquote(query["cc"]) == SSCP
    assert unquote(query["subject"]) == "Stage 2 – now?"
    assert unquote(query["body"]) == body.replace("\n", "\r\n")
    assert "&" not in query["body"] and "?" not in query["body"] and "#" not in url


def test_mailto_leaves_out_an_empty_cc():
    assert mailto_url(an_email(cc=(), body="Hi")) == (
        f"mailto:{ROYAL_SURREY}?subject=Stage%202&body=Hi")


# --- the agency log as CSV ------------------------------------------------------------------


def read_csv(text: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(text, newline="")))


def test_agency_log_has_the_procedures_columns_and_one_row_per_stage_in_order():
    rows = read_csv(agency_log_csv([
        StageRecord(3, date(2026, 12, 7), "Team manager, Royal Surrey", "Phone", "Escalated"),
        StageRecord(2, date(2026, 12, 3), "Ward sister", "Email", "No reply, line 1\nline 2"),
    ]))
    assert rows == [
        ["Stage", "Start date", "Raised with", "How", "Outcome or resolution agreed"],
        ["2", "2026-12-03", "Ward sister", "Email", "No reply, line 1\nline 2"],
        ["3", "2026-12-07", "Team manager, Royal Surrey", "Phone", "Escalated"],
    ]


def test_agency_log_rows_end_with_crlf():
    assert agency_log_csv([StageRecord(2)]) == (
        "Stage,Start date,Raised with,How,Outcome or resolution agreed\r\n2,,,,\r\n")


def test_agency_log_start_date_is_stage_ones_start():
    assert read_csv(agency_log_csv([StageRecord(2, date(2026, 12, 3))], start=date(2026, 12, 1)))[1:] \
        == [["1", "2026-12-01", "", "", ""], ["2", "2026-12-03", "", "", ""]]
    assert read_csv(agency_log_csv([StageRecord(1, None, "My manager")], start=date(2026, 12, 1)))[1:] \
        == [["1", "2026-12-01", "My manager", "", ""]]


@pytest.mark.parametrize("typed", ['=HYPERLINK("http://evil.example","Click")', "+1", "-1",
                                   "@SUM(A1:A2)", "\tTab", "\rReturn"])
def test_agency_log_cells_never_start_a_formula(typed):
    row = read_csv(agency_log_csv([StageRecord(2, None, typed, typed, typed)]))[1]
    assert row[2:] == ["'" + typed] * 3


def test_agency_log_leaves_ordinary_text_alone():
    row = read_csv(agency_log_csv([StageRecord(2, None, "Dr O'Neil", "Teams call", "Agreed: 2 = 2")]))[1]
    assert row[2:] == ["Dr O'Neil", "Teams call", "Agreed: 2 = 2"]


# --- calendar reminders ---------------------------------------------------------------------


def reminders() -> list[Reminder]:
    return [
        Reminder("fast-stage-2-20261203@escalation.local", date(2026, 12, 3), "FaST stage 2 due",
                 "Inter-agency discussion"),
        Reminder("fast-stage-3-20261207@escalation.local", date(2026, 12, 7), "FaST stage 3 due"),
        Reminder("fast-stage-4-20261231@escalation.local", date(2026, 12, 31), "FaST stage 4 due"),
    ]


def events(ics: str) -> list:
    return icalendar.Calendar.from_ical(ics).walk("VEVENT")


def test_ics_has_one_all_day_event_per_reminder():
    ics = calendar_ics(reminders(), "FaST: AB", STAMP)
    calendar = icalendar.Calendar.from_ical(ics)
    assert str(calendar["X-WR-CALNAME"]) == "FaST: AB"
    assert str(calendar["VERSION"]) == "2.0"
    found = events(ics)
    assert [e["DTSTART"].dt for e in found] == [date(2026, 12, 3), date(2026, 12, 7),
                                               date(2026, 12, 31)]
    assert [e["DTEND"].dt for e in found] == [date(2026, 12, 4), date(2026, 12, 8),
                                             date(2027, 1, 1)]
    assert [str(e["SUMMARY"]) for e in found] == ["FaST stage 2 due", "FaST stage 3 due",
                                                 "FaST stage 4 due"]
    assert str(found[0]["UID"]) == "fast-stage-2-20261203@escalation.local"
    assert found[0]["DTSTAMP"].dt == STAMP


def test_ics_reminds_at_nine_the_day_before():
    alarm = events(calendar_ics(reminders()[:1], "FaST", STAMP))[0].walk("VALARM")[0]
    assert str(alarm["ACTION"]) == "DISPLAY"
    assert alarm["TRIGGER"].dt == timedelta(hours=-15)  # before midnight starting the day


def test_ics_uses_crlf_and_is_the_same_for_the_same_reminders():
    ics = calendar_ics(reminders(), "FaST", STAMP)
    assert ics.startswith("BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//escalation//EN\r\n")
    assert ics.endswith("END:VCALENDAR\r\n")
    assert "\n" not in ics.replace("\r\n", "")
    assert "DTSTAMP:20261201T093000Z\r\n" in ics
    assert ics == calendar_ics(reminders(), "FaST", STAMP)


def test_ics_text_with_line_breaks_and_separators_round_trips_as_one_event():
    tricky = "Line 1\nEND:VEVENT\r\nBEGIN:VEVENT;x, y; z\rSUMMARY:evil"
    long_text = ("Zoë’s café – Łódź 日本語 " * 10)[:200]  # many multi-byte characters
    assert len(long_text) == 200
    ics = calendar_ics([Reminder("a@b", date(2026, 12, 3), tricky, long_text)], tricky, STAMP)
    found = events(ics)
    assert len(found) == 1
    assert str(found[0]["SUMMARY"]) == tricky.replace("\r\n", "\n").replace("\r", "\n")
    assert str(found[0]["DESCRIPTION"]) == long_text
    assert sorted(found[0].keys()) == ["DESCRIPTION", "DTEND", "DTSTAMP", "DTSTART", "SUMMARY",
                                       "TRANSP", "UID"]
    assert all(len(line.encode("utf-8")) <= 75 for line in ics.split("\r\n"))


def test_ics_folds_long_lines_without_splitting_a_character():
    ics = calendar_ics([Reminder("u", date(2026, 12, 3), "é" * 100 + "日" * 50)], "FaST", STAMP)
    lines = ics.encode("utf-8").split(b"\r\n")
    assert max(len(line) for line in lines) == 75
    for line in lines:
        line.decode("utf-8")  # each physical line is whole UTF-8 on its own
    assert str(events(ics)[0]["SUMMARY"]) == "é" * 100 + "日" * 50


# Text a practitioner can type: anything but lone surrogates and control characters
# (these become spaces, like tabs in a one-line field, and are tested above).
typed_text = st.text(st.characters(blacklist_categories=("Cs", "Cc"),
                                   blacklist_characters="\u2028\u2029") | st.sampled_from("\n,;\\:\""))


@settings(max_examples=200, deadline=None)
@given(typed_text, typed_text)
def test_any_typed_text_round_trips_through_ics(summary, description):
    ics = calendar_ics([Reminder("u@x", date(2026, 12, 3), summary, description)], "FaST", STAMP)
    found = events(ics)
    assert len(found) == 1
    assert str(found[0]["SUMMARY"]) == summary
    assert str(found[0]["DESCRIPTION"]) == description
    assert all(len(line.encode("utf-8")) <= 75 for line in ics.split("\r\n"))


# --- the stage 5 form (Appendix 1) ----------------------------------------------------------


RECORDS = [
    StageRecord(1, date(2026, 12, 1), "My line manager", "Meeting", "Agreed to use FaST"),
    StageRecord(2, date(2026, 12, 3), "Ward sister", "Email", "No response"),
    StageRecord(3, date(2026, 12, 7), "Named Nurse", "Phone", "Not resolved"),
    StageRecord(4, date(2026, 12, 9), "Head of Safeguarding", "Email", "Not resolved by day 8"),
]


def test_appendix_form_has_the_forms_own_labels_and_the_practitioners_answers(data):
    form = appendix_form(data, {"child_family": "AB", "risk": "No plan\nfor tonight"}, RECORDS,
                         submitted=date(2026, 12, 11))
    assert form.title == "FaST Resolution Form"
    assert form.reference == "Appendix 1"
    assert form.heading == "FINDING SOLUTIONS TOGETHER"
    assert form.fields == (
        ("Name of the Child(ren)/Family that requires support:", "AB"),
        ("Name of the agency seeking a solution", ""),
        ("Name, role and contact details of agency representative seeking a solution", ""),
        ("What are you worried about?", "No plan\nfor tonight"),
        ("What action do you believe is needed?", ""),
    )
    assert form.log_columns == ("Stage", "Date Contact Made", "Who did you contact",
                                "How did you contact them",
                                "Outcome/Reason for moving to next stage")
    assert form.log_rows == (
        ("1", "Tuesday 1 December 2026", "My line manager", "Meeting", "Agreed to use FaST"),
        ("2", "Thursday 3 December 2026", "Ward sister", "Email", "No response"),
        ("3", "Monday 7 December 2026", "Named Nurse", "Phone", "Not resolved"),
        ("4", "Wednesday 9 December 2026", "Head of Safeguarding", "Email",
         "Not resolved by day 8"),
    )
    assert form.closing == (
        "If you have not found a suitable resolution on completion of Stage 4 (Day 8) then "
        "please forward this completed form on to the Surrey Safeguarding Children Partners @ "
        "Partnership.escalation@surreycc.gov.uk")
    assert form.submission_label == "Date of submission to SSCP:"
    assert form.submitted == "Friday 11 December 2026"


def test_appendix_form_lists_every_stage_even_before_it_happened(data):
    form = appendix_form(data, {}, RECORDS[:1])
    assert [row[0] for row in form.log_rows] == ["1", "2", "3", "4"]
    assert form.log_rows[1] == ("2", "", "", "", "")
    assert form.submitted == ""


def test_appendix_form_shows_the_latest_record_of_a_restarted_stage(data):
    form = appendix_form(data, {}, [StageRecord(2, date(2026, 12, 3), "First try"),
                                    StageRecord(2, date(2026, 12, 14), "After the restart")])
    assert form.log_rows[1][:3] == ("2", "Monday 14 December 2026", "After the restart")


def test_form_text_marks_blank_answers(data):
    text = form_text(appendix_form(data, {"child_family": "AB"}, RECORDS[:1]))
    assert "Name of the Child(ren)/Family that requires support:\nAB\n" in text
    assert "Name of the agency seeking a solution\n[To fill]\n" in text
    assert "Stage: 1\nDate Contact Made: Tuesday 1 December 2026\nWho did you contact: " \
           "My line manager\n" in text
    assert "Stage: 2\nDate Contact Made: [To fill]\n" in text
    assert text.endswith("Date of submission to SSCP: [To fill]")


def test_form_html_escapes_what_was_typed(data):
    fragment = form_html(appendix_form(
        data, {"risk": SCRIPT, "agency": "A & B"},
        [StageRecord(1, date(2026, 12, 1), SCRIPT, "<b>", '"x"')]))
    assert "<script" not in fragment and "<b>" not in fragment
    assert '<td class="form-answer">&lt;script&gt;alert(1)&lt;/script&gt;</td>' in fragment
    assert '<td class="form-answer">A &amp; B</td>' in fragment
    assert '<th scope="row">What are you worried about?</th>' in fragment


def test_form_html_is_built_like_the_sites_blank_form(data):
    fragment = form_html(appendix_form(data, {"risk": "Line 1\nLine 2"}, RECORDS,
                                       submitted=date(2026, 12, 11)))
    assert fragment.startswith('<div class="form-sheet">')
    assert '<table class="form-sheet__fields">' in fragment
    assert '<table class="form-sheet__log">' in fragment
    assert '<th scope="col">Date Contact Made</th>' in fragment
    assert '<tr><th scope="row">4</th><td class="form-answer">Wednesday 9 December 2026</td>' \
        in fragment
    assert '<td class="form-answer">Line 1<br>\nLine 2</td>' in fragment
    # A blank box answer stays tall, to write in by hand once printed.
    assert ('<th scope="row">What action do you believe is needed?</th>'
            '<td class="form-answer form-answer--tall"></td>') in fragment
    assert '<span class="form-line">Friday 11 December 2026</span>' in fragment


def test_form_email_goes_to_the_sscp_with_the_form_as_its_body(data):
    form = appendix_form(data, {"child_family": "AB"}, RECORDS)
    email = form_email(data, form)
    assert email.to == (SSCP,)
    assert email.cc == ()
    assert email.subject == "SSCP Stage 5 FaST Resolution Form – referral to the Partnership"
    assert email.body == form_text(form)
    assert body_of(parse_eml(email_eml(email))) == form_text(form) + "\n"


def test_stage_reminders_follow_the_plan_and_carry_nothing_typed(data):
    from escalation.reminders import stage_reminders
    from escalation.timeline import plan
    from escalation_build.bank_holidays import calendar_for

    calendar = calendar_for(data.partnership, date(2026, 11, 24))
    result = plan(data.procedure(), calendar, date(2026, 12, 24), today=date(2026, 12, 30),
                  completed={1: date(2026, 12, 29)})
    reminders = stage_reminders(result, data.procedure(), "surrey")
    assert [r.day for r in reminders] == [date(2026, 12, 31), date(2027, 1, 5), date(2027, 1, 7),
                                          date(2027, 1, 11)]
    assert reminders[0].summary == "FaST Resolution Process: stage 2 due"
    assert "no later than Thursday 31 December 2026" in reminders[0].description
    ics = calendar_ics(reminders, "FaST deadlines", STAMP)
    events = [c for c in icalendar.Calendar.from_ical(ics).walk("VEVENT")]
    assert [e.decoded("DTSTART") for e in events] == [r.day for r in reminders]


def test_the_reminder_for_a_monday_deadline_rings_on_the_friday_before(data):
    from datetime import datetime, time

    from escalation.reminders import stage_reminders
    from escalation.timeline import plan
    from escalation_build.bank_holidays import calendar_for

    calendar = calendar_for(data.partnership, date(2026, 11, 24))
    # Started 24 December 2026, stage 1 done on the 29th: stage 5 is due Monday 11 January.
    result = plan(data.procedure(), calendar, date(2026, 12, 24), today=date(2026, 12, 30),
                  completed={1: date(2026, 12, 29)})
    ics = calendar_ics(stage_reminders(result, data.procedure(), "surrey", None, calendar),
                       "FaST deadlines", STAMP)
    events = icalendar.Calendar.from_ical(ics).walk("VEVENT")
    rings = [datetime.combine(e.decoded("DTSTART"), time()) + e.walk("VALARM")[0].decoded("TRIGGER")
             for e in events]
    assert rings == [datetime(2026, 12, 30, 9, 0),   # Thursday 31 Dec: the Wednesday
                     datetime(2027, 1, 4, 9, 0),     # Tuesday 5 Jan: the Monday
                     datetime(2027, 1, 6, 9, 0),     # Thursday 7 Jan: the Wednesday
                     datetime(2027, 1, 8, 9, 0)]     # Monday 11 Jan: the Friday, not Sunday
    late = plan(data.procedure(), calendar, date(2026, 12, 21), today=date(2026, 12, 21))
    first = stage_reminders(late, data.procedure(), "surrey", None, calendar)[0]
    assert (first.day, first.remind_on) == (date(2026, 12, 23), date(2026, 12, 22))
    after_christmas = stage_reminders(late, data.procedure(), "surrey", None, calendar)[1]
    # Tuesday 29 December: the working day before is Thursday 24 December.
    assert (after_christmas.day, after_christmas.remind_on) == (date(2026, 12, 29),
                                                                date(2026, 12, 24))
