"""The vendor catalogue (content/vendors.yaml): loads, is sourced, and goes stale on time."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, timedelta
from typing import Any

import pytest

from deployer.schema.content import Content
from deployer.schema.loader import load_content
from deployer.schema.vendors import (
    DATA_ACCESS_ANSWERS,
    SPDX_LICENCES,
    Vendor,
    catalogue_problems,
    stale_vendors,
)
from deployer.schema.yaml_files import Problem, validate


@pytest.fixture(scope="module")
def catalogue() -> Content:
    return load_content()


def walk(value: Any) -> Iterator[tuple[str, Any]]:
    """Every (key, value) pair of a dumped entry, at any depth."""
    if isinstance(value, dict):
        for key, item in value.items():
            yield key, item
            yield from walk(item)
    elif isinstance(value, list):
        for item in value:
            yield from walk(item)


def cited(vendor: Vendor) -> set[str]:
    return {item for key, item in walk(vendor.model_dump()) if key == "source"}


def one_entry(catalogue: Content) -> dict[str, Any]:
    """A valid entry as a plain dict, to be broken by the schema tests."""
    entry = next(v for v in catalogue.vendors if v.id == "decidim")
    return entry.model_dump(exclude_none=True)


def problems(data: dict[str, Any]) -> list[str]:
    result = validate(Vendor, data, "vendors.yaml", "vendors[0]")
    assert isinstance(result, list), "the broken entry was accepted"
    return [str(p) for p in result if isinstance(p, Problem)]


def test_the_shipped_catalogue_loads_with_at_least_15_entries(catalogue: Content) -> None:
    assert len(catalogue.vendors) >= 15
    names = {v.name for v in catalogue.vendors}
    assert {"Cap Collectif", "Decidim", "Open Source Politics", "Fluicity", "Go Vocal", "J'en parle"} <= names


def test_ids_are_unique_and_cross_references_resolve(catalogue: Content) -> None:
    ids = [v.id for v in catalogue.vendors]
    assert len(ids) == len(set(ids))
    assert catalogue_problems(catalogue.vendors) == []


def test_catalogue_problems_finds_duplicates_and_dangling_references(catalogue: Content) -> None:
    decidim = next(v for v in catalogue.vendors if v.id == "decidim")
    osp = next(v for v in catalogue.vendors if v.id == "open-source-politics")
    found = catalogue_problems([decidim, decidim, osp.model_copy(update={"based_on": "absent"})])
    assert any("decidim" in p and "double" in p for p in found)
    assert any("based_on" in p and "absent" in p for p in found)


def test_every_entry_cites_sources_that_exist(catalogue: Content) -> None:
    for vendor in catalogue.vendors:
        assert vendor.sources, vendor.id
        refs = cited(vendor)
        assert {s.source for s in vendor.sources} <= refs
        assert refs <= set(catalogue.sources), (vendor.id, refs - set(catalogue.sources))


def test_every_free_software_entry_has_a_repository_and_an_spdx_licence(catalogue: Content) -> None:
    free = [v for v in catalogue.vendors if v.is_free_software]
    assert len(free) >= 10
    for vendor in free:
        assert vendor.repository and vendor.repository.startswith(("https://", "http://")), vendor.id
        assert vendor.licence.value in SPDX_LICENCES, vendor.id
        assert vendor.licence.sources, vendor.id


def test_unsure_facts_stay_unknown(catalogue: Content) -> None:
    by_id = {v.id: v for v in catalogue.vendors}
    assert by_id["purpoz"].licence.value == "inconnu"
    assert by_id["d21"].offer_models.value == "inconnu"
    assert by_id["civocracy"].status.value == "inconnu"
    assert by_id["j-en-parle"].features.value == "inconnu"
    assert by_id["fluicity"].data_access.for_answer("contacts") == "inconnu"
    assert "à vérifier" in (by_id["cap-collectif"].licence.note or "")


def test_no_price_figure_is_written(catalogue: Content) -> None:
    for vendor in catalogue.vendors:
        for key, text in walk(vendor.model_dump()):
            if isinstance(text, str):
                assert "€" not in text and "EUR" not in text, (vendor.id, key, text)


def test_features_and_data_access_match_the_walk(catalogue: Content) -> None:
    features = catalogue.question("prestataire", "fonctionnalites")
    access = catalogue.question("prestataire", "acces_donnees")
    assert features is not None and access is not None
    entry = next(v for v in catalogue.vendors if v.id == "decidim")
    for option in features.options:
        data = entry.model_dump(exclude_none=True)
        data["features"] = {"value": [option.value], "sources": [{"source": "decidim-depot"}]}
        assert not isinstance(validate(Vendor, data, "vendors.yaml"), list), option.value
    assert {o.value for o in access.options} <= set(DATA_ACCESS_ANSWERS)
    assert entry.data_access.for_answer("donnees_brutes") == "oui"
    assert entry.data_access.for_answer("export_formats_ouverts") == "oui"
    assert entry.data_access.for_answer("back_office") == "oui"
    assert entry.data_access.for_answer("contacts") == "inconnu"


# --- the staleness rule -------------------------------------------------------------------

def test_an_entry_is_fresh_one_calendar_year_after_verification_and_stale_the_day_after(
    catalogue: Content,
) -> None:
    entry = catalogue.vendors[0].model_copy(update={"verified_on": date(2023, 11, 21), "review_by": None})
    assert entry.review_date == date(2024, 11, 21)  # a leap year in between: not 365 days
    assert stale_vendors([entry], date(2024, 11, 21)) == []
    assert stale_vendors([entry], date(2024, 11, 21) + timedelta(days=1)) == [entry]
    january = entry.model_copy(update={"verified_on": date(2024, 1, 10)})
    assert january.review_date == date(2025, 1, 10)
    leap = entry.model_copy(update={"verified_on": date(2024, 2, 29)})
    assert leap.review_date == date(2025, 2, 28)


def test_review_by_overrides_the_default_delay(catalogue: Content) -> None:
    entry = catalogue.vendors[0].model_copy(
        update={"verified_on": date(2026, 11, 21), "review_by": date(2027, 3, 1)}
    )
    assert stale_vendors([entry], date(2027, 3, 1)) == []
    assert stale_vendors([entry], date(2027, 3, 2)) == [entry]
    late = entry.model_copy(update={"review_by": date(2028, 6, 1)})
    assert stale_vendors([late], date(2027, 12, 1)) == []


def test_stale_vendors_keeps_order_and_only_stale_entries(catalogue: Content) -> None:
    old = catalogue.vendors[0].model_copy(update={"verified_on": date(2020, 1, 1), "review_by": None})
    new = catalogue.vendors[1].model_copy(update={"verified_on": date(2026, 11, 21), "review_by": None})
    assert stale_vendors([new, old, new], date(2026, 12, 1)) == [old]


def test_the_shipped_catalogue_is_not_stale_at_compilation(catalogue: Content) -> None:
    assert stale_vendors(catalogue.vendors, date(2026, 11, 22)) == []


# --- the schema refuses what the catalogue must never hold ------------------------------

def test_a_known_value_without_a_source_is_refused(catalogue: Content) -> None:
    data = one_entry(catalogue)
    data["hosting"] = {"value": "France"}
    assert any("hosting" in p and "source" in p for p in problems(data))


def test_free_code_without_repository_is_refused(catalogue: Content) -> None:
    data = one_entry(catalogue)
    del data["repository"]
    assert any("repository" in p for p in problems(data))


def test_a_licence_that_is_not_spdx_is_refused(catalogue: Content) -> None:
    data = one_entry(catalogue)
    data["licence"] = {"value": "AGPL", "sources": [{"source": "decidim-depot"}]}
    assert any(p.startswith("vendors.yaml › vendors[0] › licence") for p in problems(data))


def test_an_unknown_feature_code_or_status_is_refused(catalogue: Content) -> None:
    data = one_entry(catalogue)
    data["features"] = {"value": ["forum"], "sources": [{"source": "decidim-depot"}]}
    data["status"] = {**data["status"], "value": "ferme"}
    found = problems(data)
    assert any("features" in p for p in found)
    assert any("status" in p for p in found)


def test_renamed_requires_renamed_to(catalogue: Content) -> None:
    data = one_entry(catalogue)
    data["status"] = {**data["status"], "value": "renomme"}
    assert any("renamed_to" in p for p in problems(data))
