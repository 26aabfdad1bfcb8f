"""Catalogue queries and the shortlist, as pure functions on the shipped catalogue and on fixtures."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from deployer.answers import Answers, read_answers
from deployer.content import Content
from deployer.errors import DeployerError
from deployer.vendor_match import (
    FIELD_LABELS,
    Reason,
    VendorFilter,
    feature_code,
    filter_vendors,
    find_vendor,
    fit_vendor,
    match_vendors,
    vendor_facts,
)
from deployer.vendor_model import Vendor
from tests.conftest import ROOT

TODAY = date(2026, 11, 21)
EXAMPLES = sorted((ROOT / "examples").glob("*-reponses.yaml"))


def make_vendor(content: Content, **changes: Any) -> Vendor:
    """A copy of the Decidim entry with some top-level keys replaced (validated again)."""
    data = next(v for v in content.vendors if v.id == "decidim").model_dump(exclude_none=True)
    data.update(changes)
    return Vendor.model_validate(data)


CLOSED = {
    "open_source": {"value": "non", "sources": [{"source": "audacities"}]},
    "licence": {"value": "proprietaire", "sources": [{"source": "audacities"}]},
    "repository": None,
}


def with_answers(example: Answers, **answers: Any) -> Answers:
    for question, value in answers.items():
        example = example.with_answer("prestataire", question, value)
    return example


def reasons(fit: Any, kind: str) -> list[Reason]:
    return list(getattr(fit, kind))


# -- catalogue queries -------------------------------------------------------------------------


@pytest.mark.parametrize("typed", ["go-vocal", "GO VOCAL", "citizenlab", "Go Vocal", "gô vôcal"])
def test_find_vendor_ignores_case_accents_and_punctuation_and_knows_old_names(content, typed) -> None:
    assert find_vendor(content.vendors, typed).id == "go-vocal"


def test_find_vendor_accepts_the_apostrophe_name(content) -> None:
    assert find_vendor(content.vendors, "j'en parle").id == "j-en-parle"


def test_unknown_vendor_is_a_french_error_with_close_matches(content) -> None:
    with pytest.raises(DeployerError) as error:
        find_vendor(content.vendors, "decidm")
    assert "introuvable" in error.value.message and "Decidim" in (error.value.hint or "")


def test_feature_codes_accept_hyphens_and_list_allowed_values_otherwise() -> None:
    assert feature_code("budget-participatif") == "budget_participatif"
    with pytest.raises(DeployerError) as error:
        feature_code("tirage-au-sort")
    assert "budget-participatif" in (error.value.hint or "") and "cartographie" in (error.value.hint or "")


def test_open_source_filter_keeps_free_code_only_and_never_unknown(content) -> None:
    kept = filter_vendors(content.vendors, VendorFilter(open_source=True))
    assert {"decidim", "cap-collectif"} <= {v.id for v in kept}
    assert all(v.open_source.value in ("oui", "partiel") for v in kept)
    assert "fluicity" not in {v.id for v in kept}  # licence inconnue


def test_filters_combine_and_sort_by_name(content) -> None:
    kept = filter_vendors(content.vendors, VendorFilter(feature="budget_participatif", active=True))
    assert kept and all(v.has_feature("budget_participatif") and v.status.value == "actif" for v in kept)
    assert [v.name.casefold() for v in kept] == sorted(v.name.casefold() for v in kept)
    assert [v.id for v in filter_vendors(content.vendors, VendorFilter(ugap=True))] == ["cap-collectif"]
    white = filter_vendors(content.vendors, VendorFilter(white_label=True))
    assert "cap-collectif" in {v.id for v in white} and "decidim" not in {v.id for v in white}


def test_every_fact_row_is_a_labelled_catalogue_field_and_known_values_are_sourced(content) -> None:
    for vendor in content.vendors:
        for row in vendor_facts(vendor):
            assert row.field in FIELD_LABELS
            if row.field not in ("kind", "country", "part_of", "based_on", "repository") and row.value not in (
                "inconnu", "sans objet"
            ):
                assert row.sources, (vendor.id, row.field)


# -- matching ----------------------------------------------------------------------------------


def test_an_unknown_fact_becomes_a_question_never_a_fit(content, example) -> None:
    vendor = make_vendor(content, data_access={
        **next(v for v in content.vendors if v.id == "decidim").data_access.model_dump(exclude_none=True),
        "raw_export": {"value": "inconnu"},
    })
    fit = fit_vendor(vendor, with_answers(example, acces_donnees=["donnees_brutes"]), TODAY)
    asked = [r for r in fit.questions if r.field == "data_access.raw_export"]
    assert len(asked) == 1 and "demandez" in asked[0].text
    assert not [r for r in (*fit.fits, *fit.misfits) if r.field == "data_access.raw_export"]


def test_unknown_features_become_one_question_naming_the_needed_features(content, example) -> None:
    vendor = make_vendor(content, features={"value": "inconnu"})
    fit = fit_vendor(vendor, with_answers(example, fonctionnalites=["vote", "cartographie"]), TODAY)
    [asked] = [r for r in fit.questions if r.field == "features"]
    assert "vote" in asked.text and "cartographie" in asked.text


def test_required_open_source_blocks_a_closed_offer(content, example) -> None:
    vendor = make_vendor(content, **CLOSED)
    fit = fit_vendor(vendor, with_answers(example, logiciel_libre="exige", hebergement="france_ue"), TODAY)
    assert fit.blocked
    [misfit] = [r for r in fit.misfits if r.field == "open_source"]
    assert misfit.blocking and misfit.sources


def test_wished_open_source_flags_a_closed_offer_without_excluding_it(content, example) -> None:
    vendor = make_vendor(content, **CLOSED)
    fit = fit_vendor(vendor, with_answers(example, logiciel_libre="souhaite", modele_offre="logiciel_libre",
                                          hebergement="france_ue"), TODAY)
    assert any(r.field == "open_source" and not r.blocking for r in fit.misfits)
    assert not fit.blocked


def test_indifferent_open_source_says_nothing_about_the_licence(content, example) -> None:
    vendor = make_vendor(content, **CLOSED)
    fit = fit_vendor(vendor, with_answers(example, logiciel_libre="indifferent", hebergement="france_ue"), TODAY)
    assert not [r for r in (*fit.fits, *fit.misfits, *fit.questions) if r.field in ("open_source", "licence")]


def test_a_data_access_the_sources_deny_is_a_blocking_misfit(content, example) -> None:
    decidim = next(v for v in content.vendors if v.id == "decidim")
    access = decidim.data_access.model_dump(exclude_none=True)
    access["back_office"] = {"value": "non", "sources": [{"source": "audacities"}]}
    fit = fit_vendor(make_vendor(content, data_access=access),
                     with_answers(example, acces_donnees=["back_office"], modele_offre="logiciel_libre"), TODAY)
    assert fit.blocked and [r.field for r in fit.misfits if r.blocking] == ["data_access.back_office"]


def test_a_feature_absent_from_the_sources_is_a_misfit_to_check_not_a_blocker(content, example) -> None:
    vendor = make_vendor(content, features={"value": ["vote"], "sources": [{"source": "audacities"}]})
    fit = fit_vendor(vendor, with_answers(example, fonctionnalites=["vote", "signalement"]), TODAY)
    assert any(r.field == "features" and "vote" in r.text for r in fit.fits)
    [missing] = [r for r in fit.misfits if r.field == "features"]
    assert "signalement" in missing.text and not missing.blocking


def test_the_wrong_offer_model_is_a_blocking_misfit(content, example) -> None:
    vendor = make_vendor(content, offer_models={"value": ["intermediation"], "sources": [{"source": "audacities"}]},
                         **CLOSED)
    fit = fit_vendor(vendor, with_answers(example, modele_offre="marque_blanche"), TODAY)
    assert [r.field for r in fit.misfits if r.blocking] == ["offer_models"]


def test_a_stale_entry_asks_to_check_it_again(content, example) -> None:
    vendor = make_vendor(content)
    later = date(2028, 1, 1)
    assert any(r.field == "verified_on" for r in fit_vendor(vendor, example, later).questions)
    assert not any(r.field == "verified_on" for r in fit_vendor(vendor, example, TODAY).questions)


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.name)
def test_every_reason_traces_to_a_catalogue_field_and_its_sources(content, path: Path) -> None:
    shortlist = match_vendors(content, read_answers(path, content), TODAY)
    for fit in (*shortlist.shortlist, *shortlist.others):
        for reason in (*fit.fits, *fit.misfits):
            assert reason.field in FIELD_LABELS
            assert reason.sources, (fit.vendor.id, reason.text)
        for reason in fit.questions:
            assert reason.field in FIELD_LABELS


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.name)
def test_defunct_providers_are_set_apart_and_the_order_follows_the_rule(content, path: Path) -> None:
    shortlist = match_vendors(content, read_answers(path, content), TODAY)
    listed = [f.vendor.id for f in (*shortlist.shortlist, *shortlist.others)]
    assert "democracyos" not in listed and "democracyos" in {v.id for v in shortlist.set_apart}
    assert len(listed) + len(shortlist.set_apart) == len(content.vendors)
    assert not any(f.blocked for f in shortlist.shortlist) and all(f.blocked for f in shortlist.others)
    for group in (shortlist.shortlist, shortlist.others):
        keys = [f.sort_key() for f in group]
        assert keys == sorted(keys)


def test_ties_are_broken_by_name(content, example) -> None:
    twin_b = make_vendor(content, id="bbb", name="Beta")
    twin_a = make_vendor(content, id="aaa", name="Alpha")
    shortlist = match_vendors(replace(content, vendors=[twin_b, twin_a]), example, TODAY)
    assert [f.vendor.name for f in (*shortlist.shortlist, *shortlist.others)] == ["Alpha", "Beta"]


def test_needs_echo_the_answers_of_module_prestataire(content, example) -> None:
    needs = match_vendors(content, example, TODAY).needs
    assert any("marque blanche" in n for n in needs)
    assert match_vendors(content, replace(example, responses={}), TODAY).needs == ()
