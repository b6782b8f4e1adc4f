"""Whatever an admin saves, careless or hostile, the check answers with `file, line N:
error: field: message` and never a traceback, in bounded time (issue: data can never
break the site, run a script, or crash a tool)."""

from __future__ import annotations

import re
import time
from pathlib import Path

import pytest

from conftest import edit, line_with
from escalation_build.cli import main

# Every line the check prints is a problem in this form, or its summary line.
PROBLEM_LINE = re.compile(r"^.+?(, line [0-9]+)?: (error|warning): .+: .+$")


def check(data_dir: Path, capsys) -> tuple[int, list[str]]:
    code = main(["check", str(data_dir)])
    captured = capsys.readouterr()
    lines = [line for line in (captured.err + captured.out).splitlines() if line.strip()]
    return code, lines


def errors_in(lines: list[str]) -> list[str]:
    problems = [line for line in lines if ": error: " in line]
    for line in lines:
        assert PROBLEM_LINE.match(line) or "ready to publish" in line or "to fix" in line, line
    return problems


def only_error(data_copy: Path, capsys) -> str:
    code, lines = check(data_copy, capsys)
    assert code == 1
    problems = errors_in(lines)
    assert len(problems) == 1, problems
    return problems[0]


def test_an_unquoted_impossible_date_is_a_message_with_its_line(data_copy, capsys):
    contacts = data_copy / "contacts.yaml"
    edit(contacts, "    verified: 2024-04-20\n", "    verified: 2026-02-30\n")
    error = only_error(data_copy, capsys)
    line = line_with(contacts, "verified: 2026-02-30")
    assert error == (f"{contacts}, line {line}: error: contacts[cspa].verified: '2026-02-30' is "
                     "not a day of the calendar: check the month and the day")


def test_a_date_in_another_form_is_refused_not_guessed(data_copy, capsys):
    edit(data_copy / "contacts.yaml", "    verified: 2024-04-20\n", "    verified: 20240420\n")
    error = only_error(data_copy, capsys)
    assert "contacts[cspa].verified: should be a whole number" not in error
    edit(data_copy / "contacts.yaml", "    verified: 20240420\n", '    verified: "2024-W16-6"\n')
    error = only_error(data_copy, capsys)
    assert "contacts[cspa].verified: should be a date written YYYY-MM-DD" in error


@pytest.mark.parametrize("tagged", ["!foo Surrey", "!!binary aGVsbG8=", "!!python/name:os.system",
                                    "!!set {a, b}", "!custom {a: 1}"])
def test_a_yaml_tag_is_refused_with_its_line(data_copy, capsys, tagged):
    partnership = data_copy / "partnership.yaml"
    edit(partnership, "area: Surrey", f"area: {tagged}")
    error = only_error(data_copy, capsys)
    assert error.startswith(f"{partnership}, line {line_with(partnership, 'area: ')}: error: "
                            "(file): ")
    assert "is not a kind of value these files use: remove the tag" in error


def test_a_merge_key_is_refused(data_copy, capsys):
    partnership = data_copy / "partnership.yaml"
    edit(partnership, "region:\n  country: GB", "base: &base {country: GB}\nregion:\n  <<: *base")
    code, lines = check(data_copy, capsys)
    assert code == 1
    at = line_with(partnership, "<<: *base")
    assert any(f"{partnership}, line {at}: error: region.<<: merge keys ('<<') are not read here"
               in line for line in errors_in(lines)), lines


def test_a_latin_1_file_names_the_byte_and_its_line(data_copy, capsys):
    contacts = data_copy / "contacts.yaml"
    text = contacts.read_text(encoding="utf-8").replace("name: Emergency Duty Team",
                                                        "name: Emergency Duty Team caf\u00e9")
    contacts.write_text(text, encoding="utf-8")
    line = line_with(contacts, "Emergency Duty Team caf\u00e9")
    contacts.write_bytes(text.encode("latin-1"))
    error = only_error(data_copy, capsys)
    assert error.startswith(f"{contacts}, line {line}: error: (file): the byte 0xE9 is not UTF-8")
    assert "save it again as UTF-8" in error


def test_a_file_saved_as_utf_16_says_so(data_copy, capsys):
    glossary = data_copy / "glossary.yaml"
    glossary.write_bytes(glossary.read_text(encoding="utf-8").encode("utf-16"))
    error = only_error(data_copy, capsys)
    assert error.startswith(f"{glossary}, line 1: error: (file): the file is saved as UTF-16")


@pytest.mark.parametrize("where", ["comment", "value"])
def test_a_control_character_is_named_with_its_line(data_copy, capsys, where):
    partnership = data_copy / "partnership.yaml"
    old, new = (("# The partnership itself", "# The partnership\x07 itself") if where == "comment"
                else ("area: Surrey", "area: Sur\x1brey"))
    edit(partnership, old, new)
    line = line_with(partnership, new)
    error = only_error(data_copy, capsys)
    assert error.startswith(f"{partnership}, line {line}: error: (file): the character U+00")
    assert "\x07" not in error and "\x1b" not in error


@pytest.mark.parametrize("key", ["[a, b]: 1", "{a: 1}: 2", "? [a]\n: 3"])
def test_a_list_or_mapping_used_as_a_key_is_a_message(data_copy, capsys, key):
    partnership = data_copy / "partnership.yaml"
    edit(partnership, "area: Surrey\n", f"area: Surrey\n{key}\n")
    error = only_error(data_copy, capsys)
    line = line_with(partnership, "area: Surrey") + 1
    assert error.startswith(f"{partnership}, line {line}: error: (top level): a list or a set of "
                            "fields is used as a field name")


@pytest.mark.parametrize("depth", [60, 5000])
def test_deep_nesting_is_refused(data_copy, capsys, depth):
    glossary = data_copy / "glossary.yaml"
    glossary.write_text("terms: " + "[" * depth + "]" * depth + "\n", encoding="utf-8")
    error = only_error(data_copy, capsys)
    assert error.startswith(f"{glossary}")
    assert "nested" in error and "deep" in error


def test_a_list_field_given_a_number_is_a_message(data_copy, capsys):
    stages = data_copy / "stages.yaml"
    text = stages.read_text(encoding="utf-8")
    start = text.index("    stages:\n")
    end = text.index("    drift:")
    stages.write_text(text[:start] + "    stages: 3\n" + text[end:], encoding="utf-8")
    code, lines = check(data_copy, capsys)
    assert code == 1
    at = line_with(stages, "    stages: 3")
    assert any(f"{stages}, line {at}: error: procedures[fast].stages: should be a list" in line
               for line in errors_in(lines)), lines


def test_nested_aliases_are_refused_within_a_second(data_copy, capsys):
    # "Billion laughs": 28 KB that would expand to billions of values.
    lines = ["a0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol, lol]"]
    for i in range(1, 30):
        lines.append(f"a{i}: &a{i} [" + ", ".join([f"*a{i - 1}"] * 10) + "]")
    (data_copy / "glossary.yaml").write_text("\n".join(lines) + "\nterms: *a29\n",
                                             encoding="utf-8")
    began = time.monotonic()
    error = only_error(data_copy, capsys)
    assert time.monotonic() - began < 1.0
    assert "values once its aliases (*name) are expanded" in error


def test_an_alias_inside_itself_is_refused(data_copy, capsys):
    (data_copy / "glossary.yaml").write_text("terms: &loop [*loop]\n", encoding="utf-8")
    error = only_error(data_copy, capsys)
    assert "refers to the value it is in" in error


def test_a_syntax_error_in_a_required_file_is_reported_once(data_copy, capsys):
    partnership = data_copy / "partnership.yaml"
    edit(partnership, "area: Surrey", "area: [Surrey")
    code, lines = check(data_copy, capsys)
    assert code == 1
    problems = errors_in(lines)
    assert [p for p in problems if "partnership.yaml" in p and "not valid YAML" in p]
    assert not [p for p in problems if "missing" in p], problems


@pytest.mark.parametrize("content", ["~\n", "null\n", "# only a comment\n", ""])
def test_a_file_holding_nothing_is_not_called_missing(data_copy, capsys, content):
    glossary = data_copy / "glossary.yaml"
    glossary.write_text(content, encoding="utf-8")
    error = only_error(data_copy, capsys)
    assert error.startswith(f"{glossary}, line 1: error: (file): ")
    assert "missing" not in error
    assert "empty" in error or "holds no data" in error


def test_line_breaks_and_escape_codes_in_the_data_are_not_echoed_raw(data_copy, capsys):
    partnership = data_copy / "partnership.yaml"
    edit(partnership, "holiday_years_after: 5 ", 'holiday_years_after: "5\\n\\u001b[2Jfake: ok\\u202e" ')
    code, lines = check(data_copy, capsys)
    assert code == 1
    problem = next(line for line in lines if "holiday_years_after" in line)
    assert "\x1b" not in problem and "\u202e" not in problem
    assert "\\u000a\\u001b[2Jfake: ok\\u202e" in problem
    assert not any(line.startswith("fake") for line in lines)


@pytest.mark.parametrize("old, new, message", [
    ("holiday_years_after: 5 ", "holiday_years_after: 100000 ",
     "holiday_years_after: 100000 is not a sensible number of years ahead: use 5 to 30"),
    ("holiday_years_before: 1 ", "holiday_years_before: 0 ",
     "holiday_years_before: 0 is not a sensible number of years before: use 1 to 10"),
])
def test_absurd_numbers_of_years_are_refused(data_copy, capsys, old, new, message):
    edit(data_copy / "partnership.yaml", old, new)
    assert only_error(data_copy, capsys).endswith(message)


@pytest.mark.parametrize("unit, within, most", [("working days", 1000000, 260),
                                                ("hours", 9000, 8784),
                                                ("calendar days", 0, 366)])
def test_absurd_timescales_are_refused(data_copy, capsys, unit, within, most):
    stages = data_copy / "stages.yaml"
    edit(stages, "timescale: {within: 2, unit: working days, counted_from: start}",
         f"timescale: {{within: {within}, unit: {unit}, counted_from: start}}")
    error = only_error(data_copy, capsys)
    line = line_with(stages, f"timescale: {{within: {within},")
    assert error == (f"{stages}, line {line}: error: procedures[fast].stages[1].timescale.within: "
                     f"{within} {unit} is not a timescale: use 1 to {most} {unit}")


@pytest.mark.parametrize("file, old, new, field", [
    ("form.yaml", "  - id: agency\n", "  - id: __proto__.polluted\n", "fields[__proto__.polluted].id"),
    ("form.yaml", "  - id: agency\n", '  - id: "a\\" onfocus=\\"x"\n', 'fields[a" onfocus="x].id'),
    ("templates.yaml", "  - id: sender\n", "  - id: constructor\n", "placeholders[constructor].id"),
    ("templates.yaml", "  - id: sender\n", "  - id: Sender Name\n", "placeholders[Sender Name].id"),
])
def test_every_id_follows_one_rule(data_copy, capsys, file, old, new, field):
    edit(data_copy / file, old, new)
    code, lines = check(data_copy, capsys)
    assert code == 1
    assert any(f"error: {field}: " in line for line in errors_in(lines)), lines


def test_a_file_far_larger_than_any_procedure_is_refused_unread(data_copy, capsys):
    glossary = data_copy / "glossary.yaml"
    glossary.write_text("terms:\n" + "  - {term: x, meaning: y}\n" * 50000, encoding="utf-8")
    error = only_error(data_copy, capsys)
    assert error == (f"{glossary}: error: (file): the file is larger than 1 MB: a partnership's "
                     "data file is a few KB; is it the right file?")


@pytest.mark.parametrize("escaped", ["\\u001b[31m", "\\r", "\\u202e", "\\x00"])
def test_a_control_character_written_as_an_escape_is_refused(data_copy, capsys, escaped):
    partnership = data_copy / "partnership.yaml"
    edit(partnership, "area: Surrey", f'area: "Sur{escaped}rey"')
    error = only_error(data_copy, capsys)
    line = line_with(partnership, 'area: "Sur')
    assert error.startswith(f"{partnership}, line {line}: error: area: holds an invisible control "
                            "or text-direction character (U+")


@pytest.mark.parametrize("old, new, message", [
    ("  country: GB", "  country: '0'", "region.country: '0' is not a country the bank holiday "
                                        "list knows"),
    ("  subdivision: ENG", "  subdivision: XYZ", "region.subdivision: 'XYZ' is not a part of GB "
                                                 "the bank holiday list knows: use one of"),
])
def test_a_region_without_bank_holidays_is_a_message(data_copy, capsys, old, new, message):
    partnership = data_copy / "partnership.yaml"
    edit(partnership, old, new)
    error = only_error(data_copy, capsys)
    assert error.startswith(f"{partnership}, line ")
    assert message in error
