"""Schema of content/prices/observations.yaml: what public buyers paid (or were quoted) for
participation platforms and services, the evidence the budget estimate is fitted on.

Each row keeps its own year and tax basis; ``unit_price_ht`` turns it into the price of one
unit (a year of platform, one accompanied démarche, one event, one development) in euros HT.
"""

from __future__ import annotations

from datetime import date
from typing import Literal

from pydantic import Field, model_validator

from deployer.schema.models import SourceRef, Strict

Unit = Literal["an", "mission", "evenement", "developpement"]
TaxBasis = Literal["HT", "TTC", "non_precise"]
AmountBasis = Literal["total", "par_mois", "par_an"]
Kind = Literal["achat", "devis", "borne_basse", "gratuit"]
TAX_LABELS = {"HT": "HT", "TTC": "TTC", "non_precise": "HT ou TTC non précisé"}
BASIS_LABELS = {"total": "au total", "par_mois": "par mois", "par_an": "par an"}
KIND_LABELS = {"achat": "", "devis": ", devis", "borne_basse": ", borne basse", "gratuit": ", gratuit"}
VAT_RATE = 0.2  # « hypothèse de TVA à 20 % » (content/prices/observations.yaml header)


class PriceObservation(Strict):
    """One price paid or quoted, as the source states it."""

    id: str
    buyer: str = Field(description="Acheteur, tel que dans la source.")
    buyer_type: Literal["commune", "epci", "departement", "region", "metropole", "autre"]
    population: int = Field(gt=0, description="Population de l'acheteur (ou hypothèse de milieu de tranche).")
    year: int = Field(ge=2000, le=2100, description="Année du prix (non indexé).")
    object: str = Field(description="Ce qui a été acheté.")
    unit: Unit = Field(description="Ce que mesure un prix unitaire : an, mission, evenement, developpement.")
    offer: str | None = Field(None, description="Type d'offre (valeur de prestataire.modele_offre), si connu.")
    amount: float = Field(ge=0, description="Montant, tel que dans la source.")
    range: tuple[int, int] | None = Field(None, description="Fourchette de la source, si elle en donne une.")
    quantity: float = Field(1, gt=0, description="Nombre d'unités que couvre le montant.")
    currency: Literal["EUR", "GBP"] = "EUR"
    tax: TaxBasis
    basis: AmountBasis = Field(description="total, par_mois ou par_an.")
    duration_months: int | None = Field(None, gt=0, description="Durée couverte par un montant total.")
    kind: Kind = Field(description="achat, devis, borne_basse (« plus de ») ou gratuit.")
    sources: list[SourceRef] = Field(min_length=1)
    note: str | None = None
    exclude: str | None = Field(None, description="Pourquoi la ligne ne sert pas à l'estimation ; absent : elle sert.")

    @model_validator(mode="after")
    def _consistent(self) -> PriceObservation:
        if self.unit == "an" and self.basis == "total" and self.duration_months is None:
            raise ValueError("un montant total par an demande duration_months")
        if self.range is not None and not self.range[0] <= self.amount <= self.range[1]:
            raise ValueError("amount doit être dans range")
        return self

    @property
    def amount_text(self) -> str:
        """« 264 € HT par mois (2021) », « 8 000 € HT ou TTC non précisé par an (2021, devis) »."""
        from deployer.french import euros

        return (f"{euros(round(self.amount))} {TAX_LABELS[self.tax]} {BASIS_LABELS[self.basis]} "
                f"({self.year}{KIND_LABELS[self.kind]})")

    @property
    def used(self) -> bool:
        """Whether the estimate is fitted on this row."""
        return self.exclude is None and self.currency == "EUR"

    @property
    def unit_price_ht(self) -> float:
        """The price of one unit in euros HT (TTC divided by 1 + VAT_RATE)."""
        amount = self.amount / (1 + VAT_RATE) if self.tax == "TTC" else self.amount
        if self.basis == "par_mois":
            amount *= 12
        elif self.unit == "an" and self.basis == "total" and self.duration_months:
            amount *= 12 / self.duration_months
        return amount / self.quantity


class PriceEvidence(Strict):
    """Every price observation, with the date the file was last checked."""

    verified_on: date
    observations: list[PriceObservation] = Field(min_length=1)

    @model_validator(mode="after")
    def _unique(self) -> PriceEvidence:
        ids = [o.id for o in self.observations]
        doubles = sorted({i for i in ids if ids.count(i) > 1})
        if doubles:
            raise ValueError(f"identifiants en double : {doubles}")
        return self
