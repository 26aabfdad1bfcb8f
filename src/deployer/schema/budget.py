"""Schema of content/budget.yaml: the cost figures of the budget estimate, each with its
sources or written out as a « hypothèse », and the Baromètre cases the estimate is checked on.

Amounts are euros HT, written ``[bas, central, haut]``; by size band they are keyed by the
ids of profile.yaml's ``size_bands``.
"""

from __future__ import annotations

from datetime import date
from typing import Annotated, Literal

from pydantic import AfterValidator, Field, model_validator

from deployer.schema.models import SourceRef, Strict
from deployer.schema.procurement import Message, placeholders

Recurrence = Literal["annuel", "forfait"]
Group = Literal["platform", "services", "programme", "internal"]
Volume = Literal["demarches_par_an", "ateliers_par_an"]


def _ordered(values: tuple[float, float, float]) -> tuple[float, float, float]:
    low, central, high = values
    if low < 0 or not low <= central <= high:
        raise ValueError("trois valeurs positives attendues, dans l'ordre [bas, central, haut]")
    return values


Amounts = Annotated[tuple[int, int, int], AfterValidator(_ordered)]
Etp = Annotated[tuple[float, float, float], AfterValidator(_ordered)]


class EvidencePrice(Strict):
    """A line priced from the evidence base: a share of the fitted unit price, times a volume."""

    unit: Literal["an", "mission", "evenement", "developpement"] = Field(
        description="Prix unitaire ajusté sur les observations (content/prices/observations.yaml)."
    )
    share: float = Field(1.0, gt=0, description="Part du prix unitaire que représente le poste.")
    offer: str | None = Field(None, description="Type d'offre dont les observations décalent le prix ajusté.")
    volume: Volume | None = Field(None, description="Volume annuel qui multiplie le prix (démarches, ateliers).")


class CostItem(Strict):
    """One line of the estimate: an amount (or one per size band, or a price fitted on the
    observations) and where it comes from."""

    label: str = Field(description="Intitulé du poste, tel qu'affiché.")
    recurrence: Recurrence = Field(description="« annuel » (par année de contrat) ou « forfait » (une fois).")
    amount: Amounts | None = Field(None, description="[bas, central, haut] en euros HT, quelle que soit la taille.")
    by_band: dict[str, Amounts] | None = Field(
        None, description="[bas, central, haut] par tranche de taille (identifiants de profile.yaml)."
    )
    evidence: EvidencePrice | None = Field(None, description="Prix ajusté sur les observations de prix réels.")
    sources: list[SourceRef] = Field(default_factory=list, description="D'où viennent les montants.")
    assumption: str | None = Field(
        None, description="L'hypothèse, écrite en clair, pour ce que les sources ne disent pas."
    )
    in_contract: bool = Field(
        True, description="Compte dans la valeur estimée du marché passé avec le prestataire."
    )
    by_volume: bool = Field(
        False, description="Poste compté dès que son volume est positif, sans être coché parmi les prestations."
    )

    @model_validator(mode="after")
    def _complete(self) -> CostItem:
        if sum(x is not None for x in (self.amount, self.by_band, self.evidence)) != 1:
            raise ValueError("indiquez un seul de amount, by_band ou evidence")
        if not self.sources and not self.assumption and self.evidence is None:
            raise ValueError("un montant sans source doit écrire son hypothèse (assumption)")
        return self

    def amounts(self, band: str) -> tuple[int, int, int] | None:
        """The amounts for a size band (None if the band is missing)."""
        if self.amount is not None:
            return self.amount
        return (self.by_band or {}).get(band)


class OfferCosts(Strict):
    """The two prices of an offer model: subscription (or hosting) and set-up."""

    licence: CostItem
    setup: CostItem


class ServiceRole(Strict):
    """A role answer that gives a service to the titulaire, so that it is priced (``roles``)."""

    question: str = Field(description="Question du module prestataire (moderation, synthese_par).")
    values: list[str] = Field(min_length=1, description="Réponses qui confient la prestation au titulaire.")
    internal: list[str] = Field(
        default_factory=list, description="Réponses qui la gardent à la collectivité (conflit avec prestations)."
    )


class GroupInfo(Strict):
    """A family of costs (platform, programme, staff time)."""

    label: str
    sources: list[SourceRef] = Field(min_length=1)


class StaffReference(Strict):
    """What the Baromètre reports about staff for a population range."""

    min: int = Field(ge=0, description="Population minimale (incluse).")
    max: int | None = Field(None, description="Population maximale (exclue) ; absente pour la dernière.")
    reported: str = Field(description="Ce que rapporte la source, en clair.")
    floor_etp: float | None = Field(
        None, ge=0, description="ETP consacrés à l'outil en dessous desquels on avertit ; absent : pas d'alerte."
    )
    unknown_etp: Etp = Field(description="ETP [bas, central, haut] retenus si la réponse manque.")
    anchor: int | None = Field(
        None, gt=0, description="Population type de la tranche : les ETP retenus sont interpolés entre elles."
    )
    sources: list[SourceRef] = Field(min_length=1)
    assumption: str | None = None


class Staff(Strict):
    """Internal staff time: ETP per answer, valued at a cost the user can change."""

    label: str
    cost_per_etp: int = Field(gt=0, description="Coût annuel complet d'un ETP, en euros.")
    cost_assumption: str = Field(description="L'hypothèse derrière ce coût ; {cost} est remplacé.")
    etp_by_answer: dict[str, Etp] = Field(description="ETP [bas, central, haut] par réponse à ressources.etp.")
    etp_assumption: str
    references: list[StaffReference] = Field(min_length=1)
    sources: list[SourceRef] = Field(min_length=1)

    def reference(self, population: int) -> StaffReference:
        """The Baromètre reference for a population."""
        for ref in self.references:
            if population >= ref.min and (ref.max is None or population < ref.max):
                return ref
        return self.references[-1]


class EvidenceSettings(Strict):
    """How prices are fitted on the observations (analysis/budget/evidence.py)."""

    reference_population: int = Field(gt=0, description="Population de référence du niveau ajusté.")
    coverage: float = Field(
        gt=0, lt=1, description="Part des erreurs de prévision (sans l'observation) que la fourchette couvre."
    )
    min_errors_for_spread: int = Field(
        ge=1, description="Nombre d'erreurs de prévision en dessous duquel la demi-largeur par défaut s'applique."
    )
    default_spread: float = Field(
        gt=0, description="Demi-largeur de la fourchette, en logarithme, faute d'observations assez nombreuses."
    )
    prior_slope: float = Field(ge=0, le=1, description="Élasticité à la population quand les points manquent.")
    slope_bounds: tuple[float, float] = Field(description="Bornes de l'élasticité ajustée.")
    min_points_for_slope: int = Field(ge=2)
    slope_prior_weight: float = Field(0, ge=0, description="Poids de l'élasticité a priori dans l'ajustement.")
    offer_shrinkage: float = Field(ge=0, description="Pseudo-observations qui ramènent l'écart d'une offre vers 0.")
    method: str = Field(description="La méthode en clair, reprise dans budget.md.")
    assumption: str = Field(description="Les hypothèses de la méthode.")


class VolumeDefault(Strict):
    """A yearly volume (démarches, ateliers) assumed by size when the answer is missing."""

    label: str = Field(description="Nom du volume, au pluriel (« démarches accompagnées par an »).")
    singular: str = Field(description="Le même au singulier, pour une valeur inférieure à 2 (« 0,5 démarche… »).")
    by_band: dict[str, float]
    assumption: str


class Defaults(Strict):
    """What the estimate assumes when an answer is missing."""

    population: int = Field(gt=0)
    offer_model: str
    duration_months: int = Field(ge=1, le=48)
    renewals: int = Field(ge=0, le=3)
    contract_form: str = Field("marche_ordinaire", description="Valeur de prestataire.forme_marche par défaut.")
    sources: list[SourceRef] = Field(min_length=1)


class Checks(Strict):
    """Thresholds of the sanity warnings."""

    share_caution: float = Field(gt=0, le=1, description="Part du budget de participation qui alerte (0,2).")
    share_sources: list[SourceRef] = Field(min_length=1)
    trial_offer_model: str = Field(description="Valeur de prestataire.modele_offre d'une offre d'essai.")
    trial_max_months: int = Field(gt=0, description="Au-delà, une offre d'essai n'est plus une expérimentation.")
    trial_assumption: str
    trial_sources: list[SourceRef] = Field(min_length=1)
    hosted_offer_models: list[str] = Field(
        default_factory=list, description="Offres hébergées par le titulaire (abonnement, hébergement compris)."
    )
    internal_hosting: str = Field("interne", description="Réponse à prestataire.hebergement : chez la collectivité.")
    small_population: int = Field(10000, gt=0, description="En dessous, les voies moins coûteuses sont proposées.")
    cheap_offer_models: list[str] = Field(
        default_factory=list, description="Offres moins coûteuses (essai, mutualisée…), sans proposition si choisies."
    )


class ToolType(Strict):
    """A kind of tool, for the quick estimate: it stands for a list of features."""

    id: str
    label: str
    features: list[str] = Field(description="Valeurs de prestataire.fonctionnalites.")


_MESSAGE_FIELDS: dict[str, set[str]] = {
    "default_population": {"population"},
    "default_offer_model": {"label"},
    "unpriced_offer_model": {"label", "fallback"},
    "default_duration": {"months"},
    "default_renewals": {"renewals"},
    "renewal_length": {"months"},
    "short_contract": set(),
    "no_features": set(),
    "unknown_etp": {"etp", "reported"},
    "staff_cost_user": {"cost"},
    "unknown_participation_budget": set(),
    "unpriced_service": {"label"},
    "no_procurement": set(),
    "trial_lasting": {"months", "renewals"},
    "staff_below": {"etp", "population", "reported"},
    "tool_share": {"share", "budget", "tool"},
    "stale": {"verified_on"},
    "service_by_role": {"label", "answer"},
    "service_role_conflict": {"label", "answer"},
    "hosting_conflict": {"label"},
    "evidence_basis": {"n", "years", "buyers"},
    "default_contract_form": {"label"},
    "default_maximum": set(),
    "given_maximum": {"maximum"},
    "cheaper_routes": set(),
}


class BudgetMessages(Strict):
    """Assumptions and warnings written in French; ``{nom}`` fields are filled in."""

    default_population: Message
    default_offer_model: Message
    unpriced_offer_model: Message
    default_duration: Message
    default_renewals: Message
    renewal_length: Message
    short_contract: Message
    no_features: Message
    unknown_etp: Message
    staff_cost_user: Message
    unknown_participation_budget: Message
    unpriced_service: Message
    no_procurement: Message
    trial_lasting: Message
    staff_below: Message
    tool_share: Message
    stale: Message
    service_by_role: Message
    service_role_conflict: Message
    hosting_conflict: Message
    evidence_basis: Message
    default_contract_form: Message
    default_maximum: Message
    given_maximum: Message
    cheaper_routes: Message

    @model_validator(mode="after")
    def _known_fields(self) -> BudgetMessages:
        for name, allowed in _MESSAGE_FIELDS.items():
            unknown = placeholders(getattr(self, name).text) - allowed
            if unknown:
                raise ValueError(f"{name} : champ(s) inconnu(s) {sorted(unknown)} ; permis : {sorted(allowed)}")
        return self


class BudgetModel(Strict):
    """Everything the budget estimate needs, from content/budget.yaml."""

    verified_on: date = Field(description="Date de la dernière relecture des montants.")
    method: str = Field(description="La méthode en un paragraphe, reprise dans budget.md.")
    base_features: str = Field(description="Ce que couvre le prix de base d'une plateforme.")
    groups: dict[Group, GroupInfo]
    defaults: Defaults
    offer_models: dict[str, OfferCosts] = Field(description="Par valeur de prestataire.modele_offre.")
    features: dict[str, CostItem] = Field(description="Suppléments par valeur de prestataire.fonctionnalites.")
    services: dict[str, CostItem] = Field(description="Par valeur de prestataire.prestations.")
    roles: dict[str, ServiceRole] = Field(
        default_factory=dict, description="Par prestation : la question de rôle qui la confie aussi au titulaire."
    )
    programme: dict[str, CostItem] = Field(description="Communication, évaluation.")
    evidence: EvidenceSettings
    band_anchors: dict[str, int] = Field(
        description="Population type de chaque tranche : les montants par tranche sont interpolés entre elles."
    )
    band_anchors_assumption: str
    volumes: dict[str, VolumeDefault] = Field(default_factory=dict, description="Volumes par défaut, par taille.")
    staff: Staff
    checks: Checks
    tool_types: list[ToolType] = Field(min_length=1)
    messages: BudgetMessages

    @model_validator(mode="after")
    def _consistent(self) -> BudgetModel:
        if self.defaults.offer_model not in self.offer_models:
            raise ValueError(f"defaults.offer_model « {self.defaults.offer_model} » absent de offer_models")
        missing = {"platform", "services", "programme", "internal"} - set(self.groups)
        if missing:
            raise ValueError(f"groups : groupe(s) manquant(s) {sorted(missing)}")
        unpriced = set(self.roles) - set(self.services)
        if unpriced:
            raise ValueError(f"roles : prestation(s) sans montant dans services {sorted(unpriced)}")
        return self

    def tool_type(self, tool_id: str) -> ToolType | None:
        """A tool type by id."""
        return next((t for t in self.tool_types if t.id == tool_id), None)
