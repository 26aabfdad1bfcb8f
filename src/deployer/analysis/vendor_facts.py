"""The facts of a catalogue entry as French text, with their sources: labels, dates, citations.

The wording (field and value labels, reasons of documentation gaps) comes from content
(benchmark.yaml › libelles); this module only puts values into it.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Any

from deployer.schema.vendors import OLD_STATUS_YEARS, UNKNOWN, Vendor

if TYPE_CHECKING:
    from deployer.schema.content import Content
    from deployer.schema.models import SourceRef
    from deployer.schema.vendor_wording import VendorWording

OLD_EVIDENCE_YEARS = 3
"""A deciding fact is « ancien » when the year of its newest source is more than 3 years before today's."""
DATA_ACCESS_FIELDS = ("raw_export", "back_office", "api", "contributor_contacts")


def french_date(text: str) -> str:
    """A catalogue date « AAAA-MM-JJ », « AAAA-MM » or « AAAA » written the French way (21/11/2026)."""
    return "/".join(reversed(text.split("-")))


def value_text(wording: VendorWording, value: Any) -> str:
    """A catalogue value as French text (codes of offers and features become labels)."""
    if isinstance(value, list):
        return ", ".join(wording.offres.get(v) or wording.fonctionnalites.get(v) or str(v)
                         for v in value) or wording.aucune_valeur
    return wording.valeurs.get(value, str(value))


def licence_text(wording: VendorWording, vendor: Vendor) -> str:
    """The licence as the buyer needs it: « AGPL-3.0 (édition libre) / propriétaire (édition commerciale) »."""
    licence = wording.licences.get(vendor.licence.value, vendor.licence.value)
    split = vendor.licence_split
    if split is None:
        return licence
    return f"{licence} ({split.free_part}) / {wording.licences[split.rest]} ({split.rest_part})"


def status_text(wording: VendorWording, vendor: Vendor, today: date | None = None) -> str:
    """« actif (dernière preuve : 2024) »; with ``today``, evidence OLD_STATUS_YEARS old or more says so."""
    old = today is not None and vendor.evidence_is_old(today)
    warning = f", il y a plus de {OLD_STATUS_YEARS} ans : statut à revérifier" if old else ""
    return f"{wording.statuts[vendor.status.value]} (dernière preuve : {french_date(vendor.status.date)}{warning})"


def documentation_gaps(vendor: Vendor) -> list[str]:
    """Why an entry is too poorly documented to be compared, as keys of ``lacunes`` (empty when it can be)."""
    gaps = []
    if vendor.confidence == "faible":
        gaps.append("fiabilite_faible")
    if vendor.offer_models.value == UNKNOWN:
        gaps.append("offre_inconnue")
    if vendor.features.value == UNKNOWN:
        gaps.append("fonctionnalites_inconnues")
    return gaps


def gaps_text(wording: VendorWording, vendor: Vendor) -> str:
    """« modèle d'offre inconnu, fonctionnalités inconnues »: the documentation gaps in French."""
    return ", ".join(wording.lacunes.say(gap) for gap in documentation_gaps(vendor))


def old_evidence_rule(wording: VendorWording) -> str:
    """The note explaining « à revérifier » (shown above every shortlist)."""
    return wording.notes.say("a_reverifier", annees=OLD_EVIDENCE_YEARS)


def source_text(content: Content, refs: Iterable[SourceRef]) -> str:
    """« Title, section (date) ; Title (date) » for a fact's sources (an unknown id is shown as is)."""
    parts = []
    for ref in refs:
        source = content.sources.get(ref.source)
        title = f"{source.title}, {ref.section}" if source and ref.section else source.title if source else ref.source
        parts.append(f"{title} ({french_date(source.date)})" if source else title)
    return " ; ".join(dict.fromkeys(parts))


def source_parts(content: Content, source_id: str) -> tuple[str, str | None]:
    """« Title, publisher, date » and the URL (None without one) of a source."""
    source = content.sources.get(source_id)
    if source is None:
        return source_id, None
    return f"{source.title}, {source.publisher}, {french_date(source.date)}", source.url


def source_entry(content: Content, source_id: str) -> str:
    """One line of a numbered source list: « Title, publisher, date : URL »."""
    entry, url = source_parts(content, source_id)
    return f"{entry} : {url}" if url else entry


class SourceIndex:
    """Numbers sources in order of first citation, for « [1] » references and a list at the end."""

    def __init__(self, content: Content) -> None:
        self.content = content
        self.numbers: dict[str, int] = {}

    def cite(self, refs: Iterable[SourceRef]) -> str:
        """« [1] ; [2], README » for a fact's sources."""
        parts = []
        for ref in refs:
            number = self.numbers.setdefault(ref.source, len(self.numbers) + 1)
            parts.append(f"[{number}], {ref.section}" if ref.section else f"[{number}]")
        return " ; ".join(dict.fromkeys(parts))

    def entries(self) -> list[tuple[int, str, str | None]]:
        """(number, « Title, publisher, date », URL) for every source cited so far."""
        return [(n, *source_parts(self.content, source_id)) for source_id, n in self.numbers.items()]


def evidence_date(content: Content, refs: Iterable[SourceRef]) -> str | None:
    """The date of the newest of these sources (None without a dated source)."""
    dates = [s.date for ref in refs if (s := content.sources.get(ref.source)) is not None]
    return max(dates, default=None)


def is_old(evidence: str, today: date) -> bool:
    """Whether evidence dated « AAAA[-MM[-JJ]] » is older than ``OLD_EVIDENCE_YEARS`` (by year)."""
    return int(evidence[:4]) < today.year - OLD_EVIDENCE_YEARS


@dataclass(frozen=True)
class FactRow:
    """One fact of an entry, ready to show: catalogue field and its label, value text, sources, note."""

    field: str
    label: str
    value: str
    sources: tuple[SourceRef, ...] = ()
    note: str | None = None


def vendor_facts(wording: VendorWording, vendor: Vendor, today: date | None = None) -> list[FactRow]:
    """Every fact of the entry, in catalogue order, each with its own sources (with ``today``, a
    status whose evidence is old says so)."""

    def row(field: str, value: str, sources: Iterable[SourceRef] = (), note: str | None = None) -> FactRow:
        return FactRow(field, wording.field_label(field), value, tuple(sources), note)

    def fact(field: str, value: Any) -> FactRow:
        return row(field, value_text(wording, value.value), value.sources, value.note)

    rows = [row("kind", vendor.kind), row("country", vendor.country)]
    rows += [row(key, getattr(vendor, key)) for key in ("part_of", "based_on") if getattr(vendor, key)]
    rows += [fact(key, getattr(vendor, key)) for key in ("offer_models", "open_source")]
    split_sources = tuple(vendor.licence_split.sources) if vendor.licence_split else ()
    rows.append(row("licence", licence_text(wording, vendor), (*vendor.licence.sources, *split_sources),
                    vendor.licence.note))
    if vendor.repository:
        rows.append(row("repository", vendor.repository))
    rows.append(fact("features", vendor.features))
    rows += [fact(f"data_access.{key}", getattr(vendor.data_access, key)) for key in DATA_ACCESS_FIELDS]
    rows += [fact(key, getattr(vendor, key))
             for key in ("hosting", "accessibility", "pricing_model", "purchasing_central")]
    for key in ("listings", "french_clients"):
        rows += [row(key, f.value, f.sources, f.note) for f in getattr(vendor, key)]
    status = vendor.status
    rows.append(row("status", status_text(wording, vendor, today), status.sources, status.note))
    return rows
