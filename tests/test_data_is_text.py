"""What an admin writes in the data is text on every page: a field holding a script, an
image with an event handler, a script link or a Markdown attribute list is shown as
written, never becomes markup, and runs nowhere (not even by the page's own
Content-Security-Policy, which allows only the scripts the theme writes)."""

from __future__ import annotations

import dataclasses
import shutil
import types
import typing
from pathlib import Path

import pytest
import yaml
from bs4 import BeautifulSoup

import packs
from conftest import ROOT, built
from escalation import model

# Each pack's folder from the repository root ("." for the default site).
PACKS = [pack.folder.relative_to(ROOT).as_posix() for pack in packs.PACKS]

# Each runs, or would be markup, if a renderer let data text through as HTML or Markdown.
HOSTILE = ('<script>window.__pwned="script"</script>'
           '<img src="x" onerror="window.__pwned=\'img\'">'
           ' [link](javascript:window.__pwned="link") *{: onclick="window.__pwned=\'attr\'"}*')

# Text fields that are codes or addresses, not prose: they are checked as such.
NOT_PROSE = {(model.Option, "page"), (model.Template, "to"), (model.PageRecord, "page"),
             (model.Region, "country"), (model.Region, "subdivision")}


def _is_prose(cls, f: dataclasses.Field) -> bool:
    return (not f.metadata.get("check") and not f.metadata.get("ref")
            and (cls, f.name) not in NOT_PROSE)


def _inner(tp):
    if typing.get_origin(tp) in (typing.Union, types.UnionType):
        return next(a for a in typing.get_args(tp) if a is not type(None))
    return tp


def poison(cls, value) -> int:
    """Append HOSTILE to every prose field of `value` (plain data read from YAML), as the
    model defines them; returns how many fields were changed."""
    if not isinstance(value, dict):
        return 0
    changed = 0
    hints = typing.get_type_hints(cls)
    for f in dataclasses.fields(cls):
        if f.name not in value or value[f.name] is None:
            continue
        tp = _inner(hints[f.name])
        if tp is str and _is_prose(cls, f):
            value[f.name] = f"{value[f.name]} {HOSTILE}"
            changed += 1
        elif dataclasses.is_dataclass(tp):
            changed += poison(tp, value[f.name])
        elif typing.get_origin(tp) is tuple:
            item = typing.get_args(tp)[0]
            for i, entry in enumerate(value[f.name]):
                if item is str and _is_prose(cls, f):
                    value[f.name][i] = f"{entry} {HOSTILE}"
                    changed += 1
                elif dataclasses.is_dataclass(item):
                    changed += poison(item, entry)
    return changed


@pytest.fixture(scope="module", params=PACKS, ids=packs.pack_ids())
def hostile_site(request, tmp_path_factory):
    pack = ROOT / request.param
    root = tmp_path_factory.mktemp("hostile")
    # A pack's mkdocs.yml inherits ../../mkdocs.yml: the same layout as the repository.
    project = root / request.param
    project.mkdir(parents=True, exist_ok=True)
    shutil.copy(ROOT / "mkdocs.yml", root / "mkdocs.yml")
    for part in ("content", "data"):
        shutil.copytree(pack / part, project / part)
    if request.param != ".":
        shutil.copy(pack / "mkdocs.yml", project / "mkdocs.yml")
    changed = 0
    for name, cls in model.FILES.items():
        file = project / "data" / name
        if not file.exists():
            continue
        value = yaml.safe_load(file.read_text(encoding="utf-8"))
        # A glossary term is refused by the check when it holds markup (tested below);
        # its meaning and description are prose like any other.
        if cls is model.Glossary:
            for term in value["terms"]:
                for key in ("meaning", "description"):
                    if term.get(key):
                        term[key] += f" {HOSTILE}"
                        changed += 1
        else:
            changed += poison(cls, value)
        file.write_text(yaml.safe_dump(value, allow_unicode=True, sort_keys=False),
                        encoding="utf-8")
    assert changed > 50  # the premise: the payload really is in the data
    return built(project, project / "built")


def test_a_term_holding_markup_is_refused_by_the_check(data_copy, capsys):
    from escalation_build.cli import main

    glossary = data_copy / "glossary.yaml"
    glossary.write_text(glossary.read_text(encoding="utf-8").replace(
        "term: EDT", "term: EDT<script>x</script>", 1), encoding="utf-8")
    assert main(["check", str(data_copy)]) == 1
    assert ("terms[EDT<script>x</script>].term: 'EDT<script>x</script>' is not a term the "
            "glossary can mark in the text") in capsys.readouterr().out


def test_markup_in_a_text_field_is_a_warning_that_says_it_shows_as_written(data_copy, capsys):
    from escalation_build.cli import main

    glossary = data_copy / "glossary.yaml"
    glossary.write_text(glossary.read_text(encoding="utf-8").replace(
        "meaning: Emergency Duty Team", "meaning: Emergency <b>Duty</b> Team", 1),
        encoding="utf-8")
    assert main(["check", str(data_copy)]) == 0
    assert ("warning: terms[EDT].meaning: holds what looks like HTML or Markdown ('<b'): every "
            "field is plain text, so the site shows it exactly as written"
            ) in capsys.readouterr().out


def _pages(site: Path) -> list[Path]:
    return sorted(p for p in site.rglob("*.html") if "pyodide" not in p.parts)


def test_no_page_carries_data_text_as_markup(hostile_site):
    for page in _pages(hostile_site):
        soup = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
        where = page.relative_to(hostile_site)
        for script in soup.find_all("script"):
            assert "__pwned" not in script.get_text(), where
        for element in soup.find_all(True):
            handlers = [a for a in element.attrs if a.lower().startswith("on")]
            assert not handlers, (where, element.name, handlers)
            assert not str(element.get("href", "")).startswith("javascript:"), where
        assert not soup.find("img", src="x"), where


def test_the_data_text_is_shown_as_written(hostile_site):
    shown = 0
    for page in _pages(hostile_site):
        text = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser").get_text(" ")
        shown += text.count('<script>window.__pwned="script"</script>')
    assert shown > 20


def test_no_page_runs_a_script_from_the_data(hostile_site):
    from browser import chromium, serve

    with serve(hostile_site) as base, chromium() as browser:
        page = browser.new_page()
        for file in _pages(hostile_site):
            path = file.relative_to(hostile_site).as_posix()
            page.goto(base + "/" + path.removesuffix("index.html"))
            page.wait_for_load_state("load")
            assert page.evaluate("window.__pwned") is None, path
        page.goto(base + "/tool/")
        page.wait_for_selector("#tool[data-tool-status='ready']", timeout=60000)
        first = page.locator("fieldset.tool-question").first
        first.locator("input[type=radio]").first.check()
        first.get_by_role("button", name="Continue").click()
        page.wait_for_selector("#tool[data-tool-busy='false']")
        assert page.evaluate("window.__pwned") is None
        page.close()
