"""The budget estimate, the valeur estimée du besoin and the procurement route (issue 6)."""

from __future__ import annotations

import csv
import dataclasses
import io
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from pydantic import BaseModel

from deployer.analysis.budget import (
    BudgetEstimate,
    Range,
    band_from_text,
    estimate_budget,
    quick_answers,
)
from deployer.answers.answers_file import Answers
from deployer.documents.budget_markdown import render_budget_markdown
from deployer.documents.budget_tables import budget_csv, budget_xlsx
from deployer.errors import DeployerError
from deployer.french import NBSP, NNBSP
from deployer.schema.content import Content
from deployer.schema.loader import load_content
from deployer.schema.models import SourceRef

CONTENT = load_content()
BUDGET = CONTENT.budget
RULES = CONTENT.procurement
TODAY = date(2026, 11, 22)
assert BUDGET is not None and RULES is not None


def _values(module: str, question: str) -> list[str]:
    q = CONTENT.question(module, question)
    return [o.value for o in q.options] if q else []


MODELS = _values("prestataire", "modele_offre")
FEATURES = _values("prestataire", "fonctionnalites")
SERVICES = _values("prestataire", "prestations")
ETP = _values("ressources", "etp")
PARTICIPATION = _values("ressources", "budget_participation")


def answers(population: int | None = 42000, kind: str | None = "commune", **prestataire: Any) -> Answers:
    """Answers with a profile and the given prestataire answers; ressources via ``ressources=``."""
    resources = prestataire.pop("ressources", {})
    profile = {"nom": "Ville de Test", "type": kind, "population": population}
    return Answers(profile={k: v for k, v in profile.items() if v is not None},
                   responses={"prestataire": prestataire, "ressources": resources})


def estimate(a: Answers, today: date = TODAY, content: Content = CONTENT, **kw: Any) -> BudgetEstimate:
    return estimate_budget(content, a, today=today, **kw)


def ranges(e: BudgetEstimate) -> list[Range]:
    out = [r for line in e.lines for r in (line.unit, line.total, line.per_year)]
    out += [r for g in (*e.groups, e.external, e.grand_total) for r in (g.total, g.per_year)]
    return [*out, e.estimated_value]


def at_least(bigger: Range, smaller: Range) -> bool:
    return all(b >= s for b, s in zip(bigger.values, smaller.values, strict=True))


# -- the content of budget.yaml and procurement.yaml -------------------------------------


def _refs(value: Any) -> list[SourceRef]:
    if isinstance(value, SourceRef):
        return [value]
    if isinstance(value, BaseModel):
        return [r for name in type(value).model_fields for r in _refs(getattr(value, name))]
    if isinstance(value, list | tuple):
        return [r for item in value for r in _refs(item)]
    if isinstance(value, dict):
        return [r for item in value.values() for r in _refs(item)]
    return []


def test_every_source_cited_by_the_budget_and_the_thresholds_exists() -> None:
    refs = _refs(BUDGET) + _refs(RULES)
    assert refs
    assert {r.source for r in refs} - set(CONTENT.sources) == set()


def test_every_size_band_has_amounts() -> None:
    bands = {b.id for b in CONTENT.profile.size_bands}
    items = [item for offer in BUDGET.offer_models.values() for item in (offer.licence, offer.setup)]
    items += [*BUDGET.features.values(), *BUDGET.services.values(), *BUDGET.programme.values()]
    for item in items:
        if item.by_band is not None:
            assert set(item.by_band) == bands, item.label


def test_budget_keys_are_answer_values() -> None:
    assert set(BUDGET.offer_models) <= set(MODELS)
    assert {k for k, item in BUDGET.services.items() if not item.by_volume} <= set(SERVICES)
    assert set(BUDGET.features) <= set(FEATURES)
    assert set(BUDGET.staff.etp_by_answer) <= set(ETP)
    assert BUDGET.defaults.offer_model in MODELS
    for tool in BUDGET.tool_types:
        assert set(tool.features) <= set(FEATURES), tool.id


def test_every_service_answer_is_priced() -> None:
    assert set(SERVICES) <= set(BUDGET.services)


def test_every_line_cites_a_source_or_writes_its_assumption() -> None:
    e = estimate(answers(modele_offre="marque_blanche", fonctionnalites=FEATURES, prestations=SERVICES))
    for line in e.lines:
        assert line.citations or line.assumption, line.label


# -- low ≤ central ≤ high, and growth ------------------------------------------------------

answer_sets = st.fixed_dictionaries(
    {
        "population": st.one_of(st.none(), st.integers(1, 3_000_000)),
        "modele_offre": st.one_of(st.none(), st.sampled_from(MODELS)),
        "fonctionnalites": st.lists(st.sampled_from(FEATURES), unique=True),
        "prestations": st.lists(st.sampled_from(SERVICES), unique=True),
        "duree_mois": st.one_of(st.none(), st.integers(1, 48)),
        "reconductions": st.one_of(st.none(), st.integers(0, 3)),
        "etp": st.one_of(st.none(), st.sampled_from(ETP)),
        "budget": st.one_of(st.none(), st.sampled_from(PARTICIPATION or ["nsp"])),
    }
)
days = st.dates(date(2015, 1, 1), date(2030, 12, 31))
quick = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def build(values: dict[str, Any]) -> Answers:
    prestataire = {k: values[k] for k in ("modele_offre", "fonctionnalites", "prestations", "duree_mois",
                                          "reconductions") if values[k] is not None}
    resources = {k: v for k, v in (("etp", values["etp"]), ("budget_participation", values["budget"])) if v}
    return answers(values["population"], ressources=resources, **prestataire)


@quick
@given(values=answer_sets, today=days, cost=st.one_of(st.none(), st.integers(1, 200_000)))
def test_low_central_high_always_ordered(values: dict[str, Any], today: date, cost: int | None) -> None:
    e = estimate(build(values), today, staff_cost_per_etp=cost)
    for r in ranges(e):
        assert 0 <= r.low <= r.central <= r.high
    assert e.grand_total.total == e.external.total + e.group("internal").total
    assert e.procurement is not None and e.procurement.estimated_value == e.estimated_value


@quick
@given(values=answer_sets, extra=st.integers(1, 47))
def test_totals_grow_with_duration(values: dict[str, Any], extra: int) -> None:
    months = values["duree_mois"] or 1
    assume(months + extra <= 48)
    short = estimate(build({**values, "duree_mois": months}))
    long = estimate(build({**values, "duree_mois": months + extra}))
    for a, b in ((long.grand_total.total, short.grand_total.total), (long.estimated_value, short.estimated_value)):
        assert at_least(a, b)
    assert long.grand_total.total.central > short.grand_total.total.central


@quick
@given(values=answer_sets, renewals=st.integers(1, 3))
def test_totals_grow_with_renewals(values: dict[str, Any], renewals: int) -> None:
    without = estimate(build({**values, "reconductions": 0}))
    with_renewals = estimate(build({**values, "reconductions": renewals}))
    assert at_least(with_renewals.grand_total.total, without.grand_total.total)
    assert at_least(with_renewals.estimated_value, without.estimated_value)
    assert with_renewals.grand_total.total.central > without.grand_total.total.central


@quick
@given(values=answer_sets, data=st.data())
def test_totals_grow_with_options(values: dict[str, Any], data: st.DataObject) -> None:
    missing_services = [s for s in SERVICES if s not in values["prestations"]]
    missing_features = [f for f in FEATURES if f not in values["fonctionnalites"]]
    assume(missing_services or missing_features)
    before = estimate(build(values))
    if missing_services and (not missing_features or data.draw(st.booleans())):
        added = data.draw(st.sampled_from(missing_services))
        after = estimate(build({**values, "prestations": [*values["prestations"], added]}))
        priced = added in BUDGET.services
    else:
        added = data.draw(st.sampled_from(missing_features))
        after = estimate(build({**values, "fonctionnalites": [*values["fonctionnalites"], added]}))
        priced = added in BUDGET.features
    assert at_least(after.estimated_value, before.estimated_value)
    assert at_least(after.grand_total.total, before.grand_total.total)
    if priced:
        assert after.estimated_value.central > before.estimated_value.central


# -- the procurement route at the thresholds -------------------------------------------

ROUTES_2026 = [
    (0, "dispense"), (59_999, "dispense"), (60_000, "mapa"), (215_999, "mapa"), (216_000, "procedure_formalisee"),
    (5_000_000, "procedure_formalisee"),
]


@pytest.mark.parametrize(("value", "route"), ROUTES_2026)
def test_route_changes_exactly_at_the_thresholds(value: int, route: str) -> None:
    assert RULES.route_for(value, date(2026, 6, 1)).id == route


@pytest.mark.parametrize(
    ("day", "value", "route"),
    [
        (date(2026, 3, 31), 39_999, "dispense"),
        (date(2026, 3, 31), 40_000, "mapa"),
        (date(2026, 3, 31), 59_999, "mapa"),
        (date(2026, 4, 1), 40_000, "dispense"),
        (date(2026, 4, 1), 59_999, "dispense"),
        (date(2026, 4, 1), 60_000, "mapa"),
        (date(2019, 12, 31), 25_000, "mapa"),
        (date(2020, 1, 1), 25_000, "dispense"),
        (date(2025, 12, 31), 216_000, "mapa"),
        (date(2025, 12, 31), 220_999, "mapa"),
        (date(2025, 12, 31), 221_000, "procedure_formalisee"),
        (date(2026, 1, 1), 216_000, "procedure_formalisee"),
    ],
)
def test_thresholds_follow_the_launch_date(day: date, value: int, route: str) -> None:
    assert RULES.route_for(value, day).id == route


@pytest.mark.parametrize(
    ("value", "publicity"),
    [(59_999, "sans_publicite"), (60_000, "publicite_adaptee"), (89_999, "publicite_adaptee"),
     (90_000, "boamp_ou_jal"), (215_999, "boamp_ou_jal"), (216_000, "boamp_et_joue")],
)
def test_publicity_changes_at_the_thresholds(value: int, publicity: str) -> None:
    assert RULES.publicity_for(value, date(2026, 6, 1)).id == publicity


@settings(max_examples=200, deadline=None)
@given(day=days, value=st.integers(0, 1_000_000))
def test_route_is_the_band_of_the_thresholds_in_force(day: date, value: int) -> None:
    dispense = RULES.threshold_on("dispense", day)[0].amount_ht
    european = RULES.threshold_on("europeen", day)[0].amount_ht
    expected = "dispense" if value < dispense else "mapa" if value < european else "procedure_formalisee"
    assert RULES.route_for(value, day).id == expected


def _content_costing(value: int) -> Content:
    """The shipped content, with a white-label offer whose only price is a one-off ``value``."""
    offer = BUDGET.offer_models["marque_blanche"]
    flat = {
        "licence": offer.licence.model_copy(update={"amount": (0, 0, 0), "by_band": None, "evidence": None}),
        "setup": offer.setup.model_copy(update={"amount": (value, value, value), "by_band": None, "evidence": None}),
    }
    budget = BUDGET.model_copy(update={"offer_models": {"marque_blanche": offer.model_copy(update=flat)}})
    return dataclasses.replace(CONTENT, budget=budget)


@pytest.mark.parametrize(
    ("value", "day", "route"),
    [
        (59_999, date(2026, 4, 1), "dispense"),
        (60_000, date(2026, 4, 1), "mapa"),
        (59_999, date(2026, 3, 31), "mapa"),
        (39_999, date(2026, 3, 31), "dispense"),
        (215_999, date(2026, 4, 1), "mapa"),
        (216_000, date(2026, 4, 1), "procedure_formalisee"),
    ],
)
def test_estimate_takes_the_route_of_its_estimated_value(value: int, day: date, route: str) -> None:
    e = estimate(answers(modele_offre="marque_blanche", duree_mois=12, reconductions=0), day,
                 content=_content_costing(value))
    assert e.estimated_value == Range(value, value, value)
    assert e.procurement is not None and e.procurement.route.id == route
    dispense = next(t for t in e.procurement.thresholds if t.kind == "dispense")
    assert dispense.amount_ht == (60_000 if day >= date(2026, 4, 1) else 40_000)


def test_estimated_value_counts_renewals_and_options_but_not_staff_time() -> None:
    base = estimate(answers(modele_offre="marque_blanche", duree_mois=12, reconductions=0))
    renewed = estimate(answers(modele_offre="marque_blanche", duree_mois=12, reconductions=3,
                               prestations=["animation"]))
    licence = next(line for line in renewed.lines if line.id == "licence")
    assert licence.total == licence.unit.scaled(4)
    assert renewed.estimated_value == sum((line.total for line in renewed.contract_lines), Range(0, 0, 0))
    assert renewed.estimated_value.central > 4 * base.estimated_value.central - 4 * 2000
    assert all(line.group != "internal" for line in renewed.contract_lines)
    assert not any(line.in_contract for line in renewed.lines if line.group == "programme")


def test_a_range_across_a_threshold_is_flagged() -> None:
    e = estimate(answers(modele_offre="marque_blanche", fonctionnalites=["cartographie"], duree_mois=12,
                         reconductions=2, prestations=["animation"]))
    assert e.procurement is not None
    assert e.procurement.route_low.id != e.procurement.route_high.id
    assert "voie_incertaine" in {w.id for w in e.warnings}


# -- sanity warnings and assumptions ----------------------------------------------------


def _warnings(e: BudgetEstimate) -> set[str]:
    return {w.id for w in e.warnings}


def test_missing_answers_become_written_assumptions() -> None:
    e = estimate(Answers(profile={}, responses={}))
    ids = {a.id for a in e.assumptions}
    assert {"population", "modele_offre", "duree_mois", "reconductions", "etp", "budget_participation"} <= ids
    assert e.population == BUDGET.defaults.population
    assert all(a.text and "{" not in a.text for a in e.assumptions)


@pytest.mark.parametrize(("months", "renewals", "warned"), [(6, 0, False), (7, 0, True), (3, 1, True)])
def test_trial_offer_as_a_lasting_solution(months: int, renewals: int, warned: bool) -> None:
    e = estimate(answers(modele_offre="offre_essai", duree_mois=months, reconductions=renewals))
    assert ("essai_perenne" in _warnings(e)) is warned
    assert next(line for line in e.lines if line.id == "licence").total == Range(0, 0, 0)


@pytest.mark.parametrize(
    ("population", "etp", "warned"),
    [(5_000, "moins_05", False), (20_000, "moins_05", False), (42_000, "moins_05", True),
     (42_000, "entre_05_1", False), (150_000, "entre_05_1", True), (500_000, "plus_1", False)],
)
def test_staff_time_below_what_collectivites_report(population: int, etp: str, warned: bool) -> None:
    e = estimate(answers(population, ressources={"etp": etp}))
    assert ("temps_insuffisant" in _warnings(e)) is warned


@pytest.mark.skipif(not PARTICIPATION, reason="question ressources.budget_participation absente du contenu")
def test_tool_share_of_the_participation_budget() -> None:
    bands = {v: band_from_text(CONTENT.question("ressources", "budget_participation").option(v).label)
             for v in PARTICIPATION if v != "nsp"}
    smallest = min(bands, key=lambda v: bands[v][1] or 10**9)  # type: ignore[index]
    largest = max(bands, key=lambda v: bands[v][0])  # type: ignore[index]
    small = estimate(answers(modele_offre="marque_blanche", ressources={"budget_participation": smallest}))
    large = estimate(answers(modele_offre="marque_blanche", ressources={"budget_participation": largest}))
    assert "part_budget" in _warnings(small)
    assert "part_budget" not in _warnings(large)


def test_old_thresholds_and_unknown_periods_are_flagged() -> None:
    a = answers(modele_offre="marque_blanche")
    year_after = date(RULES.verified_on.year + 1, RULES.verified_on.month, RULES.verified_on.day)
    assert "seuils_anciens" not in _warnings(estimate(a, year_after))
    assert "seuils_anciens" in _warnings(estimate(a, date.fromordinal(year_after.toordinal() + 1)))
    assert "seuil_europeen" in _warnings(estimate(a, date(2028, 1, 1)))
    assert "seuil_europeen" not in _warnings(estimate(a, date(2027, 12, 31)))


def test_long_contract_is_flagged() -> None:
    assert "duree_longue" in _warnings(estimate(answers(duree_mois=24, reconductions=2)))
    assert "duree_longue" not in _warnings(estimate(answers(duree_mois=12, reconductions=3)))


def test_staff_cost_can_be_changed() -> None:
    default = estimate(answers(ressources={"etp": "plus_1"}))
    cheaper = estimate(answers(ressources={"etp": "plus_1"}), staff_cost_per_etp=30_000)
    assert cheaper.group("internal").total.central < default.group("internal").total.central
    assert cheaper.estimated_value == default.estimated_value
    assert "cout_etp" in {a.id for a in cheaper.assumptions}


# -- bad input --------------------------------------------------------------------------


@pytest.mark.parametrize("population", [-1, 0, -42_000, "beaucoup", True, 1.5])
def test_bad_population_is_a_french_user_error(population: Any) -> None:
    with pytest.raises(DeployerError, match="habitants"):
        estimate(answers(population))
    with pytest.raises(DeployerError, match="habitants"):
        quick_answers(CONTENT, population, "marque_blanche")


@pytest.mark.parametrize("months", [0, -3, 49, 200])
def test_bad_duration_is_a_user_error(months: int) -> None:
    with pytest.raises(DeployerError, match="duree_mois"):
        estimate(answers(duree_mois=months))
    with pytest.raises(DeployerError, match="duree_mois"):
        quick_answers(CONTENT, 42000, "marque_blanche", duration_months=months)


def test_bad_renewals_model_and_tool_type_are_user_errors() -> None:
    with pytest.raises(DeployerError, match="reconductions"):
        estimate(answers(reconductions=4))
    with pytest.raises(DeployerError, match="modele_offre"):
        estimate(answers(modele_offre="fusee"))
    with pytest.raises(DeployerError, match="modele_offre"):
        quick_answers(CONTENT, 42000, "fusee")
    with pytest.raises(DeployerError, match="type d'outil inconnu") as raised:
        quick_answers(CONTENT, 42000, "marque_blanche", tool_type="fusee")
    assert "plateforme_multifonction" in raised.value.hint
    with pytest.raises(DeployerError, match="ETP"):
        estimate(answers(), staff_cost_per_etp=-1)


def test_quick_estimate_without_answers_file() -> None:
    a = quick_answers(CONTENT, 42000, "marque_blanche", tool_type="budget_participatif", duration_months=24,
                      renewals=1, services=["formation"], collectivite_type="commune")
    assert "budget_participatif" in a.get("prestataire", "fonctionnalites")
    e = estimate(a)
    assert e.total_months == 48 and e.population == 42000
    assert {"licence", "mise_en_place", "module_budget_participatif", "prestation_formation"} <= {
        line.id for line in e.lines}
    unknown = estimate(quick_answers(CONTENT, 42000, None))
    assert "modele_offre" in {n.id for n in unknown.assumptions}


# -- the participation budget band, read from the option labels --------------------------


@pytest.mark.parametrize(
    ("text", "band"),
    [
        ("Aucun budget dédié", (0, 0)),
        (f"Moins de 5{NNBSP}000{NBSP}€ par an", (0, 5000)),
        (f"De 5{NNBSP}000 à 20{NNBSP}000{NBSP}€ par an", (5000, 20000)),
        ("Entre 7 000 et 80 000 euros", (7000, 80000)),
        (f"Plus de 100{NNBSP}000{NBSP}€ par an", (100000, None)),
        ("Plus de 1 M€", (1_000_000, None)),
        ("5k 80k", (5000, 80000)),
        ("Je ne sais pas", None),
    ],
)
def test_band_from_text(text: str, band: tuple[int, int | None] | None) -> None:
    assert band_from_text(text) == band


def test_every_participation_budget_option_is_understood() -> None:
    question = CONTENT.question("ressources", "budget_participation")
    if question is None:
        pytest.skip("question ressources.budget_participation absente du contenu")
    for option in question.options:
        assert band_from_text(option.label) is not None, option.label


# -- documents --------------------------------------------------------------------------


def _example() -> tuple[Answers, BudgetEstimate]:
    a = Answers(profile={"nom": "=Ville *de* | Test", "type": "commune", "population": 42000},
                responses={"prestataire": {"modele_offre": "marque_blanche", "fonctionnalites": ["cartographie"],
                                           "prestations": ["formation"], "duree_mois": 12, "reconductions": 2}})
    return a, estimate(a)


def test_markdown_states_amounts_sources_route_and_method() -> None:
    a, e = _example()
    text = render_budget_markdown(e, a)
    assert "\\*de\\* \\| Test" in text  # user text escaped
    assert "hors taxes (HT)" in text
    assert f"60{NNBSP}000{NBSP}€" in text and f"216{NNBSP}000{NBSP}€" in text
    assert "1er avril 2026" in text and "UGAP" in text
    assert e.procurement is not None and e.procurement.route.label in text
    assert "Hypothèse" in text and "Quelques estimations" in text
    assert BUDGET.method in text
    assert f"Offre envisagée{NBSP}:" in text


def test_template_uses_french_spaces() -> None:
    import re

    source = (Path(__file__).resolve().parents[1] / "templates" / "budget.md.j2").read_text(encoding="utf-8")
    prose = re.sub(r"\{[{%#].*?[}%#]\}", "", source)
    assert re.findall(r" [:;?!]", prose) == []


def test_csv_for_excel() -> None:
    _, e = _example()
    text = budget_csv(e)
    assert text.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(text[1:]), delimiter=";"))
    assert rows[0][0] == "N°" and len(rows) == 1 + len(e.lines) + len(e.groups) + 3
    assert all(len(row) == len(rows[0]) for row in rows)
    licence = rows[1]
    assert licence[8:11] == [str(v) for v in e.lines[0].total.values]


def _content_with_label(label: str) -> Content:
    offer = BUDGET.offer_models["marque_blanche"]
    licence = offer.licence.model_copy(update={"label": label, "assumption": "-1+1"})
    budget = BUDGET.model_copy(update={"offer_models": {
        **BUDGET.offer_models, "marque_blanche": offer.model_copy(update={"licence": licence})}})
    return dataclasses.replace(CONTENT, budget=budget)


@pytest.mark.parametrize("label", ['=HYPERLINK("http://x","clic")', "+1", "-2", "@SUM(A1)"])
def test_spreadsheets_never_hold_formulas_from_text(label: str) -> None:
    e = estimate(answers(modele_offre="marque_blanche"), content=_content_with_label(label))
    rows = list(csv.reader(io.StringIO(budget_csv(e)[1:]), delimiter=";"))
    assert rows[1][1] == "'" + label and rows[1][12] == "'-1+1"
    import openpyxl

    book = openpyxl.load_workbook(io.BytesIO(budget_xlsx(e)))
    cells = [c for sheet in book for row in sheet.iter_rows() for c in row if c.value == label]
    assert cells and all(c.data_type == "s" for c in cells)


def test_xlsx_has_a_dpgf_an_internal_estimate_and_staff_time() -> None:
    import openpyxl

    _, e = _example()
    book = openpyxl.load_workbook(io.BytesIO(budget_xlsx(e)))
    assert book.sheetnames == ["DPGF", "Estimation", "Temps interne"]
    dpgf = book["DPGF"]
    labels = [row[1] for row in dpgf.iter_rows(values_only=True)]
    assert [line.label for line in e.contract_lines] == [x for x in labels if x in {ln.label for ln in e.lines}]
    estimate_values = [c for row in book["Estimation"].iter_rows(values_only=True) for c in row]
    assert e.estimated_value.central in estimate_values
    staff = [row for row in book["Temps interne"].iter_rows(values_only=True) if row[0] and "ETP)" in str(row[0])]
    assert staff and staff[0][1:4] == e.staff_etp


def _strings(value: Any) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, BaseModel):
        return [s for name in type(value).model_fields for s in _strings(getattr(value, name))]
    if isinstance(value, list | tuple):
        return [s for item in value for s in _strings(item)]
    if isinstance(value, dict):
        return [s for item in value.values() for s in _strings(item)]
    return []


def test_budget_and_threshold_texts_use_french_spaces() -> None:
    import re

    bad = re.compile(r"(?: [?!;:»])|(?:« )")
    assert [s for s in _strings(BUDGET) + _strings(RULES) if bad.search(s)] == []


def test_no_budget_assumption_repeats_the_word_the_documents_put_before_it() -> None:
    """budget.md writes « Hypothèse : » before each line's assumption: the content must not."""
    from deployer.analysis.budget import estimate_budget
    from deployer.analysis.budget.quick import quick_answers

    content = load_content()
    for model in ("marque_blanche", "mutualisee", "developpement_sur_mesure", "developpement_interne", "offre_essai"):
        answers = quick_answers(content, 3_000, model, services=["conception_participative"])
        estimate = estimate_budget(content, answers, today=date(2026, 12, 5))
        for line in estimate.lines:
            assert not (line.assumption or "").lower().startswith("hypothèse"), (model, line.id)
