"""Contradictions between overlapping questions (e.g. ranking rules asked in two modules).

The content declares which pairs of answers cannot both be true; the walk, ``answers
check``, ``score`` and ``generate`` report each one found, naming both answers.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from deployer.analysis.assessment import answer_label
from deployer.schema.models import AnswerCondition, Contradiction

if TYPE_CHECKING:
    from deployer.answers.answers_file import Answers
    from deployer.schema.content import Content


@dataclass(frozen=True)
class FoundContradiction:
    """A declared contradiction present in the answers, with the answers as the user reads them."""

    contradiction: Contradiction
    answers: list[tuple[str, str, str]]  # (module title, question label, answer label)

    def text(self) -> str:
        """One French paragraph: both answers, then how to settle it."""
        both = " et ".join(f"«\u00a0{q}\u00a0» → «\u00a0{a}\u00a0» ({m})" for m, q, a in self.answers)
        return f"Réponses contradictoires\u00a0: {both}. {self.contradiction.message}"

    def involves(self, module: str, question: str) -> bool:
        """Whether one of the two answers is this question's."""
        return any(c.module == module and c.question == question for c in self.contradiction.answers)


def contradictions(content: Content, answers: Answers) -> list[FoundContradiction]:
    """Every declared contradiction whose two answers are both given."""
    found = []
    for module in content.modules:
        for contradiction in module.contradictions:
            if all(_holds(content, answers, c) for c in contradiction.answers):
                labels = [_labels(content, answers, c) for c in contradiction.answers]
                found.append(FoundContradiction(contradiction, labels))
    return found


def _holds(content: Content, answers: Answers, condition: AnswerCondition) -> bool:
    """The answer is given, its question asked (not hidden by ``when``), and one of the values."""
    from deployer.answers.answers_file import is_asked

    question = content.question(condition.module, condition.question)
    value = answers.get(condition.module, condition.question)
    if question is None or value is None or not is_asked(question, answers.responses.get(condition.module, {})):
        return False
    return any(v in condition.values for v in (value if isinstance(value, list) else [value]))


def _labels(content: Content, answers: Answers, condition: AnswerCondition) -> tuple[str, str, str]:
    module = content.module(condition.module)
    question = content.question(condition.module, condition.question)
    assert module is not None and question is not None  # checked by « deployer content check »
    return module.title, question.label, answer_label(question, answers.get(condition.module, condition.question))
