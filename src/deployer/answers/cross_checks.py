"""Checks across several answers of a module, declared in the content (e.g. the contract's
whole length): the walk, the answers-file check, ``score`` and ``generate`` report them."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from deployer.schema.content import Content
    from deployer.schema.models import Module


def duration_problem(module: Module, given: dict[str, Any]) -> str | None:
    """Why the module's duration and renewals together exceed the maximum, or None."""
    limit = module.duration_limit
    if limit is None:
        return None
    from deployer.french import counted
    from deployer.schema.models import UNKNOWN

    if limit.unless is not None and given.get(limit.unless.question) in limit.unless.values:
        return None
    months, renewals = given.get(limit.months), given.get(limit.renewals)
    if not (isinstance(months, int) and isinstance(renewals, int)) or not _count(months) or not _count(renewals, True):
        return None
    length = given.get(limit.renewal_months) if limit.renewal_months else None
    each = length if isinstance(length, int) and _count(length) else months  # 0 or no answer: the initial one
    total = months + renewals * each
    if total <= limit.max_months:
        return None
    said = counted(renewals, "reconduction") + (f" de {each}\u00a0mois" if renewals else "")
    message = limit.message.format(months=months, renewals=said, total=total, max_months=limit.max_months)
    if limit.unless is not None and limit.unless_hint and given.get(limit.unless.question) in (None, UNKNOWN):
        message += " " + limit.unless_hint
    return message


def _count(value: Any, zero: bool = False) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and (value >= 0 if zero else value > 0)


def cross_problems(content: Content, responses: dict[str, Any]) -> list[tuple[str, str]]:
    """(where, message) for every cross-answer rule broken by an answers file's ``reponses``.

    A warning, not an error: the limit binds a framework agreement (accord-cadre), and an
    ordinary contract may legally be longer, so files beyond it still load."""
    found = []
    for module in content.modules:
        given = responses.get(module.id)
        if isinstance(given, dict) and module.duration_limit is not None:
            problem = duration_problem(module, given)
            if problem is not None:
                found.append((f"{module.id} › {module.duration_limit.renewals}", problem))
    return found
