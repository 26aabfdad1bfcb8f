"""Generated documents: golden files per example, office formats, neutrality, escaping."""

from __future__ import annotations

import io
import re
from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest

from deployer.answers.answers_file import read_answers
from deployer.documents.dossier import build_dossier, cctp_files, render_cctp
from tests.conftest import EXAMPLES, golden

TODAY = date(2026, 11, 21)
ANSWER_FILES = sorted(EXAMPLES.glob("*-reponses.yaml"))
TODO_MARKER = re.compile("\\[À COMPLÉTER\u00a0: (?!…)")
HOSTILE = ["# <script>alert(1)</script>", "A | B * _c_ [x](y)", "Ville\n## Titre", "<b>x</b> & `code` \\*"]


def stem(path: Path) -> str:
    return path.name.removesuffix("-reponses.yaml")


@pytest.fixture(scope="module", params=ANSWER_FILES, ids=stem)
def dossier(request, content) -> tuple[str, dict[str, str | bytes]]:
    answers = read_answers(request.param, content)
    return stem(request.param), build_dossier(content, answers, today=TODAY)


@pytest.mark.parametrize("name", ["cahier-des-charges.md", "cahier-des-charges.html", "note-de-cadrage.md"])
def test_documents_match_their_golden_files(dossier, name, request) -> None:
    example, files = dossier
    text = files[name]
    assert isinstance(text, str)
    golden(f"{example}/{name}", text, request)


def test_cctp_has_no_template_syntax_and_every_marker_is_in_the_checklist(dossier) -> None:
    text = dossier[1]["cahier-des-charges.md"]
    assert isinstance(text, str) and "{{" not in text and "{%" not in text
    body, checklist = text.split("## Points à compléter avant publication")
    assert len(TODO_MARKER.findall(body)) == checklist.count("- [ ]")


def test_docx_has_heading_styles_a_toc_field_and_tables(dossier) -> None:
    import docx

    files = dossier[1]
    document = docx.Document(io.BytesIO(files["cahier-des-charges.docx"]))  # type: ignore[arg-type]
    styles = [(p.style.name, p.text) for p in document.paragraphs]
    assert styles[0][0] == "Title" and styles[0][1].startswith("Cahier des clauses techniques particulières")
    headings = [text for style, text in styles if style == "Heading 1"]
    assert headings[:3] == ["1. Contexte et objectifs de la démarche", "2. Objet et périmètre du marché",
                            "3. Besoins fonctionnels"]
    assert "1.1 La collectivité" in [text for style, text in styles if style == "Heading 2"]
    xml = document.element.xml
    assert xml.count("PAGEREF _Toc") == xml.count("w:bookmarkStart w:id=") > len(headings)  # page numbers as fields
    assert [text.rstrip("\t") for style, text in styles if style == "TOC 1"] == headings
    assert len(document.tables) >= 4
    glossary = document.tables[-1]
    assert [c.text for c in glossary.rows[0].cells] == ["Terme", "Définition"]
    assert "w:tblHeader" in glossary.rows[0]._tr.xml
    full = "\n".join(text for _, text in styles) + "".join(c.text for t in document.tables for r in t.rows
                                                           for c in r.cells)
    assert "{{" not in full and "{%" not in full
    md = files["cahier-des-charges.md"]
    assert isinstance(md, str)
    assert full.count("[À COMPLÉTER") == md.count("[À COMPLÉTER")


def test_odt_has_outline_headings_a_toc_and_tables(dossier) -> None:
    from odfdo import Document

    document = Document(io.BytesIO(dossier[1]["cahier-des-charges.odt"]))  # type: ignore[arg-type]
    body = document.body
    headers = body.get_headers()
    levels = {(h.get_attribute_integer("text:outline-level"), h.style, str(h).strip()) for h in headers}
    assert (1, "Heading_20_1", "1. Contexte et objectifs de la démarche") in levels
    assert (2, "Heading_20_2", "1.1 La collectivité") in levels
    toc = body.get_toc()
    assert toc is not None and "1. Contexte et objectifs de la démarche" in str(toc)
    tables = body.get_tables()
    assert len(tables) >= 4
    assert tables[-1].get_element("table:table-header-rows") is not None
    text = document.get_formatted_text()
    assert "{{" not in text and "{%" not in text
    md = dossier[1]["cahier-des-charges.md"]
    assert isinstance(md, str) and text.count("[À COMPLÉTER") == md.count("[À COMPLÉTER")


def test_html_is_self_contained_and_printable(dossier) -> None:
    html = dossier[1]["cahier-des-charges.html"]
    assert isinstance(html, str)
    assert html.startswith("<!DOCTYPE html>") and '<html lang="fr">' in html and "@media print" in html
    assert "<link" not in html and "<script" not in html and "http" not in html.split("<main>")[0]


def test_missing_answers_become_todo_markers_listed_at_the_end(content, example) -> None:
    empty = replace(example, responses={})
    text = render_cctp(content, empty, TODAY)
    body, checklist = text.split("## Points à compléter avant publication")
    assert len(TODO_MARKER.findall(body)) == checklist.count("- [ ]") >= 10


def test_sections_follow_the_answers(content, example) -> None:
    in_house = example.with_answer("prestataire", "moderation", "interne")
    in_house = in_house.with_answer("prestataire", "prestations", ["formation"])
    text = render_cctp(content, in_house, TODAY)
    assert "aucune prestation de modération n'est demandée au titulaire" in text
    assert "Le titulaire modère les contributions" not in text
    free = example.with_answer("prestataire", "logiciel_libre", "exige")
    text = render_cctp(content, free, TODAY)
    assert "### 5.5 Licence et code source" in text and "dépose les développements spécifiques" in text
    indifferent = example.with_answer("prestataire", "logiciel_libre", "indifferent")
    assert "5.5 Licence" not in render_cctp(content, indifferent, TODAY)


def test_no_vendor_name_appears(content, dossier) -> None:
    text = dossier[1]["cahier-des-charges.md"]
    assert isinstance(text, str) and content.vendors
    for vendor in content.vendors:
        for name in [vendor.name, *vendor.other_names]:
            assert re.search(rf"\b{re.escape(name)}\b", text) is None, name


@pytest.mark.parametrize("name", HOSTILE)
def test_user_text_cannot_add_structure_or_markup_in_any_format(content, example, name) -> None:
    import docx
    from odfdo import Document

    hostile = example.with_profile("nom", name).with_answer("objectifs", "objectifs_texte", name)
    md = render_cctp(content, hostile, TODAY)
    assert "<script>" not in md and "\n## Titre" not in md and "\n# <" not in md
    assert "A | B" not in md and "_c_" not in md.replace("\\_c\\_", "")
    files = cctp_files(md, hostile.name)
    html = files["cahier-des-charges.html"]
    assert isinstance(html, str)
    assert "<script>" not in html and "<b>x</b>" not in html and "<h2>Titre" not in html
    folded = " ".join(name.split())
    document = docx.Document(io.BytesIO(files["cahier-des-charges.docx"]))  # type: ignore[arg-type]
    assert [p.style.name for p in document.paragraphs].count("Title") == 1
    assert any(folded in p.text for p in document.paragraphs)
    assert "Titre" not in [p.text for p in document.paragraphs if p.style.name.startswith("Heading")]
    odt = Document(io.BytesIO(files["cahier-des-charges.odt"]))  # type: ignore[arg-type]
    assert folded in odt.get_formatted_text()
    assert "Titre" not in [str(h).strip() for h in odt.body.get_headers()]


def test_budget_of_the_example_matches_its_golden_file(content, example, request) -> None:
    from deployer.analysis.budget import estimate_budget
    from deployer.documents.budget_markdown import render_budget_markdown

    estimate = estimate_budget(content, example, today=TODAY)
    golden("ville-de-sainte-claire/budget.md", render_budget_markdown(estimate, example), request)


def test_note_de_cadrage_gives_budget_route_and_risks(content, example) -> None:
    from deployer.analysis.budget import estimate_budget

    files = build_dossier(content, example, today=TODAY, formats=("md",))
    note = files["note-de-cadrage.md"]
    assert isinstance(note, str)
    estimate = estimate_budget(content, example, today=TODAY)
    assert estimate.procurement is not None
    central = f"{estimate.estimated_value.central:,}".replace(",", "\u202f") + "\u00a0€"
    assert central in note and estimate.procurement.route.label in note
    assert [line for line in note.splitlines() if line.startswith("## ")] == [
        "## 1. Objectifs", "## 2. Budget", "## 3. Voie d'achat", "## 4. Points de vigilance",
        "## 5. Prochaines étapes", "## Annexe A — Examen de l'offre de la centrale d'achat",
        "## Annexe B — Remarques sur le projet de cahier des charges"]
    assert "**Mineur**" in note and "Source\u00a0: " in note


def test_a_content_copy_without_a_cited_source_gives_a_clear_error(content, example) -> None:
    from deployer.errors import ContentError

    sources = {k: v for k, v in content.sources.items() if k != "rgaa-4-1-2"}
    with pytest.raises(ContentError, match="rgaa-4-1-2"):
        render_cctp(replace(content, sources=sources), example, TODAY)


def test_control_characters_in_answers_do_not_break_office_files(content, example) -> None:
    import docx
    from odfdo import Document

    hostile = example.with_profile("nom", "Ville\x00\x07 de Test\x1b")
    files = cctp_files(render_cctp(content, hostile, TODAY), hostile.name, ("docx", "odt"))
    document = docx.Document(io.BytesIO(files["cahier-des-charges.docx"]))  # type: ignore[arg-type]
    assert any("Ville" in p.text and "de Test" in p.text for p in document.paragraphs)
    odt = Document(io.BytesIO(files["cahier-des-charges.odt"]))  # type: ignore[arg-type]
    assert "de Test" in odt.get_formatted_text()
