"""The budget estimate as spreadsheets: budget.csv (for any tool) and budget.xlsx (a DPGF a buyer
can attach to the consultation, the internal estimate, and staff time on its own sheet).

Text cells are guarded against formula injection: a CSV cell starting with = + - @ gets a leading
apostrophe; in XLSX such a cell is stored as text, never as a formula.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, Any

from deployer.french import fix_typography, visible

if TYPE_CHECKING:
    from deployer.analysis.budget import BudgetEstimate, BudgetLine, Choice, Range

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_PERIOD = {"annuel": "par an", "forfait": "forfait"}
_EUROS_FORMAT = '#,##0 "€"'

CSV_HEADER = [
    "N°", "Poste", "Famille de coûts", "Périodicité", "Dans la valeur estimée",
    "Par an ou forfait, bas (€ HT)", "Par an ou forfait, central (€ HT)", "Par an ou forfait, haut (€ HT)",
    "Total sur la durée, bas (€ HT)", "Total sur la durée, central (€ HT)", "Total sur la durée, haut (€ HT)",
    "Source", "Hypothèse",
]


def safe_text(text: str) -> str:
    """A text cell a spreadsheet will never read as a formula (French spaces fixed too)."""
    text = fix_typography(visible(text))
    return "'" + text if text.startswith(_FORMULA_START) else text


def french_number(value: float) -> str:
    """12000 → « 12000 », 0.75 → « 0,75 » (no thousands separator: spreadsheets read it as text)."""
    if float(value).is_integer():
        return str(int(value))
    return f"{value:.2f}".rstrip("0").replace(".", ",")


def _citations(line: BudgetLine) -> str:
    return " ; ".join(str(c) for c in line.citations)


def _group_label(estimate: BudgetEstimate, group_id: str) -> str:
    return next((g.label for g in estimate.groups if g.id == group_id), group_id)


def _csv_line(index: int, line: BudgetLine, estimate: BudgetEstimate) -> list[str]:
    return [
        str(index), safe_text(line.label), safe_text(_group_label(estimate, line.group)), _PERIOD[line.recurrence],
        "oui" if line.in_contract else "non",
        *(french_number(v) for v in line.unit.values), *(french_number(v) for v in line.total.values),
        safe_text(_citations(line)), safe_text(line.assumption or ""),
    ]


def _csv_total(label: str, total: Range) -> list[str]:
    return ["", safe_text(label), "", "", "", "", "", "", *(french_number(v) for v in total.values), "", ""]


def budget_csv(estimate: BudgetEstimate) -> str:
    """budget.csv: one row per line, then the totals; semicolons, French decimals, UTF-8 BOM."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    writer.writerow(CSV_HEADER)
    writer.writerows(_csv_line(i, line, estimate) for i, line in enumerate(estimate.lines, start=1))
    for group in estimate.groups:
        writer.writerow(_csv_total(f"Sous-total : {group.label}", group.total))
    writer.writerow(_csv_total("Total des achats externes", estimate.external.total))
    writer.writerow(_csv_total("Coût complet, temps interne compris", estimate.grand_total.total))
    writer.writerow(_csv_total("Valeur estimée du besoin (marché du prestataire)", estimate.estimated_value))
    return "\ufeff" + buffer.getvalue()


# -- XLSX -------------------------------------------------------------------------------


def _put(sheet: Any, row: int, column: int, value: Any, number_format: str | None = None) -> Any:
    """Write one cell; a text never becomes a formula."""
    cell = sheet.cell(row=row, column=column)
    if isinstance(value, str):
        value = fix_typography(value)
    cell.value = value
    if isinstance(value, str):
        cell.data_type = "s"
        cell.quotePrefix = value.startswith(_FORMULA_START)
    elif number_format:
        cell.number_format = number_format
    return cell


def _put_row(sheet: Any, row: int, values: Sequence[Any], number_format: str | None = None) -> None:
    for column, value in enumerate(values, start=1):
        _put(sheet, row, column, value, number_format)


def _header(sheet: Any, row: int, titles: Sequence[str], widths: Sequence[int]) -> None:
    from openpyxl.styles import Alignment, Font  # type: ignore[import-untyped,unused-ignore]
    from openpyxl.utils import get_column_letter  # type: ignore[import-untyped,unused-ignore]

    _put_row(sheet, row, titles)
    for column, width in enumerate(widths, start=1):
        cell = sheet.cell(row=row, column=column)
        cell.font = Font(bold=True)
        cell.alignment = Alignment(wrap_text=True, vertical="top")
        sheet.column_dimensions[get_column_letter(column)].width = width
    sheet.freeze_panes = sheet.cell(row=row + 1, column=1)


def _title(sheet: Any, lines: Iterable[str]) -> int:
    from openpyxl.styles import Font  # type: ignore[import-untyped,unused-ignore]

    row = 0
    for row, text in enumerate(lines, start=1):
        _put(sheet, row, 1, text)
    sheet.cell(row=1, column=1).font = Font(bold=True, size=13)
    return row + 2


def _duration_text(estimate: BudgetEstimate) -> str:
    renewals = (f", reconductible {estimate.renewals} fois pour {estimate.renewal_months} mois "
                f"({estimate.total_months} mois au plus)" if estimate.renewals else ", sans reconduction")
    return f"Durée du marché : {estimate.duration_months} mois{renewals}."


def _dpgf_sheet(sheet: Any, estimate: BudgetEstimate) -> None:
    sheet.title = "DPGF"
    start = _title(sheet, [
        "Décomposition du prix global et forfaitaire (DPGF)",
        "Montants en euros hors taxes (HT). Le candidat complète la quantité, l'unité et le prix unitaire HT "
        "de chaque ligne ; le montant HT se calcule.",
        _duration_text(estimate),
    ])
    _header(sheet, start, ["N°", "Désignation", "Périodicité", "Quantité", "Unité", "Prix unitaire HT (€)",
                           "Montant HT (€)"], [6, 60, 12, 11, 14, 18, 18])
    row = start
    for index, line in enumerate(estimate.contract_lines, start=1):
        row = start + index
        _put_row(sheet, row, [index, line.label, _PERIOD[line.recurrence]])
        formula = f'=IF(AND(ISNUMBER(D{row}),ISNUMBER(F{row})),D{row}*F{row},"")'
        sheet.cell(row=row, column=7).value = formula
        for column in (6, 7):
            sheet.cell(row=row, column=column).number_format = _EUROS_FORMAT
    _put(sheet, row + 1, 2, "Total HT")
    total = sheet.cell(row=row + 1, column=7)
    total.value = f"=SUM(G{start + 1}:G{max(row, start + 1)})"
    total.number_format = _EUROS_FORMAT


_ESTIMATE_HEADER = [
    "N°", "Poste", "Famille de coûts", "Périodicité", "Dans la valeur estimée",
    "Par an ou forfait, bas", "Par an ou forfait, central", "Par an ou forfait, haut",
    "Total sur la durée, bas", "Total sur la durée, central", "Total sur la durée, haut", "Source", "Hypothèse",
]


def _estimate_rows(sheet: Any, start: int, estimate: BudgetEstimate) -> int:
    row = start
    for index, line in enumerate(estimate.lines, start=1):
        if line.group == "internal":
            continue
        row += 1
        _put_row(sheet, row, [index, line.label, _group_label(estimate, line.group), _PERIOD[line.recurrence],
                              "oui" if line.in_contract else "non"])
        _put_row_at(sheet, row, 6, [*line.unit.values, *line.total.values], _EUROS_FORMAT)
        _put_row_at(sheet, row, 12, [_citations(line), line.assumption or ""])
    return row


def _put_row_at(sheet: Any, row: int, column: int, values: Sequence[Any], number_format: str | None = None) -> None:
    for offset, value in enumerate(values):
        _put(sheet, row, column + offset, value, number_format)


def _totals_rows(sheet: Any, row: int, estimate: BudgetEstimate) -> int:
    totals = [(g.label, g.total) for g in estimate.groups if g.id != "internal"]
    totals += [("Total des achats externes", estimate.external.total),
               ("Valeur estimée du besoin (marché du prestataire)", estimate.estimated_value)]
    for label, total in totals:
        row += 1
        _put(sheet, row, 2, label)
        _put_row_at(sheet, row, 9, list(total.values), _EUROS_FORMAT)
    return row


def _route_rows(sheet: Any, row: int, estimate: BudgetEstimate) -> None:
    from deployer.analysis.budget import date_fr, period_fr

    advice = estimate.procurement
    if advice is None:
        return
    rows: list[tuple[str, Choice]] = [("Voie de passation", advice.route), ("Publicité", advice.publicity)]
    row += 2
    _put(sheet, row, 2, f"Consultation lancée le {date_fr(advice.launch_date)}")
    for label, choice in rows:
        row += 1
        _put_row_at(sheet, row, 2, [label, choice.label])
    for threshold in advice.thresholds:
        row += 1
        _put_row_at(sheet, row, 2, [threshold.label, threshold.amount_ht,
                                    period_fr(threshold.valid_from, threshold.valid_until), threshold.legal_basis])
        sheet.cell(row=row, column=3).number_format = _EUROS_FORMAT


def _estimate_sheet(sheet: Any, estimate: BudgetEstimate) -> None:
    from deployer.analysis.budget import date_fr

    start = _title(sheet, [
        "Estimation interne : à ne pas joindre au dossier de consultation",
        f"Établie le {date_fr(estimate.today)}. Montants en euros hors taxes (HT), fourchettes basse, centrale "
        "et haute. " + _duration_text(estimate),
    ])
    _header(sheet, start, _ESTIMATE_HEADER, [6, 50, 24, 11, 12, 13, 13, 13, 13, 13, 13, 60, 80])
    row = _totals_rows(sheet, _estimate_rows(sheet, start, estimate) + 1, estimate)
    _route_rows(sheet, row + 1, estimate)


def _staff_sheet(sheet: Any, estimate: BudgetEstimate) -> None:
    start = _title(sheet, [
        "Temps de travail interne (hors valeur estimée du besoin)",
        "Coût annuel complet d'un ETP retenu : modifiable, voir l'hypothèse.",
    ])
    _header(sheet, start, ["Poste", "ETP bas", "ETP central", "ETP haut", "Coût annuel d'un ETP (€)",
                           "Par an, bas", "Par an, central", "Par an, haut", "Total sur la durée, bas",
                           "Total sur la durée, central", "Total sur la durée, haut", "Source", "Hypothèse"],
            [50, 9, 9, 9, 14, 13, 13, 13, 13, 13, 13, 50, 80])
    row = start
    for line in estimate.lines:
        if line.group != "internal":
            continue
        row += 1
        _put(sheet, row, 1, line.label)
        _put_row_at(sheet, row, 2, list(estimate.staff_etp), "0.00")
        _put_row_at(sheet, row, 5, [estimate.staff_cost_per_etp, *line.unit.values, *line.total.values],
                    _EUROS_FORMAT)
        _put_row_at(sheet, row, 12, [_citations(line), line.assumption or ""])


def budget_xlsx(estimate: BudgetEstimate) -> bytes:
    """budget.xlsx: the DPGF for bidders, the internal estimate, and staff time, as bytes."""
    import datetime

    from openpyxl import Workbook  # type: ignore[import-untyped,unused-ignore]

    workbook = Workbook()
    _dpgf_sheet(workbook.active, estimate)
    _estimate_sheet(workbook.create_sheet("Estimation"), estimate)
    _staff_sheet(workbook.create_sheet("Temps interne"), estimate)
    stamp = datetime.datetime.combine(estimate.today, datetime.time())
    workbook.properties.creator = "deployer"
    workbook.properties.created = stamp
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
