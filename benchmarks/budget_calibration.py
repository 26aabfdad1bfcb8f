"""Benchmark: calibration of the budget estimate on real purchases, leave-one-out.

Run on demand from the repository root:

    python benchmarks/budget_calibration.py

Every price observation of content/prices/observations.yaml that the estimate is fitted on is
predicted by the model fitted WITHOUT it (same unit: a year of platform, one accompanied
démarche, one event, one development; same population and offer type). Printed: each check,
then the share of observations inside the low–high range (target ≥ 80 %), the median
real ÷ central (target 0,67–1,5) and the median high ÷ low (target ≤ 5), overall and by unit.
"""

from __future__ import annotations

import statistics

from deployer.analysis.budget.calibration import Calibration, Check, calibrate
from deployer.schema.loader import load_content


def _fr(value: float, digits: int = 2) -> str:
    return f"{value:.{digits}f}".replace(".", ",")


def _summary(label: str, checks: list[Check]) -> str:
    calibration = Calibration(tuple(checks))
    return (f"| {label} | {len(checks)} | {_fr(100 * calibration.share_inside, 0)} % | "
            f"{_fr(calibration.median_ratio)} | {_fr(calibration.median_width)} |")


def main() -> None:
    calibration = calibrate(load_content())
    print("| observation | unité | habitants | payé (€ HT) | bas | central | haut | dedans | payé ÷ central |")
    print("|---|---|---:|---:|---:|---:|---:|---|---:|")
    for c in calibration.checks:
        print(f"| {c.id} | {c.unit} | {c.population} | {round(c.real)} | {c.low} | {c.central} | {c.high} | "
              f"{'oui' if c.inside else 'non'} | {_fr(c.ratio)} |")
    print()
    print("| périmètre | n | dans la fourchette | médiane payé ÷ central | médiane haut ÷ bas |")
    print("|---|---:|---:|---:|---:|")
    print(_summary("toutes les observations", list(calibration.checks)))
    for unit in sorted({c.unit for c in calibration.checks}):
        print(_summary(unit, [c for c in calibration.checks if c.unit == unit]))
    ratios = [c.ratio for c in calibration.checks]
    print(f"\nécart-type du log du rapport : {_fr(statistics.pstdev(__import__('math').log(r) for r in ratios))}")


if __name__ == "__main__":
    main()
