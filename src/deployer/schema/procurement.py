"""Schema of content/procurement.yaml: dated thresholds of French public procurement, and the
routes and publicity rules they delimit. The lookups by date and by amount live here too."""

from __future__ import annotations

import string
from datetime import date
from itertools import pairwise
from typing import Literal

from pydantic import Field, model_validator

from deployer.schema.models import SourceRef, Strict

ThresholdKind = Literal["dispense", "publicite", "europeen"]


class Threshold(Strict):
    """One value of a threshold (euros HT) and the period it applies to."""

    kind: ThresholdKind = Field(
        description="Seuil concerné : dispense de procédure, publicité au BOAMP ou JAL, seuil européen."
    )
    label: str = Field(description="Nom du seuil, tel qu'affiché.")
    amount_ht: int = Field(gt=0, description="Montant en euros hors taxes.")
    valid_from: date = Field(description="Premier jour où le seuil s'applique (date de lancement).")
    valid_until: date | None = Field(None, description="Dernier jour d'application ; absent si en vigueur.")
    legal_basis: str = Field(description="Article et texte qui fixent le seuil.")
    sources: list[SourceRef] = Field(min_length=1)
    note: str | None = Field(None, description="Précision : régime transitoire, incertitude.")

    def applies_on(self, day: date) -> bool:
        """Whether a consultation launched on ``day`` falls under this value."""
        return self.valid_from <= day and (self.valid_until is None or day <= self.valid_until)


class Band(Strict):
    """A procurement route or a publicity rule, for the values between two thresholds."""

    id: str
    label: str = Field(description="Nom court de la voie ou de la règle.")
    explanation: str = Field(description="Ce qu'elle implique pour l'acheteur.")
    from_threshold: ThresholdKind | None = Field(
        None, description="S'applique à partir de ce seuil (valeur égale ou supérieure)."
    )
    below: ThresholdKind | None = Field(None, description="S'applique sous ce seuil (valeur inférieure).")
    sources: list[SourceRef] = Field(min_length=1)

    def matches(self, value: int, amounts: dict[str, int]) -> bool:
        """Whether a value HT falls in this band, given the thresholds' amounts."""
        above_floor = self.from_threshold is None or value >= amounts[self.from_threshold]
        below_ceiling = self.below is None or value < amounts[self.below]
        return above_floor and below_ceiling


class Text(Strict):
    """A rule stated in French, with its sources."""

    text: str
    sources: list[SourceRef] = Field(min_length=1)


class Message(Strict):
    """A warning shown to the user; ``{nom}`` fields are filled in by the program."""

    text: str
    sources: list[SourceRef] = Field(default_factory=list)


_MESSAGE_FIELDS: dict[str, set[str]] = {
    "stale": {"verified_on"},
    "out_of_period": {"label", "date", "amount", "period"},
    "straddle": {"low", "high", "routes", "route"},
    "long_duration": {"months", "max_months"},
    "framework_no_maximum": set(),
    "maximum_below": {"maximum", "central"},
    "near_threshold": {"label", "amount", "margin", "value"},
    "choice_central": {"route"},
    "choice_competition": {"route"},
    "choice_direct_not_allowed": {"route", "value"},
}


def placeholders(text: str) -> set[str]:
    """The ``{field}`` names used in a message template."""
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


class ProcurementMessages(Strict):
    """Warnings about the procurement route."""

    stale: Message = Field(description="Seuils vérifiés il y a plus d'un an. Champ : {verified_on}.")
    out_of_period: Message = Field(
        description="Aucun seuil connu à la date de lancement. Champs : {label}, {date}, {amount}, {period}."
    )
    straddle: Message = Field(
        description="Les hypothèses basse et haute mènent à des voies différentes. Champs : {low}, {high}, {routes}."
    )
    long_duration: Message = Field(
        description="Durée totale au-delà du maximum des accords-cadres. Champs : {months}, {max_months}."
    )
    framework_no_maximum: Message = Field(description="Accord-cadre sans maximum, réputé au-dessus des seuils.")
    maximum_below: Message = Field(description="Maximum inférieur à l'estimation centrale ({maximum}, {central}).")
    near_threshold: Message = Field(description="Valeur proche d'un seuil ({label}, {amount}, {margin}, {value}).")
    choice_central: Message = Field(description="La collectivité passe par une centrale d'achat ({route}).")
    choice_competition: Message = Field(
        description="Sous le seuil de dispense, la collectivité a choisi une mise en concurrence ({route})."
    )
    choice_direct_not_allowed: Message = Field(
        description="Achat direct choisi alors que la valeur dépasse le seuil de dispense ({route}, {value})."
    )

    @model_validator(mode="after")
    def _known_fields(self) -> ProcurementMessages:
        for name, allowed in _MESSAGE_FIELDS.items():
            unknown = placeholders(getattr(self, name).text) - allowed
            if unknown:
                raise ValueError(f"{name} : champ(s) inconnu(s) {sorted(unknown)} ; permis : {sorted(allowed)}")
        return self


class LotDefinition(Strict):
    """One lot of an allotted purchase and the family of costs it buys."""

    id: str
    label: str = Field(description="Intitulé du lot, tel qu'affiché (« Lot 1 : plateforme »).")
    family: Literal["platform", "services"] = Field(description="Famille de coûts achetée dans ce lot.")
    scope: str = Field(description="Ce que couvre le lot, pour les candidats (cahier des charges, chapitre 2).")


class SmallLots(Strict):
    """The « petits lots » rule (art. R2123-1, 2°): small lots of a formal purchase may follow a MAPA."""

    max_lot_ht: int = Field(gt=0, description="Valeur estimée maximale d'un petit lot, euros HT (exclue).")
    max_share: float = Field(gt=0, lt=1, description="Part maximale des petits lots dans la valeur totale.")
    text: str
    sources: list[SourceRef] = Field(min_length=1)


class AllotmentMessages(Strict):
    """Notes about allotment; ``{nom}`` fields are filled in by the program."""

    default: Message = Field(description="Allotissement non précisé : hypothèse d'un marché unique.")
    one_lot: Message = Field(description="Lots demandés mais un seul a des achats.")
    small_lots_apply: Message = Field(description="La règle s'applique ({lots}, {amount}, {share}).")
    small_lots_refused: Message = Field(description="La règle ne s'applique pas ({reason}).")
    small_lots_pro_rata: Message = Field(description="Maximum d'accord-cadre réparti entre les lots.")

    @model_validator(mode="after")
    def _known_fields(self) -> AllotmentMessages:
        allowed = {"small_lots_apply": {"lots", "amount", "share"}, "small_lots_refused": {"reason"}}
        for name in type(self).model_fields:
            unknown = placeholders(getattr(self, name).text) - allowed.get(name, set())
            if unknown:
                raise ValueError(f"{name} : champ(s) inconnu(s) {sorted(unknown)}")
        return self


class Allotment(Strict):
    """How an allotted purchase is split, and the rules that apply to its lots."""

    rule: Text = Field(description="L'allotissement est la règle ; les lots s'additionnent.")
    lots: list[LotDefinition] = Field(min_length=2)
    single_label: str = Field(description="Intitulé du marché quand il n'est pas alloti.")
    small_lots: SmallLots
    messages: AllotmentMessages
    reasons: dict[Literal["no_small_lot", "too_large_share", "no_maximum"], str] = Field(
        description="Pourquoi la règle des petits lots ne s'applique pas."
    )


class Options(Strict):
    """Optional parts: priced by the bidders, ordered only if the buyer decides, counted in the value."""

    text: str
    sources: list[SourceRef] = Field(min_length=1)
    default: Message = Field(description="Options non précisées : hypothèse d'aucune option.")


class ProcurementRules(Strict):
    """Thresholds, routes and publicity rules, with the date they were last checked."""

    verified_on: date = Field(description="Date de la dernière vérification des seuils.")
    verified_note: str = Field(description="Comment les seuils ont été vérifiés.")
    thresholds: list[Threshold] = Field(min_length=3)
    routes: list[Band] = Field(min_length=1, description="Voies de passation, de la plus simple à la plus lourde.")
    publicity: list[Band] = Field(min_length=1, description="Règles de publicité selon le montant.")
    estimated_value: Text = Field(description="Règle de calcul de la valeur estimée du besoin.")
    purchasing_central: Text = Field(description="Alternative : recourir à une centrale d'achat.")
    central_route: Band = Field(description="Voie « centrale d'achat » (identifiant centrale_achat), sans seuil.")
    central_publicity: Band | None = Field(
        None, description="Publicité quand la collectivité achète auprès d'une centrale d'achat (celle de la centrale)."
    )
    near_threshold_margin: float = Field(gt=0, lt=1, description="Écart relatif à un seuil qui déclenche l'alerte.")
    value_bases: dict[str, str] = Field(
        description="Comment la valeur estimée a été calculée, par cas ; {months} est remplacé."
    )
    framework_max_months: int = Field(gt=0, description="Durée maximale d'un accord-cadre, en mois.")
    framework_sources: list[SourceRef] = Field(min_length=1)
    messages: ProcurementMessages
    allotment: Allotment | None = Field(None, description="Allotissement et règle des petits lots.")
    options: Options | None = Field(None, description="Options : comptées dans la valeur estimée.")

    @model_validator(mode="after")
    def _consistent(self) -> ProcurementRules:
        kinds = {t.kind for t in self.thresholds}
        for band in [*self.routes, *self.publicity]:
            for kind in (band.from_threshold, band.below):
                if kind is not None and kind not in kinds:
                    raise ValueError(f"« {band.id} » renvoie au seuil « {kind} », absent de thresholds")
        for kind in kinds:
            _check_periods(kind, [t for t in self.thresholds if t.kind == kind])
        return self

    def threshold_on(self, kind: ThresholdKind, day: date) -> tuple[Threshold, bool]:
        """The threshold in force on ``day``, and whether one was; else the nearest known one."""
        values = sorted((t for t in self.thresholds if t.kind == kind), key=lambda t: t.valid_from)
        current = next((t for t in values if t.applies_on(day)), None)
        if current is not None:
            return current, True
        earlier = [t for t in values if t.valid_from <= day]
        return (earlier[-1] if earlier else values[0]), False

    def amounts_on(self, day: date) -> dict[str, int]:
        """Every threshold's amount for a consultation launched on ``day``."""
        kinds: list[ThresholdKind] = ["dispense", "publicite", "europeen"]
        return {kind: self.threshold_on(kind, day)[0].amount_ht for kind in kinds}

    def route_for(self, value_ht: int, day: date) -> Band:
        """The procurement route for an estimated value HT and a launch date."""
        return _band_for(self.routes, value_ht, self.amounts_on(day))

    def publicity_for(self, value_ht: int, day: date) -> Band:
        """The publicity rule for an estimated value HT and a launch date."""
        return _band_for(self.publicity, value_ht, self.amounts_on(day))


def _check_periods(kind: str, values: list[Threshold]) -> None:
    ordered = sorted(values, key=lambda t: t.valid_from)
    for threshold in ordered:
        if threshold.valid_until is not None and threshold.valid_until < threshold.valid_from:
            raise ValueError(f"seuil « {kind} » : valid_until avant valid_from ({threshold.valid_from})")
    for first, second in pairwise(ordered):
        if first.valid_until is None or first.valid_until >= second.valid_from:
            raise ValueError(f"seuil « {kind} » : périodes qui se chevauchent ({second.valid_from})")


def _band_for(bands: list[Band], value_ht: int, amounts: dict[str, int]) -> Band:
    band = next((b for b in bands if b.matches(value_ht, amounts)), None)
    if band is None:
        from deployer.errors import ContentError

        raise ContentError(
            f"procurement.yaml : aucune voie ne couvre un montant de {value_ht} € HT",
            hint="Vérifiez les champs from_threshold et below des voies.",
        )
    return band
