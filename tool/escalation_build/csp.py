"""The site's Content-Security-Policy and the other response headers, made in one place.

Every page carries its policy in a <meta> tag, so it holds on any host, GitHub Pages
included. A meta tag cannot reach a web worker, set frame-ancestors or set any other
header, so the same policy (with what only a header may say) also goes into a `_headers`
file, which Netlify and Cloudflare Pages read, and an nginx snippet. Both are written
from `header_rules()`, as is what `escalation serve` sends, so the three cannot disagree.
"""

from __future__ import annotations

import base64
import hashlib
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from fnmatch import fnmatchcase

# What every page needs, and why (content/admin/publishing.md says the same for admins):
PAGE_DIRECTIVES: dict[str, tuple[str, ...]] = {
    # Anything not named below: only from the site itself (fetch, fonts, workers' fetches).
    "default-src": ("'self'",),
    # The site's own files; inline scripts only by the hash of their exact text.
    "script-src": ("'self'",),
    # The site's own style sheets; no <style> elements or style="" attributes.
    "style-src": ("'self'",),
    # Material draws its icons with data: SVGs.
    "img-src": ("'self'", "data:"),
    # No plugins, ever.
    "object-src": ("'none'",),
    # A <base> tag injected into a page could otherwise redirect every relative URL.
    "base-uri": ("'self'",),
    # No form on the site sends anything anywhere: the search box is handled in the page
    # and the tool keeps everything in the tab.
    "form-action": ("'none'",),
}

# Only a header can say these, and only a header reaches the tool's worker.
HEADER_ONLY_DIRECTIVES: dict[str, tuple[str, ...]] = {
    # The Pyodide worker compiles WebAssembly; this permits that and no string eval.
    "script-src": ("'wasm-unsafe-eval'",),
    # No other site may show these pages in a frame (clickjacking).
    "frame-ancestors": ("'none'",),
}

# Pyodide's files, copied from the npm package by tool_assets.py into a folder
# named after its version: an upgrade changes their address, so a year's cache is safe.
PYODIDE_PATH = "/tool/pyodide/*"
PYODIDE_CACHE = "public, max-age=31536000, immutable"

# MIME types a host must get right: module scripts are refused under any other type, and
# WebAssembly only streams when served as application/wasm.
CONTENT_TYPES: dict[str, str] = {
    ".js": "text/javascript",
    ".mjs": "text/javascript",
    ".wasm": "application/wasm",
    ".json": "application/json",
    ".zip": "application/zip",
}

# A script element whose type is none of these is a data block (such as Material's
# JSON configuration): the browser never runs it, so CSP does not ask for its hash.
_RUNNABLE_TYPES = {"", "module", "importmap", "speculationrules", "text/javascript",
                   "application/javascript", "application/ecmascript", "text/ecmascript",
                   "application/x-javascript", "text/x-javascript", "text/jscript",
                   "text/livescript", "text/x-ecmascript", "application/x-ecmascript",
                   "text/javascript1.0", "text/javascript1.1", "text/javascript1.2",
                   "text/javascript1.3", "text/javascript1.4", "text/javascript1.5"}

# The text between <script ...> and </script>, exactly as written: what the browser
# hashes. A script inside an HTML comment would also be matched; that only adds a hash
# that is never used, where missing one would break the page.
_SCRIPT = re.compile(r"<script\b([^>]*)>(.*?)</script\s*>", re.IGNORECASE | re.DOTALL)
_SRC = re.compile(r"""(?:^|\s)src\s*=""", re.IGNORECASE)
_TYPE = re.compile(r"""(?:^|\s)type\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'>]+))""", re.IGNORECASE)
_CHARSET = re.compile(r"<meta\s+charset\s*=\s*[\"']?[\w-]+[\"']?\s*/?>", re.IGNORECASE)

Directives = Mapping[str, Sequence[str]]


@dataclass(frozen=True)
class HeaderRule:
    """Headers for every path matching `pattern` (Netlify's form: `/*`, `/folder/*`)."""

    pattern: str
    headers: tuple[tuple[str, str], ...]


def inline_scripts(html: str) -> list[str]:
    """The text of every inline script the browser would run, in page order."""
    found = []
    for match in _SCRIPT.finditer(html):
        attributes, text = match.groups()
        if _SRC.search(attributes):
            continue
        kind = _TYPE.search(attributes)
        mime = next((g for g in kind.groups() if g is not None), "") if kind else ""
        if mime.strip().lower() in _RUNNABLE_TYPES:
            found.append(text)
    return found


def script_hash(text: str) -> str:
    """The CSP source that allows exactly this inline script."""
    # The HTML parser turns CR LF and lone CR into LF before the script sees its text.
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    digest = hashlib.sha256(text.encode("utf-8")).digest()
    return f"'sha256-{base64.b64encode(digest).decode('ascii')}'"


def page_hashes(html: str) -> list[str]:
    """The hashes a page's inline scripts need, each once, in page order."""
    return list(dict.fromkeys(script_hash(text) for text in inline_scripts(html)))


def _merge(*parts: Directives) -> dict[str, list[str]]:
    merged: dict[str, list[str]] = {}
    for part in parts:
        for name, sources in part.items():
            merged.setdefault(name, [])
            merged[name] += [s for s in sources if s not in merged[name]]
    return merged


def policy_text(directives: Directives) -> str:
    return "; ".join(" ".join([name, *sources]) for name, sources in directives.items())


def page_policy(hashes: Iterable[str]) -> str:
    """The policy for one page's <meta> tag: only that page's inline scripts."""
    return policy_text(_merge(PAGE_DIRECTIVES, {"script-src": sorted(set(hashes))}))


def header_policy(hashes: Iterable[str]) -> str:
    """The policy sent as a header on every file: every page's inline scripts, WebAssembly
    for the worker, and no framing."""
    return policy_text(_merge(PAGE_DIRECTIVES, HEADER_ONLY_DIRECTIVES,
                              {"script-src": sorted(set(hashes))}))


def add_meta(html: str, policy: str) -> str:
    """The page with its policy as the first thing after <meta charset>, so that it holds
    before any script in the page is read."""
    if '"' in policy:
        raise ValueError("a policy with a double quote cannot go in the attribute")
    tag = f'<meta http-equiv="Content-Security-Policy" content="{policy}">'
    charset = _CHARSET.search(html)
    first_script = html.lower().find("<script")
    if charset is None or -1 < first_script < charset.start():
        raise ValueError("the page has no <meta charset> before its first script")
    return html[:charset.end()] + "\n      " + tag + html[charset.end():]


def header_rules(hashes: Iterable[str]) -> list[HeaderRule]:
    """Every header the site needs from a host that can send them."""
    return [
        HeaderRule("/*", (
            ("Content-Security-Policy", header_policy(hashes)),
            ("X-Content-Type-Options", "nosniff"),
            ("Referrer-Policy", "no-referrer"),
        )),
        HeaderRule(PYODIDE_PATH, (("Cache-Control", PYODIDE_CACHE),)),
    ]


def matches(pattern: str, path: str) -> bool:
    """Whether a `_headers` pattern covers a URL path (`*` stands for anything)."""
    return fnmatchcase(path, pattern.replace("[", "[[]"))


def headers_for(path: str, rules: Sequence[HeaderRule]) -> list[tuple[str, str]]:
    """The headers for one URL path: those of every rule that matches, as hosts do."""
    return [header for rule in rules if matches(rule.pattern, path) for header in rule.headers]


GENERATED = ("Written by the escalation MkDocs plugin from tool/escalation_build/csp.py at "
             "each build: do not edit.")


def headers_file(rules: Sequence[HeaderRule]) -> str:
    """The rules as a `_headers` file, for Netlify and Cloudflare Pages."""
    blocks = [f"# {GENERATED}\n# Netlify and Cloudflare Pages compress what they send by "
              "themselves; the .br and\n# .gz copies beside the files are for hosts that send "
              "them (nginx, escalation serve)."]
    for rule in rules:
        blocks.append("\n".join([rule.pattern, *(f"  {n}: {v}" for n, v in rule.headers)]))
    return "\n\n".join(blocks) + "\n"


def read_headers_file(text: str) -> list[HeaderRule]:
    """A `_headers` file read back: what `escalation serve` sends."""
    rules: list[HeaderRule] = []
    pattern: str | None = None
    headers: list[tuple[str, str]] = []
    for line in text.splitlines():
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        if not line[0].isspace():
            if pattern is not None:
                rules.append(HeaderRule(pattern, tuple(headers)))
            pattern, headers = line.strip(), []
        elif pattern is not None and ":" in line:
            name, _, value = line.strip().partition(":")
            headers.append((name.strip(), value.strip()))
        else:
            raise ValueError(f"not a _headers line: {line!r}")
    if pattern is not None:
        rules.append(HeaderRule(pattern, tuple(headers)))
    return rules


def _nginx_types(pattern: str) -> str:
    # nginx's own mime.types knows neither .mjs nor .wasm in older releases; Pyodide's
    # folder holds only these kinds of file, so a full list for it is short.
    if pattern != PYODIDE_PATH:
        return ""
    by_type: dict[str, list[str]] = {}
    for suffix, mime in CONTENT_TYPES.items():
        by_type.setdefault(mime, []).append(suffix.lstrip("."))
    lines = "".join(f"        {m} {' '.join(s)};\n" for m, s in by_type.items())
    return f"    types {{\n{lines}    }}\n    default_type application/octet-stream;\n"


def nginx_conf(rules: Sequence[HeaderRule], base: str = "/") -> str:
    """The rules as nginx `location` blocks, for the `server` block that serves the site
    at `base`. nginx drops a parent's add_header in any location that has its own, so each
    block repeats every header that applies to it."""
    out = [f"# {GENERATED}\n"
           f"# Include inside the server {{ }} block that serves this site at {base}\n"
           "# (see the site's page For admins > Publishing the site).\n"
           "# To send the .br and .gz copies the build writes beside the files, add to that\n"
           "# server block: gzip_static on; and, with the ngx_brotli module, brotli_static on;"]
    for rule in rules:
        if not rule.pattern.endswith("/*"):
            raise ValueError(f"nginx needs a folder pattern ending in /*, not {rule.pattern}")
        folder = rule.pattern[:-1]
        location = base.rstrip("/") + folder
        lines = [f"location {location} {{"]
        for name, value in headers_for(folder, rules):
            lines.append(f'    add_header {name} "{value}" always;')
        out.append("\n".join(lines) + "\n" + _nginx_types(rule.pattern) + "}")
    return "\n\n".join(out) + "\n"
