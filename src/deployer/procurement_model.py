"""Schema of content/procurement.yaml: dated legal thresholds of French public procurement."""

from __future__ import annotations

from datetime import date

from pydantic import Field

from deployer.content_model import SourceRef, Strict


class Threshold(Strict):
    """A threshold (euros HT) in force over a period."""

    id: str
    label: str
    amount_ht: int = Field(gt=0)
    valid_from: date
    valid_until: date | None = None
    legal_basis: str
    sources: list[SourceRef] = Field(min_length=1)


class Route(Strict):
    """A procurement route and when it applies."""

    id: str
    label: str
    explanation: str
    below: str | None = Field(None, description="Seuil (id) sous lequel la voie s'applique.")
    from_threshold: str | None = Field(None, description="Seuil (id) à partir duquel elle s'applique.")
    sources: list[SourceRef] = Field(min_length=1)


class ProcurementRules(Strict):
    """Thresholds and routes, with the date they were last checked."""

    verified_on: date
    thresholds: list[Threshold] = Field(min_length=1)
    routes: list[Route] = Field(min_length=1)
    purchasing_central: str = Field(description="Alternative : centrale d'achat (texte).")
    purchasing_central_sources: list[SourceRef] = Field(min_length=1)
    estimated_value_rule: str = Field(description="Règle de calcul de la valeur estimée.")
    estimated_value_sources: list[SourceRef] = Field(min_length=1)
