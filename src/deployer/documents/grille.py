"""grille-d-analyse.xlsx: the buyer scores the offers with the award criteria of the note de
cadrage (content/award-criteria.yaml: the same criteria, sub-criteria and weights), the scoring
scale and the price formula. Formulas use only functions that LibreOffice and Excel share (IF,
ISNUMBER, SUM, MIN, RANK, COUNTIFS).

Sheets: « Notation » (a mark per sub-criterion and offer, points, total, rank), « Prix » (the
price formula), « Conformité » (each requirement of the CCTP with each candidate's answer, pasted
from the cadres de réponse in the same order; unmet exigences counted) and « Barème ».
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from deployer.documents.benchmark_table import OFFER_COLUMNS
from deployer.documents.spreadsheet import bold, formula, print_setup, put, put_row, table, workbook_bytes
from deployer.documents.xlsx_writer import Sheet, Validation, Workbook

if TYPE_CHECKING:
    from deployer.analysis.dossier_analysis import DossierAnalysis
    from deployer.analysis.requirements import ChosenRequirement
    from deployer.documents.page import PageInfo
    from deployer.schema.content import Content
    from deployer.schema.requirements import AwardCriteria, AwardCriterion, SubCriterion

GRILLE_FILE = "grille-d-analyse.xlsx"
GRILLE_TITLE = "Grille d'analyse des offres"
PRICE = "prix"  # the id of the price criterion in content/award-criteria.yaml
OFFERS = len(OFFER_COLUMNS)
_NOTE = ("D", "E", "F")  # marks of offers A, B, C on « Notation »
_POINTS = ("G", "H", "I")
_ANSWERS = ("F", "G", "H")  # answers of offers A, B, C on « Conformité »
PRICE_FIRST_ROW = 5  # « Prix »: two title lines, a blank row, the header, then one row per offer


def grille_xlsx(analysis: DossierAnalysis, page: PageInfo) -> bytes:
    """The workbook, as bytes; without award criteria in the content, the conformity sheet only.
    An allotted purchase gets the « Notation », « Prix » and « Conformité » sheets once per lot
    (« Notation lot 1 »…), each lot scored on its own requirements."""
    criteria = analysis.content.award_criteria
    workbook = Workbook()
    blocks = [Block(f" lot {n}", lot.label, chosen) for n, (lot, chosen) in enumerate(analysis.lots, start=1)]
    for index, block in enumerate(blocks or [Block("", "", analysis.requirements)]):
        conformity = workbook.create_sheet(block.sheet("Conformité")) if index else workbook.active
        conformity.title = block.sheet("Conformité")
        unmet = _conformity_sheet(conformity, block, criteria)
        if criteria is not None:
            notation = workbook.create_sheet(block.sheet("Notation"), 3 * index)
            price_row = _notation_sheet(notation, criteria, unmet, block, allotted=bool(blocks))
            _price_sheet(workbook.create_sheet(block.sheet("Prix"), 3 * index + 1), criteria, price_row, block)
    if criteria is not None:
        _scale_sheet(workbook.create_sheet("Barème"), analysis.content, criteria)
        workbook.active_index = 0
    for sheet in workbook:
        print_setup(sheet, page)
    return workbook_bytes(workbook, page)


@dataclass(frozen=True)
class Block:
    """The sheets of one lot (or of the whole purchase when it is not allotted)."""

    suffix: str  # « » or « lot 1 », added to each sheet's name
    label: str  # the lot's label, or « »
    requirements: list[ChosenRequirement]

    def sheet(self, name: str) -> str:
        """A sheet's name: « Prix », « Prix lot 1 »."""
        return name + self.suffix

    def ref(self, name: str) -> str:
        """The sheet's name as a formula names it: « Prix! », « 'Prix lot 1'! »."""
        return f"'{self.sheet(name)}'!" if self.suffix else f"{name}!"

    def title(self, text: str) -> str:
        """A sheet's title, with the lot's label when allotted."""
        return f"{text} — {self.label}" if self.label else text


def scored_parts(criterion: AwardCriterion, criteria: AwardCriteria,
                 requirements: list[ChosenRequirement] | None = None) -> list[tuple[str, int]]:
    """(sub-criterion, points) scored for a criterion: its sub-criteria, or the criterion itself.
    For one lot (``requirements``: the lot's), only the sub-criteria its requirements are appreciated
    under, their points brought back to the criterion's weight pro rata (the last takes the rounding);
    the criterion itself when none is."""
    subs = criterion.sub_criteria
    if requirements is not None:
        used = {id(pair[1]) for r in requirements if (pair := _sub_of(r, criteria)) is not None}
        subs = [sub for sub in subs if id(sub) in used]
        if not subs:
            return [(criterion.what, criterion.weight)]
        total = sum(sub.weight for sub in subs)
        points = [round(sub.weight * criterion.weight / total) for sub in subs[:-1]] if total else []
        return [(sub.label, p) for sub, p in zip(subs, [*points, criterion.weight - sum(points)], strict=True)]
    return [(s.label, s.weight) for s in subs] or [(criterion.what, criterion.weight)]


def max_mark(criteria: AwardCriteria) -> int:
    """The top of the scoring scale (4 for a scale from 0 to 4)."""
    return max(step.score for step in criteria.scale)


def _notation_sheet(sheet: Sheet, criteria: AwardCriteria, unmet: int, block: Block, allotted: bool) -> int | None:
    """One row per sub-criterion (or criterion without any), the price row fed by « Prix »,
    total, rank and the count of unmet exigences. Returns the price row."""
    top = max_mark(criteria)
    lot_note = " " + criteria.lot_rule if allotted else ""
    start = table(sheet, [
        block.title("Grille d'analyse des offres"), criteria.weights_note + lot_note,
        f"Notez chaque sous-critère de 0 à {top} selon le barème (feuille « Barème ») ; les points se "
        f"calculent. Le prix est noté sur la feuille « {block.sheet('Prix')} ». Renommez les offres sur chaque "
        "feuille."],
        ["Critère", "Sous-critère", "Pondération (points)", *(f"Note {o}" for o in OFFER_COLUMNS),
         *(f"Points {o}" for o in OFFER_COLUMNS)], [22, 44, 12, 11, 11, 11, 11, 11, 11])
    row, price_row = start, None
    for criterion in criteria.criteres:
        for label, weight in scored_parts(criterion, criteria, block.requirements if allotted else None):
            row += 1
            put_row(sheet, row, [criterion.label, label, weight])
            if criterion.id == PRICE:
                price_row = row
                put(sheet, row, 2, f"Formule de la feuille « {block.sheet('Prix')} »")
                for index in range(OFFERS):
                    formula(sheet, row, 7 + index, f"={block.ref('Prix')}C{PRICE_FIRST_ROW + index}", "0.00")
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
        formula(sheet, total + 2, 7 + _POINTS.index(column),
                f"={block.ref('Conformité')}{_ANSWERS[_POINTS.index(column)]}{unmet}")
    put(sheet, total + 1, 1, "Classement")
    put(sheet, total + 2, 1, f"Exigences non satisfaites (feuille « {block.sheet('Conformité')} ») : une offre qui "
                             "ne satisfait pas une exigence est irrégulière")
    sheet.merge_cells(f"A{total + 2}:F{total + 2}")
    return price_row


def _marks_validation(sheet: Sheet, cells: str, top: int) -> None:
    sheet.add_validation(Validation("whole", cells, "0", str(top), error_title="Note",
                                    error=f"Une note entière de 0 à {top}, selon le barème."))


def _price_sheet(sheet: Sheet, criteria: AwardCriteria, price_row: int | None, block: Block) -> None:
    """Each offer's total price; its points by the formula of the award criteria."""
    start = table(sheet, [block.title("Notation du prix"), criteria.price_formula],
                  ["Offre", f"Montant total HT de la décomposition du prix{' du lot' if block.label else ''} (€)",
                   "Points"], [20, 30, 14])
    weight = f"{block.ref('Notation')}$C${price_row}" if price_row else "0"
    last = start + OFFERS
    for index, offer in enumerate(OFFER_COLUMNS, start=1):
        row = start + index
        put(sheet, row, 1, offer)
        sheet.cell(row=row, column=2).number_format = '#,##0.00 "€"'
        formula(sheet, row, 3, f'=IF(AND(ISNUMBER(B{row}),B{row}>0),{weight}*MIN($B${start + 1}:$B${last})/B{row},"")',
                "0.00")


def _sub_of(requirement: ChosenRequirement, criteria: AwardCriteria) -> tuple[AwardCriterion, SubCriterion] | None:
    """The sub-criterion under which a requirement is appreciated (by chapter, then by part)."""
    subs = [(criterion, sub) for criterion in criteria.criteres for sub in criterion.sub_criteria]
    return (next((pair for pair in subs if requirement.chapter in pair[1].chapters), None)
            or next((pair for pair in subs if requirement.section in pair[1].sections), None))


def sub_criterion(requirement: ChosenRequirement, criteria: AwardCriteria | None) -> str:
    """« Criterion : sub-criterion » under which a requirement is appreciated, or « »."""
    pair = _sub_of(requirement, criteria) if criteria is not None else None
    return f"{pair[0].label} : {pair[1].label}" if pair else ""


def _conformity_sheet(sheet: Sheet, block: Block, criteria: AwardCriteria | None) -> int:
    """Each requirement and the answer of each offer; returns the row counting unmet exigences."""
    from deployer.documents.reply_kit import ANSWERS, answer_list
    from deployer.schema.requirements import LEVEL_LABELS

    start = table(sheet, [
        block.title("Conformité des offres aux exigences du CCTP"),
        "Collez dans chaque colonne d'offre la colonne « Réponse du candidat » de son cadre de réponse "
        + ("(lignes du lot, même ordre)" if block.label else "(mêmes lignes, même ordre)")
        + ", ou choisissez la réponse dans la liste."],
        ["Réf.", "Chapitre", "Exigence", "Niveau", "Apprécié au titre de", *OFFER_COLUMNS],
        [10, 18, 34, 10, 34, 13, 13, 13])
    row = start
    for row, requirement in enumerate(block.requirements, start=start + 1):
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
