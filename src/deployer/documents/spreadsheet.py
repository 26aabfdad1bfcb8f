"""Shared XLSX writing for every workbook of the dossier: guarded cells, a titled table per sheet,
and a print setup (A4, one page wide, header row repeated and frozen, wrapped text, rows as high
as their text, running header and footer, page numbers).

A text cell never becomes a formula: it is stored as text, with a quote prefix when it starts
like one. Formulas are written on purpose with ``formula``.
"""

from __future__ import annotations

import io
import math
import weakref
from collections.abc import Sequence
from datetime import datetime, time
from functools import cache
from typing import TYPE_CHECKING, Any

from deployer.french import fix_typography, visible

if TYPE_CHECKING:
    from deployer.documents.page import PageInfo

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
EUROS_FORMAT = '#,##0 "€"'
FONT = ("Arial", 10)  # metric-compatible with Liberation Sans: the same layout in Excel and LibreOffice
LINE_HEIGHT = 13.0  # points per line of FONT
CHARS_PER_WIDTH = 1.3  # characters of FONT per unit of column width (conservative)


@cache
def _styles() -> dict[str, Any]:
    from openpyxl.styles import Alignment, Font, PatternFill  # type: ignore[import-untyped,unused-ignore]

    name, size = FONT
    return {
        "font": Font(name=name, size=size), "bold": Font(name=name, size=size, bold=True),
        "title": Font(name=name, size=size + 3, bold=True), "wrap": Alignment(wrap_text=True, vertical="top"),
        "fill": PatternFill("solid", fgColor="DDE4EE"),
    }


def put(sheet: Any, row: int, column: int, value: Any, number_format: str | None = None) -> Any:
    """Write one cell in the sheet's font; a text never becomes a formula and loses its control
    characters (which XLSX cannot hold)."""
    cell = sheet.cell(row=row, column=column)
    if isinstance(value, str):
        value = fix_typography(visible(value))
    cell.value = value
    if isinstance(value, str):
        cell.data_type = "s"
        _style(cell, "", value.startswith(FORMULA_START))
    else:
        _style(cell, number_format or "", False)
    return cell


_PLAIN: weakref.WeakKeyDictionary[Any, dict[tuple[str, bool], Any]] = weakref.WeakKeyDictionary()


def _style(cell: Any, number_format: str, quote: bool) -> None:
    """The plain style (font, wrapped top alignment, number format, quote prefix), built once per
    workbook and copied to each cell: openpyxl hashes a style object on every assignment."""
    from copy import copy

    known = _PLAIN.setdefault(cell.parent.parent, {})
    style = known.get((number_format, quote))
    if style is not None:
        cell._style = copy(style)
        return
    cell.font, cell.alignment = _styles()["font"], _styles()["wrap"]
    if number_format:
        cell.number_format = number_format
    cell.quotePrefix = quote
    known[(number_format, quote)] = copy(cell._style)


def formula(sheet: Any, row: int, column: int, text: str, number_format: str | None = None) -> Any:
    """Write a formula (our own text, never the user's)."""
    cell = sheet.cell(row=row, column=column)
    cell.value = text
    _style(cell, number_format or "", False)
    return cell


def bold(cell: Any) -> Any:
    """Set a cell in bold (a total, a label)."""
    cell.font = _styles()["bold"]
    return cell


def put_row(sheet: Any, row: int, values: Sequence[Any], number_format: str | None = None, column: int = 1) -> None:
    """Write values side by side from ``column``."""
    for offset, value in enumerate(values):
        put(sheet, row, column + offset, value, number_format)


def table(sheet: Any, title: Sequence[str], header: Sequence[str], widths: Sequence[float]) -> int:
    """The sheet's title lines (merged across the table, wrapped), a blank row, then the header
    row (bold, shaded, wrapped, frozen, repeated on each printed page). Returns the header row."""
    from openpyxl.utils import get_column_letter  # type: ignore[import-untyped,unused-ignore]

    last = get_column_letter(len(widths))
    for column, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(column)].width = width
    for row, text in enumerate(title, start=1):
        put(sheet, row, 1, text)
        sheet.merge_cells(f"A{row}:{last}{row}")
    sheet.cell(row=1, column=1).font = _styles()["title"]
    row = len(title) + 2
    put_row(sheet, row, header)
    for column in range(1, len(header) + 1):
        cell = sheet.cell(row=row, column=column)
        cell.font, cell.fill = _styles()["bold"], _styles()["fill"]
    sheet.freeze_panes = sheet.cell(row=row + 1, column=1)
    sheet.print_title_rows = f"{row}:{row}"
    return row


def print_setup(sheet: Any, page: PageInfo, landscape: bool = True) -> None:
    """A4, one page wide (as many pages high as needed), running header and footer, and every
    row as high as its wrapped text (LibreOffice and Excel do not all recompute it on opening)."""
    from openpyxl.worksheet.page import PageMargins  # type: ignore[import-untyped,unused-ignore]

    setup = sheet.page_setup
    setup.paperSize = sheet.PAPERSIZE_A4
    setup.orientation = "landscape" if landscape else "portrait"
    setup.fitToWidth, setup.fitToHeight = 1, 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    sheet.page_margins = PageMargins(left=0.5, right=0.5, top=0.75, bottom=0.75, header=0.3, footer=0.3)
    sheet.oddHeader.left.text = _escape(page.header)
    sheet.oddHeader.right.text = "&A"  # the sheet's name
    sheet.oddFooter.left.text = _escape(page.version)
    sheet.oddFooter.right.text = "Page &P / &N"
    for part in (sheet.oddHeader.left, sheet.oddHeader.right, sheet.oddFooter.left, sheet.oddFooter.right):
        part.size = 8
    _fit_rows(sheet)


def _escape(text: str) -> str:
    """Header and footer text: « & » starts a code there."""
    return text.replace("&", "&&")


def _fit_rows(sheet: Any) -> None:
    """Each row's height from the longest wrapped text in it (merged titles span the table); only
    the cells written are read (iterating rows would create the empty ones)."""
    from openpyxl.utils import get_column_letter  # type: ignore[import-untyped,unused-ignore]

    widths = [sheet.column_dimensions[get_column_letter(c)].width or 8.43 for c in range(1, sheet.max_column + 1)]
    merged = {r.min_row: sum(widths[r.min_col - 1:r.max_col]) for r in sheet.merged_cells.ranges}
    lines: dict[int, int] = {}
    for (row, column), cell in sheet._cells.items():
        lines.setdefault(row, 1)
        if isinstance(cell.value, str) and cell.value:
            width = merged[row] if column == 1 and row in merged else widths[column - 1]
            lines[row] = max(lines[row], _lines(cell.value, width, bool(cell.font.b)))
    for row, count in lines.items():
        first = sheet._cells.get((row, 1))
        size = first.font.sz if first is not None and first.font.sz else FONT[1]
        sheet.row_dimensions[row].height = math.ceil(count * LINE_HEIGHT * size / FONT[1])


def _lines(text: str, width: float, bold: bool) -> int:
    """How many lines a text takes in a column this wide (word wrap, conservative)."""
    per_line = max(1, int(width * CHARS_PER_WIDTH * (0.9 if bold else 1.0)))
    total = 0
    for paragraph in text.split("\n"):
        count, used = 1, 0
        for word in paragraph.split():
            if used and used + 1 + len(word) <= per_line:
                used += 1 + len(word)
                continue
            count += 1 if used else 0  # the word starts a new line
            count += (len(word) - 1) // per_line  # a word longer than a line spills over
            used = (len(word) - 1) % per_line + 1
        total += count
    return total


def workbook_bytes(workbook: Any, page: PageInfo) -> bytes:
    """The workbook's properties (title, author = the collectivité, date) and its bytes."""
    stamp = datetime.combine(page.today, time())
    workbook.properties.title = page.full_title
    workbook.properties.creator = page.author
    workbook.properties.lastModifiedBy = page.author
    workbook.properties.created = workbook.properties.modified = stamp
    buffer = io.BytesIO()
    _save(workbook, buffer)
    return buffer.getvalue()


def _save(workbook: Any, buffer: io.BytesIO) -> None:
    """``workbook.save(buffer)``, each sheet written in memory: openpyxl writes each one to a
    temporary file first, which costs more than the rest of a small workbook."""
    from zipfile import ZIP_DEFLATED, ZipFile

    from openpyxl.drawing.spreadsheet_drawing import SpreadsheetDrawing  # type: ignore[import-untyped,unused-ignore]
    from openpyxl.worksheet._writer import WorksheetWriter  # type: ignore[import-untyped,unused-ignore]
    from openpyxl.writer.excel import ExcelWriter  # type: ignore[import-untyped,unused-ignore]

    class InMemory(ExcelWriter):  # type: ignore[misc]
        def write_worksheet(self, ws: Any) -> None:  # as ExcelWriter's, without the temporary file
            ws._drawing = SpreadsheetDrawing()
            ws._drawing.charts = ws._charts
            ws._drawing.images = ws._images
            writer = WorksheetWriter(ws, out=io.BytesIO())
            writer.write()
            ws._rels = writer._rels
            self._archive.writestr(ws.path[1:], writer.read())
            self.manifest.append(ws)

    with ZipFile(buffer, "w", ZIP_DEFLATED, allowZip64=True) as archive:
        InMemory(workbook, archive).save()
