"""The emergency lines and "how to reach a contact", worded once in escalation.wording:
the facts read from the data, and the sentences each renderer shows (plain text for the
poster and the tool, Markdown for the pages)."""

from __future__ import annotations

import dataclasses
from datetime import date, datetime

import pytest

from conftest import FIXTURE_DATA
from escalation import wording
from escalation.emergency import emergency_now
from escalation.model import Contact
from escalation.wording import Reach
from escalation_build.bank_holidays import calendar_for
from escalation_build.pages import MARKDOWN
from escalation_build.sources import load_data_dir
from packs import PACKS, pack_ids

TODAY = date(2026, 12, 2)
CSPA = "Surrey Children's Single Point of Access (C-SPA)"
POLICE_LINE = "If a child is in immediate danger, ring the police on 999."


@pytest.fixture(scope="module")
def surrey():
    data, _ = load_data_dir(FIXTURE_DATA, today=TODAY)
    return data, calendar_for(data.partnership, TODAY)


def contact(**given) -> Reach:
    fields = {"id": "someone", "name": "Someone", "team": None, "email": None, "phone": None,
              "phone_note": None, "note": None}
    return Reach(**(fields | given))


# --- the tool's line for this moment ------------------------------------------------------


def ring_now_at(surrey, when: datetime) -> str:
    data, calendar = surrey
    return wording.ring_now(emergency_now(data, calendar, when))


def test_in_hours_the_tool_gives_the_front_door(surrey):
    assert ring_now_at(surrey, datetime(2026, 12, 2, 10)) == (
        f"Right now, ring {CSPA} on 0300 470 9100. {POLICE_LINE}")


def test_out_of_hours_the_tool_gives_the_emergency_duty_team(surrey):
    assert ring_now_at(surrey, datetime(2026, 12, 2, 17, 30)) == (
        f"Right now, ring Emergency Duty Team on 01483 517898. {POLICE_LINE}")


def test_on_a_bank_holiday_the_tool_gives_the_out_of_hours_line(surrey):
    # Christmas Day 2026 is a Friday: in opening hours, but the front door is closed.
    assert ring_now_at(surrey, datetime(2026, 12, 25, 10)) == (
        f"Right now, ring Emergency Duty Team on 01483 517898. {POLICE_LINE}")


@pytest.mark.parametrize("pack", PACKS, ids=pack_ids())
def test_the_tool_gives_the_front_door_or_without_its_number_the_police_and_the_note(pack):
    data, _ = load_data_dir(pack.data_dir, today=TODAY)
    now = emergency_now(data, calendar_for(data.partnership, TODAY), datetime(2026, 12, 2, 10))
    said = wording.ring_now(now)
    note = " ".join((data.partnership.emergency.note or "").split())
    # Whom the procedure is about: a child unless the pack says (a joint procedure).
    article = "an" if data.partnership.about[0] in "aeiou" else "a"
    police = (f"If {article} {data.partnership.about} is in immediate danger, ring the police "
              f"on {now.police_phone}.")
    if data.partnership.emergency.in_hours is None:  # no front-door number
        assert said == " ".join(filter(None, (police, note)))
        assert "Right now" not in said
    else:
        assert now.contact is not None
        assert said == " ".join(filter(None, (
            f"Right now, ring {now.contact.name} on {now.phone}.", police, note)))


# --- the emergency lines, as the site and the poster word them ----------------------------


def test_the_emergency_lines_are_read_once_from_the_data(surrey):
    data, _ = surrey
    lines = wording.emergency_lines(data)
    assert (lines.police.phone, lines.in_hours.phone, lines.out_of_hours.phone) == (
        "999", "0300 470 9100", "01483 517898")
    assert lines.in_hours.phone_note == "Monday to Friday, 9am to 5pm"
    assert lines.note is None


def test_the_site_sentences_in_plain_text_and_in_markdown(surrey):
    data, _ = surrey
    lines = wording.emergency_lines(data)
    assert wording.emergency_sentences(lines) == [
        POLICE_LINE,
        f"Ring {CSPA} on 0300 470 9100 (Monday to Friday, 9am to 5pm), or email "
        "cspa@surreycc.gov.uk.",
        "Out of hours, including weekends and bank holidays, ring 01483 517898 and ask for "
        "the Emergency Duty Team.",
    ]
    markdown = wording.emergency_sentences(lines, MARKDOWN)
    assert markdown[0] == "If a child is in immediate danger, ring the police on **[999](tel:999)**."
    assert markdown[1] == (
        f"Ring {CSPA} on **[0300 470 9100](tel:03004709100)** (Monday to Friday, 9am to "
        "5pm), or email [cspa@surreycc.gov.uk](mailto:cspa@surreycc.gov.uk).")
    assert markdown[2].startswith("Out of hours, including weekends and bank holidays, ring "
                                  "**[01483 517898](tel:01483517898)**")


def test_the_poster_lines_are_labelled_and_do_not_say_out_of_hours_twice(surrey):
    data, _ = surrey
    assert wording.emergency_labelled(wording.emergency_lines(data)) == [
        ("Immediate danger", "Police emergency, 999"),
        ("Worried about harm", f"{CSPA}, 0300 470 9100 (Monday to Friday, 9am to 5pm)"),
        ("Out of hours", "Emergency Duty Team, 01483 517898"),  # its note: "out of hours"
    ]


def test_a_note_is_the_last_line_everywhere():
    police = contact(id="police", name="Police emergency", phone="999")
    lines = wording.EmergencyLines(police=police, in_hours=None, out_of_hours=None,
                                   note="Then refer  to the MASH.")
    assert wording.emergency_sentences(lines) == [POLICE_LINE, "Then refer to the MASH."]
    assert wording.emergency_labelled(lines)[-1] == (None, "Then refer to the MASH.")
    markdown = wording.emergency_sentences(
        wording.EmergencyLines(police=police, in_hours=None, out_of_hours=None,
                               note="Ring *now* <b>"), MARKDOWN)
    assert markdown[-1] == r"Ring \*now\* &lt;b&gt;"  # data text stays text


def test_an_emergency_contact_without_a_number_is_refused():
    lines = wording.EmergencyLines(police=contact(id="police"), in_hours=None,
                                   out_of_hours=None, note=None)
    with pytest.raises(ValueError, match="contact 'police' has no phone number"):
        wording.emergency_sentences(lines)


# --- how to reach one contact -------------------------------------------------------------


def test_a_contact_with_only_a_note_has_no_way_to_reach_but_its_name():
    only_note = contact(note="Ask your line manager.")
    assert wording.how_to_reach(only_note) == ""
    assert wording.how_to_reach(only_note, MARKDOWN) == ""
    assert wording.named_phone(only_note) == "Someone"
    assert wording.named_address(only_note) == "Someone"


def test_a_contact_with_only_a_phone():
    only_phone = contact(phone="01234 567890")
    assert wording.how_to_reach(only_phone) == "01234 567890"
    assert wording.how_to_reach(only_phone, MARKDOWN) == "[01234 567890](tel:01234567890)"
    assert wording.named_phone(only_phone) == "Someone, 01234 567890"
    assert wording.named_address(only_phone) == "Someone"


def test_a_contact_with_a_phone_and_when_it_is_staffed():
    staffed = contact(phone="01234 567890", phone_note="weekdays, 9am to 5pm",
                      email="team@example.org")
    assert wording.how_to_reach(staffed) == "team@example.org or 01234 567890 (weekdays, 9am to 5pm)"
    assert wording.how_to_reach(staffed, MARKDOWN) == (
        "[team@example.org](mailto:team@example.org) or "
        "[01234 567890](tel:01234567890) (weekdays, 9am to 5pm)")
    assert wording.named_phone(staffed) == "Someone, 01234 567890 (weekdays, 9am to 5pm)"
    # Under a label that says the same, the note is not said twice (any case).
    assert wording.named_phone(staffed, unless="Weekdays, 9am to 5pm") == "Someone, 01234 567890"
    assert wording.named_address(staffed) == "Someone, team@example.org"


def test_a_contact_that_shares_another_ones_line_takes_its_number_and_hours(surrey):
    data, _ = surrey
    cspa = data.contact("cspa")
    sharing = Contact(id="front-door", group=cspa.group, name="The front door",
                      verified=cspa.verified, note="Ask for the duty worker.", same_as="cspa")
    data = dataclasses.replace(data, contacts=dataclasses.replace(
        data.contacts, contacts=(*data.contacts.contacts, sharing)))
    assert wording.reach(data, "front-door") == Reach(
        id="front-door", name="The front door", team=None, email="cspa@surreycc.gov.uk",
        phone="0300 470 9100", phone_note="Monday to Friday, 9am to 5pm",
        note="Ask for the duty worker.")


def test_a_textphone_and_a_postal_address_are_said_after_email_and_phone():
    import dataclasses

    from escalation.wording import how_to_reach

    contact = dataclasses.replace(
        wording_reach_sample(), textphone="18001 0151 496 0000",
        address="Town Hall, 1 Example Street, Anytown, AB1 2CD")
    assert how_to_reach(contact) == (
        "team@example.gov.uk or 0151 496 0000 (weekdays) or textphone 18001 0151 496 0000; "
        "write to Town Hall, 1 Example Street, Anytown, AB1 2CD")
    alone = dataclasses.replace(contact, email=None, phone=None, textphone=None)
    assert how_to_reach(alone).startswith("write to Town Hall")


def wording_reach_sample():
    from escalation.wording import Reach

    return Reach(id="duty", name="Duty team", team=None, email="team@example.gov.uk",
                 phone="0151 496 0000", phone_note="weekdays", note=None)


def test_a_joint_procedure_says_whom_it_is_about():
    assert wording.ring_police("999", "child, young person or adult") == (
        "If a child, young person or adult is in immediate danger, ring the police on 999.")
    assert wording.someone("adult or child") == "an adult or child"
    assert wording.safety_first("child") == "A child's safety may call for moving faster."
    assert wording.safety_first("child, young person or adult") == (
        "The safety of a child, young person or adult may call for moving faster.")
    assert wording.their_file("child") == "the child's file"
    assert wording.their_file("child, young person or adult") == "the person's file"
