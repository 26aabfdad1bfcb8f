"""Shared XLSX writing for every workbook of the dossier: guarded cells, a titled table per sheet,
and a print setup (A4, one page wide, header row repeated and frozen, wrapped text, rows as high
as their text, running header and footer, page numbers).

A text cell never becomes a formula: it is stored as text, with a quote prefix when it starts
like one. Formulas are written on purpose with ``formula``.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from datetime import datetime, time
from typing import TYPE_CHECKING, Any

from deployer.documents.xlsx_writer import FONTS, Cell, PageSetup, Sheet, Workbook, column_letter
from deployer.french import fix_typography, visible

if TYPE_CHECKING:
    from deployer.documents.page import PageInfo

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
EUROS_FORMAT = '#,##0 "€"'
FONT = FONTS["plain"][:2]  # Arial 10, metric-compatible with Liberation Sans: the same layout in Excel and LibreOffice
LINE_HEIGHT = 13.0  # points per line of FONT
CHARS_PER_WIDTH = 1.3  # characters of FONT per unit of column width (conservative)


def put(sheet: Sheet, row: int, column: int, value: Any, number_format: str | None = None) -> Cell:
    """Write one cell in the sheet's font; a text never becomes a formula and loses its control
    characters (which XLSX cannot hold)."""
    cell = sheet.cell(row, column)
    if isinstance(value, str):
        value = fix_typography(visible(value))
    _plain(cell, value, number_format or "")
    cell.quote = isinstance(value, str) and value.startswith(FORMULA_START)
    return cell


def _plain(cell: Cell, value: Any, number_format: str, formula: bool = False) -> None:
    """The plain look: the sheet's font, wrapped text aligned at the top, a number format."""
    cell.value, cell.formula = value, formula
    cell.font, cell.wrap, cell.fill, cell.quote = "plain", True, False, False
    cell.number_format = "" if isinstance(value, str) and not formula else number_format


def formula(sheet: Sheet, row: int, column: int, text: str, number_format: str | None = None) -> Cell:
    """Write a formula (our own text, never the user's)."""
    cell = sheet.cell(row, column)
    _plain(cell, text, number_format or "", formula=True)
    return cell


def bold(cell: Cell) -> Cell:
    """Set a cell in bold (a total, a label)."""
    cell.font = "bold"
    return cell


def put_row(sheet: Sheet, row: int, values: Sequence[Any], number_format: str | None = None, column: int = 1) -> None:
    """Write values side by side from ``column``."""
    for offset, value in enumerate(values):
        put(sheet, row, column + offset, value, number_format)


def table(sheet: Sheet, title: Sequence[str], header: Sequence[str], widths: Sequence[float]) -> int:
    """The sheet's title lines (merged across the table, wrapped), a blank row, then the header
    row (bold, shaded, wrapped, frozen, repeated on each printed page). Returns the header row."""
    last = column_letter(len(widths))
    for column, width in enumerate(widths, start=1):
        sheet.widths[column] = width
    for row, text in enumerate(title, start=1):
        put(sheet, row, 1, text)
        sheet.merge_cells(f"A{row}:{last}{row}")
    sheet.cell(1, 1).font = "title"
    row = len(title) + 2
    put_row(sheet, row, header)
    for column in range(1, len(header) + 1):
        cell = sheet.cell(row, column)
        cell.font, cell.fill = "bold", True
    sheet.frozen = (row + 1, 1)
    sheet.title_rows = (row, row)
    return row


def print_setup(sheet: Sheet, page: PageInfo, landscape: bool = True) -> None:
    """A4, one page wide (as many pages high as needed), running header and footer, and every
    row as high as its wrapped text (LibreOffice and Excel do not all recompute it on opening)."""
    sheet.page = PageSetup(landscape=landscape, header=(_escape(page.header), "&A"),  # &A: the sheet's name
                           footer=(_escape(page.version), "Page &P / &N"))
    _fit_rows(sheet)


def _escape(text: str) -> str:
    """Header and footer text: « & » starts a code there."""
    return text.replace("&", "&&")


def _fit_rows(sheet: Sheet) -> None:
    """Each row's height from the longest wrapped text in it (merged titles span the table); a
    formula's text is not shown, so it does not count."""
    widths = [sheet.widths.get(c) or 8.43 for c in range(1, sheet.max_column + 1)]
    merged = {top: sum(widths[left - 1:right]) for top, left, _, right in sheet.merged}
    lines: dict[int, int] = {}
    for (row, column), cell in sheet.cells.items():
        lines.setdefault(row, 1)
        if isinstance(cell.value, str) and cell.value and not cell.formula:
            width = merged[row] if column == 1 and row in merged else widths[column - 1]
            lines[row] = max(lines[row], _lines(cell.value, width, cell.bold))
    for row, count in lines.items():
        first = sheet.cells.get((row, 1))
        size = first.size if first is not None else FONT[1]
        sheet.heights[row] = math.ceil(count * LINE_HEIGHT * size / FONT[1])


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


def workbook_bytes(workbook: Workbook, page: PageInfo) -> bytes:
    """The workbook's properties (title, author = the collectivité, date) and its bytes."""
    workbook.title = page.full_title
    workbook.creator = workbook.last_modified_by = page.author
    workbook.created = workbook.modified = datetime.combine(page.today, time())
    return workbook.to_bytes()
