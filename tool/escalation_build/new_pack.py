"""`escalation new <slug>`: a new partnership pack, partnerships/<slug>/, to start from.

The pack is copied from pack_template/ (shipped with the package) with the slug and the
names made from it filled in. It checks, builds and passes every pack's tests as it is,
so an admin starts from something that works and replaces its placeholders one by one
(each is marked "Replace:"). The slug is checked before anything is written, so that
nothing but lower-case words and hyphens reaches the YAML, and nothing is written when it
is refused.
"""

from __future__ import annotations

import argparse
import re
import secrets
import shutil
import sys
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from string import Template

import yaml

from escalation.model import MAX_ID_LENGTH, check_id

TEMPLATE = Path(__file__).parent / "pack_template"
PACKS_FOLDER = "partnerships"
# Stricter than an id (model.check_id allows underscores): the slug is a folder, a web
# address and the name PARTNERSHIP=<slug> is given, so it is lower-case words and digits
# joined by single hyphens.
_SLUG = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
# Names Windows gives its devices: a folder cannot be called so on an admin's laptop.
_DEVICE_NAMES = {"con", "prn", "aux", "nul", *(f"{d}{n}" for d in ("com", "lpt")
                                                for n in range(1, 10))}


class Refused(Exception):
    """Why a pack cannot be made; `code` is the exit status (2: the slug is wrong; 1: the
    repository cannot take it)."""

    def __init__(self, reason: str, code: int):
        super().__init__(f"Cannot make the pack: {reason}. Nothing was written.")
        self.code = code


def slug_problem(slug: str) -> str | None:
    """Why `slug` cannot name a pack, in a sentence, or None when it can."""
    if not slug:
        return "the slug is empty: give the pack's folder name, such as 'north-yorkshire'"
    if len(slug) > MAX_ID_LENGTH:
        return (f"a slug of {len(slug)} characters is too long: use {MAX_ID_LENGTH} or "
                "fewer")
    if not _SLUG.fullmatch(slug):
        return (f"{slug!r} is not a usable slug: use lower-case letters and digits, with "
                "single hyphens between words (no capitals, underscores, spaces, dots or "
                "slashes), such as 'north-yorkshire'")
    if slug in _DEVICE_NAMES:
        return f"'{slug}' is a name Windows keeps for a device: choose another slug"
    if check_id(slug):  # the slug is also the partnership's id
        return (f"'{slug}' is a word the browser reserves, and the slug is also the "
                "partnership's id: choose another slug")
    return None


@dataclass(frozen=True)
class Names:
    """What the templates are filled in with, all made from the slug."""

    slug: str
    today: date

    @property
    def area(self) -> str:
        return " ".join(word.capitalize() for word in self.slug.split("-"))

    @property
    def name(self) -> str:
        return f"{self.area} Safeguarding Children Partnership"

    @property
    def short_name(self) -> str:
        return "".join(word[0].upper() for word in self.slug.split("-")) + "SCP"

    @property
    def next_review(self) -> date:
        try:
            return self.today.replace(year=self.today.year + 1)
        except ValueError:  # 29 February
            return self.today.replace(year=self.today.year + 1, day=28)

    def values(self) -> dict[str, str]:
        return {"slug": self.slug, "area": self.area, "name": self.name,
                "short_name": self.short_name, "today": self.today.isoformat(),
                "next_review": self.next_review.isoformat()}


def _partnership_ids(root: Path) -> dict[str, Path]:
    """The partnership id each existing pack's data holds, with its file."""
    found = {}
    for file in [root / "data" / "partnership.yaml",
                 *sorted((root / PACKS_FOLDER).glob("*/data/partnership.yaml"))]:
        try:
            doc = yaml.safe_load(file.read_text(encoding="utf-8"))
        except (OSError, UnicodeError, yaml.YAMLError):
            continue  # the check reports a broken file; it is not this command's business
        if isinstance(doc, dict) and isinstance(doc.get("id"), str):
            found[doc["id"]] = file
    return found


# What every built site has at its top level, besides its pages (MkDocs' search index,
# the theme's and the plugin's files).
_SITE_FOLDERS = {"assets", "search", "tool"}


def _root_site_names(root: Path) -> set[str]:
    """The folders at the top of the default site: a pack published at /<slug>/ beside
    them (scripts/build-all) must not share a name with one."""
    content = root / "content"
    if not content.is_dir():
        return set(_SITE_FOLDERS)
    return ({p.stem for p in content.glob("*.md")} | {p.name for p in content.iterdir()
                                                      if p.is_dir()} | _SITE_FOLDERS)


def _refusal(root: Path, slug: str) -> Refused | None:
    problem = slug_problem(slug)
    if problem:
        return Refused(problem, 2)
    if not (root / "mkdocs.yml").is_file():
        return Refused(f"{root} has no mkdocs.yml: run 'escalation new' in the repository's "
                       "own folder, beside its mkdocs.yml", 1)
    folder = root / PACKS_FOLDER / slug
    if folder.exists() or folder.is_symlink():
        return Refused(f"{PACKS_FOLDER}/{slug} already exists: choose another slug, or edit "
                       "that pack", 1)
    if slug in _root_site_names(root):
        return Refused(f"'{slug}' is already a folder of the default site (its page "
                       f"/{slug}/), and publishing puts each pack at /<slug>/ beside the "
                       "default site's pages: choose another slug", 1)
    taken = _partnership_ids(root).get(slug)
    if taken:
        return Refused(f"'{slug}' is already the partnership id in "
                       f"{taken.relative_to(root).as_posix()}, and two packs would share it "
                       "(and each other's saved cases): choose another slug", 1)
    return None


def template_files() -> list[Path]:
    """The template's files, relative to it, in order."""
    return sorted(p.relative_to(TEMPLATE) for p in TEMPLATE.rglob("*") if p.is_file())


def fill(text: str, names: Names) -> str:
    """A template's text with the names filled in (${slug}, ${name}, ...; $$ is a $)."""
    return Template(text).substitute(names.values())


def new_pack(root: Path, slug: str, today: date) -> list[Path]:
    """Write partnerships/<slug>/ under root and return the files written, or raise
    Refused having written nothing."""
    refused = _refusal(root, slug)
    if refused:
        raise refused
    names = Names(slug, today)
    packs = root / PACKS_FOLDER
    packs.mkdir(exist_ok=True)
    # Written beside its place and moved there whole, so that a failure part way leaves
    # no half-made pack for the tests to find.
    work = packs / f".new-{slug}-{secrets.token_hex(4)}"
    work.mkdir()
    try:
        for relative in template_files():
            target = work / relative
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(fill((TEMPLATE / relative).read_text(encoding="utf-8"), names),
                              encoding="utf-8")
        work.rename(packs / slug)
    except BaseException:
        shutil.rmtree(work, ignore_errors=True)
        raise
    return [packs / slug / relative for relative in template_files()]


def _run(args: argparse.Namespace) -> int:
    root = Path.cwd()
    try:
        written = new_pack(root, args.slug, date.today())
    except Refused as refused:
        print(refused, file=sys.stderr)
        return refused.code
    folder = f"{PACKS_FOLDER}/{args.slug}"
    print(f"A new partnership pack in {folder}/:")
    for path in written:
        print(f"  {path.relative_to(root).as_posix()}")
    print(f"""
Every placeholder in it is marked "Replace:". Next:
  1. Put your procedure's facts in {folder}/data/ and your words in {folder}/content/
     (content/admin/adding-a-partnership.md says what each file holds).
  2. Check the data:
       .venv/bin/escalation check {folder}/data
  3. Count the deadlines by hand into {folder}/expected.yaml, then compare them with
       .venv/bin/escalation deadlines --data {folder}/data --start 2026-12-24
  4. Build the site and look at it:
       PARTNERSHIP={args.slug} bash scripts/serve""")
    return 0


def add_command(commands) -> None:
    """`escalation new SLUG`, on the command's subparsers."""
    new = commands.add_parser(
        "new", help="make a new partnership pack in partnerships/SLUG/ to start from")
    new.add_argument("slug", help="the pack's folder name: lower-case letters and digits "
                                  "joined by single hyphens, such as north-yorkshire")
    new.set_defaults(run=_run)
