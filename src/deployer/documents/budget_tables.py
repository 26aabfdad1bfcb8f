"""The budget estimate as spreadsheets: budget.csv (for any tool) and budget.xlsx (a DPGF a buyer
can attach to the consultation, the internal estimate, and staff time on its own sheet).

Text cells are guarded against formula injection: a CSV cell starting with = + - @ gets a leading
apostrophe; in XLSX such a cell is stored as text, never as a formula.
"""

from __future__ import annotations

import csv
import io
from typing import TYPE_CHECKING

from deployer.documents.spreadsheet import (
    EUROS_FORMAT,
    FORMULA_START,
    bold,
    formula,
    print_setup,
    put,
    put_row,
    table,
    workbook_bytes,
)
from deployer.documents.xlsx_writer import Sheet, Workbook
from deployer.french import fix_typography, visible

if TYPE_CHECKING:
    from deployer.analysis.budget import BudgetEstimate, BudgetLine, Choice, Range
    from deployer.analysis.budget.results import Lot
    from deployer.documents.page import PageInfo

_PERIOD = {"annuel": "par an", "forfait": "forfait"}

CSV_HEADER = [
    "N°", "Poste", "Famille de coûts", "Périodicité", "Dans la valeur estimée",
    "Par an ou forfait, bas (€ HT)", "Par an ou forfait, central (€ HT)", "Par an ou forfait, haut (€ HT)",
    "Total sur la durée, bas (€ HT)", "Total sur la durée, central (€ HT)", "Total sur la durée, haut (€ HT)",
    "Source", "Hypothèse", "Lot", "Nature",
]


def safe_text(text: str) -> str:
    """A text cell a spreadsheet will never read as a formula (French spaces fixed too)."""
    text = fix_typography(visible(text))
    return "'" + text if text.startswith(FORMULA_START) else text


def french_number(value: float) -> str:
    """12000 → « 12000 », 0.75 → « 0,75 » (no thousands separator: spreadsheets read it as text)."""
    if float(value).is_integer():
        return str(int(value))
    return f"{value:.2f}".rstrip("0").replace(".", ",")


def _citations(line: BudgetLine) -> str:
    return " ; ".join(str(c) for c in line.citations)


def _group_label(estimate: BudgetEstimate, group_id: str) -> str:
    return next((g.label for g in estimate.groups if g.id == group_id), group_id)


def _contract_part(estimate: BudgetEstimate, line: BudgetLine) -> list[str]:
    """The line's lot and nature (« ferme » or « option ») in the contract; empty for a purchase
    outside it (communication, evaluation) and for staff time."""
    if not line.in_contract:
        return ["", ""]
    lot = next((lot.label for lot in estimate.lots if line.id in lot.line_ids), "")
    return [lot, "option" if line.optional else "ferme"]


def _csv_line(index: int, line: BudgetLine, estimate: BudgetEstimate) -> list[str]:
    return [
        str(index), safe_text(line.label), safe_text(_group_label(estimate, line.group)), _PERIOD[line.recurrence],
        "oui" if line.in_contract else "non",
        *(french_number(v) for v in line.unit.values), *(french_number(v) for v in line.total.values),
        safe_text(_citations(line)), safe_text(line.assumption or ""),
        *(safe_text(text) for text in _contract_part(estimate, line)),
    ]


def _csv_total(label: str, total: Range) -> list[str]:
    return ["", safe_text(label), "", "", "", "", "", "", *(french_number(v) for v in total.values), "", "", "", ""]


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


def _duration_text(estimate: BudgetEstimate) -> str:
    renewals = (f", reconductible {estimate.renewals} fois pour {estimate.renewal_months} mois "
                f"({estimate.total_months} mois au plus)" if estimate.renewals else ", sans reconduction")
    return f"Durée du marché : {estimate.duration_months} mois{renewals}."


def _dpgf_sheet(sheet: Sheet, estimate: BudgetEstimate) -> None:
    """One row per priced line, grouped by lot when the purchase is allotted, options marked."""
    sheet.title = "DPGF"
    start = table(sheet, [
        "Décomposition du prix global et forfaitaire (DPGF)",
        "Montants en euros hors taxes (HT). Le candidat complète la quantité, l'unité et le prix unitaire HT "
        "de chaque ligne ; le montant HT se calcule. Une ligne « option » est une prestation supplémentaire "
        "éventuelle : chiffrée, elle n'est commandée que si la collectivité le décide.",
        _duration_text(estimate),
    ], ["N°", "Désignation", "Périodicité", "Quantité", "Unité", "Prix unitaire HT (€)", "Montant HT (€)",
        "Nature"], [5, 52, 11, 10, 12, 14, 15, 10])
    row, index, priced = start, 0, []
    for lot, lines in _lot_groups(estimate):
        if lot is not None and estimate.allotted:
            row += 1
            bold(put(sheet, row, 2, lot.label))
        first = row + 1
        for line in lines:
            row, index = row + 1, index + 1
            put_row(sheet, row, [index, line.label, _PERIOD[line.recurrence]])
            put(sheet, row, 8, "option" if line.optional else "ferme")
            formula(sheet, row, 7, f'=IF(AND(ISNUMBER(D{row}),ISNUMBER(F{row})),D{row}*F{row},"")', EUROS_FORMAT)
            sheet.cell(row=row, column=6).number_format = EUROS_FORMAT
            priced.append(row)
        if lot is not None and estimate.allotted:
            row += 1
            put(sheet, row, 2, f"Sous-total HT, {lot.label}")
            formula(sheet, row, 7, f"=SUM(G{first}:G{max(row - 1, first)})", EUROS_FORMAT)
    cells = ",".join(f"G{r}" for r in priced) or f"G{start + 1}"
    bold(put(sheet, row + 1, 2, "Total HT" + (", options comprises" if estimate.optional_lines else "")))
    formula(sheet, row + 1, 7, f"=SUM({cells})", EUROS_FORMAT)
    if estimate.optional_lines:
        put(sheet, row + 2, 2, "dont options HT")
        options = ",".join(f"G{r}" for r, line in zip(priced, _priced_lines(estimate), strict=True) if line.optional)
        formula(sheet, row + 2, 7, f"=SUM({options})", EUROS_FORMAT)


def _lot_groups(estimate: BudgetEstimate) -> list[tuple[Lot | None, tuple[BudgetLine, ...]]]:
    """The priced lines by lot; one group without a lot when the estimate has no lots."""
    groups: list[tuple[Lot | None, tuple[BudgetLine, ...]]] = [(lot, estimate.lot_lines(lot)) for lot in estimate.lots]
    return groups or [(None, estimate.contract_lines)]


def _priced_lines(estimate: BudgetEstimate) -> list[BudgetLine]:
    return [line for _, lines in _lot_groups(estimate) for line in lines]


_ESTIMATE_HEADER = [
    "N°", "Poste", "Famille de coûts", "Périodicité", "Dans la valeur estimée",
    "Par an ou forfait, bas", "Par an ou forfait, central", "Par an ou forfait, haut",
    "Total sur la durée, bas", "Total sur la durée, central", "Total sur la durée, haut", "Source", "Hypothèse",
    "Lot", "Nature",
]


def _estimate_rows(sheet: Sheet, start: int, estimate: BudgetEstimate) -> int:
    row = start
    for index, line in enumerate(estimate.lines, start=1):
        if line.group == "internal":
            continue
        row += 1
        put_row(sheet, row, [index, line.label, _group_label(estimate, line.group), _PERIOD[line.recurrence],
                             "oui" if line.in_contract else "non"])
        put_row(sheet, row, [*line.unit.values, *line.total.values], EUROS_FORMAT, column=6)
        put_row(sheet, row, [_citations(line), line.assumption or "", *_contract_part(estimate, line)], column=12)
    return row


def _totals_rows(sheet: Sheet, row: int, estimate: BudgetEstimate) -> int:
    totals = [(g.label, g.total) for g in estimate.groups if g.id != "internal"]
    totals += [("Total des achats externes", estimate.external.total),
               ("Valeur estimée du besoin (marché du prestataire)", estimate.estimated_value)]
    for label, total in totals:
        row += 1
        put(sheet, row, 2, label)
        put_row(sheet, row, list(total.values), EUROS_FORMAT, column=9)
    return row


def _route_rows(sheet: Sheet, row: int, estimate: BudgetEstimate) -> None:
    from deployer.analysis.budget import date_fr, period_fr

    advice = estimate.procurement
    if advice is None:
        return
    rows: list[tuple[str, Choice]] = [("Voie de passation", advice.route), ("Publicité", advice.publicity)]
    row += 2
    put(sheet, row, 2, f"Consultation lancée le {date_fr(advice.launch_date)}")
    for label, choice in rows:
        row += 1
        put_row(sheet, row, [label, choice.label], column=2)
    for threshold in advice.thresholds:
        row += 1
        put_row(sheet, row, [threshold.label, threshold.amount_ht,
                             period_fr(threshold.valid_from, threshold.valid_until), threshold.legal_basis], column=2)
        sheet.cell(row=row, column=3).number_format = EUROS_FORMAT


def _estimate_sheet(sheet: Sheet, estimate: BudgetEstimate) -> None:
    from deployer.analysis.budget import date_fr

    start = table(sheet, [
        "Estimation interne : à ne pas joindre au dossier de consultation",
        f"Établie le {date_fr(estimate.today)}. Montants en euros hors taxes (HT), fourchettes basse, centrale "
        "et haute. " + _duration_text(estimate),
    ], _ESTIMATE_HEADER, [5, 34, 18, 10, 11, 11, 11, 11, 11, 11, 11, 36, 50, 16, 9])
    row = _totals_rows(sheet, _estimate_rows(sheet, start, estimate) + 1, estimate)
    _route_rows(sheet, row + 1, estimate)


def _staff_sheet(sheet: Sheet, estimate: BudgetEstimate) -> None:
    start = table(sheet, [
        "Temps de travail interne (hors valeur estimée du besoin)",
        "Coût annuel complet d'un ETP retenu : modifiable, voir l'hypothèse.",
    ], ["Poste", "ETP bas", "ETP central", "ETP haut", "Coût annuel d'un ETP (€)",
        "Par an, bas", "Par an, central", "Par an, haut", "Total sur la durée, bas",
        "Total sur la durée, central", "Total sur la durée, haut", "Source", "Hypothèse"],
        [34, 8, 8, 8, 11, 11, 11, 11, 11, 11, 11, 36, 50])
    row = start
    for line in estimate.lines:
        if line.group != "internal":
            continue
        row += 1
        put(sheet, row, 1, line.label)
        put_row(sheet, row, list(estimate.staff_etp), "0.00", column=2)
        put_row(sheet, row, [estimate.staff_cost_per_etp, *line.unit.values, *line.total.values], EUROS_FORMAT,
                column=5)
        put_row(sheet, row, [_citations(line), line.assumption or "", *_contract_part(estimate, line)], column=12)


def budget_xlsx(estimate: BudgetEstimate, page: PageInfo | None = None) -> bytes:
    """budget.xlsx: the DPGF for bidders (portrait, one page wide), the internal estimate and staff
    time (landscape), as bytes."""
    from deployer.documents.page import PageInfo

    page = page or PageInfo("Budget", "", estimate.today)
    workbook = Workbook()
    _dpgf_sheet(workbook.active, estimate)
    _estimate_sheet(workbook.create_sheet("Estimation"), estimate)
    _staff_sheet(workbook.create_sheet("Temps interne"), estimate)
    for sheet in workbook:
        print_setup(sheet, page, landscape=sheet.title != "DPGF")
    return workbook_bytes(workbook, page)
