"""Scoring rules: asked questions only, « je ne sais pas » counts 0, size-aware points, flags."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from deployer.analysis.assessment import assess
from deployer.answers.answers_file import Answers


def alpha(population: int = 50000, **responses: object) -> Answers:
    return Answers(profile={"nom": "T", "population": population}, responses={"alpha": dict(responses)})


def module_score(fixture_content, answers: Answers):  # noqa: ANN201
    return assess(fixture_content, answers).modules[0]


def test_hidden_questions_are_left_out(fixture_content) -> None:
    score = module_score(fixture_content, alpha(service="non", canaux=["a"]))
    assert [r.question.id for r in score.results] == ["service", "canaux"]
    assert (score.earned, score.possible, score.score) == (2, 6, 33)


def test_dont_know_counts_zero_out_of_the_maximum(fixture_content) -> None:
    score = module_score(fixture_content, alpha(service="nsp"))
    assert (score.earned, score.possible) == (0, 3)
    assert score.unanswered == 1  # canaux


def test_unanswered_questions_are_not_counted(fixture_content) -> None:
    score = module_score(fixture_content, alpha())
    assert score.score is None and score.unanswered == 2


def test_points_depend_on_size(fixture_content) -> None:
    small = module_score(fixture_content, alpha(population=2000, service="non"))
    large = module_score(fixture_content, alpha(population=500000, service="non"))
    assert small.score == 67 and large.score == 0


def test_multiple_choice_is_clamped(fixture_content) -> None:
    assert module_score(fixture_content, alpha(canaux=["a", "b"])).earned == 3
    assert module_score(fixture_content, alpha(canaux=["c"])).earned == 0


def test_a_blocking_flag_means_not_ready(fixture_content) -> None:
    result = assess(fixture_content, alpha(service="oui", detail="petit", canaux=["a", "b"]))
    assert [f.flag.severity for f in result.flags] == ["bloquant"]
    assert not result.ready and result.overall == 78


def test_flags_of_hidden_questions_are_ignored(fixture_content) -> None:
    assert assess(fixture_content, alpha(service="non", detail="petit")).flags == []


@given(
    service=st.sampled_from(["oui", "non", "nsp", None]),
    detail=st.sampled_from(["grand", "petit", None]),
    canaux=st.lists(st.sampled_from(["a", "b", "c"]), unique=True),
    population=st.integers(min_value=1, max_value=3_000_000),
)
def test_scores_stay_between_0_and_100_and_lost_points_have_a_practice(
    fixture_content, service, detail, canaux, population
) -> None:
    responses = {k: v for k, v in {"service": service, "detail": detail, "canaux": canaux}.items() if v}
    result = assess(fixture_content, Answers(profile={"population": population}, responses={"alpha": responses}))
    for module in result.modules:
        assert module.score is None or 0 <= module.score <= 100
        assert all(r.question.practices for r in module.results if r.lost)
