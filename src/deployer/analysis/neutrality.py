"""Neutrality: the cahier des charges must not name a vendor or a product (art. R2111-7 of
the code de la commande publique). The templates never do; this finds the catalogue's names
in what the user typed, so that ``generate`` can warn before the text reaches the document.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from deployer.answers.answers_file import Answers
from deployer.schema.content import Content

# Catalogue names that are also ordinary French words or phrases: they may appear in a
# specification in their ordinary sense (« le consul », « j'en parle au service »,
# « repérage urbain »), so only their exact, capitalised spelling as a brand is searched for.
COMMON_WORDS = frozenset({"CONSUL", "J'en parle", "Repérage Urbain"})


@dataclass(frozen=True)
class Mention:
    """A catalogue name found in an answer the user typed."""

    where: str  # « profil › nom », « objectifs › objectifs_texte »
    name: str


def brand_names(content: Content) -> set[str]:
    """Every name, former name, carrying organisation and id of the catalogue."""
    names: set[str] = set()
    for vendor in content.vendors:
        names |= {vendor.id, vendor.name, *vendor.other_names}
        if vendor.part_of:
            names.add(vendor.part_of)
    return names


def mentions(text: str, names: set[str]) -> set[str]:
    """Names found in text as whole words (case-insensitive except COMMON_WORDS)."""
    text = text.replace("\u2019", "'")
    found = set()
    for name in names:
        flags = 0 if name in COMMON_WORDS else re.IGNORECASE
        if re.search(rf"(?<!\w){re.escape(name)}(?!\w)", text, flags):
            found.add(name)
    return found


def typed_mentions(content: Content, answers: Answers) -> list[Mention]:
    """Catalogue names in the free text of the answers (the collectivité's name included)."""
    names = brand_names(content)
    texts = [("profil › nom", answers.profile.get("nom"))]
    texts += [
        (f"{module} › {qid}", value)
        for module, given in answers.responses.items()
        for qid, value in given.items()
        if isinstance(value, str) and (q := content.question(module, qid)) is not None and q.type == "texte"
    ]
    return [
        Mention(where, name)
        for where, text in texts
        if isinstance(text, str)
        for name in sorted(mentions(text, names), key=str.lower)
    ]
