"""Finding entries of the vendor catalogue: by name (« Go Vocal », « go-vocal »), by feature, by filters.

Pure functions of the catalogue and of the wording in content (feature labels).
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, get_args

from deployer import french
from deployer.errors import DeployerError
from deployer.schema.vendors import UNKNOWN, Feature, Vendor

if TYPE_CHECKING:
    from deployer.schema.vendor_wording import VendorWording

FEATURES: tuple[str, ...] = get_args(Feature)


def fold(text: str) -> str:
    """Lower case, no accents, no punctuation: « Go Vocal » and « go-vocal » both give « govocal »."""
    return "".join(c for c in french.fold(text) if c.isalnum())


def _names(vendor: Vendor) -> list[str]:
    return [vendor.id, vendor.name, *vendor.other_names]


def find_vendor(vendors: list[Vendor], name: str) -> Vendor:
    """The entry whose id, name or other name matches (case and accents ignored)."""
    wanted = fold(name)
    for vendor in vendors:
        if wanted and wanted in (fold(n) for n in _names(vendor)):
            return vendor
    known = {fold(n): vendor.name for vendor in vendors for n in _names(vendor)}
    close = sorted({known[k] for k in difflib.get_close_matches(wanted, list(known), n=3, cutoff=0.6)})
    hint = (f"Vouliez-vous dire : {', '.join(close)} ?" if close
            else "Liste des noms : deployer vendors list")
    raise DeployerError(f"prestataire « {name} » introuvable dans le catalogue", hint=hint)


def feature_code(wording: VendorWording, value: str) -> str:
    """« budget-participatif », « Débat » or « boîte à idées » → the feature code; else a French error."""
    labels = wording.fonctionnalites
    wanted = fold(value)
    for code in FEATURES:
        if wanted in (fold(code), fold(labels[code])):
            return code
    allowed = ", ".join(label + (f" ({code.replace('_', '-')})" if fold(label) != fold(code) else "")
                        for code in FEATURES if (label := labels[code]))
    raise DeployerError(f"fonction « {french.short(value)} » inconnue", hint=f"Valeurs possibles : {allowed}.")


@dataclass(frozen=True)
class VendorFilter:
    """The filters of ``deployer vendors list``; None or False means « no filter »."""

    open_source: bool = False
    white_label: bool = False
    feature: str | None = None
    ugap: bool = False
    active: bool = False

    def keeps(self, vendor: Vendor) -> bool:
        """Whether the entry passes every filter (an unknown fact never passes)."""
        models = vendor.offer_models.value
        return all((
            not self.open_source or vendor.publishes_free_code is True,
            not self.white_label or (models != UNKNOWN and "marque_blanche" in models),
            self.feature is None or vendor.has_feature(self.feature) is True,
            not self.ugap or "UGAP" in vendor.purchasing_central.value,
            not self.active or vendor.status.value == "actif",
        ))


def filter_vendors(vendors: Iterable[Vendor], keep: VendorFilter) -> list[Vendor]:
    """The entries that pass the filters, by name."""
    return sorted((v for v in vendors if keep.keeps(v)), key=lambda v: fold(v.name))
