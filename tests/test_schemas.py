"""The JSON Schemas an admin's editor checks the data files by.

They are generated from the model (the committed ones are the generated ones), every data
file names its own, every pack's files and the frozen default site's (tests/fixture_site)
pass them, and they say what the check says: a value the check refuses, the schema refuses
too, and the other way round.
"""

from __future__ import annotations

import copy
import json
import subprocess
import sys
from pathlib import Path

import jsonschema
import pytest
import regress
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import FIXTURE_DATA, ROOT, STEPS_SITE
from escalation import model
from escalation.reading import read_file
from escalation_build import schemas
from escalation_build.sources import read_yaml
from packs import PACKS

CHECK_JSONSCHEMA = Path(sys.executable).parent / "check-jsonschema"  # beside this Python
# Every pack's data files, and the frozen default site's (tests/fixture_site), whose files
# the tests break and which an editor checks too.
DATA_FILES = sorted(f for folder in (*(pack.data_dir for pack in PACKS), FIXTURE_DATA,
                                      STEPS_SITE / "data")
                    for f in folder.glob("*.yaml"))


def test_the_committed_schemas_are_the_models():
    assert schemas.out_of_date(ROOT / schemas.FOLDER) == [], (
        "schemas/ is not what the model gives: run `escalation schemas` and commit the result")
    committed = {p.name for p in (ROOT / schemas.FOLDER).glob("*.json")}
    assert committed == set(schemas.rendered()), "schemas/ holds a schema no data file has"


def test_the_schemas_command_writes_and_checks(tmp_path):
    from escalation_build.cli import main

    assert main(["schemas", str(tmp_path), "--check"]) == 1
    assert main(["schemas", str(tmp_path)]) == 0
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(schemas.rendered())
    assert main(["schemas", str(tmp_path), "--check"]) == 0
    (tmp_path / "contacts.schema.json").write_text("{}", encoding="utf-8")
    assert main(["schemas", str(tmp_path), "--check"]) == 1


@pytest.mark.parametrize("data_file", DATA_FILES, ids=lambda p: p.relative_to(ROOT).as_posix())
def test_every_data_file_names_its_schema_on_its_first_line(data_file: Path):
    named = schemas.named_schema(data_file.read_text(encoding="utf-8"))
    assert named is not None, (
        f"{data_file.relative_to(ROOT)} should start with "
        f"'{schemas.modeline(data_file, ROOT)}', so that editors check it")
    assert (data_file.parent / named).resolve() == (
        ROOT / schemas.FOLDER / schemas.schema_file(data_file.name)), named


def _check_jsonschema(schema: Path, files: list[Path]) -> dict[str, list[str]]:
    """check-jsonschema's verdict, as an editor would give it: each failing file's errors."""
    assert CHECK_JSONSCHEMA.is_file(), "check-jsonschema is not installed: run scripts/install test"
    run = subprocess.run([str(CHECK_JSONSCHEMA), "--output-format", "json", "--schemafile",
                          str(schema), *map(str, files)], capture_output=True, text=True)
    assert run.returncode in (0, 1), run.stderr
    result = json.loads(run.stdout)
    assert not result.get("parse_errors"), result["parse_errors"]
    errors: dict[str, list[str]] = {}
    for error in result["errors"]:
        errors.setdefault(error["filename"], []).append(f"{error['path']}: {error['message']}")
    return errors


@pytest.mark.parametrize("data_name", sorted(model.FILES))
def test_every_packs_data_passes_its_schema(data_name: str):
    files = [f for f in DATA_FILES if f.name == data_name]
    if not files:
        pytest.fail(f"no pack has {data_name}: the test would check nothing")
    assert _check_jsonschema(ROOT / schemas.FOLDER / schemas.schema_file(data_name), files) == {}


# Broken samples, each a file of the frozen default site with one value changed (or, with
# _GONE, taken away): both the check and the schema must refuse every one.
_GONE = object()
BROKEN = [
    ("contacts.yaml", ("contacts", 0, "email"), "team", "an email with no '@' or domain"),
    ("contacts.yaml", ("contacts", 0, "email"), "team@example", "an email with no dot"),
    ("contacts.yaml", ("contacts", 0, "phone"), "0300 470 910", "a phone number too short"),
    ("contacts.yaml", ("contacts", 0, "phone"), "+44 300 470 9100", "a phone number with +"),
    ("contacts.yaml", ("contacts", 0, "textphone"), "18001 999 9", "a Relay UK number wrong"),
    ("contacts.yaml", ("contacts", 0, "verified"), "2026-02-30", "a day not in the calendar"),
    ("contacts.yaml", ("contacts", 0, "verified"), "12/03/2026", "a date not YYYY-MM-DD"),
    ("contacts.yaml", ("contacts", 0, "id"), "East Surrey", "an id with capitals and a space"),
    ("contacts.yaml", ("contacts", 0, "id"), "constructor", "an id the browser reserves"),
    ("contacts.yaml", ("contacts", 0, "id"), "a" * 61, "an id too long"),
    ("contacts.yaml", ("contacts", 0, "name"), "", "empty text"),
    ("contacts.yaml", ("contacts", 0, "name"), "   ", "text of spaces only"),
    ("contacts.yaml", ("contacts", 0, "name"), "Bank\u202eknaB", "a hidden direction mark"),
    ("contacts.yaml", ("contacts", 0, "name"), 42, "a number where text goes"),
    ("contacts.yaml", ("contacts", 0, "name"), _GONE, "a required field left out"),
    ("contacts.yaml", ("contacts", 0, "emial"), "x@example.gov.uk", "an unknown field"),
    ("contacts.yaml", ("contacts", 0, "web"), "www.example.gov.uk", "a web page without https"),
    ("contacts.yaml", ("contacts", 0, "web"), "javascript:alert(1)", "a script for a web page"),
    ("contacts.yaml", ("contacts", 0, "hours"),
     [{"days": "friday to monday", "opens": "09:00", "closes": "17:00"}], "days backwards"),
    ("contacts.yaml", ("contacts", 0, "hours"),
     [{"days": "weekdays", "opens": "9:00", "closes": "17:00"}], "a time without its 0"),
    ("contacts.yaml", ("contacts", 0, "hours"),
     {"days": "weekdays", "opens": "09:00", "closes": "17:00"}, "one entry, not a list"),
    ("partnership.yaml", ("holiday_years_before",), 0, "a number below its range"),
    ("partnership.yaml", ("holiday_years_after",), 31, "a number above its range"),
    ("partnership.yaml", ("holiday_years_after",), "10", "a number in quotes"),
    ("partnership.yaml", ("region", "country"), _GONE, "a nested required field left out"),
    ("stages.yaml", ("procedures", 0, "stages", 0, "number"), True, "true for a number"),
    ("stages.yaml", ("procedures", 0, "stages", 0, "timescale"),
     {"within": 2, "unit": "weeks", "counted_from": "start"}, "a unit not allowed"),
    ("stages.yaml", ("procedures", 0, "stages", 0, "timescale"),
     {"within": 2, "unit": "working days", "counted_from": "the start"}, "a bad counted_from"),
    ("stages.yaml", ("procedures", 0, "notifications"),
     [{"at": "stage one", "to": "x", "what": "y"}], "a bad moment to notify"),
    ("stages.yaml", ("procedures", 0, "forms"),
     [{"id": "f", "title": "T", "get_it": "G", "address": "http://example.org/f"}],
     "a web address not https"),
    ("glossary.yaml", ("terms", 0, "term"), "<b>", "a term with markup"),
    ("pages.yaml", ("pages", 0, "reviewed"), "2026-13-01", "a month that does not exist"),
]


def _changed(value, path, new):
    value = copy.deepcopy(value)
    parent = value
    for step in path[:-1]:
        parent = parent[step]
    if new is _GONE:
        del parent[path[-1]]
    else:
        parent[path[-1]] = new
    return value


def test_the_check_and_the_schemas_refuse_the_same_broken_samples(tmp_path: Path):
    written: dict[str, list[Path]] = {}
    why_of: dict[str, str] = {}
    for n, (data_name, path, new, why) in enumerate(BROKEN):
        source = FIXTURE_DATA / data_name
        plain, _, problems = read_yaml(source.read_text(encoding="utf-8"), data_name)
        assert not problems
        broken = _changed(plain, path, new)
        _, problems = read_file(model.FILES[data_name], broken, data_name)
        assert problems, f"the check accepts {why}"
        sample = tmp_path / f"{n}-{data_name}"
        sample.write_text(yaml.safe_dump(broken, allow_unicode=True), encoding="utf-8")
        written.setdefault(data_name, []).append(sample)
        why_of[str(sample)] = why
    for data_name, files in written.items():
        refused = _check_jsonschema(ROOT / schemas.FOLDER / schemas.schema_file(data_name), files)
        accepted = [why_of[str(f)] for f in files if str(f) not in refused]
        assert not accepted, f"the {data_name} schema accepts: {', '.join(accepted)}"


# Values as an admin types them, unquoted: YAML reads some of them as numbers or booleans.
# The check reads YAML as editors and check-jsonschema do (YAML 1.2), so each is refused
# by both or by neither: (file, the text, what is typed instead, refused).
TYPED = [
    ("contacts.yaml", 'opens: "09:00"', "opens: 09:00", False),  # YAML 1.1's 540
    ("contacts.yaml", 'closes: "17:00"', "closes: 17:00", False),
    ("contacts.yaml", 'phone: "0300 470 9100"', "phone: 03004709100", True),  # a number
    ("contacts.yaml", "closed_on_bank_holidays: true", "closed_on_bank_holidays: yes", True),
    ("contacts.yaml", "closed_on_bank_holidays: true", "closed_on_bank_holidays: off", True),
    ("contacts.yaml", "closed_on_bank_holidays: true", "closed_on_bank_holidays: True", False),
    ("contacts.yaml", "key_contact: false", "key_contact: no", True),
    ("partnership.yaml", "holiday_years_after: 5 ", "holiday_years_after: 05 ", False),
    ("partnership.yaml", "holiday_years_after: 5 ", "holiday_years_after: 0x5 ", False),
    ("partnership.yaml", "holiday_years_after: 5 ", 'holiday_years_after: "5" ', True),
    ("partnership.yaml", "area: Surrey", "area: 2026-02-30", False),  # text: no day is read
    ("partnership.yaml", "area: Surrey", "area: on", False),  # text in YAML 1.2
    ("contacts.yaml", "verified: 2024-04-20", 'verified: " 2024-04-20"', True),
    ("contacts.yaml", 'opens: "09:00"', 'opens: "09:00\\n"', True),
]


def test_the_check_and_the_schemas_read_unquoted_values_alike(tmp_path: Path):
    from escalation_build.sources import _read_file

    verdicts = {}
    for n, (data_name, old, new, refused) in enumerate(TYPED):
        text = (FIXTURE_DATA / data_name).read_text(encoding="utf-8")
        assert old in text, f"{old!r} is not in {data_name}: the sample's premise has changed"
        sample = tmp_path / f"{n}-{data_name}"
        sample.write_text(text.replace(old, new, 1), encoding="utf-8")
        value, _, problems = _read_file(sample, data_name)
        if value is not None:
            problems += read_file(model.FILES[data_name], value, data_name)[1]
        assert bool(problems) == refused, f"the check on {new!r}: {problems}"
        verdicts.setdefault(data_name, []).append((sample, new, refused))
    for data_name, samples in verdicts.items():
        refusals = _check_jsonschema(ROOT / schemas.FOLDER / schemas.schema_file(data_name),
                                     [sample for sample, _, _ in samples])
        wrong = [new for sample, new, refused in samples if (str(sample) in refusals) != refused]
        assert not wrong, f"the {data_name} schema disagrees with the check on {wrong}"


def test_an_email_with_no_domain_is_named_by_its_field(tmp_path: Path):
    errors = _check_jsonschema(ROOT / schemas.FOLDER / "contacts.schema.json", [
        _sample_file(tmp_path, "contacts.yaml", ("contacts", 1, "email"), "team")])
    [(_, messages)] = errors.items()
    assert any(m.startswith("$.contacts[1].email") for m in messages), messages


def _sample_file(folder: Path, data_name: str, path, new) -> Path:
    plain, _, _ = read_yaml((FIXTURE_DATA / data_name).read_text(encoding="utf-8"), data_name)
    sample = folder / data_name
    sample.write_text(yaml.safe_dump(_changed(plain, path, new)), encoding="utf-8")
    return sample


# Each check, and the words its values are made of: random values built from these meet
# the edges of the rule (a digit short, a space more, the wrong case, a range backwards).
TOKENS = {
    model.check_email: ["team", "a.b", "@", "example", ".gov", ".uk", "-", "'", "+", " ", "_",
                        "."],
    model.check_uk_phone: ["0", "1", "9", "3", "00", "300", " ", "+44", "999", "111", "112",
                           "101", "-"],
    model.check_textphone: ["18001", "18000", "1800", " ", "0151", "496", "0000", "999", "0",
                            "1"],
    model.check_id: ["a", "z9", "-", "_", "--", "A", " ", "constructor", "prototype", "é"],
    model.check_term: ["C-SPA", "A", "&", "'", ".", "/", "(", ")", "+", " ", "<", "*", "9"],
    model.check_time: ["0", "1", "2", "3", "5", "9", ":", "00", "23", "24", "59", "60", " "],
    model.check_days: ["monday", "Friday", "SUNDAY", "weekdays", "weekends", "every day",
                       " to ", " and ", ",", " ", "and", "thursday", "to", "x", "everyday"],
    model.check_counted_from: ["start", "previous stage", "stage start", "previous step",
                               "meeting", "-", "_", " ", "Start", "2"],
    model.check_moment: ["start", "resolution", "stage", " ", "1", "0", "9", "10", "stage 3"],
    model.check_stage_word: ["step", "stage", "s", "S", " ", "-", "rung", "é", "steps" * 7],
    model.check_web_address: ["https://", "http://", "example", ".org", ".g", "/", "a b",
                              "<", "\"", "'", "-", "procedures"],
}


def _schema_allows(keywords: dict, value) -> tuple[bool, bool]:
    """(allowed as Python's jsonschema reads it, pattern matched as JavaScript reads it)."""
    python = jsonschema.Draft7Validator(keywords).is_valid(value)
    pattern = keywords.get("pattern")
    ecma = python if pattern is None else (
        regress.Regex(pattern, "u").find(value) is not None
        and jsonschema.Draft7Validator({k: v for k, v in keywords.items() if k != "pattern"})
        .is_valid(value))
    return python, ecma


def test_every_check_has_its_schema_and_its_words():
    text_checks = {c for c in model.CHECK_SCHEMAS if not isinstance(c, model.within_range)}
    assert text_checks == set(TOKENS), "a check without its schema keywords or its test words"


@pytest.mark.parametrize("check", list(TOKENS), ids=lambda c: c.__name__)
@settings(max_examples=400, deadline=None)
@given(data=st.data())
def test_a_checks_schema_allows_what_it_allows(check, data):
    value = data.draw(st.lists(st.sampled_from(TOKENS[check]), min_size=1, max_size=6)
                      .map("".join))
    allowed = check(value) is None
    python, ecma = _schema_allows(model.CHECK_SCHEMAS[check], value)
    assert python == allowed and ecma == allowed, (value, check(value))


@given(value=st.integers(min_value=-5, max_value=400))
def test_a_ranges_schema_allows_what_it_allows(value):
    for check in [c for c in model.CHECK_SCHEMAS if isinstance(c, model.within_range)]:
        assert jsonschema.Draft7Validator(model.CHECK_SCHEMAS[check]).is_valid(value) == (
            check(value) is None)


def test_every_example_names_a_field_and_fits_its_schema():
    """The model's examples, shown on the reference page and offered by editors, are
    values the schema (and so the check) accepts."""
    import dataclasses

    kinds = {}
    for data_name in model.FILES:
        definitions = schemas.schema_for(data_name)["definitions"]
        kinds.update({name: (definitions, d) for name, d in definitions.items()
                      if d.get("type") == "object"})
        kinds[model.FILES[data_name].__name__] = (definitions, schemas.schema_for(data_name))
    for kind, name in model.EXAMPLES:
        assert kind in kinds, f"EXAMPLES names {kind}, which is not a set of fields"
        definitions, shape = kinds[kind]
        assert name in shape["properties"], f"EXAMPLES names {kind}.{name}, not a field"
        [written] = shape["properties"][name]["examples"]
        field_schema = {**shape["properties"][name], "definitions": definitions}
        assert jsonschema.Draft7Validator(
            field_schema, format_checker=jsonschema.Draft7Validator.FORMAT_CHECKER
        ).is_valid(written), f"{kind}.{name}: the example {written!r} does not fit"
    assert all(dataclasses.is_dataclass(getattr(model, kind)) for kind, _ in model.EXAMPLES)
