"""benchmark.xlsx: the shortlist, one reason per row, and the grid for analysing offers received.

Cells are written through budget_tables' guarded writer: a text is never read as a formula.
"""

from __future__ import annotations

from datetime import date

from deployer.analysis.vendor_facts import french_date, gaps_text, old_evidence_rule, source_entry, status_text
from deployer.analysis.vendor_match import Shortlist, VendorFit
from deployer.documents.page import PageInfo
from deployer.documents.spreadsheet import print_setup, put_row, table, workbook_bytes
from deployer.documents.xlsx_writer import Sheet, Workbook
from deployer.schema.content import Content
from deployer.schema.models import SourceRef


def _cite(content: Content, refs: list[SourceRef] | tuple[SourceRef, ...]) -> str:
    """Every source in full (title, publisher, date, URL): a spreadsheet cell has no footnotes."""
    return " ; ".join(dict.fromkeys(source_entry(content, ref.source) for ref in refs))

_KINDS = (("fits", "Correspond"), ("misfits", "Ne correspond pas"), ("questions", "À demander"))
OFFER_COLUMNS = ("Offre A", "Offre B", "Offre C")
"""Blank columns of the grid, one per offer received (the buyer renames them)."""


def _fit_rows(fit: VendorFit, group: str, content: Content) -> list[list[str]]:
    rows = []
    for attribute, kind in _KINDS:
        for reason in getattr(fit, attribute):
            old = f" (à revérifier : source de {french_date(reason.old_evidence)})" if reason.old_evidence else ""
            rows.append([fit.vendor.name, group, kind + (" (exigence)" if reason.blocking else ""),
                         reason.text + old, content.wording.field_label(reason.field),
                         _cite(content, reason.sources)])
    return rows


def _shortlist_sheet(sheet: Sheet, content: Content, shortlist: Shortlist, today: date) -> None:
    sheet.title = "Présélection"
    wording = content.wording
    notes = wording.notes
    row = table(sheet, ["Présélection des prestataires", notes.say("pas_une_recommandation"), notes.say("ordre"),
                        old_evidence_rule(wording), notes.say("non_documentees")],
                ["Prestataire", "Groupe", "Type", "Point", "Champ du catalogue", "Source"], [18, 14, 14, 56, 18, 50])
    groups = [(shortlist.shortlist, "À examiner"), (shortlist.others, "S'écarte d'une exigence")]
    for fits, group in groups:
        for fit in fits:
            for values in _fit_rows(fit, group, content):
                row += 1
                put_row(sheet, row, values)
    for vendor in shortlist.undocumented:
        row += 1
        put_row(sheet, row, [vendor.name, "Trop peu documentée", "Non comparée",
                              f"{gaps_text(wording, vendor)} ; statut : {status_text(wording, vendor, today)}",
                              wording.field_label("status"), _cite(content, vendor.status.sources)])
    for vendor in shortlist.set_apart:
        row += 1
        put_row(sheet, row, [vendor.name, "Écartée", "Écartée", f"Statut : {status_text(wording, vendor, today)}",
                              wording.field_label("status"), _cite(content, vendor.status.sources)])


def _grid_sheet(sheet: Sheet, content: Content) -> None:
    row = table(sheet, ["Grille d'analyse des offres reçues",
                        "Critères tirés de comparaisons publiées ; fixez la pondération dans le règlement de "
                        "la consultation. Renommez les colonnes d'offres."],
                ["Critère", "À examiner dans chaque offre", "Champs du catalogue", "Source du critère",
                 *OFFER_COLUMNS], [22, 50, 20, 44, 18, 18, 18])
    for criterion in content.benchmark_criteria:
        row += 1
        put_row(sheet, row, [criterion.label, criterion.ask,
                             ", ".join(content.wording.field_label(f) for f in criterion.catalogue),
                             _cite(content, criterion.sources)])


def benchmark_xlsx(content: Content, shortlist: Shortlist, today: date, page: PageInfo | None = None) -> bytes:
    """benchmark.xlsx as bytes: sheets « Présélection » and « Grille d'analyse », print-ready."""
    page = page or PageInfo("Aide au benchmark", "", today)
    workbook = Workbook()
    _shortlist_sheet(workbook.active, content, shortlist, today)
    _grid_sheet(workbook.create_sheet("Grille d'analyse"), content)
    for sheet in workbook:
        print_setup(sheet, page)
    return workbook_bytes(workbook, page)
