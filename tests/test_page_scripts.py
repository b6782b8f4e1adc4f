"""The Content-Security-Policy allows only the inline scripts the theme writes: anything
else in a page (a script, an event handler, a script address) stops the build, naming
the page, instead of being allowed by its own hash."""

from __future__ import annotations

import pytest
from mkdocs.config import load_config

from conftest import ROOT, build_site, copy_project, edit
from escalation_build.page_scripts import known_scripts, unknown_markup


@pytest.fixture(scope="module")
def theme_scripts():
    config = load_config(str(ROOT / "mkdocs.yml"))
    return known_scripts(config.theme.dirs)


def test_every_inline_script_of_the_built_site_is_one_the_theme_writes(built_site, theme_scripts):
    pages = [p for p in built_site.rglob("*.html") if "pyodide" not in p.parts]
    assert len(pages) > 10
    for page in pages:
        assert unknown_markup(page.read_text(encoding="utf-8"), theme_scripts) == [], page


def test_the_theme_script_with_a_value_that_leaves_its_string_is_not_known(theme_scripts):
    page = next((ROOT / ".venv").glob("lib/python3*/site-packages/material/templates/"
                                      "partials/javascripts/base.html")).read_text()
    script = page[page.index("<script>") + 8:page.index("</script>")]
    fine = script.replace("{{ config.extra.scope | d(base_url) }}", "../..")
    assert unknown_markup(f"<script>{fine}</script>", theme_scripts) == []
    broken = script.replace("{{ config.extra.scope | d(base_url) }}", '"),alert(1),("')
    assert unknown_markup(f"<script>{broken}</script>", theme_scripts)


@pytest.mark.parametrize("markup, found", [
    ("<script>alert(1)</script>", "an inline script that neither the theme nor this project "
                                  "writes: <script>alert(1)"),
    ('<img src="x" onerror="alert(1)">', "<img> has an event-handler attribute 'onerror'"),
    ('<a href=" java&#x09;script:alert(1)">x</a>', "<a> has a script address in 'href'"),
    ('<svg><a xlink:href="javascript:alert(1)"><text>x</text></a></svg>',
     "<a> has a script address in 'xlink:href'"),
])
def test_markup_that_runs_a_script_is_found(theme_scripts, markup, found):
    assert found in unknown_markup(f"<p>{markup}</p>", theme_scripts)


def test_a_page_with_a_script_of_its_own_stops_the_build_and_is_named(tmp_path):
    project = copy_project(tmp_path / "project")
    edit(project / "content" / "contacts.md", "{{ contacts_directory() }}",
         '<img src="x" onerror="alert(1)">\n\n{{ contacts_directory() }}')
    result = build_site(project, tmp_path / "site")
    assert result.returncode != 0
    assert ("contacts.md: the page holds markup that would run a script, which no page of this "
            "site may: <img> has an event-handler attribute 'onerror'") in result.stderr
    assert "Traceback" not in result.stderr
