"""What every printed page of a dossier file carries, in every format: the document's title and
object, the collectivité (also the author in the file's properties) and « Projet — version du … »."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from deployer.documents.blocks import xml_safe
from deployer.french import visible


@dataclass(frozen=True)
class PageInfo:
    """The running header and footer of a document, and its properties."""

    title: str  # « Cahier des charges »
    author: str  # the collectivité (user text)
    today: date
    subject: str = ""  # the object of the contract, when the document states one

    def __post_init__(self) -> None:
        object.__setattr__(self, "author", visible(xml_safe(" ".join(self.author.split()))))
        object.__setattr__(self, "subject", visible(xml_safe(self.subject)))

    @property
    def version(self) -> str:
        """« Projet — version du 21/11/2026 »."""
        return f"Projet — version du {self.today:%d/%m/%Y}"

    @property
    def full_title(self) -> str:
        """« Cahier des charges — Ville de Sainte-Claire » (XML-safe, spaces folded)."""
        return xml_safe(f"{self.title} — {' '.join(self.author.split())}")

    @property
    def header(self) -> str:
        """The running header: the object when known, else the title, then the collectivité."""
        what = self.subject or self.title
        return xml_safe(f"{what[:1].upper()}{what[1:]} — {' '.join(self.author.split())}")


_SUBJECT = re.compile(r"^\*\*Objet\s*:\s*(.+?)\*\*\s*$", re.MULTILINE)


def subject_of(markdown: str) -> str:
    """The object of the contract, from a document's « **Objet : …** » line (or "")."""
    match = _SUBJECT.search(markdown)
    return match.group(1).replace("\\", "").strip() if match else ""
