"""The buyer's review of the cahier des charges (#8): one rule for what the titulaire does,
no contradictory clauses, the purchasing route, the trial offer, and the legal notes."""

from __future__ import annotations

import re
from datetime import date

import pytest

from deployer.analysis.budget import estimate_budget
from deployer.answers.answers_file import Answers
from deployer.documents.dossier import cctp_with_notes, render_cctp
from deployer.schema.content import Content

TODAY = date(2026, 11, 21)


def chapter(text: str, number: int) -> str:
    """The text of « ## N. … » up to the next chapter."""
    match = re.search(rf"^## {number}\. .*?(?=^## )", text, re.MULTILINE | re.DOTALL)
    assert match, f"chapter {number} missing"
    return match.group(0)


def dpgf_rows(text: str) -> list[str]:
    return [line for line in chapter(text, 11).splitlines() if re.match(r"\| \d+ \|", line)]


def todos(text: str) -> list[str]:
    return text.split("## Points à compléter avant publication")[1].splitlines()


@pytest.mark.parametrize(("question", "value", "service"), [
    ("moderation", "partagee", "moderation"), ("moderation", "prestataire", "moderation"),
    ("synthese_par", "partagee", "synthese"), ("synthese_par", "prestataire", "synthese"),
])
def test_a_service_given_by_a_role_answer_is_priced_in_the_dpgf_and_the_budget(
    content: Content, example: Answers, question: str, value: str, service: str
) -> None:
    answers = example.with_answer("prestataire", "prestations", ["formation"])
    answers = answers.with_answer("prestataire", "moderation", "interne").with_answer(
        "prestataire", "synthese_par", "interne")
    before = estimate_budget(content, answers, today=TODAY)
    assert f"prestation_{service}" not in [line.id for line in before.lines]

    given = answers.with_answer("prestataire", question, value)
    estimate = estimate_budget(content, given, today=TODAY)
    line = next(line for line in estimate.lines if line.id == f"prestation_{service}")
    assert line.in_contract and line.total.central > 0
    assert estimate.estimated_value.central > before.estimated_value.central
    assert any(a.id == f"role_{service}" for a in estimate.assumptions)  # said, not silent

    text, notes = cctp_with_notes(content, given, TODAY, estimate)
    assert any(line.label in row for row in dpgf_rows(text))
    assert any("L'allotissement est la règle" in note for note in notes)  # advice for the buyer, out of the CCTP
    assert "allotissement" not in chapter(text, 2)


def test_in_house_moderation_and_synthesis_get_no_service_line(content: Content, example: Answers) -> None:
    answers = example.with_answer("prestataire", "prestations", ["formation"])
    answers = answers.with_answer("prestataire", "moderation", "interne").with_answer(
        "prestataire", "synthese_par", "interne")
    text = render_cctp(content, answers, TODAY)
    assert "aucune prestation de modération n'est demandée au titulaire" in text
    assert not any("Modération" in row or "Synthèse" in row for row in dpgf_rows(text))
    assert "l'allotissement est la règle" not in text


def test_a_service_asked_for_but_kept_in_house_is_a_todo_not_two_clauses(
    content: Content, example: Answers
) -> None:
    answers = example.with_answer("prestataire", "prestations", ["moderation"]).with_answer(
        "prestataire", "moderation", "interne")
    text = render_cctp(content, answers, TODAY)
    seven = chapter(text, 7)
    assert "prestation demandée au titulaire, mais la collectivité prévoit de modérer elle-même" in seven
    assert "Le titulaire modère les contributions" not in seven
    assert "aucune prestation de modération n'est demandée" not in seven
    assert any("modérer elle-même" in item for item in todos(text))


def test_internal_hosting_with_a_hosted_subscription_is_flagged(content: Content, example: Answers) -> None:
    answers = example.with_answer("prestataire", "modele_offre", "marque_blanche").with_answer(
        "prestataire", "hebergement", "interne")
    text = render_cctp(content, answers, TODAY)
    assert "L'outil est installé sur l'infrastructure de la collectivité" not in text
    assert any("incompatible avec l'offre" in item for item in todos(text))
    estimate = estimate_budget(content, answers, today=TODAY)
    assert any(w.id == "hebergement_contradictoire" for w in estimate.warnings)
    hosted_elsewhere = answers.with_answer("prestataire", "hebergement", "france_ue")
    assert "incompatible avec l'offre" not in render_cctp(content, hosted_elsewhere, TODAY)


def test_turnkey_offer_with_roles_kept_in_house_is_a_todo(content: Content, example: Answers) -> None:
    answers = example.with_answer("prestataire", "personnalisation", "cle_en_main").with_answer(
        "prestataire", "moderation", "interne").with_answer("prestataire", "synthese_par", "interne").with_answer(
        "prestataire", "prestations", ["formation"])
    two = chapter(render_cctp(content, answers, TODAY), 2)
    assert "de la mobilisation à la synthèse, sous le contrôle" not in two
    assert "offre clé en main souhaitée, mais la mobilisation, la modération et la synthèse restent" in two


def test_direct_purchase_compares_quotes_without_weighting(content: Content, example: Answers) -> None:
    text = render_cctp(content, example.with_answer("prestataire", "achat", "gre_a_gre"), TODAY)
    assert "il n'y a ni règlement de la consultation ni pondération" in text
    assert "Pondération" not in text and "règlement de la consultation précise" not in text
    procedure = render_cctp(content, example.with_answer("prestataire", "achat", "procedure"), TODAY)
    assert "le règlement de la consultation précise les pièces à remettre, les critères" in procedure
    # award criteria belong to the règlement de la consultation, not to the CCTP
    assert "Critères d'attribution" not in procedure and "pondération du prix" not in procedure


def test_purchasing_central_gets_an_expression_of_need(content: Content, example: Answers) -> None:
    text = render_cctp(content, example.with_answer("prestataire", "achat", "centrale_achat"), TODAY)
    assert "exprime le besoin de la collectivité auprès de la centrale d'achat" in text
    assert "Pondération" not in text


def test_a_free_trial_needs_a_convention_and_has_no_zero_lines(content: Content, example: Answers) -> None:
    answers = example.with_answer("prestataire", "modele_offre", "offre_essai").with_answer(
        "prestataire", "prestations", ["formation"])
    text, notes = cctp_with_notes(content, answers, TODAY)
    assert any("n'est en principe pas un marché public" in note for note in notes)
    rows = dpgf_rows(text)
    assert rows and not any("essai" in row for row in rows)
    assert any("[À COMPLÉTER\u00a0: convention d'essai" in note for note in notes)


def test_execution_conditions_and_social_note_above_the_eu_threshold(content: Content, example: Answers) -> None:
    small = example.with_answer("prestataire", "prestations", ["formation"]).with_answer(
        "prestataire", "moderation", "interne").with_answer("prestataire", "synthese_par", "interne")
    six = chapter(render_cctp(content, small, TODAY), 6)
    assert "Conditions d'exécution fixées par la collectivité" in six
    assert "condition d'exécution sociale" not in six  # platform and training only: well under 216 000 €
    big = example.with_answer("prestataire", "duree_mois", 24).with_answer(
        "prestataire", "prestations", ["formation", "animation", "moderation", "synthese", "mobilisation"])
    big = big.with_profile("population", 520000)
    text, notes = cctp_with_notes(content, big, TODAY)
    assert any("21 août 2026" in note and "condition d'exécution sociale" in note for note in notes)
    assert "condition d'exécution sociale" not in text  # the note and its open point left the CCTP together


def test_gdpr_processor_obligations_in_every_hosting_branch(content: Content, example: Answers) -> None:
    for hosting in ("france_ue", "interne", "indifferent", None):
        answers = example.with_answer("prestataire", "hebergement", hosting)
        text = render_cctp(content, answers, TODAY)
        assert "autorisation écrite préalable de la collectivité" in text
        assert any("accord de sous-traitance (article 28 du RGPD)" in i for i in todos(text))


def test_price_sentence_follows_the_pricing_answer(content: Content, example: Answers) -> None:
    unknown = render_cctp(content, example.with_answer("prestataire", "tarification", None), TODAY)
    assert "prix global" not in chapter(unknown, 11).replace("décomposition du prix global", "")
    options, notes = cctp_with_notes(content, example.with_answer("prestataire", "tarification", "forfait_options"),
                                     TODAY)
    assert "commander ou non" not in options and any("(PSE)" in note for note in notes)
    assert not any("(PSE)" in item for item in todos(options))  # the open point went with its note


def test_dpgf_labels_speak_of_the_titulaire(content: Content, example: Answers) -> None:
    answers = example.with_answer("prestataire", "modele_offre", "logiciel_libre")
    rows = dpgf_rows(render_cctp(content, answers, TODAY))
    assert rows and not any("prestataire" in row for row in rows)



def test_docx_opens_without_the_update_fields_prompt_and_price_columns_are_wide(
    content: Content, example: Answers
) -> None:
    import io
    import zipfile

    from deployer.documents.blocks import Table, parse_blocks
    from deployer.documents.dossier import cctp_files

    text = render_cctp(content, example, TODAY)
    data = cctp_files(text, example.name, ("docx",))["cahier-des-charges.docx"]
    assert isinstance(data, bytes)
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        assert "updateFields" not in archive.read("word/settings.xml").decode()
        assert "w:dirty" not in archive.read("word/document.xml").decode()
    dpgf = next(b for b in parse_blocks(text) if isinstance(b, Table) and "Montant HT" in
                "".join(r.text for r in b.header[-1]))
    shares = dpgf.shares()
    assert min(shares[-2:]) >= max(shares[0], shares[2])  # prices wider than N° and Unité


@pytest.mark.parametrize("value", ["collectivite", "operateur"])
def test_the_cctp_requires_participants_contacts_whenever_the_score_does(
    content: Content, example: Answers, value: str
) -> None:
    answers = example.with_answer("prestataire", "modele_offre", "intermediation").with_answer(
        "prestataire", "interlocuteur_participants", value)
    text = render_cctp(content, answers, TODAY)
    assert "reçoit les coordonnées des participants qui consentent" in text
    assert "garde la relation avec les participants" not in text
