"""Prices fitted on the evidence base (content/prices/observations.yaml).

For one unit (a year of platform, one accompanied démarche, one event, one development) the
log of the unit price is fitted linearly on the log of the buyer's population, so that the
estimate moves smoothly with population and says which observations it rests on. The range
is the central price times exp(± z·σ·√(1 + 1/n)), σ being the residual spread of the fit: with
z = 1,28 it would hold 80 % of new prices if the residuals were normal (a stated assumption,
measured by benchmarks/budget_calibration.py). Pure statistics: no content reading here.
"""

from __future__ import annotations

import math
import statistics
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

# Student's t quantile at 0.90 (an 80 % two-sided interval) by degrees of freedom, divided by the
# normal one (1.2816): how much wider an interval must be when σ is estimated from few points.
_T80 = {1: 3.078, 2: 1.886, 3: 1.638, 4: 1.533, 5: 1.476, 6: 1.440, 7: 1.415, 8: 1.397, 9: 1.383, 10: 1.372,
        12: 1.356, 15: 1.341, 20: 1.325, 30: 1.310}


def small_sample_factor(dof: int) -> float:
    """t(0.90, dof) ÷ z(0.90): 1 for many degrees of freedom, larger for few."""
    if dof <= 0:
        return _T80[1] / 1.2816
    known = max(d for d in _T80 if d <= dof) if dof < 30 else 30
    return _T80[known] / 1.2816 if dof <= 30 else 1.0


if TYPE_CHECKING:
    from deployer.schema.budget import EvidenceSettings
    from deployer.schema.prices import PriceObservation


@dataclass(frozen=True)
class Fit:
    """A unit price as a function of population, and the observations behind it."""

    unit: str
    level: float  # log of the unit price at the reference population
    slope: float  # elasticity of the price to population
    sigma: float  # residual spread of the log price
    n: int
    ids: tuple[str, ...]
    years: tuple[int, int]
    reference_population: int
    z: float
    slope_fitted: bool  # False: too few observations, the slope is the stated prior
    mean_x: float = 0.0  # mean log(population / reference) of the observations
    spread_x: float = 0.0  # sum of squared deviations of log(population / reference)

    def central(self, population: int, offer_shift: float = 0.0) -> float:
        """The central unit price for a buyer of ``population`` inhabitants."""
        return math.exp(self.level + offer_shift + self.slope * math.log(population / self.reference_population))

    def bounds(self, population: int, offer_shift: float = 0.0) -> tuple[float, float, float]:
        """Low, central and high unit prices."""
        central = self.central(population, offer_shift)
        spread = math.exp(self.half_width(population))
        return central / spread, central, central * spread

    def half_width(self, population: int) -> float:
        """z·t/z·σ·√(1 + 1/n + leverage): the prediction interval of a log price, wider far from the data."""
        x = math.log(population / self.reference_population)
        leverage = (x - self.mean_x) ** 2 / self.spread_x if self.slope_fitted and self.spread_x > 0 else 0.0
        dof = self.n - (2 if self.slope_fitted else 1)
        return self.z * small_sample_factor(dof) * self.sigma * math.sqrt(1 + 1 / self.n + leverage)


def usable(observations: Iterable[PriceObservation], unit: str, leave_out: str | None = None) -> list[PriceObservation]:
    """The rows the estimate is fitted on for a unit: used, priced above 0, not left out."""
    return [o for o in observations
            if o.unit == unit and o.used and o.unit_price_ht > 0 and o.id != leave_out]


def fit_unit(observations: Iterable[PriceObservation], unit: str, settings: EvidenceSettings,
             leave_out: str | None = None) -> Fit | None:
    """The fit of one unit's prices on population; None when no observation is usable."""
    rows = usable(observations, unit, leave_out)
    if not rows:
        return None
    ref = settings.reference_population
    xs = [math.log(o.population / ref) for o in rows]
    ys = [math.log(o.unit_price_ht) for o in rows]
    slope, fitted = _slope(xs, ys, settings)
    level = statistics.fmean(y - slope * x for x, y in zip(xs, ys, strict=True))
    residuals = [y - level - slope * x for x, y in zip(xs, ys, strict=True)]
    dof = len(rows) - (2 if fitted else 1)
    sigma = math.sqrt(sum(r * r for r in residuals) / dof) if dof > 0 else settings.default_sigma
    years = [o.year for o in rows]
    mean_x = statistics.fmean(xs)
    return Fit(unit, level, slope, max(sigma, settings.min_sigma), len(rows), tuple(o.id for o in rows),
               (min(years), max(years)), ref, settings.z, fitted, mean_x, sum((x - mean_x) ** 2 for x in xs))


def _slope(xs: Sequence[float], ys: Sequence[float], settings: EvidenceSettings) -> tuple[float, bool]:
    mean_x = statistics.fmean(xs)
    spread = sum((x - mean_x) ** 2 for x in xs)
    if len(xs) < settings.min_points_for_slope or spread < 1e-9:
        return settings.prior_slope, False
    mean_y = statistics.fmean(ys)
    covariance = sum((x - mean_x) * (y - mean_y) for x, y in zip(xs, ys, strict=True))
    weight = settings.slope_prior_weight  # the prior slope counts as this much spread of log(population)
    slope = (covariance + weight * settings.prior_slope) / (spread + weight)
    return min(max(slope, settings.slope_bounds[0]), settings.slope_bounds[1]), True


def offer_shift(fit: Fit, observations: Iterable[PriceObservation], offer: str, settings: EvidenceSettings,
                leave_out: str | None = None) -> tuple[float, int]:
    """How far (in log) an offer type's own observations sit from the pooled fit, shrunk
    towards 0 by ``settings.offer_shrinkage`` pseudo-observations; and how many there are."""
    rows = [o for o in usable(observations, fit.unit, leave_out) if o.offer == offer]
    if not rows:
        return 0.0, 0
    residuals = [math.log(o.unit_price_ht) - math.log(fit.central(o.population)) for o in rows]
    return sum(residuals) / (len(rows) + settings.offer_shrinkage), len(rows)
