"""Workshop mode: many groups' answers side by side, for a trainer and a projector.

The files are read by ``deployer.answers.group_files``; this module only aggregates.

A group « treated » a module (or the quiz) when it answered at least one of its
questions; every count of a module is out of the groups that treated it, and the
others are listed once as « module non traité ». Groups are in natural order of
their names (Groupe 2 before Groupe 10) in every view.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from deployer.analysis.assessment import SEVERITY_ORDER, Assessment, assess
from deployer.answers.answers_file import SUFFIX, Answers, is_asked
from deployer.answers.group_files import GroupFile, Rejected
from deployer.errors import DeployerError
from deployer.french import fold
from deployer.schema.content import Content
from deployer.schema.models import UNKNOWN, Flag, Module, Question, QuizItem, SourceRef


@dataclass(frozen=True)
class GroupScores:
    """One group's scores, module by module (None: module not treated, or nothing scored).

    ``overall`` is the mean over every module shown, so only given to a group that
    treated all of them (None otherwise): groups are compared over the same modules.
    """

    label: str
    file: str
    scores: dict[str, int | None]
    overall: int | None
    upgraded_from: str | None
    treated: list[str] = field(default_factory=list)  # ids of the shown modules it answered


@dataclass(frozen=True)
class OptionCount:
    """How many groups chose one option, and which."""

    value: str
    label: str
    groups: list[str]

    @property
    def count(self) -> int:
        """Number of groups that chose it."""
        return len(self.groups)


@dataclass(frozen=True)
class Spread:
    """The spread of the groups' answers to one choice question."""

    module: str
    question: str
    label: str
    options: list[OptionCount]
    unknown: list[str]  # groups that answered « Je ne sais pas »
    unanswered: list[str]  # asked but not answered yet
    not_asked: list[str]  # hidden for them by an earlier answer
    out_of: int  # groups that treated the module: the denominator of every count


@dataclass(frozen=True)
class FlagCount:
    """A red flag and the groups that raised it."""

    module: str
    question: str
    severity: str
    message: str
    sources: list[SourceRef]
    groups: list[str]
    out_of: int  # groups that treated the flag's module


@dataclass(frozen=True)
class Discussion:
    """A module's discussion prompts and group exercise, from its facilitator notes."""

    module: str
    title: str
    duration_minutes: int
    prompts: list[str]
    exercise: str


@dataclass(frozen=True)
class QuizTally:
    """One « mythes et réalités » statement: who found the expected answer."""

    id: str
    statement: str
    expected: str
    evidence: str
    sources: list[SourceRef]
    right: list[str]
    wrong: dict[str, str]  # group → its answer
    unanswered: list[str]  # played the quiz, skipped this statement
    out_of: int  # groups that played the quiz


@dataclass(frozen=True)
class Workshop:
    """Everything the projector shows, as plain data."""

    content_version: str
    module: str | None
    modules: list[tuple[str, str]]  # (id, title) of the scored modules shown
    groups: list[GroupScores]
    spreads: list[Spread]
    flags: list[FlagCount]
    discussions: list[Discussion]
    quiz: list[QuizTally]
    rejected: list[Rejected] = field(default_factory=list)
    untreated: dict[str, list[str]] = field(default_factory=dict)  # module (or quiz) id → groups

    @property
    def partial_overall(self) -> bool:
        """Whether some group has no « Ensemble » because it did not treat every module shown."""
        return any(g.overall is None and g.treated for g in self.groups)

    @property
    def upgraded(self) -> int:
        """How many files were made with an older content version (upgraded to be read)."""
        return sum(g.upgraded_from is not None for g in self.groups)


# -- aggregating -----------------------------------------------------------------------


def aggregate(
    content: Content, parsed: list[GroupFile], module: str | None = None, rejected: list[Rejected] | None = None
) -> Workshop:
    """The workshop view of every group's answers, for one module or for all."""
    modules = _selected(content, module)
    ordered = sorted(zip(group_labels(parsed), parsed, strict=True), key=lambda pair: natural_key(pair[0]))
    pairs = [(label, g.answers) for label, g in ordered]
    scored = [m for m in modules if m.scored]
    relevant = list({m.id: m for m in [*modules, *content.scored_modules]}.values())
    treated = {label: {m.id for m in relevant if _treated(m, answers)} for label, answers in pairs}
    played = {m.id: [(label, answers) for label, answers in pairs if m.id in treated[label]] for m in modules}
    assessed = {label: assess(content, answers) for label, answers in pairs}  # once per group
    groups = [_group_scores(content, assessed[label], g, label, scored, treated[label]) for label, g in ordered]
    return Workshop(
        content_version=content.version,
        module=module,
        modules=[(m.id, m.title) for m in scored],
        groups=groups,
        spreads=[_spread(m, q, played[m.id]) for m in scored for q in m.questions if q.type in ("choix", "multiple")],
        flags=_flags(scored, played, assessed),
        discussions=[_discussion(m) for m in modules if m.facilitator],
        quiz=[_tally(m, q, played[m.id]) for m in modules for q in m.quiz],
        rejected=list(rejected or []),
        untreated={m.id: [label for label, _ in pairs if m.id not in treated[label]] for m in modules},
    )


def natural_key(label: str) -> list[tuple[int, int, str]]:
    """Sort key: case and accents ignored, numbers by value (« Groupe 2 » before « Groupe 10 »)."""
    return [(1, int(part), "") if part.isdigit() else (0, 0, part) for part in re.split(r"(\d+)", fold(label))]


def _treated(module: Module, answers: Answers) -> bool:
    """Whether the group answered at least one question of the module (of its quiz, for module 0)."""
    given = answers.responses.get(module.id, {})
    ids = [q.id for q in module.questions] if module.scored else [item.id for item in module.quiz]
    return any(given.get(qid) is not None for qid in ids)


def _selected(content: Content, module: str | None) -> list[Module]:
    shown = [m for m in content.modules if m.scored or m.quiz]
    if module is None:
        return shown
    chosen = [m for m in shown if m.id == module]
    if not chosen:
        raise DeployerError(f"module inconnu : {module}", hint=f"Modules permis : {', '.join(m.id for m in shown)}.")
    return chosen


def group_labels(parsed: list[GroupFile]) -> list[str]:
    """Each group's name: « groupe » in its file; else the collectivité's name when every
    file names a different one (e.g. the demo); else the file name. Made unique."""
    names = [g.answers.profile.get("nom") for g in parsed]
    by_name = all(isinstance(n, str) and n.strip() for n in names) and len(set(names)) == len(names)
    labels: list[str] = []
    for g, name in zip(parsed, names, strict=True):
        base = g.answers.group or (str(name) if by_name else g.path.name.removesuffix(SUFFIX).removesuffix(".yaml"))
        label, n = base, 2
        while label in labels:
            label, n = f"{base} ({n})", n + 1
        labels.append(label)
    return labels


def _group_scores(
    content: Content, assessment: Assessment, group: GroupFile, label: str, modules: list[Module], treated: set[str]
) -> GroupScores:
    by_id = {m.module.id: m.score for m in assessment.modules}
    every = all(m.id in treated for m in content.scored_modules)  # the overall score covers them all
    return GroupScores(label, group.path.name, {m.id: by_id[m.id] if m.id in treated else None for m in modules},
                       assessment.overall if every else None, group.upgraded_from,
                       [m.id for m in modules if m.id in treated])


def _spread(module: Module, question: Question, pairs: list[tuple[str, Answers]]) -> Spread:
    chosen: dict[str, list[str]] = {o.value: [] for o in question.options}
    unknown, unanswered, not_asked = [], [], []
    for label, answers in pairs:
        given = answers.responses.get(module.id, {})
        value = given.get(question.id)
        if not is_asked(question, given):
            not_asked.append(label)
        elif value is None:
            unanswered.append(label)
        elif value == UNKNOWN:
            unknown.append(label)
        else:
            for v in value if isinstance(value, list) else [value]:
                chosen.get(v, []).append(label)
    options = [OptionCount(o.value, o.label, chosen[o.value]) for o in question.options]
    return Spread(module.id, question.id, question.label, options, unknown, unanswered, not_asked, len(pairs))


def _flags(
    modules: list[Module], played: dict[str, list[tuple[str, Answers]]], assessed: dict[str, Assessment]
) -> list[FlagCount]:
    found: dict[tuple[str, str, str], tuple[Flag, list[str]]] = {}
    for module in modules:
        for label, _ in played[module.id]:
            for raised in (f for f in assessed[label].flags if f.module == module.id):
                key = (raised.module, raised.question, raised.flag.message)
                groups = found.setdefault(key, (raised.flag, []))[1]
                if label not in groups:
                    groups.append(label)
    counts = [
        FlagCount(m, q, flag.severity, flag.message, list(flag.sources), groups, len(played[m]))
        for (m, q, _), (flag, groups) in found.items()
    ]
    return sorted(counts, key=lambda f: (-len(f.groups), -len(f.groups) / f.out_of, SEVERITY_ORDER[f.severity]))


def _discussion(module: Module) -> Discussion:
    notes = module.facilitator
    assert notes is not None
    return Discussion(module.id, module.title, notes.duration_minutes, list(notes.prompts), notes.exercise)


def _tally(module: Module, item: QuizItem, pairs: list[tuple[str, Answers]]) -> QuizTally:
    right: list[str] = []
    wrong: dict[str, str] = {}
    unanswered: list[str] = []
    for label, answers in pairs:
        value = answers.get(module.id, item.id)
        if value is None:
            unanswered.append(label)
        elif value == item.answer:
            right.append(label)
        else:
            wrong[label] = str(value)
    return QuizTally(item.id, item.statement, item.answer, item.evidence, list(item.sources),
                     right, wrong, unanswered, len(pairs))


@dataclass(frozen=True)
class QuestionProgress:
    """How many groups answered one question, out of those it is asked to (its ``when``)."""

    module: str
    question: str
    label: str
    answered: int
    asked: int


def answered_counts(modules: list[Module], groups: list[Answers]) -> list[QuestionProgress]:
    """For the trainer following a live session: each question's answers so far."""
    counts = []
    for module in modules:
        for question in module.walk_questions:
            asked = [a for a in groups if is_asked(question, a.responses.get(module.id, {}))]
            answered = sum(a.get(module.id, question.id) is not None for a in asked)
            counts.append(QuestionProgress(module.id, question.id, question.label, answered, len(asked)))
    return counts
