"""The dossier's own XLSX writer: what it writes reads back in openpyxl as it was meant."""

from __future__ import annotations

import io
import zipfile
from datetime import date

from openpyxl import load_workbook

from deployer.documents.page import PageInfo
from deployer.documents.spreadsheet import formula, print_setup, put, table, workbook_bytes
from deployer.documents.xlsx_writer import Workbook, column_letter, parse_range

PAGE = PageInfo("Essai", "Ville d'Essai & Co", date(2026, 12, 5))


def _workbook() -> Workbook:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Feuille d'essai"
    start = table(sheet, ["Titre <essai> & co"], ["A", "B"], [20, 30])
    put(sheet, start + 1, 1, "=HYPERLINK(\"http://x\")")
    put(sheet, start + 1, 2, "  espaces\x00 gardés, NUL retiré\ud800 ")
    put(sheet, start + 2, 1, 1234.5, "0.00")
    formula(sheet, start + 2, 2, "=A6*2")
    print_setup(sheet, PAGE)
    return workbook


def test_text_numbers_and_formulas_read_back() -> None:
    book = load_workbook(io.BytesIO(workbook_bytes(_workbook(), PAGE)))
    sheet = book["Feuille d'essai"]
    assert sheet["A1"].value == "Titre <essai> & co" and sheet["A1"].font.b and sheet["A1"].font.sz == 13
    assert sheet["A3"].fill.fgColor.rgb.endswith("DDE4EE") and sheet["A3"].font.b
    text = sheet["A4"]
    assert text.value == "=HYPERLINK(\"http://x\")" and text.data_type == "s" and text.quotePrefix
    assert sheet["B4"].value == "  espaces gardés, NUL retiré "
    assert sheet["A5"].value == 1234.5 and sheet["A5"].number_format == "0.00"
    assert sheet["B5"].value == "=A6*2" and sheet["B5"].data_type == "f"
    assert sheet.print_title_rows == "$3:$3" and sheet.freeze_panes == "A4"
    assert sheet.oddHeader.left.text == "Essai — Ville d'Essai && Co" and sheet.oddFooter.right.text == "Page &P / &N"
    assert book.properties.creator == "Ville d'Essai & Co" and book.properties.created.date() == PAGE.today


def test_the_same_workbook_gives_the_same_bytes_dated_from_the_page() -> None:
    first, second = workbook_bytes(_workbook(), PAGE), workbook_bytes(_workbook(), PAGE)
    assert first == second
    with zipfile.ZipFile(io.BytesIO(first)) as archive:
        assert archive.testzip() is None
        assert {info.date_time for info in archive.infolist()} == {(2026, 12, 5, 0, 0, 0)}
        assert b'fullCalcOnLoad="1"' in archive.read("xl/workbook.xml")


def test_cell_references() -> None:
    assert [column_letter(n) for n in (1, 26, 27, 52, 703)] == ["A", "Z", "AA", "AZ", "AAA"]
    assert parse_range("A1:I1") == (1, 1, 1, 9) and parse_range("$AA$10") == (10, 27, 10, 27)
