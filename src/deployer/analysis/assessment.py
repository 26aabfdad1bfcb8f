"""Scoring: a pure function of (content, answers) that returns plain, explained data.

Rules (also written in the README):
- a question hidden by its ``when`` condition is left out of the score;
- a question not answered yet is left out of the score and counted as « non répondu »;
- « Je ne sais pas » earns 0 point out of the question's maximum: an unknown is a gap;
- a module's score is earned / possible over the questions actually asked, 0–100;
- the overall score is the mean of the module scores; any « bloquant » flag means
  « pas prêt » whatever the score;
- priority actions: questions that lost points or raised a flag, ordered by severity
  (« bloquant », « majeur », « mineur », then no flag), then by the module points the best
  answer would recover, then in content order; one action per good practice, two per
  module at most (blocking flags excepted), five in all.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any, Literal

from deployer.analysis.applicability import answer_flags, repere_for, size_band
from deployer.answers.answers_file import Answers, is_asked
from deployer.schema.content import Content
from deployer.schema.models import UNKNOWN, UNKNOWN_LABEL, Flag, Module, Option, Practice, Question, Repere

Status = Literal["repondu", "nsp", "non_repondu"]
SEVERITY_ORDER = {"bloquant": 0, "majeur": 1, "mineur": 2}
ACTIONS_PER_MODULE = 2
MIN_ANSWERED = 0.8  # share of a module's asked questions that must be answered to judge it
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

    @property
    def complete(self) -> bool:
        """Enough answers to judge the module: at least MIN_ANSWERED of the scored questions
        asked (« Je ne sais pas » is an answer)."""
        return bool(self.results) and (len(self.results) - self.unanswered) >= MIN_ANSWERED * len(self.results)


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
    def incomplete(self) -> list[ModuleScore]:
        """Modules with too few answers to be judged."""
        return [m for m in self.modules if not m.complete]

    @property
    def ready(self) -> bool:
        """Ready to launch a call for tenders: no blocking flag, every module answered
        enough to be judged, and a « prêt » level."""
        return not self.blocking and not self.incomplete and level(self.overall) == "prêt"


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
    known = size_band(content, answers)
    band = known or content.profile.size_bands[0].id  # points: the smallest band until the population is known
    modules = [_score_module(m, answers.responses.get(m.id, {}), band) for m in content.scored_modules]
    flags = [
        flag
        for module in content.scored_modules
        for flag in raised_flags(module, answers.responses.get(module.id, {}), known)
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
    possible, best = _best(question, band)
    if value is None:
        return QuestionResult(question, "non_repondu", "", 0, possible, best)
    if value == UNKNOWN:
        return QuestionResult(question, "nsp", UNKNOWN_LABEL, 0, possible, best)
    options = _chosen(question, value)
    points = sum(option_points(o, band) for o in options)
    earned = max(0, min(points, possible))
    return QuestionResult(question, "repondu", answer_label(question, value), earned, possible, best)


def _chosen(question: Question, value: Any) -> list[Option]:
    chosen = [question.option(v) for v in (value if isinstance(value, list) else [value]) if isinstance(v, str)]
    return [o for o in chosen if o is not None]


def answer_label(question: Question, value: Any) -> str:
    """What the user answered, as they read it."""
    if value == UNKNOWN:
        return UNKNOWN_LABEL
    if not question.options:
        return str(value)
    return "\u202f; ".join(o.label for o in _chosen(question, value)) or "aucune option cochée"


_BEST: dict[tuple[int, str], tuple[Question, int, str]] = {}


def _best(question: Question, band: str) -> tuple[int, str]:
    """The maximum points and the best answer's label for a size band (content is immutable:
    computed once per question and band, which keeps the workshop mode linear and fast)."""
    key = (id(question), band)
    if key not in _BEST or _BEST[key][0] is not question:
        _BEST[key] = (question, question_max(question, band), _best_label(question, band))
    return _BEST[key][1], _BEST[key][2]


def _best_label(question: Question, band: str) -> str:
    if question.type == "multiple":
        good = [o.label for o in question.options if option_points(o, band) > 0]
        return "\u202f; ".join(good)
    top = max(option_points(o, band) for o in question.options)
    best = [o.label for o in question.options if option_points(o, band) == top]  # ties: all of them
    return best[0] if len(best) == 1 else " ou ".join(f"«\u00a0{label}\u00a0»" for label in best)


def raised_flags(module: Module, given: dict[str, Any], band: str | None) -> list[RaisedFlag]:
    """The red flags raised by a module's answers (only for questions actually asked), for
    a size band (None: unknown population, only flags meant for every size apply)."""
    return [
        RaisedFlag(module.id, question.id, flag)
        for question in module.questions
        if is_asked(question, given)
        for flag in answer_flags(module, question, given, band)
    ]


@dataclass(frozen=True)
class Action:
    """A priority action: a question to improve, the practice behind it and why it comes first."""

    rank: int
    module: Module
    question: Question
    answer: str
    best: str
    flag: Flag | None
    gain: int
    practice: Practice | None


@dataclass(frozen=True)
class Benchmark:
    """A repère from the sources, set against the collectivité's own answer."""

    module: Module
    question: Question
    answer: str
    repere: Repere


@dataclass(frozen=True)
class Report:
    """Everything the readiness report shows, as plain data."""

    assessment: Assessment
    actions: list[Action]
    benchmarks: list[Benchmark]
    population: int | None = None
    kind: str | None = None  # the label of the profile answer « type »


def build_report(content: Content, answers: Answers, limit: int = 5) -> Report:
    """Assess the answers, then pick the priority actions and the repères."""
    assessment = assess(content, answers)
    return Report(
        assessment=assessment,
        actions=priority_actions(content, answers, assessment, limit),
        benchmarks=benchmarks(content, answers),
        population=answers.population,
        kind=_profile_label(content, answers, "type"),
    )


def _profile_label(content: Content, answers: Answers, question_id: str) -> str | None:
    question = next((q for q in content.profile.questions if q.id == question_id), None)
    value = answers.profile.get(question_id)
    return answer_label(question, value) if question and value is not None else None


def priority_actions(content: Content, answers: Answers, assessment: Assessment, limit: int = 5) -> list[Action]:
    """The actions that matter most, in the order of the rule in the module docstring."""
    candidates = sorted(_candidates(answers, assessment), key=lambda c: c[0])
    actions: list[Action] = []
    used: set[str] = set()
    for _, action in candidates:
        blocking = action.flag is not None and action.flag.severity == "bloquant"
        if not blocking and sum(a.module.id == action.module.id for a in actions) >= ACTIONS_PER_MODULE:
            continue
        practice = _pick_practice(content, action.question, used)
        if practice is None and action.question.practices:
            continue  # every practice of this question is already an action
        if practice is not None:
            used.add(practice.id)
        actions.append(replace(action, rank=len(actions) + 1, practice=practice))
        if len(actions) == limit:
            break
    return actions


def _candidates(answers: Answers, assessment: Assessment) -> list[tuple[tuple[int, ...], Action]]:
    worst: dict[tuple[str, str], Flag] = {}
    for raised in assessment.flags:  # already sorted by severity: keep the first
        worst.setdefault((raised.module, raised.question), raised.flag)
    found: list[tuple[tuple[int, ...], Action]] = []
    for m_index, score in enumerate(assessment.modules):
        for q_index, question in enumerate(score.module.questions):
            result = next((r for r in score.results if r.question.id == question.id), None)
            counted = result is not None and result.status != "non_repondu"
            gain = round(100 * result.lost / score.possible) if result and counted and score.possible else 0
            flag = worst.get((score.module.id, question.id))
            if not gain and flag is None:
                continue
            severity = SEVERITY_ORDER[flag.severity] if flag else len(SEVERITY_ORDER)
            best = result.best if result else ""  # an unscored question has no best answer
            answer = result.answer if result else answer_label(question, answers.get(score.module.id, question.id))
            action = Action(0, score.module, question, answer, best, flag, gain, None)
            found.append(((severity, -gain, m_index, q_index), action))
    return found


def _pick_practice(content: Content, question: Question, used: set[str]) -> Practice | None:
    free = [content.practices[p] for p in question.practices if p not in used]
    return next((p for p in free if p.examples), free[0] if free else None)


def benchmarks(content: Content, answers: Answers) -> list[Benchmark]:
    """Questions asked and answered that carry a repère taken from a seed document."""
    found = []
    band = size_band(content, answers)
    for module in content.scored_modules:
        given = answers.responses.get(module.id, {})
        for question in module.questions:
            value = given.get(question.id)
            repere = repere_for(question, band)
            if repere is None or value is None or not is_asked(question, given):
                continue
            if any(content.sources[s.source].kind == "seed" for s in repere.sources):
                found.append(Benchmark(module, question, answer_label(question, value), repere))
    return found
