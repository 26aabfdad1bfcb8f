"""One rule decides what concerns a collectivité: the walk and the score agree, band by band."""

from __future__ import annotations

from typing import Any

import pytest
from rich.console import Console

from deployer.analysis.applicability import applies, size_band
from deployer.analysis.assessment import assess
from deployer.answers.answers_file import Answers
from deployer.walk import prompts
from deployer.walk.prompts import PROFILE, SKIP, Step


def test_an_item_with_sizes_applies_only_to_those_bands() -> None:
    assert applies(None, None) and applies(None, "moins_10k")
    assert applies(["plus_100k"], "plus_100k")
    assert not applies(["plus_100k"], "moins_10k")
    assert not applies(["plus_100k"], None)  # population unknown: only what concerns everyone


def _answer_round(k: int, population: int) -> Any:
    """An ``ask`` answering each question with its k-th option (or skipping it)."""

    def ask(step: Step, current: Any, can_go_back: bool) -> Any:
        q = step.question
        if step.module == PROFILE:
            return {"nom": "Essai", "type": "commune", "population": population}[q.id]
        if not q.options:
            return SKIP
        option = q.options[k % len(q.options)].value
        return [option] if q.type == "multiple" else option

    return ask


@pytest.mark.parametrize("population", [2_800, 20_000, 60_000, 400_000])
def test_the_walk_shows_exactly_the_flags_the_score_raises(content, monkeypatch, population) -> None:
    monkeypatch.setattr(prompts, "_review", lambda steps, module, answers, after, console: after)
    monkeypatch.setattr(prompts, "_answer_left_now", lambda count: False)
    rounds = max(len(q.options) for m in content.scored_modules for q in m.questions)
    for k in range(rounds):
        console = Console(record=True, width=10_000, color_system=None)
        start = Answers(profile={}, content_version=content.version)
        answers = prompts.walk(content, start, content.scored_modules, lambda a: None, _answer_round(k, population),
                               console)
        shown = console.export_text()
        raised = {r.flag.message for r in assess(content, answers).flags}
        every = {o.flag.message for m in content.scored_modules for q in m.questions for o in q.options if o.flag}
        for message in every:
            assert (message in shown) == (message in raised), (population, k, message[:60])
        band = size_band(content, answers)
        for module in content.scored_modules:
            for q in module.questions:
                for o in q.options:
                    if o.feedback and not applies(o.feedback_sizes, band):
                        assert o.feedback not in shown, (population, o.feedback[:60])


def _flags(content, module: str, given: dict[str, Any], population: int = 20_000) -> dict[tuple[str, str], str]:
    answers = Answers(profile={"nom": "Essai", "type": "commune", "population": population},
                      responses={module: given}, content_version=content.version)
    return {(r.question, r.flag.severity): r.flag.sources[0].source for r in assess(content, answers).flags}


@pytest.mark.parametrize(("module", "given", "expected"), [
    ("prestataire", {"reversibilite": "nsp"}, ("reversibilite", "majeur")),
    ("ressources", {"animation_quotidienne": "non_defini"}, ("animation_quotidienne", "majeur")),
    ("ressources", {"etp": "aucun", "budget_participation": "aucun"}, ("budget_participation", "bloquant")),
    ("evaluation", {"synthese": "prestataire_seul"}, ("synthese", "majeur")),
    ("objectifs", {"niveau_participation": "decider", "lien_decision": "informel"}, ("lien_decision", "majeur")),
])
def test_serious_risks_raise_a_sourced_flag_of_the_right_severity(content, module, given, expected) -> None:
    flags = _flags(content, module, given, population=2_800)
    assert expected in flags and flags[expected] in content.sources


def test_informal_follow_up_is_no_alibi_when_citizens_only_give_their_opinion(content) -> None:
    flags = _flags(content, "objectifs", {"niveau_participation": "consulter", "lien_decision": "informel"})
    assert ("lien_decision", "majeur") not in flags


def test_priority_actions_put_every_major_risk_before_minor_ones(content) -> None:
    from deployer.analysis.assessment import build_report
    from deployer.answers.answers_file import read_answers
    from tests.conftest import EXAMPLES

    for path in sorted(EXAMPLES.glob("*-reponses.yaml")):
        actions = build_report(content, read_answers(path, content), limit=50).actions
        ranks = [{"bloquant": 0, "majeur": 1, "mineur": 2}[a.flag.severity] if a.flag else 3 for a in actions]
        assert ranks == sorted(ranks), path.name
