"""A wrong macro call in a page stops the build with the page, the line and a plain
message: never a Python traceback."""

from __future__ import annotations

import pytest

from conftest import build_site, copy_project, edit


@pytest.mark.parametrize("call, message", [
    ("{{ when(5, 'stage-1') }}", "{{ when(5, 'stage-1') }}: there is no procedure 'stage-1' "
                                 "in stages.yaml"),
    ("{{ stages_table('stage1') }}", "{{ stages_table('stage1') }}: there is no procedure "
                                     "'stage1' in stages.yaml"),
    ("{{ when(9) }}", "{{ when(9) }}: procedure 'fast' has stages 1 to 5: there is no stage 9"),
    ("{{ when(0) }}", "{{ when(0) }}: procedure 'fast' has stages 1 to 5: there is no stage 0"),
    ("{{ phone('nobody') }}", "{{ phone('nobody') }}: there is no contact 'nobody' in "
                              "contacts.yaml"),
    ("{{ when() }}", "{{ when() }}: the macro was called with the wrong arguments: when() "
                     "missing 1 required positional argument: 'stage'"),
    ("{{ whne(1) }}", "'whne' is not a macro or a value pages can use"),
    ("{{ when(1 }}", "a macro is written wrongly: unexpected '}', expected ')'"),
    ("{{ data.nothing }}", "'nothing' is not a field of Data: the fields are partnership, "),
    ("{{ data.contact('nobody').name }}", "there is no contact 'nobody' in contacts.yaml"),
])
def test_a_wrong_macro_call_names_the_page_and_line(tmp_path, call, message):
    project = copy_project(tmp_path / "project")
    page = project / "content" / "contacts.md"
    edit(page, "{{ contacts_directory() }}", "{{ contacts_directory() }}\n\nSee " + call)
    line = page.read_text(encoding="utf-8").splitlines().index("See " + call) + 1
    result = build_site(project, tmp_path / "site")
    assert result.returncode != 0
    assert "Traceback" not in result.stderr, result.stderr[-2000:]
    if message is not None:
        assert f"content/contacts.md, line {line}: " in result.stderr, result.stderr[-2000:]
        assert message in result.stderr, result.stderr[-2000:]


def test_a_value_missing_from_some_entries_names_the_page_and_line(tmp_path):
    # A page template that sums a field of every stage, where one stage has steps and no
    # timescale of its own (issue 14): the page and line, not a Jinja traceback.
    project = copy_project(tmp_path / "project")
    page = project / "content" / "contacts.md"
    call = "{{ data.procedure().stages | sum(attribute='timescale.within') }} days"
    edit(page, "{{ contacts_directory() }}", "{{ contacts_directory() }}\n\nSee " + call)
    line = page.read_text(encoding="utf-8").splitlines().index("See " + call) + 1
    stages = project / "data" / "stages.yaml"
    edit(stages, "        timescale: {within: 2, unit: working days, counted_from: previous stage}\n"
                 "        copy_to: [sscp]\n",
         "        no_timescale: act without delay\n        copy_to: [sscp]\n")
    result = build_site(project, tmp_path / "site")
    assert result.returncode != 0
    assert "Traceback" not in result.stderr, result.stderr[-2000:]
    assert f"content/contacts.md, line {line}: " in result.stderr, result.stderr[-2000:]
    assert "has no attribute 'within'" in result.stderr, result.stderr[-2000:]
