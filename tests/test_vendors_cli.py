"""deployer vendors: list with filters, show, compare, match — as a user types them."""

from __future__ import annotations

from datetime import date
from types import SimpleNamespace

import pytest

from tests.conftest import EXAMPLE


@pytest.fixture
def run(run):  # noqa: ANN001, ANN201 - the conftest helper, French no-break spaces read as spaces
    """Output with U+00A0 / U+202F as plain spaces, so that assertions read like the screen."""

    def invoke(*args: str, **options: str) -> SimpleNamespace:
        result = run(*args, **options)
        text = result.output.replace("\u00a0", " ").replace("\u202f", " ")
        return SimpleNamespace(exit_code=result.exit_code, output=text)

    return invoke


def test_vendors_alone_lists_the_catalogue(run) -> None:
    result = run("vendors")
    assert result.exit_code == 0
    for name in ("Cap Collectif", "Decidim", "Go Vocal", "DemocracyOS"):
        assert name in result.output
    assert "26 prestataires" in result.output


def test_list_and_the_bare_group_accept_the_same_filters(run) -> None:
    bare = run("vendors", "--open-source", "--fonction", "budget-participatif")
    listed = run("vendors", "list", "--open-source", "--fonction", "budget-participatif")
    assert bare.exit_code == listed.exit_code == 0 and bare.output == listed.output
    assert "Decidim" in listed.output and "Fluicity" not in listed.output


def test_ugap_marque_blanche_and_actif_filters(run) -> None:
    assert "1 prestataire." in run("vendors", "list", "--ugap").output
    white = run("vendors", "list", "--marque-blanche", "--actif").output
    assert "Cap Collectif" in white and "Decidim" not in white and "Politizr" not in white


def test_an_unknown_feature_is_refused_with_the_allowed_values(run) -> None:
    result = run("vendors", "list", "--fonction", "tirage-au-sort")
    assert result.exit_code == 2
    assert "fonction « tirage-au-sort » inconnue" in result.output
    assert "budget participatif" in result.output and "Traceback" not in result.output


def test_show_gives_every_fact_with_its_source_and_the_date(run) -> None:
    result = run("vendors", "show", "citizenlab")
    assert result.exit_code == 0
    out = result.output
    assert out.startswith("Go Vocal (CitizenLab)")
    for label in ("Modèle d'offre :", "Licence :", "Hébergement :", "Accessibilité :", "Statut :"):
        assert label in out
    assert "Source : " in out and "Faits relevés le 21/11/2026" in out


def test_show_an_unknown_name_suggests_close_matches(run) -> None:
    result = run("vendors", "show", "fluicty")
    assert result.exit_code == 2
    assert "« fluicty » introuvable" in result.output and "Fluicity" in result.output


def test_show_warns_when_the_entry_is_stale(content, capsys) -> None:
    from deployer.documents.vendors import print_vendor

    vendor = next(v for v in content.vendors if v.id == "decidim")
    print_vendor(content, vendor, date(2028, 1, 1))
    assert "à revérifier depuis le 21/11/2027" in capsys.readouterr().out
    print_vendor(content, vendor, date(2026, 11, 21))
    assert "Attention" not in capsys.readouterr().out


def test_compare_puts_providers_side_by_side(run) -> None:
    result = run("vendors", "compare", "decidim", "Cap Collectif", "go-vocal")
    assert result.exit_code == 0
    header = next(line for line in result.output.splitlines() if "Decidim" in line)
    assert "Cap Collectif" in header and "Go Vocal" in header
    assert "Licence" in result.output and "Relevé le" in result.output


def test_compare_fits_80_columns(run, monkeypatch) -> None:
    monkeypatch.setenv("COLUMNS", "80")
    result = run("vendors", "compare", "decidim", "cap-collectif", "go-vocal", "fluicity")
    assert result.exit_code == 0
    assert max(len(line) for line in result.output.splitlines()) <= 80


def test_compare_needs_two_to_four_names(run) -> None:
    result = run("vendors", "compare", "decidim")
    assert result.exit_code == 2 and "de 2 à 4 prestataires" in result.output
    five = run("vendors", "compare", "a", "b", "c", "d", "e")  # counted before any name is looked up
    assert five.exit_code == 2 and "de 2 à 4 prestataires" in five.output and "introuvable" not in five.output


def test_compare_refuses_the_same_provider_twice(run) -> None:
    result = run("vendors", "compare", "go-vocal", "CitizenLab")
    assert result.exit_code == 2 and "plusieurs fois" in result.output


def test_compare_at_80_columns_cuts_no_label(run, monkeypatch) -> None:
    monkeypatch.setenv("COLUMNS", "80")
    for names in (("decidim", "cap-collectif"), ("decidim", "cap-collectif", "go-vocal", "fluicity")):
        out = run("vendors", "compare", *names).output
        assert max(len(line) for line in out.splitlines()) <= 80
        for label in ("Licence", "Fonctions", "Accessibilité", "Export brut", "Clients FR", "Relevé le"):
            assert label in out, (names, label)
        assert "Decidim" in out
    assert "intermédiation" in out  # Fluicity's offer, whole: no value word is cut either


def test_filters_before_the_subcommand_are_refused_not_ignored(run) -> None:
    for args in (("vendors", "--open-source", "list"), ("vendors", "--ugap", "show", "decidim")):
        result = run(*args)
        assert result.exit_code == 2 and "après « list »" in result.output, args
        assert "vendors list --open-source" in result.output


def test_an_accented_feature_is_accepted(run) -> None:
    accented = run("vendors", "list", "--fonction", "débat")
    assert accented.exit_code == 0 and accented.output == run("vendors", "list", "--fonction", "debat").output
    assert run("vendors", "list", "--fonction", "Idées").exit_code == 0


def test_the_list_shows_the_status_with_its_date_and_the_licence_honestly(run, monkeypatch) -> None:
    monkeypatch.setenv("COLUMNS", "200")
    out = run("vendors", "list").output
    democracyos = next(line for line in out.splitlines() if "DemocracyOS" in line)
    assert "non maintenu (28/05/2020, preuve ancienne)" in democracyos  # five years old or more
    govocal = next(line for line in out.splitlines() if "Go Vocal" in line)
    assert "AGPL-3.0 (édition" in govocal and "propriétaire" in out
    assert "proprietaire" not in out  # the label, not the code


def test_show_numbers_its_sources_with_date_and_address(run) -> None:
    out = run("vendors", "show", "fluicity").output
    assert "Source : [1]" in out and "\nSources\n" in out
    assert out.count("https://") >= 3
    sources = out.split("\nSources\n")[1]
    assert "[1] " in sources and "2016" in sources  # each source with its date (Fluicity: 2016 to 2021)


def test_match_is_labelled_and_lists_what_to_ask(run) -> None:
    result = run("vendors", "match", str(EXAMPLE))
    assert result.exit_code == 0
    out = result.output
    assert "pas une recommandation" in out
    for heading in ("Ce qui correspond :", "À demander :", "Offres qui s'écartent d'une exigence"):
        assert heading in out
    assert "champ « " in out
    assert "DemocracyOS : non maintenu (dernière preuve : 28/05/2020)" in out


def test_match_sets_apart_poorly_documented_entries(run) -> None:
    out = run("vendors", "match", str(EXAMPLE)).output
    undocumented = out.split("Trop peu documentées pour être comparées")[1].split("Écartées")[0]
    assert "J'en parle" in undocumented and "Neocity" in undocumented
    assert "J'en parle" not in out.split("Trop peu documentées")[0]


def test_match_refuses_a_file_without_the_answers_it_uses(run, in_tmp) -> None:
    import yaml

    data = yaml.safe_load(EXAMPLE.read_text(encoding="utf-8"))
    data["reponses"].pop("prestataire", None)
    path = in_tmp / "sans-presta.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    result = run("vendors", "match", str(path))
    assert result.exit_code == 2 and "Traceback" not in result.output
    assert "module « prestataire »" in result.output and "--module prestataire" in result.output
    assert "Offres à examiner" not in result.output


def test_match_with_a_missing_file_is_a_french_error(run) -> None:
    result = run("vendors", "match", "absent.yaml")
    assert result.exit_code == 2 and "Traceback" not in result.output


def test_match_text_is_printed_as_written(run, monkeypatch) -> None:
    monkeypatch.setenv("COLUMNS", "80")
    out = run("vendors", "match", str(EXAMPLE)).output
    assert "[exigence]" in out  # not swallowed as Rich markup
    assert not [line for line in out.splitlines() if line.lstrip()[:1] in (":", ";", "»", "?", "!")]
