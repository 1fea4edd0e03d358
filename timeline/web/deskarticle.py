"""An article as the desk reviews it: HTML read into plain text (the extractor reads
text), and the text cut into pieces with the date expressions of candidates marked, for
the template to escape and draw."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from html.parser import HTMLParser

from timeline.extract.model import Candidate

#: Elements whose content is no text of the article.
_SKIPPED = frozenset({"script", "style", "noscript", "template", "head", "svg", "iframe"})
#: Elements that end a line (a paragraph, a heading, a list item, a break).
_BLOCKS = frozenset(
    {"p", "div", "br", "li", "h1", "h2", "h3", "h4", "h5", "h6", "tr", "section", "article",
     "header", "footer", "blockquote", "pre", "figcaption", "dd", "dt", "title"}
)  # fmt: skip
_LOOKS_HTML = re.compile(r"<(?:!doctype|html|body|p|div|article|h[1-6]|br)\b", re.IGNORECASE)


class _Text(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.skipping = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _SKIPPED:
            self.skipping += 1
        elif tag in _BLOCKS:
            self.parts.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in _SKIPPED:
            self.skipping = max(0, self.skipping - 1)
        elif tag in _BLOCKS:
            self.parts.append("\n")

    def handle_data(self, data: str) -> None:
        if not self.skipping:
            self.parts.append(data)


def looks_like_html(text: str) -> bool:
    """Whether ``text`` is an HTML document or fragment (a doctype, ``<html>``,
    ``<p>``, ``<div>``, ``<br>``... near its start)."""
    return bool(_LOOKS_HTML.search(text[:2000]))


def html_text(html: str) -> str:
    """Return the text of the HTML ``html``: paragraphs, headings and list items one a
    line, character references decoded, scripts, styles and the head left out, runs of
    spaces (no-break ones too) within a line and of blank lines folded."""
    parser = _Text()
    parser.feed(html)
    parser.close()
    lines = (
        re.sub(r"[ \t\r\f\v\xa0]+", " ", line).strip() for line in "".join(parser.parts).split("\n")
    )
    return "\n".join(line for line in lines if line)


@dataclass(frozen=True)
class Piece:
    """A piece of the article: ``text``, and the candidate (its index) whose date
    expression it is, or None for plain text; ``first`` marks the candidate's own date
    expression (the one the review's link points to)."""

    text: str
    candidate: int | None = None
    first: bool = False


def pieces(text: str, candidates: Sequence[Candidate]) -> list[Piece]:
    """Cut ``text`` into pieces, each date expression of ``candidates`` (``when`` and its
    other ``mentions``, offsets into ``text``) a piece of its own; where two overlap, the
    earlier one wins."""
    spans: list[tuple[int, int, int, bool]] = []
    for index, candidate in enumerate(candidates):
        spans.append((candidate.when_start, candidate.when_end, index, True))
        for start, end in candidate.mentions:
            if (start, end) != (candidate.when_start, candidate.when_end):
                spans.append((start, end, index, False))
    spans.sort()
    result: list[Piece] = []
    at = 0
    for start, end, index, first in spans:
        if start < at or not 0 <= start < end <= len(text):
            continue
        if start > at:
            result.append(Piece(text[at:start]))
        result.append(Piece(text[start:end], index, first))
        at = end
    if at < len(text):
        result.append(Piece(text[at:]))
    return result
