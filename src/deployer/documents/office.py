"""Office documents from rendered Markdown: DOCX (office_docx.py) and ODT (office_odt.py).

Both walk the same blocks (deployer.documents.blocks). Markdown level-1 heading → document
title; level 2 → « Heading 1 » (numbered sections); level 3 → « Heading 2 ». Each file carries
its running header (object, collectivité), a footer (« Projet — version du … », page n / N), a
table of contents whose page numbers are fields, and its properties (title, author = the
collectivité, date). A buyer's model (``generate --modele-document``) gives its own look.
"""

from __future__ import annotations

from functools import lru_cache
from typing import TYPE_CHECKING

from deployer.documents.blocks import Block, parse_blocks

if TYPE_CHECKING:
    from deployer.documents.office_model import DocumentModels
    from deployer.documents.page import PageInfo

TOC_TITLE = "Sommaire"


@lru_cache(maxsize=4)
def blocks_of(markdown: str) -> list[Block]:
    """A document's blocks, parsed once for both office formats (the writers only read them)."""
    return parse_blocks(markdown, TOC_TITLE)


def to_docx(markdown: str, page: PageInfo, model: bytes | None = None) -> bytes:
    """The Markdown document as DOCX bytes (in the model's look when one is given)."""
    from deployer.documents.office_docx import to_docx as write

    return write(blocks_of(markdown), page, model)


def to_odt(markdown: str, page: PageInfo, model: bytes | None = None) -> bytes:
    """The Markdown document as ODT bytes (in the model's look when one is given)."""
    from deployer.documents.office_odt import to_odt as write

    return write(blocks_of(markdown), page, model)


def office_formats(markdown: str, page: PageInfo, formats: tuple[str, ...],
                   models: DocumentModels | None = None) -> dict[str, str | bytes]:
    """One Markdown document in each asked format, by extension; only the asked libraries load."""
    files: dict[str, str | bytes] = {}
    for fmt in formats:
        if fmt == "md":
            files[fmt] = markdown
        elif fmt == "html":
            from deployer.documents.html import to_html

            files[fmt] = to_html(markdown, page)
        elif fmt == "docx":
            files[fmt] = to_docx(markdown, page, models.docx if models else None)
        elif fmt == "odt":
            files[fmt] = to_odt(markdown, page, models.odt if models else None)
    return files
