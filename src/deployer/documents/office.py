"""Office documents from rendered Markdown: DOCX (python-docx) and ODT (odfdo).

Both walk the same blocks (deployer.documents.blocks). Markdown level-1 heading → document
title; level 2 → « Heading 1 » (numbered sections); level 3 → « Heading 2 ». The table of
contents is a real field (DOCX) or index (ODT), pre-filled so it reads well before the word
processor refreshes it.
"""

from __future__ import annotations

import io
from typing import TYPE_CHECKING, Any, cast

from deployer.documents.blocks import Block, Heading, Item, Paragraph, Run, Table, Toc, parse_blocks, xml_safe

if TYPE_CHECKING:
    from docx.document import Document as DocxDocument
    from odfdo import Document as OdtDocument
    from odfdo import Element as OdtElement
    from odfdo import XmlPart

TOC_TITLE = "Sommaire"
LANGUAGE = "fr-FR"


# -- DOCX ---------------------------------------------------------------------------------


def to_docx(markdown: str, title: str) -> bytes:
    """A DOCX document with real heading styles, a TOC field, tables and lists."""
    import docx

    document = docx.Document()
    _docx_setup(document, title)
    for block in parse_blocks(markdown, TOC_TITLE):
        _docx_block(document, block)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def _docx_setup(document: DocxDocument, title: str) -> None:
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn
    from docx.shared import Cm

    section = document.sections[0]
    section.page_width, section.page_height = Cm(21), Cm(29.7)
    section.left_margin = section.right_margin = Cm(2.2)
    document.core_properties.title = xml_safe(title)
    document.core_properties.language = LANGUAGE
    rpr = document.styles["Normal"].element.get_or_add_rPr()
    lang = OxmlElement("w:lang")
    lang.set(qn("w:val"), LANGUAGE)
    rpr.append(lang)
    # No w:updateFields: Word would warn on every opening. The TOC is pre-filled with the
    # headings; page numbers appear after « Mettre à jour la table » (README).


def _docx_block(document: DocxDocument, block: Block) -> None:
    if isinstance(block, Heading):
        style = "Title" if block.level == 1 else f"Heading {min(block.level - 1, 3)}"
        _docx_runs(document.add_paragraph(style=style), block.runs)
    elif isinstance(block, Paragraph):
        _docx_runs(document.add_paragraph(style="Quote" if block.quote else None), block.runs)
    elif isinstance(block, Item):
        kind = "List Continue" if block.checkbox else "List Number" if block.ordered else "List Bullet"
        _docx_runs(document.add_paragraph(style=kind + (f" {block.depth + 1}" if block.depth else "")), block.runs)
    elif isinstance(block, Table):
        _docx_table(document, block)
    else:
        _docx_toc(document, block)


def _docx_runs(paragraph: Any, runs: list[Run]) -> None:
    for part in runs:
        run = paragraph.add_run(part.text)
        run.bold = part.bold or None
        run.italic = part.italic or None
        if part.code:
            run.font.name = "Courier New"


def _docx_table(document: DocxDocument, table: Table) -> None:
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn
    from docx.shared import Cm

    grid = document.add_table(rows=1 + len(table.rows), cols=len(table.header), style="Table Grid")
    grid.autofit = False
    widths = [Cm(16.6 * share) for share in table.shares()]
    for column, width in zip(grid.columns, widths, strict=True):
        column.width = width  # the grid LibreOffice reads
    for r, row in enumerate([table.header, *table.rows]):
        for c, runs in enumerate(row[: len(table.header)]):
            cell = grid.cell(r, c)
            cell.width = widths[c]
            _docx_runs(cell.paragraphs[0], [Run(x.text, x.bold or r == 0, x.italic, x.code) for x in runs])
    header = grid.rows[0]._tr.get_or_add_trPr()
    repeat = OxmlElement("w:tblHeader")  # header row repeated on each page
    repeat.set(qn("w:val"), "true")
    header.append(repeat)
    document.add_paragraph()


def _docx_toc(document: DocxDocument, toc: Toc) -> None:
    """A TOC field whose cached result lists the headings (without page numbers)."""
    document.add_paragraph(toc.title, style="TOC Heading")
    entries = toc.headings or [Heading(2, [Run("")])]
    for index, heading in enumerate(entries):
        paragraph = document.add_paragraph(style=_toc_style(document, heading.level - 1))
        if index == 0:
            _field_char(paragraph, "begin")
            _instr(paragraph, r'TOC \o "1-2" \h \z \u')
            _field_char(paragraph, "separate")
        paragraph.add_run(heading.text)
        if index == len(entries) - 1:
            _field_char(paragraph, "end")
    document.add_page_break()  # type: ignore[no-untyped-call]


def _toc_style(document: DocxDocument, level: int) -> str:
    from docx.enum.style import WD_STYLE_TYPE
    from docx.shared import Cm

    name = f"TOC {level}"
    if name not in [s.name for s in document.styles]:
        style = document.styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
        style.base_style = document.styles["Normal"]
        style.paragraph_format.left_indent = Cm(0.6 * (level - 1))
        style.paragraph_format.space_after = 0
    return name


def _field_char(paragraph: Any, kind: str) -> None:
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    char = OxmlElement("w:fldChar")
    char.set(qn("w:fldCharType"), kind)  # not « dirty »: Word would ask to update fields on opening
    paragraph.add_run()._r.append(char)


def _instr(paragraph: Any, text: str) -> None:
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    instr = OxmlElement("w:instrText")
    instr.set(qn("xml:space"), "preserve")
    instr.text = text
    paragraph.add_run()._r.append(instr)


# -- ODT ----------------------------------------------------------------------------------


def to_odt(markdown: str, title: str) -> bytes:
    """An ODT document: heading styles with outline levels, a filled TOC, tables, lists."""
    from odfdo import Document

    document = Document("text")
    document.body.clear()
    document.get_part("meta").set_title(xml_safe(title))  # type: ignore[union-attr]
    _odt_styles(document)
    for block in parse_blocks(markdown, TOC_TITLE):
        element = _odt_block(document, block)
        if element is not None:
            document.body.append(element)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


_BOLD = {"fo:font-weight": "bold", "style:font-weight-asian": "bold", "style:font-weight-complex": "bold"}
_BORDER = {"fo:border": "0.03cm solid #000000", "fo:padding": "0.1cm"}
_ODT_STYLES: list[tuple[str, str, dict[str, dict[str, str]]]] = [
    ("text", "Gras", {"text": _BOLD}),
    ("text", "Italique", {"text": {"fo:font-style": "italic"}}),
    ("text", "Code", {"text": {"style:font-name": "Liberation Mono"}}),
    ("paragraph", "Title", {"text": {**_BOLD, "fo:font-size": "20pt"}, "paragraph": {"fo:margin-bottom": "0.4cm"}}),
    ("paragraph", "Quotations", {"text": {"fo:font-style": "italic"},
                                 "paragraph": {"fo:border-left": "0.06cm solid #1f4e79", "fo:padding-left": "0.3cm",
                                               "fo:margin-bottom": "0.3cm"}}),
    ("paragraph", "Table_20_Contents", {}),
    ("paragraph", "Saut", {"paragraph": {"fo:break-after": "page"}}),
    ("paragraph", "Table_20_Heading", {"text": _BOLD}),
    ("table-cell", "Cellule", {"table-cell": _BORDER}),
    ("table-cell", "Entete", {"table-cell": {**_BORDER, "fo:background-color": "#dde4ee"}}),
]


def _odt_styles(document: OdtDocument) -> None:
    from odfdo import Element, Style

    for family, name, areas in _ODT_STYLES:
        style = Style(family, name=name, display_name=name.replace("_20_", " "))
        if family == "paragraph":
            style.set_attribute("style:parent-style-name", "Standard")
        for area, properties in areas.items():
            style.set_properties(properties, area=area)
        document.insert_style(style, automatic=family == "table-cell")
    styles = cast("XmlPart", document.get_part("styles"))
    cast("OdtElement", styles.get_element("//office:styles")).append(Element.from_tag(_BULLETS))
    for level in styles.get_elements("//text:outline-level-style"):
        level.set_attribute("style:num-format", "")  # section numbers are written in the text
        level.del_attribute("style:num-suffix")
        level.del_attribute("loext:num-list-format")


_BULLETS = (
    '<text:list-style style:name="Puces" style:display-name="Puces">'
    + "".join(
        f'<text:list-level-style-bullet text:level="{level}" text:bullet-char="{char}">'
        '<style:list-level-properties text:list-level-position-and-space-mode="label-alignment">'
        f'<style:list-level-label-alignment text:label-followed-by="listtab" fo:text-indent="-0.5cm" '
        f'fo:margin-left="{0.8 * level:.1f}cm" text:list-tab-stop-position="{0.8 * level:.1f}cm"/>'
        "</style:list-level-properties></text:list-level-style-bullet>"
        for level, char in ((1, "•"), (2, "–"), (3, "•"))
    )
    + "</text:list-style>"
)


def _odt_block(document: OdtDocument, block: Block) -> Any | None:
    from odfdo import TOC, Header, List, ListItem
    from odfdo import Paragraph as OdtParagraph

    if isinstance(block, Heading):
        if block.level == 1:
            element: Any = _odt_runs(OdtParagraph(style="Title"), block.runs)
        else:
            level = min(block.level - 1, 3)
            element = _odt_runs(Header(level), block.runs)
            element.style = f"Heading_20_{level}"  # odfdo's Header ignores its style argument
    elif isinstance(block, Paragraph):
        element = _odt_runs(OdtParagraph(style="Quotations" if block.quote else "Text_20_body"), block.runs)
    elif isinstance(block, Item) and block.checkbox:
        element = _odt_runs(OdtParagraph(style="List"), block.runs)
    elif isinstance(block, Item):
        item = ListItem()
        item.append(_odt_runs(OdtParagraph(style="List"), block.runs))
        last = document.body.children[-1] if document.body.children else None
        if isinstance(last, List):
            last.append(item)
            return None
        element = List(style="Puces")
        element.append(item)
    elif isinstance(block, Table):
        element = _odt_table(document, block, len(document.body.get_tables()) + 1)
    else:
        element = TOC(block.title, outline_level=2)
        for entry in block.headings:  # what LibreOffice would write; « Mettre à jour l'index » refreshes it
            element.body.append(OdtParagraph(entry.text, style=f"Contents_20_{entry.level - 1}"))
        document.body.append(element)
        element = OdtParagraph(style="Saut")  # the sections start on a new page
    return element


def _odt_runs(paragraph: Any, runs: list[Run]) -> Any:
    from odfdo import Span

    for run in runs:
        style = "Code" if run.code else "Gras" if run.bold else "Italique" if run.italic else None
        if style:
            paragraph.append(Span(run.text, style=style, formatted=False))
        else:
            paragraph.append_plain_text(run.text)
    return paragraph


def _odt_table(document: OdtDocument, table: Table, number: int) -> OdtElement:
    from odfdo import Cell, Column, HeaderRows, Row, Style
    from odfdo import Paragraph as OdtParagraph
    from odfdo import Table as OdtTable

    width = len(table.header)
    name = f"Tableau{number}"
    style = Style("table", name=name)
    style.set_properties({"style:width": "16.6cm", "table:align": "margins", "fo:margin-bottom": "0.3cm"}, area="table")
    document.insert_style(style, automatic=True)
    element = OdtTable(name, style=name)
    for index, share in enumerate(table.shares()):
        column = Style("table-column", name=f"{name}.{index}")
        column.set_properties({"style:rel-column-width": f"{round(share * 10000)}*"}, area="table-column")
        document.insert_style(column, automatic=True)
        element.append(Column(style=f"{name}.{index}"))
    header = HeaderRows()
    element.append(header)
    for index, cells in enumerate([table.header, *table.rows]):
        row = Row()
        for runs in cells[:width]:
            cell = Cell(style="Entete" if index == 0 else "Cellule")
            kind = "Table_20_Heading" if index == 0 else "Table_20_Contents"
            cell.append(_odt_runs(OdtParagraph(style=kind), runs))
            row.append(cell)
        (header if index == 0 else element).append(row)
    return element
