"""Hostile input files (issue 18): no hang, no memory blow-up, no silent data change.

Paths that are not regular files are run as real processes with a timeout, so that a
regression (a FIFO read that blocks, /dev/zero read in full) fails the test instead of
hanging the suite or the machine.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tracemalloc
from pathlib import Path

import pytest

from deployer.answers.answers_file import parse_answers
from deployer.errors import UnreadableFile
from deployer.files import read_user_file
from deployer.schema.yaml_files import MAX_PROBLEMS
from tests.conftest import EXAMPLE, FIXTURE_CONTENT

posix_only = pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="FIFO and /dev/zero exist only on POSIX systems")
READERS = [["answers", "check"], ["score"], ["budget"], ["vendors", "match"], ["generate", "-o", "dossier"]]


def deployer(*args: str, cwd: Path, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    """Run deployer as a user would; a hang fails the test after 60 s instead of blocking the suite."""
    return subprocess.run([sys.executable, "-m", "deployer", *args], cwd=cwd, capture_output=True, text=True,
                          timeout=60, env={**os.environ, "COLUMNS": "200", **(env or {})}, stdin=subprocess.DEVNULL)


def assert_refused(result: subprocess.CompletedProcess[str], french: str) -> None:
    assert result.returncode == 2, result.stderr
    assert "Traceback" not in result.stderr + result.stdout
    assert french in " ".join(result.stderr.split())


def hostile_path(kind: str, folder: Path) -> Path:
    path = folder / f"{kind}-reponses.yaml"
    if kind == "fifo":
        os.mkfifo(path)
    elif kind == "zero":
        path.symlink_to("/dev/zero")
    else:
        path.symlink_to("/dev/null")
    return path


@posix_only
@pytest.mark.parametrize("kind", ["fifo", "zero", "null"])
@pytest.mark.parametrize("command", READERS, ids=" ".join)
def test_every_reader_refuses_what_is_not_a_regular_file(tmp_path: Path, kind: str, command: list[str]) -> None:
    path = hostile_path(kind, tmp_path)
    result = deployer(*command, str(path), cwd=tmp_path)
    assert_refused(result, "ce n'est pas un fichier ordinaire")
    assert ("tube nommé" if kind == "fifo" else "périphérique") in result.stderr
    assert not (tmp_path / "dossier").exists()


@posix_only
@pytest.mark.parametrize("kind", ["fifo", "zero"])
def test_the_walk_refuses_to_resume_what_is_not_a_regular_file(tmp_path: Path, kind: str) -> None:
    import pexpect

    from tests.test_walk_pty import spawn

    path = hostile_path(kind, tmp_path)
    child = spawn(tmp_path, "--resume", str(path))  # in a real terminal, with pexpect's timeout
    child.expect(pexpect.EOF)
    child.close()
    out = " ".join(child.before.split())
    assert child.exitstatus == 2
    assert "ce n'est pas un fichier ordinaire" in out and "Traceback" not in out


@posix_only
def test_a_workshop_skips_and_lists_bad_entries_and_shows_the_others(tmp_path: Path) -> None:
    folder = tmp_path / "reponses"
    folder.mkdir()
    (folder / "bon-reponses.yaml").write_bytes(EXAMPLE.read_bytes())
    hostile_path("fifo", folder)
    hostile_path("zero", folder)
    result = deployer("workshop", str(folder), cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    out = " ".join(result.stdout.split())
    assert "Fichiers écartés (2)" in out
    assert "fifo-reponses.yaml — ce n'est pas un fichier ordinaire (tube nommé, FIFO)" in out
    assert "zero-reponses.yaml — ce n'est pas un fichier ordinaire (périphérique)" in out
    assert "Ville de Sainte-Claire" in out


@posix_only
def test_a_content_file_that_is_a_fifo_is_reported(tmp_path: Path) -> None:
    import shutil

    root = tmp_path / "contenu"
    shutil.copytree(FIXTURE_CONTENT, root)
    os.mkfifo(root / "modules" / "zz-tube.yaml")
    result = deployer("content", "check", cwd=tmp_path, env={"DEPLOYER_CONTENU": str(root)})
    assert_refused(result, "modules/zz-tube.yaml : ce n'est pas un fichier ordinaire (tube nommé, FIFO)")


def test_a_file_over_the_limit_is_refused_without_being_read(tmp_path: Path, run) -> None:
    big = tmp_path / "gros-reponses.yaml"
    with big.open("wb") as handle:  # sparse: 6 MB that take no disk space
        handle.truncate(6_000_000)
    result = run("answers", "check", str(big))
    assert result.exit_code == 2
    assert "fichier trop volumineux (plus de 5 Mo)" in result.output


def test_read_user_file_reads_at_most_its_limit(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "f.yaml"
    path.write_bytes(b"x" * 2000)
    assert read_user_file(path, 2000) == b"x" * 2000
    with pytest.raises(UnreadableFile, match="trop volumineux"):
        read_user_file(path, 1999)
    # A file whose size the system reports as 0 (like /proc files) is still read only up to the limit.
    real_stat = Path.stat
    monkeypatch.setattr(Path, "stat", lambda self, **kw: os.stat_result((*real_stat(self, **kw)[:6], 0, 0, 0, 0)))
    with pytest.raises(UnreadableFile, match="trop volumineux"):
        read_user_file(path, 1000)


def test_reading_works_without_posix_only_flags(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Windows has no O_NONBLOCK (and needs O_BINARY): the reader must not depend on them."""
    monkeypatch.delattr(os, "O_NONBLOCK", raising=False)
    path = tmp_path / "Mes Documents" / "Démocratie participative" / "réponses.yaml"
    path.parent.mkdir(parents=True)
    path.write_bytes(EXAMPLE.read_bytes())
    assert read_user_file(path) == EXAMPLE.read_bytes()


# -- duplicate keys --------------------------------------------------------------------

DUPLICATES = {
    "top level": ("profil:\n  nom: Grandville\n  type: commune\n  population: 42000\nreponses: {}\n"
                  "profil:\n  nom: Grandville\n", "profil", 3, 8),
    "profile": ("profil:\n  nom: Grandville\n  population: 42000\n  population: 400\nreponses: {}\n",
                "population", 5, 6),
    "module": ("profil: {nom: X}\nreponses:\n  objectifs:\n    objectifs_ecrits: ecrits\n  objectifs:\n"
               "    objectifs_ecrits: non\n", "objectifs", 5, 7),
    "question": ("profil: {nom: X}\nreponses:\n  objectifs:\n    objectifs_ecrits: ecrits\n"
                 "    objectifs_ecrits: non\n", "objectifs_ecrits", 6, 7),
    "flow mapping": ("profil: {nom: X, nom: Y}\n", "nom", 3, 3),
}


@pytest.mark.parametrize("case", DUPLICATES, ids=str)
def test_a_duplicate_key_at_any_level_of_an_answers_file_is_an_error(run, tmp_path: Path, case: str) -> None:
    body, key, first, second = DUPLICATES[case]
    path = tmp_path / "double-reponses.yaml"
    path.write_text("format: 1\nversion_contenu: x\n" + body, encoding="utf-8")
    for command in (["answers", "check"], ["score"]):
        result = run(*command, str(path))
        assert result.exit_code == 2
        out = " ".join(result.output.split())
        assert f"clé « {key} » en double (lignes {first} et {second})" in out
        assert "Traceback" not in out


CONTENT_DUPLICATES = {
    "top level": (("title: \"Alpha\"\n", "title: \"Alpha\"\ntitle: \"Beta\"\n"), "title", 3, 4),
    "question": (("    type: choix\n", "    type: choix\n    type: multiple\n"), "type", 8, 9),
    "option": (("        label: \"Petit\"\n", "        label: \"Petit\"\n        label: \"Moyen\"\n"),
               "label", 23, 24),
    "flow mapping": (("{value: oui, label: \"Oui\", points: 3}", "{value: oui, value: si, label: \"Oui\", points: 3}"),
                     "value", 13, 13),
}


@pytest.mark.parametrize("case", CONTENT_DUPLICATES, ids=str)
def test_a_duplicate_key_at_any_level_of_the_content_is_an_error(run, content_copy: Path, monkeypatch,
                                                                 case: str) -> None:
    (old, new), key, first, second = CONTENT_DUPLICATES[case]
    module = content_copy / "modules" / "01-alpha.yaml"
    text = module.read_text(encoding="utf-8")
    assert old in text
    module.write_text(text.replace(old, new, 1), encoding="utf-8")
    monkeypatch.setenv("DEPLOYER_CONTENU", str(content_copy))
    result = run("content", "check")
    assert result.exit_code == 2
    assert f"modules/01-alpha.yaml › ligne {second}" in result.output
    assert f"clé « {key} » en double (lignes {first} et {second})" in " ".join(result.output.split())


# -- bounded problem lists, one pass, long values --------------------------------------


def unknown_keys_file(path: Path, count: int) -> Path:
    lines = ["format: 1", "profil: {nom: X}", *(f"cle_inconnue_{i:06d}: 1" for i in range(count))]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_200_000_unknown_keys_stop_early_with_bounded_memory_and_output(run, tmp_path: Path, content) -> None:
    path = unknown_keys_file(tmp_path / "cles-reponses.yaml", 200_000)
    result = run("answers", "check", str(path))
    assert result.exit_code == 2
    assert "plus de 50 000 valeurs" in " ".join(result.output.split())
    assert len(result.output) < 5_000
    tracemalloc.start()
    try:
        parse_answers(path.read_bytes(), "f", content)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < 80_000_000  # the file itself is 4.6 MB; reading it whole used 800 MB before


def test_the_error_list_stops_after_50_and_says_how_many_more(run, tmp_path: Path) -> None:
    path = unknown_keys_file(tmp_path / "cles-reponses.yaml", 5_000)
    result = run("answers", "check", str(path))
    assert result.exit_code == 2
    out = " ".join(result.output.split())
    assert "comporte 5 000 problèmes" in out.replace("\u202f", " ")
    assert out.count("clé inconnue") == MAX_PROBLEMS
    assert "… et 4 950 autres problèmes, non détaillés" in out.replace("\u202f", " ")


def test_answers_check_reports_structure_and_values_in_one_run(run, tmp_path: Path) -> None:
    path = tmp_path / "tout-reponses.yaml"
    path.write_text("format: 3\ninconnue: 1\nprofil:\n  nom: X\n  population: beaucoup\n"
                    "reponses:\n  objectifs:\n    objectifs_ecrits: peut-etre\n    pas_une_question: 1\n",
                    encoding="utf-8")
    result = run("answers", "check", str(path))
    assert result.exit_code == 2
    out = " ".join(result.output.split())
    for expected in ("› format : version de format attendue", "› inconnue : clé inconnue",
                     "profil › population : nombre entier attendu",
                     "reponses › objectifs › objectifs_ecrits : valeur « peut-etre » non permise",
                     "reponses › objectifs › pas_une_question : question inconnue"):
        assert expected in out, expected
    assert "comporte 5 problèmes" in out


def test_a_400_digit_population_is_cut_in_the_message(run, tmp_path: Path) -> None:
    path = tmp_path / "long-reponses.yaml"
    path.write_text(f"format: 1\nprofil:\n  nom: X\n  population: {'9' * 400}\n", encoding="utf-8")
    for command in (["answers", "check"], ["score"]):
        result = run(*command, str(path))
        assert result.exit_code == 2
        assert "nombre hors limites (999999999999999999999999999999999999999…)" in result.output
        assert "9" * 41 not in result.output


def test_a_400_digit_population_on_the_command_line_is_cut_too(run) -> None:
    result = run("budget", "--population", "9" * 400)
    assert result.exit_code == 2
    assert "9" * 41 not in result.output and "…" in result.output


# -- hostile workbooks (issue 20), each checked by a real process ---------------------------

WORKBOOK_REASONS = {
    "formule HYPERLINK (xlsx)": "feuille « Profil », cellule C4 : formule refusée",
    "formule HYPERLINK (ods)": "feuille « Profil », cellule C4 : formule refusée",
    "100 000 lignes (xlsx)": "plus de 2000 lignes remplies",
    "100 000 lignes (ods)": "plus de 2000 lignes remplies",
    "bombe zip": "« bombe zip »",
    "bombe XML (xlsx)": "« bombe XML »",
    "bombe XML (ods)": "« bombe XML »",
    "binaire renommé": "n'est pas un classeur XLSX ou ODS lisible",
    "ancien .xls": "format ancien (.xls)",
    "vide": "n'est pas un classeur XLSX ou ODS lisible",
}


@pytest.fixture(scope="module")
def hostile_workbooks() -> dict[str, tuple[str, bytes]]:
    from deployer.schema.loader import load_content
    from tests.workbooks import hostile_workbooks

    return hostile_workbooks(load_content())


@pytest.mark.parametrize("name", list(WORKBOOK_REASONS))
def test_a_hostile_workbook_is_refused_by_a_real_process(tmp_path: Path, hostile_workbooks, name: str) -> None:
    suffix, raw = hostile_workbooks[name]
    path = tmp_path / f"f-reponses{suffix}"
    path.write_bytes(raw)
    result = deployer("answers", "check", str(path), cwd=tmp_path)
    assert_refused(result, WORKBOOK_REASONS[name])


@posix_only
def test_a_fifo_named_like_a_workbook_is_refused_without_hanging(tmp_path: Path) -> None:
    path = tmp_path / "f-reponses.xlsx"
    os.mkfifo(path)
    assert_refused(deployer("answers", "check", str(path), cwd=tmp_path), "ce n'est pas un fichier ordinaire")
