"""24 months × 3 renewals is 96 months: the walk, the answers check, score and generate say so (#17).

A warning, not a refusal: the four-year limit binds a framework agreement (art. R2162-4),
an ordinary contract may be longer, and files beyond it (one of the examples) still load."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from rich.console import Console

from deployer.answers.answers_file import Answers, save_answers
from deployer.walk import prompts
from deployer.walk.prompts import PROFILE, SKIP, Step

PROFIL = {"nom": "Essai", "type": "commune", "population": 20_000}


def _file(content, months: int, renewals: int, each: int | None = None) -> Answers:
    given: dict[str, Any] = {"duree_mois": months, "reconductions": renewals}
    if each is not None:
        given["duree_reconduction_mois"] = each
    return Answers(profile=PROFIL, responses={"prestataire": given}, content_version=content.version)


@pytest.mark.parametrize("command", [["answers", "check", "FILE"], ["score", "FILE"],
                                     ["generate", "FILE", "-f", "md", "-o", "d"]])
def test_check_score_and_generate_warn_beyond_four_years(run, content, command) -> None:
    save_answers(Path("essai-reponses.yaml"), _file(content, 24, 3))
    result = run(*(arg.replace("FILE", "essai-reponses.yaml") for arg in command))
    assert result.exit_code == 0, result.output
    text = " ".join(result.output.replace("\u00a0", " ").split())
    assert "prestataire › reconductions" in text and "96 mois" in text and "48 mois" in text


def test_four_years_in_all_gives_no_warning(run, content) -> None:
    save_answers(Path("essai-reponses.yaml"), _file(content, 12, 3))
    assert "Attention" not in run("answers", "check", "essai-reponses.yaml").output


@pytest.mark.parametrize(("form", "warned"), [("marche_ordinaire", False), ("accord_cadre_maximum", True),
                                              ("accord_cadre_sans_maximum", True)])
def test_the_limit_binds_a_framework_agreement_not_an_ordinary_contract(run, content, form: str,
                                                                        warned: bool) -> None:
    answers = _file(content, 24, 3)
    answers.responses["prestataire"]["forme_marche"] = form
    save_answers(Path("essai-reponses.yaml"), answers)
    output = " ".join(run("answers", "check", "essai-reponses.yaml").output.replace("\u00a0", " ").split())
    assert ("96" in output) is warned
    assert "précisez la forme du marché" not in output  # the form is known: no hint to give it


def test_with_no_form_the_warning_says_an_ordinary_contract_is_not_bound(run, content) -> None:
    save_answers(Path("essai-reponses.yaml"), _file(content, 24, 3))
    output = " ".join(run("answers", "check", "essai-reponses.yaml").output.replace("\u00a0", " ").split())
    assert "96 mois" in output and "ne vaut pas pour un marché ordinaire" in output


def test_the_length_of_each_renewal_counts(run, content) -> None:
    """36 months then one renewal of 12 months is 48 months (not 72), as in the budget."""
    save_answers(Path("essai-reponses.yaml"), _file(content, 36, 1, each=12))
    assert "Attention" not in run("answers", "check", "essai-reponses.yaml").output
    save_answers(Path("essai-reponses.yaml"), _file(content, 36, 2, each=12))
    text = " ".join(run("answers", "check", "essai-reponses.yaml").output.replace("\u00a0", " ").split())
    assert "36 mois et 2 reconductions de 12 mois font 60 mois" in text
    save_answers(Path("essai-reponses.yaml"), _file(content, 36, 1, each=0))  # 0: the initial length
    assert "36 mois et 1 reconduction de 36 mois font 72 mois" in " ".join(
        run("answers", "check", "essai-reponses.yaml").output.replace("\u00a0", " ").split())


def test_the_walk_warns_right_after_the_renewals(content, monkeypatch) -> None:
    monkeypatch.setattr(prompts, "_review", lambda steps, module, answers, after, console: after)
    monkeypatch.setattr(prompts, "_answer_left_now", lambda count: False)
    given = {"duree_mois": 24, "reconductions": 3}

    def ask(step: Step, current: Any, can_go_back: bool) -> Any:
        return PROFIL[step.question.id] if step.module == PROFILE else given.get(step.question.id, SKIP)

    console = Console(record=True, width=300, color_system=None)
    modules = [m for m in content.scored_modules if m.id == "prestataire"]
    prompts.walk(content, Answers(profile={}, content_version=content.version), modules, lambda a: None, ask, console)
    shown = console.export_text()
    assert shown.count("96 mois") == 1
    assert shown.index("96 mois") > shown.index(content.question("prestataire", "reconductions").label)
