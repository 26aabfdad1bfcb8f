"""benchmark.xlsx: the shortlist, one reason per row, and the grid for analysing offers received.

Cells are written through budget_tables' guarded writer: a text is never read as a formula.
"""

from __future__ import annotations

import io
from datetime import date, datetime, time
from typing import Any

from deployer.content import Content
from deployer.render.budget_tables import _header, _put_row, _title
from deployer.vendor_match import FIELD_LABELS, NOT_A_RECOMMENDATION, ORDER_RULE, Shortlist, VendorFit, source_text

_KINDS = (("fits", "Correspond"), ("misfits", "Ne correspond pas"), ("questions", "À demander"))
OFFER_COLUMNS = ("Offre A", "Offre B", "Offre C")
"""Blank columns of the grid, one per offer received (the buyer renames them)."""


def _fit_rows(fit: VendorFit, group: str, content: Content) -> list[list[str]]:
    rows = []
    for attribute, kind in _KINDS:
        for reason in getattr(fit, attribute):
            rows.append([fit.vendor.name, group, kind + (" (exigence)" if reason.blocking else ""), reason.text,
                         reason.field_label, source_text(content, reason.sources)])
    return rows


def _shortlist_sheet(sheet: Any, content: Content, shortlist: Shortlist) -> None:
    sheet.title = "Présélection"
    row = _title(sheet, ["Présélection des prestataires", NOT_A_RECOMMENDATION, ORDER_RULE])
    _header(sheet, row, ["Prestataire", "Groupe", "Type", "Point", "Champ du catalogue", "Source"],
            [24, 20, 20, 70, 26, 70])
    groups = [(shortlist.shortlist, "À examiner"), (shortlist.others, "S'écarte d'une exigence")]
    for fits, group in groups:
        for fit in fits:
            for values in _fit_rows(fit, group, content):
                row += 1
                _put_row(sheet, row, values)
    for vendor in shortlist.set_apart:
        row += 1
        _put_row(sheet, row, [vendor.name, "Écartée", vendor.status.value,
                              f"Dernière preuve datée : {vendor.status.date}", FIELD_LABELS["status"],
                              source_text(content, vendor.status.sources)])


def _grid_sheet(sheet: Any, content: Content) -> None:
    row = _title(sheet, ["Grille d'analyse des offres reçues",
                         "Critères tirés de comparaisons publiées ; fixez la pondération dans le règlement de "
                         "la consultation. Renommez les colonnes d'offres."])
    _header(sheet, row, ["Critère", "À examiner dans chaque offre", "Champs du catalogue", "Source du critère",
                         *OFFER_COLUMNS], [28, 70, 30, 60, 24, 24, 24])
    for criterion in content.benchmark_criteria:
        row += 1
        _put_row(sheet, row, [criterion.label, criterion.ask,
                              ", ".join(FIELD_LABELS.get(f, f) for f in criterion.catalogue),
                              source_text(content, criterion.sources)])


def benchmark_xlsx(content: Content, shortlist: Shortlist, today: date) -> bytes:
    """benchmark.xlsx as bytes: sheets « Présélection » and « Grille d'analyse »."""
    from openpyxl import Workbook  # type: ignore[import-untyped,unused-ignore]

    workbook = Workbook()
    _shortlist_sheet(workbook.active, content, shortlist)
    _grid_sheet(workbook.create_sheet("Grille d'analyse"), content)
    workbook.properties.creator = "deployer"
    workbook.properties.created = datetime.combine(today, time())
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
