"""What is shown right after an answer: the options' feedback and the red flags that apply.

Shared by the terminal walk and the live session's pages; the score applies the same rule
(``flag_applies``) to the flags it raises.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

from deployer.answers.answers_file import Answers
from deployer.schema.content import Content
from deployer.schema.models import Flag, Question


@dataclass(frozen=True)
class Feedback:
    """One line shown after an answer: a repère (« feedback ») or a warning (« flag »)."""

    kind: Literal["feedback", "flag"]
    text: str
    flag: Flag | None = None


def size_band(content: Content, answers: Answers) -> str:
    """The collectivité's size band id (the smallest band while the population is unknown)."""
    return content.size_band(answers.population or 0).id


def flag_applies(flag: Flag, band: str) -> bool:
    """Whether a red flag concerns a collectivité of this size band."""
    return not flag.sizes or band in flag.sizes


def answer_feedback(question: Question, value: Any, band: str) -> list[Feedback]:
    """The feedback and the applicable flags of each chosen option, in the options' order of choice."""
    lines: list[Feedback] = []
    for v in value if isinstance(value, list) else [value]:
        option = question.option(v) if isinstance(v, str) else None
        if option and option.feedback:
            lines.append(Feedback("feedback", option.feedback))
        if option and option.flag and flag_applies(option.flag, band):
            lines.append(Feedback("flag", option.flag.message, option.flag))
    return lines
