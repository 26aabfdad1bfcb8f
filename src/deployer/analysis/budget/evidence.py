"""Prices fitted on the evidence base (content/prices/observations.yaml).

For one unit (a year of platform, one accompanied démarche, one event, one development) the
log of the unit price is fitted linearly on the log of the buyer's population, so that the
estimate moves smoothly with population and says which observations it rests on.

The range is not derived from a normal law (prices paid vary too unevenly for that): it is a
jackknife prediction interval. Every observation is predicted by the fit made without it; its
error in log, divided by √(1 + 1/n + leverage) so that errors far from the data count as
what they are, is pooled over all units; the ``coverage`` quantile of these errors is the
``spread``. The range at a population is then central ÷ and × exp(spread · √(1 + 1/n +
leverage)): as wide as the errors the model really made on left-out purchases, wider where the
population is far from the observed ones. Measured by benchmarks/budget_calibration.py.
Pure statistics: no content reading here.
"""

from __future__ import annotations

import math
import statistics
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from deployer.schema.budget import EvidenceSettings
    from deployer.schema.prices import PriceObservation


@dataclass(frozen=True)
class Fit:
    """A unit price as a function of population, and the observations behind it."""

    unit: str
    level: float  # log of the unit price at the reference population
    slope: float  # elasticity of the price to population
    spread: float  # half-width of the range in log, before the normaliser (jackknife quantile)
    n: int
    ids: tuple[str, ...]
    years: tuple[int, int]
    reference_population: int
    slope_fitted: bool  # False: too few observations, the slope is the stated prior
    mean_x: float = 0.0  # mean log(population / reference) of the observations
    spread_x: float = 0.0  # sum of squared deviations of log(population / reference)

    def central(self, population: int, offer_shift: float = 0.0) -> float:
        """The central unit price for a buyer of ``population`` inhabitants."""
        return math.exp(self.level + offer_shift + self.slope * math.log(population / self.reference_population))

    def bounds(self, population: int, offer_shift: float = 0.0) -> tuple[float, float, float]:
        """Low, central and high unit prices."""
        central = self.central(population, offer_shift)
        factor = math.exp(self.half_width(population))
        return central / factor, central, central * factor

    def normaliser(self, population: int) -> float:
        """√(1 + 1/n + leverage): how much less certain a prediction is here than at the data's centre."""
        x = math.log(population / self.reference_population)
        leverage = (x - self.mean_x) ** 2 / self.spread_x if self.slope_fitted and self.spread_x > 0 else 0.0
        return math.sqrt(1 + 1 / self.n + leverage)

    def half_width(self, population: int) -> float:
        """The half-width of the range of a log price at this population."""
        return self.spread * self.normaliser(population)


def usable(observations: Iterable[PriceObservation], unit: str, leave_out: str | None = None) -> list[PriceObservation]:
    """The rows the estimate is fitted on for a unit: used, priced above 0, not left out."""
    return [o for o in observations
            if o.unit == unit and o.used and o.unit_price_ht > 0 and o.id != leave_out]


def fit_units(observations: Sequence[PriceObservation], units: Iterable[str], settings: EvidenceSettings,
              leave_out: str | None = None) -> dict[str, Fit]:
    """The fit of every unit that has usable observations, each with the jackknife spread."""
    fits = {u: f for u in units if (f := fit_unit(observations, u, settings, leave_out)) is not None}
    spread = jackknife_spread(observations, fits, settings, leave_out)
    return {u: replace(f, spread=spread) for u, f in fits.items()}


def jackknife_spread(observations: Sequence[PriceObservation], fits: dict[str, Fit], settings: EvidenceSettings,
                     leave_out: str | None = None) -> float:
    """The ``coverage`` quantile of the normalised leave-one-out errors in log, pooled over units;
    ``default_spread`` when there are too few of them to say."""
    errors = []
    for unit in fits:
        for row in usable(observations, unit, leave_out):
            without = fit_unit(observations, unit, settings, leave_out, also_out=row.id)
            if without is None:
                continue
            shift = offer_shift(without, observations, row.offer, settings, leave_out, also_out=row.id)[0] \
                if row.offer else 0.0
            error = abs(math.log(row.unit_price_ht) - math.log(without.central(row.population, shift)))
            errors.append(error / without.normaliser(row.population))
    if len(errors) < settings.min_errors_for_spread:
        return settings.default_spread
    errors.sort()
    return errors[math.ceil(settings.coverage * len(errors)) - 1]


def fit_unit(observations: Iterable[PriceObservation], unit: str, settings: EvidenceSettings,
             leave_out: str | None = None, also_out: str | None = None) -> Fit | None:
    """The fit of one unit's prices on population (its spread still to be set by
    :func:`jackknife_spread`); None when no observation is usable."""
    rows = [o for o in usable(observations, unit, leave_out) if o.id != also_out]
    if not rows:
        return None
    ref = settings.reference_population
    xs = [math.log(o.population / ref) for o in rows]
    ys = [math.log(o.unit_price_ht) for o in rows]
    slope, fitted = _slope(xs, ys, settings)
    level = statistics.fmean(y - slope * x for x, y in zip(xs, ys, strict=True))
    years = [o.year for o in rows]
    mean_x = statistics.fmean(xs)
    return Fit(unit, level, slope, settings.default_spread, len(rows), tuple(o.id for o in rows),
               (min(years), max(years)), ref, fitted, mean_x, sum((x - mean_x) ** 2 for x in xs))


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
                leave_out: str | None = None, also_out: str | None = None) -> tuple[float, int]:
    """How far (in log) an offer type's own observations sit from the pooled fit, shrunk
    towards 0 by ``settings.offer_shrinkage`` pseudo-observations; and how many there are."""
    rows = [o for o in usable(observations, fit.unit, leave_out) if o.offer == offer and o.id != also_out]
    if not rows:
        return 0.0, 0
    residuals = [math.log(o.unit_price_ht) - math.log(fit.central(o.population)) for o in rows]
    return sum(residuals) / (len(rows) + settings.offer_shrinkage), len(rows)
