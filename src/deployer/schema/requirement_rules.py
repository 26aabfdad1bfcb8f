"""Cross-file rules of the requirements catalogue and the award criteria."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterator
from typing import TYPE_CHECKING

from deployer.schema.models import UNKNOWN
from deployer.schema.requirements import PLACEHOLDER, PROFILE, AnswerCondition, Requirement
from deployer.schema.yaml_files import Problem

if TYPE_CHECKING:
    from deployer.schema.content import Content

_FIGURE = re.compile(r"\d")


def requirement_problems(content: Content) -> list[Problem]:
    """Duplicate ids, unknown questions, values, size bands, sources and placeholders."""
    problems: list[Problem] = []
    files: dict[str, list[str]] = {}
    for chapter, reqs in content.requirements:
        for r in reqs:
            files.setdefault(r.id, []).append(content.requirement_files.get(chapter.id, chapter.id))
    problems += [Problem(where[0], "exigences", f"identifiant « {i} » en double ({', '.join(sorted(set(where)))})")
                 for i, where in files.items() if len(where) > 1]
    problems += [Problem("requirements/", "chapitre", f"chapitre « {i} » en double")
                 for i, n in Counter(c.id for c, _ in content.requirements).items() if n > 1]
    for chapter, requirements in content.requirements:
        file = content.requirement_files.get(chapter.id, chapter.id)
        problems += [Problem(file, "chapitre › when", m) for m in _conditions(content, chapter.when)]
        problems += [Problem(file, "chapitre › lot", m) for m in _lot(content, chapter.lot, required=False)]
        for i, requirement in enumerate(requirements):
            where = f"exigences[{i}] ({requirement.id})"
            problems += [Problem(file, where, m) for m in _requirement(content, requirement)]
            problems += [Problem(file, f"{where} › lot", m)
                         for m in _lot(content, requirement.lot or chapter.lot, required=True)]
    problems += _criteria_problems(content)
    return problems


def _requirement(content: Content, r: Requirement) -> Iterator[str]:
    bands = {b.id for b in content.profile.size_bands}
    yield from _conditions(content, [*r.when, *r.unless, *(c for rule in r.levels for c in rule.when)])
    yield from _services(content, r.services)
    for sizes in [r.sizes or [], *(rule.sizes or [] for rule in r.levels)]:
        for band in set(sizes) - bands:
            yield f"tranche de taille inconnue : « {band} »"
    refs = [*r.sources, *(s for p in r.parameters for s in p.sources)]
    for ref in refs:
        if ref.source not in content.sources:
            yield f"source inconnue : « {ref.source} »"
    used = set(PLACEHOLDER.findall(r.text))
    declared = {p.id for p in r.parameters}
    for name in sorted(used - declared):
        yield f"« {{{name}}} » dans le texte, mais aucun paramètre « {name} »"
    for name in sorted(declared - used):
        yield f"paramètre « {name} » jamais utilisé dans le texte"
    for p in r.parameters:
        if p.default is not None and not p.sources:
            yield f"paramètre « {p.id} » : une valeur proposée doit citer sa source (sources)"
    if _FIGURE.search(PLACEHOLDER.sub("", r.text)) and not r.sources:
        yield "le texte énonce un chiffre ou une règle : citez sa source (sources)"


def _services(content: Content, services: list[str]) -> Iterator[str]:
    """The services a requirement depends on are values of prestataire.prestations."""
    offered = content.question("prestataire", "prestations")
    allowed = offered.allowed_values if offered is not None else []
    for service in sorted(set(services) - set(allowed)):
        yield f"prestation inconnue « {service} » (services) ; valeurs permises : {', '.join(allowed)}"


def _lot(content: Content, lot: str | None, required: bool) -> Iterator[str]:
    """A lot must be one of procurement.yaml's lots; with lots there, every requirement names its own."""
    allotment = content.procurement.allotment if content.procurement else None
    lots = [d.id for d in allotment.lots] if allotment else []
    if lot is None:
        if required and lots:
            yield f"lot manquant (chapitre › lot ou lot de l'exigence) ; lots permis : {', '.join(lots)}"
    elif lot not in lots:
        yield f"lot inconnu « {lot} » ; lots permis : {', '.join(lots) or 'aucun (procurement.yaml › allotment)'}"


def _conditions(content: Content, conditions: list[AnswerCondition]) -> Iterator[str]:
    for condition in conditions:
        if condition.module == PROFILE:
            question = next((q for q in content.profile.questions if q.id == condition.question_id), None)
        else:
            question = content.question(condition.module, condition.question_id)
        if question is None:
            yield f"condition : question inconnue « {condition.question} » (attendu : module.question)"
            continue
        allowed = list(dict.fromkeys([*question.allowed_values, UNKNOWN]))  # « nsp »: no answer
        unknown = sorted(set(condition.values) - set(allowed))
        if unknown:
            yield (f"condition sur « {condition.question} » : valeur(s) inconnue(s) {unknown} ; "
                   f"valeurs permises : {', '.join(allowed)}")


def _criteria_problems(content: Content) -> list[Problem]:
    criteria = content.award_criteria
    if criteria is None:
        return []
    file = "award-criteria.yaml"
    problems = []
    total = sum(c.weight for c in criteria.criteres)
    if total != 100:
        problems.append(Problem(file, "criteres", f"les pondérations font {total} points au lieu de 100"))
    chapters = {c.id for c, _ in content.requirements}
    for criterion in criteria.criteres:
        subtotal = sum(s.weight for s in criterion.sub_criteria)
        if criterion.sub_criteria and subtotal != criterion.weight:
            problems.append(Problem(file, criterion.id,
                                    f"les sous-critères font {subtotal} points au lieu de {criterion.weight}"))
        for sub in criterion.sub_criteria:
            problems += [Problem(file, f"{criterion.id} › {sub.id}", f"chapitre inconnu : « {c} »")
                         for c in sub.chapters if c not in chapters]
    refs = [*criteria.sources, *criteria.weights_sources, *criteria.price_formula_sources,
            *(s for c in criteria.criteres for s in c.sources)]
    problems += [Problem(file, "sources", f"source inconnue : « {r.source} »")
                 for r in refs if r.source not in content.sources]
    return problems
