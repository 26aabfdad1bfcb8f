"""The budget estimate: low / central / high costs of a participation tool, line by line, the
valeur estimée du besoin, and the procurement route it implies at the consultation's launch date.

Pure functions of (content, answers): every figure and every French sentence about the domain
comes from content/budget.yaml and content/procurement.yaml.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Any

from deployer.answers.answers_file import Answers
from deployer.errors import ContentError, DeployerError
from deployer.french import euros, lcfirst, number, percent, short
from deployer.schema.models import UNKNOWN

if TYPE_CHECKING:
    from deployer.schema.budget import BudgetModel, CostItem, StaffReference
    from deployer.schema.content import Content
    from deployer.schema.models import Question, SizeBand, SourceRef
    from deployer.schema.procurement import Band, Message, ProcurementRules, ThresholdKind

THRESHOLD_KINDS: tuple[ThresholdKind, ...] = ("dispense", "publicite", "europeen")
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
        return Range(_round10(self.low * factor), _round10(self.central * factor), _round10(self.high * factor))

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
    rule: Note
    route: Choice
    route_low: Choice
    route_high: Choice
    publicity: Choice
    thresholds: tuple[ThresholdUsed, ...]
    purchasing_central: Note
    verified_on: date
    verified_note: str


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
    total_months: int
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

    def group(self, group_id: str) -> GroupTotal:
        """A family of costs by id (« prestataire », « programme », « interne »)."""
        return next(g for g in self.groups if g.id == group_id)

    @property
    def contract_lines(self) -> tuple[BudgetLine, ...]:
        """The lines bought from the provider: they make the valeur estimée du besoin."""
        return tuple(line for line in self.lines if line.in_contract)

    @property
    def estimated_value(self) -> Range:
        """The valeur estimée du besoin, HT, over the whole duration."""
        return sum((line.total for line in self.contract_lines), ZERO)


# -- small helpers ----------------------------------------------------------------------


def _round10(value: float) -> int:
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


def _one_year_after(day: date) -> date:
    try:
        return day.replace(year=day.year + 1)
    except ValueError:  # 29 February
        return day.replace(year=day.year + 1, day=28)


class _Collector:
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


# -- reading and checking the inputs ----------------------------------------------------


def budget_model(content: Content) -> BudgetModel:
    """The budget figures, or ContentError if content/budget.yaml is missing."""
    if content.budget is None:
        raise ContentError(
            f"le fichier budget.yaml est absent du contenu ({content.root})",
            hint="Le contenu livré avec deployer en contient un : recopiez-le dans votre dossier de contenu.",
        )
    return content.budget


def _allowed(question: Question | None, fallback: Iterable[str] | None) -> list[str] | None:
    """The values a question allows; ``fallback`` (None: any) when the question is absent."""
    if question is not None:
        return question.allowed_values
    return list(fallback) if fallback is not None else None


def _hint(allowed: list[str] | None) -> str:
    return f"Valeurs permises : {', '.join(allowed)}." if allowed else "Cette question est absente du contenu."


def check_population(content: Content, value: Any) -> int:
    """A population from the profile or the command line; DeployerError if it is not one."""
    question = next((q for q in content.profile.questions if q.id == "population"), None)
    low = question.min if question and question.min is not None else 1
    high = question.max if question and question.max is not None else None
    if isinstance(value, bool) or not isinstance(value, int) or value < low or (high and value > high):
        limit = f"de {low} à {high}" if high else f"d'au moins {low}"
        raise DeployerError(
            f"nombre d'habitants invalide : « {short(value)} »",
            hint=f"Indiquez un nombre entier {limit} (profil › population).",
        )
    return value


def check_int(content: Content, module: str, question_id: str, value: Any, bounds: tuple[int, int]) -> int:
    """An integer answer within the question's min and max (``bounds`` if the question is absent)."""
    question = content.question(module, question_id)
    low = question.min if question and question.min is not None else bounds[0]
    high = question.max if question and question.max is not None else bounds[1]
    if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
        label = question.label if question else question_id
        raise DeployerError(
            f"valeur invalide pour {module} › {question_id} : « {short(value)} »",
            hint=f"« {label} » attend un nombre entier de {low} à {high}.",
        )
    return value


def check_choice(
    content: Content, module: str, question_id: str, value: Any, fallback: Iterable[str] | None
) -> str:
    """A choice among the question's options (``fallback`` if the question is absent, None: any)."""
    allowed = _allowed(content.question(module, question_id), fallback)
    if not isinstance(value, str) or (allowed is not None and value not in allowed):
        raise DeployerError(f"valeur inconnue pour {module} › {question_id} : « {short(value)} »", hint=_hint(allowed))
    return value


def _check_list(
    content: Content, module: str, question_id: str, values: Any, fallback: Iterable[str] | None
) -> list[str]:
    if values is None:
        return []
    if not isinstance(values, list | tuple):
        allowed = _allowed(content.question(module, question_id), fallback)
        raise DeployerError(f"valeur invalide pour {module} › {question_id} : une liste est attendue",
                            hint=_hint(allowed))
    return [check_choice(content, module, question_id, v, fallback) for v in values]


def _option_label(content: Content, module: str, question_id: str, value: str) -> str:
    question = content.question(module, question_id)
    option = question.option(value) if question else None
    return option.label if option else value


@dataclass(frozen=True)
class _Inputs:
    population: int
    band: SizeBand
    collectivite_type: str | None
    offer_model: str
    features: tuple[str, ...]
    services: tuple[str, ...]
    duration_months: int
    renewals: int
    etp: str | None
    participation_budget: tuple[str, int, int | None] | None

    @property
    def total_months(self) -> int:
        return self.duration_months * (1 + self.renewals)


def _read_population(content: Content, model: BudgetModel, answers: Answers, notes: _Collector) -> int:
    value = answers.profile.get("population")
    if value is None or value == "":
        notes.assume("population", model.messages.default_population, population=number(model.defaults.population))
        return model.defaults.population
    return check_population(content, value)


def _read_offer_model(content: Content, model: BudgetModel, answers: Answers, notes: _Collector) -> str:
    value = answers.get("prestataire", "modele_offre")
    fallback = model.defaults.offer_model
    if value is None or value == UNKNOWN:
        label = _option_label(content, "prestataire", "modele_offre", fallback)
        notes.assume("modele_offre", model.messages.default_offer_model, label=label)
        return fallback
    check_choice(content, "prestataire", "modele_offre", value, [*model.offer_models, UNKNOWN])
    if value not in model.offer_models:
        label = _option_label(content, "prestataire", "modele_offre", value)
        notes.assume("modele_offre", model.messages.unpriced_offer_model, label=label,
                     fallback=_option_label(content, "prestataire", "modele_offre", fallback))
        return fallback
    return str(value)


def _read_duration(content: Content, model: BudgetModel, answers: Answers, notes: _Collector) -> tuple[int, int]:
    months = answers.get("prestataire", "duree_mois")
    renewals = answers.get("prestataire", "reconductions")
    if months is None:
        months = model.defaults.duration_months
        notes.assume("duree_mois", model.messages.default_duration, months=str(months))
    if renewals is None:
        renewals = model.defaults.renewals
        notes.assume("reconductions", model.messages.default_renewals, renewals=str(renewals))
    months = check_int(content, "prestataire", "duree_mois", months, (1, 48))
    renewals = check_int(content, "prestataire", "reconductions", renewals, (0, 3))
    if renewals:
        notes.assume("duree_reconductions", model.messages.renewal_length, months=str(months))
    if months * (1 + renewals) < 12:
        notes.assume("contrat_court", model.messages.short_contract)
    return months, renewals


def _read_lists(
    content: Content, model: BudgetModel, answers: Answers, notes: _Collector
) -> tuple[list[str], list[str]]:
    features = _check_list(content, "prestataire", "fonctionnalites", answers.get("prestataire", "fonctionnalites"),
                           None)
    services = _check_list(content, "prestataire", "prestations", answers.get("prestataire", "prestations"), None)
    if not features:
        notes.assume("fonctionnalites", model.messages.no_features)
    for service in services:
        if service not in model.services:
            label = _option_label(content, "prestataire", "prestations", service)
            notes.assume(f"prestation_{service}", model.messages.unpriced_service, label=label)
    return features, services + _role_services(content, model, answers, services, notes)


def _role_services(content: Content, model: BudgetModel, answers: Answers, services: list[str],
                   notes: _Collector) -> list[str]:
    """Services the role answers (who moderates, who synthesises) give to the titulaire."""
    added = []
    for service, role in model.roles.items():
        answer = answers.get("prestataire", role.question)
        if not isinstance(answer, str):
            continue
        label = _option_label(content, "prestataire", "prestations", service)
        answer_label = _option_label(content, "prestataire", role.question, answer)
        if service in services and answer in role.internal:
            notes.assume(f"conflit_{service}", model.messages.service_role_conflict, label=label, answer=answer_label)
        elif service not in services and answer in role.values:
            notes.assume(f"role_{service}", model.messages.service_by_role, label=label, answer=answer_label)
            added.append(service)
    return added


def role_conflicts(content: Content, answers: Answers) -> tuple[str, ...]:
    """Services asked for in « prestations » that a role answer keeps with the collectivité."""
    if content.budget is None:
        return ()
    services = answers.get("prestataire", "prestations")
    services = services if isinstance(services, list) else []
    return tuple(service for service, role in content.budget.roles.items()
                 if service in services and answers.get("prestataire", role.question) in role.internal)


def hosting_conflict(content: Content, answers: Answers, offer_model: str) -> bool:
    """Whether the offer includes hosting by the titulaire while hosting must stay in-house."""
    checks = content.budget.checks if content.budget else None
    return bool(checks and offer_model in checks.hosted_offer_models
                and answers.get("prestataire", "hebergement") == checks.internal_hosting)


def _read_etp(content: Content, model: BudgetModel, answers: Answers) -> str | None:
    value = answers.get("ressources", "etp")
    if value is None or value == UNKNOWN:
        return None
    check_choice(content, "ressources", "etp", value, [*model.staff.etp_by_answer, UNKNOWN])
    return str(value) if value in model.staff.etp_by_answer else None


def _read_inputs(content: Content, model: BudgetModel, answers: Answers, notes: _Collector) -> _Inputs:
    population = _read_population(content, model, answers, notes)
    offer_model = _read_offer_model(content, model, answers, notes)
    months, renewals = _read_duration(content, model, answers, notes)
    features, services = _read_lists(content, model, answers, notes)
    kind = answers.profile.get("type")
    return _Inputs(
        population=population,
        band=content.size_band(population),
        collectivite_type=kind if isinstance(kind, str) and kind else None,
        offer_model=offer_model,
        features=tuple(dict.fromkeys(features)),
        services=tuple(dict.fromkeys(services)),
        duration_months=months,
        renewals=renewals,
        etp=_read_etp(content, model, answers),
        participation_budget=participation_budget(content, answers),
    )


# -- the participation budget band, read from its option's label -----------------------

_AMOUNT = re.compile(r"(\d+(?:[\s.]\d{3})*)(?:\s*(k|m|millions?)(?![a-zà-ÿ]))?", re.IGNORECASE)
_BELOW = ("moins", "jusqu", "<", "inférieur", "sous")
_ABOVE = ("plus", "au-delà", ">", "supérieur", "partir")


def band_from_text(text: str) -> tuple[int, int | None] | None:
    """« De 7 000 à 80 000 € » → (7000, 80000); « Plus de 100 000 € » → (100000, None)."""
    amounts = [_to_euros(digits, unit) for digits, unit in _AMOUNT.findall(text)]
    lowered = text.lower()
    if not amounts:
        return (0, 0) if "aucun" in lowered else None
    if len(amounts) >= 2:
        return min(amounts[:2]), max(amounts[:2])
    if any(word in lowered for word in _BELOW):
        return 0, amounts[0]
    if any(word in lowered for word in _ABOVE):
        return amounts[0], None
    return amounts[0], amounts[0]


def _to_euros(digits: str, unit: str) -> int:
    value = int(re.sub(r"[\s.]", "", digits))
    factor = {"k": 1_000, "m": 1_000_000}.get(unit[:1].lower(), 1) if unit else 1
    return value * factor


def participation_budget(content: Content, answers: Answers) -> tuple[str, int, int | None] | None:
    """The annual participation budget band answered (label, low, high or None), if known.

    The bands are the options of ressources.budget_participation, whatever they are: their
    amounts are read from the option's label (or value), so the question can change freely.
    """
    value = answers.get("ressources", "budget_participation")
    question = content.question("ressources", "budget_participation")
    if not isinstance(value, str) or value == UNKNOWN or question is None:
        return None
    option = question.option(value)
    if option is None:
        return None
    band = band_from_text(option.label) or band_from_text(value.replace("_", " "))
    return (option.label, band[0], band[1]) if band else None


# -- the cost lines ---------------------------------------------------------------------


def _per_year(total: Range, months: int) -> Range:
    return total.scaled(12 / max(months, 12))


def _cost_line(line_id: str, group: str, item: CostItem, inputs: _Inputs, notes: _Collector) -> BudgetLine:
    amounts = item.amounts(inputs.band.id)
    if amounts is None:
        raise ContentError(
            f"budget.yaml : le poste « {item.label} » n'a pas de montant pour la tranche « {inputs.band.id} »",
            hint="Ajoutez cette tranche à by_band, ou donnez un montant unique (amount).",
        )
    unit = Range(*amounts)
    months = inputs.total_months
    total = unit.scaled(months / 12) if item.recurrence == "annuel" else unit
    return BudgetLine(
        id=line_id,
        label=item.label,
        group=group,
        recurrence=item.recurrence,
        unit=unit,
        total=total,
        per_year=_per_year(total, months),
        in_contract=item.in_contract,
        citations=notes.cite(item.sources),
        assumption=item.assumption,
    )


def _cost_items(model: BudgetModel, inputs: _Inputs) -> list[tuple[str, str, CostItem]]:
    offer = model.offer_models[inputs.offer_model]
    items = [("licence", "prestataire", offer.licence), ("mise_en_place", "prestataire", offer.setup)]
    items += [(f"module_{f}", "prestataire", model.features[f]) for f in inputs.features if f in model.features]
    items += [(f"prestation_{s}", "prestataire", model.services[s]) for s in inputs.services if s in model.services]
    items += [(key, "programme", item) for key, item in model.programme.items()]
    return items


def _staff_etp(model: BudgetModel, inputs: _Inputs, notes: _Collector) -> tuple[float, float, float]:
    if inputs.etp is not None:
        return model.staff.etp_by_answer[inputs.etp]
    reference = model.staff.reference(inputs.population)
    notes.assume("etp", model.messages.unknown_etp, etp=etp_text(reference.unknown_etp), reported=reference.reported)
    return reference.unknown_etp


def _staff_line(
    model: BudgetModel, inputs: _Inputs, etp: tuple[float, float, float], cost: tuple[int, bool], notes: _Collector
) -> BudgetLine:
    per_etp, is_default = cost
    unit = Range(*(_round10(e * per_etp) for e in etp))
    total = Range(*(_round10(e * per_etp * inputs.total_months / 12) for e in etp))
    assumption = model.staff.etp_assumption
    if is_default:
        assumption += " " + model.staff.cost_assumption.format(cost=euros(per_etp))
    reference = model.staff.reference(inputs.population)
    return BudgetLine(
        id="temps_interne",
        label=f"{model.staff.label} ({etp_text(etp)} ETP)",
        group="interne",
        recurrence="annuel",
        unit=unit,
        total=total,
        per_year=_per_year(total, inputs.total_months),
        in_contract=False,
        citations=notes.cite([*model.staff.sources, *reference.sources]),
        assumption=assumption,
    )


def _group_total(group_id: str, label: str, lines: Iterable[BudgetLine], months: int,
                 citations: tuple[Citation, ...] = ()) -> GroupTotal:
    total = sum((line.total for line in lines), ZERO)
    return GroupTotal(group_id, label, total, _per_year(total, months), citations)


# -- procurement ------------------------------------------------------------------------


def _threshold_used(rules: ProcurementRules, kind: ThresholdKind, day: date, notes: _Collector) -> ThresholdUsed:
    threshold, in_period = rules.threshold_on(kind, day)
    if not in_period:
        notes.warn(f"seuil_{kind}", rules.messages.out_of_period, label=threshold.label, date=date_fr(day),
                   amount=euros(threshold.amount_ht), period=period_fr(threshold.valid_from, threshold.valid_until))
    return ThresholdUsed(
        kind=kind, label=threshold.label, amount_ht=threshold.amount_ht, valid_from=threshold.valid_from,
        valid_until=threshold.valid_until, legal_basis=threshold.legal_basis, note=threshold.note,
        citations=notes.cite(threshold.sources), in_period=in_period,
    )


def period_fr(start: date, end: date | None) -> str:
    """« du 1er janvier 2026 au 31 décembre 2027 », « depuis le 1er avril 2026 »."""
    return f"du {date_fr(start)} au {date_fr(end)}" if end else f"depuis le {date_fr(start)}"


def _choice(band: Band, notes: _Collector) -> Choice:
    return Choice(band.id, band.label, band.explanation, notes.cite(band.sources))


def _procurement(rules: ProcurementRules, value: Range, inputs: _Inputs, today: date,
                 notes: _Collector) -> ProcurementAdvice:
    thresholds = tuple(_threshold_used(rules, kind, today, notes) for kind in THRESHOLD_KINDS)
    if today > _one_year_after(rules.verified_on):
        notes.warn("seuils_anciens", rules.messages.stale, verified_on=date_fr(rules.verified_on))
    routes = [rules.route_for(v, today) for v in value.values]
    if len({r.id for r in routes}) > 1:
        names = "\u00a0» à «\u00a0".join(dict.fromkeys(lcfirst(r.label) for r in routes))
        notes.warn("voie_incertaine", rules.messages.straddle, low=euros(value.low), high=euros(value.high),
                   routes=names)
    if inputs.total_months > rules.framework_max_months:
        notes.warn("duree_longue", rules.messages.long_duration, months=str(inputs.total_months),
                   max_months=str(rules.framework_max_months))
    low, central, high = (_choice(r, notes) for r in routes)
    return ProcurementAdvice(
        launch_date=today,
        estimated_value=value,
        rule=Note("valeur_estimee", rules.estimated_value.text, notes.cite(rules.estimated_value.sources)),
        route=central,
        route_low=low,
        route_high=high,
        publicity=_choice(rules.publicity_for(value.central, today), notes),
        thresholds=thresholds,
        purchasing_central=Note("centrale", rules.purchasing_central.text,
                                notes.cite(rules.purchasing_central.sources)),
        verified_on=rules.verified_on,
        verified_note=rules.verified_note,
    )


# -- sanity warnings --------------------------------------------------------------------


def _warn_trial(model: BudgetModel, inputs: _Inputs, notes: _Collector) -> None:
    checks = model.checks
    if inputs.offer_model != checks.trial_offer_model:
        return
    if inputs.duration_months > checks.trial_max_months or inputs.renewals > 0:
        notes.warn("essai_perenne", model.messages.trial_lasting, months=str(inputs.duration_months),
                   renewals=str(inputs.renewals))


def _warn_staff(model: BudgetModel, inputs: _Inputs, notes: _Collector) -> None:
    reference: StaffReference = model.staff.reference(inputs.population)
    if inputs.etp is None or reference.floor_etp is None:
        return
    etp = model.staff.etp_by_answer[inputs.etp]
    if etp[1] < reference.floor_etp:
        notes.warn("temps_insuffisant", model.messages.staff_below, etp=etp_text(etp),
                   population=number(inputs.population), reported=reference.reported)


def _warn_share(model: BudgetModel, inputs: _Inputs, tool: GroupTotal, notes: _Collector) -> None:
    if inputs.participation_budget is None:
        notes.assume("budget_participation", model.messages.unknown_participation_budget)
        return
    label, low, high = inputs.participation_budget
    reference = high if high is not None else low
    spent = tool.per_year.central
    if spent <= 0:
        return
    share = spent / reference if reference > 0 else math.inf
    if share > model.checks.share_caution:
        shown = percent(round(share * 100)) if math.isfinite(share) else "plus de 100\u00a0%"
        notes.warn("part_budget", model.messages.tool_share, share=shown, budget=lcfirst(label), tool=euros(spent))


def _warn_stale_budget(model: BudgetModel, today: date, notes: _Collector) -> None:
    if today > _one_year_after(model.verified_on):
        notes.warn("montants_anciens", model.messages.stale, verified_on=date_fr(model.verified_on))


# -- the estimate -----------------------------------------------------------------------


def _staff_cost(model: BudgetModel, value: int | None, notes: _Collector) -> tuple[int, bool]:
    if value is None:
        return model.staff.cost_per_etp, True
    if isinstance(value, bool) or not isinstance(value, int) or not 0 < value <= 1_000_000:
        raise DeployerError(
            f"coût annuel d'un ETP invalide : « {short(value)} »",
            hint="Indiquez un nombre entier d'euros, supérieur à 0 et au plus 1 000 000.",
        )
    notes.assume("cout_etp", model.messages.staff_cost_user, cost=euros(value))
    return value, False


def _totals(model: BudgetModel, lines: list[BudgetLine], months: int,
            notes: _Collector) -> tuple[tuple[GroupTotal, ...], GroupTotal, GroupTotal]:
    groups = tuple(
        _group_total(gid, info.label, [line for line in lines if line.group == gid], months, notes.cite(info.sources))
        for gid, info in model.groups.items()
    )
    external = _group_total("externe", "Achats externes", [line for line in lines if line.group != "interne"], months)
    grand = _group_total("total", "Coût complet", lines, months)
    return groups, external, grand


def estimate_budget(
    content: Content, answers: Answers, *, today: date, staff_cost_per_etp: int | None = None
) -> BudgetEstimate:
    """The budget estimate for these answers and a consultation launched on ``today``.

    Missing answers are replaced by the assumptions of budget.yaml, each written out in
    ``assumptions``; an answer out of bounds raises DeployerError.
    """
    model = budget_model(content)
    notes = _Collector(content)
    inputs = _read_inputs(content, model, answers, notes)
    cost = _staff_cost(model, staff_cost_per_etp, notes)
    etp = _staff_etp(model, inputs, notes)
    lines = [_cost_line(i, g, item, inputs, notes) for i, g, item in _cost_items(model, inputs)]
    lines.append(_staff_line(model, inputs, etp, cost, notes))
    groups, external, grand = _totals(model, lines, inputs.total_months, notes)
    contract = sum((line.total for line in lines if line.in_contract), ZERO)
    procurement = None
    if content.procurement is None:
        notes.warn("sans_seuils", model.messages.no_procurement)
    else:
        procurement = _procurement(content.procurement, contract, inputs, today, notes)
    _warn_trial(model, inputs, notes)
    if hosting_conflict(content, answers, inputs.offer_model):
        notes.warn("hebergement_contradictoire", model.messages.hosting_conflict,
                   label=_option_label(content, "prestataire", "modele_offre", inputs.offer_model))
    _warn_staff(model, inputs, notes)
    _warn_share(model, inputs, next(g for g in groups if g.id == "prestataire"), notes)
    _warn_stale_budget(model, today, notes)
    return _estimate(content, model, inputs, lines, (groups, external, grand), procurement, notes, today, cost, etp)


def _estimate(content: Content, model: BudgetModel, inputs: _Inputs, lines: list[BudgetLine],
              totals: tuple[tuple[GroupTotal, ...], GroupTotal, GroupTotal], procurement: ProcurementAdvice | None,
              notes: _Collector, today: date, cost: tuple[int, bool],
              etp: tuple[float, float, float]) -> BudgetEstimate:
    groups, external, grand = totals
    observed = tuple(
        Observed(o.collectivite, o.population, o.project, o.amount, notes.cite(o.sources))
        for o in model.observations if o.band == inputs.band.id
    )
    kind = inputs.collectivite_type
    return BudgetEstimate(
        today=today,
        population=inputs.population,
        size_band=inputs.band.label,
        collectivite_type=_profile_label(content, kind) if kind else None,
        offer_model=inputs.offer_model,
        offer_model_label=_option_label(content, "prestataire", "modele_offre", inputs.offer_model),
        features=tuple(_option_label(content, "prestataire", "fonctionnalites", f) for f in inputs.features),
        services=tuple(_option_label(content, "prestataire", "prestations", s) for s in inputs.services),
        service_ids=inputs.services,
        duration_months=inputs.duration_months,
        renewals=inputs.renewals,
        total_months=inputs.total_months,
        staff_cost_per_etp=cost[0],
        staff_etp=etp,
        lines=tuple(lines),
        groups=groups,
        external=external,
        grand_total=grand,
        procurement=procurement,
        assumptions=tuple(notes.assumptions),
        warnings=tuple(notes.warnings),
        observations=observed,
        method=model.method,
        base_features=model.base_features,
        sources=notes.sources(),
    )


def _profile_label(content: Content, value: str) -> str:
    question = next((q for q in content.profile.questions if q.id == "type"), None)
    option = question.option(value) if question else None
    return option.label if option else value


# -- quick estimate from the command line -----------------------------------------------


@dataclass(frozen=True)
class QuickOptions:
    """Optional answers of a quick estimate (``deployer budget --population … --modele …``)."""

    tool_type: str | None = None
    collectivite_type: str | None = None
    features: Sequence[str] = ()
    services: Sequence[str] = ()
    duration_months: int | None = None
    renewals: int | None = None
    etp: str | None = None
    participation_budget: str | None = None
    name: str | None = None


def quick_answers(
    content: Content,
    population: int,
    tool_model: str | None,
    *,
    tool_type: str | None = None,
    collectivite_type: str | None = None,
    features: Sequence[str] = (),
    services: Sequence[str] = (),
    duration_months: int | None = None,
    renewals: int | None = None,
    etp: str | None = None,
    participation_budget: str | None = None,
    name: str | None = None,
) -> Answers:
    """Answers for a quick estimate without an answers file; DeployerError on a bad value.

    ``tool_model`` is a value of prestataire.modele_offre (None: not known); ``tool_type`` is a
    kind of tool of budget.yaml (``tool_types``) that stands for a list of features.
    """
    options = QuickOptions(tool_type, collectivite_type, features, services, duration_months, renewals, etp,
                           participation_budget, name)
    return _quick(content, population, tool_model, options)


def _quick(content: Content, population: int, tool_model: str | None, opts: QuickOptions) -> Answers:
    model = budget_model(content)
    check_population(content, population)
    prestataire: dict[str, Any] = {"modele_offre": _quick_model(content, model, tool_model)}
    features = list(dict.fromkeys([*_tool_features(model, opts.tool_type), *opts.features]))
    prestataire["fonctionnalites"] = _check_list(content, "prestataire", "fonctionnalites", features, None) or None
    prestataire["prestations"] = _check_list(content, "prestataire", "prestations", list(opts.services),
                                             None) or None
    if opts.duration_months is not None:
        prestataire["duree_mois"] = check_int(content, "prestataire", "duree_mois", opts.duration_months, (1, 48))
    if opts.renewals is not None:
        prestataire["reconductions"] = check_int(content, "prestataire", "reconductions", opts.renewals, (0, 3))
    return Answers(profile=_quick_profile(content, population, opts),
                   responses={"prestataire": _without_none(prestataire), "ressources": _quick_resources(content, opts)})


def _quick_model(content: Content, model: BudgetModel, tool_model: str | None) -> str:
    if tool_model is None:
        return UNKNOWN
    return check_choice(content, "prestataire", "modele_offre", tool_model, [*model.offer_models, UNKNOWN])


def _tool_features(model: BudgetModel, tool_type: str | None) -> list[str]:
    if tool_type is None:
        return []
    found = model.tool_type(tool_type)
    if found is None:
        raise DeployerError(
            f"type d'outil inconnu : « {tool_type} »",
            hint="Types permis : " + " ; ".join(f"{t.id} ({t.label})" for t in model.tool_types) + ".",
        )
    return list(found.features)


def _quick_profile(content: Content, population: int, opts: QuickOptions) -> dict[str, Any]:
    profile: dict[str, Any] = {"population": population}
    if opts.name:
        profile["nom"] = opts.name
    if opts.collectivite_type is not None:
        question = next((q for q in content.profile.questions if q.id == "type"), None)
        allowed = question.allowed_values if question else []
        if opts.collectivite_type not in allowed:
            raise DeployerError(
                f"type de collectivité inconnu : « {opts.collectivite_type} »",
                hint=f"Valeurs permises : {', '.join(allowed)}.",
            )
        profile["type"] = opts.collectivite_type
    return profile


def _quick_resources(content: Content, opts: QuickOptions) -> dict[str, Any]:
    resources: dict[str, Any] = {}
    if opts.etp is not None:
        resources["etp"] = check_choice(content, "ressources", "etp", opts.etp, [])
    if opts.participation_budget is not None:
        budget = opts.participation_budget
        resources["budget_participation"] = check_choice(content, "ressources", "budget_participation", budget, [])
    return resources


def _without_none(values: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in values.items() if v is not None}


# -- rendering --------------------------------------------------------------------------
