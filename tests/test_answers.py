"""Reading hand-written answers files: every problem named with its key and allowed values."""

from __future__ import annotations

from pathlib import Path

import pytest

from deployer.answers.answers_file import Answers, dump_answers, parse_answers, read_answers, upgrade_answers
from deployer.errors import AnswersError

VALID = """\
format: 1
version_contenu: "2026.11.1"
profil: {nom: Testville, type: commune, population: 5000}
reponses:
  alpha:
    service: oui
    canaux: [a, b]
"""


def problems(fixture_content, text: str | bytes) -> list[str]:
    raw = text.encode("utf-8") if isinstance(text, str) else text
    return [str(p) for p in parse_answers(raw, "r.yaml", fixture_content)[1]]


def test_a_valid_file_parses(fixture_content) -> None:
    answers, found = parse_answers(VALID.encode(), "r.yaml", fixture_content)
    assert found == [] and answers is not None
    assert answers.get("alpha", "canaux") == ["a", "b"] and answers.population == 5000


def test_dump_then_parse_gives_the_same_answers(fixture_content) -> None:
    answers, _ = parse_answers(VALID.encode(), "r.yaml", fixture_content)
    assert answers is not None
    again, found = parse_answers(dump_answers(answers).encode(), "r.yaml", fixture_content)
    assert found == [] and again == answers


def test_a_value_outside_the_options_lists_the_allowed_values(fixture_content) -> None:
    found = problems(fixture_content, VALID.replace("service: oui", "service: peut-être"))
    assert found == ["r.yaml › reponses › alpha › service : valeur « peut-être » non permise ; "
                     "valeurs permises : oui, non, nsp"]


def test_an_unknown_question_lists_the_module_questions(fixture_content) -> None:
    found = problems(fixture_content, VALID.replace("service: oui", "servise: oui"))
    assert "question inconnue ; questions de ce module : service, detail, canaux, texte" in found[0]


def test_an_unknown_module_and_wrong_types_are_all_reported(fixture_content) -> None:
    text = VALID.replace("population: 5000", "population: beaucoup") + "  beta: {x: 1}\n"
    text = text.replace("canaux: [a, b]", "canaux: a")
    found = problems(fixture_content, text)
    assert len(found) == 3
    assert any("profil › population : nombre entier attendu" in p for p in found)
    assert any("reponses › beta : module inconnu" in p for p in found)
    assert any("canaux : liste attendue" in p for p in found)


def test_yaml_syntax_error_gives_line_and_column(fixture_content) -> None:
    found = problems(fixture_content, VALID.replace("canaux: [a, b]", "canaux: [a, b"))
    assert found[0].startswith("r.yaml › ligne ")


@pytest.mark.parametrize("broken", ["profil: [\n", "profil:\n  nom: a: b\n", "profil:\n\tnom: x\n", "profil: {a: 1\n"])
def test_yaml_syntax_errors_are_explained_in_french_only(fixture_content, broken) -> None:
    found = problems(fixture_content, broken)
    assert len(found) == 1 and "syntaxe YAML invalide" in found[0] and " ligne " in found[0]
    english = ("expected", "found", "allowed", "token", "while", "stream", "node")
    assert not any(word in found[0] for word in english), found[0]


def test_bom_and_crlf_are_accepted(fixture_content) -> None:
    assert problems(fixture_content, b"\xef\xbb\xbf" + VALID.replace("\n", "\r\n").encode()) == []


def test_non_utf8_is_explained(fixture_content) -> None:
    found = problems(fixture_content, VALID.replace("Testville", "Saint-Étienne").encode("latin-1"))
    assert "encodage invalide" in found[0] and "UTF-8" in found[0]


def test_aliases_and_python_tags_are_refused(fixture_content) -> None:
    bomb = "a: &x [1, 2]\nb: [*x, *x]\n"
    assert "alias" in problems(fixture_content, bomb)[0]
    tag = "format: !!python/object/apply:os.system ['echo hi']\n"
    assert "étiquette YAML non autorisée" in problems(fixture_content, tag)[0]


def test_missing_file_is_a_french_error(fixture_content, tmp_path: Path) -> None:
    with pytest.raises(AnswersError) as err:
        read_answers(tmp_path / "absent.yaml", fixture_content)
    assert "introuvable" in err.value.message


def test_upgrade_keeps_valid_answers_and_reports_the_rest(fixture_content) -> None:
    old = Answers(profile={"nom": "X"}, responses={"alpha": {"service": "oui", "ancienne": "v",
                                                             "canaux": ["z"]}})
    upgraded, notes = upgrade_answers(old, fixture_content)
    assert upgraded.responses == {"alpha": {"service": "oui"}}
    assert upgraded.obsolete == {"alpha": {"ancienne": "v", "canaux": ["z"]}}
    assert len(notes) == 2 and upgraded.content_version == fixture_content.version


def test_a_name_with_newlines_cannot_break_the_file(fixture_content) -> None:
    answers = Answers(profile={"nom": "Ville\nformat: 9\n# x", "type": "commune"})
    again, found = parse_answers(dump_answers(answers).encode(), "r.yaml", fixture_content)
    assert again is not None and again.name == "Ville\nformat: 9\n# x"
