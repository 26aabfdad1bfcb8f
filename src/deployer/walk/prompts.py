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
from deployer.answers.answers_file import SUFFIX, Answers, default_path, exclusive_problems, save_answers
from deployer.answers.steps import (
    PROFILE,
    Step,
    current_value,
    index_after,
    integer_error,
    next_unanswered,
    parse_integer,
    record,
    start_index,
    steps_for,
)
from deployer.documents.terminal import citation, paragraph
from deployer.errors import WalkInterrupted
from deployer.schema.content import Content
from deployer.schema.models import UNKNOWN, UNKNOWN_LABEL, Module, Question

BACK = "__retour__"
SKIP = "__passer__"

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
    answer: bool = _asked(questionary.select(
        f"{count} question{plural} sans réponse (passée{plural} ou laissée{plural} vide{plural}).",
        choices=choices, qmark="?", instruction="\n  (flèches ↑ ↓, puis Entrée)", style=_style(),
    ))
    return answer


def _review(steps: list[Step], module: str, answers: Answers, next_index: int, console: Console) -> int:
    """End of a module: show its answers; the user validates or picks one to change."""
    import questionary

    mine = [(i, s) for i, s in enumerate(steps) if s.module == module]
    console.rule(f"Récapitulatif · {escape(mine[0][1].module_title)}")
    for _, s in mine:
        paragraph(console, f"{s.question.label} → {_answer_text(s, current_value(answers, s))}", first="  ",
                  rest="    ")
    # Two short prompts rather than one long list: the answers above stay on screen at 80×24.
    change: bool = _asked(questionary.select(
        "Ces réponses vous conviennent-elles ?",
        choices=[questionary.Choice("Valider et continuer", False), questionary.Choice("Modifier une réponse", True)],
        qmark="?", instruction="\n  (flèches ↑ ↓, puis Entrée)", style=_style(),
    ))
    if not change:
        return next_index
    picked: int = _asked(questionary.select(
        "Quelle réponse modifier ?",
        choices=[*(questionary.Choice(_wrapped(s.question.label, 3), i) for i, s in mine),
                 questionary.Choice("↩ Aucune : valider et continuer", next_index)],
        qmark="?", instruction="\n  (flèches ↑ ↓, puis Entrée)", style=_style(),
    ))
    return picked


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


# -- the prompts: one function from a Question to a questionary call -------------------

_BACK_LABEL = "↩ Revenir à la question précédente"
_SKIP_LABEL = "⏭ Passer (répondre plus tard)"


def ask_question(step: Step, current: Any, can_go_back: bool) -> Any:
    """Prompt for one question; return its value, BACK or SKIP. Raises KeyboardInterrupt.

    The question's number is in the prompt itself, so that it stays on screen with the
    question and its choices whatever the help printed above."""
    import questionary

    q = step.question
    label = f"{step.number}/{step.total} · {q.label}"
    if q.type == "choix":
        choices = [questionary.Choice(_wrapped(o.label, 3), o.value) for o in q.options]
        choices += _extra_choices(q, can_go_back)
        default = current if current in [c.value for c in choices] else None
        return _asked(questionary.select(
            _wrapped(label, 2), choices=choices, default=default, qmark="?",
            instruction="\n  (flèches ↑ ↓, puis Entrée)", style=_style(),
        ))
    if q.type == "multiple":
        chosen = current if isinstance(current, list) else []
        choices = [questionary.Choice(_wrapped(o.label, 5), o.value, checked=o.value in chosen) for o in q.options]
        choices += _extra_choices(q, can_go_back)
        picked = _asked(questionary.checkbox(
            _wrapped(label, 2), choices=choices, qmark="?", validate=lambda picked: _checked_error(q, picked),
            instruction="\n  (Espace pour cocher, Entrée pour valider)", style=_style(),
        ))
        specials = [p for p in picked if p in (BACK, SKIP, UNKNOWN)]
        return specials[0] if specials else picked or SKIP  # nothing checked: no answer, not « none »
    return _ask_text(q, label, current, can_go_back)


def _checked_error(q: Question, picked: list[Any]) -> bool | str:
    """An exclusive option (« Aucun… ») checked with another one is refused with the reason."""
    problems = exclusive_problems(q, [p for p in picked if p not in (BACK, SKIP, UNKNOWN)])
    return problems[0] if problems else True


def _wrapped(text: str, indent: int) -> str:
    """Break a long label between words to fit the terminal (prompt_toolkit cuts words or
    truncates choices); continuation lines are indented under the text."""
    import shutil
    import textwrap

    width = max(40, shutil.get_terminal_size().columns - 1) - indent
    return textwrap.fill(text, width, subsequent_indent=" " * indent, break_on_hyphens=False)


def _asked(prompt: Any) -> Any:
    """Ask, then erase the prompt: questionary's own echo is in English (« done (2
    selections) ») and cuts words; the walk echoes the answer itself, in French."""
    prompt.application.erase_when_done = True
    return prompt.unsafe_ask()


def _style() -> Any:
    """prompt_toolkit underlines no-break spaces in yellow; French text is full of them."""
    from prompt_toolkit.styles import Style

    return Style([("nbsp", "nounderline fg:default")])


def _extra_choices(q: Question, can_go_back: bool) -> list[Any]:
    import questionary

    extra: list[Any] = [questionary.Separator()]
    if q.allow_unknown:
        extra.append(questionary.Choice(UNKNOWN_LABEL, UNKNOWN))
    extra.append(questionary.Choice(_SKIP_LABEL, SKIP))
    if can_go_back:
        extra.append(questionary.Choice(_BACK_LABEL, BACK))
    return extra


def _ask_text(q: Question, label: str, current: Any, can_go_back: bool) -> Any:
    import questionary

    hint = "Entrée vide : passer" + ("  ·  « < » : revenir" if can_go_back else "")
    text = _asked(questionary.text(
        _wrapped(label, 2), default="" if current is None else str(current), qmark="?",
        instruction=f"\n  ({hint})", validate=lambda t: _text_error(q, t), style=_style(),
    ))
    text = text.strip()
    if text == "<" and can_go_back:
        return BACK
    if not text:
        return SKIP
    return parse_integer(text) if q.type == "entier" else text


def _text_error(q: Question, text: str) -> bool | str:
    text = text.strip()
    if q.type != "entier" or text in ("", "<"):
        return True
    return integer_error(q, text) or True


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
