"""Files written by the previous content version (2026.11.1) still load (#17): what changed is
asked again, never silently dropped."""

from __future__ import annotations

from pathlib import Path

import pytest

from deployer.answers.answers_file import Answers, read_answers, save_answers, upgrade_answers
from deployer.errors import AnswersError
from tests.conftest import EXAMPLES

PREVIOUS = "2026.11.1"


@pytest.mark.parametrize("example", sorted(EXAMPLES.glob("*-reponses.yaml")), ids=lambda p: p.stem)
def test_each_example_written_by_the_previous_version_loads_unchanged(content, tmp_path: Path, example) -> None:
    old = tmp_path / example.name
    old.write_text(example.read_text(encoding="utf-8").replace(f'"{content.version}"', f'"{PREVIOUS}"'),
                   encoding="utf-8")
    answers = read_answers(old, content)
    assert answers.content_version == PREVIOUS
    upgraded, notes = upgrade_answers(answers, content)
    assert notes == [] and upgraded.responses == answers.responses


def test_none_ticked_with_another_option_is_set_aside_and_asked_again(content, tmp_path: Path) -> None:
    old = Answers(profile={"nom": "Essai", "type": "commune", "population": 5000}, content_version=PREVIOUS,
                  responses={"mobilisation": {"canaux": ["aucun", "reunions_publiques"], "mediation": "oui"}})
    path = tmp_path / "essai-reponses.yaml"
    save_answers(path, old)
    with pytest.raises(AnswersError) as error:  # score and generate: say how to update it
        read_answers(path, content)
    assert "deployer start --resume" in (error.value.hint or "")
    upgraded, notes = upgrade_answers(old, content)  # what « start --resume » does
    assert upgraded.get("mobilisation", "canaux") is None
    assert upgraded.obsolete["mobilisation"]["canaux"] == ["aucun", "reunions_publiques"]
    assert upgraded.get("mobilisation", "mediation") == "oui"
    assert any("canaux" in note and "reposée" in note for note in notes)
