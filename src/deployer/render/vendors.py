"""The vendor catalogue and the shortlist in the terminal (rich)."""

from __future__ import annotations

from datetime import date

from rich import box
from rich.console import Console
from rich.padding import Padding
from rich.table import Table
from rich.text import Text

from deployer.content import Content
from deployer.errors import DeployerError
from deployer.vendor_match import (
    FIELD_LABELS,
    NOT_A_RECOMMENDATION,
    ORDER_RULE,
    STATUS_LABELS,
    Reason,
    Shortlist,
    VendorFit,
    source_text,
    value_text,
    vendor_facts,
)
from deployer.vendor_model import Vendor

MAX_COMPARED = 4
"""Beyond four columns of facts, an 80-column terminal no longer reads."""


def _console() -> Console:
    return Console(highlight=False)


def _day(day: date) -> str:
    return day.strftime("%d/%m/%Y")


def print_vendor_list(vendors: list[Vendor]) -> None:
    """One line per entry: name, kind, offer model, licence, status, date checked."""
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
    table.add_column("Licence", overflow="fold", max_width=12)
    table.add_column("Statut", overflow="fold")
    table.add_column("Relevé le", min_width=10)
    for v in vendors:
        cells = [v.name, *([v.kind] if wide else []), value_text(v.offer_models.value), v.licence.value,
                 STATUS_LABELS[v.status.value], _day(v.verified_on)]
        table.add_row(*cells)
    console.print(table)
    console.print(f"{len(vendors)} prestataire{'s' if len(vendors) > 1 else ''}. "
                  "Détail et sources : deployer vendors show NOM")


def _staleness(vendor: Vendor, today: date) -> Text | None:
    if not vendor.is_stale(today):
        return None
    return Text(f"Attention : fiche relevée le {_day(vendor.verified_on)}, à revérifier depuis le "
                f"{_day(vendor.review_date)}.", style="bold")


def print_vendor(content: Content, vendor: Vendor, today: date) -> None:
    """Every fact of one entry with its sources and note, and the date it was checked."""
    console = _console()
    title = vendor.name + (f" ({', '.join(vendor.other_names)})" if vendor.other_names else "")
    console.print(Text(title, style="bold"))
    if (warning := _staleness(vendor, today)) is not None:
        console.print(warning)
    for row in vendor_facts(vendor):
        console.print(Text.assemble((f"{row.label} : ", "bold"), row.value))
        if row.sources:
            console.print(Padding(f"Source : {source_text(content, row.sources)}", (0, 0, 0, 4)))
        if row.note:
            console.print(Padding(f"Note : {row.note}", (0, 0, 0, 4)))
    if vendor.notes:
        console.print(Text.assemble(("Remarques : ", "bold"), vendor.notes))
    console.print(f"Fiche : {source_text(content, vendor.sources)}")
    console.print(f"Faits relevés le {_day(vendor.verified_on)} ; à revérifier après le "
                  f"{_day(vendor.review_date)}. Fiabilité de la fiche : {vendor.confidence}.")


def print_comparison(vendors: list[Vendor], today: date) -> None:
    """Facts side by side: one row per catalogue field, one column per provider."""
    if len(vendors) < 2 or len(vendors) > MAX_COMPARED:
        raise DeployerError(f"donnez de 2 à {MAX_COMPARED} prestataires à comparer",
                            hint="Exemple : deployer vendors compare decidim cap-collectif go-vocal")
    facts = [_by_field(v) for v in vendors]
    fields = list(dict.fromkeys(f for rows in facts for f in rows))
    table = Table(show_lines=True, expand=True)
    table.add_column("", style="bold", overflow="fold", ratio=2, min_width=13)
    for v in vendors:
        table.add_column(v.name, overflow="fold", ratio=3)
    for field in fields:
        table.add_row(FIELD_LABELS.get(field, field), *(rows.get(field, "—") for rows in facts))
    table.add_row("Relevé le", *(_day(v.verified_on) + (" (à revérifier)" if v.is_stale(today) else "")
                                 for v in vendors))
    console = _console()
    console.print(table)
    console.print("Sources de chaque fait : deployer vendors show NOM")


def _by_field(vendor: Vendor) -> dict[str, str]:
    values: dict[str, list[str]] = {}
    for row in vendor_facts(vendor):
        values.setdefault(row.field, []).append(row.value)
    return {field: " ; ".join(texts) for field, texts in values.items()}


def _reasons(console: Console, title: str, reasons: tuple[Reason, ...], content: Content) -> None:
    if not reasons:
        return
    console.print(f"  {title}")
    for reason in reasons:
        mark = " [exigence]" if reason.blocking else ""
        console.print(Padding(f"- {reason.text}{mark}", (0, 0, 0, 4)))
        origin = f"champ « {reason.field_label} »"
        if reason.sources:
            origin += f" ; {source_text(content, reason.sources)}"
        console.print(Padding(Text(f"({origin})", style="dim"), (0, 0, 0, 6)))


def _print_fit(console: Console, content: Content, fit: VendorFit) -> None:
    console.print(Text(fit.vendor.name, style="bold"))
    _reasons(console, "Ce qui correspond :", fit.fits, content)
    _reasons(console, "Ce qui ne correspond pas :", fit.misfits, content)
    _reasons(console, "À demander :", fit.questions, content)


def print_shortlist(content: Content, shortlist: Shortlist) -> None:
    """The shortlist, labelled as a starting point; others and set-apart entries after it."""
    console = _console()
    console.print(Text(NOT_A_RECOMMENDATION, style="bold"))
    console.print(ORDER_RULE)
    if shortlist.needs:
        console.print(Text("Vos réponses prises en compte :", style="bold"))
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
    if shortlist.set_apart:
        console.print(Text("\nÉcartées : offres disparues, renommées ou non maintenues", style="bold underline"))
        for v in shortlist.set_apart:
            console.print(f"  - {v.name} : {STATUS_LABELS[v.status.value]} (dernière preuve : {v.status.date})")
