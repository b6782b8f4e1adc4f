"""The admins' reference page: written from the model, so every file and every field of
it is there, with what it takes and whether it must be given."""

from __future__ import annotations

import dataclasses
import typing

from bs4 import BeautifulSoup

from escalation import model
from escalation_build.reference import _nested, data_reference
from packs import FIXTURE_PACK


def _entries(soup: BeautifulSoup) -> dict[str, dict[str, str]]:
    """Each section's heading id, and in it each field's name and what the page says."""
    sections: dict[str, dict[str, str]] = {}
    for heading in soup.find_all(["h2", "h3"]):
        fields = sections.setdefault(heading["id"], {})
        for sibling in heading.find_next_siblings():
            if sibling.name in ("h2", "h3"):
                break
            if sibling.name == "dl":
                for term in sibling.find_all("dt"):
                    said = term.find_next_sibling("dd").get_text()
                    fields[term.get_text()] = " ".join(said.split())
    return sections


def test_every_file_and_field_is_on_the_page(built_site):
    page = built_site / "admin" / "data-reference" / "index.html"
    sections = _entries(BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser"))
    for data_file, cls in model.FILES.items():
        stem = data_file.removesuffix(".yaml")
        for kind, anchor in [(cls, f"{stem}-yaml"), *[
                (inner, f"{stem}-yaml-{inner.__name__.lower()}") for inner in _nested(cls)]]:
            assert anchor in sections, f"{data_file}: no section for {kind.__name__}"
            shown = sections[anchor]
            names = [f.name for f in dataclasses.fields(kind)]
            assert list(shown) == names, f"{anchor}: the fields shown are not {kind.__name__}'s"
            for f in dataclasses.fields(kind):
                assert shown[f.name].startswith(
                        "Required." if model.is_required(f) else "Optional"), (
                    anchor, f.name, shown[f.name])
                assert " ".join(f.metadata["doc"].split()) in shown[f.name], (anchor, f.name)


def test_a_fields_type_is_said_in_words():
    markdown = data_reference(FIXTURE_PACK.data)
    assert "`holiday_years_before`\n:   **Required.** A whole number from 1 to 10." in markdown
    assert ("`closure_days`\n:   Optional. A list of sets of fields, "
            "[closure day](#partnership-yaml-closureday).") in markdown
    assert "`unit`\n:   **Required.** One of `working days`, `calendar days`, `hours`." in markdown
    assert "`verified`\n:   **Required.** A date, YYYY-MM-DD." in markdown


def test_examples_come_from_the_sites_own_data():
    data = FIXTURE_PACK.data
    markdown = data_reference(data)
    first = data.contacts.contacts[0]
    assert f"For example, in this site's data: {first.verified.isoformat()}" in markdown


def _has_an_example(cls, f: dataclasses.Field, examples: dict) -> bool:
    inner = typing.get_args(typing.get_type_hints(cls)[f.name]) or (None,)
    return bool(
        "such as" in f.metadata["doc"] or (cls.__name__, f.name) in model.EXAMPLES
        or (cls, f.name) in examples
        or f.default not in (None, (), dataclasses.MISSING)  # shown as "if left out"
        or any(dataclasses.is_dataclass(t) for t in (typing.get_type_hints(cls)[f.name], *inner)))


def test_every_field_has_an_example_in_any_site():
    """From the site's data, or else the model's own: a fork that uses none of a field
    still shows how to write it."""
    from escalation_build.reference import _examples

    nothing = model.Data(
        partnership=FIXTURE_PACK.data.partnership, contacts=model.Contacts((), ()),
        procedures=model.Procedures(()), glossary=model.Glossary(()))
    examples = _examples(nothing)
    missing = [f"{kind.__name__}.{f.name}" for cls in model.FILES.values()
               for kind in (cls, *_nested(cls)) for f in dataclasses.fields(kind)
               if not _has_an_example(kind, f, examples)]
    assert not missing, f"fields with no example: {', '.join(sorted(set(missing)))}"
