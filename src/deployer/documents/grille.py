"""grille-d-analyse.xlsx: the buyer scores the offers with the award criteria of the note de
cadrage (content/award-criteria.yaml: the same criteria, sub-criteria and weights), the scoring
scale and the price formula. Formulas use only functions that LibreOffice and Excel share (IF,
ISNUMBER, SUM, MIN, RANK, COUNTIFS).

Sheets: « Notation » (a mark per sub-criterion and offer, points, total, rank), « Prix » (the
price formula), « Conformité » (each requirement of the CCTP with each candidate's answer, pasted
from the cadres de réponse in the same order; unmet exigences counted) and « Barème ».
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from deployer.documents.benchmark_table import OFFER_COLUMNS
from deployer.documents.spreadsheet import bold, formula, print_setup, put, put_row, table, workbook_bytes
from deployer.documents.xlsx_writer import Sheet, Validation, Workbook

if TYPE_CHECKING:
    from deployer.analysis.dossier_analysis import DossierAnalysis
    from deployer.analysis.requirements import ChosenRequirement
    from deployer.documents.page import PageInfo
    from deployer.schema.content import Content
    from deployer.schema.requirements import AwardCriteria

GRILLE_FILE = "grille-d-analyse.xlsx"
GRILLE_TITLE = "Grille d'analyse des offres"
PRICE = "prix"  # the id of the price criterion in content/award-criteria.yaml
OFFERS = len(OFFER_COLUMNS)
_NOTE = ("D", "E", "F")  # marks of offers A, B, C on « Notation »
_POINTS = ("G", "H", "I")
_ANSWERS = ("F", "G", "H")  # answers of offers A, B, C on « Conformité »
PRICE_FIRST_ROW = 5  # « Prix »: two title lines, a blank row, the header, then one row per offer


def grille_xlsx(analysis: DossierAnalysis, page: PageInfo) -> bytes:
    """The workbook, as bytes; without award criteria in the content, the conformity sheet only."""
    criteria = analysis.content.award_criteria
    workbook = Workbook()
    conformity = workbook.active
    conformity.title = "Conformité"
    unmet = _conformity_sheet(conformity, analysis.requirements, criteria)
    if criteria is not None:
        notation = workbook.create_sheet("Notation", 0)
        price_row = _notation_sheet(notation, criteria, unmet)
        _price_sheet(workbook.create_sheet("Prix", 1), criteria, price_row)
        _scale_sheet(workbook.create_sheet("Barème"), analysis.content, criteria)
        workbook.active_index = 0
    for sheet in workbook:
        print_setup(sheet, page)
    return workbook_bytes(workbook, page)


def max_mark(criteria: AwardCriteria) -> int:
    """The top of the scoring scale (4 for a scale from 0 to 4)."""
    return max(step.score for step in criteria.scale)


def _notation_sheet(sheet: Sheet, criteria: AwardCriteria, unmet: int) -> int | None:
    """One row per sub-criterion (or criterion without any), the price row fed by « Prix »,
    total, rank and the count of unmet exigences. Returns the price row."""
    top = max_mark(criteria)
    start = table(sheet, [
        "Grille d'analyse des offres", criteria.weights_note,
        f"Notez chaque sous-critère de 0 à {top} selon le barème (feuille « Barème ») ; les points se "
        "calculent. Le prix est noté sur la feuille « Prix ». Renommez les offres sur chaque feuille."],
        ["Critère", "Sous-critère", "Pondération (points)", *(f"Note {o}" for o in OFFER_COLUMNS),
         *(f"Points {o}" for o in OFFER_COLUMNS)], [22, 44, 12, 11, 11, 11, 11, 11, 11])
    row, price_row = start, None
    for criterion in criteria.criteres:
        parts = [(s.label, s.weight) for s in criterion.sub_criteria] or [(criterion.what, criterion.weight)]
        for label, weight in parts:
            row += 1
            put_row(sheet, row, [criterion.label, label, weight])
            if criterion.id == PRICE:
                price_row = row
                put(sheet, row, 2, "Formule de la feuille « Prix »")
                for index in range(OFFERS):
                    formula(sheet, row, 7 + index, f"=Prix!C{PRICE_FIRST_ROW + index}", "0.00")
                continue
            for note, points in zip(_NOTE, _POINTS, strict=True):
                formula(sheet, row, 7 + _POINTS.index(points),
                        f'=IF(ISNUMBER({note}{row}),$C{row}*{note}{row}/{top},"")', "0.00")
    _marks_validation(sheet, f"D{start + 1}:F{row}", top)
    total = row + 1
    bold(put(sheet, total, 1, "Total"))
    formula(sheet, total, 3, f"=SUM(C{start + 1}:C{row})")
    for column in _POINTS:
        formula(sheet, total, 7 + _POINTS.index(column), f"=SUM({column}{start + 1}:{column}{row})", "0.00")
        formula(sheet, total + 1, 7 + _POINTS.index(column),
                f"=RANK({column}{total},$G${total}:$I${total})")
        formula(sheet, total + 2, 7 + _POINTS.index(column), f"=Conformité!{_ANSWERS[_POINTS.index(column)]}{unmet}")
    put(sheet, total + 1, 1, "Classement")
    put(sheet, total + 2, 1, "Exigences non satisfaites (feuille « Conformité ») : une offre qui ne satisfait "
                             "pas une exigence est irrégulière")
    sheet.merge_cells(f"A{total + 2}:F{total + 2}")
    return price_row


def _marks_validation(sheet: Sheet, cells: str, top: int) -> None:
    sheet.add_validation(Validation("whole", cells, "0", str(top), error_title="Note",
                                    error=f"Une note entière de 0 à {top}, selon le barème."))


def _price_sheet(sheet: Sheet, criteria: AwardCriteria, price_row: int | None) -> None:
    """Each offer's total price; its points by the formula of the award criteria."""
    start = table(sheet, ["Notation du prix", criteria.price_formula],
                  ["Offre", "Montant total HT de la décomposition du prix (€)", "Points"], [20, 30, 14])
    weight = f"Notation!$C${price_row}" if price_row else "0"
    last = start + OFFERS
    for index, offer in enumerate(OFFER_COLUMNS, start=1):
        row = start + index
        put(sheet, row, 1, offer)
        sheet.cell(row=row, column=2).number_format = '#,##0.00 "€"'
        formula(sheet, row, 3, f'=IF(AND(ISNUMBER(B{row}),B{row}>0),{weight}*MIN($B${start + 1}:$B${last})/B{row},"")',
                "0.00")


def sub_criterion(requirement: ChosenRequirement, criteria: AwardCriteria | None) -> str:
    """The sub-criterion under which a requirement is appreciated (by chapter, then by part)."""
    if criteria is None:
        return ""
    subs = [(criterion, sub) for criterion in criteria.criteres for sub in criterion.sub_criteria]
    for criterion, sub in subs:
        if requirement.chapter in sub.chapters:
            return f"{criterion.label} : {sub.label}"
    for criterion, sub in subs:
        if requirement.section in sub.sections:
            return f"{criterion.label} : {sub.label}"
    return ""


def _conformity_sheet(sheet: Sheet, requirements: list[ChosenRequirement], criteria: AwardCriteria | None) -> int:
    """Each requirement and the answer of each offer; returns the row counting unmet exigences."""
    from deployer.documents.reply_kit import ANSWERS, answer_list
    from deployer.schema.requirements import LEVEL_LABELS

    start = table(sheet, [
        "Conformité des offres aux exigences du CCTP",
        "Collez dans chaque colonne d'offre la colonne « Réponse du candidat » de son cadre de réponse "
        "(mêmes lignes, même ordre), ou choisissez la réponse dans la liste."],
        ["Réf.", "Chapitre", "Exigence", "Niveau", "Apprécié au titre de", *OFFER_COLUMNS],
        [10, 18, 34, 10, 34, 13, 13, 13])
    row = start
    for row, requirement in enumerate(requirements, start=start + 1):
        put_row(sheet, row, [requirement.id, requirement.chapter_title, requirement.title,
                             requirement.level_label, sub_criterion(requirement, criteria)])
    last = max(row, start + 1)
    for column in range(6, 6 + OFFERS):
        answer_list(sheet, column, start + 1, last)
    must, wish = LEVEL_LABELS["exigence"], LEVEL_LABELS["souhait"]
    counts = [(f"{must}s non satisfaites (réponse « {ANSWERS[2]} »)", must, ANSWERS[2]),
              (f"{must}s satisfaites en partie (réponse « {ANSWERS[1]} »)", must, ANSWERS[1]),
              (f"{wish}s satisfaits (réponse « {ANSWERS[0]} »)", wish, ANSWERS[0])]
    for offset, (label, level, answer) in enumerate(counts, start=2):
        bold(put(sheet, last + offset, 3, label))
        for index, letter in enumerate(_ANSWERS):
            formula(sheet, last + offset, 6 + index,
                    f'=COUNTIFS($D${start + 1}:$D${last},"{level}",{letter}${start + 1}:{letter}${last},"{answer}")')
    return last + 2


def _scale_sheet(sheet: Sheet, content: Content, criteria: AwardCriteria) -> None:
    from deployer.analysis.vendor_facts import source_entry

    start = table(sheet, ["Barème de notation des sous-critères", criteria.price_formula],
                  ["Note", "Signification"], [10, 90])
    row = start
    for row, step in enumerate(criteria.scale, start=start + 1):
        put_row(sheet, row, [step.score, step.label])
    refs = [*criteria.sources, *criteria.weights_sources, *criteria.price_formula_sources,
            *(ref for criterion in criteria.criteres for ref in criterion.sources)]
    row += 2
    bold(put(sheet, row, 1, "Sources"))
    for entry in dict.fromkeys(source_entry(content, ref.source) for ref in refs):
        row += 1
        put(sheet, row, 2, str(entry))
