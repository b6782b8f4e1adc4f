"""Typed text made safe for the formats it goes into.

What a practitioner types is text and stays text: it can never end a header line, break
a file with a stray character, or become markup.
"""

from __future__ import annotations

import html
import re

# C0 and C1 controls (CR, LF, tab, NUL...) and Unicode's line and paragraph separators:
# any of them could end a header line in some reader.
_LINE_BREAKERS = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]+")


def single_line(text: str) -> str:
    """Text that cannot end a header line: a run of control characters becomes one space.

    Used for every value that goes into an email header, so that nothing typed (or a
    slip in the data) can start a header of its own, such as a hidden Bcc.
    """
    return _LINE_BREAKERS.sub(" ", text).strip()


def encodable(text: str) -> str:
    """Text that encodes as UTF-8: a lone surrogate (possible in a string from the
    browser) becomes '?' instead of failing the whole document."""
    return text.encode("utf-8", "replace").decode("utf-8")


_TO_FILL = re.compile(r"\[To fill(?::[^\]\n]*)?\]")


def html_lines(text: str) -> str:
    """Escaped text with line breaks kept, and gaps still to fill marked for the eye."""
    escaped = "<br>\n".join(html.escape(line) for line in text.splitlines())
    return _TO_FILL.sub(lambda m: f'<mark class="to-fill">{m.group(0)}</mark>', escaped)


def html_paragraphs(text: str) -> str:
    paragraphs = re.split(r"\n\s*\n", text.replace("\r\n", "\n").replace("\r", "\n").strip())
    return "\n".join(f"<p>{html_lines(p)}</p>" for p in paragraphs if p.strip())
