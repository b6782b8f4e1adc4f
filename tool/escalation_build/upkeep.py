"""`escalation upkeep`: what the packs need from an admin, as the Markdown body of the one
issue the weekly upkeep workflow keeps open (.github/workflows/upkeep.yml):

- contacts whose `verified` date is over a year old (the check's own rule, which warns
  about them without failing);
- packs whose published site runs out of bank holidays soon. The build lists them from the
  year before it to `holiday_years_after` years ahead (partnership.yaml), so the window is
  fixed when the site is built: from 1 January of its last year the decision tool tells
  practitioners the site needs rebuilding. The issue asks for a rebuild before then;
- data the check refuses, which the upkeep cannot read.

Nothing due: an empty text, and the workflow closes the issue. Every piece of data text is
escaped as the check's step summary escapes it (`github.markdown_cell`)."""

from __future__ import annotations

import argparse
import glob
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

from escalation.checks import STALE_AFTER_DAYS
from escalation.problems import DataError
from escalation.wording import long_date

from .bank_holidays import holiday_window
from .github import markdown_cell, markdown_summary
from .sources import load_data_dir

TITLE = "Upkeep: contacts to verify, bank holidays to renew"

# How long before the tool starts saying so (1 January of the window's last year) the
# issue asks for a rebuild.
WINDOW_NOTICE_DAYS = 90

# GitHub refuses an issue body over 65,536 characters: a longer one is cut, and says so.
BODY_LIMIT = 65_000
CUT = ("\n**The list goes on**: run `escalation upkeep` (or `escalation check` on each pack) "
       "for the rest.\n")


@dataclass(frozen=True)
class StaleContact:
    name: str
    team: str | None
    id: str
    verified: date
    file: str
    line: int | None


@dataclass(frozen=True)
class PackUpkeep:
    data_dir: str
    name: str = ""  # the partnership's name; empty when the data cannot be read
    stale: tuple[StaleContact, ...] = ()
    holidays_until: int | None = None  # the last year the published site knows, when due
    refused: str = ""  # the check's summary, when it refuses the data

    @property
    def due(self) -> bool:
        return bool(self.stale or self.holidays_until is not None or self.refused)


def pack_upkeep(data_dir: str, today: date, published: date) -> PackUpkeep:
    """What one pack needs, judged on `today`, for a site built on `published`."""
    try:
        data, problems = load_data_dir(Path(data_dir), today=today)
    except DataError as error:
        return PackUpkeep(data_dir, refused=markdown_summary(data_dir, error.problems))
    where = {p.field: (p.file, p.line) for p in problems}
    stale = []
    for c in data.contacts.contacts:
        if (today - c.verified).days > STALE_AFTER_DAYS:
            file, line = where.get(f"contacts[{c.id}].verified",
                                   (str(Path(data_dir) / "contacts.yaml"), None))
            stale.append(StaleContact(c.name, c.team, c.id, c.verified, file, line))
    _, last_year = holiday_window(data.partnership, published)
    warned_from = date(last_year, 1, 1) - timedelta(days=WINDOW_NOTICE_DAYS)
    return PackUpkeep(data_dir, data.partnership.name, tuple(stale),
                      last_year if today >= warned_from else None)


def _pack_title(pack: PackUpkeep) -> str:
    return f"{markdown_cell(pack.name)} ({markdown_cell(pack.data_dir)})"


def upkeep_markdown(data_dirs: Sequence[str], today: date, published: date | None = None) -> str:
    """The issue's body for these packs ("" when nothing is due). `published`: the day the
    published site was built (default: today)."""
    packs = [pack_upkeep(d, today, published or today) for d in data_dirs]
    if not any(pack.due for pack in packs):
        return ""
    lines = [f"What the partnership packs need, as found on {long_date(today)} by "
             "`escalation upkeep` (the weekly Upkeep workflow updates this issue, and closes "
             "it once nothing is left).", ""]
    stale = [pack for pack in packs if pack.stale]
    if stale:
        lines += ["## Contacts not verified for over a year", "",
                  "Check each one with the agency, correct what has changed and set "
                  "`verified:` to the day you checked (see *Updating a contact*).", ""]
        for pack in stale:
            lines += [f"### {_pack_title(pack)}", "",
                      "| Contact | Team | Id | Last verified | File | Line |",
                      "|---|---|---|---|---|---|"]
            lines += [f"| {markdown_cell(c.name)} | {markdown_cell(c.team or '')} | "
                      f"{markdown_cell(c.id)} | {c.verified.isoformat()} "
                      f"({(today - c.verified).days} days ago) | {markdown_cell(c.file)} | "
                      f"{'' if c.line is None else c.line} |" for c in pack.stale]
            lines.append("")
    running_out = [pack for pack in packs if pack.holidays_until is not None]
    if running_out:
        lines += ["## Bank holidays running out", "",
                  "The published site knows bank holidays only until the end of the year "
                  "below; from 1 January of that year its decision tool tells practitioners "
                  "the site needs rebuilding. Publish it again (Actions, Publish, Run "
                  "workflow): a new build lists them for as many years ahead as "
                  "`holiday_years_after` in the pack's `partnership.yaml` says.", "",
                  "| Pack | Bank holidays known until |", "|---|---|"]
        lines += [f"| {_pack_title(pack)} | 31 December {pack.holidays_until} |"
                  for pack in running_out]
        lines.append("")
    refused = [pack for pack in packs if pack.refused]
    if refused:
        lines += ["## Data the check refuses", "",
                  "Until these are fixed, the upkeep cannot read these packs (and the site "
                  "cannot be built from them).", ""]
        lines += [pack.refused for pack in refused]
    body = "\n".join(lines).rstrip("\n") + "\n"
    if len(body) > BODY_LIMIT:
        body = body[:body.rindex("\n", 0, BODY_LIMIT - len(CUT)) + 1] + CUT
    return body


def every_pack() -> list[str]:
    """data and every partnerships/*/data under the current folder."""
    return ["data", *sorted(glob.glob("partnerships/*/data"))]


def add_upkeep_command(commands: argparse._SubParsersAction,
                       iso_date: Callable[[str], date]) -> None:
    upkeep = commands.add_parser(
        "upkeep", help="print, as Markdown, what the packs need: contacts to verify and bank "
                       "holidays running out (nothing when nothing is due)")
    upkeep.add_argument("data_dirs", nargs="*", metavar="DATA_DIR",
                        help="the packs' data folders (default: data and partnerships/*/data)")
    upkeep.add_argument("--today", type=iso_date, help="the day to judge by (default: today)")
    upkeep.add_argument("--published", type=iso_date,
                        help="the day the published site was built (default: today)")
    upkeep.set_defaults(run=_upkeep)


def _upkeep(args: argparse.Namespace) -> int:
    today = args.today or date.today()
    print(upkeep_markdown(args.data_dirs or every_pack(), today, args.published), end="")
    return 0
