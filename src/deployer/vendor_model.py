"""Schema of content/vendors.yaml: providers and platforms, every fact sourced and dated."""

from __future__ import annotations

from datetime import date
from typing import Literal

from pydantic import Field

from deployer.content_model import SourceRef, Strict

OfferModel = Literal["marque_blanche", "intermediation", "logiciel_libre", "integrateur", "mutualisee"]
Status = Literal["actif", "renomme", "disparu", "inconnu"]


class Vendor(Strict):
    """One provider or platform. « inconnu » is written when no source says."""

    id: str
    name: str
    kind: str = Field(description="Nature de l'organisation (start-up, association, projet libre…).")
    country: str = "inconnu"
    offer_models: list[OfferModel] = Field(min_length=1)
    licence: str = Field(description="Identifiant SPDX, « proprietaire » ou « inconnu ».")
    repository: str | None = None
    features: list[str] = Field(default_factory=list)
    data_access: str = "inconnu"
    pricing_model: str = "inconnu"
    purchasing_central: str = "inconnu"
    status: Status
    status_date: str = Field(description="Date de la dernière preuve datée du statut.")
    renamed_to: str | None = None
    notes: str | None = None
    sources: list[SourceRef] = Field(min_length=1)
    verified_on: date
    review_by: date | None = Field(None, description="Date avant laquelle revérifier l'entrée.")
