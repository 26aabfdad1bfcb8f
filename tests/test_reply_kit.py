"""The candidates' reply kit (cadre de réponse, grille d'analyse), print-ready office files and the
buyer's own model."""

from __future__ import annotations

import io
import shutil
import subprocess
import zipfile
from datetime import date
from pathlib import Path

import pytest

from deployer.analysis.dossier_analysis import analyse_dossier
from deployer.analysis.neutrality import brand_names, mentions
from deployer.answers.answers_file import read_answers
from deployer.documents.dossier import dossier_files
from deployer.documents.reply_kit import ANSWERS
from tests.conftest import EXAMPLE, EXAMPLES, golden

TODAY = date(2026, 11, 21)
ANSWER_FILES = sorted(EXAMPLES.glob("*-reponses.yaml"))
SOFFICE = shutil.which("soffice")
needs_soffice = pytest.mark.skipif(SOFFICE is None, reason="LibreOffice (soffice) absent: .ci/run installs it")


def stem(path: Path) -> str:
    return path.name.removesuffix("-reponses.yaml")


@pytest.fixture(scope="module", params=ANSWER_FILES, ids=stem)
def kit(request, content):
    analysis = analyse_dossier(content, read_answers(request.param, content), TODAY)
    return stem(request.param), analysis, dossier_files(analysis)


def _book(data):
    from openpyxl import load_workbook

    return load_workbook(io.BytesIO(data))


def _strings(book) -> str:
    return "\n".join(str(c.value) for sheet in book for row in sheet.iter_rows() for c in row if c.value is not None)


def test_cadre_de_reponse_matches_its_golden_file(kit, request) -> None:
    example, _, files = kit
    golden(f"{example}/cadre-de-reponse.md", files["cadre-de-reponse.md"], request)


def test_the_cadre_lists_every_requirement_of_the_cctp_in_every_format(kit) -> None:
    import docx

    _, analysis, files = kit
    ids = [r.id for r in analysis.requirements]
    assert ids and all(i in files["cadre-de-reponse.md"] for i in ids)
    document = docx.Document(io.BytesIO(files["cadre-de-reponse.docx"]))
    cells = {c.text.split()[0] for t in document.tables for row in t.rows[1:] for c in row.cells[:1] if c.text}
    assert set(ids) <= cells
    sheet = _book(files["cadre-de-reponse.xlsx"])["Réponses"]
    header = [c.value for c in sheet[4]]
    assert header[:6] == ["Réf.", "Chapitre", "Exigence", "Texte de l'exigence (CCTP)", "Niveau", "Réponse du candidat"]
    assert [sheet.cell(row=5 + n, column=1).value for n in range(len(ids))] == ids
    [validation] = sheet.data_validations.dataValidation
    assert validation.type == "list" and validation.formula1 == '"' + ",".join(ANSWERS) + '"'
    assert str(validation.sqref) == f"F5:F{4 + len(ids)}"


def test_the_grille_uses_the_award_criteria_of_the_note_de_cadrage(kit, content) -> None:
    _, analysis, files = kit
    book = _book(files["grille-d-analyse.xlsx"])
    assert book.sheetnames == ["Notation", "Prix", "Conformité", "Barème"]
    notation = book["Notation"]
    rows = [[c.value for c in row] for row in notation.iter_rows(min_row=5)]
    weights = {r[1]: r[2] for r in rows if isinstance(r[2], int)}
    criteria = content.award_criteria
    for criterion in criteria.criteres:
        for sub in criterion.sub_criteria:
            assert weights[sub.label] == sub.weight
    total = next(r for r in rows if r[0] == "Total")
    assert total[2].startswith("=SUM(C") and all(str(v).startswith("=SUM(") for v in total[6:9])
    price = book["Prix"]
    assert "MIN($B$5:$B$7)" in price["C5"].value and price["A5"].value == "Offre A"
    conformity = book["Conformité"]
    assert any("COUNTIFS" in str(c.value) for row in conformity.iter_rows() for c in row)
    assert len(conformity.data_validations.dataValidation) == 3


def test_the_reply_kit_names_no_vendor_nor_product(kit, content) -> None:
    _, _, files = kit
    names = brand_names(content)
    assert mentions(files["cadre-de-reponse.md"], names) == set()
    for name in ("cadre-de-reponse.xlsx", "grille-d-analyse.xlsx"):
        assert mentions(_strings(_book(files[name])), names) == set(), name


def test_every_sheet_is_set_up_for_print(kit) -> None:
    _, _, files = kit
    for name in ("budget.xlsx", "benchmark.xlsx", "cadre-de-reponse.xlsx", "grille-d-analyse.xlsx"):
        for sheet in _book(files[name]):
            assert sheet.page_setup.fitToWidth == 1 and sheet.sheet_properties.pageSetUpPr.fitToPage, (name, sheet)
            assert int(sheet.page_setup.paperSize) == int(sheet.PAPERSIZE_A4)
            assert sheet.print_title_rows and sheet.freeze_panes, (name, sheet.title)
            assert "&P" in sheet.oddFooter.right.text and "Projet — version du 21/11/2026" in sheet.oddFooter.left.text


def test_office_files_carry_header_footer_page_numbers_and_real_properties(kit) -> None:
    import docx
    from odfdo import Document

    _, analysis, files = kit
    name = " ".join(analysis.answers.name.split())
    document = docx.Document(io.BytesIO(files["cahier-des-charges.docx"]))
    assert document.core_properties.author == name and document.core_properties.created.date() == TODAY
    footer = document.sections[0].footer._element.xml
    assert " PAGE " in footer and " NUMPAGES " in footer and "Projet — version du 21/11/2026" in footer
    assert name in document.sections[0].header.paragraphs[0].text
    odt = Document(io.BytesIO(files["cahier-des-charges.odt"]))
    assert odt.get_part("meta").get_initial_creator() == name
    styles = odt.get_part("styles").serialize().decode()
    assert "text:page-number" in styles and "text:page-count" in styles and name in styles
    assert "text:bookmark-ref" in odt.body.serialize()


def test_generate_md_writes_no_office_file(run, in_tmp: Path) -> None:
    assert run("generate", str(EXAMPLE), "-o", "d", "--format", "md").exit_code == 0
    assert {p.suffix for p in (in_tmp / "d").iterdir()} == {".md", ".csv"}


def test_a_model_without_heading_styles_is_refused_in_french(run, in_tmp: Path) -> None:
    import docx

    model = docx.Document()
    for style in ("Heading 1", "Heading 2"):
        element = model.styles[style].element
        element.getparent().remove(element)
    model.save(in_tmp / "charte.docx")
    (in_tmp / "faux.odt").write_text("pas un document")
    for path, message in (("charte.docx", "les styles de titre"), ("faux.odt", "ne s'ouvre pas comme un .odt"),
                          ("logo.png", "format non pris en charge")):
        result = run("generate", str(EXAMPLE), "-o", "d", "--modele-document", path)
        assert result.exit_code == 2 and message in result.stderr and "Traceback" not in result.stderr
    assert not (in_tmp / "d").exists()


def test_the_buyers_model_gives_its_header_and_styles(run, in_tmp: Path) -> None:
    import docx

    model = docx.Document()
    model.sections[0].header.paragraphs[0].text = "Charte de la ville"
    model.styles["Heading 1"].font.name = "Georgia"
    model.save(in_tmp / "charte.docx")
    assert run("generate", str(EXAMPLE), "-o", "d", "--modele-document", "charte.docx").exit_code == 0
    for name in ("cahier-des-charges.docx", "cadre-de-reponse.docx"):
        document = docx.Document(str(in_tmp / "d" / name))
        assert document.sections[0].header.paragraphs[0].text == "Charte de la ville"
        assert document.styles["Heading 1"].font.name == "Georgia"


@needs_soffice
def test_the_dpgf_prints_on_one_page(content, tmp_path: Path) -> None:
    from openpyxl import load_workbook

    files = dossier_files(analyse_dossier(content, read_answers(EXAMPLE, content), TODAY), ("md", "xlsx"))
    book = load_workbook(io.BytesIO(files["budget.xlsx"]))
    for sheet in book.sheetnames[1:]:
        del book[sheet]
    book.save(tmp_path / "dpgf.xlsx")
    command = [SOFFICE, "--headless", "--convert-to", "pdf", "--outdir", str(tmp_path), str(tmp_path / "dpgf.xlsx")]
    subprocess.run(command, check=True, capture_output=True, timeout=240)
    assert _page_count((tmp_path / "dpgf.pdf").read_bytes()) == 1


def _page_count(pdf: bytes) -> int:
    import re

    return len(re.findall(rb"/Type\s*/Page(?!s)", pdf))


def test_docx_files_are_valid_archives(kit) -> None:
    _, _, files = kit
    for name in ("cahier-des-charges.docx", "cadre-de-reponse.docx", "cadre-de-reponse.odt"):
        assert zipfile.ZipFile(io.BytesIO(files[name])).testzip() is None


@needs_soffice
def test_libreoffice_computes_the_grille_as_a_buyer_fills_it(content, tmp_path: Path) -> None:
    from openpyxl import load_workbook

    analysis = analyse_dossier(content, read_answers(EXAMPLE, content), TODAY)
    book = load_workbook(io.BytesIO(dossier_files(analysis, ("xlsx",))["grille-d-analyse.xlsx"]))
    notation, conformity = book["Notation"], book["Conformité"]
    rows = [row for row in notation.iter_rows(min_row=5) if isinstance(row[2].value, int)]
    technical = sum(row[2].value for row in rows if row[0].value != "Prix")
    for row in rows:
        if row[0].value != "Prix":
            row[3].value, row[4].value = 4, 2  # Offre A: every mark at the top of the scale; Offre B: half
    book["Prix"]["B5"], book["Prix"]["B6"] = 1000, 2000
    first = next(r for r in range(5, conformity.max_row) if conformity.cell(row=r, column=4).value == "Exigence")
    conformity.cell(row=first, column=6).value = "Non conforme"
    book.save(tmp_path / "remplie.xlsx")
    out = tmp_path / "calc"
    command = [SOFFICE, "--headless", "--convert-to", "xlsx", "--outdir", str(out), str(tmp_path / "remplie.xlsx")]
    subprocess.run(command, check=True, capture_output=True, timeout=240)
    computed = load_workbook(out / "remplie.xlsx", data_only=True)["Notation"]
    total = next(row for row in computed.iter_rows(min_row=5) if row[0].value == "Total")
    weight = content.award_criteria.criteres
    price = next(c.weight for c in weight if c.id == "prix")
    assert total[2].value == 100
    assert total[6].value == pytest.approx(technical + price)
    assert total[7].value == pytest.approx(technical / 2 + price / 2)
    rank = computed.cell(row=total[0].row + 1, column=7).value
    unmet = computed.cell(row=total[0].row + 2, column=7).value
    assert rank == 1 and unmet == 1


def test_generate_md_loads_no_office_library(tmp_path: Path) -> None:
    import sys

    code = (
        f"import sys; sys.argv = ['deployer', 'generate', {str(EXAMPLE)!r}, '-o', {str(tmp_path / 'd')!r},"
        " '--format', 'md']\n"
        "from deployer.cli import main\n"
        "import atexit\n"
        "atexit.register(lambda: print(sorted(m for m in ('docx', 'odfdo', 'openpyxl', 'markdown_it')"
        " if m in sys.modules)))\n"
        "main()\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=120)
    assert out.stdout.strip().endswith("[]") and (tmp_path / "d" / "cahier-des-charges.md").exists()


def test_generate_writes_the_workbooks_without_openpyxl(tmp_path: Path) -> None:
    import os
    import sys

    code = (
        f"import sys; sys.argv = ['deployer', 'generate', {str(EXAMPLE)!r}, '-o', {str(tmp_path / 'd')!r}]\n"
        "from deployer.cli import main\n"
        "import atexit\n"
        "atexit.register(lambda: print(sorted(m for m in sys.modules if m.split('.')[0] == 'openpyxl')))\n"
        "main()\n"
    )
    env = {**os.environ, "DEPLOYER_SEQUENTIEL": "1"}  # every file built in this process
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=120,
                         env=env)
    assert out.stdout.strip().endswith("[]")
    assert {p.name for p in (tmp_path / "d").glob("*.xlsx")} == {
        "budget.xlsx", "benchmark.xlsx", "cadre-de-reponse.xlsx", "grille-d-analyse.xlsx"}


def test_the_grille_s_scores_are_formulas_after_a_round_trip(content) -> None:
    analysis = analyse_dossier(content, read_answers(EXAMPLE, content), TODAY)
    book = _book(dossier_files(analysis, ("xlsx",))["grille-d-analyse.xlsx"])
    notation = book["Notation"]
    first = next(row for row in notation.iter_rows(min_row=5) if row[0].value == "Valeur technique")
    number = first[0].row
    assert [c.value for c in first[6:9]] == [f'=IF(ISNUMBER({n}{number}),$C{number}*{n}{number}/4,"")' for n in "DEF"]
    formulas = [c for sheet in book for row in sheet.iter_rows() for c in row if c.data_type == "f"]
    assert formulas and all(str(c.value).startswith("=") for c in formulas)
    assert {c.parent.title for c in formulas} == {"Notation", "Prix", "Conformité"}


@needs_soffice
def test_libreoffice_computes_the_grille_as_written(content, tmp_path: Path) -> None:
    from openpyxl import load_workbook

    analysis = analyse_dossier(content, read_answers(EXAMPLE, content), TODAY)
    (tmp_path / "grille.xlsx").write_bytes(dossier_files(analysis, ("xlsx",))["grille-d-analyse.xlsx"])
    out = tmp_path / "calc"
    command = [SOFFICE, "--headless", "--convert-to", "xlsx", "--outdir", str(out), str(tmp_path / "grille.xlsx")]
    subprocess.run(command, check=True, capture_output=True, timeout=240)
    computed = load_workbook(out / "grille.xlsx", data_only=True)["Notation"]
    total = next(row for row in computed.iter_rows(min_row=5) if row[0].value == "Total")
    assert total[2].value == 100 and [c.value for c in total[6:9]] == [0, 0, 0]
    ranks = [computed.cell(row=total[0].row + 1, column=column).value for column in (7, 8, 9)]
    assert ranks == [1, 1, 1]


def test_control_characters_in_the_name_do_not_break_workbooks(content, example) -> None:
    hostile = example.with_profile("nom", "Ville\x00\x07 de Test\u202e")
    files = dossier_files(analyse_dossier(content, hostile, TODAY), ("xlsx",))
    for name in ("budget.xlsx", "benchmark.xlsx", "cadre-de-reponse.xlsx", "grille-d-analyse.xlsx"):
        book = _book(files[name])
        assert book.properties.creator == "Ville de Test", name
