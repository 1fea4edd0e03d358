"""Plain-text articles as the extractor reads them: layout undone (hard-wrapped lines
joined, stray spaces between Chinese characters removed, paragraphs split by page breaks
rejoined), with every character mapped back to its offset in the original text, then cut
into sentences."""

from __future__ import annotations

import re
from dataclasses import dataclass

_BLOCK_BREAK = re.compile(r"\n[ \t\u3000]*\n\s*")
_SPACE = re.compile(r"[ \t\u3000\r\n]+")
# Characters after which a Chinese paragraph really ends (a page break elsewhere is layout).
_FINAL = "。！？!?；;…）)”」』"
#: A block this short without final punctuation is a heading, never joined to the next.
HEADING_MAX = 20
_ZH_SENTENCE = re.compile(r"[^。！？!?；;\n]*(?:[。！？!?；;]+[”’」』）)]*|\n+|$)")
_EN_ABBREVIATIONS = re.compile(
    r"(?:\b(?:Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec|Mr|Mrs|Ms|Dr|St|Gen|Gov|Sen|"
    r"Rep|Inc|Corp|Ltd|Co|No|vs|etc|U\.S|U\.K|E\.U)|\b[A-Z])\.$"
)
_EN_BOUNDARY = re.compile(r"[.!?][\"”’')\]]*\s+(?=[\"“‘(\[]?[A-Z0-9])|\n\s*\n")


def is_cjk(char: str) -> bool:
    """Whether ``char`` is a Han character, CJK punctuation, a full-width form, or a curly
    quote or dash as Chinese text uses them (spaces beside one are layout)."""
    code = ord(char)
    return (
        0x4E00 <= code <= 0x9FFF
        or 0x3400 <= code <= 0x4DBF
        or 0x3000 <= code <= 0x303F
        or 0xFF00 <= code <= 0xFFEF
        or 0x2014 <= code <= 0x201D
        or char in "·…"
    )


@dataclass(frozen=True)
class Text:
    """An article with its layout undone.

    ``clean`` is the text read; ``offsets[i]`` is the index in ``original`` of
    ``clean[i]`` (a space or break that stands for removed layout maps to the first
    character it replaces); ``offsets`` has one more entry, ``len(original)``.
    ``paragraphs`` are the non-empty blocks of ``original`` separated by blank lines, as
    (start, end) indices into ``original``, in order (paragraph 1 first).
    """

    original: str
    clean: str
    offsets: tuple[int, ...]
    paragraphs: tuple[tuple[int, int], ...]

    def span(self, start: int, end: int) -> tuple[int, int]:
        """Return the (start, end) indices into ``original`` of ``clean[start:end]``
        (end exclusive; ``start < end``)."""
        return self.offsets[start], self.offsets[end - 1] + 1

    def paragraph(self, index: int) -> int:
        """Return the paragraph number (from 1) holding ``original[index]``; 0 if none."""
        for number, (start, end) in enumerate(self.paragraphs, start=1):
            if start <= index < end:
                return number
        return 0

    def locator(self, start: int, end: int) -> str:
        """Return ``paragraph N`` or ``paragraphs N-M`` for ``original[start:end]``."""
        first, last = self.paragraph(start), self.paragraph(max(start, end - 1))
        return f"paragraph {first}" if first == last else f"paragraphs {first}-{last}"


def undo_layout(original: str, *, chinese: bool) -> Text:
    """Return ``original`` read as :class:`Text`.

    Within a paragraph a run of spaces and line breaks is removed when a character beside
    it is Chinese (``1月 31日`` reads ``1月31日``, ``美 国`` reads ``美国``) and is one space
    otherwise (``Le\\nChat`` reads ``Le Chat``). With ``chinese``, a paragraph that does not
    end with final punctuation and is longer than HEADING_MAX characters continues in the
    next one (a page break); other paragraphs are kept apart by a blank line.
    """
    blocks = [
        (m.start(), m.end())
        for m in re.finditer(r"\S(?:.*?\S)?(?=\n[ \t\u3000]*\n|\s*$)", original, re.DOTALL)
    ]
    chars: list[str] = []
    offsets: list[int] = []
    for number, (start, end) in enumerate(blocks):
        if number:
            previous = original[blocks[number - 1][0] : blocks[number - 1][1]]
            joined = (
                chinese
                and len(_SPACE.sub("", previous)) > HEADING_MAX
                and previous[-1] not in _FINAL
            )
            gap = "" if joined and (is_cjk(previous[-1]) or is_cjk(original[start])) else " "
            for char in gap if joined else "\n\n":
                chars.append(char)
                offsets.append(blocks[number - 1][1])
        position = start
        for space in _SPACE.finditer(original, start, end):
            chars.extend(original[position : space.start()])
            offsets.extend(range(position, space.start()))
            before, after = original[space.start() - 1], original[space.end()]
            if not (is_cjk(before) or is_cjk(after)):
                chars.append(" ")
                offsets.append(space.start())
            position = space.end()
        chars.extend(original[position:end])
        offsets.extend(range(position, end))
    offsets.append(len(original))
    return Text(original, "".join(chars), tuple(offsets), tuple(blocks))


def sentences(text: Text, *, chinese: bool) -> list[tuple[int, int]]:
    """Return the sentences of ``text.clean`` as (start, end) indices into it, without
    surrounding spaces, in order. Chinese ends a sentence at 。！？； (with the closing
    quotes after them) and at a paragraph break; English at . ! ? followed by a space
    and a capital or digit, except after common abbreviations (Feb. Mr. U.S.)."""
    clean = text.clean
    cuts: list[int] = []
    if chinese:
        cuts = [m.end() for m in _ZH_SENTENCE.finditer(clean) if m.end() > m.start()]
    else:
        for match in _EN_BOUNDARY.finditer(clean):
            if not _EN_ABBREVIATIONS.search(clean[max(0, match.start() - 8) : match.start() + 1]):
                cuts.append(match.end())
        cuts.append(len(clean))
    result = []
    start = 0
    for cut in cuts:
        piece = clean[start:cut]
        stripped = piece.strip()
        if stripped:
            first = start + len(piece) - len(piece.lstrip())
            result.append((first, first + len(stripped)))
        start = cut
    return result
