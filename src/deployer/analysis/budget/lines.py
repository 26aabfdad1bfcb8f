"""Cost lines: each budget.yaml item priced for one collectivité, from a fixed amount, from an
amount by size band (interpolated on population), or from the evidence fit times a volume."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from deployer.analysis.budget.evidence import Fit, fit_units, offer_shift
from deployer.analysis.budget.inputs import Inputs, smooth
from deployer.analysis.budget.results import BudgetLine, Citation, Collector, Range, decimal_fr, round10
from deployer.errors import ContentError

if TYPE_CHECKING:
    from deployer.schema.budget import BudgetModel, CostItem, EvidencePrice
    from deployer.schema.content import Content
    from deployer.schema.prices import PriceObservation

UNITS = ("an", "mission", "evenement", "developpement")


@dataclass(frozen=True)
class Pricer:
    """The fitted unit prices of one estimate (one observation may be left out, for calibration)."""

    model: BudgetModel
    observations: tuple[PriceObservation, ...]
    fits: dict[str, Fit]
    leave_out: str | None

    @classmethod
    def build(cls, content: Content, model: BudgetModel, leave_out: str | None = None) -> Pricer:
        rows = tuple(content.prices.observations) if content.prices else ()
        fits = fit_units(rows, UNITS, model.evidence, leave_out)
        return cls(model, rows, fits, leave_out)

    def unit_range(self, price: EvidencePrice, population: int) -> tuple[Range, Fit]:
        """Low, central, high of one unit of ``price`` for this population, in euros HT."""
        fit = self.fits.get(price.unit)
        if fit is None:
            raise ContentError(
                f"prices/observations.yaml : aucune observation utilisable pour l'unité « {price.unit} »",
                hint="Ajoutez au moins une observation de cette unité, ou chiffrez le poste par amount.",
            )
        shift = offer_shift(fit, self.observations, price.offer, self.model.evidence, self.leave_out)[0] \
            if price.offer else 0.0
        low, central, high = (v * price.share for v in fit.bounds(population, shift))
        return Range(round10(low), round10(central), round10(high)), fit

    def basis(self, fit: Fit, notes: Collector) -> tuple[str, tuple[Citation, ...]]:
        """The French sentence saying which observations a fitted price rests on, and their sources."""
        used = [o for o in self.observations if o.id in fit.ids]
        years = f"{fit.years[0]}" if fit.years[0] == fit.years[1] else f"{fit.years[0]} à {fit.years[1]}"
        text = self.model.messages.evidence_basis.text.format(
            n=str(fit.n), years=years, buyers="\u202f; ".join(f"{o.buyer} ({o.year})" for o in used))
        return text, notes.cite([ref for o in used for ref in o.sources])


def per_year(total: Range, months: int) -> Range:
    """The average per year over a contract (the total when it lasts less than a year)."""
    return total.scaled(12 / max(months, 12))


def cost_line(line_id: str, group: str, item: CostItem, inputs: Inputs, months: int, pricer: Pricer,
              notes: Collector) -> BudgetLine:
    """One item priced for these inputs over ``months`` months."""
    unit, basis, citations, volume = _unit(item, inputs, pricer, notes)
    total = unit.scaled(months / 12) if item.recurrence == "annuel" else unit
    return BudgetLine(
        id=line_id,
        label=item.label,
        group=group,
        recurrence=item.recurrence,
        unit=unit,
        total=total,
        per_year=per_year(total, months),
        in_contract=item.in_contract,
        citations=(*citations, *notes.cite(item.sources)),
        assumption=item.assumption,
        evidence=basis,
        volume=volume,
    )


def _unit(item: CostItem, inputs: Inputs, pricer: Pricer,
          notes: Collector) -> tuple[Range, str | None, tuple[Citation, ...], str | None]:
    if item.evidence is not None:
        unit, fit = pricer.unit_range(item.evidence, inputs.population)
        basis, citations = pricer.basis(fit, notes)
        volume_key = item.evidence.volume
        if volume_key is None:
            return unit, basis, citations, None
        count = inputs.volumes.get(volume_key, 0.0)
        label = pricer.model.volumes[volume_key].label if volume_key in pricer.model.volumes else volume_key
        volume = f"{label}\u00a0: {decimal_fr(count)}" + ("" if count == int(count) else " en moyenne")
        return unit.scaled(count), basis, citations, volume
    if item.amount is not None:
        return Range(*item.amount), None, (), None
    by_band = item.by_band or {}
    if not by_band:
        raise ContentError(f"budget.yaml : le poste « {item.label} » n'a pas de montant",
                           hint="Donnez amount, by_band ou evidence.")
    anchors = pricer.model.band_anchors
    values = [smooth({band: float(v[i]) for band, v in by_band.items()}, anchors, inputs.population)
              for i in range(3)]
    return Range(*(round10(v) for v in values)), None, (), None


def evidence_used(items: list[CostItem], pricer: Pricer) -> tuple[int, tuple[int, int] | None]:
    """How many price observations the evidence-priced items rest on, and from which years."""
    fits = [pricer.fits[i.evidence.unit] for i in items if i.evidence is not None and i.evidence.unit in pricer.fits]
    ids = {obs for fit in fits for obs in fit.ids}
    if not fits:
        return 0, None
    return len(ids), (min(f.years[0] for f in fits), max(f.years[1] for f in fits))
