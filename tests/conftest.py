"""Shared fixtures: the frozen default site (tests/fixture_site), copies of it to break, and
real builds of it.

The tests that assert what the default site says, word for word, read FIXTURE, not the
repository root: an admin who updates the root pack's data is held only to its
expected.yaml and to the tests every pack passes (tests/packs.py)."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
# A frozen copy of the default site, which admins never edit (see its README.md).
FIXTURE = ROOT / "tests" / "fixture_site"
FIXTURE_DATA = FIXTURE / "data"
# A frozen copy of a pack whose procedure calls its stages steps (stage_word: step).
STEPS_SITE = ROOT / "tests" / "fixture_steps_site"
INHERIT = "INHERIT: ../../mkdocs.yml"


def copy_project(dest: Path, source: Path = FIXTURE) -> Path:
    """A copy of a fixture's site (the default site's unless `source` says another; its
    mkdocs.yml, content/ and data/), to change without touching the repository. Its
    mkdocs.yml inherits the repository's shared configuration by its full path, wherever
    the copy is."""
    dest.mkdir(parents=True, exist_ok=True)
    for part in ("content", "data"):
        shutil.copytree(source / part, dest / part)
    config = (source / "mkdocs.yml").read_text(encoding="utf-8")
    assert INHERIT in config, f"{source.name}/mkdocs.yml no longer says {INHERIT!r}"
    shared = json.dumps(str(ROOT / "mkdocs.yml"))  # quoted: a folder's name may hold ': '
    (dest / "mkdocs.yml").write_text(config.replace(INHERIT, f"INHERIT: {shared}", 1),
                                     encoding="utf-8")
    return dest


def build_site(project: Path, out: Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "-f", str(project / "mkdocs.yml"),
         "-d", str(out)],
        capture_output=True, text=True, cwd=project,
    )


def built(project: Path, out: Path) -> Path:
    """The project's site, built into `out` with --strict, which must succeed."""
    result = build_site(project, out)
    assert result.returncode == 0, result.stderr[-3000:]
    return out


@pytest.fixture(scope="session")
def built_site(tmp_path_factory) -> Path:
    """The fixture's site (the default site, frozen), built once with --strict."""
    return built(FIXTURE, tmp_path_factory.mktemp("site"))


@pytest.fixture(scope="module")
def served(built_site):
    """The built site on 127.0.0.1 under its real headers, and Debian's Chromium."""
    from browser import chromium, serve

    with serve(built_site) as base, chromium() as browser:
        yield base, browser


@pytest.fixture
def data_copy(tmp_path) -> Path:
    """A copy of the fixture's data/ for a test to break."""
    return Path(shutil.copytree(FIXTURE_DATA, tmp_path / "data"))


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path.name}: the test's premise has changed"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def line_with(path: Path, part: str) -> int:
    """The number of the first line of the file that holds `part` (counted from 1)."""
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if part in line:
            return number
    raise AssertionError(f"{part!r} is on no line of {path.name}")
