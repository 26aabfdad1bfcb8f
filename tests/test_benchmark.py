"""The benchmark aid (benchmark.md, benchmark.xlsx) and the neutrality of the cahier des charges."""

from __future__ import annotations

import io
from datetime import date
from pathlib import Path

import pytest

from deployer.analysis.neutrality import brand_names, mentions, typed_mentions
from deployer.answers.answers_file import read_answers
from deployer.documents.benchmark import build_benchmark
from deployer.documents.dossier import build_dossier, render_cctp
from tests.conftest import ROOT, golden

TODAY = date(2026, 11, 21)
EXAMPLES = sorted((ROOT / "examples").glob("*-reponses.yaml"))


def stem(path: Path) -> str:
    return path.name.removesuffix("-reponses.yaml")


def test_the_name_search_sees_whole_words_only(content) -> None:
    names = brand_names(content)
    assert mentions("Un outil comme Decidim ou adhocracy+.", names) == {"Decidim", "decidim", "adhocracy+"}
    assert mentions("L’outil J’en parle", names) == {"J'en parle"}
    assert not mentions("Une assemblée citoyenne ; le consul ; j'en parle ; un repérage urbain.", names)


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
    for title in ("Digital Participation Platform Ratings : evaluation criteria (2023)",
                  "Market research of existing Civic Technologies",
                  "Civic tech : un guide pour aider les collectivités"):
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
    from deployer.schema.vendor_wording import CATALOGUE_FIELDS

    for criterion in content.benchmark_criteria:
        assert set(criterion.catalogue) <= set(CATALOGUE_FIELDS), criterion.id


def test_content_check_reports_a_grid_criterion_citing_an_unknown_source(content_copy: Path) -> None:
    from deployer.schema.loader import collect_content

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


def test_a_vendor_name_typed_in_an_answer_is_found(content, example) -> None:
    from dataclasses import replace

    typed = example.with_answer("objectifs", "objectifs_texte", "Reconduire notre plateforme Cap Collectif.")
    typed = replace(typed, profile={**typed.profile, "nom": "Ville de Consul"})
    found = [(m.where, m.name) for m in typed_mentions(content, typed)]
    assert found == [("objectifs › objectifs_texte", "Cap Collectif")]


def test_generate_warns_when_an_answer_names_a_vendor(run, in_tmp: Path) -> None:
    from tests.conftest import EXAMPLE

    text = EXAMPLE.read_text(encoding="utf-8").replace(
        "objectifs_texte: Associer", "objectifs_texte: Comme avec Decidim, associer")
    (in_tmp / "a-reponses.yaml").write_text(text, encoding="utf-8")
    result = run("generate", "a-reponses.yaml", "-o", "d", "-f", "md")
    assert result.exit_code == 0
    assert "« Decidim »" in result.stderr and "objectifs › objectifs_texte" in result.stderr
    assert "R2111-7" in result.stderr


def test_answers_check_warns_when_an_answer_names_a_vendor(run, in_tmp: Path) -> None:
    from tests.conftest import EXAMPLE

    text = EXAMPLE.read_text(encoding="utf-8").replace("objectifs_texte: Associer",
                                                       "objectifs_texte: Avec Fluicity, associer")
    (in_tmp / "a-reponses.yaml").write_text(text, encoding="utf-8")
    result = run("answers", "check", "a-reponses.yaml")
    assert result.exit_code == 0 and "Fluicity" in result.stderr and "R2111-7" in result.stderr


def test_content_check_names_a_missing_wording_key_and_a_broken_placeholder(content_copy: Path) -> None:
    from deployer.schema.loader import collect_content

    path = content_copy / "benchmark.yaml"
    text = (ROOT / "content" / "benchmark.yaml").read_text(encoding="utf-8")
    text = text.replace("\n    saas: \"SaaS de l'éditeur\"", "")
    text = text.replace("Code libre, licence {licence}.", "Code libre, licence {license}.")
    text = text.replace("Fiche relevée le {date}, à revérifier.", "Fiche relevée le {date, à revérifier.")
    path.write_text(text, encoding="utf-8")
    _, problems = collect_content(content_copy)
    lines = [str(p).replace("\u00a0", " ") for p in problems]
    assert "benchmark.yaml › libelles › offres : libellé manquant pour « saas »" in lines
    assert any(line.startswith("benchmark.yaml › libelles › raisons › code_libre : « {license} » n'est pas")
               and "{licence}" in line for line in lines)
    assert any(line.startswith("benchmark.yaml › libelles › raisons › fiche_a_reverifier : accolade")
               for line in lines)


def test_content_check_names_a_missing_wording_text(content_copy: Path) -> None:
    from deployer.schema.loader import collect_content

    path = content_copy / "benchmark.yaml"
    text = (ROOT / "content" / "benchmark.yaml").read_text(encoding="utf-8")
    start = text.index("    prix_non_releve:")
    path.write_text(text[:start] + text[text.index("\n", start) + 1:], encoding="utf-8")
    _, problems = collect_content(content_copy)
    wording = [str(p).replace("\u00a0", " ") for p in problems if p.path.startswith("libelles")]
    assert wording == ["benchmark.yaml › libelles › raisons › prix_non_releve : clé obligatoire manquante"]


def test_the_wording_is_read_from_content(content, example) -> None:
    from dataclasses import replace

    from deployer.analysis.vendor_match import match_vendors
    from deployer.documents.benchmark import render_benchmark_markdown

    notes = content.wording.notes.model_copy(update={"pas_une_recommandation": "Texte du formateur."})
    edited = replace(content, vendor_wording=content.wording.model_copy(update={"notes": notes}))
    today = date(2026, 12, 4)
    page = render_benchmark_markdown(edited, example, match_vendors(edited, example, today), today)
    assert "> **Texte du formateur.**" in page
