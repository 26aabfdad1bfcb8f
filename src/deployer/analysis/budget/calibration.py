"""Leave-one-out calibration of the evidence fit: each price observation is predicted by the
model fitted without it, and compared with what was really paid (benchmarks/budget_calibration.py)."""

from __future__ import annotations

import statistics
from dataclasses import dataclass
from typing import TYPE_CHECKING

from deployer.analysis.budget.inputs import budget_model
from deployer.analysis.budget.lines import Pricer
from deployer.schema.budget import EvidencePrice

if TYPE_CHECKING:
    from deployer.schema.content import Content


@dataclass(frozen=True)
class Check:
    """One observation against the range predicted without it."""

    id: str
    unit: str
    population: int
    real: float
    low: int
    central: int
    high: int

    @property
    def inside(self) -> bool:
        return self.low <= self.real <= self.high

    @property
    def ratio(self) -> float:
        """real ÷ central."""
        return self.real / self.central

    @property
    def width(self) -> float:
        """high ÷ low."""
        return self.high / self.low


@dataclass(frozen=True)
class Calibration:
    """Every check and the three figures the issue sets targets for."""

    checks: tuple[Check, ...]

    @property
    def share_inside(self) -> float:
        return sum(c.inside for c in self.checks) / len(self.checks)

    @property
    def median_ratio(self) -> float:
        return statistics.median(c.ratio for c in self.checks)

    @property
    def median_width(self) -> float:
        return statistics.median(c.width for c in self.checks)


def calibrate(content: Content) -> Calibration:
    """Predict every usable observation from a fit that leaves it out."""
    model = budget_model(content)
    rows = content.prices.observations if content.prices else []
    checks = []
    for row in rows:
        if not row.used or row.unit_price_ht <= 0:
            continue
        pricer = Pricer.build(content, model, leave_out=row.id)
        if row.unit not in pricer.fits:
            continue
        price = EvidencePrice(unit=row.unit, share=1.0, offer=row.offer)
        predicted, _ = pricer.unit_range(price, row.population)
        checks.append(Check(row.id, row.unit, row.population, row.unit_price_ht, *predicted.values))
    return Calibration(tuple(checks))
