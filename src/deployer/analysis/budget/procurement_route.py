"""The valeur estimée du besoin and the procurement route it implies at the launch date.

The value follows the code de la commande publique (content/procurement.yaml): the whole
duration with every renewal and option, all lots together; for an accord-cadre, its maximum
(without a maximum, it is deemed above the thresholds). The route documents lead with is the
most demanding one the plausible range reaches, and never less demanding than the route the
collectivité chose: a buyer who chose competition is never told that none is needed.
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from deployer.analysis.budget.contract import FRAMEWORK_WITH_MAXIMUM, FRAMEWORK_WITHOUT_MAXIMUM, Contract
from deployer.analysis.budget.results import (
    Choice,
    Collector,
    Note,
    ProcurementAdvice,
    Range,
    ThresholdUsed,
    date_fr,
    one_year_after,
    period_fr,
)
from deployer.french import euros, lcfirst, percent

if TYPE_CHECKING:
    from deployer.schema.procurement import Band, ProcurementRules, ThresholdKind

THRESHOLD_KINDS: tuple[ThresholdKind, ...] = ("dispense", "publicite", "europeen")
COMPETITION, CENTRAL, DIRECT = "procedure", "centrale_achat", "gre_a_gre"  # values of prestataire.achat


def _threshold_used(rules: ProcurementRules, kind: ThresholdKind, day: date, notes: Collector) -> ThresholdUsed:
    threshold, in_period = rules.threshold_on(kind, day)
    if not in_period:
        notes.warn(f"seuil_{kind}", rules.messages.out_of_period, label=threshold.label, date=date_fr(day),
                   amount=euros(threshold.amount_ht), period=period_fr(threshold.valid_from, threshold.valid_until))
    return ThresholdUsed(
        kind=kind, label=threshold.label, amount_ht=threshold.amount_ht, valid_from=threshold.valid_from,
        valid_until=threshold.valid_until, legal_basis=threshold.legal_basis, note=threshold.note,
        citations=notes.cite(threshold.sources), in_period=in_period,
    )


def _choice(band: Band, notes: Collector) -> Choice:
    return Choice(band.id, band.label, band.explanation, notes.cite(band.sources))


def estimated_value(rules: ProcurementRules, contract: Contract, purchases: Range,
                    notes: Collector) -> tuple[Range, str]:
    """The valeur estimée (HT, whole duration) and the id of how it was computed."""
    if contract.form == FRAMEWORK_WITHOUT_MAXIMUM:
        notes.warn("accord_cadre_sans_maximum", rules.messages.framework_no_maximum)
        return purchases, "accord_cadre_sans_maximum"
    if contract.form == FRAMEWORK_WITH_MAXIMUM and contract.maximum is not None:
        if contract.maximum < purchases.central:
            notes.warn("maximum_insuffisant", rules.messages.maximum_below, maximum=euros(contract.maximum),
                       central=euros(purchases.central))
        return Range(contract.maximum, contract.maximum, contract.maximum), "maximum_accord_cadre"
    return purchases, "total_duree"


def _most_demanding(rules: ProcurementRules, bands: list[Band]) -> Band:
    order = [r.id for r in rules.routes]
    return max(bands, key=lambda b: order.index(b.id))


def _warn_near(rules: ProcurementRules, value: Range, thresholds: tuple[ThresholdUsed, ...],
               notes: Collector) -> None:
    margin = rules.near_threshold_margin
    for t in thresholds:
        if t.kind == "publicite":
            continue
        closest = min(value.values, key=lambda v: abs(v - t.amount_ht))
        if abs(closest - t.amount_ht) <= margin * t.amount_ht:
            notes.warn(f"pres_du_seuil_{t.kind}", rules.messages.near_threshold, label=lcfirst(t.label),
                       amount=euros(t.amount_ht), margin=percent(round(margin * 100)), value=euros(closest))


def procurement(rules: ProcurementRules, purchases: Range, contract: Contract, today: date,
                notes: Collector) -> ProcurementAdvice:
    """The valeur estimée, the route documents lead with, and the publicity it requires."""
    thresholds = tuple(_threshold_used(rules, kind, today, notes) for kind in THRESHOLD_KINDS)
    if today > one_year_after(rules.verified_on):
        notes.warn("seuils_anciens", rules.messages.stale, verified_on=date_fr(rules.verified_on))
    value, basis = estimated_value(rules, contract, purchases, notes)
    bands = [rules.route_for(v, today) for v in value.values]
    if basis == "accord_cadre_sans_maximum":
        bands = [rules.routes[-1]] * 3
    legal = _most_demanding(rules, bands)
    if bands[0].id != bands[2].id:
        names = "\u00a0» à «\u00a0".join(dict.fromkeys(lcfirst(r.label) for r in bands))
        notes.warn("voie_incertaine", rules.messages.straddle, low=euros(value.low), high=euros(value.high),
                   routes=names, route=lcfirst(legal.label))
    _warn_near(rules, value, thresholds, notes)
    if contract.total_months > rules.framework_max_months:
        notes.warn("duree_longue", rules.messages.long_duration, months=str(contract.total_months),
                   max_months=str(rules.framework_max_months))
    route, publicity_value, chosen = _route(rules, legal, value, contract.purchase, today, notes)
    return ProcurementAdvice(
        launch_date=today,
        estimated_value=value,
        value_basis=basis,
        value_text=rules.value_bases[basis].format(months=str(contract.total_months)),
        rule=Note("valeur_estimee", rules.estimated_value.text, notes.cite(rules.estimated_value.sources)),
        route=route,
        legal_route=_choice(legal, notes),
        route_low=_choice(bands[0], notes),
        route_central=_choice(bands[1], notes),
        route_high=_choice(bands[2], notes),
        straddles=bands[0].id != bands[2].id,
        chosen=chosen,
        publicity=_choice(rules.central_publicity if route.id == rules.central_route.id and rules.central_publicity
                          else rules.publicity_for(publicity_value, today), notes),
        thresholds=thresholds,
        purchasing_central=Note("centrale", rules.purchasing_central.text,
                                notes.cite(rules.purchasing_central.sources)),
        verified_on=rules.verified_on,
        verified_note=rules.verified_note,
    )


def _route(rules: ProcurementRules, legal: Band, value: Range, purchase: str | None, today: date,
           notes: Collector) -> tuple[Choice, int, Note | None]:
    """The route documents lead with, the value its publicity is read at, and what the choice implied."""
    high = value.high
    if purchase == CENTRAL:
        central = rules.central_route
        note = notes.note("choix_centrale", rules.messages.choice_central, route=lcfirst(legal.label))
        return Choice(central.id, central.label, central.explanation, notes.cite(central.sources)), high, note
    if purchase == COMPETITION and legal.id == rules.routes[0].id:
        floor = rules.amounts_on(today)["dispense"]
        adapted = rules.route_for(floor, today)
        note = notes.note("choix_concurrence", rules.messages.choice_competition, route=lcfirst(adapted.label))
        return _choice(adapted, notes), max(high, floor), note
    if purchase == DIRECT and legal.id != rules.routes[0].id:
        notes.warn("achat_direct_impossible", rules.messages.choice_direct_not_allowed, route=lcfirst(legal.label),
                   value=euros(high))
    return _choice(legal, notes), high, None
