"""24 months × 3 renewals is 96 months: refused by the walk, the answers check and score (#17)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from rich.console import Console

from deployer.answers.answers_file import Answers, save_answers, upgrade_answers
from deployer.walk import prompts
from deployer.walk.prompts import PROFILE, SKIP, Step

PROFIL = {"nom": "Essai", "type": "commune", "population": 20_000}


def _file(content, months: int, renewals: int, version: str | None = None) -> Answers:
    return Answers(profile=PROFIL, responses={"prestataire": {"duree_mois": months, "reconductions": renewals}},
                   content_version=version or content.version)


def test_a_hand_written_file_over_four_years_is_refused_by_check_and_score(run, content) -> None:
    save_answers(Path("essai-reponses.yaml"), _file(content, 24, 3))
    for command in (["answers", "check"], ["score"]):
        result = run(*command, "essai-reponses.yaml")
        assert result.exit_code == 2
        text = result.output.replace("\u00a0", " ")
        assert "prestataire › reconductions" in text and "96 mois" in text and "48 mois" in text


def test_four_years_in_all_is_accepted(run, content) -> None:
    save_answers(Path("essai-reponses.yaml"), _file(content, 12, 3))
    assert run("answers", "check", "essai-reponses.yaml").exit_code == 0


def test_an_older_file_over_four_years_keeps_the_duration_and_asks_the_renewals_again(content) -> None:
    upgraded, notes = upgrade_answers(_file(content, 24, 3, version="2026.11.1"), content)
    assert upgraded.get("prestataire", "duree_mois") == 24
    assert upgraded.get("prestataire", "reconductions") is None
    assert upgraded.obsolete["prestataire"]["reconductions"] == 3
    assert any("reconductions" in note for note in notes)


def test_the_walk_refuses_the_renewals_and_asks_again(content, monkeypatch) -> None:
    monkeypatch.setattr(prompts, "_review", lambda steps, module, answers, after, console: after)
    monkeypatch.setattr(prompts, "_answer_left_now", lambda count: False)
    typed = iter([3, 1])  # 3 renewals refused, then 1

    def ask(step: Step, current: Any, can_go_back: bool) -> Any:
        if step.module == PROFILE:
            return PROFIL[step.question.id]
        if step.question.id == "duree_mois":
            return 24
        return next(typed) if step.question.id == "reconductions" else SKIP

    console = Console(record=True, width=200, color_system=None)
    modules = [m for m in content.scored_modules if m.id == "prestataire"]
    answers = prompts.walk(content, Answers(profile={}, content_version=content.version), modules,
                           lambda a: None, ask, console)
    assert answers.get("prestataire", "reconductions") == 1
    assert "96 mois" in console.export_text()
