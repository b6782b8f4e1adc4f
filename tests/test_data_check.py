"""`escalation check`: every broken file is named with its line and field, and nothing
broken is let through."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from conftest import FIXTURE_DATA, edit
from escalation.problems import DataError
from escalation_build.cli import main
from escalation_build.sources import load_data_dir


def check(data_dir: Path, capsys) -> tuple[int, str]:
    code = main(["check", str(data_dir)])
    captured = capsys.readouterr()
    return code, captured.out + captured.err


def line_of(path: Path, text: str) -> int:
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if text in line:
            return number
    raise AssertionError(f"{text!r} not found in {path}")


def test_the_surrey_data_passes_the_check(capsys):
    code, output = check(FIXTURE_DATA, capsys)
    assert code == 0, output
    assert "ready to publish" in output


def test_an_address_without_a_domain_is_rejected_with_file_line_and_field(data_copy, capsys):
    # The slip in seed 001: the CCG address printed without its domain.
    contacts = data_copy / "contacts.yaml"
    edit(contacts, "syheartlandsccg.surrey.safeguarding@nhs.net", "syheartlandsccg.surrey.safeguarding")
    code, output = check(data_copy, capsys)
    assert code == 1
    line = line_of(contacts, "email: syheartlandsccg.surrey.safeguarding")
    assert (f"{contacts}, line {line}: error: contacts[surrey-ccg].email: "
            "'syheartlandsccg.surrey.safeguarding' is not an email address") in output


def test_an_address_with_a_domain_but_no_dot_is_rejected(data_copy, capsys):
    edit(data_copy / "contacts.yaml", "CSH.safeguarding@nhs.net", "CSH.safeguarding@nhs")
    code, output = check(data_copy, capsys)
    assert code == 1
    assert "contacts[csh-surrey].email: 'CSH.safeguarding@nhs' is not a complete email address" in output


@pytest.mark.parametrize("number", ["01483 63645", "01483 5178981", "1483 517898", "01483-517898"])
def test_a_malformed_uk_phone_number_is_rejected(data_copy, capsys, number):
    contacts = data_copy / "contacts.yaml"
    edit(contacts, '"01483 636451"', f'"{number}"')
    code, output = check(data_copy, capsys)
    assert code == 1
    line = line_of(contacts, f'"{number}"')
    assert f"line {line}: error: contacts[surrey-police].phone: '{number}' is not a UK phone number" in output


def test_a_phone_number_without_quotes_is_rejected_rather_than_mangled(data_copy, capsys):
    # Unquoted, YAML reads 999 as a number; a leading 0 would be lost altogether.
    edit(data_copy / "contacts.yaml", 'phone: "999"', "phone: 999")
    code, output = check(data_copy, capsys)
    assert code == 1
    assert "contacts[police-emergency].phone: should be text (put it in quotes), not '999'" in output


def test_a_duplicate_contact_id_is_rejected(data_copy, capsys):
    contacts = data_copy / "contacts.yaml"
    edit(contacts, "  - id: royal-surrey", "  - id: frimley-park")
    code, output = check(data_copy, capsys)
    assert code == 1
    line = line_of(contacts, "  - id: frimley-park") + 7  # the second one
    assert f"line {line}: error: contacts[frimley-park].id: duplicate contact id 'frimley-park'" in output


def test_a_timescale_missing_its_unit_is_rejected(data_copy, capsys):
    # A stage may have no timescale at all (Suffolk's "without delay"), but a timescale
    # given must be whole.
    stages = data_copy / "stages.yaml"
    edit(stages, "{within: 2, unit: working days, counted_from: start}",
         "{within: 2, counted_from: start}")
    code, output = check(data_copy, capsys)
    assert code == 1
    assert "error: procedures[fast].stages[1].timescale.unit: missing" in output


def test_a_timescale_in_an_unknown_unit_is_rejected(data_copy, capsys):
    stages = data_copy / "stages.yaml"
    edit(stages, "{within: 2, unit: working days, counted_from: start}",
         "{within: 2, unit: weeks, counted_from: start}")
    code, output = check(data_copy, capsys)
    assert code == 1
    line = line_of(stages, "unit: weeks")
    assert (f"line {line}: error: procedures[fast].stages[1].timescale.unit: 'weeks' is not "
            "allowed here: use one of 'working days', 'calendar days', 'hours'") in output


def test_a_reference_to_a_contact_that_does_not_exist_is_rejected(data_copy, capsys):
    stages = data_copy / "stages.yaml"
    edit(stages, "contact: sscp", "contact: sscp-office")
    code, output = check(data_copy, capsys)
    assert code == 1
    line = line_of(stages, "contact: sscp-office")
    assert (f"{stages}, line {line}: error: procedures[fast].stages[5].contact: refers to "
            "contact 'sscp-office', but there is no contact with that id in contacts.yaml") in output


def test_a_reference_to_a_stage_that_does_not_exist_is_rejected(data_copy, capsys):
    templates = data_copy / "templates.yaml"
    edit(templates, "    stage: 4\n", "    stage: 7\n")
    code, output = check(data_copy, capsys)
    assert code == 1
    line = line_of(templates, "    stage: 7")
    assert f"line {line}: error: templates[stage-4].stage: procedure 'fast' has no stage 7" in output


def test_a_contact_detail_named_in_text_must_exist(data_copy, capsys):
    edit(data_copy / "chooser.yaml", "{edt.phone}", "{edt-team.phone}")
    code, output = check(data_copy, capsys)
    assert code == 1
    assert "{edt-team.phone} refers to contact 'edt-team', but there is no contact" in output


def test_every_problem_is_reported_not_just_the_first(data_copy, capsys):
    edit(data_copy / "contacts.yaml", "syheartlandsccg.surrey.safeguarding@nhs.net", "nodomain")
    edit(data_copy / "contacts.yaml", '"01483 636451"', '"123"')
    edit(data_copy / "stages.yaml", "contact: sscp", "contact: nobody")
    edit(data_copy / "glossary.yaml", "  - term: GP\n", "  - term: GP\n    meening: x\n")
    code, output = check(data_copy, capsys)
    assert code == 1
    assert "contacts[surrey-ccg].email" in output
    assert "contacts[surrey-police].phone" in output
    assert "procedures[fast].stages[5].contact" in output
    assert "terms[GP].meening: unknown field: did you mean 'meaning'?" in output
    assert "4 problems to fix" in output


def test_a_key_given_twice_is_reported_not_silently_overwritten(data_copy, capsys):
    contacts = data_copy / "contacts.yaml"
    edit(contacts, "    email: CSH.safeguarding@nhs.net\n",
         "    email: CSH.safeguarding@nhs.net\n    email: someone.else@nhs.net\n")
    code, output = check(data_copy, capsys)
    assert code == 1
    line = line_of(contacts, "someone.else@nhs.net")
    assert (f"line {line}: error: contacts[csh-surrey].email: 'email' is given twice in the "
            "same place") in output


def test_broken_yaml_names_the_file_and_line(data_copy, capsys):
    edit(data_copy / "glossary.yaml", "  - term: SSCP\n", "  - term: SSCP\n   bad indent: [\n")
    code, output = check(data_copy, capsys)
    assert code == 1
    assert f"{data_copy / 'glossary.yaml'}, line" in output
    assert "is not valid YAML" in output


def test_a_contact_not_verified_for_a_year_warns_without_failing(data_copy):
    edit(data_copy / "contacts.yaml", "    email: CSH.safeguarding@nhs.net\n    verified: 2024-04-20",
         "    email: CSH.safeguarding@nhs.net\n    verified: 2026-06-01")
    _, warnings = load_data_dir(data_copy, today=date(2026, 11, 24))
    stale = {w.field for w in warnings if "over a year ago" in w.message}
    assert "contacts[cspa].verified" in stale
    assert "contacts[csh-surrey].verified" not in stale
    assert all(w.severity == "warning" for w in warnings)


def test_a_chooser_loop_is_rejected(data_copy, capsys):
    edit(data_copy / "chooser.yaml", '{label: "No", next: between-agencies}',
         '{label: "No", next: concern}')
    code, output = check(data_copy, capsys)
    assert code == 1
    assert "makes a loop (immediate-risk -> concern -> at-risk -> concern)" in output
    assert "outcomes[between-agencies]: no path through the questions reaches this outcome" in output


def test_a_chooser_answer_leading_nowhere_is_rejected(data_copy, capsys):
    edit(data_copy / "chooser.yaml", "next: complaint", "next: complain")
    code, output = check(data_copy, capsys)
    assert code == 1
    assert ("refers to question or outcome 'complain', but there is no question or outcome "
            "with that id in chooser.yaml") in output


def test_the_first_question_must_offer_the_emergency_route(data_copy, capsys):
    edit(data_copy / "chooser.yaml", "    emergency: true\n", "")
    code, output = check(data_copy, capsys)
    assert code == 1
    assert "the first question must offer the emergency route" in output


def test_a_missing_data_folder_is_reported(tmp_path):
    with pytest.raises(DataError, match="there is no such folder"):
        load_data_dir(tmp_path / "nowhere")


def test_a_next_review_before_the_last_review_is_rejected_with_its_line(data_copy, capsys):
    pages = data_copy / "pages.yaml"
    edit(pages, "    next_review: 2027-11-25\n", "    next_review: 2026-11-01\n")
    code, output = check(data_copy, capsys)
    assert code == 1
    line = line_of(pages, "next_review: 2026-11-01")
    assert (f"pages.yaml, line {line}: error: pages[raising-concerns.md].next_review: "
            "2026-11-01 is not after the last review (2026-11-25)") in output


def test_amendments_must_be_listed_newest_first(data_copy, capsys):
    pages = data_copy / "pages.yaml"
    edit(pages, "      - date: 2026-11-27\n", "      - date: 2026-11-20\n")
    code, output = check(data_copy, capsys)
    assert code == 1
    assert ("error: pages[fast-resolution-process.md].amendments[2].date: 2026-11-25 is newer "
            "than the amendment above it: list amendments newest first") in output


def test_a_review_overdue_is_a_warning(data_copy, capsys):
    pages = data_copy / "pages.yaml"
    edit(pages, "    reviewed: 2026-11-25\n    next_review: 2027-11-25\n",
         "    reviewed: 2024-04-20\n    next_review: 2025-04-20\n")
    code, output = check(data_copy, capsys)
    assert code == 0
    assert ("warning: pages[raising-concerns.md].next_review: the review due on 2025-04-20 "
            "has not been done") in output


def test_text_may_name_a_stages_timescale_and_the_check_knows_which_exist(data_copy, capsys):
    from escalation.chooser import route

    chooser = data_copy / "chooser.yaml"
    edit(chooser, "Agree with your line manager that FaST is the right approach (stage 1).",
         "Agree with your line manager, within {fast.stage-1}, that FaST is right.")
    data, _ = load_data_dir(data_copy)
    fast = next(o for o in data.chooser.outcomes if o.id == "fast")
    assert "Agree with your line manager, within 2 working days, that FaST is right." in \
        route(data, fast).do_now
    edit(chooser, "{fast.stage-1}", "{fast.stage-9}")
    code, output = check(data_copy, capsys)
    assert code == 1
    assert ("{fast.stage-9} names no stage with a timescale: use {procedure-id.stage-N}"
            in output)
