"""Scoring: a pure function of (content, answers) that returns plain, explained data.

Rules (also written in the README):
- a question hidden by its ``when`` condition is left out of the score;
- a question not answered yet is left out of the score and counted as « non répondu »;
- « Je ne sais pas » earns 0 point out of the question's maximum: an unknown is a gap;
- a module's score is earned / possible over the questions actually asked, 0–100;
- the overall score is the mean of the module scores; any « bloquant » flag means
  « pas prêt » whatever the score.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

from deployer.answers import Answers, is_asked
from deployer.content import Content
from deployer.content_model import UNKNOWN, UNKNOWN_LABEL, Flag, Module, Option, Question

Status = Literal["repondu", "nsp", "non_repondu"]
SEVERITY_ORDER = {"bloquant": 0, "majeur": 1, "mineur": 2}
LEVELS = ((70, "prêt"), (40, "en progression"), (0, "à construire"))


@dataclass(frozen=True)
class RaisedFlag:
    """A red flag raised by one answer."""

    module: str
    question: str
    flag: Flag


@dataclass(frozen=True)
class QuestionResult:
    """How one asked question scored."""

    question: Question
    status: Status
    answer: str
    earned: int
    possible: int
    best: str

    @property
    def lost(self) -> int:
        """Points lost on this question."""
        return self.possible - self.earned


@dataclass(frozen=True)
class ModuleScore:
    """A module's score, with the results it is made of."""

    module: Module
    results: list[QuestionResult]
    earned: int
    possible: int

    @property
    def score(self) -> int | None:
        """0–100, or None when no scored question was answered."""
        return round(100 * self.earned / self.possible) if self.possible else None

    @property
    def level(self) -> str:
        """« à construire », « en progression » or « prêt »."""
        return level(self.score)

    @property
    def unanswered(self) -> int:
        """Questions asked but not answered yet."""
        return sum(r.status == "non_repondu" for r in self.results)


@dataclass(frozen=True)
class Assessment:
    """The whole readiness assessment of one answers file."""

    name: str
    size_band: str
    modules: list[ModuleScore]
    flags: list[RaisedFlag]

    @property
    def overall(self) -> int | None:
        """Mean of the module scores."""
        scores = [m.score for m in self.modules if m.score is not None]
        return round(sum(scores) / len(scores)) if scores else None

    @property
    def blocking(self) -> list[RaisedFlag]:
        """Flags that make the collectivité not ready, whatever its score."""
        return [f for f in self.flags if f.flag.severity == "bloquant"]

    @property
    def ready(self) -> bool:
        """Ready to launch a call for tenders: no blocking flag and a « prêt » level."""
        return not self.blocking and level(self.overall) == "prêt"


def level(score: int | None) -> str:
    """The level of a 0–100 score."""
    if score is None:
        return "non évalué"
    return next(name for floor, name in LEVELS if score >= floor)


def option_points(option: Option, band: str) -> int:
    """An option's points for a size band."""
    if isinstance(option.points, int):
        return option.points
    return option.points.get(band, option.points.get("default", 0))


def question_max(question: Question, band: str) -> int:
    """The most points a question can earn for a size band."""
    points = [option_points(o, band) for o in question.options]
    if question.type == "multiple":
        positive = sum(p for p in points if p > 0)
        return min(positive, question.max_points) if question.max_points else positive
    return max([0, *points])


def assess(content: Content, answers: Answers) -> Assessment:
    """Score every module and collect the red flags."""
    band = content.size_band(answers.population or 0).id
    modules = [_score_module(m, answers.responses.get(m.id, {}), band) for m in content.scored_modules]
    flags = [
        flag
        for module in content.scored_modules
        for flag in raised_flags(module, answers.responses.get(module.id, {}), band)
    ]
    flags.sort(key=lambda f: SEVERITY_ORDER[f.flag.severity])
    return Assessment(name=answers.name, size_band=band, modules=modules, flags=flags)


def _score_module(module: Module, given: dict[str, Any], band: str) -> ModuleScore:
    results = [
        _score_question(q, given.get(q.id), band)
        for q in module.questions
        if q.scored and is_asked(q, given)
    ]
    counted = [r for r in results if r.status != "non_repondu"]
    return ModuleScore(
        module=module,
        results=results,
        earned=sum(r.earned for r in counted),
        possible=sum(r.possible for r in counted),
    )


def _score_question(question: Question, value: Any, band: str) -> QuestionResult:
    possible = question_max(question, band)
    best = _best_label(question, band)
    if value is None:
        return QuestionResult(question, "non_repondu", "", 0, possible, best)
    if value == UNKNOWN:
        return QuestionResult(question, "nsp", UNKNOWN_LABEL, 0, possible, best)
    chosen = [question.option(v) for v in (value if isinstance(value, list) else [value])]
    options = [o for o in chosen if o is not None]
    points = sum(option_points(o, band) for o in options)
    earned = max(0, min(points, possible))
    label = " ; ".join(o.label for o in options) or "aucune option cochée"
    return QuestionResult(question, "repondu", label, earned, possible, best)


def _best_label(question: Question, band: str) -> str:
    if question.type == "multiple":
        good = [o.label for o in question.options if option_points(o, band) > 0]
        return " ; ".join(good)
    best = max(question.options, key=lambda o: option_points(o, band))
    return best.label


def raised_flags(module: Module, given: dict[str, Any], band: str) -> list[RaisedFlag]:
    """The red flags raised by a module's answers (only for questions actually asked)."""
    flags = []
    for question in module.questions:
        value = given.get(question.id)
        if value is None or not is_asked(question, given):
            continue
        for v in value if isinstance(value, list) else [value]:
            option = question.option(v) if isinstance(v, str) else None
            if option and option.flag and (not option.flag.sizes or band in option.flag.sizes):
                flags.append(RaisedFlag(module.id, question.id, option.flag))
    return flags
