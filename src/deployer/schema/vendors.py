"""Schema of content/vendors.yaml: providers and platforms, every fact sourced and dated.

Each fact that may be disputed (offer model, licence, status, data access, hosting, price
model…) is a small ``Fact``: a value, the sources that say so and an optional note. « inconnu »
is written, never guessed; a known value without a source is refused. The staleness rule is a
pure function of the catalogue and of today's date, so that callers decide how to report it.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from datetime import date, timedelta
from typing import Annotated, Any, Literal

from pydantic import Discriminator, Field, Tag, field_validator, model_validator

from deployer.schema.models import SourceRef, Strict

UNKNOWN = "inconnu"
NOT_APPLICABLE = "sans objet"
PROPRIETARY = "proprietaire"
REVIEW_AFTER_YEARS = 1
"""Without ``review_by``, an entry must be checked again one calendar year after ``verified_on``."""
OLD_STATUS_YEARS = 5
"""A status whose newest dated evidence is this old is marked as such wherever it is shown."""

Tri = Literal["oui", "non", "inconnu"]
OpenSource = Literal["oui", "non", "partiel", "inconnu"]
OfferModel = Literal[
    "marque_blanche", "intermediation", "logiciel_libre", "integrateur", "mutualisee", "saas", "conseil"
]
Feature = Literal[
    "idees",
    "consultation",
    "vote",
    "budget_participatif",
    "cartographie",
    "debat",
    "petition",
    "sondage",
    "signalement",
    "appel_projets",
    "evenements",
    "synthese",
    "assemblee",
]
Status = Literal["actif", "renomme", "non_maintenu", "disparu", "inconnu"]
Confidence = Literal["haute", "moyenne", "faible"]

# SPDX identifiers accepted for ``licence`` (deprecated short forms such as « AGPL-3.0 » are kept
# because some repositories declare them: the note then says the variant is to be checked).
SPDX_LICENCES = frozenset({
    "AGPL-3.0", "AGPL-3.0-only", "AGPL-3.0-or-later",
    "GPL-2.0-only", "GPL-2.0-or-later", "GPL-3.0", "GPL-3.0-only", "GPL-3.0-or-later",
    "LGPL-2.1-only", "LGPL-2.1-or-later", "LGPL-3.0-only", "LGPL-3.0-or-later",
    "MIT", "Apache-2.0", "BSD-2-Clause", "BSD-3-Clause", "ISC", "MPL-2.0", "EUPL-1.2",
    "CECILL-2.1", "CECILL-B", "CECILL-C",
})

# The walk's « acces_donnees » answers, and the DataAccess field each one reads.
DATA_ACCESS_ANSWERS = {
    "donnees_brutes": "raw_export",
    "export_formats_ouverts": "raw_export",
    "contacts": "contributor_contacts",
    "back_office": "back_office",
}

_DATE = r"^\d{4}(-\d{2}(-\d{2})?)?$"
_ID = r"^[a-z0-9]+(-[a-z0-9]+)*$"

def _needs_source(value: Any) -> bool:
    return value not in (UNKNOWN, NOT_APPLICABLE, None) and value != []


def _unknown_or_list(value: Any) -> str:
    return "inconnu" if value == UNKNOWN else "liste"


Features = Annotated[
    Annotated[list[Feature], Tag("liste")] | Annotated[Literal["inconnu"], Tag("inconnu")],
    Discriminator(_unknown_or_list),
]
OfferModels = Annotated[
    Annotated[list[OfferModel], Tag("liste")] | Annotated[Literal["inconnu"], Tag("inconnu")],
    Discriminator(_unknown_or_list),
]


_VALUE = "La valeur ; « inconnu » quand aucune source ne la donne."


class Fact(Strict):
    """One fact: its value, who says so, and a note (date, nuance, « à vérifier »). One subclass
    per kind of value (not a generic model: pydantic builds each ``Fact[…]`` at import)."""

    value: Any = Field(description=_VALUE)
    sources: list[SourceRef] = Field(
        default_factory=list,
        description="Sources qui établissent la valeur (obligatoires sauf « inconnu » ou « sans objet »).",
    )
    note: str | None = Field(None, description="Précision : date de la preuve, nuance, « à vérifier ».")

    @model_validator(mode="after")
    def _sourced(self) -> Fact:
        if _needs_source(self.value) and not self.sources:
            raise ValueError("une valeur connue doit citer au moins une source (sources)")
        return self


class TextFact(Fact):
    value: str = Field(description=_VALUE)


class TriFact(Fact):
    value: Tri = Field(description=_VALUE)


class OpenSourceFact(Fact):
    value: OpenSource = Field(description=_VALUE)


class OfferModelsFact(Fact):
    value: OfferModels = Field(description=_VALUE)


class FeaturesFact(Fact):
    value: Features = Field(description=_VALUE)


class StatusFact(Strict):
    """Whether the offer still exists, as of the last dated evidence found."""

    value: Status = Field(
        description="actif, renomme, non_maintenu, disparu ; « inconnu » si aucune preuve récente."
    )
    date: str = Field(
        pattern=_DATE,
        description="Date de la dernière preuve datée (AAAA, AAAA-MM ou AAAA-MM-JJ), pas d'un contrôle en direct.",
    )
    sources: list[SourceRef] = Field(min_length=1, description="Sources de cette dernière preuve.")
    note: str | None = Field(None, description="Ce que montre la preuve, et ce qui reste à vérifier.")


class DataAccess(Strict):
    """What the collectivité gets of its data, item by item (the walk's « acces_donnees »)."""

    raw_export: TriFact = Field(
        description="Export des données brutes des contributions et des votes, en formats ouverts (CSV, JSON…)."
    )
    contributor_contacts: TriFact = Field(
        description="Remise des contacts des contributeurs (adresses e-mail) à la collectivité."
    )
    api: TriFact = Field(description="Interface de programmation (API) donnant accès aux contributions.")
    back_office: TriFact = Field(description="Back-office d'administration pour la collectivité.")

    def for_answer(self, answer: str) -> Tri:
        """The value for one « acces_donnees » answer of the walk; « inconnu » if not mapped."""
        field = DATA_ACCESS_ANSWERS.get(answer)
        if field is None:
            return "inconnu"
        fact: TriFact = getattr(self, field)
        return fact.value


class LicenceSplit(Strict):
    """When the free licence covers only part of the offer (open core, one repository among several)."""

    free_part: str = Field(description="Partie de l'offre couverte par la licence libre (ex. « édition libre »).")
    rest: Literal["proprietaire", "inconnu"] = Field(
        description="Licence du reste de l'offre : « proprietaire » si une source le dit, sinon « inconnu »."
    )
    rest_part: str = Field(description="Le reste de l'offre (ex. « édition commerciale », « autres composants »).")
    sources: list[SourceRef] = Field(min_length=1, description="Sources qui établissent ce partage.")


class Vendor(Strict):
    """One provider or platform. « inconnu » is written when no source says."""

    id: str = Field(pattern=_ID, description="Identifiant unique, en minuscules avec tirets.")
    name: str = Field(description="Nom usuel actuel.")
    other_names: list[str] = Field(
        default_factory=list, description="Anciens noms et autres graphies (ex. CitizenLab pour Go Vocal)."
    )
    kind: str = Field(description="Nature de l'organisation (start-up, association, projet libre…).")
    country: str = Field(description="Pays du siège ou d'origine, « inconnu » si aucune source.")
    part_of: str | None = Field(
        None, description="Structure qui porte l'offre, quand l'offre n'est pas une organisation à part."
    )
    based_on: str | None = Field(
        None, description="Identifiant de l'entrée du logiciel sur lequel repose l'offre (ex. decidim)."
    )
    offer_models: OfferModelsFact = Field(
        description="Modèles d'offre : marque_blanche, intermediation, logiciel_libre, integrateur, "
        "mutualisee ; ou « inconnu »."
    )
    open_source: OpenSourceFact = Field(
        description="Code publié sous licence libre : oui, non, partiel (open core) ou inconnu."
    )
    licence: TextFact = Field(
        description="Identifiant SPDX (ex. AGPL-3.0-or-later), « proprietaire » ou « inconnu »."
    )
    licence_split: LicenceSplit | None = Field(
        None, description="Si la licence libre ne couvre qu'une partie de l'offre : laquelle, et le reste "
        "(obligatoire avec open_source « partiel »)."
    )
    repository: str | None = Field(None, description="Adresse du dépôt de code (obligatoire si code libre).")
    features: FeaturesFact = Field(
        description="Fonctionnalités, codes de la question « fonctionnalites » du parcours ; ou « inconnu »."
    )
    data_access: DataAccess = Field(description="Accès de la collectivité à ses données, point par point.")
    hosting: TextFact = Field(description="Hébergement : lieu, hébergeur ou mode ; « inconnu » sinon.")
    accessibility: TextFact = Field(
        description="Accessibilité (déclaration RGAA, niveau WCAG, audit) ; « inconnu » sinon."
    )
    pricing_model: TextFact = Field(
        description="Modèle de prix (abonnement, licence annuelle, gratuit…), sans montant ; « inconnu » sinon."
    )
    purchasing_central: TextFact = Field(
        description="Référencement en centrale d'achat (ex. « UGAP (témoignage 2018) ») ; « inconnu » sinon."
    )
    listings: list[TextFact] = Field(
        default_factory=list,
        description="Référencements et classements publics (SILL, consultation.etalab.gouv.fr, People Powered…).",
    )
    french_clients: list[TextFact] = Field(
        default_factory=list, description="Clients publics français cités par une source, avec l'année."
    )
    status: StatusFact = Field(description="Statut d'après la dernière preuve datée.")
    renamed_to: str | None = Field(
        None, description="Si l'offre a été renommée : identifiant de l'entrée sous le nouveau nom."
    )
    confidence: Confidence = Field(
        description="Solidité de la fiche : haute (dépôt de code et plusieurs sources datées) à faible "
        "(un ou deux articles anciens)."
    )
    notes: str | None = Field(None, description="Remarques pour l'acheteur, en français.")
    sources: list[SourceRef] = Field(min_length=1, description="Sources de la fiche dans son ensemble.")
    verified_on: date = Field(description="Date à laquelle les faits de la fiche ont été relevés.")
    review_by: date | None = Field(
        None, description="Date avant laquelle revérifier la fiche (par défaut : verified_on + 365 jours)."
    )

    @field_validator("licence")
    @classmethod
    def _spdx(cls, licence: TextFact) -> TextFact:
        if licence.value not in SPDX_LICENCES | {PROPRIETARY, UNKNOWN}:
            raise ValueError(
                f"« {licence.value} » : identifiant SPDX (ex. AGPL-3.0-or-later, MIT), "
                "« proprietaire » ou « inconnu » attendu"
            )
        return licence

    @model_validator(mode="after")
    def _consistent(self) -> Vendor:
        licence = self.licence.value
        if self.open_source.value in ("oui", "partiel"):
            if licence not in SPDX_LICENCES:
                raise ValueError("un code libre doit indiquer sa licence SPDX (licence)")
            if not self.repository:
                raise ValueError("un code libre doit indiquer son dépôt de code (repository)")
        if self.open_source.value == "partiel" and self.licence_split is None:
            raise ValueError("un code en partie libre doit dire ce que couvre la licence (licence_split)")
        if self.licence_split is not None and self.open_source.value not in ("oui", "partiel"):
            raise ValueError("licence_split suppose un code libre (open_source « oui » ou « partiel »)")
        if self.open_source.value == "non" and licence in SPDX_LICENCES:
            raise ValueError("open_source « non » contredit une licence libre")
        if (self.status.value == "renomme") != (self.renamed_to is not None):
            raise ValueError("renamed_to est obligatoire avec le statut « renomme », et seulement avec lui")
        return self

    @property
    def review_date(self) -> date:
        """The day after which the entry is stale."""
        if self.review_by is not None:
            return self.review_by
        day = self.verified_on
        year = day.year + REVIEW_AFTER_YEARS
        try:
            return day.replace(year=year)
        except ValueError:  # 29 February → 28 February
            return day.replace(year=year, day=28)

    @property
    def evidence_date(self) -> date:
        """The last day the status's dated evidence may refer to (« 2019 » → 31/12/2019)."""
        parts = [int(p) for p in self.status.date.split("-")]
        if len(parts) == 3:
            return date(*parts)
        if len(parts) == 2:
            following = date(parts[0] + parts[1] // 12, parts[1] % 12 + 1, 1)
            return following - timedelta(days=1)
        return date(parts[0], 12, 31)

    def evidence_is_old(self, today: date) -> bool:
        """Whether the newest dated evidence of the status is OLD_STATUS_YEARS old or more on ``today``."""
        day = self.evidence_date
        try:
            limit = day.replace(year=day.year + OLD_STATUS_YEARS)
        except ValueError:  # 29 February
            limit = day.replace(year=day.year + OLD_STATUS_YEARS, day=28)
        return today >= limit

    def is_stale(self, today: date) -> bool:
        """Whether the entry is past its review date on ``today``."""
        return today > self.review_date

    @property
    def publishes_free_code(self) -> bool | None:
        """True when some code is published under a free licence (even part of the offer), None when unknown."""
        value = self.open_source.value
        return None if value == UNKNOWN else value in ("oui", "partiel")

    @property
    def is_free_software(self) -> bool | None:
        """True only when the whole offer is free software; None when unknown or only part of it is free.

        An open core (« partiel ») or a licence known for one component only (``licence_split``) is
        never counted as free software: what the collectivité would buy may be proprietary.
        """
        value = self.open_source.value
        if value == UNKNOWN or value == "partiel" or self.licence_split is not None:
            return None
        return value == "oui"

    def has_feature(self, feature: str) -> bool | None:
        """Whether the platform offers a feature; None when its features are unknown."""
        features = self.features.value
        return None if features == UNKNOWN else feature in features


class BenchmarkCriterion(Strict):
    """One row of the grid for analysing offers, taken from a published comparison."""

    id: str = Field(pattern=r"^[a-z0-9]+(_[a-z0-9]+)*$", description="Identifiant unique, en minuscules.")
    label: str = Field(description="Nom du critère.")
    ask: str = Field(description="Ce qu'il faut examiner dans chaque offre reçue.")
    catalogue: list[str] = Field(
        default_factory=list, description="Champs du catalogue qui donnent une première réponse (ex. data_access.api)."
    )
    sources: list[SourceRef] = Field(min_length=1, description="Comparaison publiée d'où vient le critère.")


def stale_vendors(vendors: Iterable[Vendor], today: date) -> list[Vendor]:
    """Entries past their review date (``review_by``, else ``verified_on`` + one year) on ``today``."""
    return [v for v in vendors if v.is_stale(today)]


def catalogue_problems(vendors: list[Vendor]) -> list[str]:
    """Rules across entries: unique ids, and ``based_on`` / ``renamed_to`` pointing at an entry."""
    ids = Counter(v.id for v in vendors)
    problems = [f"identifiant « {i} » en double" for i, n in ids.items() if n > 1]
    for vendor in vendors:
        for key in ("based_on", "renamed_to"):
            target = getattr(vendor, key)
            if target is not None and target not in ids:
                problems.append(f"{vendor.id} › {key} : entrée inconnue « {target} »")
    return problems
