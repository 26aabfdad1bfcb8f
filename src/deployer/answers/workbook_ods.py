"""The form as an ODS workbook: written with odfdo, read back with a hardened streaming parser.

odfdo builds the package (manifest, styles, meta); the sheets themselves, their validations
and their protection are plain ODF markup, the same LibreOffice writes. Reading does not go
through odfdo (it parses with lxml, without entity protection, and loads the whole document):
``content.xml`` is streamed with defusedxml, row by row, so a 100 000-row sheet or an entity
bomb costs no more than the checked size of the archive.
"""

from __future__ import annotations

import io
import re
import zipfile
from typing import Any, cast
from xml.sax.saxutils import escape, quoteattr

from deployer.answers.workbook_layout import (
    ANSWER_COLUMN,
    FIRST_ROW,
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
from deployer.answers.workbook_xlsx import MAX_COLUMNS, MAX_ROWS, MAX_SHEETS

_NS = {
    "table": "urn:oasis:names:tc:opendocument:xmlns:table:1.0",
    "office": "urn:oasis:names:tc:opendocument:xmlns:office:1.0",
    "text": "urn:oasis:names:tc:opendocument:xmlns:text:1.0",
}
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
_ROW_STYLE = re.compile(r'table:style-name="ro(\d+)"')
_NAME = re.compile(r'table:name="(val\d+)"')
_CELL = ' style:family="table-cell" style:parent-style-name="Default"'
_WRAP = ('<style:table-cell-properties fo:wrap-option="wrap" style:vertical-align="top" '
         'fo:border-bottom="0.5pt solid #bfbfbf" fo:padding="0.05cm"')
_AUTOMATIC_STYLES = (
    '<style:style style:name="taForm" style:family="table" style:master-page-name="Questionnaire">'
    '<style:table-properties table:display="true"/></style:style>'
    '<style:style style:name="taHidden" style:family="table"><style:table-properties table:display="false"/>'
    "</style:style>"
    + "".join(f'<style:style style:name="formCol{i}" style:family="table-column"><style:table-column-properties '
              f'style:column-width="{w * 0.2:.2f}cm"/></style:style>' for i, w in enumerate(WIDTHS))
    + f'<style:style style:name="ceTitle"{_CELL}><style:text-properties fo:font-size="14pt" fo:font-weight="bold"/>'
    "</style:style>"
    f'<style:style style:name="ceText"{_CELL}>{_WRAP}/></style:style>'
    f'<style:style style:name="ceBold"{_CELL}>{_WRAP}/><style:text-properties fo:font-weight="bold"/></style:style>'
    f'<style:style style:name="ceHead"{_CELL}>{_WRAP} fo:background-color="#dde4ee"/>'
    '<style:text-properties fo:font-weight="bold"/></style:style>'
    f'<style:style style:name="ceAnswer"{_CELL}>{_WRAP} fo:background-color="#fff2cc" style:cell-protect="none"/>'
    "</style:style>"
    f'<style:style style:name="ceLocked"{_CELL}>{_WRAP} fo:background-color="#ededed"/>'
    '<style:text-properties fo:font-style="italic"/></style:style>'
    f'<style:style style:name="ceSection"{_CELL}><style:text-properties fo:font-size="12pt" fo:font-weight="bold"/>'
    "</style:style>"
)
_HEADER_FOOTER = '<style:header-footer-properties fo:min-height="0.6cm" fo:margin-{side}="0.25cm"/>'
_PAGE_LAYOUT = (
    '<style:page-layout style:name="pmA4"><style:page-layout-properties fo:page-width="29.7cm" '
    'fo:page-height="21cm" style:print-orientation="landscape" fo:margin-top="1cm" fo:margin-bottom="1cm" '
    'fo:margin-left="1.5cm" fo:margin-right="1.5cm" style:scale-to-X="1" style:print-page-order="ttb"/>'
    f'<style:header-style>{_HEADER_FOOTER.format(side="bottom")}</style:header-style>'
    f'<style:footer-style>{_HEADER_FOOTER.format(side="top")}</style:footer-style>'
    "</style:page-layout>"
)
_MASTER_PAGE = (
    '<style:master-page style:name="Questionnaire" style:page-layout-name="pmA4">'
    "<style:header><text:p><text:sheet-name>???</text:sheet-name></text:p></style:header>"
    "<style:footer><text:p>Page <text:page-number>1</text:page-number> / <text:page-count>1</text:page-count>"
    "</text:p></style:footer></style:master-page>"
)


# -- writing ------------------------------------------------------------------------------


def ods_bytes(form: Form) -> bytes:
    """The ODS workbook: the sheets of the form, then the hidden, protected « Listes » sheet."""
    from odfdo import Document, Element, XmlPart

    document = Document("spreadsheet")
    document.body.clear()
    content = cast("XmlPart", document.get_part("content"))
    cast("Element", content.get_element("//office:automatic-styles")).append(Element.from_tag(
        f"<office:automatic-styles>{_AUTOMATIC_STYLES}</office:automatic-styles>"))
    styles = cast("XmlPart", document.get_part("styles"))
    cast("Element", styles.get_element("//office:automatic-styles")).append(Element.from_tag(_PAGE_LAYOUT))
    cast("Element", styles.get_element("//office:master-styles")).append(Element.from_tag(_MASTER_PAGE))
    validations: dict[str, str] = {}
    tables = [_table(sheet, form, validations, form.marker if index == 0 else None)
              for index, sheet in enumerate(form.sheets)]
    tables.append(_lists_table(form))
    heights = sorted({int(h) for h in _ROW_STYLE.findall("".join(tables))})
    row_styles = "".join(f'<style:style style:name="ro{h}" style:family="table-row"><style:table-row-properties '
                         f'style:row-height="{h / 10:.1f}pt" style:use-optimal-row-height="false"/></style:style>'
                         for h in heights)
    cast("Element", content.get_element("//office:automatic-styles")).append(Element.from_tag(
        f"<office:automatic-styles>{row_styles}</office:automatic-styles>"))
    body = "".join(validations.values())
    document.body.append(Element.from_tag(f"<table:content-validations>{body}</table:content-validations>"))
    for table in tables:
        document.body.append(Element.from_tag(table))
    _flatten_automatic_styles(content)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def _flatten_automatic_styles(content: Any) -> None:
    """Our styles were appended wrapped in a second ``office:automatic-styles``: unwrap them."""
    outer = content.get_element("//office:automatic-styles")
    for inner in outer.get_elements("office:automatic-styles"):
        for child in inner.children:
            outer.append(child)
        outer.delete(inner)


def _table(sheet: FormSheet, form: Form, validations: dict[str, str], head: str | None) -> str:
    name = quoteattr(sheet.name)
    rows = [
        _row([_cell(head or "", "ceText"), _cell(sheet.title, "ceTitle")], 20),
        _row([_cell("", "ceText"), _cell(INSTRUCTIONS, "ceText", span=5)], 32),
        "<table:table-header-rows>" + _row([_cell(h, "ceHead") for h in HEADERS], 16) + "</table:table-header-rows>",
    ]
    for number, row in enumerate(sheet.rows, start=FIRST_ROW):
        rows.append(_form_row(sheet.name, number, row, form, validations))
    hidden = ' table:visibility="collapse"'
    columns = "".join(f'<table:table-column table:style-name="formCol{i}"{hidden if i == 0 else ""}/>'
                      for i in range(len(WIDTHS)))
    return (f'<table:table table:name={name} table:style-name="taForm" table:protected="true">'
            f"{columns}{''.join(rows)}</table:table>")


def _form_row(sheet: str, number: int, row: FormRow, form: Form, validations: dict[str, str]) -> str:
    label_style = "ceBold" if row.kind in ("choix", "multiple", "texte", "entier") else (
        "ceSection" if row.kind == "section" else "ceText")
    answer_style = "ceAnswer" if row.editable else "ceText" if row.kind == "section" else "ceLocked"
    condition = _validation(row, form)
    if condition and condition not in validations:
        validations[condition] = _validation_xml(f"val{len(validations) + 1}", condition, sheet, number)
    name = _NAME.search(validations[condition]).group(1) if condition else None  # type: ignore[union-attr]
    cells = [_cell(row.key, "ceText"), _cell(row.label, label_style),
             _cell(row.answer, answer_style, validation=name),
             _cell(row.help, "ceText"), _cell(row.why, "ceText"), _cell(row.when, "ceText")]
    return _row(cells, row_height(row))


def _validation(row: FormRow, form: Form) -> str:
    if row.kind == "choix" and row.choices is not None:
        last = _column_letter(1 + len(form.list_at(row.choices).labels))
        return f"of:cell-content-is-in-list([$Listes.$B${row.choices}:.${last}${row.choices}])"
    if row.kind == "case":
        marks = ";".join(f'"{mark}"' for mark in [TICK, *map(str, range(1, (row.high or 1) + 1))])
        return f"of:cell-content-is-in-list({marks})"
    if row.kind == "entier":
        low = row.low if row.low is not None else -(10**9)
        high = row.high if row.high is not None else 10**15
        return f"of:cell-content-is-whole-number() and cell-content-is-between({low},{high})"
    return ""


def _validation_xml(name: str, condition: str, sheet: str, number: int) -> str:
    message = ("Nombre entier attendu, dans les limites indiquées." if "whole" in condition
               else "Choisissez une réponse dans la liste.")
    base = quoteattr(f"'{sheet}'.{ANSWER_COLUMN}{number}")
    listed = ' table:display-list="unsorted"' if "in-list" in condition else ""
    return (f'<table:content-validation table:name="{name}" table:condition={quoteattr(condition)} '
            f'table:allow-empty-cell="true"{listed} table:base-cell-address={base}>'
            '<table:error-message table:message-type="stop" table:title="Réponse non prévue" table:display="true">'
            f"<text:p>{escape(message)}</text:p></table:error-message></table:content-validation>")


def _column_letter(index: int) -> str:
    letters = ""
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def _lists_table(form: Form) -> str:
    rows = [_row([_cell("Listes des réponses possibles (ne pas modifier)", "ceText")], 14)]
    for index, choice in enumerate(form.lists):
        if list_row(index) > len(rows) + 1:
            rows.append(_row([], 14))
        rows.append(_row([_cell(v, "ceText") for v in [choice.key, *choice.labels]], 14))
        rows.append(_row([_cell(v, "ceText") for v in [f"{choice.key}#valeurs", *choice.values]], 14))
    return (f'<table:table table:name="{LISTS_SHEET}" table:style-name="taHidden" table:protected="true">'
            f'<table:table-column table:style-name="formCol1"/>{"".join(rows)}</table:table>')


def _row(cells: list[str], height: float) -> str:
    return (f'<table:table-row table:style-name="{_row_style(height)}">'
            f"{''.join(cells) or '<table:table-cell/>'}</table:table-row>")


def _row_style(height: float) -> str:
    return f"ro{int(round(height * 10))}"


def _cell(value: Any, style: str, span: int = 1, validation: str | None = None) -> str:
    attributes = f' table:style-name="{style}"'
    if span > 1:
        attributes += f' table:number-columns-spanned="{span}" table:number-rows-spanned="1"'
    if validation:
        attributes += f' table:content-validation-name="{validation}"'
    if value is None or value == "":
        return f"<table:table-cell{attributes}/>" + "<table:covered-table-cell/>" * (span - 1)
    if isinstance(value, int) and not isinstance(value, bool):
        return (f'<table:table-cell{attributes} office:value-type="float" office:value="{value}">'
                f"<text:p>{value}</text:p></table:table-cell>")
    text = str(value)
    if _CONTROL.search(text):
        from deployer.errors import AnswersError

        raise AnswersError(f"le texte « {text[:40]} » contient un caractère de contrôle qu'un classeur ne peut "
                           "pas contenir", hint="Retirez-le du fichier de réponses, puis recommencez.")
    paragraphs = "".join(f"<text:p>{_encode_spaces(line)}</text:p>" for line in text.split("\n"))
    return (f'<table:table-cell{attributes} office:value-type="string">{paragraphs}</table:table-cell>'
            + "<table:covered-table-cell/>" * (span - 1))


def _encode_spaces(line: str) -> str:
    """ODF collapses runs of spaces: every space after a space (or at an edge) is written as ``text:s``."""
    out: list[str] = []
    for index, part in enumerate(re.split(r"( {2,}|^ | $|\t)", line)):
        if index % 2 == 0:
            out.append(escape(part))
        elif part == "\t":
            out.append("<text:tab/>")
        else:
            out.append(f'<text:s text:c="{len(part)}"/>')
    return "".join(out)


# -- reading ------------------------------------------------------------------------------


def _tag(namespace: str, name: str) -> str:
    return f"{{{_NS[namespace]}}}{name}"


_TABLE, _ROW = _tag("table", "table"), _tag("table", "table-row")
_CELLS = (_tag("table", "table-cell"), _tag("table", "covered-table-cell"))
_ROWS_REPEATED, _COLUMNS_REPEATED = _tag("table", "number-rows-repeated"), _tag("table", "number-columns-repeated")
_FORMULA, _VALUE_TYPE = _tag("table", "formula"), _tag("office", "value-type")
_P, _S, _TAB, _BREAK = _tag("text", "p"), _tag("text", "s"), _tag("text", "tab"), _tag("text", "line-break")


def ods_grids(archive: zipfile.ZipFile, name: str) -> list[Grid]:
    """The values of every sheet of ``content.xml``, streamed with defusedxml; a formula is refused."""
    from defusedxml.ElementTree import iterparse

    from deployer.answers.workbook_safety import WorkbookProblem

    grids: list[Grid] = []
    sheet, number = "", 0
    rows: dict[int, tuple[Any, ...]] = {}
    try:
        with archive.open("content.xml") as stream:
            for event, element in iterparse(stream, events=("start", "end"), forbid_dtd=True):
                if event == "start" and element.tag == _TABLE:
                    sheet, rows, number = element.get(_tag("table", "name"), "?"), {}, 0
                    if len(grids) >= MAX_SHEETS:
                        raise refuse(name, f"trop de feuilles (plus de {MAX_SHEETS}) : ce n'est pas le questionnaire")
                elif event == "end" and element.tag == _ROW:
                    number = _add_row(element, sheet, rows, number, name)
                    element.clear()
                elif event == "end" and element.tag == _TABLE:
                    grids.append(Grid(sheet, rows))
                    element.clear()
    except WorkbookProblem:
        raise
    except Exception as exc:  # noqa: BLE001 - any failure of the parser on untrusted bytes is the file's fault
        raise refuse(name, f"classeur ODS endommagé ou inattendu ({type(exc).__name__}) : enregistrez-le de "
                           "nouveau depuis LibreOffice Calc") from None
    return grids


def _add_row(element: Any, sheet: str, rows: dict[int, tuple[Any, ...]], number: int, name: str) -> int:
    """Store one row (repeated as ODF says, within the limit); return the number of the last row."""
    repeated = _count(element.get(_ROWS_REPEATED))
    values = _row_values(element, sheet, number + 1, name)
    if not any(v is not None for v in values):
        return number + repeated
    if number + repeated > MAX_ROWS:
        raise too_many_rows(name, sheet, MAX_ROWS)
    for offset in range(1, repeated + 1):
        rows[number + offset] = values
    return number + repeated


def _row_values(row: Any, sheet: str, number: int, name: str) -> tuple[Any, ...]:
    values: list[Any] = []
    for cell in row:
        if cell.tag not in _CELLS:
            continue
        if cell.get(_FORMULA) is not None:
            where = f"feuille « {sheet} », cellule {_column_letter(len(values) + 1)}{number}"
            raise refuse(name, FORMULA_REFUSED, where)
        value = _value(cell)
        values.extend([value] * min(_count(cell.get(_COLUMNS_REPEATED)), MAX_COLUMNS - len(values)))
        if len(values) >= MAX_COLUMNS:
            break
    return tuple(values)


def _count(text: str | None) -> int:
    return int(text) if text and text.isdigit() and len(text) < 9 else 1


def _value(cell: Any) -> Any:
    kind = cell.get(_VALUE_TYPE)
    if kind in ("float", "percentage", "currency"):
        number = float(cell.get(_tag("office", "value"), "nan"))
        return int(number) if number.is_integer() and abs(number) < 1e15 else number
    if kind == "boolean":
        return cell.get(_tag("office", "boolean-value")) == "true"
    if kind in ("date", "time"):
        return cell.get(_tag("office", f"{kind}-value"))
    paragraphs = [_text(p) for p in cell if p.tag == _P]
    return "\n".join(paragraphs) if paragraphs else None


def _text(element: Any) -> str:
    parts = [element.text or ""]
    for child in element:
        if child.tag == _S:
            parts.append(" " * min(_count(child.get(_tag("text", "c"))), 10_000))
        elif child.tag == _TAB:
            parts.append("\t")
        elif child.tag == _BREAK:
            parts.append("\n")
        else:
            parts.append(_text(child))
        parts.append(child.tail or "")
    return "".join(parts)
