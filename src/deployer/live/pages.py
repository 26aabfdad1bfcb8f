"""What the live session's pages show, as plain values for the templates in templates/live/.

The wording of the questions, help, repères and feedback comes from the content; the
order and the feedback rules from ``answers.steps`` and ``analysis.feedback``, as in
the terminal walk.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from deployer.analysis.applicability import repere_for, size_band
from deployer.analysis.assessment import answer_label
from deployer.analysis.feedback import Feedback, answer_feedback, answer_warnings
from deployer.answers.answers_file import Answers
from deployer.answers.steps import PROFILE, Step, current_value
from deployer.schema.content import Content
from deployer.schema.models import UNKNOWN, UNKNOWN_LABEL, Module, Repere


@dataclass(frozen=True)
class SourceLine:
    """A source as a reader cites it: title, publisher, year, section."""

    title: str
    publisher: str
    year: str
    section: str | None


@dataclass(frozen=True)
class ModuleProgress:
    """A module on the group's page: how many of its asked questions are answered."""

    id: str
    title: str
    number: int
    answered: int
    asked: int
    first: str  # the address of its first unanswered question, or of its recap


@dataclass(frozen=True)
class Echo:
    """The answer just given, shown at the top of the next page, with its feedback."""

    label: str
    answer: str
    lines: list[Feedback]
    warnings: list[str]


def question_url(step: Step) -> str:
    """The address of one question's page."""
    return f"/groupe/question/{step.module}/{step.question.id}"


def recap_url(module: str) -> str:
    """The address of a module's recap."""
    return f"/groupe/recapitulatif/{module}"


def sources(content: Content, repere: Repere | None) -> list[SourceLine]:
    """The sources of a repère, with the year each was published."""
    if repere is None:
        return []
    found = [(content.sources.get(ref.source), ref.section) for ref in repere.sources]
    return [SourceLine(s.title, s.publisher, s.date[:4], section) for s, section in found if s is not None]


def answer_text(step: Step, value: Any) -> str:
    """The answer as the group reads it (the same words as the walk's recap)."""
    if value is None:
        return "(non répondu)"
    if step.question.type in ("texte", "entier"):
        return str(value)
    return answer_label(step.question, value)


def echo(content: Content, answers: Answers, step: Step) -> Echo | None:
    """The answer given to ``step`` and the feedback that applies, as after an answer in the walk."""
    value = current_value(answers, step)
    if value is None:
        return None
    return Echo(step.question.label, answer_text(step, value), answer_feedback(content, answers, step),
                answer_warnings(content, answers, step))


def repere(content: Content, answers: Answers, step: Step) -> Repere | None:
    """The question's repère, when it concerns the collectivité's size (as in the walk)."""
    return repere_for(step.question, size_band(content, answers))


def progress(steps: list[Step], answers: Answers, modules: list[Module]) -> list[ModuleProgress]:
    """The profile (when asked) and each open module, with how far the group got."""
    shown: list[ModuleProgress] = []
    for module_id in dict.fromkeys(s.module for s in steps):
        mine = [s for s in steps if s.module == module_id]
        todo = [s for s in mine if current_value(answers, s) is None]
        first = question_url(todo[0]) if todo else (question_url(mine[0]) if module_id == PROFILE
                                                     else recap_url(module_id))
        module = next((m for m in modules if m.id == module_id), None)
        shown.append(ModuleProgress(module_id, mine[0].module_title, module.order if module else 0,
                                    len(mine) - len(todo), len(mine), first))
    return shown


def choices(step: Step, current: Any) -> list[dict[str, Any]]:
    """The options of a choice question, with « Je ne sais pas » when allowed, and which are checked."""
    chosen = current if isinstance(current, list) else [current]
    options = [(o.value, o.label) for o in step.question.options]
    if step.question.allow_unknown:
        options.append((UNKNOWN, UNKNOWN_LABEL))
    return [{"value": v, "label": label, "checked": v in chosen, "id": f"option-{i}"}
            for i, (v, label) in enumerate(options)]
