"""The form as an XLSX workbook (openpyxl): writing it, and reading its values back safely.

Reading goes through openpyxl's streaming (read-only) mode, which parses with defusedxml
when it is installed (a dependency of deployer), after ``workbook_safety`` has checked the
archive. Only the first rows and columns are read; a formula is refused, never evaluated.
"""

from __future__ import annotations

import io
import posixpath
import zipfile
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

from deployer.answers.workbook_layout import (
    ANSWER_COLUMN,
    FIRST_ROW,
    HEADER_ROW,
    HEADERS,
    INSTRUCTIONS,
    LISTS_SHEET,
    TICK,
    WIDTHS,
    Form,
    FormRow,
    FormSheet,
    Grid,
    list_row,
    row_height,
)
from deployer.answers.workbook_safety import FORMULA_REFUSED, refuse, too_many_rows

if TYPE_CHECKING:
    from openpyxl.worksheet.worksheet import Worksheet  # type: ignore[import-untyped,unused-ignore]

MAX_SHEETS = 40
MAX_ROWS = 2000  # a sheet of the form holds a few dozen rows
MAX_COLUMNS = 40

_YELLOW, _GREY, _HEAD = "FFF2CC", "EDEDED", "DDE4EE"


# -- writing ------------------------------------------------------------------------------


def xlsx_bytes(form: Form) -> bytes:
    """The workbook: the sheets of the form, then the hidden, protected « Listes » sheet."""
    from openpyxl import Workbook  # type: ignore[import-untyped,unused-ignore]

    book = Workbook()
    book.remove(book.active)
    for index, sheet in enumerate(form.sheets):
        _fill_sheet(book.create_sheet(sheet.name), sheet, form, form.marker if index == 0 else None)
    lists = book.create_sheet(LISTS_SHEET)
    lists["A1"] = "Listes des réponses possibles (ne pas modifier)"
    for index, choice in enumerate(form.lists):
        row = list_row(index)
        for column, value in enumerate([choice.key, *choice.labels], start=1):
            _set_text(lists.cell(row=row, column=column), value)
        for column, value in enumerate([f"{choice.key}#valeurs", *choice.values], start=1):
            _set_text(lists.cell(row=row + 1, column=column), value)
    lists.sheet_state = "hidden"
    lists.protection.sheet = True
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _fill_sheet(ws: Worksheet, sheet: FormSheet, form: Form, head: str | None) -> None:
    from openpyxl.styles import Alignment, Font, PatternFill  # type: ignore[import-untyped,unused-ignore]
    from openpyxl.utils import get_column_letter  # type: ignore[import-untyped,unused-ignore]

    if head:
        ws["A1"] = head
    ws["B1"] = sheet.title
    ws["B1"].font = Font(bold=True, size=14)
    ws["B2"] = INSTRUCTIONS
    ws["B2"].alignment = Alignment(wrap_text=True, vertical="top")
    ws.merge_cells("B2:F2")
    ws.row_dimensions[2].height = 32
    for column, (title, width) in enumerate(zip(HEADERS, WIDTHS, strict=True), start=1):
        cell = ws.cell(row=HEADER_ROW, column=column, value=title)
        cell.font = Font(bold=True)
        cell.fill = PatternFill("solid", fgColor=_HEAD)
        ws.column_dimensions[get_column_letter(column)].width = width
    for number, row in enumerate(sheet.rows, start=FIRST_ROW):
        _fill_row(ws, number, row)
    _validations(ws, sheet, form)
    _print_setup(ws, sheet.title)


def _fill_row(ws: Worksheet, number: int, row: FormRow) -> None:
    from openpyxl.styles import (  # type: ignore[import-untyped,unused-ignore]
        Alignment,
        Border,
        Font,
        PatternFill,
        Protection,
        Side,
    )

    line = Border(bottom=Side(style="thin", color="BFBFBF"))
    values = (row.key, row.label, row.answer, row.help, row.why, row.when)
    for column, value in enumerate(values, start=1):
        cell = ws.cell(row=number, column=column)
        if value not in (None, ""):
            _set_text(cell, value) if isinstance(value, str) else setattr(cell, "value", value)
        indent = 2 if row.kind == "case" and column == 2 else 0
        cell.alignment = Alignment(wrap_text=True, vertical="top", indent=indent)
        cell.border = line
    ws.row_dimensions[number].height = row_height(row)
    answer = ws[f"{ANSWER_COLUMN}{number}"]
    if row.editable:
        answer.protection = Protection(locked=False)
        answer.fill = PatternFill("solid", fgColor=_YELLOW)
    elif row.kind == "section":
        ws[f"B{number}"].font = Font(bold=True, size=12)
    else:
        answer.fill = PatternFill("solid", fgColor=_GREY)
        answer.font = Font(italic=True)
    if row.kind in ("choix", "multiple", "texte", "entier"):
        ws[f"B{number}"].font = Font(bold=True)


def _set_text(cell: Any, text: str) -> None:
    """A text stays text, even when it starts with « = » (never turned into a formula)."""
    from openpyxl.utils.exceptions import IllegalCharacterError  # type: ignore[import-untyped,unused-ignore]

    from deployer.errors import AnswersError

    try:
        cell.value = text
    except IllegalCharacterError:
        raise AnswersError(f"le texte « {text[:40]} » contient un caractère de contrôle qu'un classeur ne peut "
                           "pas contenir", hint="Retirez-le du fichier de réponses, puis recommencez.") from None
    cell.data_type = "s"


def _validations(ws: Worksheet, sheet: FormSheet, form: Form) -> None:
    from openpyxl.utils import get_column_letter  # type: ignore[import-untyped,unused-ignore]
    from openpyxl.worksheet.datavalidation import DataValidation  # type: ignore[import-untyped,unused-ignore]

    found: dict[tuple[str, str, str], Any] = {}
    for number, row in enumerate(sheet.rows, start=FIRST_ROW):
        if row.kind == "choix" and row.choices is not None:
            last = get_column_letter(1 + len(form.list_at(row.choices).labels))
            rule = ("list", f"'{LISTS_SHEET}'!$B${row.choices}:${last}${row.choices}", "")
        elif row.kind == "case":
            rule = ("list", '"' + ",".join([TICK, *map(str, range(1, (row.high or 1) + 1))]) + '"', "")
        elif row.kind == "entier":
            rule = ("whole", str(row.low if row.low is not None else -(10**9)),
                    str(row.high if row.high is not None else 10**15))
        else:
            continue
        if rule not in found:
            kind, low, high = rule
            found[rule] = DataValidation(
                type=kind, formula1=low, formula2=high or None, operator="between" if kind == "whole" else None,
                allow_blank=True, showErrorMessage=True, errorTitle="Réponse non prévue",
                error=("Nombre entier attendu, dans les limites indiquées." if kind == "whole"
                       else "Choisissez une réponse dans la liste."))
            ws.add_data_validation(found[rule])
        found[rule].add(f"{ANSWER_COLUMN}{number}")


def _print_setup(ws: Worksheet, title: str) -> None:
    ws.column_dimensions["A"].hidden = True
    ws.freeze_panes = f"A{FIRST_ROW}"
    ws.print_title_rows = f"{HEADER_ROW}:{HEADER_ROW}"
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.oddFooter.center.text = "Page &P / &N"
    ws.oddHeader.left.text = title.replace("&", "&&")
    ws.protection.sheet = True
    ws.protection.formatRows = False  # rows may be made taller to read a long answer
    ws.protection.formatColumns = False


# -- reading ------------------------------------------------------------------------------
# Not through openpyxl: its read-only mode scans a whole sheet for its size when the file does not
# state it (14 s for a 100 000-row sheet). The parts are streamed with defusedxml instead, and
# reading stops at the first row past the limit.

_MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_RELS = "{http://schemas.openxmlformats.org/package/2006/relationships}"
_R_ID = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id"
MAX_SHARED_STRINGS = 100_000


def xlsx_grids(archive: zipfile.ZipFile, name: str) -> list[Grid]:
    """The values of every sheet (first rows and columns only); a formula is refused."""
    from deployer.answers.workbook_safety import WorkbookProblem

    try:
        sheets = _sheets(archive)
        if len(sheets) > MAX_SHEETS:
            raise refuse(name, f"trop de feuilles (plus de {MAX_SHEETS}) : ce n'est pas le questionnaire")
        strings = _shared_strings(archive, name)
        return [Grid(title, _sheet_rows(archive, part, title, strings, name)) for title, part in sheets]
    except WorkbookProblem:
        raise
    except Exception as exc:  # noqa: BLE001 - any failure of the parser on untrusted bytes is the file's fault
        raise refuse(name, f"classeur XLSX endommagé ou inattendu ({type(exc).__name__}) : enregistrez-le de "
                           "nouveau depuis Excel ou LibreOffice Calc") from None


def _iterparse(archive: zipfile.ZipFile, part: str) -> Iterator[tuple[str, Any]]:
    from defusedxml.ElementTree import iterparse

    with archive.open(part) as stream:
        yield from iterparse(stream, events=("end",), forbid_dtd=True)


def _sheets(archive: zipfile.ZipFile) -> list[tuple[str, str]]:
    """(title, part) of every sheet, in the workbook's order."""
    targets = {}
    for _, element in _iterparse(archive, "xl/_rels/workbook.xml.rels"):
        if element.tag == f"{_RELS}Relationship":
            target = element.get("Target", "")
            targets[element.get("Id")] = posixpath.normpath(target[1:] if target.startswith("/") else f"xl/{target}")
    return [(element.get("name", "?"), targets.get(element.get(_R_ID), ""))
            for _, element in _iterparse(archive, "xl/workbook.xml") if element.tag == f"{_MAIN}sheet"]


def _shared_strings(archive: zipfile.ZipFile, name: str) -> list[str]:
    if "xl/sharedStrings.xml" not in archive.namelist():
        return []
    strings: list[str] = []
    for _, element in _iterparse(archive, "xl/sharedStrings.xml"):
        if element.tag == f"{_MAIN}si":
            strings.append(_inline_text(element))
            element.clear()
            if len(strings) > MAX_SHARED_STRINGS:
                raise refuse(name, "trop de textes dans le classeur : ce n'est pas le questionnaire")
    return strings


def _inline_text(element: Any) -> str:
    """The text of a string item: its ``t`` elements, without phonetic runs (``rPh``)."""
    parts = [child.text or "" for child in element.iter(f"{_MAIN}t")]
    phonetic = [t.text or "" for run in element.iter(f"{_MAIN}rPh") for t in run.iter(f"{_MAIN}t")]
    return "".join(parts[: len(parts) - len(phonetic)] if phonetic else parts)


def _sheet_rows(archive: zipfile.ZipFile, part: str, title: str, strings: list[str],
                name: str) -> dict[int, tuple[Any, ...]]:
    rows: dict[int, tuple[Any, ...]] = {}
    if part not in archive.namelist():
        return rows
    number = 0
    for _, element in _iterparse(archive, part):
        if element.tag != f"{_MAIN}row":
            continue
        given = element.get("r", "")
        number = int(given) if given.isdigit() and len(given) < 8 else number + 1
        values = _row_values(element, number, title, strings, name)
        element.clear()
        if any(v is not None for v in values):
            if number > MAX_ROWS:
                raise too_many_rows(name, title, MAX_ROWS)
            rows[number] = tuple(values)
    return rows


def _row_values(row: Any, number: int, title: str, strings: list[str], name: str) -> list[Any]:
    values: list[Any] = [None] * MAX_COLUMNS
    position = 0
    for cell in row.iter(f"{_MAIN}c"):
        reference = cell.get("r", "")
        position = _column_index(reference) if reference else position + 1
        if cell.find(f"{_MAIN}f") is not None:
            raise refuse(name, FORMULA_REFUSED, f"feuille « {title} », cellule {reference or position}")
        if 1 <= position <= MAX_COLUMNS:
            values[position - 1] = _cell_value(cell, strings)
    return values


def _column_index(reference: str) -> int:
    index = 0
    for letter in reference:
        if not "A" <= letter <= "Z":
            break
        index = index * 26 + ord(letter) - 64
    return index if index < 100_000 else 0


def _cell_value(cell: Any, strings: list[str]) -> Any:
    kind = cell.get("t", "n")
    if kind == "inlineStr":
        found = cell.find(f"{_MAIN}is")
        return _inline_text(found) if found is not None else None
    text = cell.findtext(f"{_MAIN}v")
    if text is None:
        return None
    if kind == "s":
        index = int(text) if text.strip().isdigit() else -1
        return strings[index] if 0 <= index < len(strings) else None
    if kind == "b":
        return text.strip() == "1"
    if kind == "n":
        number = float(text)
        return int(number) if number.is_integer() and abs(number) < 1e15 else number
    return text  # « str », « e » (an error such as #N/A), « d » (an ISO date)
