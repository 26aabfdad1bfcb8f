"""Workbooks for the tests: the form filled as a person would (labels, ticks), and hostile files."""

from __future__ import annotations

import io
import re
import zipfile
from typing import Any

from deployer.answers.answers_file import Answers
from deployer.answers.workbook import workbook_bytes
from deployer.schema.content import Content
from deployer.schema.models import UNKNOWN, UNKNOWN_LABEL, Question


def template(content: Content, kind: str) -> bytes:
    return workbook_bytes(content, Answers(profile={}, content_version=content.version), kind)  # type: ignore[arg-type]


def typed_cells(content: Content, answers: Answers) -> dict[str, Any]:
    """What a person types in each answer cell (by the row's hidden identifier) to give these answers."""
    cells: dict[str, Any] = {}
    for question in content.profile.questions:
        _type(cells, f"profil.{question.id}", question, answers.profile.get(question.id))
    for module in content.answerable_modules:
        for question in module.walk_questions:
            _type(cells, f"reponses.{module.id}.{question.id}", question, answers.get(module.id, question.id))
    if answers.group:
        cells["groupe"] = answers.group
    return cells


def _type(cells: dict[str, Any], key: str, question: Question, value: Any) -> None:
    if value is None:
        return
    if question.type == "multiple":
        for chosen in value if isinstance(value, list) else [value]:
            cells[f"{key}={chosen}"] = "x"
    elif question.type == "choix":
        option = question.option(value)
        cells[key] = " ".join(option.label.split()) if option else UNKNOWN_LABEL if value == UNKNOWN else value
    else:
        cells[key] = value


def fill_xlsx(raw: bytes, cells: dict[str, Any]) -> bytes:
    """The workbook with these answer cells (column C) filled with openpyxl, found by column A."""
    from openpyxl import load_workbook

    book = load_workbook(io.BytesIO(raw))
    for sheet in book.worksheets:
        for row in sheet.iter_rows(min_col=1, max_col=3):
            if row[0].value in cells:
                row[2].value = cells[row[0].value]
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def fill_ods(raw: bytes, cells: dict[str, Any]) -> bytes:
    """The ODS workbook with these answer cells filled with odfdo, found by column A."""
    from odfdo import Document

    document = Document(io.BytesIO(raw))
    for table in document.body.get_tables():
        for number, row in enumerate(table.get_rows()):
            key = row.get_cell(0).value
            if key in cells:
                cell = row.get_cell(2)
                cell.set_value(cells[key])
                row.set_cell(2, cell)
                table.set_row(number, row)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def replace_member(raw: bytes, member: str, data: bytes) -> bytes:
    """The same archive with one member's bytes replaced (the others copied as they are)."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(raw)) as source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            body = data if info.filename == member else source.read(info)
            kind = zipfile.ZIP_STORED if info.filename == "mimetype" else zipfile.ZIP_DEFLATED
            target.writestr(info.filename, body, compress_type=kind)
    return out.getvalue()


def member(raw: bytes, name: str) -> bytes:
    with zipfile.ZipFile(io.BytesIO(raw)) as archive:
        return archive.read(name)


# -- hostile workbooks --------------------------------------------------------------------

ENTITY_BOMB = (b'<?xml version="1.0"?>\n<!DOCTYPE lolz [<!ENTITY lol "lol">'
               + b"".join(b'<!ENTITY lol%d "%s">' % (i, (b"&lol%d;" % (i - 1) if i > 1 else b"&lol;") * 10)
                          for i in range(1, 10))
               + b"]>\n")


def formula_xlsx(content: Content) -> bytes:
    from openpyxl import load_workbook

    book = load_workbook(io.BytesIO(template(content, "xlsx")))
    book.worksheets[0]["C4"] = '=HYPERLINK("https://example.org/","Cliquez ici")'
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def formula_ods(content: Content) -> bytes:
    raw = template(content, "ods")
    xml = member(raw, "content.xml").decode()
    xml = xml.replace('table:style-name="ceAnswer"', 'table:style-name="ceAnswer" '
                      'table:formula="of:=HYPERLINK(&quot;https://example.org/&quot;)"', 1)
    return replace_member(raw, "content.xml", xml.encode())


def many_rows_xlsx(content: Content, rows: int = 100_000) -> bytes:
    raw = template(content, "xlsx")
    head = b'<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/' \
           b'spreadsheetml/2006/main"><sheetData>'
    body = b"".join(b'<row r="%d"><c r="A%d" t="inlineStr"><is><t>profil.nom</t></is></c></row>' % (n, n)
                    for n in range(1, rows + 1))
    return replace_member(raw, "xl/worksheets/sheet1.xml", head + body + b"</sheetData></worksheet>")


def many_rows_ods(content: Content, rows: int = 100_000) -> bytes:
    raw = template(content, "ods")
    xml = member(raw, "content.xml")
    row = b'<table:table-row><table:table-cell office:value-type="string"><text:p>x</text:p></table:table-cell>' \
          b"</table:table-row>"
    start = xml.index(b"<table:table-header-rows>")
    return replace_member(raw, "content.xml", xml[:start] + row * rows + xml[start:])


def entity_bomb_xlsx(content: Content) -> bytes:
    raw = template(content, "xlsx")
    sheet = member(raw, "xl/worksheets/sheet1.xml")
    body = sheet[sheet.index(b"?>") + 2:] if sheet.startswith(b"<?xml") else sheet
    body = body.replace(b"<sheetData>", b"<sheetData><row r=\"1\"><c r=\"A1\" t=\"inlineStr\"><is><t>&lol9;</t></is>"
                        b"</c></row>", 1)
    return replace_member(raw, "xl/worksheets/sheet1.xml", ENTITY_BOMB + body)


def entity_bomb_ods(content: Content) -> bytes:
    raw = template(content, "ods")
    xml = member(raw, "content.xml")
    body = xml[xml.index(b"?>") + 2:] if xml.startswith(b"<?xml") else xml
    body = re.sub(rb"<text:p>Profil de la collectivit\xc3\xa9</text:p>", b"<text:p>&lol9;</text:p>", body, count=1)
    return replace_member(raw, "content.xml", ENTITY_BOMB.replace(b"lolz", b"office:document-content") + body)


def zip_bomb(megabytes: int = 100) -> bytes:
    """An archive that looks like an XLSX and whose sheet inflates to ``megabytes`` of zeros."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/workbook.xml", "<workbook/>")
        with archive.open("xl/worksheets/sheet1.xml", "w") as sheet:
            chunk = b"\x00" * 1_000_000
            for _ in range(megabytes):
                sheet.write(chunk)
    return out.getvalue()


RENAMED_BINARY = b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4
OLD_XLS = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 1000


def hostile_workbooks(content: Content) -> dict[str, tuple[str, bytes]]:
    """name → (suffix, bytes) of every hostile workbook the readers must refuse."""
    return {
        "formule HYPERLINK (xlsx)": (".xlsx", formula_xlsx(content)),
        "formule HYPERLINK (ods)": (".ods", formula_ods(content)),
        "100 000 lignes (xlsx)": (".xlsx", many_rows_xlsx(content)),
        "100 000 lignes (ods)": (".ods", many_rows_ods(content)),
        "bombe zip": (".xlsx", zip_bomb()),
        "bombe XML (xlsx)": (".xlsx", entity_bomb_xlsx(content)),
        "bombe XML (ods)": (".ods", entity_bomb_ods(content)),
        "binaire renommé": (".xlsx", RENAMED_BINARY),
        "ancien .xls": (".xlsx", OLD_XLS),
        "vide": (".ods", b""),
    }
