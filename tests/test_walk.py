"""The walk driven by real questionary prompts through prompt_toolkit's pipe input."""

from __future__ import annotations

from pathlib import Path

import pytest
from rich.console import Console

from deployer.answers import Answers, read_answers
from deployer.errors import WalkInterrupted
from deployer.walk import start_session

DOWN, UP, ENTER, SPACE, CTRL_C = "\x1b[B", "\x1b[A", "\r", " ", "\x03"
PROFILE_KEYS = "Testville" + ENTER + ENTER + "5 000" + ENTER  # nom, type = commune, population


def walk(content, keyboard, keys: str, answers: Answers | None = None, path: Path | None = None):  # noqa: ANN201
    keyboard.send_text(keys)
    keyboard.close()
    start = answers or Answers(profile={}, content_version=content.version)
    return start_session(content, start, path, content.scored_modules, Console(quiet=True))


def test_a_whole_walk_is_saved_under_the_collectivite_name(fixture_content, keyboard, in_tmp) -> None:
    keys = PROFILE_KEYS + ENTER + DOWN + ENTER + SPACE + ENTER + "Rien à ajouter" + ENTER + ENTER
    answers, path = walk(fixture_content, keyboard, keys)
    assert path == Path("testville-reponses.yaml")
    assert answers.profile == {"nom": "Testville", "type": "commune", "population": 5000}
    assert answers.responses == {"alpha": {"service": "oui", "detail": "petit", "canaux": ["a"],
                                           "texte": "Rien à ajouter"}}
    assert read_answers(path, fixture_content) == answers


def test_going_back_changes_the_previous_answer(fixture_content, keyboard, in_tmp) -> None:
    back_from_detail = DOWN * 3 + ENTER  # separator skipped: passer, revenir
    keys = PROFILE_KEYS + ENTER + back_from_detail + DOWN + ENTER + SPACE + ENTER + ENTER + ENTER
    answers, _ = walk(fixture_content, keyboard, keys)
    assert answers.get("alpha", "service") == "non"
    assert answers.get("alpha", "detail") is None  # hidden once service is « non »


def test_dont_know_and_skip(fixture_content, keyboard, in_tmp) -> None:
    dont_know = DOWN * 2 + ENTER
    skip_checkbox = DOWN * 3 + SPACE + ENTER
    answers, _ = walk(fixture_content, keyboard, PROFILE_KEYS + dont_know + skip_checkbox + ENTER + ENTER)
    assert answers.get("alpha", "service") == "nsp"
    assert answers.get("alpha", "canaux") is None


def test_ctrl_c_keeps_every_answer_and_resume_continues(fixture_content, keyboard, in_tmp) -> None:
    with pytest.raises(WalkInterrupted) as stop:
        walk(fixture_content, keyboard, PROFILE_KEYS + ENTER + CTRL_C)
    path = Path(stop.value.path)
    saved = read_answers(path, fixture_content)
    assert saved.get("alpha", "service") == "oui" and saved.position == "alpha.detail"


def test_resume_starts_where_the_user_stopped(fixture_content, in_tmp) -> None:
    from prompt_toolkit.application import create_app_session
    from prompt_toolkit.input import create_pipe_input
    from prompt_toolkit.output import DummyOutput

    stopped = Answers(profile={"nom": "T", "type": "commune", "population": 10}, content_version="0",
                      responses={"alpha": {"service": "oui"}}, position="alpha.detail")
    with create_pipe_input() as pipe, create_app_session(input=pipe, output=DummyOutput()):
        keys = ENTER + SPACE + ENTER + ENTER + ENTER
        answers, _ = walk(fixture_content, pipe, keys, stopped, in_tmp / "t.yaml")
    assert answers.responses["alpha"] == {"service": "oui", "detail": "grand", "canaux": ["a"]}
    assert answers.position is None


def test_a_file_of_the_same_name_is_never_overwritten(fixture_content, keyboard, in_tmp) -> None:
    (in_tmp / "testville-reponses.yaml").write_text("à garder", encoding="utf-8")
    _, path = walk(fixture_content, keyboard, PROFILE_KEYS + ENTER + ENTER + SPACE + ENTER + ENTER + ENTER)
    assert path == Path("testville-2-reponses.yaml")
    assert (in_tmp / "testville-reponses.yaml").read_text(encoding="utf-8") == "à garder"


def test_the_module_review_lets_the_user_change_an_answer(fixture_content, keyboard, in_tmp) -> None:
    answer_all = ENTER + ENTER + SPACE + ENTER + ENTER  # service oui, detail grand, canaux a, texte vide
    change_service = DOWN + ENTER + DOWN + ENTER  # « Modifier : Un service ? », then « non »
    answers, _ = walk(fixture_content, keyboard, PROFILE_KEYS + answer_all + change_service + ENTER + ENTER)
    assert answers.get("alpha", "service") == "non"


def test_the_quiz_is_walked_and_each_answer_shows_the_evidence(content, keyboard, in_tmp) -> None:
    quiz = content.module("enjeux")
    start = Answers(profile={"nom": "Groupe quiz", "type": "commune", "population": 5000},
                    content_version=content.version, group="Groupe 1")
    keyboard.send_text(DOWN + ENTER + ENTER * (len(quiz.quiz) - 1) + ENTER)  # réalité, then mythe…, validate
    keyboard.close()
    console = Console(record=True, width=200)
    answers, path = start_session(content, start, None, [quiz], console)
    assert answers.responses["enjeux"] == {
        item.id: ("réalité" if i == 0 else "mythe") for i, item in enumerate(quiz.quiz)
    }
    first = quiz.quiz[0]
    assert f"Réponse attendue\u00a0: Mythe. {first.evidence[:40]}" in console.export_text()
    assert read_answers(path, content).responses == answers.responses
