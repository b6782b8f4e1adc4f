"""Text in the project's SVG drawings (the flowchart poster and the chooser's tree): the
font, an estimate of how wide a line is, and wrapping by that estimate.

The drawings use the reader's system font, whatever it is, so widths are estimated from
a sans-serif font's letter widths with room to spare (DejaVu Sans, common on Linux, is
wide); the same text always wraps the same way, so a drawing's diff stays small.
"""

from __future__ import annotations

FONT = "system-ui, -apple-system, 'Segoe UI', Roboto, 'Helvetica Neue', Arial, sans-serif"

_NARROW = set("iljtfrI.,:;'!|()[] ")
_WIDE = set("mwMWOQGDHNU@%")


def clean(text: str) -> str:
    """One line of printable text: XML 1.0 has no place for control characters."""
    return " ".join("".join(c for c in " ".join(text.split()) if c >= " ").split())


def text_width(text: str, size: float, bold: bool = False) -> float:
    """A generous estimate of the width of `text` at `size` in a sans-serif font."""
    units = sum(0.32 if c in _NARROW else 0.86 if c in _WIDE else 0.7 if c.isupper() else 0.56
                for c in text)
    return units * size * (1.2 if bold else 1.05)


def wrap(text: str, size: float, max_width: float, bold: bool = False) -> list[str]:
    """Greedy word wrap by estimated width; a word longer than a line keeps a line of its
    own. Always at least one line."""
    lines: list[str] = []
    for word in clean(text).split(" "):
        if lines and text_width(f"{lines[-1]} {word}", size, bold) <= max_width:
            lines[-1] = f"{lines[-1]} {word}"
        else:
            lines.append(word)
    return lines or [""]
