"""Workshop mode: reading the groups' files, aggregating them, and the three views."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest
from rich.console import Console

from deployer.analysis.workshop import aggregate, group_labels
from deployer.answers.answers_file import Answers, dump_answers, read_answers
from deployer.answers.group_files import GroupFile, read_group_files
from deployer.documents.workshop import print_workshop, workshop_html, workshop_json
from tests.conftest import ROOT, golden

EXAMPLES = ROOT / "examples"


def group_file(folder: Path, name: str, body: str, version: str = "2026.11.1") -> Path:
    path = folder / f"{name}-reponses.yaml"
    path.write_text(f'format: 1\nversion_contenu: "{version}"\n'
                    f"profil: {{nom: {name}, type: commune, population: 5000}}\n{body}", encoding="utf-8")
    return path


@pytest.fixture
def room(tmp_path: Path) -> list[Path]:
    """Four groups, one broken file and one file from an older content version."""
    return [
        group_file(tmp_path, "a", "groupe: Groupe A\nreponses:\n"
                   "  alpha: {service: oui, detail: petit, canaux: [a, b]}\n"),
        group_file(tmp_path, "b", "groupe: Groupe B\nreponses:\n  alpha: {service: oui, detail: petit}\n"),
        group_file(tmp_path, "c", "reponses:\n  alpha: {service: nsp}\n"),
        group_file(tmp_path, "casse", "reponses:\n  alpha: {service: peut-etre}\n"),
        group_file(tmp_path, "ancien", "groupe: Groupe D\nreponses:\n  alpha: {service: non, retiree: x}\n",
                   version="2025.1.0"),
        tmp_path / "absent-reponses.yaml",
    ]


def test_broken_files_are_listed_with_their_reason_and_skipped(fixture_content, room) -> None:
    parsed, rejected = read_group_files(room, fixture_content)
    assert [g.path.name for g in parsed] == ["a-reponses.yaml", "b-reponses.yaml", "c-reponses.yaml",
                                             "ancien-reponses.yaml"]
    reasons = {r.path.name: r.reason for r in rejected}
    assert "« peut-etre » non permise" in reasons["casse-reponses.yaml"]
    assert reasons["absent-reponses.yaml"] == "fichier introuvable"


def test_a_file_from_an_older_content_version_is_upgraded_and_counted(fixture_content, room) -> None:
    parsed, rejected = read_group_files(room, fixture_content)
    workshop = aggregate(fixture_content, parsed, rejected=rejected)
    old = next(g for g in parsed if g.upgraded_from)
    assert old.upgraded_from == "2025.1.0"
    assert old.answers.obsolete == {"alpha": {"retiree": "x"}}
    assert workshop.upgraded == 1 and len(workshop.rejected) == 2
    text = terminal_text(workshop)
    assert "1 fichier d'une version antérieure du contenu" in text and "Groupe D (2025.1.0)" in text
    assert "casse-reponses.yaml" in text and "« peut-etre » non permise" in text


def test_scores_and_spread_per_group(fixture_content, room) -> None:
    parsed, _ = read_group_files(room, fixture_content)
    workshop = aggregate(fixture_content, parsed, "alpha")
    assert [g.label for g in workshop.groups] == ["c", "Groupe A", "Groupe B", "Groupe D"]  # by name
    # D: « non » earns 2 of 3 points below 10 000 inhabitants
    assert [g.scores["alpha"] for g in workshop.groups] == [0, 78, 67, 67]
    service = next(s for s in workshop.spreads if s.question == "service")
    assert {o.value: o.groups for o in service.options} == {"oui": ["Groupe A", "Groupe B"], "non": ["Groupe D"]}
    assert service.unknown == ["c"]
    detail = next(s for s in workshop.spreads if s.question == "detail")
    assert detail.options[1].groups == ["Groupe A", "Groupe B"] and detail.not_asked == ["c", "Groupe D"]
    canaux = next(s for s in workshop.spreads if s.question == "canaux")
    assert canaux.unanswered == ["c", "Groupe B", "Groupe D"]
    assert [s.question for s in workshop.spreads] == ["service", "detail", "canaux"]  # free text left out


def test_flags_are_ranked_by_how_many_groups_raised_them(content, example) -> None:
    others = example.with_answer("objectifs", "raisons", [*example.get("objectifs", "raisons"), "outil_pour_outil"])
    files = [GroupFile(Path(f"g{i}-reponses.yaml"), a) for i, a in enumerate([example, others, example])]
    flags = aggregate(content, files).flags
    counts = [len(f.groups) for f in flags]
    assert counts == sorted(counts, reverse=True)
    assert flags[0].groups == ["g0", "g1", "g2"]
    assert any(f.groups == ["g1"] for f in flags)


def test_quiz_tally_right_wrong_and_unanswered(content, example) -> None:
    quiz = content.module("enjeux").quiz
    first, second = quiz[0], quiz[1]
    wrong = next(v for v in ("mythe", "réalité", "nuancé") if v != second.answer)
    g1 = example.with_answer("enjeux", first.id, first.answer).with_answer("enjeux", second.id, wrong)
    g2 = example.with_answer("enjeux", first.id, first.answer)
    files = [GroupFile(Path("un-reponses.yaml"), g1), GroupFile(Path("deux-reponses.yaml"), g2),
             GroupFile(Path("trois-reponses.yaml"), example)]  # « trois » did not play the quiz
    workshop = aggregate(content, files, "enjeux")
    tally = {t.id: t for t in workshop.quiz}
    assert tally[first.id].right == ["deux", "un"] and tally[first.id].out_of == 2
    assert tally[second.id].wrong == {"un": wrong} and tally[second.id].unanswered == ["deux"]
    assert workshop.untreated == {"enjeux": ["trois"]}
    assert workshop.modules == [] and workshop.spreads == []  # the quiz is not scored
    assert workshop.discussions[0].module == "enjeux"


def test_unknown_module_is_a_user_error(fixture_content) -> None:
    from deployer.errors import DeployerError

    with pytest.raises(DeployerError, match="module inconnu"):
        aggregate(fixture_content, [], "zeta")


def test_same_group_names_are_told_apart(fixture_content) -> None:
    same = Answers(profile={}, group="Groupe 1")
    files = [GroupFile(Path("x-reponses.yaml"), same), GroupFile(Path("y-reponses.yaml"), same)]
    assert [g.label for g in aggregate(fixture_content, files).groups] == ["Groupe 1", "Groupe 1 (2)"]


def mixed_room(content, example) -> list[GroupFile]:
    """Groupe 10 did every module; Groupe 2 only objectifs; Groupe 3 only the quiz."""
    item = content.module("enjeux").quiz[0]
    only_objectifs = Answers(profile=example.profile, responses={"objectifs": example.responses["objectifs"]},
                             group="Groupe 2")
    quiz_only = Answers(profile=example.profile, responses={"enjeux": {item.id: item.answer}}, group="Groupe 3")
    full = Answers(profile=example.profile, responses=example.responses, group="Groupe 10")
    return [GroupFile(Path(f"{i}-reponses.yaml"), a) for i, a in enumerate([full, only_objectifs, quiz_only])]


def test_counts_are_out_of_the_groups_that_treated_the_module(content, example) -> None:
    workshop = aggregate(content, mixed_room(content, example))
    assert [g.label for g in workshop.groups] == ["Groupe 2", "Groupe 3", "Groupe 10"]  # natural order
    assert workshop.untreated["objectifs"] == ["Groupe 3"]
    assert workshop.untreated["ressources"] == ["Groupe 2", "Groupe 3"]
    assert workshop.untreated["enjeux"] == ["Groupe 2", "Groupe 10"]
    by_module = {s.module: s for s in workshop.spreads}
    assert by_module["objectifs"].out_of == 2 and by_module["ressources"].out_of == 1
    assert all("Groupe 3" not in s.unanswered for s in workshop.spreads)  # not « non répondu »
    assert all(f.out_of == (2 if f.module == "objectifs" else 1) for f in workshop.flags)
    assert all("Groupe 3" not in f.groups for f in workshop.flags)
    quiz = workshop.quiz[0]
    assert quiz.right == ["Groupe 3"] and quiz.out_of == 1 and quiz.unanswered == []
    assert workshop.quiz[1].out_of == 1 and workshop.quiz[1].unanswered == ["Groupe 3"]


def test_overall_only_for_groups_that_treated_every_module(content, example) -> None:
    workshop = aggregate(content, mixed_room(content, example))
    scores = {g.label: g for g in workshop.groups}
    assert scores["Groupe 10"].overall is not None
    assert scores["Groupe 2"].overall is None and scores["Groupe 2"].scores["ressources"] is None
    assert scores["Groupe 2"].scores["objectifs"] is not None and scores["Groupe 2"].treated == ["objectifs"]
    text = terminal_text(workshop)
    assert "Ensemble\u00a0: seulement pour les groupes qui ont traité les 5 modules" in text
    assert "module non traité\u00a0: Groupe 2, Groupe 3" in text
    assert "quiz non joué\u00a0: Groupe 2, Groupe 10" in text
    assert "✔" not in text and "1/1 bonne réponse" in text and "0/1 bonne réponse" in text


def test_no_overall_column_when_no_group_did_every_module(content, example) -> None:
    workshop = aggregate(content, mixed_room(content, example)[1:])
    assert "Ensemble" not in terminal_text(workshop)
    html = workshop_html(content, workshop)
    assert '<th scope="col">Ensemble</th>' not in html and '<th scope="col">Groupe</th>' in html


def test_groups_are_in_natural_order_in_every_view(content, example) -> None:
    workshop = aggregate(content, mixed_room(content, example))
    data = workshop_json(content, workshop)
    assert [g["nom"] for g in data["groupes"]] == ["Groupe 2", "Groupe 3", "Groupe 10"]
    html = workshop_html(content, workshop)
    rows = [html.index(f'<th scope="row">{name}</th>') for name in ("Groupe 2", "Groupe 3", "Groupe 10")]
    assert rows == sorted(rows)
    text = terminal_text(workshop)
    assert text.index("Groupe 2") < text.index("Groupe 3") < text.index("Groupe 10")


def test_a_folder_gives_its_yaml_files_and_a_file_given_twice_is_read_once(fixture_content, room) -> None:
    folder = room[0].parent
    (folder / "notes.txt").write_text("pas un fichier de réponses", encoding="utf-8")
    parsed, rejected = read_group_files([folder, room[0], folder / "." / room[0].name], fixture_content)
    assert sorted(g.path.name for g in parsed) == ["a-reponses.yaml", "ancien-reponses.yaml", "b-reponses.yaml",
                                                   "c-reponses.yaml"]
    assert [r.path.name for r in rejected] == ["casse-reponses.yaml"]


def test_room_of_every_example_matches_its_golden_file(content, request) -> None:
    """Every example plus a quiz-only group: the room view a trainer projects."""
    item = content.module("enjeux").quiz[0]
    parsed, _ = read_group_files(sorted(EXAMPLES.glob("*-reponses.yaml")), content)
    quiz_only = GroupFile(Path("quiz-reponses.yaml"), Answers(profile={}, responses={"enjeux": {item.id: "mythe"}},
                                                              group="Groupe quiz"))
    golden("salle/atelier.txt", terminal_text(aggregate(content, [*parsed, quiz_only])), request)


# -- views -------------------------------------------------------------------------------


def terminal_text(workshop) -> str:
    console = Console(width=100, file=io.StringIO(), record=True, color_system=None, highlight=False)
    print_workshop(workshop, console)
    return console.export_text()


def example_workshop(content, path: Path, module: str | None = None):
    parsed, rejected = read_group_files([path], content)
    return aggregate(content, parsed, module, rejected)


@pytest.mark.parametrize("path", sorted(EXAMPLES.glob("*-reponses.yaml")), ids=lambda p: p.stem)
def test_terminal_view_matches_its_golden_file(content, path, request) -> None:
    stem = path.name.removesuffix("-reponses.yaml")
    golden(f"{stem}/atelier.txt", terminal_text(example_workshop(content, path)), request)
    golden(f"{stem}/atelier-objectifs.txt", terminal_text(example_workshop(content, path, "objectifs")), request)


@pytest.mark.parametrize("path", sorted(EXAMPLES.glob("*-reponses.yaml")), ids=lambda p: p.stem)
def test_json_view_matches_its_golden_file(content, path, request) -> None:
    stem = path.name.removesuffix("-reponses.yaml")
    data = workshop_json(content, example_workshop(content, path))
    golden(f"{stem}/atelier.json", json.dumps(data, ensure_ascii=False, indent=2) + "\n", request)


def test_json_view_keys_are_stable(content, example) -> None:
    data = workshop_json(content, aggregate(content, [GroupFile(Path("g-reponses.yaml"), example)]))
    assert list(data) == ["format", "version", "version_contenu", "module", "modules", "groupes", "repartition",
                          "signaux", "discussion", "quiz", "non_traite", "fichiers_ecartes"]
    assert data["format"] == "deployer-atelier" and data["version"] == 2
    assert all(s["sources"] and s["sources"][0]["titre"] for s in data["signaux"])


def test_html_escapes_group_names_and_needs_no_network(content, example) -> None:
    from dataclasses import replace

    hostile = replace(example, group="<script>alert(1)</script>")
    html = workshop_html(content, aggregate(content, [GroupFile(Path("g-reponses.yaml"), hostile)]))
    assert "<script" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "<svg" in html and "http://" not in html.replace("http://www.w3.org", "")
    assert "src=" not in html and "<link" not in html


def examples_room(content) -> list[GroupFile]:
    return [GroupFile(path, read_answers(path, content)) for path in sorted(EXAMPLES.glob("*-reponses.yaml"))]


def test_html_shows_questions_by_their_label_never_by_their_internal_id(content) -> None:
    import html as html_lib
    import re

    page = workshop_html(content, aggregate(content, examples_room(content)))
    text = html_lib.unescape(re.sub(r"<[^>]+>", " ", page.split("</style>")[1]))
    ids = {q.id for m in content.modules for q in m.questions if "_" in q.id}
    assert ids and not [i for i in ids if re.search(rf"\b{i}\b", text)]
    flag = aggregate(content, examples_room(content)).flags[0]
    assert content.question(flag.module, flag.question).label in text


def test_html_score_colours_have_a_text_legend_and_bars_are_not_read_aloud(content) -> None:
    page = workshop_html(content, aggregate(content, examples_room(content)))
    assert "vert</span>, prêt (70 et plus)" in page and "orange</span>, en progression (40 à 69)" in page
    assert "rouge</span>, à construire (moins de 40)" in page
    assert page.count("<svg") == page.count('aria-hidden="true"') > 0


def test_html_every_table_has_header_cells_with_a_scope(content) -> None:
    import re

    page = workshop_html(content, aggregate(content, examples_room(content)))
    tables = re.findall(r"(?s)<table.*?</table>", page)
    assert len(tables) > 60
    assert all('<th scope="col">' in t for t in tables)
    assert "<main>" in page and "<th>" not in page


def test_colour_terminal_view_has_no_dim_text_a_projector_would_wash_out(content, example) -> None:
    console = Console(width=100, file=io.StringIO(), force_terminal=True, color_system="truecolor")
    print_workshop(aggregate(content, mixed_room(content, example)), console)
    output = console.file.getvalue()
    assert "\x1b[1m" in output  # bold is used, so styles are on
    assert not any(code in output for code in ("\x1b[2m", ";2m", "\x1b[2;"))  # SGR 2 = dim


def test_terminal_view_never_reads_group_names_as_markup(content, example) -> None:
    from dataclasses import replace

    hostile = replace(example, group="[bold]Groupe[/] [red]")
    text = terminal_text(aggregate(content, [GroupFile(Path("g-reponses.yaml"), hostile)], "objectifs"))
    assert "[bold]Groupe[/] [red]" in text


# -- commands ----------------------------------------------------------------------------


def test_workshop_command_lists_broken_files_and_shows_the_rest(run, in_tmp, fixture_content_root,
                                                               monkeypatch) -> None:
    monkeypatch.setenv("DEPLOYER_CONTENU", str(fixture_content_root))
    group_file(in_tmp, "a", "groupe: Groupe A\nreponses:\n  alpha: {service: oui}\n")
    (in_tmp / "casse-reponses.yaml").write_text("format: 1\nprofil: [\n", encoding="utf-8")
    result = run("workshop", "a-reponses.yaml", "casse-reponses.yaml")
    assert result.exit_code == 0, result.output
    assert "Groupe A" in result.stdout and "casse-reponses.yaml" in result.stdout
    assert "syntaxe YAML invalide" in result.stdout


def test_workshop_command_writes_html_and_json_files(run, in_tmp) -> None:
    from tests.conftest import EXAMPLE

    assert run("workshop", str(EXAMPLE), "--format", "html", "-o", "atelier.html").exit_code == 0
    assert (in_tmp / "atelier.html").read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
    again = run("workshop", str(EXAMPLE), "--format", "html", "-o", "atelier.html")
    assert again.exit_code == 2 and "--force" in again.stderr
    out = run("workshop", str(EXAMPLE), "--format", "json")
    assert json.loads(out.stdout)["groupes"][0]["nom"] == "Ville de Sainte-Claire"


def test_workshop_command_reads_a_folder(run, in_tmp) -> None:
    import shutil

    (in_tmp / "remis").mkdir()
    for path in sorted(EXAMPLES.glob("*-reponses.yaml")):
        shutil.copy(path, in_tmp / "remis" / path.name)
    result = run("workshop", "remis", "--format", "json")
    assert result.exit_code == 0, result.stderr
    assert len(json.loads(result.stdout)["groupes"]) == len(list(EXAMPLES.glob("*-reponses.yaml")))


def test_workshop_command_reads_the_answers_files_of_the_demo_folder_and_says_which(run, in_tmp) -> None:
    assert run("demo", "-o", "demo").exit_code == 0
    (in_tmp / "demo" / "1-commune-de-saint-aubin-des-pres" / "notes.yaml").write_text("a: 1\n", encoding="utf-8")
    result = run("workshop", "demo", "--format", "json")
    assert result.exit_code == 0, result.stderr
    found = sorted((in_tmp / "demo").glob("*/*-reponses.yaml"))
    assert len(found) == len(list(EXAMPLES.glob("*-reponses.yaml")))
    assert sorted(g["fichier"] for g in json.loads(result.stdout)["groupes"]) == sorted(p.name for p in found)
    assert json.loads(result.stdout)["fichiers_ecartes"] == []  # only answers files are taken from sub-folders
    assert f"Fichiers de réponses lus ({len(found)})" in result.stderr
    assert all(f"  - {Path('demo') / p.parent.name / p.name}" in result.stderr for p in found)


def test_workshop_command_with_no_usable_file_says_why(run, in_tmp) -> None:
    result = run("workshop", "reponses/*.yaml")
    assert result.exit_code == 2
    assert "aucun fichier de réponses utilisable" in result.stderr and "fichier introuvable" in result.stderr


@pytest.mark.parametrize("args", [("--module", "zeta"), ("--format", "pdf")])
def test_workshop_command_refuses_bad_options(run, in_tmp, args) -> None:
    from tests.conftest import EXAMPLE

    result = run("workshop", str(EXAMPLE), *args)
    assert result.exit_code == 2 and "Traceback" not in result.output


def test_demo_writes_one_folder_per_example_with_its_dossier(run, in_tmp, content) -> None:
    result = run("demo", "-o", "demo")
    assert result.exit_code == 0, result.stderr
    examples = sorted(EXAMPLES.glob("*-reponses.yaml"), key=lambda p: read_answers(p, content).population or 0)
    folders = sorted(p.name for p in (in_tmp / "demo").iterdir() if p.is_dir())
    # numbered from the smallest collectivité to the largest, so that « ls » shows them in that order
    assert folders == [f"{i}-{p.name.removesuffix('-reponses.yaml')}" for i, p in enumerate(examples, start=1)]
    for folder_name, path in zip(folders, examples, strict=True):
        folder = in_tmp / "demo" / folder_name
        assert read_answers(folder / path.name, content) == read_answers(path, content)
        assert (folder / "cahier-des-charges.md").stat().st_size > 1000
        assert (folder / "budget.xlsx").exists()
        report = json.loads((folder / "rapport.json").read_text(encoding="utf-8"))
        scored = run("score", str(path), "--format", "json")
        assert report == json.loads(scored.stdout)  # the same report as « deployer score »
        assert (folder / "rapport.html").read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
    index = (in_tmp / "demo" / "README.md").read_text(encoding="utf-8")
    assert "deployer workshop . --module objectifs" in index
    assert "--module enjeux" not in index  # the examples did not play the quiz
    assert "document du dossier" not in index and "`note-de-cadrage.md`\u00a0: note de cadrage" in index
    assert all(read_answers(p, content).name in index for p in examples)
    names = [read_answers(p, content).name for p in examples]
    assert [index.index(f"## {n}") for n in names] == sorted(index.index(f"## {n}") for n in names)


def test_demo_index_says_de_la_commune_de(content, example, tmp_path) -> None:
    from deployer.documents.dossier import build_demo

    index = str(build_demo(content, sorted(EXAMPLES.glob("*-reponses.yaml")))["README.md"])
    assert "l'autodiagnostic de la commune de Saint-Aubin-des-Prés" in index
    assert "l'autodiagnostic de la métropole Rives-de-l'Estuaire" in index
    assert "de Commune de" not in index and "de Métropole" not in index
    bare = tmp_path / "merignac-reponses.yaml"  # a name with no « Ville de »: the type says it
    bare.write_text(dump_answers(example.with_profile("nom", "Mérignac")), encoding="utf-8")
    assert "l'autodiagnostic de la commune «\u00a0Mérignac\u00a0»" in str(build_demo(content, [bare])["README.md"])


def test_demo_refuses_an_existing_folder_without_force(run, in_tmp) -> None:
    (in_tmp / "demo").mkdir()
    (in_tmp / "demo" / "mes-notes.txt").write_text("à garder", encoding="utf-8")
    refused = run("demo", "-o", "demo")
    assert refused.exit_code == 2 and "--force" in refused.stderr
    assert (in_tmp / "demo" / "mes-notes.txt").exists()
    assert run("demo", "-o", "demo", "--force").exit_code == 0
    assert not (in_tmp / "demo" / "mes-notes.txt").exists()


def test_quiz_answers_are_checked_like_any_answer(content, example, tmp_path) -> None:
    from deployer.errors import AnswersError

    item = content.module("enjeux").quiz[0]
    good = tmp_path / "q-reponses.yaml"
    good.write_text(dump_answers(example.with_answer("enjeux", item.id, "nuancé")), encoding="utf-8")
    assert read_answers(good, content).get("enjeux", item.id) == "nuancé"
    bad = tmp_path / "bad-reponses.yaml"
    bad.write_text(dump_answers(example.with_answer("enjeux", item.id, "vrai")), encoding="utf-8")
    with pytest.raises(AnswersError) as error:
        read_answers(bad, content)
    assert "valeurs permises : mythe, réalité, nuancé" in "\n".join(error.value.problems)


@pytest.mark.parametrize(("typed", "canonical"), [("realite", "réalité"), ("Mythe", "mythe"),
                                                   (" NUANCE ", "nuancé"), ("Réalité", "réalité")])
def test_quiz_values_typed_without_accents_or_in_capitals_are_read(content, example, tmp_path, typed,
                                                                   canonical) -> None:
    item = content.module("enjeux").quiz[0]
    path = tmp_path / "q-reponses.yaml"
    path.write_text(dump_answers(example.with_answer("enjeux", item.id, typed)), encoding="utf-8")
    assert read_answers(path, content).get("enjeux", item.id) == canonical
    parsed, rejected = read_group_files([path], content)
    assert rejected == [] and parsed[0].answers.get("enjeux", item.id) == canonical


def test_groups_are_named_by_group_then_collectivite_then_file(content, example) -> None:
    from dataclasses import replace

    other = replace(example, profile={**example.profile, "nom": "Autreville"})
    assert group_labels([GroupFile(Path("a-reponses.yaml"), example), GroupFile(Path("b-reponses.yaml"), other)]) \
        == ["Ville de Sainte-Claire", "Autreville"]
    same = [GroupFile(Path("a-reponses.yaml"), example), GroupFile(Path("b-reponses.yaml"), example)]
    assert group_labels(same) == ["a", "b"]  # one case study for every group: the file names tell them apart
    named = replace(example, group="Groupe 2")
    assert group_labels([GroupFile(Path("a-reponses.yaml"), named), same[1]]) == ["Groupe 2", "b"]
