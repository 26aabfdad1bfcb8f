"""The benchmark aid (benchmark.md, benchmark.xlsx) and the neutrality of the cahier des charges."""

from __future__ import annotations

import io
import re
from datetime import date
from pathlib import Path

import pytest

from deployer.answers import read_answers
from deployer.benchmark import build_benchmark
from deployer.content import Content
from deployer.dossier import build_dossier, render_cctp
from tests.conftest import ROOT, golden

TODAY = date(2026, 11, 21)
EXAMPLES = sorted((ROOT / "examples").glob("*-reponses.yaml"))

# Catalogue names that are also ordinary French words or phrases: they may appear in a
# specification in their ordinary sense (« le consul », « j'en parle au service »,
# « repérage urbain »), so only their exact, capitalised spelling as a brand is searched for.
COMMON_WORDS = {"CONSUL", "J'en parle", "Repérage Urbain"}


def stem(path: Path) -> str:
    return path.name.removesuffix("-reponses.yaml")


def brand_names(content: Content) -> set[str]:
    """Every name, former name, carrying organisation and id of the catalogue."""
    names: set[str] = set()
    for vendor in content.vendors:
        names |= {vendor.id, vendor.name, *vendor.other_names}
        if vendor.part_of:
            names.add(vendor.part_of)
    return names


def mentions(text: str, names: set[str]) -> set[str]:
    """Names found in text as whole words (case-insensitive except COMMON_WORDS)."""
    text = text.replace("\u2019", "'")
    found = set()
    for name in names:
        flags = 0 if name in COMMON_WORDS else re.IGNORECASE
        if re.search(rf"(?<!\w){re.escape(name)}(?!\w)", text, flags):
            found.add(name)
    return found


def test_the_name_search_sees_whole_words_only(content) -> None:
    names = brand_names(content)
    assert mentions("Un outil comme Decidim ou adhocracy+.", names) == {"Decidim", "decidim", "adhocracy+"}
    assert mentions("L’outil J’en parle", names) == {"J'en parle"}
    assert not mentions("Une assemblée citoyenne ; le consul ; j'en parle ; un repérage urbain.", names)


@pytest.mark.parametrize("path", EXAMPLES, ids=stem)
def test_the_cahier_des_charges_names_no_vendor_nor_product(content, path: Path) -> None:
    answers = read_answers(path, content)
    assert mentions(render_cctp(content, answers, TODAY), brand_names(content)) == set()


@pytest.mark.parametrize("path", EXAMPLES, ids=stem)
def test_the_benchmark_is_where_names_appear(content, path: Path) -> None:
    text = build_benchmark(content, read_answers(path, content), TODAY)["benchmark.md"]
    assert isinstance(text, str)
    assert {"Decidim", "Cap Collectif", "Go Vocal"} <= mentions(text, brand_names(content))
    assert "pas une recommandation" in text


@pytest.mark.parametrize("path", EXAMPLES, ids=stem)
def test_benchmark_md_matches_its_golden_file(content, path: Path, request) -> None:
    text = build_benchmark(content, read_answers(path, content), TODAY)["benchmark.md"]
    assert isinstance(text, str)
    if request.config.getoption("--update-golden"):
        (Path(__file__).parent / "golden" / stem(path)).mkdir(exist_ok=True)
    golden(f"{stem(path)}/benchmark.md", text, request)


def test_the_grid_cites_the_published_comparisons(content, example) -> None:
    text = build_benchmark(content, example, TODAY)["benchmark.md"]
    assert isinstance(text, str)
    grid = text.split("## Grille d'analyse des offres reçues")[1]
    for title in ("Digital Participation Platform Ratings : evaluation criteria (2023)",
                  "Market research of existing Civic Technologies",
                  "Civic tech : un guide pour aider les collectivités"):
        assert title in grid
    for criterion in content.benchmark_criteria:
        assert f"| {criterion.label} |" in grid


def test_the_dossier_includes_the_benchmark(content, example) -> None:
    files = build_dossier(content, example, TODAY)
    assert {"benchmark.md", "benchmark.xlsx", "cahier-des-charges.md"} <= set(files)


def test_benchmark_xlsx_has_the_shortlist_and_the_grid_and_no_formula(content, example) -> None:
    from dataclasses import replace

    from openpyxl import load_workbook

    hostile = replace(content, vendors=[
        content.vendors[0].model_copy(update={"name": "=HYPERLINK(\"http://x\")"}), *content.vendors[1:]])
    data = build_benchmark(hostile, example, TODAY)["benchmark.xlsx"]
    assert isinstance(data, bytes)
    book = load_workbook(io.BytesIO(data))
    assert book.sheetnames == ["Présélection", "Grille d'analyse"]
    names = [c.value for c in book["Présélection"]["A"]]
    assert "=HYPERLINK(\"http://x\")" in names
    cell = next(c for c in book["Présélection"]["A"] if c.value == "=HYPERLINK(\"http://x\")")
    assert cell.data_type == "s"
    grid = [c.value for c in book["Grille d'analyse"]["A"]]
    assert all(c.label in grid for c in content.benchmark_criteria)


def test_criteria_name_real_catalogue_fields(content) -> None:
    from deployer.vendor_match import FIELD_LABELS

    for criterion in content.benchmark_criteria:
        assert set(criterion.catalogue) <= set(FIELD_LABELS), criterion.id


def test_content_check_reports_a_grid_criterion_citing_an_unknown_source(content_copy: Path) -> None:
    from deployer.content import collect_content

    (content_copy / "benchmark.yaml").write_text(
        "criteres:\n  - id: cout\n    label: Coût\n    ask: Le coût.\n    sources: [{source: nulle-part}]\n",
        encoding="utf-8",
    )
    _, problems = collect_content(content_copy)
    assert any("benchmark.yaml › criteres[0]" in str(p) and "nulle-part" in str(p) for p in problems)


def test_generate_writes_the_benchmark_next_to_the_cahier_des_charges(run, in_tmp: Path) -> None:
    from tests.conftest import EXAMPLE

    result = run("generate", str(EXAMPLE), "-o", "dossier")
    assert result.exit_code == 0 and "benchmark.md" in result.output
    assert (in_tmp / "dossier" / "benchmark.xlsx").stat().st_size > 0
