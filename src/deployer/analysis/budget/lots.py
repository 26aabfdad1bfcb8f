"""Allotment: the purchase split into lots (the platform, the accompaniment bought from the vendor
or a consultant), each with its amounts, and the « petits lots » rule (art. R2123-1, 2°).

The valeur estimée sums all lots and the route is decided on the total (procurement_route); a
lot of an allotted purchase that reaches the formal procedure may follow a procédure adaptée when
it is estimated under 80 000 € HT and such lots together are at most 20 % of the total. The
figures and the French sentences are in content/procurement.yaml (``allotment``).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from typing import TYPE_CHECKING

from deployer.analysis.budget.contract import Contract
from deployer.analysis.budget.lines import per_year
from deployer.analysis.budget.results import (
    ZERO,
    BudgetLine,
    Choice,
    Collector,
    Lot,
    Note,
    ProcurementAdvice,
    SmallLotsRule,
)
from deployer.french import euros, percent

if TYPE_CHECKING:
    from deployer.schema.procurement import Allotment, ProcurementRules

SPLIT = "lots_separes"  # value of prestataire.allotissement
SINGLE_ID = "lot_unique"
FORMAL, ADAPTED = "procedure_formalisee", "mapa"  # route ids (stable: the JSON output documents them)


def _lot(lot_id: str, label: str, lines: Sequence[BudgetLine], months: int, route: Choice | None,
         scope: str = "") -> Lot:
    total = sum((line.total for line in lines), ZERO)
    return Lot(lot_id, label, tuple(line.id for line in lines), total, per_year(total, months), route, scope=scope)


def split_lots(rules: ProcurementRules | None, contract: Contract, lines: Sequence[BudgetLine], months: int,
               advice: ProcurementAdvice | None,
               notes: Collector) -> tuple[tuple[Lot, ...], bool, Note | None, SmallLotsRule | None]:
    """The lots, whether the purchase is allotted, the allotment rule and the small-lots rule."""
    bought = [line for line in lines if line.in_contract]
    route = advice.route if advice else None
    allotment = rules.allotment if rules else None
    if allotment is None:
        return (_lot(SINGLE_ID, "Marché unique", bought, months, route),), False, None, None
    with_services = any(line.group == "services" for line in bought)
    if contract.allotment is None and with_services:
        notes.assume("allotissement", allotment.messages.default)
    single = (_lot(SINGLE_ID, allotment.single_label, bought, months, route),)
    if contract.allotment != SPLIT:
        return single, False, None, None
    rule = Note("allotissement_regle", allotment.rule.text, notes.cite(allotment.rule.sources))
    groups = [(d, [line for line in bought if line.group == d.family]) for d in allotment.lots]
    lots = [_lot(d.id, d.label, group, months, route, d.scope) for d, group in groups if group]
    if len(lots) < 2:
        notes.assume("lot_unique", allotment.messages.one_lot)
        return single, False, None, None
    if advice is None or rules is None:
        return tuple(lots), True, rule, None
    small = _small_lots(rules, allotment, lots, advice, notes)
    if small.applies and advice.route.id == advice.legal_route.id:  # not when buying from a central body
        adapted = next(r for r in rules.routes if r.id == ADAPTED)
        mapa = Choice(adapted.id, adapted.label, adapted.explanation, notes.cite(adapted.sources))
        lots = [replace(lot, route=mapa, small=True) if lot.id in small.lot_ids else lot for lot in lots]
    return tuple(lots), True, rule, small


def _small_lots(rules: ProcurementRules, allotment: Allotment, lots: list[Lot], advice: ProcurementAdvice,
                notes: Collector) -> SmallLotsRule:
    """The « petits lots » rule, read on the high estimate (the one the route is decided on)."""
    settings = allotment.small_lots
    rule = Note("petits_lots", settings.text, notes.cite(settings.sources))

    def result(applies: bool, ids: tuple[str, ...], outcome: Note | None) -> SmallLotsRule:
        return SmallLotsRule(advice.legal_route.id == FORMAL, applies, ids, settings.max_lot_ht, settings.max_share,
                             rule, outcome)

    if advice.legal_route.id != FORMAL:
        return result(False, (), None)
    messages, reasons = allotment.messages, allotment.reasons
    if advice.value_basis == "accord_cadre_sans_maximum":
        return result(False, (), notes.note("petits_lots", messages.small_lots_refused, reason=reasons["no_maximum"]))
    total = advice.estimated_value.high
    purchases = sum((lot.total.high for lot in lots), 0)
    factor = total / purchases if advice.value_basis == "maximum_accord_cadre" and purchases else 1.0
    if factor != 1.0:
        notes.assume("petits_lots_prorata", messages.small_lots_pro_rata)
    values = {lot.id: round(lot.total.high * factor) for lot in lots}
    small = [lot for lot in lots if values[lot.id] < settings.max_lot_ht]
    if not small:
        return result(False, (), notes.note("petits_lots", messages.small_lots_refused,
                                            reason=reasons["no_small_lot"]))
    amount = sum(values[lot.id] for lot in small)
    if amount > settings.max_share * total:
        return result(False, (), notes.note("petits_lots", messages.small_lots_refused,
                                            reason=reasons["too_large_share"]))
    names = " et ".join(f"le «\u00a0{lot.label}\u00a0»" for lot in small)
    outcome = notes.note("petits_lots", messages.small_lots_apply, lots=names, amount=euros(amount),
                         share=percent(round(amount / total * 100)))
    return result(True, tuple(lot.id for lot in small), outcome)
