"""The questionnaire as a spreadsheet (XLSX, ODS): written, filled as a person would, read back by
every command, converted without loss, and hostile workbooks refused in French."""

from __future__ import annotations

import io
import shutil
import subprocess
import tracemalloc
import zipfile
from pathlib import Path

import pytest

from deployer.answers.answers_file import Answers, parse_answers_file, read_answers
from deployer.answers.workbook import workbook_bytes
from deployer.french import fix_typography
from deployer.schema.content import Content
from tests.conftest import EXAMPLES
from tests.workbooks import fill_ods, fill_xlsx, hostile_workbooks, member, template, typed_cells

EXAMPLE_FILES = sorted(EXAMPLES.glob("*-reponses.yaml"))
KINDS = ["xlsx", "ods"]


def fill(kind: str, raw: bytes, cells: dict) -> bytes:
    return fill_xlsx(raw, cells) if kind == "xlsx" else fill_ods(raw, cells)


def read(content: Content, raw: bytes, kind: str) -> tuple[Answers | None, list[str]]:
    answers, problems = parse_answers_file(raw, Path(f"r.{kind}"), content)
    return answers, [str(p) for p in problems]


# -- round trips ----------------------------------------------------------------------------


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("example", EXAMPLE_FILES, ids=lambda p: p.stem)
def test_examples_round_trip_through_the_workbook_to_identical_answers(run, content, example, kind) -> None:
    assert run("answers", "convert", str(example), "-o", f"r.{kind}").exit_code == 0
    result = run("answers", "convert", f"r.{kind}", "-o", "r.yaml")
    assert result.exit_code == 0, result.output
    assert read_answers(Path("r.yaml"), content) == read_answers(example, content)


def test_a_ranked_multiple_choice_keeps_its_order(content, example) -> None:
    options = [o.value for o in content.question("prestataire", "fonctionnalites").options]
    ranked = example.with_answer("prestataire", "fonctionnalites", [options[2], options[0]])
    for kind in KINDS:
        answers, problems = read(content, workbook_bytes(content, ranked, kind), kind)
        assert problems == [] and answers.get("prestataire", "fonctionnalites") == [options[2], options[0]]


def test_group_position_obsolete_answers_and_odd_texts_survive_the_round_trip(content, example) -> None:
    odd = example.with_profile("nom", "  =1+1, « Saint-Ébré »\n\tdeux  espaces ").with_answer(
        "objectifs", "objectifs_texte", "Ligne 1\nLigne 2  fin ")
    odd = Answers(odd.profile, odd.responses, odd.content_version, group="Groupe B",
                  obsolete={"objectifs": {"ancienne": ["a", "b"]}}, position="ressources.budget")
    for kind in KINDS:
        answers, problems = read(content, workbook_bytes(content, odd, kind), kind)
        assert problems == [] and answers == odd


@pytest.mark.parametrize("kind", KINDS)
def test_generate_on_the_workbook_gives_the_same_dossier_as_on_the_yaml(run, kind) -> None:
    example = EXAMPLES / "metropole-rives-de-l-estuaire-reponses.yaml"  # it ranks its multiple choices
    assert run("answers", "convert", str(example), "-o", f"m.{kind}").exit_code == 0
    assert run("generate", str(example), "-o", "depuis-yaml", "-f", "md").exit_code == 0
    assert run("generate", f"m.{kind}", "-o", "depuis-classeur", "-f", "md").exit_code == 0
    texts = sorted(p.name for p in Path("depuis-yaml").iterdir() if p.suffix in (".md", ".csv", ".html"))
    assert texts
    for name in texts:
        assert (Path("depuis-classeur") / name).read_bytes() == (Path("depuis-yaml") / name).read_bytes(), name


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("example", EXAMPLE_FILES, ids=lambda p: p.stem)
def test_a_template_filled_by_hand_scores_exactly_like_the_yaml(run, content, example, kind) -> None:
    raw = fill(kind, template(content, kind), typed_cells(content, read_answers(example, content)))
    Path(f"rempli.{kind}").write_bytes(raw)
    by_hand = run("score", f"rempli.{kind}", "--format", "json")
    assert by_hand.exit_code == 0, by_hand.output
    assert by_hand.output == run("score", str(example), "--format", "json").output


# -- LibreOffice ----------------------------------------------------------------------------

needs_soffice = pytest.mark.skipif(shutil.which("soffice") is None,
                                   reason="LibreOffice (soffice) absent : .ci/run l'installe (paquet libreoffice-calc)")


@pytest.fixture(scope="module")
def lo_profile(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One LibreOffice profile for the module: the first start creates it, the others reuse it."""
    return tmp_path_factory.mktemp("profil-lo")


def soffice(source: Path, target: str, folder: Path, profile: Path) -> Path:
    subprocess.run(["soffice", f"-env:UserInstallation=file://{profile}", "--headless", "--convert-to", target,
                    "--outdir", str(folder), str(source)], check=True, capture_output=True, timeout=180)
    return folder / f"{source.stem}.{target.split(':')[0]}"


@needs_soffice
@pytest.mark.parametrize("kind", KINDS)
def test_libreoffice_opens_the_template_and_prints_it(content, tmp_path, lo_profile, kind) -> None:
    source = tmp_path / f"modele.{kind}"
    source.write_bytes(template(content, kind))
    pdf = soffice(source, "pdf", tmp_path, lo_profile)
    assert pdf.read_bytes().startswith(b"%PDF")
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True).stdout \
        if shutil.which("pdftotext") else ""
    if text:  # every module is printed, headers repeated on each page of a long sheet
        assert all(m.title in text for m in content.answerable_modules)
        assert text.count("Votre réponse") > len(content.answerable_modules) + 1


@needs_soffice
@pytest.mark.parametrize("kind, other", [("xlsx", "ods"), ("ods", "xlsx")])
def test_a_workbook_saved_again_by_libreoffice_scores_like_the_yaml(run, content, in_tmp, lo_profile, kind,
                                                                    other) -> None:
    example = EXAMPLES / "ville-de-sainte-claire-reponses.yaml"
    source = in_tmp / f"rempli.{kind}"
    source.write_bytes(fill(kind, template(content, kind), typed_cells(content, read_answers(example, content))))
    saved = soffice(source, other, in_tmp / "lo", lo_profile)
    result = run("score", str(saved), "--format", "json")
    assert result.exit_code == 0, result.output
    assert result.output == run("score", str(example), "--format", "json").output


# -- what the template offers ---------------------------------------------------------------


def test_the_xlsx_template_offers_labels_protects_and_prints_cleanly(content) -> None:
    from openpyxl import load_workbook

    book = load_workbook(io.BytesIO(template(content, "xlsx")))
    assert book.sheetnames == ["Profil", *[m.title[:31] for m in content.answerable_modules], "Listes"]
    assert book["Listes"].sheet_state == "hidden"
    sheet = book[content.answerable_modules[1].title]
    assert sheet.protection.sheet and sheet.column_dimensions["A"].hidden
    assert sheet.print_title_rows == "$3:$3" and str(sheet.page_setup.paperSize) == sheet.PAPERSIZE_A4
    rows = {row[0].value: row for row in sheet.iter_rows(min_row=4)}
    module = content.answerable_modules[1]
    choice = next(q for q in module.questions if q.type == "choix" and q.allow_unknown)
    cell = rows[f"reponses.{module.id}.{choice.id}"][2]
    assert cell.protection.locked is False
    validation = next(v for v in sheet.data_validations.dataValidation if cell.coordinate in v.sqref)
    labels_row = int(validation.formula1.rsplit("$", 1)[1])
    labels = [c.value for c in book["Listes"][labels_row][1:] if c.value]
    assert labels == [fix_typography(" ".join(o.label.split())) for o in choice.options] + ["Je ne sais pas"]
    assert rows[f"reponses.{module.id}.{choice.id}"][1].protection.locked is not False
    conditional = next(q for q in module.questions if q.when)
    assert rows[f"reponses.{module.id}.{conditional.id}"][5].value.startswith("Seulement si «\u00a0")
    multiple = next(q for q in module.questions if q.type == "multiple")
    ticks = [k for k in rows if str(k).startswith(f"reponses.{module.id}.{multiple.id}=")]
    assert len(ticks) == len(multiple.allowed_values)


def test_template_command_formats(run) -> None:
    assert run("answers", "template").output.startswith("# Fichier de réponses deployer")
    result = run("answers", "template", "--format", "xlsx")
    assert result.exit_code == 0 and zipfile.is_zipfile("modele-reponses.xlsx")
    assert run("answers", "template", "-o", "q.ods").exit_code == 0
    assert member(Path("q.ods").read_bytes(), "mimetype") == b"application/vnd.oasis.opendocument.spreadsheet"
    again = run("answers", "template", "--format", "xlsx")
    assert again.exit_code == 2 and "existe déjà" in again.stderr
    clash = run("answers", "template", "--format", "ods", "-o", "q.xlsx")
    assert clash.exit_code == 2 and "ne correspond pas" in clash.stderr
    assert run("answers", "template", "--format", "pdf").exit_code == 2


def test_convert_refuses_an_unknown_extension_and_itself(run) -> None:
    example = str(EXAMPLES / "ville-de-sainte-claire-reponses.yaml")
    assert "extension inconnue" in run("answers", "convert", example, "-o", "r.txt").stderr
    assert run("answers", "convert", example, "-o", "r.yaml").exit_code == 0
    assert "fichier lu" in run("answers", "convert", "r.yaml", "-o", "r.yaml").stderr


# -- validation, by sheet and cell ----------------------------------------------------------


@pytest.mark.parametrize("kind", KINDS)
def test_mistakes_are_named_by_sheet_and_cell(run, content, kind) -> None:
    cells = {"profil.type": "Village", "profil.population": 0, "reponses.objectifs.raisons=transparence": "oui!",
             "reponses.prestataire.modele_offre": "Je ne sais pas ; " + _label(content, "prestataire", "modele_offre")}
    Path(f"f.{kind}").write_bytes(fill(kind, template(content, kind), cells))
    result = run("answers", "check", f"f.{kind}")
    assert result.exit_code == 2 and "Traceback" not in result.output
    errors = result.stderr.replace("\u00a0", " ").replace("\u202f", " ")
    assert "feuille « Profil », cellule C5 : « Village » ne fait pas partie des réponses possibles : « Commune »" \
        in errors
    assert "feuille « Profil », cellule C6 : nombre hors limites (0)" in errors
    assert "feuille « Profil », cellule C6 : nombre entier attendu" not in errors
    assert "feuille « Objectifs et besoins », cellule C" in errors and "cochez avec « x »" in errors
    assert "feuille « Choix du prestataire », cellule C" in errors
    assert "une seule réponse possible ici, vous en avez donné 2" in errors


def test_je_ne_sais_pas_is_not_ticked_with_other_answers(content_copy) -> None:
    from deployer.schema.loader import load_content

    module = content_copy / "modules" / "01-alpha.yaml"
    module.write_text(module.read_text(encoding="utf-8").replace(
        "    type: multiple\n", "    type: multiple\n    allow_unknown: true\n"), encoding="utf-8")
    content = load_content(content_copy)
    raw = fill_xlsx(template(content, "xlsx"), {"reponses.alpha.canaux=nsp": "x", "reponses.alpha.canaux=a": "X"})
    answers, problems = read(content, raw, "xlsx")
    assert len(problems) == 1 and "« Je ne sais pas » ne se coche pas avec d'autres réponses" in problems[0]
    answers, problems = read(content, fill_xlsx(template(content, "xlsx"), {"reponses.alpha.canaux=nsp": "x"}),
                             "xlsx")
    assert problems == [] and answers.get("alpha", "canaux") == "nsp"


def _label(content: Content, module: str, question: str) -> str:
    return " ".join(content.question(module, question).options[0].label.split())


def test_a_workbook_from_an_older_content_version_is_upgraded_like_a_yaml_file(run, content) -> None:
    old = Answers({"nom": "Ancienne"}, {"objectifs": {"question_retiree": "oui"}}, content_version="2020.1")
    Path("ancien.xlsx").write_bytes(_with_extra_row(content, old))
    check = run("answers", "check", "ancien.xlsx")
    assert check.exit_code == 2 and "start --resume ancien.xlsx" in check.stderr
    workshop = run("workshop", "ancien.xlsx")
    assert workshop.exit_code == 0 and "Ancienne" in workshop.output


def _with_extra_row(content: Content, old: Answers) -> bytes:
    """A form whose content version is older and which still holds a question since removed."""
    from openpyxl import load_workbook

    book = load_workbook(io.BytesIO(workbook_bytes(content, old, "xlsx")))
    sheet = book["Objectifs et besoins"]
    sheet.append(["reponses.objectifs.question_retiree", "Une question retirée", "oui"])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


# -- hostile workbooks ----------------------------------------------------------------------


@pytest.fixture(scope="module")
def hostile(content) -> dict[str, tuple[str, bytes]]:
    return hostile_workbooks(content)


@pytest.mark.parametrize("name", ["formule HYPERLINK (xlsx)", "formule HYPERLINK (ods)", "100 000 lignes (xlsx)",
                                  "100 000 lignes (ods)", "bombe zip", "bombe XML (xlsx)", "bombe XML (ods)",
                                  "binaire renommé", "ancien .xls", "vide"])
def test_hostile_workbooks_are_refused_in_french_with_little_memory(run, content, hostile, name) -> None:
    suffix, raw = hostile[name]
    tracemalloc.start()
    try:
        answers, problems = parse_answers_file(raw, Path(f"f{suffix}"), content)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert answers is None and problems
    assert peak < 30_000_000  # the zip bomb would inflate to 100 Mo, the entity bomb to 1 Go
    Path(f"f{suffix}").write_bytes(raw)
    for command in (["answers", "check"], ["score"], ["generate", "-o", "d"], ["workshop"]):
        result = run(*command, f"f{suffix}")
        assert result.exit_code == 2, (command, result.output)
        assert "Traceback" not in result.output and ("Erreur" in result.stderr)
    assert not Path("d").exists()


def test_the_formula_is_named_by_its_cell_and_never_evaluated(content, hostile) -> None:
    for name in ("formule HYPERLINK (xlsx)", "formule HYPERLINK (ods)"):
        suffix, raw = hostile[name]
        _, problems = read(content, raw, suffix[1:])
        assert problems == [f"r{suffix} › feuille « Profil », cellule C4\u00a0: formule refusée : le classeur n'est "
                            "lu que pour ses valeurs ; remplacez la formule par la réponse écrite"]


def test_workshop_reads_the_workbooks_of_a_folder(run, content) -> None:
    Path("groupes").mkdir()
    for index, example in enumerate(EXAMPLE_FILES):
        kind = KINDS[index % 2]
        raw = workbook_bytes(content, read_answers(example, content), kind)  # type: ignore[arg-type]
        (Path("groupes") / f"{example.stem}.{kind}").write_bytes(raw)
    (Path("groupes") / "~$verrou.xlsx").write_bytes(b"lock")  # Excel's lock file is not a group
    result = run("workshop", "groupes")
    assert result.exit_code == 0, result.output
    assert all(read_answers(e, content).name in result.output for e in EXAMPLE_FILES)
