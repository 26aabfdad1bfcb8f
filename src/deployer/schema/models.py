"""The content schema: what every YAML file under content/ may contain.

Field names are the YAML keys, so the YAML, the docs and the code use the same words.
Each field's ``description`` is the documentation content authors read.
"""

from __future__ import annotations

from datetime import date
from functools import cached_property
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

Severity = Literal["bloquant", "majeur", "mineur"]
QuestionType = Literal["choix", "multiple", "texte", "entier"]
UNKNOWN = "nsp"  # the value stored for « Je ne sais pas »
UNKNOWN_LABEL = "Je ne sais pas"


class Strict(BaseModel):
    """Frozen, and a misspelt key is an error."""

    model_config = ConfigDict(frozen=True, extra="forbid", defer_build=True)


class SourceRef(Strict):
    """A pointer to an entry of sources.yaml, and where in it."""

    source: str = Field(description="Identifiant d'une entrée de sources.yaml.")
    section: str | None = Field(None, description="Partie, page ou tableau du document.")


class Source(Strict):
    """A document cited by the content."""

    id: str
    title: str = Field(description="Titre réel du document.")
    publisher: str = Field(description="Éditeur ou auteur.")
    date: str = Field(description="Date de publication (AAAA, AAAA-MM ou AAAA-MM-JJ).")
    kind: Literal["seed", "public"] = Field(description="Document d'origine ou texte public.")
    file: str | None = Field(None, description="Fichier du document source (seeds/).")
    url: str | None = None
    note: str | None = None


class Practice(Strict):
    """A documented good practice, illustrated by named collectivités."""

    id: str
    statement: str = Field(description="Énoncé court de la bonne pratique.")
    why: str = Field(description="Pourquoi elle compte.")
    sources: list[SourceRef] = Field(min_length=1)
    examples: list[str] = Field(
        default_factory=list, description="Collectivités citées en exemple par la source."
    )


class Flag(Strict):
    """A risk the evidence warns about, raised by an answer."""

    severity: Severity
    message: str = Field(description="Explication en français du risque.")
    sources: list[SourceRef] = Field(min_length=1)
    sizes: list[str] | None = Field(
        None, description="Tranches de taille concernées (toutes si absent)."
    )


class Option(Strict):
    """One allowed answer to a question."""

    value: str = Field(description="Valeur enregistrée dans le fichier de réponses.")
    label: str = Field(description="Libellé affiché.")
    points: int | dict[str, int] = Field(
        0,
        description="Points ; ou, selon la taille, {tranche: points, default: points}.",
    )
    flag: Flag | None = None
    feedback: str | None = Field(None, description="Repère affiché après ce choix.")
    feedback_sizes: list[str] | None = Field(
        None, description="Tranches de taille auxquelles le repère s'adresse (toutes si absent)."
    )
    exclusive: bool = Field(
        False, description="Type multiple : option qui ne peut pas être cochée avec une autre (« Aucun… »)."
    )


class Condition(Strict):
    """Ask a question only when an earlier answer is one of some values."""

    model_config = ConfigDict(frozen=True, extra="forbid", defer_build=True, populate_by_name=True)

    question: str = Field(description="Identifiant d'une question posée avant.")
    values: list[str] = Field(alias="in", min_length=1, description="Valeurs qui déclenchent.")


class Repere(Strict):
    """A benchmark figure from the sources, shown with the question."""

    text: str
    sources: list[SourceRef] = Field(min_length=1)
    sizes: list[str] | None = Field(
        None, description="Tranches de taille concernées (toutes si absent)."
    )


class Question(Strict):
    """One question of a module or of the profile."""

    id: str
    type: QuestionType
    label: str = Field(description="La question telle qu'elle est posée.")
    help: str | None = Field(None, description="Aide : ce que recouvre la question.")
    why: str | None = Field(None, description="Pourquoi on la pose.")
    options: list[Option] = Field(default_factory=list)
    allow_unknown: bool = Field(False, description="Propose « Je ne sais pas ».")
    when: Condition | None = None
    practices: list[str] = Field(
        default_factory=list, description="Bonnes pratiques que la question évalue."
    )
    repere: Repere | None = None
    unknown_flag: Flag | None = Field(None, description="Signal levé par la réponse « Je ne sais pas ».")
    max_points: int | None = Field(None, description="Plafond des points (type multiple).")
    min: int | None = Field(None, description="Minimum (type entier).")
    max: int | None = Field(None, description="Maximum (type entier).")

    @cached_property
    def scored(self) -> bool:
        """Whether the question's options carry points."""
        return self.type in ("choix", "multiple") and any(
            v != 0 for o in self.options for v in _points_values(o.points)
        )

    def option(self, value: str) -> Option | None:
        """The option with this value, if any."""
        return self._options_by_value.get(value) if isinstance(value, str) else None

    @cached_property
    def _options_by_value(self) -> dict[str, Option]:
        return {o.value: o for o in reversed(self.options)}  # reversed: the first of duplicates wins

    @cached_property
    def allowed_values(self) -> list[str]:
        """Every value the answers file may hold for this question."""
        values = [o.value for o in self.options]
        return [*values, UNKNOWN] if self.allow_unknown else values


def _points_values(points: int | dict[str, int]) -> list[int]:
    return list(points.values()) if isinstance(points, dict) else [points]


class CombinedFlag(Strict):
    """A risk raised by several answers of one module together (every condition holds)."""

    question: str = Field(description="Question à laquelle le signal est rattaché (actions prioritaires).")
    all: list[Condition] = Field(min_length=2, description="Conditions qui doivent toutes être remplies.")
    flag: Flag


class AnswerCondition(Strict):
    """An answer of any module is one of some values."""

    model_config = ConfigDict(frozen=True, extra="forbid", defer_build=True, populate_by_name=True)

    module: str = Field(description="Identifiant du module.")
    question: str = Field(description="Identifiant de la question dans ce module.")
    values: list[str] = Field(alias="in", min_length=1, description="Valeurs concernées.")


class Contradiction(Strict):
    """Two answers, often in two modules, that cannot both be true (overlapping questions)."""

    answers: list[AnswerCondition] = Field(min_length=2, max_length=2)
    message: str = Field(description="Ce qui se contredit et comment trancher.")


class DurationLimit(Strict):
    """The contract's whole length (initial duration, then each renewal) may not exceed a maximum."""

    months: str = Field(description="Question (type entier) de la durée initiale, en mois.")
    renewals: str = Field(description="Question (type entier) du nombre de reconductions.")
    renewal_months: str | None = Field(
        None, description="Question (type entier) de la durée de chaque reconduction ; 0 ou sans réponse : la "
        "durée initiale.")
    max_months: int = Field(gt=0, description="Durée totale maximale, reconductions comprises.")
    unless: Condition | None = Field(
        None, description="Réponse qui lève la limite (par exemple un marché ordinaire, quand la limite est celle "
        "d'un accord-cadre).")
    unless_hint: str | None = Field(
        None, description="Phrase ajoutée au message tant que la question de « unless » n'a pas de réponse.")
    message: str = Field(description="Explication ; champs {months}, {renewals} (« 2 reconductions de 12 mois »), "
                         "{total}, {max_months}.")
    sources: list[SourceRef] = Field(min_length=1)


class Facilitator(Strict):
    """Notes for trainers running the module in a workshop."""

    duration_minutes: int = Field(gt=0)
    prompts: list[str] = Field(min_length=1, description="Questions pour lancer la discussion.")
    exercise: str = Field(description="Exercice de groupe.")


QuizAnswer = Literal["mythe", "réalité", "nuancé"]
QUIZ_LABELS: dict[str, str] = {"mythe": "Mythe", "réalité": "Réalité", "nuancé": "Nuancé"}


class QuizItem(Strict):
    """A « mythes et réalités » statement."""

    id: str
    statement: str
    answer: QuizAnswer
    evidence: str
    sources: list[SourceRef] = Field(min_length=1)

    def as_question(self) -> Question:
        """The statement as an unscored choice (mythe, réalité, nuancé) for the walk and the files.

        Each option's feedback gives the expected answer and the evidence, so the walk shows
        them after the group has answered, like any other feedback.
        """
        expected = QUIZ_LABELS[self.answer]
        options = [
            Option(
                value=value,
                label=label,
                feedback=(f"Bonne réponse\u00a0: {expected}. " if value == self.answer
                          else f"Réponse attendue\u00a0: {expected}. ") + self.evidence,
            )
            for value, label in QUIZ_LABELS.items()
        ]
        return Question(id=self.id, type="choix", label=self.statement,
                        help="Mythe, réalité ou nuancé\u00a0?", options=options)


class Module(Strict):
    """A module of the training: scored modules hold questions, module 0 holds a quiz."""

    id: str
    order: int = Field(ge=0)
    title: str
    summary: str
    scored: bool = True
    intro: str = Field("", description="Texte d'introduction (Markdown).")
    sources: list[SourceRef] = Field(min_length=1)
    facilitator: Facilitator | None = None
    questions: list[Question] = Field(default_factory=list)
    combined_flags: list[CombinedFlag] = Field(
        default_factory=list, description="Signaux levés par une combinaison de réponses du module."
    )
    duration_limit: DurationLimit | None = Field(
        None, description="Durée totale maximale du contrat, vérifiée partout où les réponses sont lues."
    )
    contradictions: list[Contradiction] = Field(
        default_factory=list, description="Réponses incompatibles entre questions qui se recoupent."
    )
    quiz: list[QuizItem] = Field(default_factory=list)

    @cached_property
    def walk_questions(self) -> list[Question]:
        """What the walk asks and answers files hold: the questions, then the quiz statements."""
        return [*self.questions, *(item.as_question() for item in self.quiz)]


class SizeBand(Strict):
    """A population band: expectations depend on the collectivité's size."""

    id: str
    label: str
    min: int = Field(ge=0)
    max: int | None = Field(None, description="Borne exclue ; absent pour la dernière tranche.")


class Profile(Strict):
    """The profile questions asked first, and the size bands."""

    questions: list[Question] = Field(min_length=1)
    size_bands: list[SizeBand] = Field(min_length=1)
    sources: list[SourceRef] = Field(min_length=1)


class Meta(Strict):
    """Version of the content set."""

    version: str
    title: str
    reviewed_on: date = Field(
        description="Date de la dernière relecture du contenu : les textes « en vigueur » le sont à cette date."
    )
