"""The order of the questions, shared by the terminal walk and the live session's pages.

Which questions are asked (``when`` applied), in which order, where to resume, and how a
typed whole number is read: pure functions of (content, answers), no prompt, no file.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from deployer.answers.answers_file import Answers, is_asked
from deployer.schema.content import Content
from deployer.schema.models import Module, Question

PROFILE = "profil"
PROFILE_TITLE = "Profil de la collectivité"


@dataclass(frozen=True)
class Step:
    """One question of the walk, in the profile or in a module."""

    module: str
    question: Question
    number: int  # 1-based position among all the questions of its module, asked or not
    total: int  # all the questions of the module (as « deployer learn » counts them)
    module_number: int  # the module's number in the training (0: profile or module 0)
    module_total: int
    module_title: str

    @property
    def key(self) -> str:
        """« module.question », as stored in ``en_cours``."""
        return f"{self.module}.{self.question.id}"


def current_value(answers: Answers, step: Step) -> Any:
    """The value already given for a step, or None."""
    if step.module == PROFILE:
        return answers.profile.get(step.question.id)
    return answers.get(step.module, step.question.id)


def steps_for(content: Content, answers: Answers, modules: list[Module]) -> list[Step]:
    """The questions to walk, in order, given the answers so far (``when`` applied)."""
    profile = [] if quiz_round(answers, modules) else content.profile.questions
    steps = [
        Step(PROFILE, q, i + 1, len(profile), 0, len(modules), PROFILE_TITLE)
        for i, q in enumerate(profile)
    ]
    for module in modules:
        given = answers.responses.get(module.id, {})
        every = module.walk_questions  # numbered in the whole module: « 3/12 » stays « /12 » when a
        steps += [                     # conditional question appears or disappears
            Step(module.id, q, i + 1, len(every), module.order, len(content.scored_modules), module.title)
            for i, q in enumerate(every) if is_asked(q, given)
        ]
    return steps


def quiz_round(answers: Answers, modules: list[Module]) -> bool:
    """A named group playing only the quiz: no profile asked, the file is named after the group."""
    return answers.group is not None and not answers.profile and not any(m.scored for m in modules)


def start_index(steps: list[Step], answers: Answers, profile_done: bool) -> int:
    """Where to start: the saved position, else the first unanswered question."""
    for i, step in enumerate(steps):
        if answers.position == step.key:
            return i
    for i, step in enumerate(steps):
        if current_value(answers, step) is None and not (profile_done and step.module == PROFILE):
            return i
    return len(steps)


def record(answers: Answers, step: Step, value: Any) -> Answers:
    """The answers with one step's value set."""
    if step.module == PROFILE:
        return answers.with_profile(step.question.id, value)
    return answers.with_answer(step.module, step.question.id, value)


def next_unanswered(steps: list[Step], answers: Answers, start: int) -> int:
    """From ``start``, the first question without an answer: answers given earlier (a
    resumed or hand-written file, an older content version) are not asked again; the
    module review still shows them and lets the user change them."""
    return next((i for i in range(start, len(steps)) if current_value(answers, steps[i]) is None), len(steps))


def index_after(steps: list[Step], done: Step) -> int:
    """The index of the step after ``done`` (the steps may have changed since: ``when``)."""
    keys = [s.key for s in steps]
    return keys.index(done.key) + 1 if done.key in keys else len(steps)


def integer_error(question: Question, text: str) -> str | None:
    """Why a typed whole number is refused (French), or None when it is fine or empty."""
    digits = _digits(text)
    if not digits:
        return None
    if not (digits.isascii() and digits.isdigit()):  # « ² » is a digit to isdigit()
        return f"Tapez un nombre entier, sans unité (par exemple {_example(question)})."
    value = int(digits)
    if (question.min is not None and value < question.min) or (question.max is not None and value > question.max):
        return f"Tapez un nombre entre {question.min} et {question.max}."
    return None


def _example(question: Question) -> int:
    """A plausible value for an integer question: the middle of a small range (24 months), else 42000."""
    if question.max is not None and question.max < 42000:
        return ((question.min or 0) + question.max) // 2
    return 42000


def parse_integer(text: str) -> int:
    """A typed whole number (« 42 000 », with ordinary or no-break spaces) as an int;
    call ``integer_error`` first."""
    return int(_digits(text))


def _digits(text: str) -> str:
    return text.strip().replace(" ", "").replace("\u202f", "").replace("\u00a0", "")
