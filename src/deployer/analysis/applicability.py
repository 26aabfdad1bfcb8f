"""What applies to a collectivité: the one rule for flags, feedback lines and repères.

A flag, an option's feedback or a question's repère may be restricted to some size bands
(``sizes`` in the content). The walk, the score, the workshop, the documents and the live
session all ask this module, so a collectivité never reads in one place a warning that
another place says does not concern it.

Rule: an item without ``sizes`` applies to everyone; an item with ``sizes`` applies only
when the collectivité's band is known (its population is given) and is one of them.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from deployer.schema.models import UNKNOWN, CombinedFlag, Condition, Flag, Module, Option, Question, Repere

if TYPE_CHECKING:
    from deployer.answers.answers_file import Answers
    from deployer.schema.content import Content


def size_band(content: Content, answers: Answers) -> str | None:
    """The collectivité's size band id, or None while its population is unknown."""
    population = answers.population
    return content.size_band(population).id if population is not None else None


def applies(sizes: list[str] | None, band: str | None) -> bool:
    """Whether an item restricted to ``sizes`` (None: everyone) concerns a band (None: unknown)."""
    return sizes is None or (band is not None and band in sizes)


def flag_for(option: Option | None, band: str | None) -> Flag | None:
    """The option's flag, when it concerns the band."""
    if option is None or option.flag is None:
        return None
    return option.flag if applies(option.flag.sizes, band) else None


def feedback_for(option: Option | None, band: str | None) -> str | None:
    """The option's feedback line, when it concerns the band."""
    if option is None or option.feedback is None:
        return None
    return option.feedback if applies(option.feedback_sizes, band) else None


def repere_for(question: Question, band: str | None) -> Repere | None:
    """The question's repère, when it concerns the band."""
    repere = question.repere
    return repere if repere is not None and applies(repere.sizes, band) else None


def answer_flags(module: Module, question: Question, given: dict[str, Any], band: str | None) -> list[Flag]:
    """The flags one answer raises for a band: its options' flags, the « Je ne sais pas »
    flag, and the combined flags attached to this question whose conditions all hold."""
    value = given.get(question.id)
    if value is None:
        return []
    flags: list[Flag] = []
    if value == UNKNOWN and question.unknown_flag and applies(question.unknown_flag.sizes, band):
        flags.append(question.unknown_flag)
    for v in value if isinstance(value, list) else [value]:
        flag = flag_for(question.option(v) if isinstance(v, str) else None, band)
        if flag is not None:
            flags.append(flag)
    return flags + [c.flag for c in combined_flags(module, given, band) if c.question == question.id]


def combined_flags(module: Module, given: dict[str, Any], band: str | None) -> list[CombinedFlag]:
    """The module's combined flags whose conditions all hold, for a band."""
    return [c for c in module.combined_flags if applies(c.flag.sizes, band) and all(_holds(w, given) for w in c.all)]


def _holds(condition: Condition, given: dict[str, Any]) -> bool:
    value = given.get(condition.question)
    return any(v in condition.values for v in (value if isinstance(value, list) else [value]))
