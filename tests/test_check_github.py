"""`escalation check --format github`: annotations on the file and line, nothing from the
data can forge a second command, and the step summary lists every problem."""

from __future__ import annotations

import html
import re

from test_data_check import line_of

from conftest import edit
from escalation.problems import Problem
from escalation_build.cli import main
from escalation_build.github import github_command, markdown_summary


def test_a_broken_email_is_an_error_annotation_on_its_file_and_line(data_copy, capsys,
                                                                     monkeypatch):
    monkeypatch.delenv("GITHUB_STEP_SUMMARY", raising=False)
    contacts = data_copy / "contacts.yaml"
    edit(contacts, "syheartlandsccg.surrey.safeguarding@nhs.net",
         "syheartlandsccg.surrey.safeguarding")
    assert main(["check", "--format", "github", str(data_copy)]) == 1
    line = line_of(contacts, "email: syheartlandsccg.surrey.safeguarding")
    out = capsys.readouterr().out
    file = str(contacts).replace(":", "%3A").replace(",", "%2C")
    assert (f"::error file={file},line={line},title=contacts[surrey-ccg].email::"
            "'syheartlandsccg.surrey.safeguarding' is not an email address") in out
    assert out.rstrip().splitlines()[-1].endswith("before this data can be published.")


def test_hostile_text_cannot_start_a_second_command():
    problem = Problem("a,b:c.yaml", None, "x,y", "bad\n::error file=evil::forged 100%\r",
                      "warning")
    command = github_command(problem)
    assert "\n" not in command and "\r" not in command
    assert command == ("::warning file=a%2Cb%3Ac.yaml,title=x%2Cy::"
                       "bad\\u000a::error file=evil::forged 100%25\\u000d")


def test_hostile_text_cannot_break_the_summary():
    problem = Problem("f.yaml", 3, "f|x", "a | b\n<script>`x`</script> **bold**")
    row = markdown_summary("data", [problem]).splitlines()[-2]
    assert row.count("|") == 6
    for markup in ("<script", "`", "**", "\n"):
        assert markup not in row.split("| f.yaml")[1]


def test_the_summary_shows_the_text_as_written():
    message = r"a \ b # c [d](e) &amp; <i> 'q' \"r\" 100%"
    row = markdown_summary("data", [Problem("f.yaml", 3, "f", message)]).splitlines()[-2]
    assert html.unescape(row.split(" | ")[-1].removesuffix(" |")) == message


def test_every_problem_even_past_ten_is_in_the_step_summary(data_copy, tmp_path, capsys,
                                                             monkeypatch):
    summary = tmp_path / "summary.md"
    summary.write_text("earlier step\n", encoding="utf-8")
    monkeypatch.setenv("GITHUB_STEP_SUMMARY", str(summary))
    contacts = data_copy / "contacts.yaml"
    text = contacts.read_text(encoding="utf-8")
    contacts.write_text(re.sub(r"(email: [^@\s]+)@\S+", r"\1", text), encoding="utf-8")
    assert main(["check", "--format", "github", str(data_copy)]) == 1
    out = capsys.readouterr().out
    commands = [line for line in out.splitlines() if line.startswith("::error ")]
    text = summary.read_text(encoding="utf-8")
    assert text.startswith("earlier step\n")
    rows = [line for line in text.splitlines() if line.startswith("| error |")]
    assert len(rows) == len(commands) > 10


def test_a_name_in_a_cell_mentions_nobody():
    """'@octocat' in a contact's name must not notify a GitHub user from an issue or summary."""
    from escalation_build.github import markdown_cell

    assert markdown_cell("Ask @octocat") == "Ask &#64;octocat"
