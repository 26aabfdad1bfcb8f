"""The guided walk: the only module that prompts (questionary). A loop over content.

Every confirmed answer is written to disk at once (atomically), so Ctrl-C or a
closed terminal never loses anything; ``position`` records where to resume.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import Any

from rich.console import Console
from rich.markup import escape

from deployer.analysis.applicability import repere_for, size_band
from deployer.analysis.assessment import answer_label
from deployer.analysis.feedback import answer_feedback, answer_warnings
from deployer.answers.answers_file import (
    SUFFIX,
    Answers,
    default_path,
    save_answers,
)
from deployer.answers.steps import (  # re-exported with the walk's vocabulary
    PROFILE,
    Step,
    current_value,
    index_after,
    next_unanswered,
    record,
    start_index,
    steps_for,
)
from deployer.documents.terminal import citation, paragraph
from deployer.errors import WalkInterrupted
from deployer.schema.content import Content
from deployer.schema.models import Module
from deployer.walk.questions import (  # re-exported: the walk's vocabulary
    BACK,
    SKIP,
    ask_question,
    asked,
    columns,
    one_line,
    prompt_style,
)

Ask = Callable[[Step, Any, bool], Any]


def walk(
    content: Content,
    answers: Answers,
    modules: list[Module],
    save: Callable[[Answers], None],
    ask: Ask | None = None,
    console: Console | None = None,
) -> Answers:
    """Ask every step from where the user stopped; save after each answer.

    Each confirmed answer is on disk before anything else is shown (feedback, the module
    review): an interruption at any prompt loses nothing. At the end, questions left
    without an answer (« Passer ») are offered once more.
    """
    ask = ask or ask_question
    console = console or Console(highlight=False)
    profile_done = all(answers.profile.get(q.id) is not None for q in content.profile.questions)
    steps = steps_for(content, answers, modules)
    index = start_index(steps, answers, profile_done)
    reviewing: str | None = None  # a module whose review sent the user back to one question
    shown: str | None = None  # the module of the last question shown
    if index == len(steps):  # nothing left to ask (e.g. « --module » on a done module): review
        index, reviewing = _review_answered(steps, answers, console)
    while True:
        while index < len(steps):
            step = steps[index]
            _announce(console, content, step, size_band(content, answers),
                      header=step.number == 1 or step.module != shown)
            shown = step.module
            value = ask(step, current_value(answers, step), index > 0)
            if value == BACK:
                index = max(0, index - 1)
                continue
            if value != SKIP:
                answers = record(answers, step, value)
            steps = steps_for(content, answers, modules)
            index = next_unanswered(steps, answers, index_after(steps, step))
            answers = _saved(answers, steps, index, save)
            if value != SKIP:
                _echo(console, step, value)
                _feedback(console, content, step, answers)
            end_of_module = index == len(steps) or steps[index].module != step.module
            if step.module != PROFILE and (end_of_module or reviewing == step.module):
                after = next_unanswered(steps, answers, _next_module_index(steps, step.module))
                index = _review(steps, step.module, answers, after, console)
                reviewing = step.module if index != after else None
                answers = _saved(answers, steps, index, save)
        left = [i for i, s in enumerate(steps) if s.module != PROFILE and current_value(answers, s) is None]
        if not left or not _answer_left_now(len(left)):
            return answers
        index = left[0]


def _saved(answers: Answers, steps: list[Step], index: int, save: Callable[[Answers], None]) -> Answers:
    """The answers with the position to resume from, written to disk."""
    answers = replace(answers, position=steps[index].key if index < len(steps) else None)
    save(answers)
    return answers


def _answer_left_now(count: int) -> bool:
    """End of the walk with questions passed: answer them now, or later with --resume?"""
    import questionary

    plural = "s" if count > 1 else ""
    choices = [questionary.Choice("Terminer : j'y répondrai plus tard (deployer start --resume)", False),
               questionary.Choice("Y répondre maintenant", True)]
    answer: bool = asked(questionary.select(
        f"{count} question{plural} sans réponse (passée{plural} ou laissée{plural} vide{plural}).",
        choices=choices, qmark="?", instruction="\n  (flèches ↑ ↓, puis Entrée)", style=prompt_style(),
    ))
    return answer


def _review(steps: list[Step], module: str, answers: Answers, next_index: int, console: Console) -> int:
    """End of a module: show its answers; the user validates or picks one to change."""
    import questionary

    mine = [(i, s) for i, s in enumerate(steps) if s.module == module]
    console.rule(f"Récapitulatif · {escape(mine[0][1].module_title)}")
    width = columns() - 2
    for _, s in mine:  # one line per answer, so that a whole module's recap fits on 24 lines
        console.print(_recap_line(s, _answer_text(s, current_value(answers, s)), width), markup=False,
                      highlight=False, soft_wrap=True)
    # Two short prompts rather than one long list: the answers above stay on screen at 80×24.
    change: bool = asked(questionary.select(
        "Ces réponses vous conviennent-elles ?",
        choices=[questionary.Choice("Valider et continuer", False), questionary.Choice("Modifier une réponse", True)],
        qmark="?", instruction="\n  (flèches ↑ ↓, puis Entrée)", style=prompt_style(),
    ))
    if not change:
        return next_index
    picked: int = asked(questionary.select(
        "Quelle réponse modifier ?",
        choices=[*(questionary.Choice(one_line(f"{s.number}. {s.question.label}", columns() - 4), i)
                   for i, s in mine),
                 questionary.Choice("↩ Aucune : valider et continuer", next_index)],
        qmark="?", instruction="\n  (flèches ↑ ↓, puis Entrée)", style=prompt_style(),
    ))
    return picked


def _recap_line(step: Step, answer: str, width: int) -> str:
    """« 3. Question… → answer » on one line of ``width`` characters at most."""
    answer = one_line(answer, max(20, width // 2))
    return "  " + one_line(f"{step.number}. {step.question.label}", max(10, width - len(answer) - 5)) + f" → {answer}"


def _review_answered(steps: list[Step], answers: Answers, console: Console) -> tuple[int, str | None]:
    """Every module already answered: show each review until the user picks a question."""
    for module in dict.fromkeys(s.module for s in steps if s.module != PROFILE):
        picked = _review(steps, module, answers, len(steps), console)
        if picked != len(steps):
            return picked, module
    return len(steps), None


def _answer_text(step: Step, value: Any) -> str:
    return "(non répondu)" if value is None else answer_label(step.question, value)


def _next_module_index(steps: list[Step], module: str) -> int:
    last = max(i for i, s in enumerate(steps) if s.module == module)
    return last + 1


def _announce(console: Console, content: Content, step: Step, band: str | None, header: bool) -> None:
    """The module's title (at its start, or where a resumed walk re-enters it), then the
    question's number, help, reason and repère (when it concerns the collectivité's size),
    with its source."""
    if header:
        number = f"Module {step.module_number}/{step.module_total}" if step.module_number else "Module 0"
        where = "Profil" if step.module == PROFILE else number
        console.rule(f"{where} · {escape(step.module_title)}")
    q = step.question
    if q.help:
        paragraph(console, f"Aide : {q.help}", style="dim", first="", rest="")
    if q.why:
        paragraph(console, f"Pourquoi cette question : {q.why}", style="dim", first="", rest="")
    repere = repere_for(q, band)
    if repere:
        paragraph(console, f"Repère : {repere.text} ({citation(content, repere.sources)})", style="cyan",
                  first="", rest="")


def _echo(console: Console, step: Step, value: Any) -> None:
    """The answer, in French, where the (erased) prompt was: « ✔ Question → réponse »."""
    text = value if step.question.type in ("texte", "entier") else _answer_text(step, value)
    paragraph(console, f"✔ {step.question.label} → {text}", style="bold", first="", rest="")


def _feedback(console: Console, content: Content, step: Step, answers: Answers) -> None:
    """What the answer calls for, as the live session shows it too: feedback lines and flags
    that concern the collectivité, then contradictions and cross-answer limits."""
    for line in answer_feedback(content, answers, step):
        if line.kind == "feedback":
            paragraph(console, f"→ {line.text}", style="green", first="", rest="  ")
        elif line.flag is not None:
            paragraph(console, f"⚠ [{line.flag.severity}] {line.text}", style="yellow", first="", rest="  ")
    for warning in answer_warnings(content, answers, step):
        paragraph(console, f"⚠ {warning}", style="yellow", first="", rest="  ")


def saver(path: Path) -> Callable[[Answers], None]:
    """A save function writing the answers file atomically at ``path``."""
    return lambda answers: save_answers(path, answers)


# -- a whole session: choose the file, walk, summarise ---------------------------------


class _Session:
    """Where the answers go; the path is known once the collectivité's name is."""

    def __init__(self, path: Path | None) -> None:
        self.path = path

    def save(self, answers: Answers) -> None:
        if self.path is None:
            name = answers.profile.get("nom") or answers.group  # a quiz round is named after the group
            if not name:
                return
            self.path = _free_path(default_path(str(name)))
        save_answers(self.path, answers)


def _free_path(path: Path) -> Path:
    """The path itself, or « …-2 », « …-3 » when a file of that name already exists."""
    candidate, n = path, 2
    while candidate.exists():
        candidate = path.with_name(path.name.replace(SUFFIX, f"-{n}{SUFFIX}"))
        n += 1
    return candidate


def start_session(
    content: Content,
    answers: Answers,
    path: Path | None,
    modules: list[Module],
    console: Console,
    ask: Ask | None = None,
) -> tuple[Answers, Path | None]:
    """Walk and save; on Ctrl-C or a closed terminal raise WalkInterrupted."""
    session = _Session(path)
    try:
        answers = walk(content, answers, modules, session.save, ask, console)
    except (KeyboardInterrupt, EOFError):
        raise WalkInterrupted(str(session.path) if session.path else "") from None
    answers = replace(answers, position=None)
    session.save(answers)
    return answers, session.path
