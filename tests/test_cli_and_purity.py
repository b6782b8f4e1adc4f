"""The `escalation` command as an admin runs it, and the engine's standard-library rule."""

from __future__ import annotations

import ast
import json
import subprocess
import sys
from pathlib import Path

from conftest import FIXTURE, ROOT

ENGINE = ROOT / "tool" / "escalation"


def run(*args: str) -> subprocess.CompletedProcess:
    # In the frozen default site's folder, as an admin runs it in theirs: data/ is its own.
    return subprocess.run([sys.executable, "-m", "escalation_build.cli", *args],
                          capture_output=True, text=True, cwd=FIXTURE)


def test_deadlines_for_a_christmas_eve_start():
    result = run("deadlines", "--start", "2026-12-24", "--today", "2026-12-24", "--json")
    assert result.returncode == 0, result.stderr
    out = json.loads(result.stdout)
    assert [s["number"] for s in out["stages"]] == [1, 2, 3, 4, 5]
    assert out["stages"][0]["due"] == "2026-12-30"
    assert out["stages"][4]["due"] == "2027-01-12"
    assert out["restart_at"] is None


def test_deadlines_with_completions_reports_drift_as_restart_at():
    result = run("deadlines", "--start", "2027-02-01", "--completed", "1=2027-02-02",
                 "--completed", "2=2027-02-09", "--today", "2027-02-12", "--json")
    out = json.loads(result.stdout)
    assert out["restart_at"] == 2
    assert out["stages"][1]["completed"] == "2027-02-09"


def test_deadlines_in_words_say_no_later_than():
    result = run("deadlines", "--start", "2026-12-24", "--today", "2026-12-24")
    assert "Stage 1 (Internal discussion): no later than Wednesday 30 December 2026" in result.stdout


def test_a_badly_written_date_is_explained():
    result = run("deadlines", "--start", "24/12/2026")
    assert result.returncode == 2
    assert "'24/12/2026' is not a date written YYYY-MM-DD" in result.stderr


def test_check_exits_non_zero_on_a_problem(tmp_path):
    (tmp_path / "data").mkdir()
    result = run("check", str(tmp_path / "data"))
    assert result.returncode == 1
    assert "partnership.yaml: error: (file): this file is missing" in result.stdout


STDLIB = set(sys.stdlib_module_names)


def imported_modules(path: Path) -> set[str]:
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found |= {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.level == 0:
            found.add(node.module.split(".")[0])
    return found


def test_no_module_of_the_engine_imports_anything_outside_the_standard_library():
    modules = sorted(ENGINE.glob("*.py"))
    assert len(modules) >= 8
    outside = {f"{m.name}: {name}" for m in modules for name in imported_modules(m)
               if name not in STDLIB and name != "escalation"}
    assert outside == set()


def test_the_purity_check_would_catch_a_third_party_import(tmp_path):
    module = tmp_path / "bad.py"
    module.write_text("import yaml\nfrom holidays import country_holidays\nimport json\n")
    assert imported_modules(module) - STDLIB == {"yaml", "holidays"}
