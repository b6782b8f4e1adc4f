"""The built Surrey site: every page, every fact exact, nothing fetched from elsewhere,
and one change in data reaching every page."""

from __future__ import annotations

import json
import re
from pathlib import Path
from urllib.parse import urlparse

from bs4 import BeautifulSoup

from conftest import FIXTURE_DATA, build_site, built, copy_project, edit

PAGES = [
    "index.html",
    "tool/index.html",
    "raising-concerns/index.html",
    "fast-resolution-process/index.html",
    "contacts/index.html",
    "email-templates/index.html",
    "appendix-1-fast-resolution-form/index.html",
    "glossary/index.html",
    "poster/index.html",
    "poster-a3/index.html",
    "admin/updating-a-contact/index.html",
    "admin/publishing/index.html",
    "admin/chooser-tree/index.html",
    "admin/adding-a-partnership/index.html",
]

# Seed 002, Table 2 (and the C-SPA note above section 1), written out literally.
SEED_002_EMAILS = [
    "cspa@surreycc.gov.uk",
    "fast.signposting@surreycc.gov.uk",
    "CSH.safeguarding@nhs.net",
    "FCHC.SGCService@nhs.net",
    "safeguardingchildren@sabp.nhs.uk",
    "sash.safeguardingchildren@nhs.net",
    "est-tr.safeguardingchildrenteamesth@nhs.net",
    "fph-tr.safeguarding@nhs.net",
    "rsc-tr.SafeguardingChildren@nhs.net",
    "asp-tr.safeguardingchildrenteam@nhs.net",
    "safeguarding@secamb.nhs.uk",
    "syheartlandsccg.surrey.safeguarding@nhs.net",
    "MASHDSs@surrey.police.uk",
    "Partnership.escalation@surreycc.gov.uk",
]
SEED_002_PHONES = ["0300 470 9100", "01483 517898", "01483 636451"]
SUBJECTS = [
    "SSCP Stage 2 FaST Resolution request – Urgent response required within 2 working days",
    "SSCP Stage 3 FaST Resolution request - Urgent 48-hour response required",
    "SSCP Stage 4 FaST Resolution request – Urgent 48-hour response required",
]


def page_text(site: Path, page: str) -> str:
    soup = BeautifulSoup((site / page).read_text(encoding="utf-8"), "html.parser")
    main = soup.find("article") or soup
    return " ".join(main.get_text(" ").split())


def all_html(site: Path):
    return sorted(site.rglob("*.html"))


def test_every_page_is_built(built_site):
    for page in PAGES:
        assert (built_site / page).is_file(), page


def test_every_seed_002_contact_appears_exactly_and_as_a_mailto_link(built_site):
    directory = (built_site / "contacts/index.html").read_text(encoding="utf-8")
    text = page_text(built_site, "contacts/index.html")
    for address in SEED_002_EMAILS:
        assert address in text, address
        assert f'href="mailto:{address}"' in directory, address


def test_every_seed_002_phone_number_appears_exactly(built_site):
    text = page_text(built_site, "contacts/index.html")
    for number in SEED_002_PHONES:
        assert number in text, number


def test_the_home_page_has_the_emergency_numbers_and_the_four_options(built_site):
    text = page_text(built_site, "index.html")
    assert "0300 470 9100 (Monday to Friday, 9am to 5pm)" in text
    assert "01483 517898" in text
    assert "999" in text
    soup = BeautifulSoup((built_site / "index.html").read_text(encoding="utf-8"), "html.parser")
    links = {a.get_text(" ", strip=True): a["href"] for a in soup.select("article a")}
    assert links["Option 1: Make a referral to C-SPA"] == "raising-concerns/#option-1"
    assert links["Option 4: Start the FaST resolution process"] == "raising-concerns/#option-4"
    assert sum(1 for name in links if name.startswith("Option ")) == 4


def test_the_template_subject_lines_appear_exactly(built_site):
    text = page_text(built_site, "email-templates/index.html")
    for subject in SUBJECTS:
        assert subject in text, subject


def test_the_templates_copy_in_the_sscp_and_mark_what_is_left_to_fill(built_site):
    text = page_text(built_site, "email-templates/index.html")
    assert "Copy to Partnership.escalation@surreycc.gov.uk" in text
    assert "[To fill: Name of the person you are writing to]" in text


def test_the_stages_table_gives_what_who_and_when_for_each_stage(built_site):
    soup = BeautifulSoup((built_site / "fast-resolution-process/index.html").read_text("utf-8"),
                         "html.parser")
    table = next(t for t in soup.find_all("table")
                 if [th.get_text(strip=True) for th in t.find_all("th")][:4]
                 == ["Stage", "What happens", "Who", "When"])
    rows = [[" ".join(td.get_text().split()) for td in tr.find_all("td")]
            for tr in table.find("tbody").find_all("tr")]
    assert [r[0] for r in rows] == [
        "Stage 1: Internal discussion", "Stage 2: Inter-agency discussion",
        "Stage 3: Team / Service Manager", "Stage 4: Heads/Directors of Service",
        "Stage 5: Surrey Safeguarding Children Partnership (SSCP)"]
    assert rows[0][3] == "Within 2 working days of the disagreement or concern arising."
    assert rows[4][3] == "Within 2 working days of the completion of stage 4."


def test_the_appendix_form_has_its_fields_and_the_stage_1_to_4_table(built_site):
    soup = BeautifulSoup((built_site / "appendix-1-fast-resolution-form/index.html")
                         .read_text("utf-8"), "html.parser")
    labels = [th.get_text(strip=True) for th in soup.select(".form-sheet__fields th")]
    assert labels == [
        "Name of the Child(ren)/Family that requires support:",
        "Name of the agency seeking a solution",
        "Name, role and contact details of agency representative seeking a solution",
        "What are you worried about?",
        "What action do you believe is needed?",
    ]
    log = soup.select_one(".form-sheet__log")
    assert [th.get_text(strip=True) for th in log.select("thead th")] == [
        "Stage", "Date Contact Made", "Who did you contact", "How did you contact them",
        "Outcome/Reason for moving to next stage"]
    assert [th.get_text(strip=True) for th in log.select("tbody th")] == ["1", "2", "3", "4"]


def test_the_directory_shows_when_each_contact_was_verified(built_site):
    text = page_text(built_site, "contacts/index.html")
    assert "Last verified" in text
    assert "20 April 2024" in text


def test_glossary_terms_are_abbreviation_tooltips_on_other_pages(built_site):
    soup = BeautifulSoup((built_site / "index.html").read_text("utf-8"), "html.parser")
    titles = {a.get_text(): a.get("title") for a in soup.find_all("abbr")}
    assert titles.get("C-SPA") == "Children's Single Point of Access"
    assert titles.get("SSCP") == "Surrey Safeguarding Children Partnership"


def test_the_site_search_finds_contacts(built_site):
    index = json.loads((built_site / "search/search_index.json").read_text("utf-8"))
    text = " ".join(doc["text"] for doc in index["docs"])
    assert "FCHC.SGCService@nhs.net" in text
    assert "01483 636451" in text


# Elements and attributes through which a page makes the browser fetch something.
FETCHING = [("script", "src"), ("link", "href"), ("img", "src"), ("img", "srcset"),
            ("iframe", "src"), ("frame", "src"), ("source", "src"), ("source", "srcset"),
            ("video", "src"), ("video", "poster"), ("audio", "src"), ("object", "data"),
            ("embed", "src"), ("track", "src"), ("input", "src")]
# <link> relations that only name a page rather than fetch it.
NON_FETCHING_LINKS = {"canonical", "alternate", "prev", "next", "author", "license", "help"}
CSS_URL = re.compile(r"""url\(\s*['"]?([^'")]+)""")


def _foreign(url: str) -> bool:
    parsed = urlparse(url.strip())
    return bool(parsed.netloc) or parsed.scheme not in ("", "data")


def test_no_page_loads_anything_from_another_site(built_site):
    foreign = []
    for page in all_html(built_site):
        soup = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
        for tag, attr in FETCHING:
            for element in soup.find_all(tag):
                if tag == "link" and NON_FETCHING_LINKS & set(element.get("rel") or []):
                    continue
                for url in (element.get(attr) or "").split(","):
                    url = url.strip().split(" ")[0]
                    if url and _foreign(url):
                        foreign.append(f"{page.relative_to(built_site)}: <{tag} {attr}={url}>")
        for style in soup.find_all("style"):
            foreign += [f"{page}: {u}" for u in CSS_URL.findall(style.get_text()) if _foreign(u)]
        for element in soup.find_all(style=True):
            foreign += [f"{page}: {u}" for u in CSS_URL.findall(element["style"]) if _foreign(u)]
    for sheet in built_site.rglob("*.css"):
        text = sheet.read_text(encoding="utf-8", errors="replace")
        foreign += [f"{sheet.name}: {u}" for u in CSS_URL.findall(text) if _foreign(u)]
        foreign += [f"{sheet.name}: @import" for _ in re.findall(r"@import\s+url\(\s*['\"]?https?:", text)]
    assert foreign == []


def test_the_check_for_foreign_resources_would_catch_one(tmp_path):
    # The test above must be able to fail: a Google font link is exactly what it is for.
    page = tmp_path / "index.html"
    page.write_text('<link rel="stylesheet" href="https://fonts.googleapis.com/css?family=Roboto">'
                    '<img src="/assets/logo.png"><a href="https://www.surreycc.gov.uk">x</a>')
    soup = BeautifulSoup(page.read_text(), "html.parser")
    found = [e["href"] for e in soup.find_all("link") if _foreign(e["href"])]
    assert found == ["https://fonts.googleapis.com/css?family=Roboto"]
    assert not _foreign("/assets/logo.png") and not _foreign("data:image/png;base64,AAAA")


def test_changing_one_address_in_contacts_changes_every_page_that_shows_it(tmp_path, built_site):
    old, new = "Partnership.escalation@surreycc.gov.uk", "fast.escalation@surreycc.gov.uk"
    showing_old = {p.relative_to(built_site) for p in all_html(built_site)
                   if old in p.read_text("utf-8")}
    assert len(showing_old) >= 5  # home, options, chapter, directory, templates, appendix...
    project = copy_project(tmp_path / "project")
    edit(project / "data" / "contacts.yaml", f"email: {old}", f"email: {new}")
    pages = all_html(built(project, tmp_path / "out"))
    assert [p for p in pages if old in p.read_text("utf-8")] == []
    showing_new = {p.relative_to(tmp_path / "out") for p in pages if new in p.read_text("utf-8")}
    assert showing_new == showing_old


def test_a_broken_data_file_stops_the_build_naming_file_line_and_field(tmp_path):
    project = copy_project(tmp_path / "project")
    edit(project / "data" / "contacts.yaml", "syheartlandsccg.surrey.safeguarding@nhs.net",
         "syheartlandsccg.surrey.safeguarding")
    result = build_site(project, tmp_path / "out")
    assert result.returncode != 0
    assert "contacts.yaml, line" in result.stderr
    assert "contacts[surrey-ccg].email: 'syheartlandsccg.surrey.safeguarding' is not an email address" \
        in result.stderr
    assert not (tmp_path / "out" / "contacts" / "index.html").exists()


def test_the_site_states_which_years_of_bank_holidays_it_knows(built_site):
    from datetime import date
    text = page_text(built_site, "fast-resolution-process/index.html")
    year = date.today().year
    assert (f"except bank holidays in England. The day a timescale is counted from is never "
            f"counted itself. This site knows the bank holidays from {year - 1} to {year + 5}."
            ) in text


def test_the_poster_and_the_tree_drawing_change_with_the_data(tmp_path, built_site):
    # The published drawings first: stage 3 in 2 working days, no question on training.
    poster = (built_site / "poster" / "index.html").read_text("utf-8")
    assert "Within 2 working days of the completion of stage 2" in poster
    tree = (built_site / "admin" / "chooser-tree" / "index.html").read_text("utf-8")
    assert "Have you had FaST training" not in tree

    project = copy_project(tmp_path / "project")
    stages = project / "data" / "stages.yaml"
    text = stages.read_text("utf-8")
    stage_3 = text.index("number: 3")
    stages.write_text(text[:stage_3] + text[stage_3:].replace(
        "{within: 2, unit: working days, counted_from: previous stage}",
        "{within: 5, unit: working days, counted_from: previous stage}", 1), "utf-8")
    chooser = project / "data" / "chooser.yaml"
    edit(chooser, "        next: at-risk\n", "        next: training\n")
    edit(chooser, "questions:\n", "questions:\n"
         "  - id: training\n"
         "    text: Have you had FaST training in the last three years?\n"
         "    answers:\n"
         "      - {label: \"Yes\", next: at-risk}\n"
         "      - {label: \"No\", next: at-risk}\n\n")
    built(project, tmp_path / "out")

    poster = (tmp_path / "out" / "poster" / "index.html").read_text("utf-8")
    assert "Within 5 working days of the completion of stage 2" in poster
    assert "Within 2 working days of the completion of stage 2" not in poster
    a3 = (tmp_path / "out" / "poster-a3" / "index.html").read_text("utf-8")
    assert "Within 5 working days of the completion of stage 2" in a3
    tree = (tmp_path / "out" / "admin" / "chooser-tree" / "index.html").read_text("utf-8")
    assert "Have you had FaST training in the last three years?" in tree


def test_a_procedure_page_shows_its_review_dates_and_amendments_collapsed(built_site):
    from escalation_build.sources import load_data_dir

    data, _ = load_data_dir(FIXTURE_DATA)
    record = data.page_record("fast-resolution-process.md")
    soup = BeautifulSoup((built_site / "fast-resolution-process/index.html")
                         .read_text("utf-8"), "html.parser")
    block = soup.select_one(".page-record")
    assert block.find_previous("h1")  # under the title
    assert block.select_one(".page-record__dates").get_text() == (
        f"Last reviewed: {record.reviewed.day} {record.reviewed:%B %Y}. "
        f"Next review due: {record.next_review.day} {record.next_review:%B %Y}.")
    amendments = block.select_one("details.page-record__amendments")
    assert not amendments.has_attr("open")  # collapsed until asked for
    assert amendments.summary.get_text() == "Show amendments"
    items = [" ".join(li.get_text().split()) for li in amendments.select("li")]
    assert len(items) == len(record.amendments)
    assert items[0] == (f"{record.amendments[0].date.day} {record.amendments[0].date:%B %Y}: "
                        + " ".join(record.amendments[0].change.split()))
    home = (built_site / "index.html").read_text("utf-8")
    assert "page-record" not in home  # a page without a record shows none


def test_page_addresses_are_readable_and_carry_no_chapter_number(built_site):
    addresses = [p.parent.relative_to(built_site).as_posix() for p in built_site.rglob("index.html")
                 if p.parent != built_site and "tool/pyodide" not in p.as_posix()]
    assert "fast-resolution-process" in addresses
    for address in addresses:
        assert re.fullmatch(r"[a-z]+(-[a-z0-9]+)*(/[a-z]+(-[a-z0-9]+)*)*", address), address


def test_a_page_record_for_a_missing_page_stops_the_build(tmp_path):
    project = copy_project(tmp_path / "project")
    edit(project / "data" / "pages.yaml", "  - page: contacts.md", "  - page: contact.md")
    result = build_site(project, tmp_path / "out")
    assert result.returncode != 0
    assert "pages.yaml: pages[contact.md].page: there is no page 'contact.md'" in result.stderr


NOT_CHAPTERS = {"tool", "contacts", "glossary", "poster", "poster-a3", "email-templates",
                "admin", "search", "assets"}


def pages_without_a_link_to_the_tool(site: Path) -> list[str]:
    """The home page and each chapter whose text (not its navigation, which a phone hides
    behind a menu) has no link to the decision tool."""
    missing = []
    for page in sorted(site.glob("**/index.html")):
        parts = page.relative_to(site).parts
        if parts[0] in NOT_CHAPTERS:
            continue
        soup = BeautifulSoup(page.read_text("utf-8"), "html.parser")
        text = soup.select_one("article.md-content__inner")
        if text is None or not any(urlparse(a["href"]).path.rstrip("/").endswith("tool")
                                   for a in text.select("a[href]")):
            missing.append(str(page.relative_to(site)))
    return missing


def test_the_home_page_and_every_chapter_link_to_the_tool_in_their_text(built_site):
    assert "index.html" in [str(p.relative_to(built_site)) for p in built_site.glob("*.html")]
    assert pages_without_a_link_to_the_tool(built_site) == []
