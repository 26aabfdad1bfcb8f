"""The requirements catalogue and the cahier des charges a buyer can publish (#16): numbered
requirements chosen from the answers, vote integrity when there is a vote, nothing that addresses
the buyer, and every open point in the list of points to complete."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import pytest

from deployer.analysis.neutrality import brand_names, mentions
from deployer.analysis.requirements import select_requirements
from deployer.answers.answers_file import Answers, read_answers
from deployer.documents.dossier import build_dossier, cctp_with_notes, render_cctp
from deployer.schema.content import Content
from deployer.schema.loader import collect_content
from tests.conftest import ROOT

TODAY = date(2026, 11, 21)
EXAMPLES = sorted((ROOT / "examples").glob("*-reponses.yaml"))
SMALL, BIG = "commune-de-saint-aubin-des-pres", "metropole-rives-de-l-estuaire"
TODO_START = "[À COMPLÉTER\u00a0: "
CHECKLIST = "## Points à compléter avant publication"
# What only a buyer should read: advice, reminders to check, where a text was read.
ADVICE = ("Note pour la collectivité", "à retirer avant publication", "S'il s'agit d'un accord-cadre",
          "vérifiez", "à vérifier", "lu via", "il est recommandé", "Repère", "pratique courante")


def stem(path: Path) -> str:
    return path.name.removesuffix("-reponses.yaml")


def example_answers(content: Content, name: str) -> Answers:
    return read_answers(ROOT / "examples" / f"{name}-reponses.yaml", content)


def chapter(text: str, number: int) -> str:
    match = re.search(rf"^## {number}\. .*?(?=^## )", text, re.MULTILINE | re.DOTALL)
    assert match, f"chapter {number} missing"
    return match.group(0)


def requirement_ids(text: str, prefix: str = "") -> list[str]:
    """The « Réf. » of each row of the requirement tables (those starting with ``prefix``)."""
    found = re.findall(r"^\| ([A-Z]{2,4}(?:-[A-Z]{2,4})?-\d{2}) \|", text, re.MULTILINE)
    return [i for i in found if i.startswith(prefix)]


def open_points(text: str) -> list[str]:
    """Each « … » of « [À COMPLÉTER : …] », brackets inside it (« [1] ») included."""
    points, start = [], text.find(TODO_START)
    while start != -1:
        depth, i = 1, start + len(TODO_START)
        while depth:
            depth += {"[": 1, "]": -1}.get(text[i], 0)
            i += 1
        points.append(text[start + len(TODO_START):i - 1])
        start = text.find(TODO_START, i)
    return points


def variants(content: Content) -> list[Answers]:
    """The examples, and Sainte-Claire through each purchasing route and offer model."""
    answers = [read_answers(path, content) for path in EXAMPLES]
    base = answers[-1]
    answers += [base.with_answer("prestataire", "achat", value)
                for value in ("procedure", "gre_a_gre", "centrale_achat")]
    answers += [base.with_answer("prestataire", "modele_offre", value)
                for value in ("offre_essai", "intermediation", "logiciel_libre", "developpement_interne", "mutualisee")]
    answers.append(base.with_profile("population", 520000).with_answer("prestataire", "duree_mois", 48))
    return answers


def test_the_catalogue_is_a_complete_one(content: Content) -> None:
    requirements = [r for _, chapter_requirements in content.requirements for r in chapter_requirements]
    assert 80 <= len(requirements) <= 150
    chapters = {c.id for c, _ in content.requirements}
    assert {"socle", "vote", "budget-participatif", "accessibilite", "donnees", "reversibilite", "hebergement",
            "securite", "niveaux-de-service", "recette", "documentation-formation"} <= chapters


def test_the_published_cctp_holds_no_advice_and_lists_every_open_point(content: Content) -> None:
    for answers in variants(content):
        text, notes = cctp_with_notes(content, answers, TODAY)
        body, checklist = text.split(CHECKLIST)
        for advice in ADVICE:
            assert advice not in text, f"{answers.name}: « {advice} » in the CCTP"
        listed = [line.removeprefix("- [ ] ") for line in checklist.strip().splitlines()]
        missing = [point for point in open_points(body) if point not in listed]
        assert not missing, f"{answers.name}: open points not in the checklist: {missing}"
        assert notes  # the advice went somewhere: the note de cadrage


def test_the_notes_to_the_buyer_move_to_the_note_de_cadrage(content: Content, example: Answers) -> None:
    files = build_dossier(content, example, TODAY, formats=("md",))
    note, cctp = files["note-de-cadrage.md"], files["cahier-des-charges.md"]
    assert isinstance(note, str) and isinstance(cctp, str)
    assert "Remarques sur le projet de cahier des charges" in note
    assert "vérifiez-en la version en vigueur" in note and "vérifiez-en" not in cctp


def test_award_criteria_leave_the_cctp_for_the_note_de_cadrage(content: Content, example: Answers) -> None:
    answers = example.with_answer("prestataire", "achat", "procedure")
    files = build_dossier(content, answers, TODAY, formats=("md",))
    note, cctp = files["note-de-cadrage.md"], files["cahier-des-charges.md"]
    assert isinstance(note, str) and isinstance(cctp, str)
    assert content.award_criteria is not None
    for criterion in content.award_criteria.criteres:
        assert f"**{criterion.label}**" in note and re.search(rf"\*\*{criterion.weight}\s%\*\*", note)
        assert criterion.label not in cctp or criterion.id == "prix"  # « Prix » is a common word
    assert "Pondération" not in cctp and "pondération proposée" not in cctp.lower()


def test_the_object_is_a_service_with_a_cpv_code(content: Content, example: Answers) -> None:
    text = render_cctp(content, example, TODAY)
    head = text.split("## Sommaire")[0]
    assert "prestation de services" in head and "fourniture" not in head
    assert "Code CPV principal" in head and "72416000-9" in head
    assert "Vocabulaire commun pour les marchés publics" in chapter(text, 13)


def test_the_price_revision_is_a_clause_the_buyer_fills_in(content: Content, example: Answers) -> None:
    text = render_cctp(content, example.with_answer("prestataire", "reconductions", 2), TODAY)
    prices = chapter(text, 11)
    assert "le candidat indique la formule" not in prices
    assert "R2112-13" in prices and any(p.startswith("clause de révision des prix") for p in open_points(prices))


@pytest.mark.parametrize("path", EXAMPLES, ids=stem)
def test_functional_needs_and_service_levels_are_numbered_requirements(content: Content, path: Path) -> None:
    answers = read_answers(path, content)
    text = render_cctp(content, answers, TODAY)
    functions, service = requirement_ids(chapter(text, 3)), requirement_ids(chapter(text, 10))
    chosen = {r.id for r in select_requirements(content, answers)}
    assert len(functions) >= 15 and all(i.startswith("FON-") for i in functions)
    assert {"NS-01", "NS-05", "REC-04"} <= set(service)
    assert set(requirement_ids(text)) == chosen  # the CCTP prints exactly the selection
    stated = requirement_ids(text.split("\n## 11. ")[0])  # chapter 11 lists the options again, to price them
    assert sorted(stated) == sorted(chosen)


def test_a_small_commune_keeps_only_what_it_needs(content: Content) -> None:
    small = render_cctp(content, example_answers(content, SMALL), TODAY)
    big = render_cctp(content, example_answers(content, BIG), TODAY)
    assert len(requirement_ids(small)) < 0.75 * len(requirement_ids(big))
    assert len(requirement_ids(chapter(small, 3))) < len(requirement_ids(chapter(big, 3)))
    assert "SEC-07" not in requirement_ids(small) and "SEC-07" in requirement_ids(big)  # intrusion tests


@pytest.mark.parametrize("functions", [["idees"], ["vote"], ["budget_participatif", "cartographie"], ["sondage"]])
def test_vote_integrity_requirements_come_with_a_vote(content: Content, example: Answers, functions: list[str]) -> None:
    text = render_cctp(content, example.with_answer("prestataire", "fonctionnalites", functions), TODAY)
    vote = {"FON-VO-01", "FON-VO-02", "FON-VO-05", "FON-VO-08", "FON-VO-09", "FON-VO-10"}
    has_vote = bool({"vote", "budget_participatif"} & set(functions))
    assert (vote <= set(requirement_ids(text))) is has_vote
    assert bool(requirement_ids(text, "FON-VO")) is has_vote
    assert ("FON-BP-01" in requirement_ids(text)) is ("budget_participatif" in functions)


def test_levels_follow_the_answers(content: Content, example: Answers) -> None:
    def level(answers: Answers, requirement_id: str) -> str:
        return next(r.level for r in select_requirements(content, answers) if r.id == requirement_id)

    # Accessibility is a legal obligation: it stays a requirement even when only « souhaitée ».
    wished = example.with_answer("mobilisation", "accessibilite", "souhaitee")
    assert level(wished, "ACC-01") == "exigence"
    assert level(example.with_answer("mobilisation", "accessibilite", "rgaa_exige"), "ACC-01") == "exigence"
    assert level(example.with_answer("mobilisation", "mediation", "non"), "FON-SO-12") == "souhait"
    assert level(example.with_answer("mobilisation", "mediation", "oui"), "FON-SO-12") == "exigence"


def test_service_levels_are_open_points_with_sourced_defaults(content: Content, example: Answers) -> None:
    availability = next(r for r in select_requirements(content, example) if r.id == "NS-01")
    assert len(availability.open_points) == 1
    assert re.fullmatch(r"taux de disponibilité mensuel minimal\s; valeur proposée\s: au moins 97\s% du temps",
                        availability.open_points[0])
    assert f"{TODO_START}{availability.open_points[0]}]" in availability.text
    assert {s.source for s in availability.sources} == {"cctp-plaine-commune-saint-denis"}
    # a value no public source gives is left to the buyer, without a made-up default
    backups = next(r for r in select_requirements(content, example) if r.id == "NS-10")
    assert backups.open_points and not any("valeur proposée" in p for p in backups.open_points)


def test_the_catalogue_names_no_vendor_nor_product(content: Content) -> None:
    names = brand_names(content)
    for chapter_, requirements in content.requirements:
        texts = [chapter_.title, chapter_.intro or ""]
        for r in requirements:
            texts += [r.title, r.text, r.verification, *(f"{p.what} {p.default or ''}" for p in r.parameters)]
        assert mentions(" ".join(texts), names) == set(), chapter_.id


REQUIREMENTS_FILE = """chapitre:
  id: essai
  title: "Essai"
  order: 1
  section: fonctions
exigences:
  - id: ESS-01
    title: "Premier"
    text: "Texte {valeur}."
    level: exigence
    when: [{question: alpha.service, in: [oui]}]
    verification: "Démonstration."
    parameters:
      - {id: valeur, what: "une valeur", default: "dix", sources: [{source: doc}]}
"""


@pytest.mark.parametrize(("old", "new", "message"), [
    ("alpha.service", "alpha.inconnue", "question inconnue « alpha.inconnue »"),
    ("in: [oui]", "in: [peut-etre]", "valeur(s) inconnue(s) ['peut-etre']"),
    ("source: doc", "source: absente", "source inconnue : « absente »"),
    ("Texte {valeur}.", "Texte {autre}.", "« {autre} » dans le texte, mais aucun paramètre « autre »"),
    ("Texte {valeur}.", "Texte {valeur}, 50 %.", "citez sa source"),
    ("level: exigence", "level: obligatoire", "exigences[0] › level"),
])
def test_the_catalogue_rules_name_file_and_requirement(content_copy: Path, old: str, new: str, message: str) -> None:
    folder = content_copy / "requirements"
    folder.mkdir()
    (folder / "essai.yaml").write_text(REQUIREMENTS_FILE, encoding="utf-8")
    assert collect_content(content_copy)[1] == []
    (folder / "essai.yaml").write_text(REQUIREMENTS_FILE.replace(old, new), encoding="utf-8")
    found = [str(p) for p in collect_content(content_copy)[1]]
    assert any("requirements/essai.yaml" in p and message in p for p in found), found


def test_duplicate_requirement_ids_are_rejected(content_copy: Path) -> None:
    folder = content_copy / "requirements"
    folder.mkdir()
    (folder / "a.yaml").write_text(REQUIREMENTS_FILE, encoding="utf-8")
    (folder / "b.yaml").write_text(REQUIREMENTS_FILE.replace("id: essai", "id: autre"), encoding="utf-8")
    found = [str(p) for p in collect_content(content_copy)[1]]
    assert any("identifiant « ESS-01 » en double" in p for p in found), found


def test_a_free_trial_asks_for_no_guarantee_and_no_second_pilot(content: Content, example: Answers) -> None:
    def ids(answers: Answers) -> set[str]:
        return {r.id for r in select_requirements(content, answers)}

    paid = example.with_answer("ressources", "experimentation", "oui")
    assert {"REC-06", "REC-07"} <= ids(paid.with_answer("prestataire", "modele_offre", "marque_blanche"))
    # The trial is the pilot, and a one-year guarantee has no object for a free, short trial.
    assert not {"REC-06", "REC-07"} & ids(paid.with_answer("prestataire", "modele_offre", "offre_essai"))


def test_every_technical_option_has_a_price_line_outside_the_total(content: Content) -> None:
    for answers in variants(content):
        text = render_cctp(content, answers, TODAY)
        options = [r.id for r in select_requirements(content, answers) if r.level == "option"]
        prices = chapter(text, 11)
        table = prices.split("Options techniques")[1] if "Options techniques" in prices else ""
        assert requirement_ids(table) == options
        assert "Total" not in table


def test_the_accompaniment_requirements_follow_who_provides_each_service(content: Content, example: Answers) -> None:
    from deployer.analysis.budget import estimate_budget, role_conflicts, titulaire_services

    def ids(answers: Answers) -> set[str]:
        return {r.id for r in select_requirements(content, answers) if r.id.startswith("ACP-")}

    base = example.with_answer("prestataire", "prestations", ["formation"])
    assert not ids(base.with_answer("prestataire", "moderation", "interne")
                   .with_answer("prestataire", "synthese_par", "interne"))
    by_role = base.with_answer("prestataire", "moderation", "prestataire")
    assert {"ACP-03"} <= ids(by_role) and "ACP-04" not in ids(by_role)  # a role answer gives the service
    assert {"ACP-03", "ACP-04"} <= ids(base.with_answer("prestataire", "moderation", "partagee"))
    asked_but_kept = example.with_answer("prestataire", "prestations", ["moderation"]).with_answer(
        "prestataire", "moderation", "interne")
    assert "ACP-03" not in ids(asked_but_kept)  # a conflict: the CCTP asks to settle it, no requirement yet
    shared = base.with_answer("prestataire", "synthese_par", "partagee")
    assert "ACP-05" in ids(shared) and "ACP-06" not in ids(shared)  # the collectivité writes it
    # One rule for the budget, the DPGF and the requirements.
    for answers in [*variants(content), by_role, asked_but_kept, shared]:
        estimate = estimate_budget(content, answers, today=TODAY)
        assert set(titulaire_services(content, answers)) == (
            set(estimate.service_ids) - set(role_conflicts(content, answers)))
