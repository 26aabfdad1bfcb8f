"""The valeur estimée du besoin and the procurement route it implies at the launch date."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from deployer.analysis.budget.inputs import (
    Inputs,
)
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
from deployer.french import euros, lcfirst

if TYPE_CHECKING:
    from deployer.schema.procurement import Band, ProcurementRules, ThresholdKind


THRESHOLD_KINDS: tuple[ThresholdKind, ...] = ("dispense", "publicite", "europeen")

# -- procurement ------------------------------------------------------------------------


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


def _procurement(rules: ProcurementRules, value: Range, inputs: Inputs, today: date,
                 notes: Collector) -> ProcurementAdvice:
    thresholds = tuple(_threshold_used(rules, kind, today, notes) for kind in THRESHOLD_KINDS)
    if today > one_year_after(rules.verified_on):
        notes.warn("seuils_anciens", rules.messages.stale, verified_on=date_fr(rules.verified_on))
    routes = [rules.route_for(v, today) for v in value.values]
    if len({r.id for r in routes}) > 1:
        names = "\u00a0» à «\u00a0".join(dict.fromkeys(lcfirst(r.label) for r in routes))
        notes.warn("voie_incertaine", rules.messages.straddle, low=euros(value.low), high=euros(value.high),
                   routes=names)
    if inputs.total_months > rules.framework_max_months:
        notes.warn("duree_longue", rules.messages.long_duration, months=str(inputs.total_months),
                   max_months=str(rules.framework_max_months))
    low, central, high = (_choice(r, notes) for r in routes)
    return ProcurementAdvice(
        launch_date=today,
        estimated_value=value,
        rule=Note("valeur_estimee", rules.estimated_value.text, notes.cite(rules.estimated_value.sources)),
        route=central,
        route_low=low,
        route_high=high,
        publicity=_choice(rules.publicity_for(value.central, today), notes),
        thresholds=thresholds,
        purchasing_central=Note("centrale", rules.purchasing_central.text,
                                notes.cite(rules.purchasing_central.sources)),
        verified_on=rules.verified_on,
        verified_note=rules.verified_note,
    )
