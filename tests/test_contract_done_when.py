"""The « done when » scenarios of issue 15 about the contract and the procurement route:
(a) a métropole buying a multi-year framework with facilitation and synthesis is routed to a formal
procedure or a central purchasing body; (b) a small rural commune with a trial or pooled offer
stays under the dispense threshold at a yearly cost that matches real small-commune purchases;
(c) a town that chose competitive tendering is never told that no publicity or competition is
needed, whatever its population; (d) answers files written before this change still work, and
`deployer answers check` says which defaults the budget used."""

from __future__ import annotations

import json
import re
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from deployer.analysis.budget import BudgetEstimate, estimate_budget, quick_answers
from deployer.analysis.dossier_analysis import analyse_dossier
from deployer.answers.answers_file import Answers, read_answers
from deployer.documents.dossier import dossier_files
from deployer.schema.loader import load_content

CONTENT = load_content()
TODAY = date(2026, 11, 22)
EXAMPLES = sorted((Path(__file__).resolve().parents[1] / "examples").glob("*-reponses.yaml"))
assert CONTENT.procurement is not None and CONTENT.prices is not None
RULES = CONTENT.procurement
DISPENSE = RULES.amounts_on(TODAY)["dispense"]


def _estimate(population: int, model: str, **kw: Any) -> BudgetEstimate:
    return estimate_budget(CONTENT, quick_answers(CONTENT, population, model, **kw), today=TODAY)


def _plain(text: str) -> str:
    """Lower case, every kind of space as one ordinary space (documents fix French typography)."""
    return re.sub(r"[\s\u00a0\u202f]+", " ", text).strip().lower()


# -- (a) a métropole buying a 4-year framework with facilitation and synthesis ---------------


@pytest.mark.parametrize("contract", [
    {"forme_marche": "accord_cadre_maximum"},
    {"forme_marche": "accord_cadre_sans_maximum"},
    {"forme_marche": "accord_cadre_maximum", "allotissement": "lots_separes"},
    {"forme_marche": "accord_cadre_maximum", "prestations_optionnelles": ["synthese"]},
    {"forme_marche": "accord_cadre_maximum", "achat": "procedure"},
    {"forme_marche": "accord_cadre_maximum", "achat": "gre_a_gre"},
    {"forme_marche": "accord_cadre_maximum", "achat": "centrale_achat"},
])
def test_a_metropole_framework_goes_to_a_formal_procedure_or_a_central_body(contract: dict[str, Any]) -> None:
    e = _estimate(500_000, "marque_blanche", services=["animation", "synthese"], duration_months=12, renewals=3,
                  contract=contract)
    p = e.procurement
    assert p is not None and e.total_months == 48
    assert p.route.id in ("procedure_formalisee", "centrale_achat")
    assert p.legal_route.id == "procedure_formalisee"
    assert (p.route.id == "centrale_achat") == (contract.get("achat") == "centrale_achat")


def test_a_metropole_framework_from_the_command_line(run: Any) -> None:
    result = run("budget", "--population", "500000", "--modele", "marque_blanche", "--prestation", "animation",
                 "--prestation", "synthese", "--duree", "12", "--reconductions", "3", "--forme",
                 "accord_cadre_maximum", "--option", "synthese", "--lots", "--format", "json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["schema_version"] == 2 and data["months"] == 48
    assert data["route"]["id"] == "procedure_formalisee"
    assert [lot["id"] for lot in data["lots"]] == ["plateforme", "accompagnement"]
    assert data["options"]["ids"] == ["prestation_synthese"]
    assert [line["id"] for line in data["lines"] if line["optional"]] == ["prestation_synthese"]
    assert data["small_lots_rule"]["relevant"] is True


# -- (b) a small rural commune with a trial or pooled offer ---------------------------------

SMALL_COMMUNE_PURCHASES = ("presse-chaumontel-2017", "presse-mont-des-avaloirs")


def _real_small_commune_range() -> tuple[float, float]:
    """Yearly prices real small communes paid (2 400 and 3 168 € HT: content/prices/observations.yaml)."""
    prices = [o.unit_price_ht for o in CONTENT.prices.observations if o.id in SMALL_COMMUNE_PURCHASES]  # type: ignore[union-attr]
    assert len(prices) == len(SMALL_COMMUNE_PURCHASES)
    return min(prices), max(prices)


@pytest.mark.parametrize("population", [400, 1_000, 1_800, 2_000])
@pytest.mark.parametrize("model", ["offre_essai", "mutualisee"])
def test_a_small_commune_with_a_trial_or_pooled_offer_stays_under_the_dispense(model: str, population: int) -> None:
    e = _estimate(population, model, duration_months=12)
    p = e.procurement
    assert p is not None and p.route.id == "dispense"
    assert p.estimated_value.high < DISPENSE
    low, high = _real_small_commune_range()
    yearly = e.external.per_year
    assert yearly.low <= high and yearly.high >= low, (yearly, (low, high))  # the range meets real purchases
    assert yearly.central <= 1.5 * high  # and is not centred far above them


# -- (c) a town that chose competitive tendering ---------------------------------------------

# What would tell the buyer that neither publicity nor competition is needed.
NO_COMPETITION = [
    f"**{RULES.routes[0].label}**",
    _plain(RULES.routes[0].explanation.split(",")[0]),
    RULES.publicity[0].label,
    _plain(RULES.publicity[0].explanation.split(";")[0]),
]


@pytest.mark.parametrize("population", [300, 2_000, 8_000, 12_000, 42_000, 150_000, 520_000])
@pytest.mark.parametrize("model", ["marque_blanche", "mutualisee", "offre_essai"])
def test_a_town_that_chose_competition_is_never_told_none_is_needed(population: int, model: str) -> None:
    answers = quick_answers(CONTENT, population, model, contract={"achat": "procedure"})
    analysis = analyse_dossier(CONTENT, answers, TODAY)
    p = analysis.estimate.procurement
    assert p is not None and p.route.id != "dispense" and p.publicity.id != RULES.publicity[0].id
    files = dossier_files(analysis, formats=("md",))
    for name in ("budget.md", "note-de-cadrage.md"):
        text = _plain(files[name])
        for phrase in NO_COMPETITION:
            assert _plain(phrase) not in text, (name, phrase)


def test_the_example_that_chose_competition_is_not_told_otherwise() -> None:
    chosen = [path for path in EXAMPLES if read_answers(path, CONTENT).get("prestataire", "achat") == "procedure"]
    assert chosen
    for path in chosen:
        files = dossier_files(analyse_dossier(CONTENT, read_answers(path, CONTENT), TODAY), formats=("md",))
        for name in ("budget.md", "note-de-cadrage.md"):
            assert not any(_plain(p) in _plain(files[name]) for p in NO_COMPETITION), (path.name, name)


# -- (d) answers files written before this change ---------------------------------------------

V1_STYLE = """\
format: 1
version_contenu: "2026.11.1"
profil:
  nom: Commune d'avant
  type: commune
  population: 20000
reponses:
  prestataire:
    modele_offre: marque_blanche
    prestations: [animation, formation]
    duree_mois: 12
    reconductions: 2
"""

NEW_QUESTIONS_DEFAULTS = {
    "allotissement": "Allotissement non précisé",
    "prestations_optionnelles": "Prestations optionnelles non précisées",
    "forme_marche": "Forme du marché non précisée",
    "duree_reconductions": "Durée de chaque reconduction non précisée",
    "volume_demarches_par_an": "Nombre de démarches accompagnées par an non précisé",
}


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.name)
def test_the_examples_still_work(path: Path) -> None:
    answers = read_answers(path, CONTENT)
    e = estimate_budget(CONTENT, answers, today=TODAY)
    assert e.procurement is not None and e.lots and not e.option_ids
    assert sum((lot.total for lot in e.lots), start=e.lots[0].total.scaled(0)) == e.estimated_value


def test_a_v1_style_file_gets_documented_defaults(tmp_path: Path) -> None:
    path = tmp_path / "ancien-reponses.yaml"
    path.write_text(V1_STYLE, encoding="utf-8")
    e = estimate_budget(CONTENT, read_answers(path, CONTENT), today=TODAY)
    ids = {a.id for a in e.assumptions}
    assert set(NEW_QUESTIONS_DEFAULTS) <= ids
    assert not e.allotted and [lot.id for lot in e.lots] == ["lot_unique"] and not e.option_ids
    assert e.total_months == 36 and e.contract_form == "marche_ordinaire"


def test_answers_check_says_which_defaults_were_used(run: Any, tmp_path: Path) -> None:
    path = tmp_path / "ancien-reponses.yaml"
    path.write_text(V1_STYLE, encoding="utf-8")
    result = run("answers", "check", str(path))
    assert result.exit_code == 0, result.output
    said = _plain(result.output.split("Valeurs par défaut appliquées par le budget")[1])
    for text in NEW_QUESTIONS_DEFAULTS.values():
        assert _plain(text) in said, text
    complete = path.with_name("complet-reponses.yaml")
    complete.write_text(V1_STYLE + "    allotissement: lots_separes\n    prestations_optionnelles: [animation]\n"
                        "    forme_marche: marche_ordinaire\n    duree_reconduction_mois: 12\n", encoding="utf-8")
    result = run("answers", "check", str(complete))
    assert result.exit_code == 0, result.output
    for key in ("allotissement", "prestations_optionnelles", "forme_marche", "duree_reconductions"):
        assert _plain(NEW_QUESTIONS_DEFAULTS[key]) not in _plain(result.output), key


def test_answers_without_the_new_questions_equal_the_documented_defaults() -> None:
    old = Answers(profile={"population": 20000},
                  responses={"prestataire": {"modele_offre": "marque_blanche", "prestations": ["animation"]}})
    explicit = Answers(profile={"population": 20000},
                       responses={"prestataire": {"modele_offre": "marque_blanche", "prestations": ["animation"],
                                                  "allotissement": "lot_unique", "prestations_optionnelles": []}})
    a, b = estimate_budget(CONTENT, old, today=TODAY), estimate_budget(CONTENT, explicit, today=TODAY)
    assert a.estimated_value == b.estimated_value and a.lots == b.lots
    assert a.procurement is not None and b.procurement is not None and a.procurement.route == b.procurement.route


@pytest.mark.parametrize("options", [[], ["animation"]])
def test_the_pse_advice_is_given_only_while_no_option_is_chosen(options: list[str]) -> None:
    answers = quick_answers(CONTENT, 30_000, "marque_blanche", services=["animation", "formation"],
                            contract={"tarification": "forfait_options", "prestations_optionnelles": options})
    files = dossier_files(analyse_dossier(CONTENT, answers, TODAY), formats=("md",))
    prices = files["cahier-des-charges.md"].split("## 11.")[1].split("\n## ")[0]
    assert ("« option » sont des prestations supplémentaires éventuelles" in _plain(prices)) == bool(options)
    # The advice to declare optional lines is for the buyer: never in the published CCTP,
    # in the note de cadrage only while no line is optional yet.
    assert "marquez la ligne" not in files["cahier-des-charges.md"]
    assert ("marquez la ligne" in files["note-de-cadrage.md"]) == (not options)


def test_a_pooled_platform_is_paid_under_the_convention_not_priced_by_candidates() -> None:
    answers = quick_answers(CONTENT, 2_800, "mutualisee", services=["formation"], duration_months=12)
    analysis = analyse_dossier(CONTENT, answers, TODAY)
    e = analysis.estimate
    share = [line for line in e.lines if line.group == "platform"]
    assert share and not any(line.in_contract for line in share)
    assert all(line.in_contract for line in e.lines if line.id == "prestation_formation")
    # The share is still a cost the collectivité plans for, but not part of the contract's value.
    assert e.external.total.central > e.estimated_value.central
    assert e.procurement is not None and e.procurement.estimated_value.central == e.estimated_value.central
    files = dossier_files(analysis, formats=("md",))
    cctp = files["cahier-des-charges.md"]
    prices = cctp.split("## 11.")[1].split("\n## ")[0]
    assert all(line.label not in prices for line in share)
    assert "convention" in prices and "mise à disposition d'un outil" not in cctp.split("## 3.")[0]
    assert "L2511-6" in files["note-de-cadrage.md"] and "L2511-6" not in cctp


@pytest.mark.parametrize("model", ["offre_essai", "mutualisee"])
def test_nothing_bought_means_no_consultation_to_launch(model: str) -> None:
    answers = quick_answers(CONTENT, 1_200, model, duration_months=6)
    files = dossier_files(analyse_dossier(CONTENT, answers, TODAY), formats=("md",))
    note, cctp = files["note-de-cadrage.md"], files["cahier-des-charges.md"]
    assert "pas de consultation à lancer" in note and "lancer la consultation" not in note
    assert "Critères d'attribution" not in note and "## Annexe B" not in note
    prices = cctp.split("## 11.")[1].split("\n## ")[0]
    assert "Aucune prestation payante" in prices and "devis" not in prices and "DPGF" not in prices
