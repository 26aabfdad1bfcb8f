"""What applies to a collectivité: the one rule for flags, feedback lines and repères.

A flag, an option's feedback or a question's repère may be restricted to some size bands
(``sizes`` in the content). The walk, the score, the workshop, the documents and the live
session all ask this module, so a collectivité never reads in one place a warning that
another place says does not concern it.

Rule: an item without ``sizes`` applies to everyone; an item with ``sizes`` applies only
when the collectivité's band is known (its population is given) and is one of them.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from deployer.schema.models import Flag, Option, Question, Repere

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
