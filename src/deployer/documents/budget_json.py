"""The budget estimate as JSON (``deployer budget … --format json``): a documented, versioned
schema (README, « Budget en JSON ») that other tools and the agreement tests read.

Amounts are euros HT, every range is ``{"low", "central", "high"}``; family ids are
platform, services, programme and internal; route ids are dispense, mapa,
procedure_formalisee and centrale_achat.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from deployer.analysis.budget import BudgetEstimate, BudgetLine, Choice, Citation, Range
    from deployer.analysis.budget.results import Lot
    from deployer.answers.answers_file import Answers

SCHEMA = "deployer-budget"
SCHEMA_VERSION = 2  # 2: lots, options, small_lots_rule, lines[].optional


def _range(value: Range) -> dict[str, int]:
    return {"low": value.low, "central": value.central, "high": value.high}


def _choice(choice: Choice) -> dict[str, Any]:
    return {"id": choice.id, "label": choice.label}


def _cited(citations: tuple[Citation, ...]) -> list[dict[str, Any]]:
    return [{"source": c.source, "title": c.title, "section": c.section} for c in citations]


def _line(line: BudgetLine) -> dict[str, Any]:
    return {
        "id": line.id,
        "label": line.label,
        "family": line.group,
        "recurrence": "per_year" if line.recurrence == "annuel" else "one_off",
        "in_estimated_value": line.in_contract,
        "optional": line.optional,
        "unit": _range(line.unit),
        "per_year": _range(line.per_year),
        "total": _range(line.total),
        "volume": line.volume,
        "observations": line.evidence,
        "hypothesis": line.assumption,
        "sources": _cited(line.citations),
    }


def _lot(lot: Lot) -> dict[str, Any]:
    return {"id": lot.id, "label": lot.label, "lines": list(lot.line_ids), "per_year": _range(lot.per_year),
            "total": _range(lot.total), "route": _choice(lot.route) if lot.route else None, "small_lot": lot.small}


def _small_lots(estimate: BudgetEstimate) -> dict[str, Any] | None:
    rule = estimate.small_lots
    if rule is None:
        return None
    return {"relevant": rule.relevant, "applies": rule.applies, "lots": list(rule.lot_ids),
            "max_lot": rule.max_lot_ht, "max_share": rule.max_share, "rule": rule.rule.text,
            "explanation": rule.outcome.text if rule.outcome else None}


def budget_data(estimate: BudgetEstimate, answers: Answers) -> dict[str, Any]:
    """The estimate as plain JSON-ready data (schema ``deployer-budget`` version 2)."""
    data: dict[str, Any] = {
        "schema": SCHEMA,
        "schema_version": SCHEMA_VERSION,
        "established_on": estimate.today.isoformat(),
        "currency": "EUR",
        "amounts": "HT",
        "collectivite": {"name": answers.name, "population": estimate.population, "type": estimate.collectivite_type},
        "offer": {"id": estimate.offer_model, "label": estimate.offer_model_label},
        "contract": {
            "form": {"id": estimate.contract_form, "label": estimate.contract_form_label},
            "initial_months": estimate.duration_months,
            "renewals": estimate.renewals,
            "renewal_months": estimate.renewal_months,
        },
        "months": estimate.total_months,
        "volumes": [{"label": label, "per_year": count} for label, count in estimate.volumes],
        "families": [{"id": g.id, "label": g.label, "per_year": _range(g.per_year), "total": _range(g.total)}
                     for g in estimate.groups],
        "external": {"per_year": _range(estimate.external.per_year), "total": _range(estimate.external.total)},
        "full_cost": {"per_year": _range(estimate.grand_total.per_year), "total": _range(estimate.grand_total.total)},
        "lines": [_line(line) for line in estimate.lines],
        "allotted": estimate.allotted,
        "lots": [_lot(lot) for lot in estimate.lots],
        "options": {"ids": [line.id for line in estimate.optional_lines], "labels": list(estimate.options),
                    "total": _range(estimate.options_total),
                    "rule": estimate.options_rule.text if estimate.options_rule else None},
        "small_lots_rule": _small_lots(estimate),
        "evidence": {"observations": estimate.evidence_count,
                     "years": list(estimate.evidence_years) if estimate.evidence_years else None},
        "warnings": [{"id": n.id, "text": n.text} for n in estimate.warnings],
        "assumptions": [{"id": n.id, "text": n.text} for n in estimate.assumptions],
    }
    data.update(_procurement(estimate))
    return data


def _procurement(estimate: BudgetEstimate) -> dict[str, Any]:
    p = estimate.procurement
    if p is None:
        return {"estimated_value": {"amount": _range(estimate.estimated_value), "basis": "total_duree",
                                    "explanation": None}, "route": None, "thresholds": []}
    return {
        "launch_date": p.launch_date.isoformat(),
        "estimated_value": {"amount": _range(p.estimated_value), "basis": p.value_basis, "explanation": p.value_text},
        "route": {
            **_choice(p.route),
            "explanation": p.route.explanation,
            "required_by_value": _choice(p.legal_route),
            "crosses_threshold": p.straddles,
            "by_estimate": {"low": _choice(p.route_low), "central": _choice(p.route_central),
                            "high": _choice(p.route_high)},
            "choice_note": p.chosen.text if p.chosen else None,
        },
        "publicity": _choice(p.publicity),
        "thresholds": [
            {"kind": t.kind, "label": t.label, "amount": t.amount_ht, "valid_from": t.valid_from.isoformat(),
             "valid_until": t.valid_until.isoformat() if t.valid_until else None, "legal_basis": t.legal_basis,
             "in_period": t.in_period}
            for t in p.thresholds
        ],
        "thresholds_verified_on": p.verified_on.isoformat(),
    }


def render_budget_json(estimate: BudgetEstimate, answers: Answers) -> str:
    """The estimate as indented JSON text, UTF-8 characters kept."""
    return json.dumps(budget_data(estimate, answers), ensure_ascii=False, indent=2) + "\n"
