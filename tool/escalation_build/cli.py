"""The `escalation` command: check a partnership's data before a pull request."""

from __future__ import annotations

import argparse
import sys
from datetime import date
from pathlib import Path

from escalation.problems import DataError

from .sources import load_data_dir


def _check(args: argparse.Namespace) -> int:
    try:
        _, warnings = load_data_dir(Path(args.data_dir), today=date.today())
    except DataError as error:
        for problem in error.problems:
            print(problem, file=sys.stderr)
        count = len(error.errors)
        print(f"\n{args.data_dir}: {count} problem{'s' if count != 1 else ''} to fix "
              "before this data can be published.", file=sys.stderr)
        return 1
    for warning in warnings:
        print(warning, file=sys.stderr)
    note = f" ({len(warnings)} warning{'s' if len(warnings) != 1 else ''})" if warnings else ""
    print(f"{args.data_dir}: the data is ready to publish{note}.")
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="escalation",
        description="Check a safeguarding partnership's escalation data and plan deadlines.",
    )
    commands = parser.add_subparsers(dest="command", required=True)
    check = commands.add_parser(
        "check", help="check the data files and print every problem found")
    check.add_argument("data_dir", nargs="?", default="data",
                       help="folder of the partnership's YAML files (default: data)")
    check.set_defaults(run=_check)
    args = parser.parse_args(argv)
    return args.run(args)


if __name__ == "__main__":
    sys.exit(main())
