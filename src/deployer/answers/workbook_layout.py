"""The layout of the spreadsheet form, shared by the XLSX and ODS writers and readers.

One sheet for the profile (and what the file is: content version, group), then one sheet
per module in walk order; one row per question. Column A holds a hidden identifier that
makes reading back unambiguous; column C holds the answer, the only cells left unlocked.
A choice is picked by its French label in a drop-down list, « Je ne sais pas » included;
a multiple-choice question has one row per option, ticked with « x » (or ranked 1, 2, 3…).
The lists of labels, with the values they stand for, sit on a hidden « Listes » sheet, so a
workbook filled with an older content version can still be read and upgraded.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

from deployer.french import fix_typography

RowKind = Literal["section", "choix", "multiple", "case", "texte", "entier", "info"]
MARKER = "deployer-reponses"
LISTS_SHEET = "Listes"
HEADER_ROW = 3
FIRST_ROW = HEADER_ROW + 1
ANSWER_COLUMN = "C"
HEADERS = ("Identifiant", "Question", "Votre réponse", "Aide", "Pourquoi cette question", "S'applique si")
WIDTHS = (12, 46, 30, 46, 40, 26)  # in characters; column A is hidden
TICK = "x"
TICKS = {"x", "oui", "vrai", "true", "✓", "✔", "☑", "☒", "✗", "✘"}
INSTRUCTIONS = fix_typography(
    "Répondez dans la colonne « Votre réponse » (cases jaunes) : choisissez dans la liste déroulante, cochez avec "
    "« x » les réponses d'une question à choix multiples, ou écrivez. Une case vide = pas de réponse. "
    "Vérification : deployer answers check FICHIER")
MULTIPLE_HINT = fix_typography("Cochez ci-dessous une ou plusieurs réponses (« x ») ; pour les classer, "
                               "numérotez-les 1, 2, 3…")
KEY_VERSION, KEY_GROUP, KEY_POSITION, KEY_OBSOLETE = "version_contenu", "groupe", "en_cours", "obsoletes"


@dataclass(frozen=True)
class FormRow:
    """One row of a sheet; ``kind`` decides its style, its lock and its validation."""

    key: str
    kind: RowKind
    label: str
    answer: str | int | None = None
    help: str = ""
    why: str = ""
    when: str = ""
    choices: int | None = None  # the row of the « Listes » sheet holding the labels
    low: int | None = None
    high: int | None = None  # for a tick row: how many options (ranks 1 to high are offered)

    @property
    def editable(self) -> bool:
        """Whether the answer cell is left unlocked for the user."""
        return self.kind in ("choix", "case", "texte", "entier")


@dataclass(frozen=True)
class FormSheet:
    """One sheet: a title, the instructions, the header row, then the rows."""

    name: str
    title: str
    rows: list[FormRow]


@dataclass(frozen=True)
class ChoiceList:
    """The labels offered for one question and the values they stand for."""

    key: str
    labels: list[str]
    values: list[str]


def list_row(index: int) -> int:
    """Row of the « Listes » sheet holding the labels of list ``index`` (the values are on the next row)."""
    return 2 + 2 * index


@dataclass
class Form:
    """The whole workbook, ready for a writer; ``marker`` goes in cell A1 of the first sheet."""

    marker: str
    sheets: list[FormSheet] = field(default_factory=list)
    lists: list[ChoiceList] = field(default_factory=list)

    def add_list(self, key: str, labels: list[str], values: list[str]) -> int:
        """Register a drop-down list; return its row in the « Listes » sheet."""
        self.lists.append(ChoiceList(key, labels, values))
        return list_row(len(self.lists) - 1)

    def list_at(self, row: int) -> ChoiceList:
        """The list whose labels are on this row of the « Listes » sheet."""
        return self.lists[(row - list_row(0)) // 2]


def one_line(text: str | None) -> str:
    """Labels may be folded over several YAML lines: one line in a cell."""
    return " ".join((text or "").split())


LINE_HEIGHT_PT = 14.0


def row_height(row: FormRow) -> float:
    """An estimate of the height a row needs (in points) so that its wrapped texts show whole:
    spreadsheets do not always size rows themselves when they open a file."""
    texts = (row.label, "" if row.answer is None else str(row.answer), row.help, row.why, row.when)
    lines = max(_lines(text, width) for text, width in zip(texts, WIDTHS[1:], strict=True))
    return round(lines * LINE_HEIGHT_PT + 3, 1)


def _lines(text: str, width: int) -> int:
    per_line = max(int(width * 1.05), 1)
    return sum(max(-(-len(part) // per_line), 1) for part in text.split("\n")) if text else 1


@dataclass(frozen=True)
class Grid:
    """One sheet as a reader sees it: row number → the values of columns A, B, C…"""

    name: str
    rows: dict[int, tuple[Any, ...]]
