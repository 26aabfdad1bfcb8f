"""The plain values a budget estimate is made of (ranges, lines, families, route), the
citation collector, and the French date and number helpers the renderers share."""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from deployer.schema.content import Content
    from deployer.schema.models import SourceRef
    from deployer.schema.procurement import Message

_MONTHS = (
    "janvier", "février", "mars", "avril", "mai", "juin",
    "juillet", "août", "septembre", "octobre", "novembre", "décembre",
)

# -- results (plain data) ---------------------------------------------------------------


@dataclass(frozen=True)
class Range:
    """Low, central and high amounts in euros HT; always low ≤ central ≤ high."""

    low: int
    central: int
    high: int

    def __post_init__(self) -> None:
        if not self.low <= self.central <= self.high:
            raise ValueError(f"fourchette non ordonnée : {self.low}, {self.central}, {self.high}")

    def __add__(self, other: Range) -> Range:
        return Range(self.low + other.low, self.central + other.central, self.high + other.high)

    def scaled(self, factor: float) -> Range:
        """Every amount times ``factor``, rounded to 10 € (rounding keeps the order)."""
        return Range(round10(self.low * factor), round10(self.central * factor), round10(self.high * factor))

    def contains(self, value: float) -> bool:
        """Whether low ≤ value ≤ high."""
        return self.low <= value <= self.high

    @property
    def values(self) -> tuple[int, int, int]:
        """(low, central, high)."""
        return self.low, self.central, self.high


ZERO = Range(0, 0, 0)


@dataclass(frozen=True)
class Citation:
    """A source entry and the part of it that supports a figure."""

    source: str
    title: str
    section: str | None = None

    def __str__(self) -> str:
        repeated = self.section and self.section in self.title  # « …, art. R2122-8, art. R2122-8 »
        return f"{self.title}, {self.section}" if self.section and not repeated else self.title


@dataclass(frozen=True)
class SourceEntry:
    """A cited document, for the list of sources."""

    id: str
    title: str
    publisher: str
    date: str
    url: str | None = None


@dataclass(frozen=True)
class Note:
    """An assumption the estimate made, or a warning; French text with its sources."""

    id: str
    text: str
    citations: tuple[Citation, ...] = ()


@dataclass(frozen=True)
class BudgetLine:
    """One cost line: its amount per year (or once) and over the whole contract."""

    id: str
    label: str
    group: str
    recurrence: str  # « annuel » or « forfait »
    unit: Range  # per year for « annuel », the one-off amount for « forfait »
    total: Range  # over the whole duration, renewals included
    per_year: Range  # average per year (the total when the contract is shorter than a year)
    in_contract: bool  # counts in the valeur estimée du besoin
    citations: tuple[Citation, ...]
    assumption: str | None
    evidence: str | None = None  # which price observations the amount is fitted on
    volume: str | None = None  # « 1,5 démarches accompagnées par an »
    optional: bool = False  # an option (PSE, tranche optionnelle): ordered only if the buyer decides

    @property
    def is_hypothesis(self) -> bool:
        """Whether part of the amount is an assumption rather than a source figure."""
        return self.assumption is not None


@dataclass(frozen=True)
class GroupTotal:
    """A family of costs (platform and services, programme, staff time) and its totals."""

    id: str
    label: str
    total: Range
    per_year: Range
    citations: tuple[Citation, ...] = ()


@dataclass(frozen=True)
class ThresholdUsed:
    """A threshold as applied to the launch date."""

    kind: str
    label: str
    amount_ht: int
    valid_from: date
    valid_until: date | None
    legal_basis: str
    note: str | None
    citations: tuple[Citation, ...]
    in_period: bool


@dataclass(frozen=True)
class Choice:
    """A procurement route or a publicity rule."""

    id: str
    label: str
    explanation: str
    citations: tuple[Citation, ...]


@dataclass(frozen=True)
class ProcurementAdvice:
    """The valeur estimée du besoin and what it implies, for a consultation launched on a date."""

    launch_date: date
    estimated_value: Range
    value_basis: str  # total_duree, maximum_accord_cadre, accord_cadre_sans_maximum
    value_text: str  # how the value was computed, in French
    rule: Note
    route: Choice  # the route documents lead with
    legal_route: Choice  # the most demanding route the plausible range reaches
    route_low: Choice
    route_central: Choice
    route_high: Choice
    straddles: bool  # the plausible range crosses a threshold
    chosen: Note | None  # what the purchasing route the collectivité chose implies
    publicity: Choice
    thresholds: tuple[ThresholdUsed, ...]
    purchasing_central: Note
    verified_on: date
    verified_note: str


@dataclass(frozen=True)
class Lot:
    """One lot of the purchase (or the whole purchase when it is not allotted) and its amounts."""

    id: str
    label: str
    line_ids: tuple[str, ...]
    total: Range  # euros HT over the whole duration, options included
    per_year: Range
    route: Choice | None  # the route this lot follows (a small lot may follow a MAPA)
    small: bool = False  # passed under the « petits lots » rule
    scope: str = ""  # what the lot covers, for candidates (procurement.yaml allotment.lots)


@dataclass(frozen=True)
class SmallLotsRule:
    """The « petits lots » rule (art. R2123-1, 2°) as applied to an allotted purchase."""

    relevant: bool  # the whole purchase reaches the formal procedure
    applies: bool
    lot_ids: tuple[str, ...]
    max_lot_ht: int
    max_share: float
    rule: Note
    outcome: Note | None  # why it applies or not, in French


@dataclass(frozen=True)
class Observed:
    """A cost the Baromètre observed for collectivités of the same size."""

    collectivite: str
    population: str
    project: str
    amount: str
    citations: tuple[Citation, ...]


@dataclass(frozen=True)
class BudgetEstimate:
    """The whole estimate: lines, totals, valeur estimée, route, assumptions and warnings."""

    today: date
    population: int
    size_band: str
    collectivite_type: str | None
    offer_model: str
    offer_model_label: str
    features: tuple[str, ...]
    services: tuple[str, ...]
    duration_months: int
    renewals: int
    renewal_months: int
    total_months: int
    contract_form: str
    contract_form_label: str
    volumes: tuple[tuple[str, float], ...]  # (label, yearly volume) of the services priced by volume
    staff_cost_per_etp: int
    service_ids: tuple[str, ...]  # services bought from the titulaire: prestations and role answers
    staff_etp: tuple[float, float, float]
    lines: tuple[BudgetLine, ...]
    groups: tuple[GroupTotal, ...]
    external: GroupTotal
    grand_total: GroupTotal
    procurement: ProcurementAdvice | None
    assumptions: tuple[Note, ...]
    warnings: tuple[Note, ...]
    observations: tuple[Observed, ...]
    method: str
    base_features: str
    sources: tuple[SourceEntry, ...]
    evidence_count: int = 0  # price observations the platform and services lines are fitted on
    evidence_years: tuple[int, int] | None = None
    lots: tuple[Lot, ...] = ()  # one lot (« Marché unique ») when the purchase is not allotted
    allotted: bool = False
    allotment_rule: Note | None = None
    small_lots: SmallLotsRule | None = None  # None when the purchase is not allotted
    option_ids: tuple[str, ...] = ()  # services bought as options (prestataire.prestations_optionnelles)
    options: tuple[str, ...] = ()  # their French labels
    options_rule: Note | None = None  # options count in the valeur estimée (when there are some)

    def group(self, group_id: str) -> GroupTotal:
        """A family of costs by id (« platform », « services », « programme », « internal »)."""
        return next(g for g in self.groups if g.id == group_id)

    @property
    def contract_lines(self) -> tuple[BudgetLine, ...]:
        """The lines bought from the provider: they make the valeur estimée du besoin."""
        return tuple(line for line in self.lines if line.in_contract)

    @property
    def optional_lines(self) -> tuple[BudgetLine, ...]:
        """The lines bought as options."""
        return tuple(line for line in self.lines if line.optional)

    @property
    def options_total(self) -> Range:
        """The options over the whole duration, euros HT (counted in the valeur estimée)."""
        return sum((line.total for line in self.optional_lines), ZERO)

    def lot_lines(self, lot: Lot) -> tuple[BudgetLine, ...]:
        """The lines of one lot, in the estimate's order."""
        return tuple(line for line in self.lines if line.id in lot.line_ids)

    @property
    def estimated_value(self) -> Range:
        """The valeur estimée du besoin, HT, over the whole duration."""
        return sum((line.total for line in self.contract_lines), ZERO)


# -- small helpers ----------------------------------------------------------------------


def round10(value: float) -> int:
    return int(math.floor(value / 10 + 0.5) * 10)


def date_fr(day: date) -> str:
    """date(2026, 4, 1) → « 1er avril 2026 »."""
    first = "1er" if day.day == 1 else str(day.day)
    return f"{first} {_MONTHS[day.month - 1]} {day.year}"


def decimal_fr(value: float) -> str:
    """0.75 → « 0,75 », 1.0 → « 1 »."""
    return f"{value:.2f}".rstrip("0").rstrip(".").replace(".", ",")


def etp_text(etp: Sequence[float]) -> str:
    """(0.1, 0.3, 0.5) → « 0,1 à 0,5 »."""
    low, high = etp[0], etp[-1]
    return decimal_fr(low) if low == high else f"{decimal_fr(low)} à {decimal_fr(high)}"


def one_year_after(day: date) -> date:
    try:
        return day.replace(year=day.year + 1)
    except ValueError:  # 29 February
        return day.replace(year=day.year + 1, day=28)


class Collector:
    """Resolves citations and gathers the assumptions and warnings of one estimate."""

    def __init__(self, content: Content) -> None:
        self.content = content
        self.cited: dict[str, None] = {}
        self.assumptions: list[Note] = []
        self.warnings: list[Note] = []

    def cite(self, refs: Iterable[SourceRef]) -> tuple[Citation, ...]:
        out: dict[Citation, None] = {}
        for ref in refs:
            source = self.content.sources.get(ref.source)
            self.cited.setdefault(ref.source)
            out.setdefault(Citation(ref.source, source.title if source else ref.source, ref.section))
        return tuple(out)

    def note(self, note_id: str, message: Message, **fields: str) -> Note:
        return Note(note_id, message.text.format(**fields), self.cite(message.sources))

    def assume(self, note_id: str, message: Message, **fields: str) -> None:
        self.assumptions.append(self.note(note_id, message, **fields))

    def warn(self, note_id: str, message: Message, **fields: str) -> None:
        self.warnings.append(self.note(note_id, message, **fields))

    def sources(self) -> tuple[SourceEntry, ...]:
        entries = [self.content.sources.get(i) for i in self.cited]
        return tuple(SourceEntry(s.id, s.title, s.publisher, s.date, s.url) for s in entries if s is not None)


def period_fr(start: date, end: date | None) -> str:
    """« du 1er janvier 2026 au 31 décembre 2027 », « depuis le 1er avril 2026 »."""
    return f"du {date_fr(start)} au {date_fr(end)}" if end else f"depuis le {date_fr(start)}"
