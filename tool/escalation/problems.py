"""Problems found in a partnership's data, written for the admin who must fix them.

Every problem names the file, the line and the field, so that an admin editing
YAML on GitHub can go straight to it. The build and `escalation check` print all
problems at once rather than stopping at the first.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

Severity = Literal["error", "warning"]


@dataclass(frozen=True)
class Problem:
    file: str
    line: int | None
    field: str
    message: str
    severity: Severity = "error"

    def __str__(self) -> str:
        where = self.file if self.line is None else f"{self.file}, line {self.line}"
        label = "warning" if self.severity == "warning" else "error"
        return shown(f"{where}: {label}: {self.field}: {self.message}")


# Line breaks, terminal escape codes and text-direction marks copied from the data into a
# message could rewrite what the admin's terminal or CI log shows: they are written as
# escapes instead, so a message is always one honest line.
_UNPRINTABLE = re.compile(r"[\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e"
                          r"\u2066-\u2069\ufeff]")


def shown(text: str) -> str:
    """Text safe to print on one line of a terminal or a log."""
    return _UNPRINTABLE.sub(lambda m: f"\\u{ord(m.group()):04x}", text)


class DataError(Exception):
    """The data cannot be used: one or more errors (warnings ride along)."""

    def __init__(self, problems: list[Problem]):
        self.problems = problems
        errors = [p for p in problems if p.severity == "error"]
        count = f"{len(errors)} problem{'s' if len(errors) != 1 else ''}"
        super().__init__(
            f"The partnership data has {count}:\n" + "\n".join(f"  {p}" for p in problems)
        )

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "error"]
