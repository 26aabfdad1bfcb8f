"""Catalogue queries and the shortlist, as pure functions on the shipped catalogue and on fixtures."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from deployer.analysis.vendor_facts import (
    OLD_EVIDENCE_YEARS,
    SourceIndex,
    documentation_gaps,
    french_date,
    licence_text,
    vendor_facts,
)
from deployer.analysis.vendor_lookup import VendorFilter, feature_code, filter_vendors, find_vendor
from deployer.analysis.vendor_match import Reason, fit_vendor, match_vendors, require_answers
from deployer.answers.answers_file import Answers, read_answers
from deployer.errors import DeployerError
from deployer.schema.content import Content
from deployer.schema.vendor_wording import CATALOGUE_FIELDS
from deployer.schema.vendors import Vendor
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


def test_feature_codes_accept_hyphens_and_list_allowed_values_otherwise(content) -> None:
    assert feature_code(content.wording, "budget-participatif") == "budget_participatif"
    with pytest.raises(DeployerError) as error:
        feature_code(content.wording, "tirage-au-sort")
    hint = error.value.hint or ""
    assert "budget participatif" in hint and "cartographie" in hint
    assert "débat" in hint and "boîte à idées (idees)" in hint  # French labels, code when it differs


@pytest.mark.parametrize(("typed", "code"), [
    ("débat", "debat"), ("Débat", "debat"), ("idées", "idees"), ("boîte à idées", "idees"),
    ("Budget participatif", "budget_participatif"), ("questionnaire", "sondage"), ("pétition", "petition"),
])
def test_feature_codes_fold_accents_case_and_accept_the_french_label(content, typed: str, code: str) -> None:
    assert feature_code(content.wording, typed) == code


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
        for row in vendor_facts(content.wording, vendor):
            assert row.field in CATALOGUE_FIELDS
            if row.field not in ("kind", "country", "part_of", "based_on", "repository") and row.value not in (
                "inconnu", "inconnue", "sans objet"
            ):
                assert row.sources, (vendor.id, row.field)


# -- matching ----------------------------------------------------------------------------------


def test_an_unknown_fact_becomes_a_question_never_a_fit(content, example) -> None:
    vendor = make_vendor(content, data_access={
        **next(v for v in content.vendors if v.id == "decidim").data_access.model_dump(exclude_none=True),
        "raw_export": {"value": "inconnu"},
    })
    fit = fit_vendor(content.wording, vendor, with_answers(example, acces_donnees=["donnees_brutes"]), TODAY)
    asked = [r for r in fit.questions if r.field == "data_access.raw_export"]
    assert len(asked) == 1 and "demandez" in asked[0].text
    assert not [r for r in (*fit.fits, *fit.misfits) if r.field == "data_access.raw_export"]


def test_unknown_features_become_one_question_naming_the_needed_features(content, example) -> None:
    vendor = make_vendor(content, features={"value": "inconnu"})
    fit = fit_vendor(content.wording, vendor, with_answers(example, fonctionnalites=["vote", "cartographie"]), TODAY)
    [asked] = [r for r in fit.questions if r.field == "features"]
    assert "vote" in asked.text and "cartographie" in asked.text


def test_required_open_source_blocks_a_closed_offer(content, example) -> None:
    vendor = make_vendor(content, **CLOSED)
    fit = fit_vendor(content.wording, vendor,
                     with_answers(example, logiciel_libre="exige", hebergement="france_ue"), TODAY)
    assert fit.blocked
    [misfit] = [r for r in fit.misfits if r.field == "open_source"]
    assert misfit.blocking and misfit.sources


def test_wished_open_source_flags_a_closed_offer_without_excluding_it(content, example) -> None:
    vendor = make_vendor(content, **CLOSED)
    fit = fit_vendor(content.wording, vendor,
                     with_answers(example, logiciel_libre="souhaite", modele_offre="logiciel_libre",
                                          hebergement="france_ue"), TODAY)
    assert any(r.field == "open_source" and not r.blocking for r in fit.misfits)
    assert not fit.blocked


def test_indifferent_open_source_says_nothing_about_the_licence(content, example) -> None:
    vendor = make_vendor(content, **CLOSED)
    fit = fit_vendor(content.wording, vendor,
                     with_answers(example, logiciel_libre="indifferent", hebergement="france_ue"), TODAY)
    assert not [r for r in (*fit.fits, *fit.misfits, *fit.questions) if r.field in ("open_source", "licence")]


def test_a_data_access_the_sources_deny_is_a_blocking_misfit(content, example) -> None:
    decidim = next(v for v in content.vendors if v.id == "decidim")
    access = decidim.data_access.model_dump(exclude_none=True)
    access["back_office"] = {"value": "non", "sources": [{"source": "audacities"}]}
    fit = fit_vendor(content.wording, make_vendor(content, data_access=access),
                     with_answers(example, acces_donnees=["back_office"], modele_offre="logiciel_libre"), TODAY)
    assert fit.blocked and [r.field for r in fit.misfits if r.blocking] == ["data_access.back_office"]


def test_a_feature_absent_from_the_sources_is_a_misfit_to_check_not_a_blocker(content, example) -> None:
    vendor = make_vendor(content, features={"value": ["vote"], "sources": [{"source": "audacities"}]})
    fit = fit_vendor(content.wording, vendor, with_answers(example, fonctionnalites=["vote", "signalement"]), TODAY)
    assert any(r.field == "features" and "vote" in r.text for r in fit.fits)
    [missing] = [r for r in fit.misfits if r.field == "features"]
    assert "signalement" in missing.text and not missing.blocking


def test_the_wrong_offer_model_is_a_blocking_misfit(content, example) -> None:
    vendor = make_vendor(content, offer_models={"value": ["intermediation"], "sources": [{"source": "audacities"}]},
                         **CLOSED)
    fit = fit_vendor(content.wording, vendor, with_answers(example, modele_offre="marque_blanche"), TODAY)
    assert [r.field for r in fit.misfits if r.blocking] == ["offer_models"]


def test_a_stale_entry_asks_to_check_it_again(content, example) -> None:
    vendor = make_vendor(content)
    later = date(2028, 1, 1)
    assert any(r.field == "verified_on" for r in fit_vendor(content.wording, vendor, example, later).questions)
    assert not any(r.field == "verified_on" for r in fit_vendor(content.wording, vendor, example, TODAY).questions)


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.name)
def test_every_reason_traces_to_a_catalogue_field_and_its_sources(content, path: Path) -> None:
    shortlist = match_vendors(content, read_answers(path, content), TODAY)
    for fit in (*shortlist.shortlist, *shortlist.others):
        for reason in (*fit.fits, *fit.misfits):
            assert reason.field in CATALOGUE_FIELDS
            assert reason.sources, (fit.vendor.id, reason.text)
        for reason in fit.questions:
            assert reason.field in CATALOGUE_FIELDS


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.name)
def test_defunct_providers_are_set_apart_and_the_order_follows_the_rule(content, path: Path) -> None:
    shortlist = match_vendors(content, read_answers(path, content), TODAY)
    listed = [f.vendor.id for f in (*shortlist.shortlist, *shortlist.others)]
    assert "democracyos" not in listed and "democracyos" in {v.id for v in shortlist.set_apart}
    assert len(listed) + len(shortlist.set_apart) + len(shortlist.undocumented) == len(content.vendors)
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


# -- review of issue 7: partial licences ------------------------------------------------------


def by_id(content: Content, vendor_id: str) -> Vendor:
    return next(v for v in content.vendors if v.id == vendor_id)


def test_a_partial_licence_is_shown_with_what_it_covers(content) -> None:
    assert licence_text(content.wording, by_id(content, "go-vocal")) == (
        "AGPL-3.0 (édition libre) / propriétaire (édition commerciale)"
    )
    assert licence_text(content.wording, by_id(content, "make-org")) == (
        "AGPL-3.0-or-later (dépôt main-api) / inconnue (autres composants)"
    )
    assert licence_text(content.wording, by_id(content, "decidim")) == "AGPL-3.0"
    row = next(r for r in vendor_facts(content.wording, by_id(content, "go-vocal")) if r.field == "licence")
    assert "propriétaire (édition commerciale)" in row.value and row.sources


@pytest.mark.parametrize("vendor_id", ["go-vocal", "make-org"])
def test_a_partial_licence_is_never_installable_on_your_infrastructure(content, example, vendor_id: str) -> None:
    fit = fit_vendor(content.wording, by_id(content, vendor_id), with_answers(example, hebergement="interne"), TODAY)
    assert not [r for r in fit.fits if "installable" in r.text]
    [asked] = [r for r in fit.questions if "infrastructure" in r.text]
    assert "édition" in asked.text and asked.sources


def test_required_free_software_blocks_an_open_core_whose_product_is_proprietary(content, example) -> None:
    required = with_answers(example, logiciel_libre="exige")
    govocal = fit_vendor(content.wording, by_id(content, "go-vocal"), required, TODAY)
    assert govocal.blocked and [r.field for r in govocal.misfits if r.blocking] == ["licence"]
    makeorg = fit_vendor(content.wording, by_id(content, "make-org"), required, TODAY)  # rest of the code: unknown
    assert not [r for r in (*makeorg.fits, *makeorg.misfits) if r.field in ("licence", "open_source")]
    assert [r for r in makeorg.questions if r.field == "licence"]


def test_partial_code_must_say_what_the_free_licence_covers(content) -> None:
    with pytest.raises(ValueError, match="licence_split"):
        make_vendor(content, open_source={"value": "partiel", "sources": [{"source": "audacities"}]})


# -- poorly documented entries, no answers ----------------------------------------------------


def test_poorly_documented_entries_are_not_ranked(content, example) -> None:
    shortlist = match_vendors(content, example, TODAY)
    apart = {v.id for v in shortlist.undocumented}
    assert {"j-en-parle", "neocity", "carticipe", "vooter", "consultvox"} <= apart
    ranked = {f.vendor.id for f in (*shortlist.shortlist, *shortlist.others)}
    assert not apart & ranked and {"decidim", "consul-democracy"} <= ranked
    assert all(documentation_gaps(v) for v in shortlist.undocumented)


@pytest.mark.parametrize("change", [
    {"confidence": "faible"}, {"offer_models": {"value": "inconnu"}}, {"features": {"value": "inconnu"}},
])
def test_the_documentation_rule(content, example, change: dict[str, Any]) -> None:
    vendor = make_vendor(content, **change)
    assert documentation_gaps(vendor)
    shortlist = match_vendors(replace(content, vendors=[vendor]), example, TODAY)
    assert shortlist.undocumented == (vendor,) and not shortlist.shortlist and not shortlist.others
    assert documentation_gaps(make_vendor(content)) == []


def test_a_match_needs_an_answer_to_its_questions(content, example) -> None:
    require_answers(match_vendors(content, example, TODAY))
    with pytest.raises(DeployerError) as error:
        require_answers(match_vendors(content, replace(example, responses={}), TODAY))
    assert "prestataire" in error.value.message and "--module prestataire" in (error.value.hint or "")


# -- dates of the evidence ------------------------------------------------------------------


def test_a_misfit_resting_on_old_evidence_is_flagged_and_no_longer_blocks(content, example) -> None:
    access = by_id(content, "decidim").data_access.model_dump(exclude_none=True)
    access["back_office"] = {"value": "non", "sources": [{"source": "audacities"}]}  # a 2018 study
    vendor = make_vendor(content, data_access=access)
    answers = with_answers(example, acces_donnees=["back_office"], modele_offre="logiciel_libre")
    now = match_vendors(replace(content, vendors=[vendor]), answers, TODAY)
    [misfit] = [r for f in now.shortlist for r in f.misfits if r.field == "data_access.back_office"]
    assert misfit.old_evidence == "2018" and not misfit.blocking
    then = match_vendors(replace(content, vendors=[vendor]), answers, date(2018 + OLD_EVIDENCE_YEARS, 6, 1))
    assert [f.vendor.id for f in then.others] == [vendor.id]  # recent enough: it blocks
    assert all(r.old_evidence is None for f in then.others for r in f.misfits)


def test_dates_are_written_the_french_way() -> None:
    assert french_date("2020-05-28") == "28/05/2020"
    assert french_date("2024-06") == "06/2024"
    assert french_date("2024") == "2024"


def test_sources_are_numbered_in_order_of_first_citation_with_date_and_url(content) -> None:
    index = SourceIndex(content)
    govocal = by_id(content, "go-vocal")
    first = index.cite(govocal.offer_models.sources)
    assert first == "[1]\u202f; [2]"
    assert index.cite(govocal.offer_models.sources[:1]) == "[1]"
    [(number, entry, url), *_] = index.entries()
    assert number == 1 and url is not None and url.startswith("https://")
    assert "2024" in entry


# -- references and services --------------------------------------------------------------------


def test_references_say_what_is_counted_and_carry_their_notes(content, example) -> None:
    fit = fit_vendor(content.wording, by_id(content, "make-org"), example, TODAY)
    [refs] = [r for r in fit.fits if r.field == "french_clients"]
    text = refs.text.replace("\u00a0", " ")
    assert "(1 fiche, une fiche pouvant citer plusieurs collectivités)" in text
    assert "Client payant ou non : à vérifier" in text


def test_services_wanted_ask_the_right_question_for_each_offer_model(content, example) -> None:
    services = with_answers(example, prestations=["formation"])
    def support(vendor_id: str) -> list[str]:
        fit = fit_vendor(content.wording, by_id(content, vendor_id), services, TODAY)
        return [r.text for r in fit.questions if r.field == "offer_models"]
    assert any("SaaS" in t for t in support("your-priorities")) and any("SaaS" in t for t in support("adhocracy-plus"))
    assert support("assembl") == []  # sold with consulting by bluenove
    assert support("cap-collectif") == []
    assert any("logiciel libre seul" in t for t in support("decidim"))
