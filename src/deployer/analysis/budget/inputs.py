"""Reading and checking the answers the budget estimate needs; every missing answer becomes
a written assumption. Also the participation-budget band read from its option's label."""

from __future__ import annotations

import math
import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from deployer.analysis.budget.results import Collector, decimal_fr
from deployer.answers.answers_file import Answers
from deployer.errors import ContentError, DeployerError
from deployer.french import number, short
from deployer.schema.models import UNKNOWN
from deployer.schema.procurement import Message

if TYPE_CHECKING:
    from deployer.schema.budget import BudgetModel
    from deployer.schema.content import Content
    from deployer.schema.models import Question, SizeBand


# -- reading and checking the inputs ----------------------------------------------------


def budget_model(content: Content) -> BudgetModel:
    """The budget figures, or ContentError if content/budget.yaml is missing."""
    if content.budget is None:
        raise ContentError(
            f"le fichier budget.yaml est absent du contenu ({content.root})",
            hint="Le contenu livré avec deployer en contient un : recopiez-le dans votre dossier de contenu.",
        )
    return content.budget


def _allowed(question: Question | None, fallback: Iterable[str] | None) -> list[str] | None:
    """The values a question allows; ``fallback`` (None: any) when the question is absent."""
    if question is not None:
        return question.allowed_values
    return list(fallback) if fallback is not None else None


def _hint(allowed: list[str] | None) -> str:
    return f"Valeurs permises : {', '.join(allowed)}." if allowed else "Cette question est absente du contenu."


def check_population(content: Content, value: Any) -> int:
    """A population from the profile or the command line; DeployerError if it is not one."""
    question = next((q for q in content.profile.questions if q.id == "population"), None)
    low = question.min if question and question.min is not None else 1
    high = question.max if question and question.max is not None else None
    if isinstance(value, bool) or not isinstance(value, int) or value < low or (high and value > high):
        limit = f"de {low} à {high}" if high else f"d'au moins {low}"
        raise DeployerError(
            f"nombre d'habitants invalide : « {short(value)} »",
            hint=f"Indiquez un nombre entier {limit} (profil › population).",
        )
    return value


def check_int(content: Content, module: str, question_id: str, value: Any, bounds: tuple[int, int]) -> int:
    """An integer answer within the question's min and max (``bounds`` if the question is absent)."""
    question = content.question(module, question_id)
    low = question.min if question and question.min is not None else bounds[0]
    high = question.max if question and question.max is not None else bounds[1]
    if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
        label = question.label if question else question_id
        raise DeployerError(
            f"valeur invalide pour {module} › {question_id} : « {short(value)} »",
            hint=f"« {label} » attend un nombre entier de {low} à {high}.",
        )
    return value


def check_choice(
    content: Content, module: str, question_id: str, value: Any, fallback: Iterable[str] | None
) -> str:
    """A choice among the question's options (``fallback`` if the question is absent, None: any)."""
    allowed = _allowed(content.question(module, question_id), fallback)
    if not isinstance(value, str) or (allowed is not None and value not in allowed):
        raise DeployerError(f"valeur inconnue pour {module} › {question_id} : « {short(value)} »", hint=_hint(allowed))
    return value


def check_list(
    content: Content, module: str, question_id: str, values: Any, fallback: Iterable[str] | None
) -> list[str]:
    if values is None:
        return []
    if not isinstance(values, list | tuple):
        allowed = _allowed(content.question(module, question_id), fallback)
        raise DeployerError(f"valeur invalide pour {module} › {question_id} : une liste est attendue",
                            hint=_hint(allowed))
    return [check_choice(content, module, question_id, v, fallback) for v in values]


def option_label(content: Content, module: str, question_id: str, value: str) -> str:
    question = content.question(module, question_id)
    option = question.option(value) if question else None
    return option.label if option else value


@dataclass(frozen=True)
class Inputs:
    population: int
    band: SizeBand
    collectivite_type: str | None
    offer_model: str
    features: tuple[str, ...]
    services: tuple[str, ...]
    options: tuple[str, ...]  # services bought as options (counted in the valeur estimée)
    etp: str | None
    participation_budget: tuple[str, int, int | None] | None
    volumes: dict[str, float]


def _read_population(content: Content, model: BudgetModel, answers: Answers, notes: Collector) -> int:
    value = answers.profile.get("population")
    if value is None or value == "":
        notes.assume("population", model.messages.default_population, population=number(model.defaults.population))
        return model.defaults.population
    return check_population(content, value)


def _read_offer_model(content: Content, model: BudgetModel, answers: Answers, notes: Collector) -> str:
    value = answers.get("prestataire", "modele_offre")
    fallback = model.defaults.offer_model
    if value is None or value == UNKNOWN:
        label = option_label(content, "prestataire", "modele_offre", fallback)
        notes.assume("modele_offre", model.messages.default_offer_model, label=label)
        return fallback
    check_choice(content, "prestataire", "modele_offre", value, [*model.offer_models, UNKNOWN])
    if value not in model.offer_models:
        label = option_label(content, "prestataire", "modele_offre", value)
        notes.assume("modele_offre", model.messages.unpriced_offer_model, label=label,
                     fallback=option_label(content, "prestataire", "modele_offre", fallback))
        return fallback
    return str(value)


def _read_lists(
    content: Content, model: BudgetModel, answers: Answers, notes: Collector
) -> tuple[list[str], list[str]]:
    features = check_list(content, "prestataire", "fonctionnalites", answers.get("prestataire", "fonctionnalites"),
                           None)
    services = check_list(content, "prestataire", "prestations", answers.get("prestataire", "prestations"), None)
    if not features:
        notes.assume("fonctionnalites", model.messages.no_features)
    for service in services:
        if service not in model.services:
            label = option_label(content, "prestataire", "prestations", service)
            notes.assume(f"prestation_{service}", model.messages.unpriced_service, label=label)
    return features, services + _role_services(content, model, answers, services, notes)


def _read_options(content: Content, answers: Answers, services: list[str], notes: Collector) -> list[str]:
    """The services bought as options; an option not among the services is bought too."""
    value = answers.get("prestataire", "prestations_optionnelles")
    rules = content.procurement.options if content.procurement else None
    if value is None:
        if services and rules is not None:
            notes.assume("prestations_optionnelles", rules.default)
        return []
    options = check_list(content, "prestataire", "prestations_optionnelles", value, None)
    services.extend(o for o in options if o not in services)
    return list(dict.fromkeys(options))


def _role_services(content: Content, model: BudgetModel, answers: Answers, services: list[str],
                   notes: Collector) -> list[str]:
    """Services the role answers (who moderates, who synthesises) give to the titulaire."""
    added = []
    for service, role in model.roles.items():
        answer = answers.get("prestataire", role.question)
        if not isinstance(answer, str):
            continue
        label = option_label(content, "prestataire", "prestations", service)
        answer_label = option_label(content, "prestataire", role.question, answer)
        if service in services and answer in role.internal:
            notes.assume(f"conflit_{service}", model.messages.service_role_conflict, label=label, answer=answer_label)
        elif service not in services and answer in role.values:
            notes.assume(f"role_{service}", model.messages.service_by_role, label=label, answer=answer_label)
            added.append(service)
    return added


def role_conflicts(content: Content, answers: Answers) -> tuple[str, ...]:
    """Services asked for in « prestations » that a role answer keeps with the collectivité."""
    if content.budget is None:
        return ()
    services = answers.get("prestataire", "prestations")
    services = services if isinstance(services, list) else []
    return tuple(service for service, role in content.budget.roles.items()
                 if service in services and answers.get("prestataire", role.question) in role.internal)


def titulaire_services(content: Content, answers: Answers) -> tuple[str, ...]:
    """The services the titulaire provides, as the budget prices them (asked for, bought as options
    or given by a role answer), less those a role answer keeps with the collectivité (a conflict that
    the cahier des charges asks to settle). The requirements of the accompaniment follow this rule."""
    def listed(question: str) -> list[str]:
        value = answers.get("prestataire", question)
        return [str(v) for v in value] if isinstance(value, list) else []

    services = listed("prestations") + listed("prestations_optionnelles")
    if content.budget is not None:
        services += [service for service, role in content.budget.roles.items()
                     if answers.get("prestataire", role.question) in role.values]
    conflicts = role_conflicts(content, answers)
    return tuple(s for s in dict.fromkeys(services) if s not in conflicts)


def hosting_conflict(content: Content, answers: Answers, offer_model: str) -> bool:
    """Whether the offer includes hosting by the titulaire while hosting must stay in-house."""
    checks = content.budget.checks if content.budget else None
    return bool(checks and offer_model in checks.hosted_offer_models
                and answers.get("prestataire", "hebergement") == checks.internal_hosting)


def _read_etp(content: Content, model: BudgetModel, answers: Answers) -> str | None:
    value = answers.get("ressources", "etp")
    if value is None or value == UNKNOWN:
        return None
    check_choice(content, "ressources", "etp", value, [*model.staff.etp_by_answer, UNKNOWN])
    return str(value) if value in model.staff.etp_by_answer else None


def read_inputs(content: Content, model: BudgetModel, answers: Answers, notes: Collector) -> Inputs:
    population = _read_population(content, model, answers, notes)
    offer_model = _read_offer_model(content, model, answers, notes)
    features, services = _read_lists(content, model, answers, notes)
    options = _read_options(content, answers, services, notes)
    kind = answers.profile.get("type")
    return Inputs(
        population=population,
        band=content.size_band(population),
        collectivite_type=kind if isinstance(kind, str) and kind else None,
        offer_model=offer_model,
        features=tuple(dict.fromkeys(features)),
        services=tuple(dict.fromkeys(services)),
        options=tuple(options),
        volumes=_read_volumes(content, model, answers, population, notes),
        etp=_read_etp(content, model, answers),
        participation_budget=participation_budget(content, answers),
    )


def smooth(by_band: dict[str, float], anchors: dict[str, int], population: int) -> float:
    """A value given by size band, interpolated on log(population) between the bands' anchors."""
    points = sorted((anchors[band], value) for band, value in by_band.items() if band in anchors)
    if not points:
        raise ContentError("budget.yaml : aucune tranche de by_band n'a de population type dans band_anchors",
                           hint="Ajoutez les tranches de profile.yaml à band_anchors.")
    if population <= points[0][0]:
        return points[0][1]
    for (p0, v0), (p1, v1) in zip(points, points[1:], strict=False):
        if population <= p1:
            t = math.log(population / p0) / math.log(p1 / p0)
            return v0 + t * (v1 - v0)
    return points[-1][1]


def _read_volumes(content: Content, model: BudgetModel, answers: Answers, population: int,
                  notes: Collector) -> dict[str, float]:
    volumes: dict[str, float] = {}
    for key, default in model.volumes.items():
        value = answers.get("prestataire", key)
        if value is None:
            guess = round(smooth(default.by_band, model.band_anchors, population) * 2) / 2
            notes.assume(f"volume_{key}", Message(text=default.assumption),
                         value=f"{decimal_fr(guess)} {default.singular if guess < 2 else default.label}")
            volumes[key] = guess
        else:
            volumes[key] = float(check_int(content, "prestataire", key, value, (0, 100)))
    return volumes


# -- the participation budget band, read from its option's label -----------------------

_AMOUNT = re.compile(r"(\d+(?:[\s.]\d{3})*)(?:\s*(k|m|millions?)(?![a-zà-ÿ]))?", re.IGNORECASE)
_BELOW = ("moins", "jusqu", "<", "inférieur", "sous")
_ABOVE = ("plus", "au-delà", ">", "supérieur", "partir")


def band_from_text(text: str) -> tuple[int, int | None] | None:
    """« De 7 000 à 80 000 € » → (7000, 80000); « Plus de 100 000 € » → (100000, None)."""
    amounts = [_to_euros(digits, unit) for digits, unit in _AMOUNT.findall(text)]
    lowered = text.lower()
    if not amounts:
        return (0, 0) if "aucun" in lowered else None
    if len(amounts) >= 2:
        return min(amounts[:2]), max(amounts[:2])
    if any(word in lowered for word in _BELOW):
        return 0, amounts[0]
    if any(word in lowered for word in _ABOVE):
        return amounts[0], None
    return amounts[0], amounts[0]


def _to_euros(digits: str, unit: str) -> int:
    value = int(re.sub(r"[\s.]", "", digits))
    factor = {"k": 1_000, "m": 1_000_000}.get(unit[:1].lower(), 1) if unit else 1
    return value * factor


def participation_budget(content: Content, answers: Answers) -> tuple[str, int, int | None] | None:
    """The annual participation budget band answered (label, low, high or None), if known.

    The bands are the options of ressources.budget_participation, whatever they are: their
    amounts are read from the option's label (or value), so the question can change freely.
    """
    value = answers.get("ressources", "budget_participation")
    question = content.question("ressources", "budget_participation")
    if not isinstance(value, str) or value == UNKNOWN or question is None:
        return None
    option = question.option(value)
    if option is None:
        return None
    band = band_from_text(option.label) or band_from_text(value.replace("_", " "))
    return (option.label, band[0], band[1]) if band else None
