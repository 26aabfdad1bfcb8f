"""The evidence fit, the contract structure, the valeur estimée and the route (issue 15)."""

from __future__ import annotations

import dataclasses
from datetime import date
from typing import Any

import pytest

from deployer.analysis.budget import BudgetEstimate, estimate_budget, quick_answers
from deployer.analysis.budget.calibration import calibrate
from deployer.analysis.budget.lines import Pricer
from deployer.answers.answers_file import Answers
from deployer.errors import DeployerError
from deployer.schema.content import Content
from deployer.schema.loader import load_content
from deployer.schema.prices import PriceEvidence

CONTENT = load_content()
TODAY = date(2026, 11, 22)
assert CONTENT.budget is not None and CONTENT.prices is not None


def quick(population: int, model: str | None, content: Content = CONTENT, **kw: Any) -> BudgetEstimate:
    contract = kw.pop("contract", None)
    return estimate_budget(content, quick_answers(content, population, model, contract=contract, **kw), today=TODAY)


def warnings(e: BudgetEstimate) -> set[str]:
    return {w.id for w in e.warnings}


# -- evidence -----------------------------------------------------------------------------


def test_every_evidence_priced_line_names_its_observations_and_their_years() -> None:
    e = quick(42000, "marque_blanche", services=["animation", "synthese"], duration_months=12)
    priced = [line for line in e.lines if line.evidence]
    assert {line.id for line in priced} >= {"licence", "mise_en_place", "prestation_animation"}
    for line in priced:
        assert "prix observés" in line.evidence and any(c.source.startswith("decp") or c.source.startswith(
            ("presse", "barometre", "palaiseau", "cap-")) for c in line.citations), line.label


@pytest.mark.parametrize("edge", [10_000, 30_000, 50_000, 70_000, 100_000, 350_000])
def test_costs_have_no_cliff_at_band_edges(edge: int) -> None:
    below = quick(edge - 1, "marque_blanche", services=["animation"])
    above = quick(edge + 1, "marque_blanche", services=["animation"])
    for total in ("external", "grand_total"):
        low, high = getattr(below, total).total.central, getattr(above, total).total.central
        assert abs(high - low) <= 0.01 * low + 20, total


def test_external_cost_grows_with_population_without_jumps() -> None:
    populations = [round(2_000 * 1.05**k) for k in range(0, 105, 3)]  # 2 000 to about 330 000, +16 % a step
    totals = [quick(p, "marque_blanche").external.per_year.central for p in populations]
    assert totals == sorted(totals)
    assert all(b <= a * 1.12 + 50 for a, b in zip(totals, totals[1:], strict=False))


def test_leave_one_out_really_leaves_the_observation_out() -> None:
    full = Pricer.build(CONTENT, CONTENT.budget).fits["mission"]  # type: ignore[arg-type]
    without = Pricer.build(CONTENT, CONTENT.budget, leave_out=full.ids[0]).fits["mission"]  # type: ignore[arg-type]
    assert without.n == full.n - 1 and full.ids[0] not in without.ids
    assert without.level != full.level


def test_a_new_observation_moves_the_estimate() -> None:
    rows = CONTENT.prices.observations  # type: ignore[union-attr]
    pricey = rows[0].model_copy(update={"id": "test-expensive", "amount": rows[0].amount * 20})
    evidence = PriceEvidence(verified_on=TODAY, observations=[*rows, pricey])
    more = dataclasses.replace(CONTENT, prices=evidence)
    base = quick(40000, "marque_blanche", services=["animation"])
    moved = quick(40000, "marque_blanche", content=more, services=["animation"])
    assert moved.group("services").total.central > base.group("services").total.central


def test_calibration_checks_every_usable_observation() -> None:
    used = [o for o in CONTENT.prices.observations if o.used and o.unit_price_ht > 0]  # type: ignore[union-attr]
    calibration = calibrate(CONTENT)
    assert [c.id for c in calibration.checks] == [o.id for o in used]
    assert calibration.share_inside == sum(c.low <= c.real <= c.high for c in calibration.checks) / len(used)
    assert 0.67 <= calibration.median_ratio <= 1.5  # the measured bias target of issue 15


def test_calibration_meets_the_targets_of_issue_15() -> None:
    """Leave-one-out on the evidence base: the figures written in benchmarks/README.md."""
    calibration = calibrate(CONTENT)
    assert calibration.share_inside >= 0.80
    assert 0.67 <= calibration.median_ratio <= 1.5
    assert calibration.median_width <= 5


def test_an_outlier_never_narrows_the_range_and_far_populations_get_wider_ranges() -> None:
    rows = CONTENT.prices.observations  # type: ignore[union-attr]
    base = Pricer.build(CONTENT, CONTENT.budget).fits["an"]  # type: ignore[arg-type]
    year_rows = [o for o in rows if o.unit == "an" and o.used]
    outlier = year_rows[0].model_copy(update={"id": "test-outlier", "amount": year_rows[0].amount * 50})
    noisy = dataclasses.replace(CONTENT, prices=PriceEvidence(verified_on=TODAY, observations=[*rows, outlier]))
    wider = Pricer.build(noisy, CONTENT.budget).fits["an"]  # type: ignore[arg-type]
    assert wider.spread >= base.spread
    near = base.reference_population
    assert base.half_width(near * 100) > base.half_width(near)


def test_too_few_observations_fall_back_to_the_stated_default_range() -> None:
    rows = [o for o in CONTENT.prices.observations if o.unit == "an" and o.used][:3]  # type: ignore[union-attr]
    few = dataclasses.replace(CONTENT, prices=PriceEvidence(verified_on=TODAY, observations=rows))
    fit = Pricer.build(few, CONTENT.budget).fits["an"]  # type: ignore[arg-type]
    assert fit.spread == CONTENT.budget.evidence.default_spread  # type: ignore[union-attr]


def test_services_are_priced_by_volume() -> None:
    one = quick(42000, "marque_blanche", services=["animation"], contract={"demarches_par_an": 1})
    three = quick(42000, "marque_blanche", services=["animation"], contract={"demarches_par_an": 3})
    line = next(x for x in three.lines if x.id == "prestation_animation")
    assert line.volume and "3" in line.volume
    assert three.group("services").total == one.group("services").total.scaled(3)
    workshops = quick(42000, "marque_blanche", contract={"ateliers_par_an": 4})
    assert any(x.id == "prestation_ateliers" for x in workshops.lines)
    assert not any(x.id == "prestation_ateliers" for x in one.lines)


# -- contract structure and valeur estimée ------------------------------------------------


def test_each_renewal_has_its_own_length() -> None:
    e = quick(30000, "marque_blanche", duration_months=36, renewals=1, contract={"duree_reconduction_mois": 12})
    assert (e.duration_months, e.renewals, e.renewal_months, e.total_months) == (36, 1, 12, 48)
    licence = next(x for x in e.lines if x.id == "licence")
    assert licence.total == licence.unit.scaled(4)


def test_accord_cadre_value_is_its_maximum_and_without_maximum_it_is_formal() -> None:
    capped = quick(30000, "marque_blanche", contract={"forme_marche": "accord_cadre_maximum",
                                                      "montant_maximum": 150_000})
    assert capped.procurement is not None
    assert capped.procurement.estimated_value.values == (150_000, 150_000, 150_000)
    assert capped.procurement.route.id == "mapa" and capped.procurement.value_basis == "maximum_accord_cadre"
    open_ended = quick(3000, "offre_essai", contract={"forme_marche": "accord_cadre_sans_maximum"})
    assert open_ended.procurement is not None and open_ended.procurement.route.id == "procedure_formalisee"
    assert "accord_cadre_sans_maximum" in warnings(open_ended)


# -- route ----------------------------------------------------------------------------------


def test_a_metropole_buying_a_framework_with_facilitation_and_synthesis_goes_formal() -> None:
    e = quick(520_000, "marque_blanche", services=["animation", "synthese"], duration_months=12, renewals=3,
              contract={"forme_marche": "accord_cadre_maximum"})
    assert e.procurement is not None and e.procurement.route.id == "procedure_formalisee"
    central = quick(520_000, "marque_blanche", services=["animation", "synthese"], duration_months=12, renewals=3,
                    contract={"achat": "centrale_achat"})
    assert central.procurement is not None and central.procurement.route.id == "centrale_achat"
    assert central.procurement.legal_route.id == "procedure_formalisee"


@pytest.mark.parametrize("model", ["offre_essai", "mutualisee"])
def test_a_small_rural_commune_with_a_trial_or_pooled_offer(model: str) -> None:
    e = quick(1_800, model, duration_months=12)
    assert e.procurement is not None and e.procurement.route.id == "dispense"
    assert e.procurement.estimated_value.high < 60_000
    # real small-commune purchases: 2 400 to 3 168 € a year (content/prices/observations.yaml)
    assert e.external.per_year.central <= 3_200


def test_a_small_commune_on_a_dedicated_platform_is_offered_cheaper_routes() -> None:
    assert "voies_moins_couteuses" in warnings(quick(1_800, "marque_blanche"))
    assert "voies_moins_couteuses" not in warnings(quick(1_800, "mutualisee"))
    assert "voies_moins_couteuses" not in warnings(quick(40_000, "marque_blanche"))


def test_a_town_that_chose_competition_is_never_told_none_is_needed() -> None:
    e = quick(12_000, "marque_blanche", contract={"achat": "procedure"})
    p = e.procurement
    assert p is not None and p.legal_route.id == "dispense"
    assert p.route.id == "mapa" and p.publicity.id != "sans_publicite"
    assert p.chosen is not None


def test_a_range_across_a_threshold_leads_with_the_demanding_route() -> None:
    e = quick(42_000, "marque_blanche", services=["animation"], duration_months=12, renewals=1)
    p = e.procurement
    assert p is not None and p.straddles
    assert p.route.id == p.route_high.id == p.legal_route.id
    assert "voie_incertaine" in warnings(e)


def test_direct_purchase_above_the_dispense_threshold_is_refused() -> None:
    e = quick(42_000, "marque_blanche", services=["animation"], duration_months=24,
              contract={"achat": "gre_a_gre"})
    assert e.procurement is not None and e.procurement.route.id != "dispense"
    assert "achat_direct_impossible" in warnings(e)


def test_a_value_near_a_threshold_is_flagged() -> None:
    capped = quick(30000, "marque_blanche", contract={"forme_marche": "accord_cadre_maximum",
                                                      "montant_maximum": 57_000})
    assert "pres_du_seuil_dispense" in warnings(capped)
    far = quick(30000, "marque_blanche", contract={"forme_marche": "accord_cadre_maximum", "montant_maximum": 30_000})
    assert not any(w.startswith("pres_du_seuil") for w in warnings(far))


def test_old_answers_files_get_documented_defaults() -> None:
    old = Answers(profile={"population": 20000}, responses={"prestataire": {"duree_mois": 12, "reconductions": 2}})
    e = estimate_budget(CONTENT, old, today=TODAY)
    ids = {a.id for a in e.assumptions}
    assert {"duree_reconductions", "forme_marche", "volume_demarches_par_an"} <= ids
    assert e.total_months == 36 and e.contract_form == "marche_ordinaire"


# -- the command ----------------------------------------------------------------------------


def test_budget_json_from_the_command_line(run: Any) -> None:
    import json

    result = run("budget", "--population", "520000", "--modele", "marque_blanche", "--prestation", "animation",
                 "--prestation", "synthese", "--duree", "12", "--reconductions", "3", "--forme",
                 "accord_cadre_maximum", "--format", "json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert (data["schema"], data["schema_version"], data["months"]) == ("deployer-budget", 2, 48)
    assert [f["id"] for f in data["families"]] == ["platform", "services", "programme", "internal"]
    assert data["route"]["id"] == "procedure_formalisee"
    assert all(t["valid_from"] for t in data["thresholds"])
    bad = run("budget", "--population", "5000", "--format", "xml")
    assert bad.exit_code == 2 and "json" in bad.output


# -- lots and options ------------------------------------------------------------------------


def _lots(population: int, **kw: Any) -> BudgetEstimate:
    contract = {"allotissement": "lots_separes", **kw.pop("contract", {})}
    return quick(population, "marque_blanche", duration_months=12, renewals=3, contract=contract, **kw)


def test_lots_add_up_to_the_valeur_estimee_and_the_route_is_decided_on_the_total() -> None:
    e = _lots(30_000, services=["animation"], contract={"demarches_par_an": 6})
    assert e.allotted and [lot.id for lot in e.lots] == ["plateforme", "accompagnement"]
    assert sum((lot.total for lot in e.lots), start=e.lots[0].total.scaled(0)) == e.estimated_value
    assert e.procurement is not None and e.procurement.estimated_value == e.estimated_value
    assert e.procurement.route.id == "procedure_formalisee"
    single = quick(30_000, "marque_blanche", services=["animation"], duration_months=12, renewals=3,
                   contract={"demarches_par_an": 6})
    assert single.procurement is not None and single.procurement.estimated_value == e.procurement.estimated_value


def test_a_small_platform_lot_of_a_formal_purchase_may_follow_a_mapa() -> None:
    e = _lots(30_000, services=["animation"], contract={"demarches_par_an": 6})
    platform, services = e.lots
    assert e.small_lots is not None and e.small_lots.applies and e.small_lots.lot_ids == ("plateforme",)
    assert platform.total.high < 80_000 and platform.small and platform.route and platform.route.id == "mapa"
    assert services.route and services.route.id == "procedure_formalisee" and not services.small


def test_small_lots_above_a_fifth_of_the_total_do_not_escape_the_formal_procedure() -> None:
    e = _lots(50_000, services=["moderation"], contract={"demarches_par_an": 4})
    assert e.procurement is not None and e.procurement.legal_route.id == "procedure_formalisee"
    platform = e.lots[0]
    assert platform.total.high < 80_000 and platform.total.high > 0.2 * e.procurement.estimated_value.high
    assert e.small_lots is not None and e.small_lots.relevant and not e.small_lots.applies
    assert e.small_lots.outcome is not None and "20" in e.small_lots.outcome.text
    assert all(lot.route and lot.route.id == "procedure_formalisee" for lot in e.lots)


def test_lots_follow_a_central_purchasing_body_when_the_collectivite_chose_one() -> None:
    e = _lots(30_000, services=["animation"], contract={"demarches_par_an": 6, "achat": "centrale_achat"})
    assert all(lot.route and lot.route.id == "centrale_achat" for lot in e.lots)


def test_lots_without_services_make_a_single_contract() -> None:
    e = _lots(30_000)
    assert not e.allotted and [lot.id for lot in e.lots] == ["lot_unique"] and "lot_unique" in {
        a.id for a in e.assumptions}


def test_options_are_marked_and_counted_in_the_valeur_estimee() -> None:
    base = quick(42_000, "marque_blanche", services=["animation", "formation"])
    with_option = quick(42_000, "marque_blanche", services=["formation"],
                        contract={"prestations_optionnelles": ["animation"]})
    assert [line.id for line in with_option.optional_lines] == ["prestation_animation"]
    assert with_option.estimated_value == base.estimated_value  # an option is bought, hence counted
    assert with_option.options_total == next(x for x in base.lines if x.id == "prestation_animation").total
    with pytest.raises(DeployerError):
        quick(42_000, "marque_blanche", contract={"prestations_optionnelles": ["cafe"]})


def test_a_renewal_length_of_zero_means_the_initial_length_and_is_not_an_assumption() -> None:
    said = quick(20_000, "marque_blanche", duration_months=12, renewals=3, contract={"duree_reconduction_mois": 0})
    silent = quick(20_000, "marque_blanche", duration_months=12, renewals=3)
    assert said.total_months == silent.total_months == 48
    assert "duree_reconductions" in {a.id for a in silent.assumptions}
    assert "duree_reconductions" not in {a.id for a in said.assumptions}
