"""Text as marked up for a page or for pasting: escaped, each printed figure marked with the exact value it states
(`<data value>`), and the plain-text form of a story for Markdown. The words room writes its sentences with these;
the pages room (publish/pages/html.py) builds pages around them."""

from __future__ import annotations

import html
import re

from . import numbers


def esc(value) -> str:
    return html.escape("" if value is None else str(value))


def printed(p: numbers.Printed) -> str:
    """A figure on a page: its text, and the exact value it states (`<data value>`)."""
    if p.value is None:
        return esc(p)
    return f'<data value="{esc(repr(p.value))}">{esc(p)}</data>'


def mark(text: str, figures) -> str:
    """Text escaped for a page, each of the figures in it written as a figure (`printed`)."""
    out = esc(text)
    spans: list[tuple[int, int, numbers.Printed]] = []
    for p in sorted({str(f): f for f in figures if f.value is not None}.values(), key=len, reverse=True):
        needle = esc(p)
        start = 0
        while (i := out.find(needle, start)) >= 0:
            end = i + len(needle)
            before, after = out[i - 1 : i], out[end : end + 1]
            inside_number = before.isdigit() or (before != "" and before in ".,") or after.isdigit()
            inside_number |= after != "" and after in ".," and out[end + 1 : end + 2].isdigit()
            if not inside_number and not any(a < end and i < b for a, b, _ in spans):
                spans.append((i, end, p))
            start = end
    for a, b, p in sorted(spans, reverse=True):
        out = out[:a] + printed(p) + out[b:]
    return out


def spans(text: str, figures: list[tuple[tuple[int, int], numbers.Printed]]) -> str:
    """Text escaped for a page, each figure written as a figure (`printed`) at the place the sentence prints it
    (its span, recorded when the sentence was written: no search for its text)."""
    out, pos = [], 0
    for (a, b), p in sorted(figures, key=lambda f: f[0]):
        out += [esc(text[pos:a]), printed(numbers.Printed(text[a:b], p.value, p.key))]
        pos = b
    return "".join(out) + esc(text[pos:])


_MD_LINK = re.compile(r"!?\[([^\]]*)\]\s*(?:\([^)]*\)|\[[^\]]*\])")
_MD_SPECIAL = re.compile(r"[\\`*_\[\]<>|#~]")


def plain_markdown(text: str) -> str:
    """Text that stays plain text when pasted into Markdown: on one line; HTML tags and comments removed; a link or
    an image keeps its words only; every character Markdown or HTML could read as syntax (* _ [ ] < > ` | # ~ and
    the backslash) escaped with a backslash, so that nothing in it becomes a link, an image, markup or a heading."""
    text = " ".join(str(text).split())
    text = re.sub(r"<!--.*?(?:-->|$)", "", text)
    text = re.sub(r"</?[A-Za-z][^>]*>?", "", text)
    previous = None
    while previous != text:
        previous, text = text, _MD_LINK.sub(r"\1", text)
    text = _MD_SPECIAL.sub(lambda m: "\\" + m.group(0), text)
    return re.sub(r"(?i)\b(javascript|vbscript|data)\s*:(?!\s)", r"\1: ", text)
