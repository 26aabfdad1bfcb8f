"""Cross-file rules of the content, beyond what each file's schema says."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Iterator
from typing import TYPE_CHECKING, Any

from pydantic import BaseModel

from deployer.schema.models import CombinedFlag, Condition, Contradiction, Module, Practice, Question, Source, SourceRef
from deployer.schema.requirement_rules import requirement_problems
from deployer.schema.vendors import catalogue_problems
from deployer.schema.wording_rules import wording_problems
from deployer.schema.yaml_files import Problem

if TYPE_CHECKING:
    from deployer.schema.content import Content

# An ordinary space before « ? ! ; : » » or after « « » breaks French typography:
# the space must be non-breaking (U+00A0) or narrow non-breaking (U+202F).
_BAD_SPACE = re.compile(r"(?: [?!;:»])|(?:« )")


def check_rules(content: Content, sources: list[Source], practices: list[Practice]) -> list[Problem]:
    """Every cross-reference and authoring rule, as a flat list of problems."""
    problems: list[Problem] = []
    problems += _duplicates("sources/", "sources", [s.id for s in sources])
    problems += _duplicates("practices/", "practices", [p.id for p in practices])
    problems += _duplicates("modules/", "modules", [m.id for m in content.modules])
    for module in content.modules:
        problems += _check_module(content, module)
    problems += _check_profile(content)
    for practice in practices:
        problems += _check_refs(content, f"practices › {practice.id}", practice)
    for i, vendor in enumerate(content.vendors):
        problems += _check_refs(content, f"vendors.yaml › vendors[{i}]", vendor)
    problems += [Problem("vendors.yaml", "vendors", m) for m in catalogue_problems(content.vendors)]
    for i, criterion in enumerate(content.benchmark_criteria):
        problems += _check_refs(content, f"benchmark.yaml › criteres[{i}]", criterion)
    problems += wording_problems(content)
    for file, value in (("budget.yaml", content.budget), ("procurement.yaml", content.procurement),
                        ("prices/observations.yaml", content.prices)):
        if value is not None:
            problems += _check_refs(content, file, value)
    problems += requirement_problems(content)
    problems += _typography(content)
    return problems


def _duplicates(file: str, key: str, ids: list[str]) -> list[Problem]:
    return [
        Problem(file, key, f"identifiant « {i} » en double")
        for i, n in Counter(ids).items()
        if n > 1
    ]


def _check_module(content: Content, module: Module) -> list[Problem]:
    file = content.module_files.get(module.id, f"modules/{module.id}")
    problems = _duplicates(file, "questions", [q.id for q in module.questions])
    problems += _check_refs(content, file, module)
    if module.scored and not module.questions:
        problems.append(Problem(file, "questions", "un module noté doit avoir des questions"))
    seen: dict[str, Question] = {}
    for i, question in enumerate(module.questions):
        where = f"questions[{i}] ({question.id})"
        problems += [Problem(file, where, m) for m in _question_problems(content, question, seen)]
        seen[question.id] = question
    if module.duration_limit is not None:
        for key in ("months", "renewals"):
            qid = getattr(module.duration_limit, key)
            if qid not in seen or seen[qid].type != "entier":
                problems.append(Problem(file, f"duration_limit › {key}",
                                        f"« {qid} » n'est pas une question de type « entier » de ce module"))
        problems += [Problem(file, "duration_limit › unless", m)
                     for m in _unless_problems(module.duration_limit.unless, seen)]
    for i, contradiction in enumerate(module.contradictions):
        problems += [Problem(file, f"contradictions[{i}]", m) for m in _contradiction_problems(content, contradiction)]
    for i, combined in enumerate(module.combined_flags):
        where = f"combined_flags[{i}]"
        problems += [Problem(file, where, m) for m in _combined_problems(content, combined, seen)]
    return problems


def _unless_problems(unless: Condition | None, seen: dict[str, Question]) -> Iterator[str]:
    """The answer that lifts a duration limit must be a known value of a question of the module."""
    if unless is None:
        return
    target = seen.get(unless.question)
    if target is None:
        yield f"« {unless.question} » n'est pas une question de ce module"
        return
    unknown = sorted(set(unless.values) - set(target.allowed_values))
    if unknown:
        yield f"valeur(s) inconnue(s) {unknown} ; valeurs permises : {', '.join(target.allowed_values)}"


def _contradiction_problems(content: Content, contradiction: Contradiction) -> Iterator[str]:
    for condition in contradiction.answers:
        question = content.question(condition.module, condition.question)
        if question is None:
            yield f"answers : question inconnue « {condition.module} › {condition.question} »"
        elif unknown := sorted(set(condition.values) - set(question.allowed_values)):
            yield f"answers : valeur(s) inconnue(s) {unknown} pour « {condition.module} › {condition.question} »"


def _combined_problems(content: Content, combined: CombinedFlag, questions: dict[str, Question]) -> Iterator[str]:
    band_ids = {b.id for b in content.profile.size_bands}
    if combined.question not in questions:
        yield f"question : « {combined.question} » n'est pas une question de ce module"
    if combined.question not in {c.question for c in combined.all}:
        yield "question : le signal doit être rattaché à l'une des questions de ses conditions"
    for condition in combined.all:
        target = questions.get(condition.question)
        if target is None:
            yield f"all : « {condition.question} » n'est pas une question de ce module"
        elif unknown := sorted(set(condition.values) - set(target.allowed_values)):
            yield f"all : valeur(s) inconnue(s) {unknown} pour « {condition.question} »"
    for key in sorted(set(combined.flag.sizes or []) - band_ids):
        yield f"tranche de taille inconnue « {key} »"


def _check_profile(content: Content) -> list[Problem]:
    ids = {q.id for q in content.profile.questions}
    missing = {"nom", "type", "population"} - ids
    problems = [Problem("profile.yaml", "questions", f"question « {m} » manquante") for m in missing]
    problems += _check_refs(content, "profile.yaml", content.profile)
    return problems


def _question_problems(content: Content, q: Question, earlier: dict[str, Question]) -> Iterator[str]:
    band_ids = {b.id for b in content.profile.size_bands}
    if q.type in ("choix", "multiple") and len(q.options) < 2:
        yield "au moins deux options attendues"
    if q.type in ("texte", "entier") and q.options:
        yield f"une question de type « {q.type} » n'a pas d'options"
    for value, n in Counter(o.value for o in q.options).items():
        if n > 1:
            yield f"option « {value} » en double"
    if q.scored and not q.practices:
        yield "question notée sans bonne pratique (practices) : un point perdu doit s'expliquer"
    for practice in q.practices:
        if practice not in content.practices:
            yield f"bonne pratique inconnue : « {practice} »"
    if q.unknown_flag and not q.allow_unknown:
        yield "unknown_flag sans allow_unknown : « Je ne sais pas » n'est pas proposé"
    yield from _option_problems(q, band_ids)
    yield from _condition_problems(q, earlier)


def _option_problems(q: Question, band_ids: set[str]) -> Iterator[str]:
    for option in q.options:
        if isinstance(option.points, dict):
            for key in set(option.points) - band_ids - {"default"}:
                yield f"option « {option.value} » : tranche de taille inconnue « {key} »"
            if "default" not in option.points and band_ids - set(option.points):
                yield f"option « {option.value} » : points manquants pour certaines tranches"
        if option.flag and option.flag.sizes:
            for key in set(option.flag.sizes) - band_ids:
                yield f"option « {option.value} » : tranche de taille inconnue « {key} »"


def _condition_problems(q: Question, earlier: dict[str, Question]) -> Iterator[str]:
    if q.when is None:
        return
    target = earlier.get(q.when.question)
    if target is None:
        yield f"when : « {q.when.question} » n'est pas une question posée avant dans ce module"
        return
    unknown = set(q.when.values) - set(target.allowed_values)
    if unknown:
        allowed = ", ".join(target.allowed_values)
        yield f"when : valeur(s) inconnue(s) {sorted(unknown)} ; valeurs permises : {allowed}"
    if target.when and target.when.question == q.id:
        yield "when : condition circulaire, la question ne peut jamais être posée"


def _source_refs(value: Any) -> Iterator[SourceRef]:
    if isinstance(value, SourceRef):
        yield value
    elif isinstance(value, BaseModel):
        for name in type(value).model_fields:
            yield from _source_refs(getattr(value, name))
    elif isinstance(value, list | tuple):
        for item in value:
            yield from _source_refs(item)


def _check_refs(content: Content, file: str, value: BaseModel) -> list[Problem]:
    return [
        Problem(file, "sources", f"source inconnue : « {ref.source} »")
        for ref in _source_refs(value)
        if ref.source not in content.sources
    ]


def _strings(value: Any, path: str) -> Iterator[tuple[str, str]]:
    if isinstance(value, str):
        yield path, value
    elif isinstance(value, BaseModel):
        for name in type(value).model_fields:
            yield from _strings(getattr(value, name), f"{path} › {name}" if path else name)
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from _strings(item, f"{path} › {key}")
    elif isinstance(value, list | tuple):
        for i, item in enumerate(value):
            yield from _strings(item, f"{path}[{i}]")


def _typography(content: Content) -> list[Problem]:
    items: Iterable[tuple[str, BaseModel]] = [
        *((content.module_files.get(m.id, m.id), m) for m in content.modules),
        *((f"practices › {p.id}", p) for p in content.practices.values()),
        ("profile.yaml", content.profile),
        *((content.requirement_files.get(c.id, c.id), r) for c, reqs in content.requirements for r in [c, *reqs]),
        *((("award-criteria.yaml", content.award_criteria),) if content.award_criteria else ()),
    ]
    return [
        Problem(file, path, "espace ordinaire avant « ? ! ; : » » ou après « « » : "
                "utilisez une espace insécable (U+00A0 ou U+202F)")
        for file, model in items
        for path, text in _strings(model, "")
        if _BAD_SPACE.search(text)
    ]
