"""Answers for a quick estimate from the command line (`deployer budget --population …`)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from deployer.analysis.budget.inputs import (
    budget_model,
    check_choice,
    check_int,
    check_list,
    check_population,
)
from deployer.answers.answers_file import Answers
from deployer.errors import DeployerError
from deployer.schema.models import UNKNOWN

if TYPE_CHECKING:
    from deployer.schema.budget import BudgetModel
    from deployer.schema.content import Content


# -- quick estimate from the command line -----------------------------------------------


@dataclass(frozen=True)
class QuickOptions:
    """Optional answers of a quick estimate (``deployer budget --population … --modele …``)."""

    tool_type: str | None = None
    collectivite_type: str | None = None
    features: Sequence[str] = ()
    services: Sequence[str] = ()
    duration_months: int | None = None
    renewals: int | None = None
    etp: str | None = None
    participation_budget: str | None = None
    name: str | None = None
    contract: Mapping[str, Any] = field(default_factory=dict)  # more prestataire answers, by question id


def quick_answers(
    content: Content,
    population: int,
    tool_model: str | None,
    *,
    tool_type: str | None = None,
    collectivite_type: str | None = None,
    features: Sequence[str] = (),
    services: Sequence[str] = (),
    duration_months: int | None = None,
    renewals: int | None = None,
    etp: str | None = None,
    participation_budget: str | None = None,
    name: str | None = None,
    contract: Mapping[str, Any] | None = None,
) -> Answers:
    """Answers for a quick estimate without an answers file; DeployerError on a bad value.

    ``tool_model`` is a value of prestataire.modele_offre (None: not known); ``tool_type`` is a
    kind of tool of budget.yaml (``tool_types``) that stands for a list of features;
    ``contract`` holds more prestataire answers by question id (duree_reconduction_mois,
    forme_marche, montant_maximum, demarches_par_an, ateliers_par_an, achat, allotissement,
    prestations_optionnelles), None values skipped.
    """
    options = QuickOptions(tool_type, collectivite_type, features, services, duration_months, renewals, etp,
                           participation_budget, name, {k: v for k, v in (contract or {}).items() if v is not None})
    return _quick(content, population, tool_model, options)


def _quick(content: Content, population: int, tool_model: str | None, opts: QuickOptions) -> Answers:
    model = budget_model(content)
    check_population(content, population)
    prestataire: dict[str, Any] = {"modele_offre": _quick_model(content, model, tool_model)}
    features = list(dict.fromkeys([*_tool_features(model, opts.tool_type), *opts.features]))
    prestataire["fonctionnalites"] = check_list(content, "prestataire", "fonctionnalites", features, None) or None
    prestataire["prestations"] = check_list(content, "prestataire", "prestations", list(opts.services),
                                             None) or None
    if opts.duration_months is not None:
        prestataire["duree_mois"] = check_int(content, "prestataire", "duree_mois", opts.duration_months, (1, 48))
    if opts.renewals is not None:
        prestataire["reconductions"] = check_int(content, "prestataire", "reconductions", opts.renewals, (0, 3))
    for key, value in opts.contract.items():
        prestataire[key] = _quick_value(content, key, value)
    return Answers(profile=_quick_profile(content, population, opts),
                   responses={"prestataire": _without_none(prestataire), "ressources": _quick_resources(content, opts)})


def _quick_value(content: Content, key: str, value: Any) -> Any:
    question = content.question("prestataire", key)
    if question is None:
        raise DeployerError(f"question inconnue : prestataire › {key}", hint="Mettez à jour le contenu de deployer.")
    if question.type == "entier":
        return check_int(content, "prestataire", key, value, (question.min or 0, question.max or 10_000_000))
    if question.type == "multiple":
        return check_list(content, "prestataire", key, value, None) or None
    return check_choice(content, "prestataire", key, value, None)


def _quick_model(content: Content, model: BudgetModel, tool_model: str | None) -> str:
    if tool_model is None:
        return UNKNOWN
    return check_choice(content, "prestataire", "modele_offre", tool_model, [*model.offer_models, UNKNOWN])


def _tool_features(model: BudgetModel, tool_type: str | None) -> list[str]:
    if tool_type is None:
        return []
    found = model.tool_type(tool_type)
    if found is None:
        raise DeployerError(
            f"type d'outil inconnu : « {tool_type} »",
            hint="Types permis : " + " ; ".join(f"{t.id} ({t.label})" for t in model.tool_types) + ".",
        )
    return list(found.features)


def _quick_profile(content: Content, population: int, opts: QuickOptions) -> dict[str, Any]:
    profile: dict[str, Any] = {"population": population}
    if opts.name:
        profile["nom"] = opts.name
    if opts.collectivite_type is not None:
        question = next((q for q in content.profile.questions if q.id == "type"), None)
        allowed = question.allowed_values if question else []
        if opts.collectivite_type not in allowed:
            raise DeployerError(
                f"type de collectivité inconnu : « {opts.collectivite_type} »",
                hint=f"Valeurs permises : {', '.join(allowed)}.",
            )
        profile["type"] = opts.collectivite_type
    return profile


def _quick_resources(content: Content, opts: QuickOptions) -> dict[str, Any]:
    resources: dict[str, Any] = {}
    if opts.etp is not None:
        resources["etp"] = check_choice(content, "ressources", "etp", opts.etp, [])
    if opts.participation_budget is not None:
        budget = opts.participation_budget
        resources["budget_participation"] = check_choice(content, "ressources", "budget_participation", budget, [])
    return resources


def _without_none(values: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in values.items() if v is not None}


# -- rendering --------------------------------------------------------------------------
