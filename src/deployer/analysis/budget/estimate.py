"""The budget estimate: cost lines by family, totals, sanity warnings, and the whole estimate."""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Iterable
from datetime import date
from typing import TYPE_CHECKING

from deployer.analysis.budget.contract import Contract, read_contract
from deployer.analysis.budget.inputs import (
    Inputs,
    budget_model,
    hosting_conflict,
    option_label,
    read_inputs,
    smooth,
)
from deployer.analysis.budget.lines import Pricer, cost_line, evidence_used, per_year
from deployer.analysis.budget.lots import split_lots
from deployer.analysis.budget.procurement_route import procurement
from deployer.analysis.budget.results import (
    ZERO,
    BudgetEstimate,
    BudgetLine,
    Citation,
    Collector,
    GroupTotal,
    Note,
    Observed,
    ProcurementAdvice,
    Range,
    date_fr,
    etp_text,
    one_year_after,
    round10,
)
from deployer.answers.answers_file import Answers
from deployer.errors import DeployerError
from deployer.french import counted, euros, lcfirst, number, percent, short

if TYPE_CHECKING:
    from deployer.schema.budget import BudgetModel, CostItem, StaffReference
    from deployer.schema.content import Content


# -- the cost lines ---------------------------------------------------------------------


def _cost_items(model: BudgetModel, inputs: Inputs) -> list[tuple[str, str, CostItem]]:
    offer = model.offer_models[inputs.offer_model]
    items = [("licence", "platform", offer.licence), ("mise_en_place", "platform", offer.setup)]
    items += [(f"module_{f}", "platform", model.features[f]) for f in inputs.features if f in model.features]
    items += [(f"prestation_{s}", "services", model.services[s]) for s in inputs.services if s in model.services]
    items += [(f"prestation_{key}", "services", item) for key, item in model.services.items()
              if item.by_volume and key not in inputs.services and item.evidence and item.evidence.volume
              and inputs.volumes.get(item.evidence.volume, 0) > 0]
    items += [(key, "programme", item) for key, item in model.programme.items()]
    return items


def _staff_etp(model: BudgetModel, inputs: Inputs, notes: Collector) -> tuple[float, float, float]:
    if inputs.etp is not None:
        return model.staff.etp_by_answer[inputs.etp]
    reference = model.staff.reference(inputs.population)
    anchors = {str(i): ref.anchor for i, ref in enumerate(model.staff.references) if ref.anchor is not None}
    etp = reference.unknown_etp
    if len(anchors) == len(model.staff.references):  # every range has a typical population: interpolate
        etp = tuple(round(smooth({str(i): r.unknown_etp[k] for i, r in enumerate(model.staff.references)}, anchors,
                                 inputs.population), 2) for k in range(3))  # type: ignore[assignment]
    notes.assume("etp", model.messages.unknown_etp, etp=etp_text(etp), reported=reference.reported)
    return etp


def _staff_line(model: BudgetModel, inputs: Inputs, months: int, etp: tuple[float, float, float],
                cost: tuple[int, bool], notes: Collector) -> BudgetLine:
    per_etp, is_default = cost
    unit = Range(*(round10(e * per_etp) for e in etp))
    total = Range(*(round10(e * per_etp * months / 12) for e in etp))
    assumption = model.staff.etp_assumption
    if is_default:
        assumption += " " + model.staff.cost_assumption.format(cost=euros(per_etp))
    reference = model.staff.reference(inputs.population)
    return BudgetLine(
        id="temps_interne",
        label=f"{model.staff.label} ({etp_text(etp)} ETP)",
        group="internal",
        recurrence="annuel",
        unit=unit,
        total=total,
        per_year=per_year(total, months),
        in_contract=False,
        citations=notes.cite([*model.staff.sources, *reference.sources]),
        assumption=assumption,
    )


def _group_total(group_id: str, label: str, lines: Iterable[BudgetLine], months: int,
                 citations: tuple[Citation, ...] = ()) -> GroupTotal:
    total = sum((line.total for line in lines), ZERO)
    return GroupTotal(group_id, label, total, per_year(total, months), citations)


# -- sanity warnings --------------------------------------------------------------------


def _warn_trial(model: BudgetModel, inputs: Inputs, contract: Contract, notes: Collector) -> None:
    checks = model.checks
    if inputs.offer_model != checks.trial_offer_model:
        return
    if contract.duration_months > checks.trial_max_months or contract.renewals > 0:
        notes.warn("essai_perenne", model.messages.trial_lasting, months=str(contract.duration_months),
                   renewals=counted(contract.renewals, "reconduction"))


def _propose_cheaper(model: BudgetModel, inputs: Inputs, notes: Collector) -> None:
    checks = model.checks
    if inputs.population < checks.small_population and inputs.offer_model not in checks.cheap_offer_models:
        notes.warn("voies_moins_couteuses", model.messages.cheaper_routes)


def _warn_staff(model: BudgetModel, inputs: Inputs, notes: Collector) -> None:
    reference: StaffReference = model.staff.reference(inputs.population)
    if inputs.etp is None or reference.floor_etp is None:
        return
    etp = model.staff.etp_by_answer[inputs.etp]
    if etp[1] < reference.floor_etp:
        notes.warn("temps_insuffisant", model.messages.staff_below, etp=etp_text(etp),
                   population=number(inputs.population), reported=reference.reported)


def _warn_share(model: BudgetModel, inputs: Inputs, spent: int, notes: Collector) -> None:
    if inputs.participation_budget is None:
        notes.assume("budget_participation", model.messages.unknown_participation_budget)
        return
    label, low, high = inputs.participation_budget
    reference = high if high is not None else low
    if spent <= 0:
        return
    share = spent / reference if reference > 0 else math.inf
    if share > model.checks.share_caution:
        shown = percent(round(share * 100)) if math.isfinite(share) else "plus de 100\u00a0%"
        notes.warn("part_budget", model.messages.tool_share, share=shown, budget=lcfirst(label), tool=euros(spent))


def _warn_stale_budget(model: BudgetModel, today: date, notes: Collector) -> None:
    if today > one_year_after(model.verified_on):
        notes.warn("montants_anciens", model.messages.stale, verified_on=date_fr(model.verified_on))


# -- the estimate -----------------------------------------------------------------------


def _staff_cost(model: BudgetModel, value: int | None, notes: Collector) -> tuple[int, bool]:
    if value is None:
        return model.staff.cost_per_etp, True
    if isinstance(value, bool) or not isinstance(value, int) or not 0 < value <= 1_000_000:
        raise DeployerError(
            f"coût annuel d'un ETP invalide : « {short(value)} »",
            hint="Indiquez un nombre entier d'euros, supérieur à 0 et au plus 1 000 000.",
        )
    notes.assume("cout_etp", model.messages.staff_cost_user, cost=euros(value))
    return value, False


def _totals(model: BudgetModel, lines: list[BudgetLine], months: int,
            notes: Collector) -> tuple[tuple[GroupTotal, ...], GroupTotal, GroupTotal]:
    groups = tuple(
        _group_total(gid, info.label, [line for line in lines if line.group == gid], months, notes.cite(info.sources))
        for gid, info in model.groups.items()
    )
    external = _group_total("external", "Achats externes", [line for line in lines if line.group != "internal"],
                            months)
    grand = _group_total("total", "Coût complet", lines, months)
    return groups, external, grand


def estimate_budget(content: Content, answers: Answers, *, today: date, staff_cost_per_etp: int | None = None,
                    leave_out: str | None = None) -> BudgetEstimate:
    """The budget estimate for these answers and a consultation launched on ``today``.

    Missing answers are replaced by the assumptions of budget.yaml, each written out in
    ``assumptions``; an answer out of bounds raises DeployerError. ``leave_out`` fits the prices
    without one observation (the calibration benchmark).
    """
    model = budget_model(content)
    notes = Collector(content)
    inputs = read_inputs(content, model, answers, notes)
    contract = read_contract(content, model, answers, notes)
    months = contract.total_months
    cost = _staff_cost(model, staff_cost_per_etp, notes)
    etp = _staff_etp(model, inputs, notes)
    pricer = Pricer.build(content, model, leave_out)
    items = _cost_items(model, inputs)
    lines = [cost_line(i, g, item, inputs, months, pricer, notes) for i, g, item in items]
    options = {f"prestation_{o}" for o in inputs.options}
    lines = [dataclasses.replace(line, optional=True) if line.id in options else line for line in lines]
    evidence = evidence_used([item for _, _, item in items], pricer)
    lines.append(_staff_line(model, inputs, months, etp, cost, notes))
    totals = _totals(model, lines, months, notes)
    purchases = sum((line.total for line in lines if line.in_contract), ZERO)
    advice = None
    if content.procurement is None:
        notes.warn("sans_seuils", model.messages.no_procurement)
    else:
        advice = procurement(content.procurement, purchases, contract, today, notes)
    lots, allotted, allotment_rule, small_lots = split_lots(content.procurement, contract, lines, months, advice,
                                                           notes)
    options_rule = _options_rule(content, inputs, notes)
    _warnings(content, model, answers, inputs, contract, totals[0], today, notes)
    estimate = _estimate(content, model, inputs, contract, lines, totals, advice, notes, today, cost, etp)
    return dataclasses.replace(
        estimate, evidence_count=evidence[0], evidence_years=evidence[1], lots=lots, allotted=allotted,
        allotment_rule=allotment_rule, small_lots=small_lots, option_ids=inputs.options,
        options=tuple(option_label(content, "prestataire", "prestations", o) for o in inputs.options),
        options_rule=options_rule)


def _options_rule(content: Content, inputs: Inputs, notes: Collector) -> Note | None:
    rules = content.procurement.options if content.procurement else None
    if rules is None or not inputs.options:
        return None
    return Note("options", rules.text, notes.cite(rules.sources))


# Assumptions that stand for a missing answer (not for a figure of the model).
DEFAULT_ANSWER_NOTES = ("population", "modele_offre", "duree_mois", "reconductions", "duree_reconductions",
                        "forme_marche", "montant_maximum", "volume_demarches_par_an", "volume_ateliers_par_an",
                        "etp", "fonctionnalites", "allotissement", "prestations_optionnelles")


def budget_defaults(content: Content, answers: Answers, today: date) -> tuple[Note, ...]:
    """The documented defaults the budget applies for questions this answers file leaves out."""
    if content.budget is None:
        return ()
    estimate = estimate_budget(content, answers, today=today)
    return tuple(n for n in estimate.assumptions if n.id in DEFAULT_ANSWER_NOTES)


def _warnings(content: Content, model: BudgetModel, answers: Answers, inputs: Inputs, contract: Contract,
              groups: tuple[GroupTotal, ...], today: date, notes: Collector) -> None:
    _warn_trial(model, inputs, contract, notes)
    _propose_cheaper(model, inputs, notes)
    if hosting_conflict(content, answers, inputs.offer_model):
        notes.warn("hebergement_contradictoire", model.messages.hosting_conflict,
                   label=option_label(content, "prestataire", "modele_offre", inputs.offer_model))
    _warn_staff(model, inputs, notes)
    bought = [g.per_year for g in groups if g.id in ("platform", "services")]
    _warn_share(model, inputs, sum(bought, ZERO).central, notes)
    _warn_stale_budget(model, today, notes)


def _estimate(content: Content, model: BudgetModel, inputs: Inputs, contract: Contract, lines: list[BudgetLine],
              totals: tuple[tuple[GroupTotal, ...], GroupTotal, GroupTotal], procurement: ProcurementAdvice | None,
              notes: Collector, today: date, cost: tuple[int, bool],
              etp: tuple[float, float, float]) -> BudgetEstimate:
    groups, external, grand = totals
    observed = _nearby_observations(content, inputs.population, notes)
    kind = inputs.collectivite_type
    return BudgetEstimate(
        today=today,
        population=inputs.population,
        size_band=inputs.band.label,
        collectivite_type=profile_label(content, kind) if kind else None,
        offer_model=inputs.offer_model,
        offer_model_label=option_label(content, "prestataire", "modele_offre", inputs.offer_model),
        features=tuple(option_label(content, "prestataire", "fonctionnalites", f) for f in inputs.features),
        services=tuple(option_label(content, "prestataire", "prestations", s) for s in inputs.services),
        service_ids=inputs.services,
        duration_months=contract.duration_months,
        renewals=contract.renewals,
        renewal_months=contract.renewal_months,
        total_months=contract.total_months,
        contract_form=contract.form,
        contract_form_label=contract.form_label,
        volumes=tuple((model.volumes[k].label, v) for k, v in inputs.volumes.items() if k in model.volumes),
        staff_cost_per_etp=cost[0],
        staff_etp=etp,
        lines=tuple(lines),
        groups=groups,
        external=external,
        grand_total=grand,
        procurement=procurement,
        assumptions=tuple(notes.assumptions),
        warnings=tuple(notes.warnings),
        observations=observed,
        method=" ".join((model.method, model.evidence.method, model.evidence.assumption,
                           model.band_anchors_assumption)),
        base_features=model.base_features,
        sources=notes.sources(),
    )


def _nearby_observations(content: Content, population: int, notes: Collector) -> tuple[Observed, ...]:
    """The real prices paid by buyers of a comparable size (a third to three times the population)."""
    rows = content.prices.observations if content.prices else []
    return tuple(
        Observed(o.buyer, number(o.population), o.object,
                 o.amount_text, notes.cite(o.sources))
        for o in rows if o.used and population / 3 <= o.population <= population * 3
    )


def profile_label(content: Content, value: str) -> str:
    question = next((q for q in content.profile.questions if q.id == "type"), None)
    option = question.option(value) if question else None
    return option.label if option else value
