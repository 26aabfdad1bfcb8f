"""The vendor catalogue and the shortlist in the terminal (rich)."""

from __future__ import annotations

from datetime import date
from typing import Any

from rich import box
from rich.console import Console
from rich.padding import Padding
from rich.table import Table
from rich.text import Text

from deployer.analysis.vendor_facts import (
    SourceIndex,
    french_date,
    gaps_text,
    licence_text,
    old_evidence_rule,
    source_text,
    status_text,
    value_text,
    vendor_facts,
)
from deployer.analysis.vendor_match import Reason, Shortlist, VendorFit
from deployer.errors import DeployerError
from deployer.french import fix_typography
from deployer.schema.content import Content
from deployer.schema.vendor_wording import VendorWording
from deployer.schema.vendors import OLD_STATUS_YEARS, Vendor

MAX_COMPARED = 4
"""Beyond four columns of facts, an 80-column terminal no longer reads."""
MIN_COMPARE_COLUMN = 22
"""Below this width per provider, ``compare`` lists the facts field by field instead of a table."""
COMPARE_LABELS = {
    "data_access.raw_export": "Export brut",
    "data_access.contributor_contacts": "Contacts",
    "data_access.back_office": "Back-office",
    "offer_models": "Offre",
    "features": "Fonctions",
    "purchasing_central": "Centrale",
    "french_clients": "Clients FR",
    "listings": "Classements",
    "accessibility": "Accessibilité",
    "pricing_model": "Prix",
    "repository": "Dépôt",
}
"""Short row labels of the comparison table, so that no label is cut at 80 columns."""


class _FrenchConsole(Console):
    """Prints catalogue text as written: French no-break spaces, and no Rich markup (« [exigence] »)."""

    def render_str(self, text: str, **options: Any) -> Text:
        return super().render_str(fix_typography(text), **{**options, "markup": False, "emoji": False})


def _console() -> Console:
    return _FrenchConsole(highlight=False)


def _text(text: str, style: str = "") -> Text:
    return Text(fix_typography(text), style=style)


def _day(day: date) -> str:
    return day.strftime("%d/%m/%Y")


def print_vendor_list(wording: VendorWording, vendors: list[Vendor], today: date | None = None) -> None:
    """One line per entry: name, (kind where wide), offer model, licence, status with its date, date checked."""
    console = _console()
    if not vendors:
        console.print("Aucun prestataire ne correspond à ces filtres.")
        return
    wide = console.width >= 110  # the kind of organisation only where it fits unabridged
    table = Table(box=box.SIMPLE_HEAD, pad_edge=False)
    table.add_column("Nom", overflow="fold")
    if wide:
        table.add_column("Nature", overflow="fold", max_width=30)
    table.add_column("Offre", min_width=14)
    table.add_column("Licence", overflow="fold", max_width=18)
    table.add_column("Statut", overflow="fold", min_width=12)
    table.add_column("Relevé le", min_width=10)
    for v in vendors:
        old = today is not None and v.evidence_is_old(today)
        status = f"{wording.statuts[v.status.value]} ({french_date(v.status.date)}{', preuve ancienne' if old else ''})"
        cells = [v.name, *([v.kind] if wide else []), value_text(wording, v.offer_models.value),
                 licence_text(wording, v),
                 status, _day(v.verified_on)]
        table.add_row(*cells)
    console.print(table)
    console.print(f"{len(vendors)} prestataire{'s' if len(vendors) > 1 else ''}. Statut : d'après la dernière "
                  "preuve datée, dont la date est entre parenthèses ; « preuve ancienne » : "
                  f"{OLD_STATUS_YEARS} ans ou plus, statut à revérifier. Détail et sources : deployer vendors show NOM")


def _staleness(vendor: Vendor, today: date) -> Text | None:
    if not vendor.is_stale(today):
        return None
    return _text(f"Attention : fiche relevée le {_day(vendor.verified_on)}, à revérifier depuis le "
                 f"{_day(vendor.review_date)}.", style="bold")


def print_vendor(content: Content, vendor: Vendor, today: date) -> None:
    """Every fact of one entry with its numbered sources (title, date, URL) and note, and the date checked."""
    console = _console()
    index = SourceIndex(content)
    title = vendor.name + (f" ({', '.join(vendor.other_names)})" if vendor.other_names else "")
    console.print(Text(title, style="bold"))
    if (warning := _staleness(vendor, today)) is not None:
        console.print(warning)
    for row in vendor_facts(content.wording, vendor, today):
        console.print(Text.assemble((fix_typography(f"{row.label} : "), "bold"), fix_typography(row.value)))
        if row.sources:
            console.print(Padding(f"Source : {index.cite(row.sources)}", (0, 0, 0, 4)))
        if row.note:
            console.print(Padding(f"Note : {row.note}", (0, 0, 0, 4)))
    if vendor.notes:
        console.print(Text.assemble((fix_typography("Remarques : "), "bold"), fix_typography(vendor.notes)))
    console.print(f"Fiche : {index.cite(vendor.sources)}")
    console.print(f"Faits relevés le {_day(vendor.verified_on)} ; à revérifier après le "
                  f"{_day(vendor.review_date)}. Fiabilité de la fiche : {vendor.confidence}.")
    if gaps := gaps_text(content.wording, vendor):
        console.print(f"Fiche trop peu documentée pour être comparée ({gaps}).")
    console.print(Text("Sources", style="bold"))
    for number, entry, url in index.entries():
        console.print(Padding(_text(f"[{number}] {entry}" + (" :" if url else "")), (0, 0, 0, 2)))
        if url:  # on one line, so that the terminal keeps it clickable and copyable
            console.print(Text(f"      {url}"), soft_wrap=True)


def print_comparison(wording: VendorWording, vendors: list[Vendor], today: date) -> None:
    """Facts side by side: one row per catalogue field, one column per provider."""
    check_compared(len(vendors))
    facts = [_by_field(wording, v) for v in vendors]
    fields = list(dict.fromkeys(f for rows in facts for f in rows))
    rows = [(COMPARE_LABELS.get(f, wording.field_label(f)), [r.get(f, "—") for r in facts]) for f in fields]
    rows.append(("Relevé le", [_day(v.verified_on) + (" (à revérifier)" if v.is_stale(today) else "")
                               for v in vendors]))
    console = _console()
    label_width = max(len(label) for label, _ in rows)
    if (console.width - label_width - 3 * (len(vendors) + 1)) // len(vendors) >= MIN_COMPARE_COLUMN:
        table = Table(show_lines=True, expand=True)
        table.add_column("", style="bold", no_wrap=True, min_width=label_width)
        for v in vendors:
            table.add_column(v.name, ratio=1, overflow="fold")
        for label, values in rows:
            table.add_row(label, *(fix_typography(v) for v in values))
        console.print(table)
    else:  # too narrow for side by side: one block per fact, one line per provider
        for label, values in rows:
            console.print(Text(label, style="bold underline"))
            grid = Table.grid(padding=(0, 1))
            grid.add_column(style="bold", no_wrap=True)
            grid.add_column()
            for v, value in zip(vendors, values, strict=True):
                grid.add_row(v.name, fix_typography(value))
            console.print(Padding(grid, (0, 0, 0, 2)))
    console.print("Sources de chaque fait : deployer vendors show NOM")


def check_compared(count: int) -> None:
    """Refuse fewer than 2 or more than ``MAX_COMPARED`` providers (before looking any name up)."""
    if count < 2 or count > MAX_COMPARED:
        raise DeployerError(f"donnez de 2 à {MAX_COMPARED} prestataires à comparer (vous en avez donné {count})",
                            hint="Exemple : deployer vendors compare decidim cap-collectif go-vocal")


def _by_field(wording: VendorWording, vendor: Vendor) -> dict[str, str]:
    values: dict[str, list[str]] = {}
    for row in vendor_facts(wording, vendor):
        values.setdefault(row.field, []).append(row.value)
    return {field: " ; ".join(texts) for field, texts in values.items()}


def _reasons(console: Console, title: str, reasons: tuple[Reason, ...], content: Content) -> None:
    if not reasons:
        return
    console.print(f"  {title}")
    for reason in reasons:
        mark = " [exigence]" if reason.blocking else ""
        if reason.old_evidence:
            mark += f" [à revérifier : source de {french_date(reason.old_evidence)}]"
        console.print(Padding(f"- {reason.text}{mark}", (0, 0, 0, 4)))
        origin = f"champ « {content.wording.field_label(reason.field)} »"
        if reason.sources:
            origin += f" ; {source_text(content, reason.sources)}"
        console.print(Padding(_text(f"({origin})", style="dim"), (0, 0, 0, 6)))


def _print_fit(console: Console, content: Content, fit: VendorFit) -> None:
    console.print(Text(fit.vendor.name, style="bold"))
    _reasons(console, "Ce qui correspond :", fit.fits, content)
    _reasons(console, "Ce qui ne correspond pas :", fit.misfits, content)
    _reasons(console, "À demander :", fit.questions, content)


def print_shortlist(content: Content, shortlist: Shortlist, today: date | None = None) -> None:
    """The shortlist, labelled as a starting point; others and set-apart entries after it."""
    console = _console()
    wording = content.wording
    console.print(Text(wording.notes.say("pas_une_recommandation"), style="bold"))
    console.print(wording.notes.say("ordre"))
    console.print(old_evidence_rule(wording))
    if shortlist.needs:
        console.print(_text("Vos réponses prises en compte :", style="bold"))
        for need in shortlist.needs:
            console.print(Padding(f"- {need}", (0, 0, 0, 2)))
    console.print(Text(f"\nOffres à examiner ({len(shortlist.shortlist)})", style="bold underline"))
    for fit in shortlist.shortlist:
        _print_fit(console, content, fit)
    if shortlist.others:
        console.print(Text(f"\nOffres qui s'écartent d'une exigence ({len(shortlist.others)})",
                           style="bold underline"))
        for fit in shortlist.others:
            _print_fit(console, content, fit)
    if shortlist.undocumented:
        console.print(Text(f"\nTrop peu documentées pour être comparées ({len(shortlist.undocumented)})",
                           style="bold underline"))
        console.print(wording.notes.say("non_documentees"))
        for v in shortlist.undocumented:
            console.print(Padding(f"- {v.name} : {gaps_text(wording, v)} ; statut : {status_text(wording, v)}",
                                  (0, 0, 0, 2)))
    if shortlist.set_apart:
        console.print(Text("\nÉcartées : offres disparues, renommées ou non maintenues", style="bold underline"))
        for v in shortlist.set_apart:
            console.print(f"  - {v.name} : {status_text(wording, v)}")
