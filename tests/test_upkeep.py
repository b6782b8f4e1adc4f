"""`escalation upkeep`: the weekly issue's body, from a copy of Surrey's data with the
dates set by hand (its contacts were verified on 2024-04-20; holiday_years_after is 5)."""

from __future__ import annotations

from datetime import date

from conftest import edit
from escalation_build.cli import main
from escalation_build.github import markdown_cell
from escalation_build.upkeep import upkeep_markdown

CSPA = "name: Surrey Children's Single Point of Access (C-SPA)"


def verified_on(data_copy, day: str) -> int:
    """Sets the first contact's (C-SPA's) verified date; the line it is on."""
    contacts = data_copy / "contacts.yaml"
    edit(contacts, "verified: 2024-04-20", f"verified: {day}")
    lines = contacts.read_text("utf-8").splitlines()
    return lines.index(f"    verified: {day}") + 1


def rows(body: str) -> list[list[str]]:
    return [[cell.strip() for cell in line.strip("|").split("|")]
            for line in body.splitlines() if line.startswith("| ") and "---" not in line]


def test_nothing_due_is_nothing_at_all(data_copy):
    # Verified 256 days before; the site built today knows bank holidays until 2030.
    assert upkeep_markdown([str(data_copy)], date(2025, 1, 1)) == ""


def test_a_contact_verified_over_a_year_ago_is_listed_with_its_file_and_line(data_copy):
    line = verified_on(data_copy, "2023-12-31")
    body = upkeep_markdown([str(data_copy)], date(2025, 1, 1))
    assert "## Contacts not verified for over a year" in body
    assert "### Surrey Safeguarding Children Partnership" in body
    assert rows(body) == [
        ["Contact", "Team", "Id", "Last verified", "File", "Line"],
        ["Surrey Children&#39;s Single Point of Access &#40;C&#45;SPA&#41;", "", "cspa",
         "2023-12-31 (367 days ago)", markdown_cell(f"{data_copy}/contacts.yaml"), str(line)],
    ]
    assert "Bank holidays" not in body


def test_a_year_to_the_day_is_not_yet_over_a_year(data_copy):
    verified_on(data_copy, "2024-01-01")
    assert upkeep_markdown([str(data_copy)], date(2024, 12, 31)) == ""  # 365 days (leap year)
    assert "cspa" in upkeep_markdown([str(data_copy)], date(2025, 1, 1))  # 366


def test_data_text_stays_text_in_the_issue(data_copy):
    edit(data_copy / "contacts.yaml", CSPA,
         'name: "<img src=x onerror=alert(1)> | **C-SPA** [x](javascript:y) `z`"')
    verified_on(data_copy, "2020-01-01")
    body = upkeep_markdown([str(data_copy)], date(2025, 1, 1))
    assert "<img" not in body and "**C" not in body and "](" not in body and "`z" not in body
    assert rows(body)[1][0] == ("&#60;img src=x onerror=alert&#40;1&#41;&#62; &#124; &#42;&#42;"
                                "C&#45;SPA&#42;&#42; &#91;x&#93;&#40;javascript:y&#41; &#96;z&#96;")


def test_a_site_is_due_a_rebuild_90_days_before_the_tool_says_so(data_copy):
    # Built on 2025-06-01: bank holidays to the end of 2030; the tool warns from 2030-01-01.
    contacts = data_copy / "contacts.yaml"
    text = contacts.read_text("utf-8")
    assert text.count("verified: 2024-04-20") > 1
    contacts.write_text(text.replace("verified: 2024-04-20", "verified: 2029-06-01"), "utf-8")
    published = date(2025, 6, 1)
    assert upkeep_markdown([str(data_copy)], date(2029, 10, 2), published) == ""
    body = upkeep_markdown([str(data_copy)], date(2029, 10, 3), published)
    assert "## Bank holidays running out" in body
    assert rows(body)[-1][-1] == "31 December 2030"
    assert "Publish it again" in body


def test_data_the_check_refuses_is_listed_with_every_error(data_copy):
    edit(data_copy / "contacts.yaml", "verified: 2024-04-20", "verified: 2024-02-30")
    body = upkeep_markdown([str(data_copy)], date(2025, 1, 1))
    assert "## Data the check refuses" in body
    assert "1 error" in body and "2024&#45;02&#45;30" in body


def test_a_body_too_long_for_github_is_cut_at_a_line_and_says_so(tmp_path):
    missing = [str(tmp_path / f"pack-{n}" / "data") for n in range(400)]
    body = upkeep_markdown(missing, date(2025, 1, 1))
    assert 60_000 < len(body) <= 65_536
    assert body.endswith("for the rest.\n")
    # Cut between lines: every table row kept is whole.
    assert all(line.endswith("|") for line in body.splitlines() if line.startswith("|"))
    assert body.count("there is no such folder") > 100


def test_the_command_prints_the_body_for_every_folder_given(data_copy, capsys):
    verified_on(data_copy, "2020-01-01")
    assert main(["upkeep", "--today", "2025-01-01", "--published", "2025-01-01",
                 str(data_copy), str(data_copy / "missing")]) == 0
    printed = capsys.readouterr().out
    assert printed == upkeep_markdown([str(data_copy), str(data_copy / "missing")],
                                      date(2025, 1, 1))
    assert "cspa" in printed and "there is no such folder" in printed


def test_the_command_prints_nothing_when_nothing_is_due(data_copy, capsys):
    assert main(["upkeep", "--today", "2025-01-01", str(data_copy)]) == 0
    assert capsys.readouterr().out == ""
