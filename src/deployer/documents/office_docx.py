"""DOCX from document blocks (python-docx): real heading styles, a table of contents whose page
numbers are fields, tables with a repeated and shaded header row, a running header and a footer
with page numbers, and the document's properties.

Without a model the document takes the dossier's look (documents/look.py); with the buyer's model
(``generate --modele-document``) it keeps the model's styles, header, footer and logo. Styles are
resolved once per document: python-docx looks a style up by name in a linear scan.
"""

from __future__ import annotations

import io
from datetime import datetime, time
from typing import TYPE_CHECKING, Any

from deployer.documents import look
from deployer.documents.blocks import Block, Heading, Item, Paragraph, Run, Table, Toc

if TYPE_CHECKING:
    from docx.document import Document as DocxDocument

    from deployer.documents.page import PageInfo

LANGUAGE = "fr-FR"
HEADING_STYLES = ("Heading 1", "Heading 2", "Heading 3")
"""The styles a buyer's model must define (the others are added when missing)."""
_ADDED = ("Title", "Quote", "List Bullet", "List Bullet 2", "List Bullet 3", "List Number", "List Number 2",
          "List Continue", "List Continue 2", "TOC Heading", "TOC 1", "TOC 2", "Header", "Footer", "Table Grid")


def new_document(model: bytes | None) -> DocxDocument:
    """The buyer's model with its body emptied (its sections, header, footer and logo kept), or
    python-docx's blank document."""
    import docx

    document = docx.Document(io.BytesIO(model) if model else None)
    if model:
        body = document.element.body
        for child in list(body):
            if not child.tag.endswith("}sectPr"):
                body.remove(child)
    return document


def missing_styles(document: DocxDocument) -> list[str]:
    """The heading styles a model lacks (« Heading 1 » is « Titre 1 » in a French Word)."""
    names = {style.name for style in document.styles}
    return [name for name in HEADING_STYLES if name not in names]


def to_docx(blocks: list[Block], page: PageInfo, model: bytes | None = None) -> bytes:
    """The document as DOCX bytes."""
    document = new_document(model)
    writer = _Writer(document, own_look=model is None)
    writer.setup(page)
    for block in blocks:
        writer.block(block)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


class _Writer:
    """Writes blocks into one document, its styles resolved once."""

    def __init__(self, document: DocxDocument, own_look: bool) -> None:
        self.document = document
        self.own_look = own_look
        self.styles: dict[str, Any] = {}
        self.bookmarks = 0

    def style(self, name: str) -> Any:
        if not self.styles:
            self.styles = {s.name: s for s in self.document.styles}
        if name not in self.styles:
            self.styles[name] = _add_style(self.document, name, self.styles.get("Normal"))
        return self.styles[name]

    def setup(self, page: PageInfo) -> None:
        from docx.shared import Cm

        section = self.document.sections[0]
        if self.own_look:
            section.page_width, section.page_height = Cm(look.PAGE_CM[0]), Cm(look.PAGE_CM[1])
            section.left_margin = section.right_margin = Cm(look.MARGIN_CM)
            _apply_look(self)
        _properties(self.document, page)
        _language(self.style("Normal"))
        _running_header_and_footer(self, page)

    def block(self, block: Block) -> None:
        if isinstance(block, Heading):
            self.heading(block)
        elif isinstance(block, Paragraph):
            self.runs(self.paragraph("Quote" if block.quote else None), block.runs)
        elif isinstance(block, Item):
            kind = "List Continue" if block.checkbox else "List Number" if block.ordered else "List Bullet"
            self.runs(self.paragraph(kind + (f" {min(block.depth, 2) + 1}" if block.depth else "")), block.runs)
        elif isinstance(block, Table):
            self.table(block)
        else:
            self.toc(block)

    def paragraph(self, style: str | None) -> Any:
        paragraph = self.document.add_paragraph()
        if style:  # the style's id straight into the XML: no lookup by name
            paragraph._p.get_or_add_pPr().style = self.style(style).style_id
        return paragraph

    def heading(self, block: Heading) -> None:
        paragraph = self.paragraph("Title" if block.level == 1 else f"Heading {min(block.level - 1, 3)}")
        if block.level in (2, 3):
            self.bookmarks += 1
            _bookmark(paragraph, self.bookmarks, block)
        else:
            self.runs(paragraph, block.runs)

    @staticmethod
    def runs(paragraph: Any, runs: list[Run]) -> None:
        """Runs written straight as XML (python-docx's text setter walks every character)."""
        for part in runs:
            if "\t" in part.text or "\n" in part.text:
                run = paragraph.add_run(part.text)
            else:
                run = paragraph.add_run()
                run._r.add_t(part.text)
            if part.bold:
                run.bold = True
            if part.italic:
                run.italic = True
            if part.code:
                run.font.name = look.MONO

    def table(self, table: Table) -> None:
        """The table written as one XML string and parsed once (python-docx's cell objects are slow):
        fixed column widths, header row shaded and repeated on each page."""
        from docx.oxml import parse_xml

        width = len(table.header)
        twips = [round(look.TEXT_WIDTH_CM * share * 567) for share in table.shares()]
        rows = []
        for index, cells in enumerate([table.header, *table.rows]):
            values = [*cells[:width], *([[]] * (width - len(cells[:width])))]
            xml = "".join(
                f'<w:tc><w:tcPr><w:tcW w:w="{twips[c]}" w:type="dxa"/>'
                + (f'<w:shd w:val="clear" w:color="auto" w:fill="{look.HEADER_FILL}"/>' if index == 0 else "")
                + f"</w:tcPr><w:p>{_runs_xml(runs, bold=index == 0)}</w:p></w:tc>"
                for c, runs in enumerate(values))
            head = '<w:trPr><w:tblHeader w:val="true"/></w:trPr>' if index == 0 else ""
            rows.append(f"<w:tr>{head}{xml}</w:tr>")
        grid = "".join(f'<w:gridCol w:w="{w}"/>' for w in twips)
        element = parse_xml(
            f'<w:tbl {_W}><w:tblPr><w:tblStyle w:val="{self.style("Table Grid").style_id}"/>'
            '<w:tblW w:w="0" w:type="auto"/><w:tblLayout w:type="fixed"/>'
            '<w:tblLook w:val="04A0" w:firstRow="1" w:lastRow="0" w:firstColumn="1" w:lastColumn="0" '
            f'w:noHBand="0" w:noVBand="1"/></w:tblPr><w:tblGrid>{grid}</w:tblGrid>{"".join(rows)}</w:tbl>')
        body = self.document.element.body
        body.sectPr.addprevious(element) if body.sectPr is not None else body.append(element)
        self.document.add_paragraph()

    def toc(self, toc: Toc) -> None:
        """The headings, each with a PAGEREF field to a bookmark on the heading: LibreOffice computes
        the page numbers as it lays out the pages; Word shows them once fields are updated (F9 or
        printing). No TOC field: LibreOffice would freeze its cached text."""
        self.paragraph("TOC Heading").add_run(toc.title)
        for index, heading in enumerate(toc.headings, start=1):
            paragraph = self.paragraph(f"TOC {heading.level - 1}")
            paragraph.add_run(heading.text + "\t")
            _field(paragraph, rf"PAGEREF _Toc{index} \h")
        self.document.add_page_break()  # type: ignore[no-untyped-call]


_W = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'


def _runs_xml(runs: list[Run], bold: bool = False) -> str:
    """Runs as WordprocessingML: text escaped, tabs and line breaks as their elements."""
    from html import escape  # xml.sax.saxutils would import urllib, http and ssl

    parts = []
    for run in runs:
        properties = ("<w:b/>" if run.bold or bold else "") + ("<w:i/>" if run.italic else "")
        if run.code:
            properties = f'<w:rFonts w:ascii="{look.MONO}" w:hAnsi="{look.MONO}"/>' + properties
        text = escape(run.text, quote=False).replace("\t", '</w:t><w:tab/><w:t xml:space="preserve">').replace(
            "\n", '</w:t><w:br/><w:t xml:space="preserve">')
        parts.append(f'<w:r>{f"<w:rPr>{properties}</w:rPr>" if properties else ""}'
                     f'<w:t xml:space="preserve">{text}</w:t></w:r>')
    return "".join(parts)


def _add_style(document: DocxDocument, name: str, normal: Any) -> Any:
    """A style the document lacks, based on « Normal »."""
    from docx.enum.style import WD_STYLE_TYPE
    from docx.shared import Cm

    kind = WD_STYLE_TYPE.TABLE if name == "Table Grid" else WD_STYLE_TYPE.PARAGRAPH
    style = document.styles.add_style(name, kind)
    style.base_style = normal
    if name.startswith("TOC ") and name[4:].isdigit():
        style.paragraph_format.left_indent = Cm(0.6 * (int(name[4:]) - 1))
        style.paragraph_format.space_after = 0
        _right_tab(style.paragraph_format, dots=True)
    elif name in ("Header", "Footer"):
        style.font.size = _pt(look.SMALL_PT)
        _right_tab(style.paragraph_format, dots=False)
    elif name.startswith("List "):
        style.paragraph_format.left_indent = Cm(0.8 * (int(name[-1]) if name[-1].isdigit() else 1))
    elif name == "Table Grid":
        _table_borders(style)
    return style


def _right_tab(paragraph_format: Any, dots: bool) -> None:
    from docx.enum.text import WD_TAB_ALIGNMENT, WD_TAB_LEADER
    from docx.shared import Cm

    leader = WD_TAB_LEADER.DOTS if dots else WD_TAB_LEADER.SPACES
    paragraph_format.tab_stops.clear_all()
    paragraph_format.tab_stops.add_tab_stop(Cm(look.TEXT_WIDTH_CM), WD_TAB_ALIGNMENT.RIGHT, leader)


def _pt(size: float) -> Any:
    from docx.shared import Pt

    return Pt(size)


def _apply_look(writer: _Writer) -> None:
    """The dossier's look: one font, sizes and accent colour (documents/look.py)."""
    from docx.shared import RGBColor

    for name, size in [("Normal", look.BODY_PT), ("Title", look.HEADING_PT[0]),
                       *((f"Heading {n}", look.HEADING_PT[n]) for n in (1, 2, 3))]:
        font = writer.style(name).font
        _plain_font(font)
        font.size = _pt(size)
        if name != "Normal":
            font.bold = True
            font.color.rgb = RGBColor.from_string(look.ACCENT)
    for name in ("Header", "Footer"):
        writer.style(name).font.size = _pt(look.SMALL_PT)
        _right_tab(writer.style(name).paragraph_format, dots=False)
    quote = writer.style("Quote")
    quote.font.italic = True
    quote.font.color.rgb = RGBColor.from_string("1E1E1E")


def _plain_font(font: Any) -> None:
    """Use look.FONT for every script, dropping the theme fonts that would win over it."""
    from docx.oxml.ns import qn

    font.name = look.FONT
    fonts = font.element.rPr.rFonts
    for attribute in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
        fonts.attrib.pop(qn(attribute), None)
    fonts.set(qn("w:cs"), look.FONT)


def _properties(document: DocxDocument, page: PageInfo) -> None:
    stamp = datetime.combine(page.today, time())
    properties = document.core_properties
    properties.title = page.full_title
    properties.subject = page.subject
    properties.author = properties.last_modified_by = page.author
    properties.created = properties.modified = stamp
    properties.revision = 1
    properties.language = LANGUAGE
    properties.comments = page.version
    properties.keywords = properties.category = ""


def _language(normal: Any) -> None:
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    lang = OxmlElement("w:lang")
    lang.set(qn("w:val"), LANGUAGE)
    normal.element.get_or_add_rPr().append(lang)


def _running_header_and_footer(writer: _Writer, page: PageInfo) -> None:
    """The object and the collectivité at the top of each page; the version and « Page n / N » at
    the bottom. A model's own header or footer (its logo) is kept."""
    section = writer.document.sections[0]
    if not _has_content(section.header):
        paragraph = section.header.paragraphs[0]
        paragraph.style = writer.style("Header")
        paragraph.add_run(page.header)
    if not _has_content(section.footer):
        paragraph = section.footer.paragraphs[0]
        paragraph.style = writer.style("Footer")
        paragraph.add_run(f"{page.version}\tPage ")
        _field(paragraph, "PAGE", result="1")
        paragraph.add_run(" / ")
        _field(paragraph, "NUMPAGES", result="1")


def _has_content(part: Any) -> bool:
    """Whether a model's header or footer holds text or a picture."""
    if part.is_linked_to_previous:
        return False
    xml = part._element.xml
    return any(p.text.strip() for p in part.paragraphs) or "<w:drawing" in xml or "<w:pict" in xml


def _bookmark(paragraph: Any, number: int, heading: Heading) -> None:
    """The heading's text inside bookmark « _TocN », the target of the TOC's PAGEREF field."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    start = OxmlElement("w:bookmarkStart")
    start.set(qn("w:id"), str(number))
    start.set(qn("w:name"), f"_Toc{number}")
    paragraph._p.append(start)
    _Writer.runs(paragraph, heading.runs)
    end = OxmlElement("w:bookmarkEnd")
    end.set(qn("w:id"), str(number))
    paragraph._p.append(end)


def _field(paragraph: Any, instruction: str, result: str | None = None) -> None:
    """A complex field: begin, instruction, separate, cached result, end."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    _field_char(paragraph, "begin")
    instr = OxmlElement("w:instrText")
    instr.set(qn("xml:space"), "preserve")
    instr.text = f" {instruction} "
    paragraph.add_run()._r.append(instr)
    _field_char(paragraph, "separate")
    if result:
        paragraph.add_run(result)
    _field_char(paragraph, "end")


def _field_char(paragraph: Any, kind: str) -> None:
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    char = OxmlElement("w:fldChar")
    char.set(qn("w:fldCharType"), kind)  # never « dirty »: Word would ask to update fields on opening
    paragraph.add_run()._r.append(char)


def _table_borders(style: Any) -> None:
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    properties = style.element.get_or_add_tblPr()
    borders = OxmlElement("w:tblBorders")
    for edge in ("top", "left", "bottom", "right", "insideH", "insideV"):
        line = OxmlElement(f"w:{edge}")
        for key, value in (("val", "single"), ("sz", "4"), ("space", "0"), ("color", look.BORDER)):
            line.set(qn(f"w:{key}"), value)
        borders.append(line)
    properties.append(borders)
