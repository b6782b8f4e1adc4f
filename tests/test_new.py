"""`escalation new <slug>` (issue 15) writes a pack that checks, builds with --strict and
passes every pack's own tests as it is, in a copy of the repository; and refuses a slug
that is not a plain lower-case folder name, or that is taken, writing nothing."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import tomllib
from datetime import date
from pathlib import Path

import pytest
import yaml

from conftest import FIXTURE, FIXTURE_DATA, ROOT, STEPS_SITE
from escalation_build import new_pack
from escalation_build.cli import main
from escalation_build.sources import load_data_dir

TODAY = date(2026, 12, 2)
# What a checkout holds that a copy of it must not: history, installs, builds, caches.
NOT_COPIED = shutil.ignore_patterns(".git", ".venv", "node_modules", "site", ".cache",
                                    "__pycache__", ".pytest_cache", ".hypothesis",
                                    "*.egg-info", "test-results", "build", "dist")
# The tests of tests/ that take every pack (parametrized by pack, or looping over them):
# the new pack is held to all of them, browser journeys included. (test_data_is_text,
# test_data_mutations and test_delivery take every pack too, at a minute or more each.)
PACK_TESTS = ("test_packs.py", "test_stories.py", "test_emergency.py", "test_wording.py",
              "test_references.py", "test_view_contract.py", "test_schemas.py")
EVERY_PACK = ("test_every_pack_is_found_with_what_a_pack_holds",
              "test_every_pack_passes_the_data_check",
              "test_there_are_eight_stories_and_each_is_walked_in_some_pack",
              "test_every_packs_data_passes_its_schema",  # check-jsonschema, as editors do
              # for every pack: no other site may say the new pack's placeholder facts
              "test_no_other_packs_fact_appears_in_a_packs_site")


def _env() -> dict[str, str]:
    # The engine under test, whichever folder the command runs in; its .cache/ (the
    # tool's prepared files) is this checkout's, so a second run builds in seconds.
    return {**os.environ, "PYTHONPATH": str(ROOT / "tool"), "NO_MKDOCS_2_WARNING": "1"}


def escalation(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "escalation_build.cli", *args], cwd=cwd,
                          capture_output=True, text=True, env=_env())


def _free_slug() -> str:
    """'demo', or another word should the repository hold a pack of that name. (Not
    'demo-2': a pack made from the template beside it would say 'Demo 2', which holds
    the other's area, 'Demo', and the tests rightly fail it for saying another's name.)"""
    taken = {p.name for p in (ROOT / "partnerships").iterdir()}
    # The others are words no site says (a pack's area, made from its slug, may appear in
    # no other pack's site, not even in the theme's files: 'Sample' is in lunr's).
    return next(s for s in ("demo", "zyzzyva", "xylocarp") if s not in taken)


@pytest.fixture(scope="module")
def made(tmp_path_factory):
    """(a copy of the repository, the slug, what `escalation new` printed), with the new
    pack written into the copy."""
    root = tmp_path_factory.mktemp("checkout") / "escalation"
    shutil.copytree(ROOT, root, ignore=NOT_COPIED, symlinks=True)
    (root / "node_modules").symlink_to((ROOT / "node_modules").resolve())  # Pyodide, axe-core
    slug = _free_slug()
    result = escalation("new", slug, cwd=root)
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""
    return root, slug, result.stdout


def test_it_says_what_it_wrote_and_what_to_do_next(made):
    root, slug, said = made
    folder = root / "partnerships" / slug
    written = sorted(p.relative_to(root).as_posix() for p in folder.rglob("*") if p.is_file())
    listed = re.findall(r"^  (partnerships/\S+)$", said, re.MULTILINE)
    assert listed == written
    assert {f"partnerships/{slug}/{part}" for part in (
        "mkdocs.yml", "expected.yaml", "data/partnership.yaml", "data/contacts.yaml",
        "data/stages.yaml", "data/options.yaml", "data/chooser.yaml", "data/glossary.yaml",
        "content/index.md", "content/tool.md")} <= set(written)
    assert f"escalation check partnerships/{slug}/data" in said
    assert f"escalation deadlines --data partnerships/{slug}/data --start 2026-12-24" in said
    assert f"PARTNERSHIP={slug} bash scripts/serve" in said


def test_the_new_pack_passes_the_check_with_no_problem(made):
    root, slug, _ = made
    result = escalation("check", f"partnerships/{slug}/data", cwd=root)
    assert result.returncode == 0, result.stdout
    assert result.stdout == f"partnerships/{slug}/data: the data is ready to publish.\n"


def test_the_new_pack_builds_with_strict(made, tmp_path):
    root, slug, _ = made
    result = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "-f",
         f"partnerships/{slug}/mkdocs.yml", "-d", str(tmp_path / "site")],
        cwd=root, capture_output=True, text=True, env=_env())
    assert result.returncode == 0, result.stderr[-3000:]
    home = (tmp_path / "site" / "index.html").read_text(encoding="utf-8")
    assert f"Disagree with a professional about a child in {slug.replace('-', ' ').title()}?" in home
    assert "Replace:" not in home  # the notes to the admin are Jinja comments, not text


def test_the_new_pack_passes_every_packs_tests(made):
    root, slug, _ = made
    result = subprocess.run(
        [sys.executable, "-m", "pytest", "-p", "no:cacheprovider", "-q", "-rA",
         "-k", " or ".join((slug, *EVERY_PACK)), *(f"tests/{name}" for name in PACK_TESTS)],
        cwd=root, capture_output=True, text=True, env=_env())
    assert result.returncode == 0, result.stdout[-5000:] + result.stderr[-2000:]
    passed = re.findall(r"^PASSED tests/(\S+?)::(\S+)", result.stdout, re.MULTILINE)
    ours = [(file, test) for file, test in passed if f"partnerships/{slug}" in test]
    # Every pack's file has the new pack among its packs, and test_packs.py walks its
    # site and tool in all seven of its tests of one pack.
    assert {file for file, _ in ours} == set(PACK_TESTS), ours
    assert len([file for file, _ in ours if file == "test_packs.py"]) == 7, ours
    assert {test.partition("[")[0] for _, test in passed} >= set(EVERY_PACK)
    others = [test for _, test in passed
              if test.startswith("test_no_other_packs_fact") and slug not in test]
    assert len(others) >= 2, passed  # the default site and the other packs


def test_every_data_file_names_its_schema_on_its_first_line(made):
    root, slug, _ = made
    files = sorted((root / "partnerships" / slug / "data").glob("*.yaml"))
    assert len(files) >= 6
    for file in files:
        first = file.read_text(encoding="utf-8").split("\n", 1)[0]
        assert first == (f"# yaml-language-server: $schema=../../../schemas/{file.stem}"
                         ".schema.json"), file.name


def test_every_data_file_says_what_to_replace_and_nothing_is_left_unfilled(made):
    root, slug, _ = made
    folder = root / "partnerships" / slug
    for file in folder.rglob("*"):
        if file.is_file():
            text = file.read_text(encoding="utf-8")
            assert "${" not in text and "$$" not in text, file
    for file in (folder / "data").glob("*.yaml"):
        assert "# Replace:" in file.read_text(encoding="utf-8"), file.name


def test_the_facts_are_placeholders_made_from_the_slug(tmp_path):
    project = _project(tmp_path)
    new_pack.new_pack(project, "north-east-lincs", TODAY)
    data, _ = load_data_dir(project / "partnerships" / "north-east-lincs" / "data", today=TODAY)
    p = data.partnership
    assert (p.id, p.name, p.short_name, p.area) == (
        "north-east-lincs", "North East Lincs Safeguarding Children Partnership", "NELSCP",
        "North East Lincs")
    for contact in data.contacts.contacts:
        assert contact.verified == TODAY
        assert contact.email is None or contact.email.endswith("@example.gov.uk")
        # 999, or Ofcom's numbers for drama, which ring nobody
        assert contact.phone in (None, "999") or re.fullmatch(r"01632 960\d{3}", contact.phone)
    assert data.pages is not None
    assert [(r.reviewed, r.next_review) for r in data.pages.pages] == [
        (TODAY, date(2027, 12, 2))]


@pytest.mark.parametrize("slug", ["no", "null", "true", "2024", "0x1f", "1e5", "on"])
def test_a_slug_yaml_would_read_as_another_type_stays_text(tmp_path, slug):
    project = _project(tmp_path)
    new_pack.new_pack(project, slug, TODAY)
    data, _ = load_data_dir(project / "partnerships" / slug / "data", today=TODAY)
    assert data.partnership.id == slug
    assert data.partnership.area == slug.capitalize()
    config = yaml.safe_load((project / "partnerships" / slug / "mkdocs.yml").read_text("utf-8"))
    assert config["site_name"] == f"{slug.capitalize()} escalation procedures"


def test_a_review_due_a_year_after_the_29th_of_february_is_the_28th():
    assert new_pack.Names("demo", date(2028, 2, 29)).next_review == date(2029, 2, 28)


# --- refusals ------------------------------------------------------------------------


def _project(tmp_path: Path) -> Path:
    """The least of a repository `escalation new` needs: its mkdocs.yml, the default
    site's partnership (id 'surrey') and pages, and one pack."""
    project = tmp_path / "repository"
    (project / "data").mkdir(parents=True)
    shutil.copy(ROOT / "mkdocs.yml", project / "mkdocs.yml")
    shutil.copy(FIXTURE_DATA / "partnership.yaml", project / "data" / "partnership.yaml")
    shutil.copytree(FIXTURE / "content", project / "content")
    shutil.copytree(STEPS_SITE, project / "partnerships" / "existing-pack")
    return project


def _tree(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() if p.is_file() else b""
            for p in sorted(folder.rglob("*"))}


def refused(project: Path, slug: str, monkeypatch, capsys) -> tuple[int, str]:
    before = _tree(project)
    monkeypatch.chdir(project)
    code = main(["new", "--", slug])  # "--": a slug such as -demo is not an option
    out, err = capsys.readouterr()
    assert out == ""
    assert _tree(project) == before  # nothing written, not even a half-made folder
    assert err.startswith("Cannot make the pack: ") and err.endswith(". Nothing was written.\n")
    return code, err


@pytest.mark.parametrize("slug, says", [
    ("Demo", "'Demo' is not a usable slug: use lower-case letters and digits, with single "
             "hyphens between words (no capitals, underscores, spaces, dots or slashes), such "
             "as 'north-yorkshire'"),
    ("de_mo", "'de_mo' is not a usable slug"),  # an id may have underscores; a slug may not
    ("../x", "'../x' is not a usable slug"),
    ("a/b", "'a/b' is not a usable slug"),
    (".", "'.' is not a usable slug"),
    ("a--b", "'a--b' is not a usable slug"),
    ("-demo", "'-demo' is not a usable slug"),
    ("demo-", "'demo-' is not a usable slug"),
    ("de mo", "'de mo' is not a usable slug"),
    (" demo", "' demo' is not a usable slug"),
    ("démo", "'démo' is not a usable slug"),
    ("demo\n", "'demo\\n' is not a usable slug"),
    ("", "the slug is empty: give the pack's folder name, such as 'north-yorkshire'"),
    ("a" * 61, "a slug of 61 characters is too long: use 60 or fewer"),
    ("con", "'con' is a name Windows keeps for a device: choose another slug"),
    ("lpt1", "'lpt1' is a name Windows keeps for a device"),
    ("constructor", "'constructor' is a word the browser reserves, and the slug is also the "
                    "partnership's id: choose another slug"),
])
def test_a_slug_that_is_not_a_plain_lower_case_folder_name_is_refused(
        tmp_path, monkeypatch, capsys, slug, says):
    code, err = refused(_project(tmp_path), slug, monkeypatch, capsys)
    assert code == 2
    assert says in err


def test_sixty_characters_are_enough(tmp_path):
    project = _project(tmp_path)
    new_pack.new_pack(project, "a" * 60, TODAY)
    assert (project / "partnerships" / ("a" * 60) / "mkdocs.yml").is_file()


def test_a_pack_that_exists_is_refused_and_left_as_it_was(tmp_path, monkeypatch, capsys):
    code, err = refused(_project(tmp_path), "existing-pack", monkeypatch, capsys)
    assert code == 1
    assert "partnerships/existing-pack already exists: choose another slug, or edit that pack" in err


def test_an_empty_folder_or_a_file_of_that_name_is_refused_too(tmp_path, monkeypatch, capsys):
    project = _project(tmp_path)
    (project / "partnerships" / "empty").mkdir()
    (project / "partnerships" / "notes").write_text("mine", encoding="utf-8")
    for slug in ("empty", "notes"):
        code, err = refused(project, slug, monkeypatch, capsys)
        assert code == 1 and f"partnerships/{slug} already exists" in err


def test_the_default_sites_partnership_id_is_refused(tmp_path, monkeypatch, capsys):
    code, err = refused(_project(tmp_path), "surrey", monkeypatch, capsys)
    assert code == 1
    assert ("'surrey' is already the partnership id in data/partnership.yaml, and two packs "
            "would share it (and each other's saved cases): choose another slug") in err


def test_a_folder_of_the_default_site_is_refused(tmp_path, monkeypatch, capsys):
    """Publishing puts a pack at /<slug>/ beside the default site's own folders."""
    project = _project(tmp_path)
    page = sorted((project / "content").glob("*.md"))[-1].stem
    for slug in (page, "admin", "assets", "search", "tool"):
        code, err = refused(project, slug, monkeypatch, capsys)
        assert code == 1 and f"'{slug}' is already a folder of the default site" in err, err
        assert not (project / "partnerships" / slug).exists()


def test_outside_the_repository_it_is_refused(tmp_path, monkeypatch, capsys):
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    code, err = refused(elsewhere, "demo", monkeypatch, capsys)
    assert code == 1
    assert f"{elsewhere} has no mkdocs.yml: run 'escalation new' in the repository's own folder" in err


def test_a_failure_part_way_leaves_no_half_made_pack(tmp_path, monkeypatch):
    project = _project(tmp_path)
    before = _tree(project)
    filled = []

    def fill_then_fail(text, names):
        if len(filled) == 3:
            raise OSError("disk full")
        filled.append(text)
        return text

    monkeypatch.setattr(new_pack, "fill", fill_then_fail)
    with pytest.raises(OSError, match="disk full"):
        new_pack.new_pack(project, "demo", TODAY)
    assert _tree(project) == before


def test_the_template_ships_with_the_package():
    """A non-editable install copies only the files pyproject's package-data names."""
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    package = ROOT / "tool" / "escalation_build"
    shipped = {p.relative_to(package) for pattern in
               config["tool"]["setuptools"]["package-data"]["escalation_build"]
               for p in package.glob(pattern) if p.is_file()}
    files = new_pack.template_files()
    assert len(files) >= 10
    assert {Path("pack_template") / f for f in files} <= shipped

