"""A small XLSX writer for the dossier's workbooks: exactly what they use (text, numbers and
formulas in cells, four fonts, one shading, number formats, merged titles, column widths, row
heights, a frozen header row repeated on each printed page, A4 page setup with header and
footer, drop-down and whole-number validations, document properties), written as XML strings
into a zip archive. Importing it costs a few milliseconds, openpyxl about 70 (the answers form,
answers/workbook_xlsx.py, still uses openpyxl).

Text cells are inline strings; characters XML 1.0 cannot hold are dropped. Formulas are written
without a cached value and the workbook asks to be computed on opening (``fullCalcOnLoad``). The
archive's entries carry the date of the document's properties: the same workbook gives the same
bytes.
"""

from __future__ import annotations

import re
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime
from io import BytesIO

from deployer.documents import look
from deployer.documents.blocks import xml_safe

_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_PACKAGE_REL = "http://schemas.openxmlformats.org/package/2006/relationships"
_HEAD = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'

# Fonts by name: the workbook's default (what openpyxl gave an untouched cell: Calibri 11), the
# dossier's font (look.FONT, 10 points), its bold and its title. (name, size, bold)
FONTS: dict[str, tuple[str, int, bool]] = {
    "default": ("Calibri", 11, False), "plain": (look.FONT, 10, False), "bold": (look.FONT, 10, True),
    "title": (look.FONT, 13, True),
}
FILL = look.HEADER_FILL  # the header row's shading
_BUILTIN_FORMATS = {"": 0, "General": 0, "0": 1, "0.00": 2, "#,##0": 3, "#,##0.00": 4}


def text(value: str) -> str:
    """Element content: escaped, without the characters XML 1.0 cannot hold (nor control
    characters and bidirectional overrides: ``xml_safe``, as in the other office files)."""
    value = xml_safe(value)
    return value.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def attribute(value: str) -> str:
    """An attribute value, quotes and line breaks kept."""
    return (text(value).replace('"', "&quot;").replace("\n", "&#10;").replace("\r", "&#13;")
            .replace("\t", "&#9;"))


def column_letter(column: int) -> str:
    """1 → A, 27 → AA."""
    letters = ""
    while column > 0:
        column, rest = divmod(column - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def parse_range(ref: str) -> tuple[int, int, int, int]:
    """« A1:I1 » → (min_row, min_col, max_row, max_col)."""
    corners = []
    for corner in ref.split(":"):
        match = re.fullmatch(r"\$?([A-Z]+)\$?(\d+)", corner)
        if match is None:
            raise ValueError(f"not a cell reference: {ref!r}")
        column = 0
        for letter in match.group(1):
            column = column * 26 + ord(letter) - 64
        corners.append((int(match.group(2)), column))
    (top, left), (bottom, right) = corners[0], corners[-1]
    return min(top, bottom), min(left, right), max(top, bottom), max(left, right)


@dataclass
class Cell:
    """One cell: a value (text, number, or a formula when ``formula``) and its look."""

    value: str | int | float | None = None
    formula: bool = False
    number_format: str = ""
    font: str = "default"  # a key of FONTS
    fill: bool = False
    wrap: bool = False  # wrapped text, aligned at the top
    quote: bool = False  # a quote prefix: text that must never be read as a formula

    @property
    def bold(self) -> bool:
        return FONTS[self.font][2]

    @property
    def size(self) -> int:
        return FONTS[self.font][1]

    def style_key(self) -> tuple[str, str, bool, bool, bool]:
        return self.number_format, self.font, self.fill, self.wrap, self.quote


@dataclass(frozen=True)
class Validation:
    """A data validation: ``list`` (formula1 is the quoted list) or ``whole`` between formula1
    and formula2; any other value is refused with the error message."""

    kind: str
    cells: str  # « F5:F111 »
    formula1: str
    formula2: str = ""
    error_title: str = ""
    error: str = ""

    def xml(self) -> str:
        operator = ' operator="between"' if self.formula2 else ""
        second = f"<formula2>{text(self.formula2)}</formula2>" if self.formula2 else ""
        return (f'<dataValidation type="{self.kind}"{operator} allowBlank="1" showErrorMessage="1" '
                f'errorTitle="{attribute(self.error_title)}" error="{attribute(self.error)}" sqref="{self.cells}">'
                f"<formula1>{text(self.formula1)}</formula1>{second}</dataValidation>")


@dataclass
class PageSetup:
    """A4, one page wide and as many pages high as needed; header and footer texts (left, right)
    in the codes of XLSX (&A sheet name, &P page, &N pages, && an ampersand)."""

    landscape: bool = True
    header: tuple[str, str] = ("", "")
    footer: tuple[str, str] = ("", "")
    font_size: int = 8
    margins: tuple[float, float, float, float, float, float] = (0.5, 0.5, 0.75, 0.75, 0.3, 0.3)

    def _part(self, left: str, right: str) -> str:
        size = f"&{self.font_size} "
        return text((f"&L{size}{left}" if left else "") + (f"&R{size}{right}" if right else ""))

    def xml(self) -> str:
        left, right, top, bottom, header, footer = self.margins
        orientation = "landscape" if self.landscape else "portrait"
        return (f'<pageMargins left="{left}" right="{right}" top="{top}" bottom="{bottom}" header="{header}" '
                f'footer="{footer}"/><pageSetup paperSize="9" orientation="{orientation}" fitToWidth="1" '
                f'fitToHeight="0"/><headerFooter><oddHeader>{self._part(*self.header)}</oddHeader>'
                f"<oddFooter>{self._part(*self.footer)}</oddFooter></headerFooter>")


@dataclass
class Sheet:
    """A worksheet: its cells by (row, column), from 1."""

    title: str
    cells: dict[tuple[int, int], Cell] = field(default_factory=dict)
    widths: dict[int, float] = field(default_factory=dict)  # by column
    heights: dict[int, float] = field(default_factory=dict)  # by row, in points
    merged: list[tuple[int, int, int, int]] = field(default_factory=list)  # (min_row, min_col, max_row, max_col)
    validations: list[Validation] = field(default_factory=list)
    frozen: tuple[int, int] | None = None  # (row, column) of the first cell that scrolls
    title_rows: tuple[int, int] | None = None  # printed on each page
    page: PageSetup | None = None

    def cell(self, row: int, column: int) -> Cell:
        """The cell, created empty when first asked for."""
        found = self.cells.get((row, column))
        if found is None:
            found = self.cells[row, column] = Cell()
        return found

    def merge_cells(self, ref: str) -> None:
        self.merged.append(parse_range(ref))

    def add_validation(self, validation: Validation) -> None:
        self.validations.append(validation)

    @property
    def max_column(self) -> int:
        return max((column for _, column in self.cells), default=1)

    @property
    def max_row(self) -> int:
        return max((row for row, _ in self.cells), default=1)

    def xml(self, styles: Styles, selected: bool) -> str:
        parts = [f'{_HEAD}<worksheet xmlns="{_MAIN}" xmlns:r="{_REL}">']
        if self.page is not None:
            parts.append('<sheetPr><pageSetUpPr fitToPage="1"/></sheetPr>')
        parts.append(f'<dimension ref="A1:{column_letter(self.max_column)}{self.max_row}"/>')
        tab = ' tabSelected="1"' if selected else ""
        parts.append(f'<sheetViews><sheetView{tab} workbookViewId="0">{self._pane()}</sheetView></sheetViews>')
        parts.append('<sheetFormatPr baseColWidth="8" defaultRowHeight="15"/>')
        if self.widths:
            parts.append("<cols>" + "".join(f'<col min="{c}" max="{c}" width="{w:g}" customWidth="1"/>'
                                            for c, w in sorted(self.widths.items())) + "</cols>")
        parts.append(self._data(styles))
        if self.merged:
            refs = [f"{column_letter(c1)}{r1}:{column_letter(c2)}{r2}" for r1, c1, r2, c2 in self.merged]
            parts.append(f'<mergeCells count="{len(refs)}">' + "".join(f'<mergeCell ref="{r}"/>' for r in refs)
                         + "</mergeCells>")
        if self.validations:
            parts.append(f'<dataValidations count="{len(self.validations)}">'
                         + "".join(v.xml() for v in self.validations) + "</dataValidations>")
        if self.page is not None:
            parts.append(self.page.xml())
        parts.append("</worksheet>")
        return "".join(parts)

    def _pane(self) -> str:
        if self.frozen is None:
            return ""
        row, column = self.frozen
        split = (f' xSplit="{column - 1}"' if column > 1 else "") + (f' ySplit="{row - 1}"' if row > 1 else "")
        pane = {(True, True): "bottomRight", (False, True): "bottomLeft", (True, False): "topRight"}.get(
            (column > 1, row > 1))
        if pane is None:
            return ""
        first = f"{column_letter(column)}{row}"
        return (f'<pane{split} topLeftCell="{first}" activePane="{pane}" state="frozen"/>'
                f'<selection pane="{pane}" activeCell="{first}" sqref="{first}"/>')

    def _data(self, styles: Styles) -> str:
        rows: dict[int, list[tuple[int, Cell]]] = {row: [] for row in self.heights}
        for (row, column), cell in self.cells.items():
            rows.setdefault(row, []).append((column, cell))
        parts = ["<sheetData>"]
        for row in sorted(rows):
            height = self.heights.get(row)
            parts.append(f'<row r="{row}"' + (f' ht="{height:g}" customHeight="1">' if height else ">"))
            for column, cell in sorted(rows[row], key=lambda item: item[0]):
                parts.append(_cell_xml(f"{column_letter(column)}{row}", cell, styles.index(cell)))
            parts.append("</row>")
        parts.append("</sheetData>")
        return "".join(parts)


def _cell_xml(ref: str, cell: Cell, style: int) -> str:
    head = f'<c r="{ref}"' + (f' s="{style}"' if style else "")
    value = cell.value
    if value is None or value == "":
        return head + "/>"
    if cell.formula:
        return f"{head}><f>{text(str(value).removeprefix('='))}</f></c>"
    if isinstance(value, str):
        space = ' xml:space="preserve"' if value != value.strip() else ""
        return f'{head} t="inlineStr"><is><t{space}>{text(value)}</t></is></c>'
    if isinstance(value, bool):
        return f'{head} t="b"><v>{int(value)}</v></c>'
    if isinstance(value, int | float):
        return f"{head}><v>{value!r}</v></c>"
    raise TypeError(f"a cell cannot hold {type(value).__name__}")


class Styles:
    """The workbook's cell formats, numbered as the cells ask for them (0: an untouched cell)."""

    def __init__(self) -> None:
        self._xfs: dict[tuple[str, str, bool, bool, bool], int] = {Cell().style_key(): 0}
        self._formats: dict[str, int] = {}

    def index(self, cell: Cell) -> int:
        key = cell.style_key()
        found = self._xfs.get(key)
        if found is None:
            found = self._xfs[key] = len(self._xfs)
            if key[0] not in _BUILTIN_FORMATS:
                self._formats.setdefault(key[0], 164 + len(self._formats))
        return found

    def xml(self) -> str:
        fonts = list(FONTS)
        parts = [f'{_HEAD}<styleSheet xmlns="{_MAIN}">']
        if self._formats:
            parts.append(f'<numFmts count="{len(self._formats)}">' + "".join(
                f'<numFmt numFmtId="{n}" formatCode="{attribute(code)}"/>' for code, n in self._formats.items())
                + "</numFmts>")
        parts.append(f'<fonts count="{len(fonts)}">' + "".join(
            f'<font>{"<b/>" if bold else ""}<sz val="{size}"/><name val="{name}"/><family val="2"/></font>'
            for name, size, bold in FONTS.values()) + "</fonts>")
        parts.append('<fills count="3"><fill><patternFill patternType="none"/></fill><fill><patternFill '
                     f'patternType="gray125"/></fill><fill><patternFill patternType="solid"><fgColor rgb="FF{FILL}"/>'
                     '<bgColor indexed="64"/></patternFill></fill></fills>')
        parts.append('<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>'
                     '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>')
        parts.append(f'<cellXfs count="{len(self._xfs)}">')
        for number_format, font, fill, wrap, quote in self._xfs:
            number = _BUILTIN_FORMATS.get(number_format, self._formats.get(number_format, 0))
            parts.append(f'<xf numFmtId="{number}" fontId="{fonts.index(font)}" fillId="{2 if fill else 0}" '
                         'borderId="0" xfId="0"' + (' applyNumberFormat="1"' if number else "")
                         + (' applyFont="1"' if font != "default" else "") + (' applyFill="1"' if fill else "")
                         + (' applyAlignment="1"' if wrap else "") + (' quotePrefix="1"' if quote else "")
                         + ('><alignment vertical="top" wrapText="1"/></xf>' if wrap else "/>"))
        parts.append('</cellXfs><cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>'
                     "</styleSheet>")
        return "".join(parts)


class Workbook:
    """Sheets in order (one to start with, as openpyxl's), the active one, and the properties."""

    def __init__(self) -> None:
        self.sheets = [Sheet("Feuille1")]
        self.active_index = 0
        self.title = ""
        self.creator = ""
        self.last_modified_by = ""
        self.created = self.modified = datetime(2000, 1, 1)

    @property
    def active(self) -> Sheet:
        return self.sheets[self.active_index]

    def create_sheet(self, title: str, index: int | None = None) -> Sheet:
        sheet = Sheet(title)
        self.sheets.insert(len(self.sheets) if index is None else index, sheet)
        return sheet

    def __iter__(self) -> Iterator[Sheet]:
        return iter(self.sheets)

    def to_bytes(self) -> bytes:
        """The XLSX file."""
        styles = Styles()
        sheets = [sheet.xml(styles, n == self.active_index) for n, sheet in enumerate(self.sheets)]
        parts = {
            "[Content_Types].xml": self._content_types(),
            "_rels/.rels": _relationships([
                (f"{_REL}/officeDocument", "xl/workbook.xml"),
                (f"{_PACKAGE_REL}/metadata/core-properties", "docProps/core.xml")]),
            "docProps/core.xml": self._core(),
            "xl/workbook.xml": self._workbook(),
            "xl/_rels/workbook.xml.rels": _relationships([
                *((f"{_REL}/worksheet", f"worksheets/sheet{n}.xml") for n in range(1, len(sheets) + 1)),
                (f"{_REL}/styles", "styles.xml")]),
            "xl/styles.xml": styles.xml(),
            **{f"xl/worksheets/sheet{n}.xml": xml for n, xml in enumerate(sheets, start=1)},
        }
        stamp = self.modified.timetuple()[:6]
        buffer = BytesIO()
        with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
            for name, xml in parts.items():
                info = zipfile.ZipInfo(name, date_time=stamp)
                info.compress_type = zipfile.ZIP_DEFLATED
                archive.writestr(info, xml.encode("utf-8"))
        return buffer.getvalue()

    def _content_types(self) -> str:
        kind = "application/vnd.openxmlformats-officedocument.spreadsheetml"
        overrides = [("/xl/workbook.xml", f"{kind}.sheet.main+xml"), ("/xl/styles.xml", f"{kind}.styles+xml"),
                     ("/docProps/core.xml", "application/vnd.openxmlformats-package.core-properties+xml"),
                     *((f"/xl/worksheets/sheet{n}.xml", f"{kind}.worksheet+xml")
                       for n in range(1, len(self.sheets) + 1))]
        return (f'{_HEAD}<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
                '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
                '<Default Extension="xml" ContentType="application/xml"/>'
                + "".join(f'<Override PartName="{p}" ContentType="{t}"/>' for p, t in overrides) + "</Types>")

    def _core(self) -> str:
        def stamp(moment: datetime) -> str:
            return f"{moment:%Y-%m-%dT%H:%M:%S}Z"

        return (f'{_HEAD}<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/'
                'core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/" '
                'xmlns:dcterms="http://purl.org/dc/terms/" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">'
                f"<dc:title>{text(self.title)}</dc:title><dc:creator>{text(self.creator)}</dc:creator>"
                f"<cp:lastModifiedBy>{text(self.last_modified_by)}</cp:lastModifiedBy>"
                f'<dcterms:created xsi:type="dcterms:W3CDTF">{stamp(self.created)}</dcterms:created>'
                f'<dcterms:modified xsi:type="dcterms:W3CDTF">{stamp(self.modified)}</dcterms:modified>'
                "</cp:coreProperties>")

    def _workbook(self) -> str:
        sheets = "".join(f'<sheet name="{attribute(s.title)}" sheetId="{n}" r:id="rId{n}"/>'
                         for n, s in enumerate(self.sheets, start=1))
        names = "".join(
            f'<definedName name="_xlnm.Print_Titles" localSheetId="{n}">'
            f"{text(_quoted(s.title))}!${s.title_rows[0]}:${s.title_rows[1]}</definedName>"
            for n, s in enumerate(self.sheets) if s.title_rows)
        return (f'{_HEAD}<workbook xmlns="{_MAIN}" xmlns:r="{_REL}"><workbookPr/><bookViews>'
                f'<workbookView activeTab="{self.active_index}"/></bookViews><sheets>{sheets}</sheets>'
                + (f"<definedNames>{names}</definedNames>" if names else "")
                + '<calcPr calcId="124519" fullCalcOnLoad="1"/></workbook>')


def _quoted(title: str) -> str:
    """A sheet name as a formula names it: « 'Grille d''analyse' »."""
    return "'" + title.replace("'", "''") + "'"


def _relationships(targets: list[tuple[str, str]]) -> str:
    return (f'{_HEAD}<Relationships xmlns="{_PACKAGE_REL}">'
            + "".join(f'<Relationship Id="rId{n}" Type="{kind}" Target="{target}"/>'
                      for n, (kind, target) in enumerate(targets, start=1))
            + "</Relationships>")
