"""Property: whatever is done to a pack's data (types, keys, encodings, dates, sizes,
stray characters), `escalation check` ends with messages in the `file, line N: error:
field: message` form and never a traceback, in bounded time; and data it lets through
renders every page and runs the tool's view without an error."""

from __future__ import annotations

import contextlib
import io
import re
import resource
import shutil
import time
from datetime import date, datetime
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import packs
from escalation import model
from escalation.bundle import load_bundle
from escalation.journey import view
from escalation_build import pages
from escalation_build.bank_holidays import calendar_for
from escalation_build.bundle import make_bundle
from escalation_build.cli import main
from escalation_build.sources import load_data_dir

PACKS = [pack.data_dir for pack in packs.PACKS]
PROBLEM_LINE = re.compile(r"^.+?(, line [0-9]+)?: (error|warning): .+: .+$")
SUMMARY = re.compile(r"^.+: (the data is ready to publish.*|[0-9]+ problems? to fix before "
                     r"this data can be published\.)$")
TODAY = date(2026, 12, 2)

ODD_VALUES = st.one_of(
    st.integers(min_value=-10**12, max_value=10**12), st.text(max_size=40), st.booleans(),
    st.none(), st.floats(allow_nan=True, allow_infinity=True),
    st.lists(st.integers(), max_size=3), st.dictionaries(st.text(max_size=6), st.integers(),
                                                         max_size=2),
    st.sampled_from(["2026-02-30", "2026-13-01", "20261224", "99:99", "x@", "0300 470 9100",
                     "<script>alert(1)</script>", "{cspa.phone}", "{nobody.phone}",
                     "{fast.stage-9}", "{escalation.stage-1}", "chosen agency", "", " ",
                     "__proto__", "constructor", "a" * 5000, "\u202e\x1b[2J", "~", "*alias"]),
)
STRAY = st.sampled_from([":", "- ", "[", "]", "{", "}", "&a ", "*a", "!x ", "!!binary ", "\t",
                         "\x00", "\x07", "\x1b", "\u00e9", "'", '"', "#", "\n", "<<: ", "? ",
                         "|", ">", "%", "@", "`", "\ufeff", "\r", "\u2028", "  ", "---\n"])


def _paths(value, path=()):
    yield path
    if isinstance(value, dict):
        for key, item in value.items():
            yield from _paths(item, path + (key,))
    elif isinstance(value, list):
        for i, item in enumerate(value):
            yield from _paths(item, path + (i,))


def _set(value, path, new):
    if not path:
        return new
    target = value
    for step in path[:-1]:
        target = target[step]
    target[path[-1]] = new
    return value


def _get(value, path):
    for step in path:
        value = value[step]
    return value


@st.composite
def mutated_file(draw, pack: Path):
    """(file name, bytes): one of the pack's files, changed in one to three ways."""
    names = sorted(p.name for p in pack.glob("*.yaml"))
    name = draw(st.sampled_from(names))
    text = (pack / name).read_text(encoding="utf-8")
    for _ in range(draw(st.integers(1, 3))):
        kind = draw(st.sampled_from(["value", "value", "key", "drop", "grow", "stray",
                                     "cut", "line", "encoding"]))
        if kind in ("value", "key", "drop", "grow"):
            try:
                value = yaml.safe_load(text)
            except yaml.YAMLError:
                continue
            paths = list(_paths(value))
            path = draw(st.sampled_from(paths))
            if kind == "value":
                value = _set(value, path, draw(ODD_VALUES))
            elif kind == "key" and path and isinstance(_get(value, path[:-1]), dict):
                parent = _get(value, path[:-1])
                parent[draw(st.text(max_size=12))] = parent.pop(path[-1])
            elif kind == "drop" and path:
                parent = _get(value, path[:-1])
                del parent[path[-1]]
            elif kind == "grow" and isinstance(_get(value, path), list) and _get(value, path):
                items = _get(value, path)
                items += items * draw(st.integers(1, 40))
            text = yaml.safe_dump(value, allow_unicode=True, sort_keys=False)
        elif kind == "stray":
            at = draw(st.integers(0, len(text)))
            text = text[:at] + draw(STRAY) + text[at:]
        elif kind == "cut":
            start = draw(st.integers(0, len(text)))
            text = text[:start] + text[start + draw(st.integers(1, 200)):]
        elif kind == "line":
            lines = text.split("\n")
            i = draw(st.integers(0, len(lines) - 1))
            lines.insert(i, lines[i])
            text = "\n".join(lines)
        elif kind == "encoding":
            text = text.replace("e", "\u00e9", 1)
            codec = draw(st.sampled_from(["latin-1", "utf-16", "cp1252", "utf-8-sig"]))
            return name, text.encode(codec, errors="replace")
    return name, text.encode("utf-8", errors="surrogatepass")


def run_check(data_dir: Path) -> tuple[int, list[str]]:
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main(["check", str(data_dir)])
    return code, [line for line in (err.getvalue() + out.getvalue()).splitlines() if line]


def render_everything(data_dir: Path) -> None:
    """What the build and the tool do with data that passed the check."""
    data, _ = load_data_dir(data_dir, today=TODAY)
    calendar = calendar_for(data.partnership, TODAY)
    extra = {"tool_pyodide": "p/", "tool_stdlib": "s.zip", "tool_snapshot": "x.gz"}
    for render in (pages.emergency_box, pages.options_at_a_glance, pages.key_contacts_table,
                   pages.contacts_directory, pages.email_templates, pages.blank_form,
                   pages.glossary, pages.abbreviations, pages.chooser_tree):
        render(data)
    pages.working_days_note(data, calendar)
    pages.tool_page(data, extra)
    for procedure in data.procedures.procedures:
        pages.stages_table(data, procedure.id)
        pages.flowchart(data, procedure.id)
        for stage in procedure.stages:
            pages.when(data, stage.number, procedure.id)
    pages.poster(data, "a4")
    for record in data.pages.pages if data.pages else ():
        pages.page_record(data, record.page, TODAY)
    bundle = load_bundle(make_bundle(data_dir, TODAY))
    state = {"answers": {}, "plans": {p.id: {"start": "24/12/2026"}
                                      for p in data.procedures.procedures}}
    view(bundle, state, datetime(2026, 12, 24, 23, 30).isoformat(timespec="minutes"))


@pytest.mark.parametrize("pack", PACKS, ids=packs.pack_ids())
def test_mutated_data_is_always_a_message_never_a_traceback(pack, tmp_path_factory):
    memory_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss

    @settings(max_examples=70, deadline=None, database=None,
              suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
    @given(change=mutated_file(pack))
    def check_one(change):
        name, raw = change
        folder = tmp_path_factory.mktemp("mutated")
        shutil.copytree(pack, folder, dirs_exist_ok=True)
        (folder / name).write_bytes(raw)
        began = time.process_time()  # this process's own time: other work cannot inflate it
        code, lines = run_check(folder)
        assert time.process_time() - began < 5
        assert code in (0, 1)
        assert lines and SUMMARY.match(lines[-1]) or SUMMARY.match(lines[0]), lines
        for line in lines:
            assert PROBLEM_LINE.match(line) or SUMMARY.match(line), line
            assert not re.search(r"[\x00-\x08\x0b-\x1f\x7f\u202a-\u202e]", line), line
        if code == 0:
            render_everything(folder)
        else:
            assert any(": error: " in line for line in lines)

    check_one()
    grown = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - memory_before  # KiB
    assert grown < 500 * 1024


def test_the_files_the_model_reads_are_the_ones_mutated():
    # The premise: every data file a pack has is one the model knows.
    for pack in PACKS:
        assert {p.name for p in pack.glob("*.yaml")} <= set(model.FILES)
