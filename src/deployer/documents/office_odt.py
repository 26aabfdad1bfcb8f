"""ODT from document blocks (odfdo): heading styles with outline levels, a table of contents whose
page numbers are reference fields (LibreOffice computes them as it lays out the pages, without a
prompt), tables with a repeated shaded header row, a running header and a footer with page
numbers, and the document's properties.

Without a model the document takes the dossier's look (documents/look.py); with the buyer's model
(``generate --modele-document``) it keeps the model's styles, header, footer and logo.
"""

from __future__ import annotations

import io
from datetime import datetime, time
from typing import TYPE_CHECKING, Any, cast

from deployer.documents import look
from deployer.documents.blocks import Block, Heading, Item, Paragraph, Run, Table, Toc

if TYPE_CHECKING:
    from odfdo import Document as OdtDocument
    from odfdo import Element as OdtElement
    from odfdo import XmlPart

    from deployer.documents.page import PageInfo

HEADING_STYLES = ("Heading_20_1", "Heading_20_2")
"""The styles a buyer's model must define (LibreOffice's « Titre 1 » and « Titre 2 »)."""

_BOLD = {"fo:font-weight": "bold", "style:font-weight-asian": "bold", "style:font-weight-complex": "bold"}
_BORDER = {"fo:border": f"0.03cm solid #{look.BORDER}", "fo:padding": "0.1cm"}
_FONT = {"fo:font-family": look.FONT, "style:font-family-generic": "swiss"}
_ODT_STYLES: list[tuple[str, str, dict[str, dict[str, str]]]] = [
    ("text", "Gras", {"text": _BOLD}),
    ("text", "Italique", {"text": {"fo:font-style": "italic"}}),
    ("text", "Code", {"text": {"fo:font-family": look.MONO}}),
    ("paragraph", "Title", {"text": {**_BOLD, "fo:font-size": f"{look.HEADING_PT[0]}pt", "fo:color": f"#{look.ACCENT}"},
                            "paragraph": {"fo:margin-bottom": "0.4cm"}}),
    ("paragraph", "Quotations", {"text": {"fo:font-style": "italic"},
                                 "paragraph": {"fo:border-left": f"0.06cm solid #{look.ACCENT}",
                                               "fo:padding-left": "0.3cm", "fo:margin-bottom": "0.3cm",
                                               "fo:background-color": f"#{look.QUOTE_FILL}"}}),
    ("paragraph", "Table_20_Contents", {}),
    ("paragraph", "Saut", {"paragraph": {"fo:break-after": "page"}}),
    ("paragraph", "Table_20_Heading", {"text": _BOLD}),
    ("paragraph", "Header", {"text": {"fo:font-size": f"{look.SMALL_PT}pt"}}),
    ("paragraph", "Footer", {"text": {"fo:font-size": f"{look.SMALL_PT}pt"}}),
    ("table-cell", "Cellule", {"table-cell": _BORDER}),
    ("table-cell", "Entete", {"table-cell": {**_BORDER, "fo:background-color": f"#{look.HEADER_FILL}"}}),
]
_OWN_LOOK = ("Title", "Quotations", "Header", "Footer")  # kept from a model that has them


def new_document(model: bytes | None) -> OdtDocument:
    """The buyer's model with its body emptied (master pages, header, footer, logo kept), or
    odfdo's blank text document."""
    from odfdo import Document

    document = Document(io.BytesIO(model)) if model else Document("text")
    document.body.clear()
    return document


def missing_styles(document: OdtDocument) -> list[str]:
    """The heading styles a model lacks."""
    return [name for name in HEADING_STYLES if document.get_style("paragraph", name) is None]


def to_odt(blocks: list[Block], page: PageInfo, model: bytes | None = None) -> bytes:
    """The document as ODT bytes."""
    document = new_document(model)
    _properties(document, page)
    _styles(document, own_look=model is None)
    _page(document, page, own_look=model is None)
    _body(document, blocks)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def _properties(document: OdtDocument, page: PageInfo) -> None:
    meta: Any = document.get_part("meta")
    stamp = datetime.combine(page.today, time())
    meta.set_title(page.full_title)
    meta.set_subject(page.subject or page.title)
    meta.set_initial_creator(page.author)
    meta.set_creator(page.author)
    meta.set_creation_date(stamp)
    meta.set_modification_date(stamp)
    meta.set_description(page.version)
    meta.set_language("fr-FR")
    meta.set_generator("deployer")
    meta.set_editing_cycles(1)


def _styles(document: OdtDocument, own_look: bool) -> None:
    from odfdo import Element, Style

    for family, name, areas in _ODT_STYLES:
        if not own_look and name in _OWN_LOOK and document.get_style(family, name) is not None:
            continue
        style = Style(family, name=name, display_name=name.replace("_20_", " "))
        if family == "paragraph":
            style.set_attribute("style:parent-style-name", "Standard")
        for area, properties in areas.items():
            style.set_properties(properties, area=area)
        document.insert_style(style, automatic=family == "table-cell")
    styles = cast("XmlPart", document.get_part("styles"))
    if not styles.get_elements("//text:list-style[@style:name='Puces']"):
        cast("OdtElement", styles.get_element("//office:styles")).append(Element.from_tag(_BULLETS))
    for level in styles.get_elements("//text:outline-level-style"):
        level.set_attribute("style:num-format", "")  # section numbers are written in the text
        level.del_attribute("style:num-suffix")
        level.del_attribute("loext:num-list-format")
    if own_look:
        _look(document)


def _look(document: OdtDocument) -> None:
    """The dossier's look: one font, sizes and accent colour (documents/look.py)."""
    standard: Any = document.get_style("paragraph", "Standard")
    standard.set_properties({**_FONT, "fo:font-size": f"{look.BODY_PT}pt"}, area="text")
    for level in (1, 2, 3):
        style: Any = document.get_style("paragraph", f"Heading_20_{level}")
        if style is not None:
            style.set_properties({**_FONT, **_BOLD, "fo:font-size": f"{look.HEADING_PT[level]}pt",
                                  "fo:color": f"#{look.ACCENT}"}, area="text")
    heading: Any = document.get_style("paragraph", "Heading")
    if heading is not None:
        heading.set_properties(_FONT, area="text")


def _page(document: OdtDocument, page: PageInfo, own_look: bool) -> None:
    """A4 and margins (own look), then the running header and the footer with page numbers on the
    default master page, unless a model already has its own."""
    master: Any = document.get_style("master-page", "Standard")
    if master is None:
        return
    layout: Any = document.get_style("page-layout", master.get_attribute("style:page-layout-name"))
    if layout is not None:
        _layout(layout, own_look)
    if not _has_content(master.get_page_header()):
        master.set_page_header(_xml_paragraph("Header", _text(page.header)))
    if not _has_content(master.get_page_footer()):
        footer = (_text(page.version) + "<text:tab/>Page <text:page-number text:select-page=\"current\">1"
                  "</text:page-number> / <text:page-count>1</text:page-count>")
        master.set_page_footer(_xml_paragraph("Footer", footer))
    for name in ("Header", "Footer"):
        _right_tab(document.get_style("paragraph", name))


def _layout(layout: Any, own_look: bool) -> None:
    """A4 and the dossier's margins (own look); room for the header and the footer."""
    from odfdo import Element

    if own_look:
        layout.set_properties({"fo:page-width": f"{look.PAGE_CM[0]}cm", "fo:page-height": f"{look.PAGE_CM[1]}cm",
                               "fo:margin-left": f"{look.MARGIN_CM}cm", "fo:margin-right": f"{look.MARGIN_CM}cm",
                               "fo:margin-top": "1.5cm", "fo:margin-bottom": "1.5cm"}, area="page-layout")
    for part in ("header", "footer"):
        if layout.get_element(f"style:{part}-style/style:header-footer-properties") is not None:
            continue
        margin = "fo:margin-bottom" if part == "header" else "fo:margin-top"
        style = layout.get_element(f"style:{part}-style")
        if style is None:
            style = Element.from_tag(f"<style:{part}-style/>")
            layout.append(style)
        style.append(Element.from_tag(f'<style:header-footer-properties fo:min-height="0cm" {margin}="0.4cm"/>'))


def _right_tab(style: Any) -> None:
    """A right tab stop at the text's width (page numbers flush right)."""
    from odfdo import Element

    if style is None or style.get_element("style:paragraph-properties/style:tab-stops") is not None:
        return
    if style.get_element("style:paragraph-properties") is None:
        style.set_properties({}, area="paragraph")
    style.get_element("style:paragraph-properties").append(Element.from_tag(
        f'<style:tab-stops><style:tab-stop style:position="{look.TEXT_WIDTH_CM}cm" style:type="right"/>'
        "</style:tab-stops>"))


def _has_content(part: Any) -> bool:
    return part is not None and (bool(part.text_recursive.strip()) or bool(part.get_elements("//draw:frame")))


def _text(text: str) -> str:
    from html import escape  # xml.sax.saxutils would import urllib, http and ssl

    return escape(text, quote=False)


def _xml_paragraph(style: str, inner: str) -> Any:
    from odfdo import Element

    return Element.from_tag(f'<text:p text:style-name="{style}">{inner}</text:p>')


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


def _body(document: OdtDocument, blocks: list[Block]) -> None:
    """The body written as one XML string and parsed once (odfdo's element objects are slow)."""
    from odfdo import Element

    parts: list[str] = []
    in_list, headings, tables = False, 0, 0
    for block in blocks:
        item = isinstance(block, Item) and not block.checkbox
        if in_list and not item:
            parts.append("</text:list>")
        if item and not in_list:
            parts.append('<text:list text:style-name="Puces">')
        in_list = item
        if isinstance(block, Heading) and block.level in (2, 3):
            headings += 1
        if isinstance(block, Table):
            tables += 1
        parts.append(_block_xml(document, block, headings, tables))
    if in_list:
        parts.append("</text:list>")
    root = Element.from_tag(f"<office:text>{''.join(parts)}</office:text>")
    for child in root.children:
        document.body.append(child)


def _block_xml(document: OdtDocument, block: Block, headings: int, tables: int) -> str:
    if isinstance(block, Heading):
        return _heading(block, headings)
    if isinstance(block, Paragraph):
        style = "Quotations" if block.quote else "Text_20_body"
        return f'<text:p text:style-name="{style}">{_runs_xml(block.runs)}</text:p>'
    if isinstance(block, Item):
        paragraph = f'<text:p text:style-name="List">{_runs_xml(block.runs)}</text:p>'
        return paragraph if block.checkbox else f"<text:list-item>{paragraph}</text:list-item>"
    if isinstance(block, Table):
        return _table(document, block, tables)
    return _toc(block) + '<text:p text:style-name="Saut"/>'  # the sections start on a new page


def _heading(block: Heading, number: int) -> str:
    if block.level == 1:
        return f'<text:p text:style-name="Title">{_runs_xml(block.runs)}</text:p>'
    level = min(block.level - 1, 3)
    text = _runs_xml(block.runs)
    if block.level in (2, 3):
        text = f'<text:bookmark-start text:name="_Toc{number}"/>{text}<text:bookmark-end text:name="_Toc{number}"/>'
    return f'<text:h text:style-name="Heading_20_{level}" text:outline-level="{level}">{text}</text:h>'


def _toc(block: Toc) -> str:
    """A TOC index (« Mettre à jour l'index » rebuilds it) whose entries already hold the headings
    and, for the page numbers, reference fields to bookmarks on the headings."""
    from odfdo import TOC

    element: Any = TOC(block.title, outline_level=2)
    entries = "".join(
        f'<text:p text:style-name="Contents_20_{entry.level - 1}">{_text(entry.text)}<text:tab/>'
        f'<text:bookmark-ref text:reference-format="page" text:ref-name="_Toc{number}">1</text:bookmark-ref></text:p>'
        for number, entry in enumerate(block.headings, start=1))
    xml = str(element.serialize())
    return xml.replace("</text:index-body>", entries + "</text:index-body>", 1)


def _table(document: OdtDocument, table: Table, number: int) -> str:
    """The table's XML; its styles go straight into the automatic styles."""
    from odfdo import Element

    width = len(table.header)
    name = f"Tableau{number}"
    shares = table.shares()
    styles = (f'<office:automatic-styles><style:style style:name="{name}" style:family="table">'
              f'<style:table-properties style:width="{look.TEXT_WIDTH_CM}cm" table:align="margins" '
              'fo:margin-bottom="0.3cm"/></style:style>'
              + "".join(f'<style:style style:name="{name}.{index}" style:family="table-column">'
                        f'<style:table-column-properties style:rel-column-width="{round(share * 10000)}*"/>'
                        "</style:style>" for index, share in enumerate(shares))
              + "</office:automatic-styles>")
    automatic: Any = document.get_part("content").get_element("//office:automatic-styles")  # type: ignore[union-attr]
    for style in Element.from_tag(styles).children:  # one parse, no search per style
        automatic.append(style)
    columns = [f'<table:table-column table:style-name="{name}.{index}"/>' for index in range(len(shares))]
    rows = []
    for index, cells in enumerate([table.header, *table.rows]):
        cell_style, paragraph = ("Entete", "Table_20_Heading") if index == 0 else ("Cellule", "Table_20_Contents")
        xml = "".join(f'<table:table-cell table:style-name="{cell_style}" office:value-type="string">'
                      f'<text:p text:style-name="{paragraph}">{_runs_xml(runs)}</text:p></table:table-cell>'
                      for runs in cells[:width])
        xml += "<table:table-cell/>" * (width - len(cells[:width]))
        rows.append(f"<table:table-row>{xml}</table:table-row>")
    return (f'<table:table table:name="{name}" table:style-name="{name}">{"".join(columns)}'
            f"<table:table-header-rows>{rows[0]}</table:table-header-rows>{''.join(rows[1:])}</table:table>")


def _runs_xml(runs: list[Run]) -> str:
    """Runs as ODF XML: text escaped, tabs, line breaks and repeated spaces as their elements."""
    import re

    parts = []
    for run in runs:
        text = _text(run.text).replace("\t", "<text:tab/>").replace("\n", "<text:line-break/>")
        text = re.sub("  +", lambda m: f' <text:s text:c="{len(m.group()) - 1}"/>', text)
        style = "Code" if run.code else "Gras" if run.bold else "Italique" if run.italic else None
        parts.append(f'<text:span text:style-name="{style}">{text}</text:span>' if style else text)
    return "".join(parts)
