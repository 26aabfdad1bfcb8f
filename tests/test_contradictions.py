"""Overlapping questions answered in two incompatible ways are reported everywhere (#17)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from rich.console import Console

from deployer.analysis.consistency import contradictions
from deployer.answers.answers_file import Answers, save_answers
from deployer.walk import prompts
from deployer.walk.prompts import PROFILE, SKIP, Step

PROFIL = {"nom": "Essai", "type": "commune", "population": 20_000}
RANKING = {"prestataire": {"algorithmes": "code_ouvert"}, "mobilisation": {"regles_visibilite": "internes"}}
SYNTHESIS = {"prestataire": {"synthese_par": "interne"}, "evaluation": {"synthese": "prestataire_seul"}}


def _answers(content, responses: dict[str, dict[str, Any]]) -> Answers:
    return Answers(profile=PROFIL, responses=responses, content_version=content.version)


@pytest.mark.parametrize("responses", [RANKING, SYNTHESIS])
def test_each_declared_contradiction_is_found_and_names_both_answers(content, responses) -> None:
    found = contradictions(content, _answers(content, responses))
    assert len(found) == 1
    text = found[0].text()
    for module, given in responses.items():
        for qid in given:
            assert content.question(module, qid).label in text


def test_consistent_answers_raise_no_contradiction(content) -> None:
    responses = {"prestataire": {"algorithmes": "code_ouvert", "synthese_par": "interne"},
                 "mobilisation": {"regles_visibilite": "publiees"}, "evaluation": {"synthese": "interne"}}
    assert contradictions(content, _answers(content, responses)) == []


@pytest.mark.parametrize("command", [["answers", "check", "FILE"], ["score", "FILE"],
                                     ["generate", "FILE", "-f", "md", "-o", "d"]])
def test_check_score_and_generate_report_the_contradiction(run, content, command) -> None:
    save_answers(Path("essai-reponses.yaml"), _answers(content, RANKING))
    result = run(*(arg.replace("FILE", "essai-reponses.yaml") for arg in command))
    assert result.exit_code == 0, result.output
    assert "Réponses contradictoires" in result.output


def test_the_walk_reports_the_contradiction_when_the_second_answer_is_given(content, monkeypatch) -> None:
    monkeypatch.setattr(prompts, "_review", lambda steps, module, answers, after, console: after)
    monkeypatch.setattr(prompts, "_answer_left_now", lambda count: False)

    def ask(step: Step, current: Any, can_go_back: bool) -> Any:
        if step.module == PROFILE:
            return PROFIL[step.question.id]
        return RANKING.get(step.module, {}).get(step.question.id, SKIP)

    console = Console(record=True, width=200, color_system=None)
    modules = [m for m in content.scored_modules if m.id in RANKING]
    prompts.walk(content, Answers(profile={}, content_version=content.version), modules, lambda a: None, ask, console)
    shown = console.export_text()
    assert shown.count("Réponses contradictoires") == 1
    second = content.question("mobilisation", "regles_visibilite").label
    assert shown.index("Réponses contradictoires") > shown.index(second)
