"""The requirements of one cahier des charges: chosen from the catalogue by the answers and the size.

Pure: ``select_requirements(content, answers)`` returns plain values that the CCTP, the cadre de
réponse and the grille d'analyse all read, so the three documents list the same requirements.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from deployer.answers.answers_file import Answers
from deployer.schema.content import Content
from deployer.schema.models import SourceRef
from deployer.schema.requirements import (
    LEVEL_LABELS,
    NO_ANSWER,
    PLACEHOLDER,
    PROFILE,
    AnswerCondition,
    Chapter,
    Level,
    Parameter,
    Requirement,
)

if TYPE_CHECKING:
    from deployer.analysis.budget.results import BudgetEstimate, Lot

TODO = "[À COMPLÉTER\u00a0: {}]"  # an open point; the CCTP lists each one before publication


@dataclass(frozen=True)
class ChosenRequirement:
    """A requirement as this collectivité's CCTP states it."""

    id: str  # stable catalogue id, e.g. « FON-BP-03 »: the number candidates answer against
    chapter: str  # catalogue chapter id, e.g. « budget-participatif »
    chapter_title: str
    section: str  # CCTP part it is printed in: fonctions, accessibilite, donnees, hebergement, accompagnement, service
    title: str  # short label
    text: str  # for candidates; open values as « [À COMPLÉTER : …] »
    level: Level  # exigence / souhait / option
    verification: str  # how the buyer checks it
    sources: tuple[SourceRef, ...]  # requirement's and its proposed defaults' sources
    open_points: tuple[str, ...] = ()  # each « … » of a « [À COMPLÉTER : …] » in ``text``
    lot: str | None = None  # id of the lot it belongs to when the purchase is allotted (procurement.yaml)
    services: tuple[str, ...] = ()  # the titulaire's services it applies to (« animation », « moderation »…)

    @property
    def level_label(self) -> str:
        """« Exigence », « Souhait » or « Option »."""
        return LEVEL_LABELS[self.level]


def select_requirements(content: Content, answers: Answers) -> list[ChosenRequirement]:
    """The catalogue's requirements that apply to these answers, chapter by chapter, in catalogue order."""
    from deployer.analysis.budget import titulaire_services

    band = content.size_band(answers.population).id if answers.population else None
    services = set(titulaire_services(content, answers))
    chosen: list[ChosenRequirement] = []
    for chapter, requirements in content.requirements:
        if not all(holds(c, answers) for c in chapter.when):
            continue
        chosen += [_choose(chapter, r, answers, band) for r in requirements
                   if applies(r, answers, band) and set(r.services) <= services]
    return chosen


def by_section(chosen: list[ChosenRequirement], section: str) -> list[tuple[str, list[ChosenRequirement]]]:
    """(chapter title, its requirements) for one part of the CCTP, chapters in catalogue order."""
    groups: dict[str, list[ChosenRequirement]] = {}
    for requirement in chosen:
        if requirement.section == section:
            groups.setdefault(requirement.chapter_title, []).append(requirement)
    return list(groups.items())


def by_lot(chosen: list[ChosenRequirement],
           estimate: BudgetEstimate | None) -> list[tuple[Lot, list[ChosenRequirement]]]:
    """Each lot of an allotted purchase with its requirements, in catalogue order, every requirement in
    exactly one lot (one whose lot is not bought here goes with the first, so that none is left out);
    empty when the purchase is not allotted."""
    if estimate is None or not estimate.allotted:
        return []
    lots = estimate.lots
    ids = {lot.id for lot in lots}
    return [(lot, [r for r in chosen if (r.lot if r.lot in ids else lots[0].id) == lot.id]) for lot in lots]


def applies(requirement: Requirement, answers: Answers, band: str | None) -> bool:
    """Whether the requirement belongs in this CCTP."""
    return (
        all(holds(c, answers) for c in requirement.when)
        and not any(holds(c, answers) for c in requirement.unless)
        and (requirement.sizes is None or band is None or band in requirement.sizes)
    )


def holds(condition: AnswerCondition, answers: Answers) -> bool:
    """Whether the answer is (or includes) one of the condition's values; no answer counts as « nsp »."""
    value: Any = (answers.profile.get(condition.question_id) if condition.module == PROFILE
                  else answers.get(condition.module, condition.question_id))
    if value is None or value == [] or value == NO_ANSWER:
        return NO_ANSWER in condition.values
    values = value if isinstance(value, list) else [value]
    return any(str(v) in condition.values for v in values)


def level_of(requirement: Requirement, answers: Answers, band: str | None) -> Level:
    """The first level rule that holds, else the requirement's default level."""
    for rule in requirement.levels:
        if all(holds(c, answers) for c in rule.when) and (rule.sizes is None or band in rule.sizes):
            return rule.level
    return requirement.level


def open_point(parameter: Parameter) -> str:
    """What the buyer must set, with the proposed value when the catalogue has a sourced one."""
    if parameter.default is None:
        return parameter.what
    return f"{parameter.what}\u00a0; valeur proposée\u00a0: {parameter.default}"


def _choose(chapter: Chapter, requirement: Requirement, answers: Answers, band: str | None) -> ChosenRequirement:
    points = {p.id: open_point(p) for p in requirement.parameters}
    text = PLACEHOLDER.sub(lambda m: TODO.format(points[m.group(1)]), requirement.text)
    used = tuple(points[name] for name in dict.fromkeys(PLACEHOLDER.findall(requirement.text)))
    sources = (*requirement.sources, *(s for p in requirement.parameters for s in p.sources))
    return ChosenRequirement(
        id=requirement.id, chapter=chapter.id, chapter_title=chapter.title, section=chapter.section,
        title=requirement.title, text=text, level=level_of(requirement, answers, band),
        verification=requirement.verification, sources=tuple(dict.fromkeys(sources)), open_points=used,
        lot=requirement.lot or chapter.lot, services=tuple(requirement.services),
    )
