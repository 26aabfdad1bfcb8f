"""« Aucun… » options are exclusive: the walk refuses them with another option, and so does
the answers-file check (#17)."""

from __future__ import annotations

from pathlib import Path

import pytest
from rich.console import Console

from deployer.answers.answers_file import Answers, read_answers, save_answers
from deployer.errors import WalkInterrupted
from deployer.walk.prompts import start_session

DOWN, UP, ENTER, SPACE, CTRL_C = "\x1b[B", "\x1b[A", "\r", " ", "\x03"
PROFILE = {"nom": "Essai", "type": "commune", "population": 20_000}


def test_the_walk_refuses_none_with_another_channel(content, keyboard, in_tmp) -> None:
    path = Path("essai-reponses.yaml")
    mobilisation = next(m for m in content.scored_modules if m.id == "mobilisation")
    start = Answers(profile=PROFILE, content_version=content.version)
    # articulation (integre), recoupement (first), canaux: papier + aucun refused, then aucun alone
    keys = ENTER + ENTER + SPACE + DOWN * 6 + SPACE + ENTER + UP * 6 + SPACE + ENTER + CTRL_C
    keyboard.send_text(keys)
    with pytest.raises(WalkInterrupted):
        start_session(content, start, path, [mobilisation], Console(quiet=True))
    assert read_answers(path, content).get("mobilisation", "canaux") == ["aucun"]


@pytest.mark.parametrize(("question", "value"), [
    ("canaux", ["aucun", "reunions_publiques"]),
])
def test_a_hand_written_file_combining_none_with_another_option_is_refused(run, content, question, value) -> None:
    answers = Answers(profile=PROFILE, responses={"mobilisation": {question: value}}, content_version=content.version)
    save_answers(Path("essai-reponses.yaml"), answers)
    result = run("answers", "check", "essai-reponses.yaml")
    assert result.exit_code == 2
    assert "ne peut pas être cochée avec une autre option" in result.output
    assert f"mobilisation › {question}" in result.output


def test_none_of_the_other_services_is_refused_with_a_service(content) -> None:
    from deployer.answers.answers_file import value_problems

    question = content.question("ressources", "services_impliques")
    assert value_problems(question, ["aucun", "communication"])
    assert not value_problems(question, ["aucun"])
