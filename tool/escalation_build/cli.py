"""The `escalation` command: check a partnership's data before a pull request, plan
deadlines, and serve a built site with the headers it is published with."""

from __future__ import annotations

import argparse
import json
import os
import sys
from datetime import date
from pathlib import Path

from escalation.problems import DataError
from escalation.timeline import Plan, has_clock, plan
from escalation.wording import long_date, reading_words, rung, step_title, untimed

from .bank_holidays import calendar_for
from .github import github_commands, markdown_summary
from .serve import base_url, site_server
from .sources import load_data_dir


def _check(args: argparse.Namespace) -> int:
    """Every message on standard output, in order, so the summary line comes last."""
    try:
        _, problems = load_data_dir(Path(args.data_dir), today=date.today())
        errors = []
    except DataError as error:
        problems, errors = error.problems, error.errors
    if args.format == "github":
        print(github_commands(problems), end="")
        summary_file = os.environ.get("GITHUB_STEP_SUMMARY")
        if summary_file:
            with open(summary_file, "a", encoding="utf-8") as summary:
                summary.write(markdown_summary(args.data_dir, problems))
    else:
        for problem in problems:
            print(problem)
    if errors:
        count = len(errors)
        print(f"\n{args.data_dir}: {count} problem{'s' if count != 1 else ''} to fix "
              "before this data can be published.")
        return 1
    note = f" ({len(problems)} warning{'s' if len(problems) != 1 else ''})" if problems else ""
    print(f"{args.data_dir}: the data is ready to publish{note}.")
    return 0


def _iso_date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{text}' is not a date written YYYY-MM-DD") from None


def _completion(text: str) -> tuple[int, date]:
    number, sep, day = text.partition("=")
    if not sep or not number.strip().isdigit():
        raise argparse.ArgumentTypeError(
            f"'{text}' should be STAGE=YYYY-MM-DD, such as 2=2027-01-04")
    return int(number), _iso_date(day.strip())


def _plan_json(result: Plan) -> dict:
    def deadline(d):
        return None if d is None else d.day.isoformat()

    def time_of(d):
        """The time of day a deadline in hours ends, else None."""
        return d.at.strftime("%H:%M") if d and d.at else None

    def reading(r):
        """A timescale in two units: the other unit's date (the plan keeps the earlier)."""
        return None if r is None else {
            "first": {"within": r.first[0], "unit": r.first[1]},
            "then": {"within": r.then[0], "unit": r.then[1]},
            "due": deadline(r.then_due), "due_time": time_of(r.then_due)}

    return {
        "start": result.start.isoformat(),
        "stages": [
            {"number": s.number, "name": s.name, "due": deadline(s.due),
             "due_time": time_of(s.due),
             "status": s.status,
             "completed": s.completed.isoformat() if s.completed else None,
             "late": s.late, "caveat": s.caveat, "reading": reading(s.reading),
             "steps": [{"id": t.id, "name": t.name, "when": t.when, "due": deadline(t.due),
                        "due_time": time_of(t.due),
                        "status": t.status, "done": t.done.isoformat() if t.done else None,
                        "late": t.late, "caveat": t.caveat,
                        "reading": reading(t.reading)} for t in s.steps]}
            for s in result.stages
        ],
        "latest_end": deadline(result.latest_end),
        "restart_at": result.restart_at,
        "drift": result.drift,
        "problems": [{"field": p.field, "message": p.message} for p in result.problems],
    }


def _time(text: str):
    from escalation.case import parse_time

    try:
        return parse_time(text)
    except ValueError as error:
        raise argparse.ArgumentTypeError(str(error)) from None


def _row(title: str, s, part, done_on, done_word: str) -> str:
    done = f", {done_word} {long_date(done_on)}" if done_on else ""
    if s.due is None:
        why = "waiting for a date before it" if has_clock(part) else untimed(part)
        return f"{title}: {why[0].lower()}{why[1:]} [{s.status}{done}]"
    at = f" at {s.due.at:%H:%M}" if s.due.at else ""
    other = f" ({reading_words(s.reading, s.due.day)})" if s.reading else ""
    return (f"{title}: no later than {long_date(s.due.day)}{at}{other} [{s.status}{done}]"
            + (f" ({s.caveat})" if s.caveat else "")
            + (" (the latest the whole procedure may take)" if s.capped else "")
            + (" (the shortest: give --priority)" if s.unsure else ""))


def _done(text: str):
    """STEP=DATE or STEP=DATETHH:MM, for a step done (and when, for hours)."""
    step, sep, when = text.partition("=")
    if not sep:
        raise argparse.ArgumentTypeError(f"'{text}' is not STEP=YYYY-MM-DD")
    day, _, at = when.partition("T")
    return step.strip(), (_iso_date(day.strip()), _time(at) if at else None)


def _deadlines(args: argparse.Namespace) -> int:
    try:
        data, _ = load_data_dir(Path(args.data))
    except DataError as error:
        print(error, file=sys.stderr)
        return 1
    today = args.today or date.today()
    try:
        procedure = data.procedure(args.procedure)
    except KeyError:
        print(f"There is no procedure '{args.procedure}' in {args.data}/stages.yaml.",
              file=sys.stderr)
        return 2
    calendar = calendar_for(data.partnership, today)
    result = plan(procedure, calendar, args.start, today=today,
                  completed=dict(args.completed or []), start_at=args.start_time,
                  done={step: day for step, (day, _) in (args.done or [])},
                  done_at={step: at for step, (_, at) in (args.done or []) if at},
                  priority=args.priority)
    if args.json:
        print(json.dumps(_plan_json(result), indent=2))
    else:
        print(f"{procedure.name}, started {long_date(result.start)}:")
        stages = {s.number: s for s in procedure.stages}
        for s in result.stages:
            stage = stages[s.number]
            print(_row(f"  {rung(procedure, s.number)} ({s.name})", s, stage, s.completed,
                       "completed"))
            steps = {step.id: step for step in stage.steps}
            # Each step under its stage by its own name, as a list item: never "Step:",
            # which would clash with a procedure whose stages are steps (Lincolnshire).
            for t in s.steps:
                print(_row(f"    - {step_title(steps[t.id])}", t, steps[t.id], t.done, "done"))
        if result.drift:
            print(f"Drift: {result.drift}")
    for problem in result.problems:
        print(f"{problem.field}: {problem.message}", file=sys.stderr)
    return 1 if result.problems else 0


def _draw(args: argparse.Namespace) -> int:
    from escalation_build.poster import flowchart_svg
    from escalation_build.tree import chooser_svg

    if not (args.tree or args.poster):
        print("Say what to draw: --tree FILE and/or --poster FILE.", file=sys.stderr)
        return 2
    try:
        data, _ = load_data_dir(Path(args.data_dir))
    except DataError as error:
        print(error, file=sys.stderr)
        return 1
    if args.tree:
        if data.chooser is None:
            print(f"{args.data_dir} has no chooser.yaml: there is no tree to draw.",
                  file=sys.stderr)
            return 1
        Path(args.tree).write_text(chooser_svg(data) + "\n", encoding="utf-8")
        print(f"The option chooser's tree: {args.tree}")
    if args.poster:
        try:
            svg = flowchart_svg(data, args.procedure)
        except KeyError:
            print(f"There is no procedure '{args.procedure}' in {args.data_dir}/stages.yaml.",
                  file=sys.stderr)
            return 2
        Path(args.poster).write_text(svg + "\n", encoding="utf-8")
        print(f"The flowchart poster: {args.poster}")
    return 0


def _serve(args: argparse.Namespace) -> int:
    try:
        server = site_server(Path(args.site_dir), args.port)
    except (FileNotFoundError, ValueError) as error:
        print(error, file=sys.stderr)
        return 1
    except OSError as error:
        print(f"Cannot serve on port {args.port}: {error.strerror}", file=sys.stderr)
        return 1
    print(f"Serving {args.site_dir} at {base_url(server)}/ with its _headers "
          "(Ctrl-C to stop)", flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()
    return 0


def _schemas(args: argparse.Namespace) -> int:
    from .schemas import out_of_date, write

    folder = Path(args.folder)
    if args.check:
        stale = out_of_date(folder)
        for name in stale:
            print(f"{folder / name} is not the schema the model gives: run `escalation schemas`")
        if not stale:
            print(f"{folder}: every schema is the model's.")
        return 1 if stale else 0
    changed = write(folder)
    print(f"{folder}: " + (f"wrote {', '.join(changed)}." if changed else "every schema was up to date."))
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="escalation",
        description="Check a safeguarding partnership's escalation data, plan deadlines, "
                    "draw its pictures and serve the built site.",
    )
    commands = parser.add_subparsers(dest="command", required=True)
    check = commands.add_parser(
        "check", help="check the data files and print every problem found")
    check.add_argument("data_dir", nargs="?", default="data",
                       help="folder of the partnership's YAML files (default: data)")
    check.add_argument("--format", choices=("text", "github"), default="text",
                       help="github: workflow commands GitHub shows as annotations, and every "
                            "problem in the step summary when GITHUB_STEP_SUMMARY is set")
    check.set_defaults(run=_check)
    deadlines = commands.add_parser(
        "deadlines", help="every stage's deadline for a case, skipping weekends and bank holidays")
    deadlines.add_argument("--start", type=_iso_date, required=True,
                           help="the day the process started (YYYY-MM-DD); not itself counted")
    deadlines.add_argument("--start-time", type=_time, metavar="HH:MM",
                           help="the time of day it started: timescales in hours count from it "
                                "(default: the start of the day)")
    deadlines.add_argument("--completed", type=_completion, action="append", metavar="N=DATE",
                           help="stage N was completed on DATE; repeat for each stage")
    deadlines.add_argument("--done", type=_done, action="append", metavar="STEP=DATE[THH:MM]",
                           help="the step with this id was done on DATE (at HH:MM, for a "
                                "timescale in hours counted from it); repeat for each step")
    deadlines.add_argument("--priority", metavar="ID",
                           help="the priority id, for timescales that depend on it (without "
                                "it, the shortest)")
    deadlines.add_argument("--today", type=_iso_date,
                           help="the day to judge overdue stages by (default: today)")
    deadlines.add_argument("--data", default="data", help="data folder (default: data)")
    deadlines.add_argument("--procedure", help="procedure id (default: the main one)")
    deadlines.add_argument("--json", action="store_true", help="print JSON")
    deadlines.set_defaults(run=_deadlines)
    draw = commands.add_parser(
        "draw", help="draw the chooser's decision tree or a procedure's flowchart as SVG")
    draw.add_argument("data_dir", nargs="?", default="data",
                      help="folder of the partnership's YAML files (default: data)")
    draw.add_argument("--tree", metavar="FILE", help="write the decision tree here")
    draw.add_argument("--poster", metavar="FILE", help="write the flowchart poster here")
    draw.add_argument("--procedure", help="procedure id for the poster (default: the main one)")
    draw.set_defaults(run=_draw)
    serve = commands.add_parser(
        "serve", help="serve a built site on 127.0.0.1 with the headers in its _headers file")
    serve.add_argument("site_dir", nargs="?", default="site",
                       help="the built site (default: site)")
    serve.add_argument("--port", type=int, default=8000, help="port (default: 8000)")
    serve.set_defaults(run=_serve)
    schemas = commands.add_parser(
        "schemas", help="write the data files' JSON Schemas, which editors check them by, "
                        "from the model")
    schemas.add_argument("folder", nargs="?", default="schemas",
                         help="where the schemas go (default: schemas)")
    schemas.add_argument("--check", action="store_true",
                         help="write nothing; fail if a schema is not the model's")
    schemas.set_defaults(run=_schemas)
    from .upkeep import add_upkeep_command  # the weekly upkeep issue's body (upkeep.py)
    add_upkeep_command(commands, _iso_date)
    from .new_pack import add_command as add_new
    add_new(commands)  # escalation new SLUG
    args = parser.parse_args(argv)
    return args.run(args)


if __name__ == "__main__":
    sys.exit(main())
