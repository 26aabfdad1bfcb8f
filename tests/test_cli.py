"""Commands as a user types them (CliRunner): French, exit codes, nothing half-written."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from deployer import __version__
from tests.conftest import EXAMPLE


def test_version(run) -> None:
    result = run("--version")
    assert result.exit_code == 0 and result.output == f"deployer {__version__}\n"


def test_help_is_french(run) -> None:
    result = run("--help")
    assert result.exit_code == 0
    for word in ("Commandes", "Afficher cette aide et quitter", "Parcours guidé", "Autodiagnostic"):
        assert word in result.output


def test_command_help_is_french(run) -> None:
    result = run("generate", "--help")
    assert "Dossier à créer" in result.output and "Remplacer le dossier" in result.output


@pytest.mark.parametrize("command", [["start"], ["score"], ["generate"], ["workshop"], ["vendors"], ["budget"]])
def test_parameter_types_are_shown_in_french(run, command: list[str]) -> None:
    output = run(*command, "--help").output
    assert not re.search(r"<(bool|str|int|path|list\[\w+\])>", output, re.IGNORECASE), output
    assert "TEXTE" in output or "CHEMIN" in output or "NOMBRE" in output


def test_content_check_passes_on_shipped_content(run) -> None:
    result = run("content", "check")
    assert result.exit_code == 0 and "valide" in result.output


def test_content_check_lists_problems_and_exits_2(run, content_copy: Path) -> None:
    module = content_copy / "modules" / "01-alpha.yaml"
    module.write_text(module.read_text(encoding="utf-8").replace("points: 3", "points: x"), encoding="utf-8")
    result = run("content", "check", "--dossier", str(content_copy))
    assert result.exit_code == 2
    assert "modules/01-alpha.yaml › questions[0] › options[0] › points" in result.stderr


def test_score_prints_modules_and_overall(run) -> None:
    result = run("score", str(EXAMPLE))
    assert result.exit_code == 0
    for text in ("Ville de Sainte-Claire", "Objectifs et besoins", "Ensemble", "Verdict"):
        assert text in result.output


def test_score_why_explains_a_module(run) -> None:
    result = run("score", str(EXAMPLE), "--why", "evaluation")
    assert result.exit_code == 0 and "Meilleure réponse" in result.output


def test_score_of_a_missing_file_exits_2_in_french(run) -> None:
    result = run("score", "absent-reponses.yaml")
    assert result.exit_code == 2
    assert "introuvable" in result.stderr and "Traceback" not in result.output


def test_score_of_a_bad_value_names_key_and_allowed_values(run, in_tmp: Path) -> None:
    bad = in_tmp / "bad-reponses.yaml"
    bad.write_text(EXAMPLE.read_text(encoding="utf-8").replace("modele_offre: marque_blanche",
                                                              "modele_offre: licorne"), encoding="utf-8")
    result = run("score", str(bad))
    assert result.exit_code == 2
    assert "reponses › prestataire › modele_offre\u00a0: valeur «\u00a0licorne\u00a0» non permise" in result.stderr
    assert "marque_blanche" in result.stderr


def test_generate_writes_the_dossier(run, in_tmp: Path) -> None:
    result = run("generate", str(EXAMPLE), "-o", "dossier")
    assert result.exit_code == 0
    for name in ("cahier-des-charges.md", "cahier-des-charges.docx", "cahier-des-charges.odt",
                 "cahier-des-charges.html", "note-de-cadrage.md", "budget.md", "budget.csv", "budget.xlsx"):
        assert (in_tmp / "dossier" / name).stat().st_size > 0, name


def test_generate_writes_only_the_chosen_formats(run, in_tmp: Path) -> None:
    assert run("generate", str(EXAMPLE), "-o", "a", "--format", "docx,html").exit_code == 0
    assert run("generate", str(EXAMPLE), "-o", "b", "-f", "odt", "-f", "md").exit_code == 0
    assert sorted(p.name for p in (in_tmp / "a").glob("cahier-des-charges.*")) == [
        "cahier-des-charges.docx", "cahier-des-charges.html"]
    assert sorted(p.name for p in (in_tmp / "b").glob("cahier-des-charges.*")) == [
        "cahier-des-charges.md", "cahier-des-charges.odt"]


def test_generate_rejects_an_unknown_format_before_writing(run, in_tmp: Path) -> None:
    result = run("generate", str(EXAMPLE), "-o", "dossier", "--format", "docx,pdf")
    assert result.exit_code == 2
    assert "format inconnu\u00a0: «\u00a0pdf\u00a0»" in result.stderr and "md, docx, odt, html" in result.stderr
    assert not (in_tmp / "dossier").exists()


def test_budget_from_the_example_and_quick_estimate(run) -> None:
    result = run("budget", str(EXAMPLE))
    assert result.exit_code == 0 and "Valeur estimée du besoin" in result.output
    quick = run("budget", "--population", "42000", "--modele", "marque_blanche")
    assert quick.exit_code == 0 and "42\u202f000 habitants" in quick.output


def test_budget_bad_input_exits_2(run) -> None:
    assert run("budget", "--population", "-5").exit_code == 2
    assert run("budget", "--population", "5000", "--duree", "200").exit_code == 2
    assert run("budget", "--population", "5000", "--modele", "licorne").exit_code == 2
    assert run("budget").exit_code == 2


def test_generate_refuses_an_existing_folder_without_force(run, in_tmp: Path) -> None:
    (in_tmp / "dossier").mkdir()
    (in_tmp / "dossier" / "mien.txt").write_text("à garder", encoding="utf-8")
    result = run("generate", str(EXAMPLE), "-o", "dossier")
    assert result.exit_code == 2 and "--force" in result.stderr
    assert (in_tmp / "dossier" / "mien.txt").read_text(encoding="utf-8") == "à garder"
    assert run("generate", str(EXAMPLE), "-o", "dossier", "--force").exit_code == 0
    assert not (in_tmp / "dossier" / "mien.txt").exists()


def test_start_without_a_terminal_explains_the_answers_file(run) -> None:
    result = run("start", input="")
    assert result.exit_code == 2
    assert "pas de terminal" in result.stderr and "deployer answers template" in result.stderr


def test_answers_check_accepts_the_example(run) -> None:
    result = run("answers", "check", str(EXAMPLE))
    assert result.exit_code == 0 and "est valide" in result.output


def test_learn_lists_and_shows_modules(run) -> None:
    assert "objectifs" in run("learn").output
    result = run("learn", "ressources")
    assert result.exit_code == 0 and "Ressources" in result.output
    assert run("learn", "inconnu").exit_code == 2


@pytest.mark.parametrize(("args", "french"), [
    (["score"], "argument manquant : fichier."),
    (["score", "x.yaml", "--inconnue"], "option inconnue : --inconnue."),
    (["budget", "--duree", "abc"], "valeur invalide pour --duree : un nombre entier est attendu."),
    (["inexistante"], "commande inconnue : « inexistante »."),
    (["generate", "a.yaml", "b.yaml"], "argument en trop : b.yaml."),
])
def test_usage_errors_are_french(run, args: list[str], french: str) -> None:
    result = run(*args)
    assert result.exit_code == 2
    text = " ".join(result.stderr.split())
    assert " ".join(french.split()) in text, text
    assert "Utilisation" in text and "Usage" not in text
