"""`escalation check --format github`: problems as GitHub workflow commands, which GitHub
shows as annotations on the file and line, and as a Markdown list for the step summary
(GitHub shows only the first ten annotations of a step; the summary lists every one)."""

from __future__ import annotations

import re

from escalation.problems import Problem, shown


def _data(text: str) -> str:
    """Text that cannot end a workflow command: one honest line (`shown` writes line
    breaks and control characters as escapes), and '%' escaped, as GitHub decodes it."""
    return shown(text).replace("%", "%25")


def _property(text: str) -> str:
    return _data(text).replace(":", "%3A").replace(",", "%2C")


def github_command(problem: Problem) -> str:
    """One `::error` or `::warning` line; nothing from the data can end it early."""
    properties = [f"file={_property(problem.file)}"]
    if problem.line is not None:
        properties.append(f"line={problem.line}")
    properties.append(f"title={_property(problem.field)}")
    return f"::{problem.severity} {','.join(properties)}::{_data(problem.message)}"


def github_commands(problems: list[Problem]) -> str:
    return "".join(github_command(p) + "\n" for p in problems)


# What Markdown or HTML would read as markup, written as numeric character references in
# one pass (so no reference is itself escaped again).
_MARKUP = re.compile(r"[\\`*_\[\]()#+\-!|~{}<>&\"'@]")  # '@': no mention of a person


def markdown_cell(text: str) -> str:
    """Data text shown as written in a Markdown table: no markup, no HTML, one line."""
    return _MARKUP.sub(lambda m: f"&#{ord(m.group())};", shown(text))


def markdown_summary(data_dir: str, problems: list[Problem]) -> str:
    errors = sum(1 for p in problems if p.severity == "error")
    warnings = len(problems) - errors
    lines = [f"### escalation check: {markdown_cell(data_dir)}", "",
             f"{errors} error{'s' if errors != 1 else ''}, "
             f"{warnings} warning{'s' if warnings != 1 else ''}.", ""]
    if problems:
        lines += ["| | File | Line | Field | Message |", "|---|---|---|---|---|"]
        lines += [f"| {p.severity} | {markdown_cell(p.file)} | {'' if p.line is None else p.line} | "
                  f"{markdown_cell(p.field)} | {markdown_cell(p.message)} |" for p in problems]
        lines.append("")
    return "\n".join(lines) + "\n"
