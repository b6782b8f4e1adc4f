"""The agency's own log of an escalation, as CSV for a spreadsheet. Its columns are those
FaST asks every agency to keep (procedure 7.2, section 7.8); they fit any procedure with
stages."""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

# --- the agency's log -------------------------------------------------------------------


@dataclass(frozen=True)
class StageRecord:
    """What happened at one stage: a row of the agency's log and of the stage table on a
    form such as Surrey's Appendix 1."""

    stage: int
    date_contacted: date | None = None
    who: str = ""       # who the concern was raised with
    how: str = ""       # how they were contacted (email, phone, meeting)
    outcome: str = ""   # outcome, or the reason for moving to the next stage


# FaST 7.8: "a record for each stage of the process; start date, who the concern was
# raised with, and the outcome or resolution agreed".
LOG_HEADER = ("Stage", "Start date", "Raised with", "How", "Outcome or resolution agreed")

# OWASP, CSV injection: a spreadsheet reads a cell starting with these as a formula.
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _cell(text: str) -> str:
    """Typed text as a spreadsheet cell that can only ever be text."""
    return "'" + text if text.startswith(_FORMULA_START) else text


def _iso(day: date | None) -> str:
    return day.isoformat() if day else ""


def agency_log_csv(records: Sequence[StageRecord], start: date | None = None,
                   steps: Sequence[tuple[int, str, date]] | None = None,
                   stage_word: str = "stage") -> str:
    """The agency's log as CSV (CRLF rows), one row per record in stage order.

    start is the day the process began, which is when stage 1 starts (FaST 7.2,
    table 1): it fills stage 1's start date when that record has none, and gives stage 1
    a row of its own when there is no record for it yet. Records for the same stage (a
    restart after drift) keep the order they were given in.

    steps, for a procedure whose stages hold steps, are those done (stage number, the
    step as named, the day), listed in a last column of their stage's row.

    stage_word is the procedure's word for its stages (`Procedure.stage_word`), which
    heads the first column and names the last ("Done within the step", never "Steps
    done", for a procedure whose stages are steps).

    Excel reads a CSV without a byte order mark as the local code page: save this text
    as UTF-8 with a BOM ("utf-8-sig") so that names with accents survive.
    """
    rows = sorted(records, key=lambda r: r.stage)
    if start and not any(r.stage == 1 for r in rows):
        rows.insert(0, StageRecord(stage=1, date_contacted=start))
    # Steps done inside a stage (stage number, the step as named, the day): in a column
    # of their own, in the stage's row, so that the log keeps one row per stage.
    done: dict[int, list[str]] = {}
    for number, title, done_on in steps or ():
        done.setdefault(number, []).append(f"{title}: {done_on.isoformat()}")
    for number in done:
        if not any(r.stage == number for r in rows):
            rows.append(StageRecord(stage=number))
    rows.sort(key=lambda r: r.stage)
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    # A procedure with steps has the column even before any is done.
    word = stage_word[:1].upper() + stage_word[1:]
    writer.writerow((word, *LOG_HEADER[1:])
                    + ((f"Done within the {stage_word}",) if steps is not None else ()))
    for r in rows:
        day = r.date_contacted or (start if r.stage == 1 else None)
        row = [str(r.stage), _iso(day), _cell(r.who), _cell(r.how), _cell(r.outcome)]
        if steps is not None:
            row.append(_cell("; ".join(done.pop(r.stage, []))))
        writer.writerow(row)
    return out.getvalue()


