"""One question of the walk and its prompt: a Question to a questionary call.

The prompts are erased once answered (the walk echoes the answer in French); each prompt
shows the question's number, so that the counter stays on screen with the question."""

from __future__ import annotations

from typing import Any

from deployer.answers.answers_file import exclusive_problems
from deployer.answers.steps import Step, integer_error, parse_integer
from deployer.schema.models import UNKNOWN, UNKNOWN_LABEL, Question

BACK = "__retour__"
SKIP = "__passer__"

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
        return asked(questionary.select(
            _wrapped(label, 2), choices=choices, default=default, qmark="?",
            instruction="\n  (flèches ↑ ↓, puis Entrée)", style=prompt_style(),
        ))
    if q.type == "multiple":
        chosen = current if isinstance(current, list) else []
        choices = [questionary.Choice(_wrapped(o.label, 5), o.value, checked=o.value in chosen) for o in q.options]
        choices += _extra_choices(q, can_go_back)
        picked = asked(questionary.checkbox(
            _wrapped(label, 2), choices=choices, qmark="?", validate=lambda picked: _checked_error(q, picked),
            instruction="\n  (Espace pour cocher, Entrée pour valider)", style=prompt_style(),
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


def asked(prompt: Any) -> Any:
    """Ask, then erase the prompt: questionary's own echo is in English (« done (2
    selections) ») and cuts words; the walk echoes the answer itself, in French."""
    prompt.application.erase_when_done = True
    return prompt.unsafe_ask()


def prompt_style() -> Any:
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
    text = asked(questionary.text(
        _wrapped(label, 2), default="" if current is None else str(current), qmark="?",
        instruction=f"\n  ({hint})", validate=lambda t: text_error(q, t), style=prompt_style(),
    ))
    text = text.strip()
    if text == "<" and can_go_back:
        return BACK
    if not text:
        return SKIP
    return parse_integer(text) if q.type == "entier" else text


def text_error(q: Question, text: str) -> bool | str:
    text = text.strip()
    if q.type != "entier" or text in ("", "<"):
        return True
    return integer_error(q, text) or True


def one_line(text: str, width: int) -> str:
    text = " ".join(text.split(" "))
    return text if len(text) <= width else text[: width - 1].rstrip() + "…"


def columns() -> int:
    import shutil

    return max(40, shutil.get_terminal_size().columns - 1)
