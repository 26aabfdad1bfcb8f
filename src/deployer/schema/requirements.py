"""The requirements catalogue (content/requirements/*.yaml) and the award criteria
(content/award-criteria.yaml): what a cahier des charges may require, and how offers are scored.

One file per chapter of the catalogue. Each requirement says when it applies (conditions on
the answers and the collectivité's size), its level, how the buyer checks it, and its sources.
"""

from __future__ import annotations

import re
from typing import Literal

from pydantic import ConfigDict, Field

from deployer.schema.models import SourceRef, Strict

Level = Literal["exigence", "souhait", "option"]
LEVEL_LABELS: dict[str, str] = {"exigence": "Exigence", "souhait": "Souhait", "option": "Option"}
Section = Literal["fonctions", "accessibilite", "donnees", "hebergement", "accompagnement", "service"]
NO_ANSWER = "nsp"  # in a condition: no answer, or « Je ne sais pas »
PROFILE = "profil"  # conditions on profile questions: « profil.type »
PLACEHOLDER = re.compile(r"\{([a-z_]+)\}")  # a parameter in a requirement's text: « {disponibilite} »


class AnswerCondition(Strict):
    """Holds when the answer to a question is (or, for a multiple choice, includes) one of some values."""

    model_config = ConfigDict(frozen=True, extra="forbid", defer_build=True, populate_by_name=True)

    question: str = Field(
        pattern=r"^[a-z_]+\.[a-z_]+$",
        description="« module.question », par exemple « prestataire.fonctionnalites ».",
    )
    values: list[str] = Field(
        alias="in", min_length=1,
        description="Valeurs qui satisfont la condition ; « nsp » : pas de réponse ou « Je ne sais pas ».",
    )

    @property
    def module(self) -> str:
        """The module id part."""
        return self.question.split(".", 1)[0]

    @property
    def question_id(self) -> str:
        """The question id part."""
        return self.question.split(".", 1)[1]


class LevelRule(Strict):
    """A level that replaces the requirement's default level when its conditions hold."""

    level: Level
    when: list[AnswerCondition] = Field(default_factory=list, description="Toutes doivent être vraies.")
    sizes: list[str] | None = Field(None, description="Tranches de taille concernées (toutes si absent).")


class Parameter(Strict):
    """A value the buyer sets (a service level, a delay): shown as « [À COMPLÉTER : …] »."""

    id: str = Field(pattern=r"^[a-z_]+$", description="Nom utilisé dans le texte : {id}.")
    what: str = Field(description="Ce que l'acheteur doit fixer.")
    default: str | None = Field(
        None, description="Valeur proposée, tirée d'une source citée (jamais un chiffre de marché inventé)."
    )
    sources: list[SourceRef] = Field(default_factory=list, description="D'où vient la valeur proposée.")


class Requirement(Strict):
    """One numbered requirement of the cahier des charges."""

    id: str = Field(pattern=r"^[A-Z]{2,4}(-[A-Z]{2,4})?-\d{2}$", description="Identifiant stable, ex. FON-BP-03.")
    title: str = Field(description="Intitulé court (cadre de réponse, grille).")
    text: str = Field(description="Texte pour les candidats, neutre (aucune marque ni produit).")
    level: Level = Field(description="Niveau par défaut : exigence, souhait ou option.")
    levels: list[LevelRule] = Field(
        default_factory=list, description="Niveaux selon les réponses ou la taille ; la première règle vraie l'emporte."
    )
    when: list[AnswerCondition] = Field(
        default_factory=list, description="Inclure seulement si toutes ces conditions sont vraies."
    )
    unless: list[AnswerCondition] = Field(
        default_factory=list, description="Exclure si l'une de ces conditions est vraie."
    )
    sizes: list[str] | None = Field(None, description="Tranches de taille où l'exigence s'applique (toutes si absent).")
    services: list[str] = Field(
        default_factory=list, description="Prestations que le titulaire doit assurer pour que l'exigence s'applique "
        "(toutes ; valeurs de prestataire.prestations), comptées comme le budget : demandées ou confiées par une "
        "réponse de rôle, sans conflit avec une réponse qui les garde à la collectivité.")
    verification: str = Field(description="Comment l'acheteur vérifie l'exigence.")
    sources: list[SourceRef] = Field(
        default_factory=list, description="Obligatoire si le texte énonce un chiffre ou une règle."
    )
    parameters: list[Parameter] = Field(default_factory=list)
    lot: str | None = Field(
        None, description="Lot dont relève l'exigence quand le marché est alloti (id de procurement.yaml "
                          "allotment.lots), s'il diffère de celui du chapitre."
    )


class Chapter(Strict):
    """A chapter of the catalogue."""

    id: str = Field(pattern=r"^[a-z-]+$")
    title: str
    order: int = Field(ge=0)
    section: Section = Field(description="Chapitre du cahier des charges où les exigences s'affichent.")
    intro: str | None = Field(None, description="Phrase d'introduction pour les candidats.")
    when: list[AnswerCondition] = Field(default_factory=list, description="Conditions communes à tout le chapitre.")
    lot: str | None = Field(
        None, description="Lot dont relèvent les exigences du chapitre quand le marché est alloti "
                          "(id de procurement.yaml allotment.lots)."
    )


class RequirementsFile(Strict):
    """One file of content/requirements/."""

    chapitre: Chapter
    exigences: list[Requirement] = Field(min_length=1)


class SubCriterion(Strict):
    """A sub-criterion of the technical value, checked against chapters of the catalogue."""

    id: str
    label: str
    weight: int = Field(ge=0, description="Points proposés, à arrêter par l'acheteur.")
    chapters: list[str] = Field(default_factory=list, description="Chapitres du catalogue appréciés ici.")
    sections: list[Section] = Field(default_factory=list, description="Ou des parties entières du CCTP.")


class AwardCriterion(Strict):
    """An award criterion of the règlement de la consultation."""

    id: str
    label: str
    weight: int = Field(ge=0, le=100, description="Pondération proposée, en points sur 100.")
    what: str = Field(description="Ce qui est apprécié.")
    sub_criteria: list[SubCriterion] = Field(default_factory=list)
    sources: list[SourceRef] = Field(default_factory=list)


class ScaleStep(Strict):
    """One step of the scoring scale of a sub-criterion."""

    score: int = Field(ge=0)
    label: str


class AwardCriteria(Strict):
    """content/award-criteria.yaml: criteria, weights, scoring scale and price formula."""

    criteres: list[AwardCriterion] = Field(min_length=1)
    weights_note: str = Field(description="D'où viennent les pondérations proposées (note pour l'acheteur).")
    weights_sources: list[SourceRef] = Field(min_length=1)
    scale: list[ScaleStep] = Field(min_length=2, description="Barème de notation des sous-critères.")
    price_formula: str = Field(description="Formule de notation du prix, en clair.")
    lot_rule: str = Field(description="Comment un lot d'un marché alloti est noté (grille et note de cadrage).")
    price_formula_sources: list[SourceRef] = Field(default_factory=list)
    sources: list[SourceRef] = Field(min_length=1)
