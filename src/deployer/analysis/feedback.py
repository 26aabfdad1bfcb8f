"""What is shown right after an answer, in the terminal walk and in the live session alike:
the options' feedback lines and the red flags that concern the collectivité (the one rule of
``analysis.applicability``), then contradictions and cross-answer limits the answer reveals.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from deployer.analysis.applicability import answer_flags, combined_flags, feedback_for, size_band
from deployer.analysis.consistency import contradictions
from deployer.answers.answers_file import Answers
from deployer.answers.cross_checks import duration_problem
from deployer.answers.steps import Step, current_value
from deployer.schema.content import Content
from deployer.schema.models import Flag


@dataclass(frozen=True)
class Feedback:
    """One line shown after an answer: a repère (« feedback ») or a warning (« flag »)."""

    kind: Literal["feedback", "flag"]
    text: str
    flag: Flag | None = None


def answer_feedback(content: Content, answers: Answers, step: Step) -> list[Feedback]:
    """The feedback lines and flags the step's answer raises for the collectivité's size; a
    combined flag shows once its last condition is answered."""
    band = size_band(content, answers)
    value = current_value(answers, step)
    lines = [Feedback("feedback", text) for v in (value if isinstance(value, list) else [value])
             if (text := feedback_for(step.question.option(v) if isinstance(v, str) else None, band))]
    module = content.module(step.module)
    if module is None:
        return lines
    given = answers.responses.get(module.id, {})
    combined = [c.flag for c in combined_flags(module, given, band)]
    flags = [f for f in answer_flags(module, step.question, given, band) if f not in combined]
    flags += [c.flag for c in combined_flags(module, given, band) if step.question.id in {w.question for w in c.all}]
    return lines + [Feedback("flag", flag.message, flag) for flag in flags]


def answer_warnings(content: Content, answers: Answers, step: Step) -> list[str]:
    """Contradictions with an overlapping question answered earlier, and cross-answer limits
    (the contract's whole length) that this answer breaks."""
    warnings = [found.text() for found in contradictions(content, answers)
                if found.involves(step.module, step.question.id)]
    module = content.module(step.module)
    limit = module.duration_limit if module else None
    asked = (limit.months, limit.renewals, limit.renewal_months, limit.unless.question if limit.unless else None,
             ) if limit else ()
    if module is not None and limit is not None and step.question.id in asked:
        problem = duration_problem(module, answers.responses.get(module.id, {}))
        if problem:
            warnings.append(problem)
    return warnings
