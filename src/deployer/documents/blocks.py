"""Rendered Markdown → a flat list of document blocks, walked once from markdown-it tokens.

The office writers (DOCX, ODT) only see these blocks, never Markdown: user text was escaped
for Markdown by the templates, markdown-it resolves the escapes, and each writer then puts
plain text into its own format through its library (which escapes it for XML).
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from functools import cache, lru_cache
from typing import TYPE_CHECKING, Any

from deployer.french import visible

if TYPE_CHECKING:
    from markdown_it.token import Token

CHECKBOX = "☐ "
# The characters XML 1.0 forbids, listed (the complement of its allowed ranges compiles ten times slower).
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def xml_safe(text: str) -> str:
    """Text without the control characters XML 1.0 forbids (a NUL typed in an answers file),
    nor bidirectional overrides."""
    return _NOT_XML.sub("", visible(text))


@dataclass(frozen=True)
class Run:
    """A piece of text with one formatting; characters XML cannot hold are dropped."""

    text: str
    bold: bool = False
    italic: bool = False
    code: bool = False

    def __post_init__(self) -> None:
        object.__setattr__(self, "text", xml_safe(self.text))


Runs = list[Run]


@dataclass(frozen=True)
class Heading:
    """A heading; level 1 is the document title, 2 a numbered section, 3 a sub-section."""

    level: int
    runs: Runs

    @property
    def text(self) -> str:
        """The heading's plain text."""
        return "".join(r.text for r in self.runs)


@dataclass(frozen=True)
class Paragraph:
    """A paragraph; ``quote`` for a blockquote (the draft warning)."""

    runs: Runs
    quote: bool = False


@dataclass(frozen=True)
class Item:
    """A list item (lists are flattened: depth 0 is the outer list)."""

    runs: Runs
    depth: int = 0
    ordered: bool = False
    checkbox: bool = False  # « - [ ] … »: a box replaces the bullet


@dataclass(frozen=True)
class Table:
    """A table with one header row."""

    header: list[Runs]
    rows: list[list[Runs]]

    def shares(self) -> list[float]:
        """Relative column widths (sum 1): by the longest text of each column, capped, but never
        narrower than its longest word (with room for bold text and cell margins); a column left
        empty for the reader to fill in (the prices of a DPGF) gets room for an amount."""
        texts = [["".join(r.text for r in cell) for cell in row] for row in [self.header, *self.rows]]
        columns = [[row[c] for row in texts if c < len(row)] for c in range(len(self.header))]
        longest = [max(len(text) for text in column) for column in columns]
        word = [max((len(w) for text in column for w in text.split()), default=1) for column in columns]
        blank = [bool(self.rows) and not any(text.strip() for text in column[1:]) for column in columns]
        lengths = [max(min(length, 40), math.ceil(w * 1.25) + 4, 18 if empty else 6)
                   for length, w, empty in zip(longest, word, blank, strict=True)]
        return [length / sum(lengths) for length in lengths]


@dataclass(frozen=True)
class Toc:
    """Where the table of contents goes, with its title."""

    title: str
    headings: list[Heading] = field(default_factory=list)


Block = Heading | Paragraph | Item | Table | Toc


@cache
def markdown_parser() -> Any:
    """The one Markdown parser: CommonMark with tables, raw HTML disabled (it is escaped)."""
    from markdown_it import MarkdownIt

    return MarkdownIt("commonmark", {"html": False}).enable("table")


@lru_cache(maxsize=4)
def markdown_tokens(markdown: str) -> list[Token]:
    """A document's markdown-it tokens, parsed once for every format (the callers only read them)."""
    tokens: list[Token] = markdown_parser().parse(markdown)
    return tokens


def parse_blocks(markdown: str, toc_title: str | None = None) -> list[Block]:
    """The document's blocks. A level-2 heading titled ``toc_title`` and the manual list under
    it become a ``Toc`` block, filled with the headings of levels 2 and 3."""
    walker = _Walker(toc_title)
    for token in markdown_tokens(markdown):
        walker.feed(token)
    for block in walker.blocks:
        if isinstance(block, Toc):
            block.headings.extend(b for b in walker.blocks if isinstance(b, Heading) and b.level in (2, 3))
    return walker.blocks


def inline_runs(token: Token) -> Runs:
    """The runs of an inline token (bold, italic, code; links keep their text)."""
    runs: Runs = []
    bold = italic = False
    for child in token.children or []:
        if child.type in ("strong_open", "strong_close"):
            bold = child.type == "strong_open"
        elif child.type in ("em_open", "em_close"):
            italic = child.type == "em_open"
        elif child.type == "code_inline":
            runs.append(Run(child.content, bold, italic, code=True))
        elif child.type in ("softbreak", "hardbreak"):
            runs.append(Run(" ", bold, italic))
        elif child.type in ("text", "text_special", "html_inline") and child.content:
            runs.append(Run(child.content, bold, italic))
    return runs


class _Walker:
    """A small state machine over the token stream."""

    def __init__(self, toc_title: str | None) -> None:
        self.toc_title = toc_title
        self.blocks: list[Block] = []
        self.lists: list[bool] = []  # ordered flag of each open list
        self.quote = False
        self.heading = 0
        self.skipping = False
        self.table: Table | None = None
        self.row: list[Runs] | None = None
        self.in_head = False

    def feed(self, token: Token) -> None:
        kind = token.type
        if kind == "heading_open":
            self.heading = int(token.tag[1])
        elif kind in ("bullet_list_open", "ordered_list_open"):
            self.lists.append(kind == "ordered_list_open")
        elif kind in ("bullet_list_close", "ordered_list_close"):
            self.lists.pop()
        elif kind in ("blockquote_open", "blockquote_close"):
            self.quote = kind == "blockquote_open"
        elif kind.startswith(("table", "thead", "tbody", "tr")):
            self._table_token(kind)
        elif kind == "inline":
            self._inline(token)
        elif kind in ("code_block", "fence"):
            self._add(Paragraph([Run(token.content.rstrip("\n"), code=True)]))

    def _table_token(self, kind: str) -> None:
        if kind == "table_open":
            self.table = Table([], [])
        elif kind == "table_close" and self.table is not None:
            self._add(self.table)
            self.table = None
        elif kind in ("thead_open", "thead_close"):
            self.in_head = kind == "thead_open"
        elif kind == "tr_open":
            self.row = []
        elif kind == "tr_close" and self.table is not None and self.row is not None:
            if self.in_head:
                self.table.header.extend(self.row)
            else:
                self.table.rows.append(self.row)
            self.row = None

    def _inline(self, token: Token) -> None:
        runs = inline_runs(token)
        if self.row is not None:
            self.row.append(runs)
        elif self.heading:
            self._heading(Heading(self.heading, runs))
            self.heading = 0
        elif self.lists:
            checkbox = bool(runs) and runs[0].text.startswith("[ ] ")
            if checkbox:
                runs[0] = Run(CHECKBOX + runs[0].text[4:], runs[0].bold, runs[0].italic, runs[0].code)
            self._add(Item(runs, len(self.lists) - 1, self.lists[-1], checkbox))
        else:
            self._add(Paragraph(runs, self.quote))

    def _heading(self, heading: Heading) -> None:
        self.skipping = heading.level == 2 and heading.text == self.toc_title
        self.blocks.append(Toc(heading.text) if self.skipping else heading)

    def _add(self, block: Block) -> None:
        if not self.skipping:
            self.blocks.append(block)
