"""The candidates' reply kit, generated with the dossier from the same requirements as the CCTP:
the cadre de réponse technique (Markdown → DOCX, ODT; and XLSX with a drop-down answer); the
grille d'analyse des offres, in which the buyer scores them, is documents/grille.py.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from deployer.documents.page import PageInfo, subject_of
from deployer.documents.spreadsheet import print_setup, put_row, table, workbook_bytes
from deployer.documents.xlsx_writer import Sheet, Validation, Workbook, column_letter
from deployer.french import fix_typography

if TYPE_CHECKING:
    from deployer.analysis.budget.results import Lot
    from deployer.analysis.dossier_analysis import DossierAnalysis
    from deployer.analysis.requirements import ChosenRequirement
    from deployer.documents.office_model import DocumentModels

CADRE_STEM = "cadre-de-reponse"
CADRE_TITLE = "Cadre de réponse technique"
CADRE_FORMATS = ("md", "docx", "odt")
ANSWERS = ("Conforme", "Partiel", "Non conforme", "Sans objet")
"""What a candidate answers for each requirement (the drop-down of the XLSX cadre and grille)."""
IDENTIFICATION = ("Raison sociale", "Interlocuteur pour la consultation (nom, fonction, courriel, téléphone)",
                  "Nom commercial de l'offre proposée", "Date de la réponse")


def chapters(requirements: list[ChosenRequirement]) -> list[tuple[str, list[ChosenRequirement]]]:
    """The requirements by catalogue chapter, in the CCTP's order."""
    groups: dict[str, list[ChosenRequirement]] = {}
    for requirement in requirements:
        groups.setdefault(requirement.chapter_title, []).append(requirement)
    return list(groups.items())


def cadre_markdown(analysis: DossierAnalysis, subject: str = "") -> str:
    """The cadre de réponse as Markdown (source of the DOCX and ODT files)."""
    from deployer.documents.templates import render

    return fix_typography(render("cadre-de-reponse.md.j2", collectivite=analysis.answers.name,
                                 date_text=analysis.today.strftime("%d/%m/%Y"),
                                 chapters=chapters(analysis.requirements), answers=ANSWERS, subject=subject,
                                 lots=[(lot.label, lot.scope, chapters(chosen)) for lot, chosen in analysis.lots]))


def reply_kit_files(analysis: DossierAnalysis, formats: tuple[str, ...], models: DocumentModels | None = None,
                    cctp: str = "") -> dict[str, str | bytes]:
    """cadre-de-reponse.{md,docx,odt,xlsx}, as far as the formats ask (the grille: grille.py)."""
    from deployer.documents.office import office_formats

    subject = subject_of(cctp)
    page = PageInfo(CADRE_TITLE, analysis.answers.name, analysis.today, subject)
    asked = tuple(f for f in formats if f in CADRE_FORMATS)
    files: dict[str, str | bytes] = {}
    if asked:
        markdown = cadre_markdown(analysis, subject)
        written = office_formats(markdown, page, asked, models)
        files.update({f"{CADRE_STEM}.{fmt}": data for fmt, data in written.items()})
    if "xlsx" in formats:
        files[f"{CADRE_STEM}.xlsx"] = cadre_xlsx(analysis.requirements, page, analysis.lots)
    return files


CADRE_HEADER = ["Réf.", "Chapitre", "Exigence", "Texte de l'exigence (CCTP)", "Niveau",
                "Réponse du candidat", "Description de la réponse", "Référence dans l'offre"]
ANSWER_COLUMN = 6
ALLOTTED = "Le marché est alloti : répondez aux lignes du ou des lots pour lesquels vous présentez une offre."


def cadre_xlsx(requirements: list[ChosenRequirement], page: PageInfo,
               lots: Sequence[tuple[Lot, list[ChosenRequirement]]] = ()) -> bytes:
    """The cadre de réponse as a workbook: « Réponses » (one row per requirement, the answer chosen
    from a list; lot by lot, with a « Lot » column, when the purchase is allotted) and « Candidat »
    (identification)."""
    rows = [([r.id, lot.label], r) for lot, chosen in lots for r in chosen] or [([r.id], r) for r in requirements]
    extra = 1 if lots else 0
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Réponses"
    start = table(sheet, [f"{CADRE_TITLE} — {' '.join(page.author.split())}",
                          "Pour chaque exigence du CCTP, choisissez la réponse dans la liste ("
                          + ", ".join(ANSWERS) + "), décrivez comment l'offre y répond et donnez la référence "
                          "dans l'offre. Ne modifiez ni les références ni le texte des exigences."
                          + (" " + fix_typography(ALLOTTED) if lots else "")],
                  [CADRE_HEADER[0], *(["Lot"] * extra), *CADRE_HEADER[1:]],
                  [10, *([20] * extra), 16, 22, 60, 10, 14, 50, 20])
    for row, (cells, requirement) in enumerate(rows, start=start + 1):
        put_row(sheet, row, [*cells, requirement.chapter_title, requirement.title, requirement.text,
                             requirement.level_label])
    answer_list(sheet, ANSWER_COLUMN + extra, start + 1, start + max(len(rows), 1))
    identity = workbook.create_sheet("Candidat")
    first = table(identity, [f"{CADRE_TITLE} — identification du candidat"], ["Rubrique", "Réponse du candidat"],
                  [50, 70])
    for row, label in enumerate(IDENTIFICATION, start=first + 1):
        put_row(identity, row, [label])
    for each in workbook:
        print_setup(each, page)
    return workbook_bytes(workbook, page)


def answer_list(sheet: Sheet, column: int, first: int, last: int) -> None:
    """A drop-down of the four answers on one column, refusing any other value."""
    letter = column_letter(column)
    sheet.add_validation(Validation("list", f"{letter}{first}:{letter}{last}", '"' + ",".join(ANSWERS) + '"',
                                    error_title="Réponse",
                                    error=fix_typography("Choisissez : " + ", ".join(ANSWERS) + ".")))
