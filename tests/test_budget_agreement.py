"""budget.md, the note de cadrage, the DPGF and the CCTP's price chapter say what the JSON
output says: same valeur estimée, same route (led by the more demanding one when the range
crosses a threshold), same families and same priced lines (issue 15)."""

from __future__ import annotations

import io
import re
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from deployer.analysis.budget import quick_answers
from deployer.analysis.dossier_analysis import analyse_dossier
from deployer.answers.answers_file import Answers, read_answers
from deployer.documents.budget_json import budget_data
from deployer.documents.dossier import dossier_files
from deployer.french import euros, fix_typography
from deployer.schema.loader import load_content

CONTENT = load_content()
TODAY = date(2026, 11, 22)
EXAMPLES = sorted((Path(__file__).resolve().parents[1] / "examples").glob("*-reponses.yaml"))


def _quick(population: int, model: str, **kw: Any) -> Answers:
    return quick_answers(CONTENT, population, model, **kw)


CASES: dict[str, Any] = {
    **{path.name.removesuffix("-reponses.yaml"): path for path in EXAMPLES},
    "ville-concurrence-sous-le-seuil": lambda: _quick(12_000, "marque_blanche", contract={"achat": "procedure"}),
    "ville-fourchette-a-cheval": lambda: _quick(42_000, "marque_blanche", services=["animation"],
                                                duration_months=12, renewals=1),
    "metropole-accord-cadre": lambda: _quick(520_000, "marque_blanche", services=["animation", "synthese"],
                                             duration_months=12, renewals=3,
                                             contract={"forme_marche": "accord_cadre_maximum"}),
    "commune-mutualisee": lambda: _quick(1_800, "mutualisee"),
    "ville-centrale": lambda: _quick(60_000, "logiciel_libre", contract={"achat": "centrale_achat"}),
    "ville-lots-et-option": lambda: _quick(30_000, "marque_blanche", services=["animation", "formation"],
                                           duration_months=12, renewals=3,
                                           contract={"allotissement": "lots_separes", "demarches_par_an": 6,
                                                     "prestations_optionnelles": ["animation"]}),
    "metropole-lots-accord-cadre": lambda: _quick(520_000, "marque_blanche", services=["animation", "synthese"],
                                                  duration_months=12, renewals=3,
                                                  contract={"forme_marche": "accord_cadre_maximum",
                                                            "allotissement": "lots_separes",
                                                            "prestations_optionnelles": ["synthese"]}),
}


def _answers(case: Any) -> Answers:
    return read_answers(case, CONTENT) if isinstance(case, Path) else case()


def _chapter(cctp: str, number: int) -> str:
    match = re.search(rf"^## {number}\. .*?(?=^## \d+\. |\Z)", cctp, re.M | re.S)
    assert match, f"chapitre {number} absent"
    return match.group(0)


def _dpgf_rows(xlsx: bytes) -> list[tuple[Any, ...]]:
    import openpyxl

    sheet = openpyxl.load_workbook(io.BytesIO(xlsx))["DPGF"]
    return list(sheet.iter_rows(values_only=True))


def _dpgf_labels(xlsx: bytes) -> list[str]:
    return [str(row[1]) for row in _dpgf_rows(xlsx) if isinstance(row[0], int)]


@pytest.fixture(scope="module", params=sorted(CASES))
def dossier(request: pytest.FixtureRequest) -> tuple[dict[str, Any], dict[str, Any]]:
    answers = _answers(CASES[request.param])
    analysis = analyse_dossier(CONTENT, answers, TODAY)
    return budget_data(analysis.estimate, answers), dossier_files(analysis, formats=("md", "xlsx"))


def test_value_and_route_agree(dossier: tuple[dict[str, Any], dict[str, Any]]) -> None:
    data, files = dossier
    value, route = data["estimated_value"]["amount"], data["route"]
    for name in ("budget.md", "note-de-cadrage.md"):
        text = files[name]
        for amount in value.values():
            assert euros(amount) in text, (name, amount)
        assert f"**{fix_typography(route['label'])}**" in text, name
        others = {r.label for r in CONTENT.procurement.routes if r.id != route["id"]}  # type: ignore[union-attr]
        assert not any(f"**{label}**" in text for label in others), name


def test_a_crossed_threshold_is_said_first(dossier: tuple[dict[str, Any], dict[str, Any]]) -> None:
    data, files = dossier
    for name in ("budget.md", "note-de-cadrage.md"):
        text = files[name]
        said = text.find("franchit un seuil")
        if data["route"]["crosses_threshold"]:
            assert 0 <= said < text.find(f"**{fix_typography(data['route']['label'])}**"), name
        else:
            assert said == -1 or name == "budget.md" and "franchit un seuil" not in text.split("## Points")[0]


def test_families_agree_with_budget_md(dossier: tuple[dict[str, Any], dict[str, Any]]) -> None:
    data, files = dossier
    assert [f["id"] for f in data["families"]] == ["platform", "services", "programme", "internal"]
    for family in data["families"]:
        row = next(line for line in files["budget.md"].splitlines() if line.startswith(f"| {family['label']}"))
        assert all(euros(v) in row for v in family["per_year"].values()), family["id"]
    bought = [f for f in data["families"] if f["id"] != "internal"]
    sums = {k: sum(f["total"][k] for f in bought) for k in ("low", "central", "high")}
    assert sums == data["external"]["total"]


def test_priced_lines_agree_with_dpgf_and_price_chapter(dossier: tuple[dict[str, Any], dict[str, Any]]) -> None:
    data, files = dossier
    bought = [line for line in data["lines"] if line["in_estimated_value"]]
    assert _dpgf_labels(files["budget.xlsx"]) == [fix_typography(line["label"]) for line in bought]
    prices = _chapter(files["cahier-des-charges.md"], 11)
    for line in bought:
        if line["unit"]["high"] > 0:
            assert fix_typography(line["label"]) in prices, line["id"]
    route = data["route"]["id"]
    if not any(line["unit"]["high"] > 0 for line in bought):
        assert "Aucune prestation payante" in prices and "devis" not in prices
    elif route == "dispense":
        assert "devis" in prices
    elif route == "centrale_achat":
        assert "centrale d'achat" in prices
    else:
        assert "(DPGF)" in prices


def test_every_amount_cites_observations_sources_or_says_hypothesis(
        dossier: tuple[dict[str, Any], dict[str, Any]]) -> None:
    data, files = dossier
    for line in data["lines"]:
        assert line["observations"] or line["sources"] or line["hypothesis"], line["id"]
    table = files["budget.md"].split("## Détail par poste")[1].split("###")[0]
    rows = [r for r in table.splitlines() if re.match(r"\| \d+ \|", r)]
    assert len(rows) == len(data["lines"])
    assert all(re.search(r"(prix observés|source|hypothèse)( et hypothèse)? \|$", r) for r in rows)


def _plain(text: str) -> str:
    """The text with every kind of space as one ordinary space (documents fix French typography)."""
    return re.sub(r"[\s\u00a0\u202f]+", " ", text)


def _says_range(text: str, amounts: dict[str, int]) -> bool:
    return all(euros(v) in text for v in amounts.values())


def test_lots_and_options_agree_with_the_json(dossier: tuple[dict[str, Any], dict[str, Any]]) -> None:
    data, files = dossier
    budget, note = files["budget.md"], files["note-de-cadrage.md"]
    prices = _chapter(files["cahier-des-charges.md"], 11)
    bought = [line for line in data["lines"] if line["in_estimated_value"]]
    for key in ("low", "central", "high"):  # all lots together are the purchases of the valeur estimée
        assert sum(lot["total"][key] for lot in data["lots"]) == sum(line["total"][key] for line in bought)
    assert sorted(i for lot in data["lots"] for i in lot["lines"]) == sorted(line["id"] for line in bought)
    dpgf = _dpgf_rows(files["budget.xlsx"])
    if data["allotted"]:
        assert len(data["lots"]) == 2 and data["small_lots_rule"] is not None
        for number, lot in enumerate(data["lots"], start=1):
            label = fix_typography(lot["label"])
            row = next(r for r in budget.splitlines() if r.startswith(f"| {label} |"))
            assert _says_range(row, lot["total"]), lot["id"]
            assert _says_range(next(r for r in note.splitlines() if r.startswith(f"| dont {label}")), lot["total"])
            assert f"### 11.{number} {label}" in prices
            assert any(r[0] is None and r[1] == label for r in dpgf), lot["id"]
            assert fix_typography(lot["route"]["label"]) in row
        explanation = data["small_lots_rule"]["explanation"]
        if explanation:
            assert _plain(explanation) in _plain(budget) and _plain(explanation) in _plain(note)
    else:
        assert [lot["id"] for lot in data["lots"]] == ["lot_unique"] and data["small_lots_rule"] is None
        assert "### Lots" not in budget
        assert not re.findall(r"^### 11\.\d+ (?!Options techniques)", prices, re.MULTILINE)  # no lot section
    optional = {line["label"] for line in data["lines"] if line["optional"]}
    assert data["options"]["ids"] == [line["id"] for line in data["lines"] if line["optional"]]
    natures = {str(r[1]): r[7] for r in dpgf if isinstance(r[0], int)}
    assert {label for label, nature in natures.items() if nature == "option"} == {fix_typography(x) for x in optional}
    table = budget.split("## Détail par poste")[1].split("###")[0]
    for line in data["lines"]:
        row = next(r for r in table.splitlines() if f"| {fix_typography(line['label'])}" in r)
        assert ("(option)" in row) == line["optional"], line["id"]
        if line["optional"]:
            assert f"{fix_typography(line['label'])} (option)" in prices
    if optional:
        assert _says_range(budget.split("**Options")[1].split("\n")[0], data["options"]["total"])
        assert _says_range(next(r for r in note.splitlines() if r.startswith("| dont options")),
                           data["options"]["total"])
    else:
        assert "**Options" not in budget and "| dont options" not in note


def test_budget_csv_gives_each_line_its_lot_and_nature(dossier: tuple[dict[str, Any], dict[str, Any]]) -> None:
    import csv

    data, files = dossier
    rows = list(csv.DictReader(io.StringIO(files["budget.csv"].lstrip("\ufeff")), delimiter=";"))
    lot_of = {i: fix_typography(lot["label"]) for lot in data["lots"] for i in lot["lines"]}
    for number, line in enumerate(data["lines"], start=1):
        row = rows[number - 1]
        assert row["N°"] == str(number) and row["Poste"] == fix_typography(line["label"])
        if line["in_estimated_value"]:
            assert (row["Lot"], row["Nature"]) == (lot_of[line["id"]], "option" if line["optional"] else "ferme")
        else:
            assert (row["Lot"], row["Nature"]) == ("", ""), line["id"]
