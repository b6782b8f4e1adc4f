"""Which scripts a built page may carry: those the theme and this project write, no other.

The Content-Security-Policy allows a page's inline scripts by their hash. Hashing
whatever the final HTML holds would also allow a script that arrived through the data,
so each inline script must first be one that a template of the theme (or of this
project's overrides) writes, where only the template's `{{ ... }}` values may differ,
and only by text that cannot leave the JavaScript string they stand in. Event-handler
attributes and `javascript:` addresses are never allowed. A page that breaks the rule
stops the build, named, rather than being published with the script allowed.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import lru_cache
from html.parser import HTMLParser
from pathlib import Path

from escalation_build.csp import inline_scripts

_TEMPLATE_SCRIPT = re.compile(r"<script>(.*?)</script>", re.DOTALL)
_JINJA_VALUE = re.compile(r"\{\{.*?\}\}", re.DOTALL)
# What a template value (a base URL, a page's location) may be once rendered: no quote,
# backslash or angle bracket, so it stays inside its JavaScript string.
_RENDERED_VALUE = r"[^\"'\\<>\n]*"
_URL_ATTRIBUTES = {"href", "src", "action", "formaction", "xlink:href", "poster", "data"}
_SCRIPT_SCHEMES = re.compile(r"^\s*(javascript|vbscript|data\s*:\s*text/html)", re.IGNORECASE)


@lru_cache(maxsize=8)
def _known(theme_dirs: tuple[str, ...]) -> tuple[re.Pattern[str], ...]:
    patterns = []
    for folder in theme_dirs:
        for template in sorted(Path(folder).rglob("*.html")):
            for body in _TEMPLATE_SCRIPT.findall(template.read_text(encoding="utf-8")):
                if "{%" in body or "{#" in body:
                    continue  # a script whose text is built by template logic is not known
                parts = _JINJA_VALUE.split(body)
                patterns.append(re.compile(_RENDERED_VALUE.join(re.escape(p) for p in parts)))
    return tuple(patterns)


def known_scripts(theme_dirs: Iterable[str]) -> tuple[re.Pattern[str], ...]:
    """Every inline script the theme's templates (and overrides) can write."""
    return _known(tuple(str(d) for d in theme_dirs))


class _Markup(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.problems: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for name, value in attrs:
            if name.startswith("on"):
                self.problems.append(f"<{tag}> has an event-handler attribute '{name}'")
            elif name in _URL_ATTRIBUTES and value and _SCRIPT_SCHEMES.match(
                    re.sub(r"[\x00-\x20]", "", value)):  # browsers skip these in a scheme
                self.problems.append(f"<{tag}> has a script address in '{name}'")

    handle_startendtag = handle_starttag


def unknown_markup(html: str, known: Iterable[re.Pattern[str]]) -> list[str]:
    """What in a page would run a script that neither the theme nor this project wrote."""
    known = tuple(known)
    problems = []
    for script in inline_scripts(html):
        if not any(pattern.fullmatch(script) for pattern in known):
            start = " ".join(script.split())[:80]
            problems.append(f"an inline script that neither the theme nor this project "
                            f"writes: <script>{start}")
    parser = _Markup()
    parser.feed(html)
    parser.close()
    return problems + parser.problems
