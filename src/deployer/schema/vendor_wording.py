"""Schema of the « libelles » section of content/benchmark.yaml: the French wording of the vendor
catalogue and of the shortlist (field and value labels, match reasons, notes).

A trainer edits the text; the code fills the placeholders written « {name} » (str.format style).
Which keys must exist and which placeholders each text takes is checked by
``deployer.schema.wording_rules``.
"""

from __future__ import annotations

from typing import Any, ClassVar, get_args

from pydantic import Field

from deployer.schema.models import Strict
from deployer.schema.vendors import Feature, OfferModel, Status

CATALOGUE_FIELDS = (
    "kind", "country", "part_of", "based_on", "offer_models", "open_source", "licence", "repository", "features",
    "data_access.raw_export", "data_access.contributor_contacts", "data_access.api", "data_access.back_office",
    "hosting", "accessibility", "pricing_model", "purchasing_central", "listings", "french_clients", "status",
    "verified_on",
)
"""The catalogue fields shown to users, each needing a label in ``champs``."""

REQUIRED_LABELS: dict[str, tuple[str, ...]] = {
    "champs": CATALOGUE_FIELDS,
    "offres": get_args(OfferModel),
    "licences": ("proprietaire", "inconnu"),
    "fonctionnalites": get_args(Feature),
    "statuts": get_args(Status),
    "valeurs": ("oui", "non", "partiel", "inconnu"),
}
"""Every label dictionary and the codes it must label."""


class WordingTexts(Strict):
    """Texts with placeholders: ``PLACEHOLDERS`` names the values each one receives."""

    PLACEHOLDERS: ClassVar[dict[str, tuple[str, ...]]] = {}

    def say(self, key: str, **values: Any) -> str:
        """The text of ``key`` with its placeholders filled."""
        return str(getattr(self, key)).format(**values)


class MatchReasons(WordingTexts):
    """Why an offer fits, does not fit, or what to ask (``deployer vendors match``, benchmark.md)."""

    PLACEHOLDERS: ClassVar[dict[str, tuple[str, ...]]] = {
        "offre_non_relevee": ("offre",),
        "offre_proposee": ("offres",),
        "offre_code_libre": ("offres",),
        "offre_autre": ("offres", "offre"),
        "fonctionnalites_non_relevees": ("fonctionnalites",),
        "fonctionnalites_relevees": ("fonctionnalites",),
        "fonctionnalites_absentes": ("fonctionnalites",),
        "licence_en_partie": ("licence",),
        "code_libre": ("licence",),
        "acces_oui": ("champ",),
        "acces_non": ("champ",),
        "acces_non_releve": ("champ",),
        "hebergement_releve": ("hebergement",),
        "installation_en_partie": ("licence",),
        "centrale": ("centrale",),
        "references": ("fiches", "references"),
        "activite_non_etablie": ("date",),
        "fiche_a_reverifier": ("date",),
    }

    offre_non_relevee: str
    offre_proposee: str
    offre_code_libre: str
    offre_autre: str
    fonctionnalites_non_relevees: str
    fonctionnalites_relevees: str
    fonctionnalites_absentes: str
    licence_en_partie: str
    code_libre: str
    code_non_libre: str
    licence_non_relevee: str
    acces_oui: str
    acces_non: str
    acces_non_releve: str
    hebergement_non_releve: str
    hebergement_releve: str
    installation_libre: str
    installation_en_partie: str
    installation_fermee: str
    installation_inconnue: str
    centrale_non_relevee: str
    centrale_sans_objet: str
    centrale: str
    prestations_saas: str
    prestations_logiciel_libre: str
    references: str
    sans_reference: str
    accessibilite_non_relevee: str
    prix_non_releve: str
    activite_non_etablie: str
    fiche_a_reverifier: str


class DocumentationGaps(WordingTexts):
    """Why an entry is too poorly documented to be compared."""

    fiabilite_faible: str
    offre_inconnue: str
    fonctionnalites_inconnues: str


class ShortlistNotes(WordingTexts):
    """The notes printed above every shortlist (terminal, benchmark.md, benchmark.xlsx)."""

    PLACEHOLDERS: ClassVar[dict[str, tuple[str, ...]]] = {"a_reverifier": ("annees",)}

    pas_une_recommandation: str
    ordre: str
    a_reverifier: str
    non_documentees: str


class VendorWording(Strict):
    """The French wording of the catalogue and the shortlist (benchmark.yaml › libelles)."""

    champs: dict[str, str] = Field(description="Libellé de chaque champ du catalogue.")
    offres: dict[str, str] = Field(description="Libellé de chaque modèle d'offre.")
    licences: dict[str, str] = Field(description="Libellé des licences non libres (« la licence » : au féminin).")
    fonctionnalites: dict[str, str] = Field(description="Libellé court de chaque fonctionnalité.")
    statuts: dict[str, str] = Field(description="Libellé de chaque statut.")
    valeurs: dict[str, str] = Field(description="Libellé des valeurs oui, non, partiel, inconnu.")
    aucune_valeur: str = Field(description="Ce qu'affiche une liste vide.")
    raisons: MatchReasons
    lacunes: DocumentationGaps
    notes: ShortlistNotes

    def field_label(self, field: str) -> str:
        """The French label of a catalogue field (the code itself when it has none)."""
        return self.champs.get(field, field)

