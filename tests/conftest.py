"""Shared fixtures: the real data folder, copies of it to break, and real site builds."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SITE_PARTS = ("mkdocs.yml", "content", "data")


def copy_project(dest: Path) -> Path:
    """A copy of what a site build reads, to change without touching the repository."""
    dest.mkdir(parents=True, exist_ok=True)
    for part in SITE_PARTS:
        source = ROOT / part
        if source.is_dir():
            shutil.copytree(source, dest / part)
        elif source.exists():
            shutil.copy(source, dest / part)
    return dest


def build_site(project: Path, out: Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "-f", str(project / "mkdocs.yml"),
         "-d", str(out)],
        capture_output=True, text=True, cwd=project,
    )


@pytest.fixture(scope="session")
def built_site(tmp_path_factory) -> Path:
    """The Surrey site, built once with --strict from the repository as it is."""
    out = tmp_path_factory.mktemp("site")
    result = build_site(ROOT, out)
    assert result.returncode == 0, result.stderr
    return out


@pytest.fixture(scope="module")
def served(built_site):
    """The built site on 127.0.0.1 under its real headers, and Debian's Chromium."""
    from browser import chromium, serve

    with serve(built_site) as base, chromium() as browser:
        yield base, browser


@pytest.fixture
def data_copy(tmp_path) -> Path:
    """A copy of data/ for a test to break."""
    return Path(shutil.copytree(ROOT / "data", tmp_path / "data"))


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
