"""Readiness report: priority actions, repères, terminal/JSON/HTML outputs, properties of the score."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from deployer.analysis.assessment import assess, build_report, option_points
from deployer.answers.answers_file import Answers, is_asked, read_answers
from deployer.documents.report_html import radar, render_html
from deployer.documents.report_json import SCHEMA_VERSION, render_json, report_to_dict
from deployer.schema.content import Content
from deployer.schema.loader import load_content
from deployer.schema.models import UNKNOWN, Module, Question
from tests.conftest import ROOT, golden

EXAMPLES = ROOT / "examples"
EXAMPLE_FILES = sorted(EXAMPLES.glob("*-reponses.yaml"))
CONTENT = load_content()
PROPERTY = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])


def _stem(path: Path) -> str:
    return path.name.removesuffix("-reponses.yaml")


# --- golden files: terminal (100 columns, no colour), JSON, HTML, for every example ------------


@pytest.mark.parametrize("path", EXAMPLE_FILES, ids=_stem)
def test_terminal_report_matches_its_golden_file(run, path: Path, request) -> None:
    result = run("score", str(path))
    assert result.exit_code == 0
    golden(f"{_stem(path)}/rapport.txt", result.stdout, request)


@pytest.mark.parametrize("path", EXAMPLE_FILES, ids=_stem)
def test_json_report_matches_its_golden_file(content, path: Path, request) -> None:
    report = build_report(content, read_answers(path, content))
    golden(f"{_stem(path)}/rapport.json", render_json(content, report), request)


@pytest.mark.parametrize("path", EXAMPLE_FILES, ids=_stem)
def test_html_report_matches_its_golden_file(content, path: Path, request) -> None:
    report = build_report(content, read_answers(path, content))
    golden(f"{_stem(path)}/rapport.html", render_html(content, report), request)


@pytest.mark.parametrize("path", EXAMPLE_FILES, ids=_stem)
def test_terminal_report_fits_80_columns(run, path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COLUMNS", "80")
    lines = run("score", str(path)).stdout.splitlines()
    assert max(len(line) for line in lines) <= 80



def test_no_color_keeps_bold_but_drops_colours(run, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("FORCE_COLOR", "1")  # as in a real terminal
    coloured = run("score", str(EXAMPLE_FILES[0])).stdout
    assert re.search(r"\x1b\[(?:\d;)?3\dm", coloured) is None  # NO_COLOR=1 comes from conftest
    monkeypatch.delenv("NO_COLOR")
    assert re.search(r"\x1b\[(?:\d;)?3\dm", run("score", str(EXAMPLE_FILES[0])).stdout)


# --- priority actions and repères ---------------------------------------------------------------


def test_the_example_gets_five_actions_each_with_a_sourced_practice(content, example) -> None:
    actions = build_report(content, example).actions
    assert [a.rank for a in actions] == [1, 2, 3, 4, 5]
    for action in actions:
        assert action.practice is not None and action.practice.id in action.question.practices
        assert action.practice in content.practices.values()  # examples come from the content only
        assert action.practice.sources


def test_blocking_flags_come_first_and_are_explained(content, example) -> None:
    blocked = example.with_answer("objectifs", "lien_decision", "aucun")
    report = build_report(content, blocked)
    first = report.actions[0]
    assert first.question.id == "lien_decision" and first.flag is not None and first.flag.severity == "bloquant"
    data = report_to_dict(content, report)
    assert data["verdict"] == {
        "blocking_flags": 1, "modules_to_strengthen": data["verdict"]["modules_to_strengthen"],
        "ready": False, "status": "bloque", "incomplete_modules": [],
    }
    assert data["flags"][0]["severity"] == "bloquant" and data["flags"][0]["sources"][0]["title"]


def test_actions_are_ordered_by_points_recovered_then_spread_over_modules(content, example) -> None:
    actions = build_report(content, example).actions
    unflagged = [a.gain for a in actions if a.flag is None]
    assert unflagged == sorted(unflagged, reverse=True)
    for module_id in {a.module.id for a in actions}:
        assert sum(a.module.id == module_id for a in actions) <= 2
    assert len({a.practice.id for a in actions if a.practice}) == len(actions)  # one action per practice


def test_actions_name_the_collectivites_of_the_practice_or_say_there_is_none(run) -> None:
    out = run("score", str(EXAMPLES / "ville-de-sainte-claire-reponses.yaml")).stdout
    assert "Exemple : aucune collectivité citée en exemple par la source." in out.replace("\u00a0", " ")
    assert "Exemples : Nantes Métropole, Nîmes Métropole." in out.replace("\u00a0", " ")


def test_no_action_when_every_answer_is_the_best(content) -> None:
    answers = _best_answers(content)
    report = build_report(content, answers)
    assert all(m.score == 100 for m in report.assessment.modules)
    assert report.actions == [] and report.assessment.ready


def test_repères_place_the_answer_next_to_a_seed_figure(content, example) -> None:
    benchmarks = build_report(content, example).benchmarks
    budget = next(b for b in benchmarks if b.question.id == "budget_participation")
    question = content.question("ressources", "budget_participation")
    assert budget.answer == question.option(example.get("ressources", "budget_participation")).label
    assert all(any(content.sources[s.source].kind == "seed" for s in b.repere.sources) for b in benchmarks)
    hidden = example.with_answer("ressources", "budget_participation", None)
    assert "budget_participation" not in {b.question.id for b in build_report(content, hidden).benchmarks}


# --- JSON: stable and documented ------------------------------------------------------------------


def test_json_is_stable_and_versioned(content, example) -> None:
    first = render_json(content, build_report(content, example))
    assert first == render_json(content, build_report(content, example))
    data = json.loads(first)
    assert data["schema_version"] == SCHEMA_VERSION
    assert list(data) == sorted(data)


def _key_paths(value: Any, prefix: str = "") -> set[str]:
    if isinstance(value, dict):
        paths = set()
        for key, item in value.items():
            path = f"{prefix}.{key}" if prefix else key
            paths |= {path} | _key_paths(item, path)
        return paths
    if isinstance(value, list):
        return set().union(*(_key_paths(item, prefix + "[]") for item in value)) if value else set()
    return set()


def test_every_json_key_is_documented_in_the_readme(content, example) -> None:
    blocked = example.with_answer("objectifs", "lien_decision", "aucun")
    data = report_to_dict(content, build_report(content, blocked))
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("## Format JSON du rapport")[1].split("\n## ")[0]
    documented = set(re.findall(r"`([a-z_\[\].]+)`", section))
    assert _key_paths(data) <= documented, sorted(_key_paths(data) - documented)


# --- commands -------------------------------------------------------------------------------------


def test_score_json_goes_to_stdout_and_parses(run) -> None:
    result = run("score", str(EXAMPLE_FILES[0]), "--format", "json")
    assert result.exit_code == 0
    assert json.loads(result.stdout)["profile"]["name"]


def test_score_json_can_be_written_to_a_file(run, in_tmp: Path) -> None:
    result = run("score", str(EXAMPLE_FILES[0]), "--format", "json", "-o", "rapport.json")
    assert result.exit_code == 0 and "Rapport écrit dans « rapport.json »" in result.stdout
    assert json.loads((in_tmp / "rapport.json").read_text(encoding="utf-8"))["schema_version"] == SCHEMA_VERSION


def test_why_shows_the_repere_of_a_question(run) -> None:
    out = run("score", str(EXAMPLE_FILES[0]), "--why", "ressources").stdout
    assert "Repère : Le Baromètre (enquêtes 2016 à 2018) distinguait trois groupes" in out.replace("\u00a0", " ")


def test_html_needs_an_output_file(run) -> None:
    result = run("score", str(EXAMPLE_FILES[0]), "--format", "html")
    assert result.exit_code == 2
    assert "le format html demande un fichier de sortie" in result.stderr
    assert "Traceback" not in result.output


def test_unknown_format_is_refused_in_french(run) -> None:
    result = run("score", str(EXAMPLE_FILES[0]), "--format", "pdf")
    assert result.exit_code == 2 and "format inconnu\u00a0: «\u00a0pdf\u00a0»" in result.stderr


def test_html_refuses_an_existing_file_without_force(run, in_tmp: Path) -> None:
    target = in_tmp / "rapport.html"
    target.write_text("ancien", encoding="utf-8")
    refused = run("score", str(EXAMPLE_FILES[0]), "--format", "html", "-o", str(target))
    assert refused.exit_code == 2 and "--force" in refused.stderr
    assert target.read_text(encoding="utf-8") == "ancien"
    done = run("score", str(EXAMPLE_FILES[0]), "--format", "html", "-o", str(target), "--force")
    assert done.exit_code == 0 and target.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
    assert [p.name for p in in_tmp.iterdir()] == ["rapport.html"]  # no temporary file left


# --- HTML: escaped, self-contained, a radar of the five modules ---------------------------------


def test_html_escapes_everything_the_user_typed(content, example) -> None:
    hostile = example.with_profile("nom", "<script>alert(1)</script> & Cie <b>")
    html = render_html(content, build_report(content, hostile))
    assert "<script>" not in html and "<b>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt; &amp; Cie &lt;b&gt;" in html
    data = json.loads(render_json(content, build_report(content, hostile)))
    assert data["profile"]["name"] == "<script>alert(1)</script> & Cie <b>"


def test_html_is_self_contained_and_printable(content, example) -> None:
    html = render_html(content, build_report(content, example))
    assert "<script" not in html and "http://" not in html and "https://" not in html
    assert "@page { size: A4" in html
    assert html.count('<circle class="point"') == len(content.scored_modules)


def test_radar_points_sit_on_their_axis_at_their_score() -> None:
    modules = [{"title": f"M{i}", "score": s} for i, s in enumerate([100, 0, 50, None, 70])]
    shape = radar(modules)
    top = shape["axes"][0]
    assert top.point == top.end  # 100 is on the outer ring
    assert shape["axes"][1].point == shape["axes"][3].point  # 0 and « non évalué » at the centre
    assert shape["axes"][3].lines == ["M3 (—)"]


@pytest.mark.skipif(shutil.which("chromium") is None, reason="chromium absent")
def _contrast(foreground: str, background: str = "#ffffff") -> float:
    def luminance(colour: str) -> float:
        colour = colour if len(colour) == 7 else "#" + "".join(c * 2 for c in colour[1:])  # #666 → #666666
        channels = [int(colour.lstrip("#")[i:i + 2], 16) / 255 for i in (0, 2, 4)]
        r, g, b = (c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels)
        return 0.2126 * r + 0.7152 * g + 0.0722 * b

    light, dark = sorted((luminance(foreground), luminance(background)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


def test_html_radar_labels_are_readable_on_white(content, example) -> None:
    """axe cannot see inside the radar (an image to screen readers): its text is checked here, WCAG 1.4.3."""
    html = render_html(content, build_report(content, example))
    fills = re.findall(r"svg (?:text|\.graduation) \{[^}]*fill: (#[0-9a-f]{3,6})\b", html)
    assert len(fills) == 2 and all(_contrast(fill) >= 4.5 for fill in fills), fills
    assert _contrast("#777") < 4.5  # the grey the graduations had (4.48:1)


def test_html_renders_in_a_headless_browser(content, example, tmp_path: Path) -> None:
    page = tmp_path / "rapport.html"
    page.write_text(render_html(content, build_report(content, example)), encoding="utf-8")
    shot = tmp_path / "rapport.png"
    subprocess.run(
        ["chromium", "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
         "--no-first-run", f"--user-data-dir={tmp_path / 'profil'}", f"--screenshot={shot}",
         "--window-size=1000,1400", page.as_uri()],
        check=True, capture_output=True, timeout=120,
    )
    assert shot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


# --- properties of the score on the shipped content ---------------------------------------------


def _best_answers(content: Content) -> Answers:
    responses: dict[str, dict[str, Any]] = {}
    for module in content.scored_modules:
        given: dict[str, Any] = {}
        for q in module.questions:
            if not q.options:
                continue
            if q.type == "multiple":
                given[q.id] = [o.value for o in q.options if option_points(o, "10k_50k") > 0 and not o.flag]
                given[q.id] = given[q.id] or [q.options[0].value]
            else:
                given[q.id] = max(q.options, key=lambda o: (option_points(o, "10k_50k"), o.flag is None)).value
        responses[module.id] = given
    return Answers(profile={"nom": "Ville idéale", "population": 42000}, responses=responses)


def _value(question: Question) -> st.SearchStrategy[Any]:
    values = question.allowed_values
    if question.type == "multiple":
        return st.lists(st.sampled_from([o.value for o in question.options]), unique=True)
    if question.type == "choix":
        return st.sampled_from(values)
    return st.just(None)


@st.composite
def module_answers(draw: st.DrawFn, module: Module) -> dict[str, Any]:
    given = {}
    for q in module.questions:
        value = draw(st.one_of(st.none(), _value(q)))
        if value is not None:
            given[q.id] = value
    return given


def _independent(module: Module) -> list[Question]:
    """Scored questions no other question's `when` depends on: changing them changes no visibility."""
    depended_on = {q.when.question for q in module.questions if q.when}
    return [q for q in module.questions if q.scored and q.id not in depended_on]


MODULES = CONTENT.scored_modules


@PROPERTY
@given(data=st.data(), module=st.sampled_from(MODULES), population=st.integers(1, 3_000_000))
def test_a_better_answer_never_lowers_its_module_score(data: st.DataObject, module: Module, population: int) -> None:
    given_answers = data.draw(module_answers(module))
    question = data.draw(st.sampled_from(_independent(module)))
    assume(is_asked(question, given_answers))
    band = CONTENT.size_band(population).id
    profile = {"population": population}
    if question.type == "choix":
        worse, better = sorted(data.draw(st.lists(st.sampled_from(question.allowed_values), min_size=2,
                                                  max_size=2, unique=True)),
                               key=lambda v: 0 if v == UNKNOWN else option_points(question.option(v), band))
    else:
        worse = data.draw(st.lists(st.sampled_from([o.value for o in question.options]), unique=True))
        extra = [o.value for o in question.options if o.value not in worse and option_points(o, band) >= 0]
        assume(extra)
        better = [*worse, data.draw(st.sampled_from(extra))]

    def score(value: Any) -> int:
        answers = Answers(profile=profile, responses={module.id: {**given_answers, question.id: value}})
        result = next(m for m in assess(CONTENT, answers).modules if m.module.id == module.id).score
        assert result is not None  # the question is asked and answered, so the module is scored
        return result

    assert score(better) >= score(worse)


@PROPERTY
@given(data=st.data(), population=st.integers(1, 3_000_000))
def test_scores_stay_in_0_100_and_every_lost_point_has_a_practice(data: st.DataObject, population: int) -> None:
    responses = {m.id: data.draw(module_answers(m)) for m in MODULES}
    report = build_report(CONTENT, Answers(profile={"population": population}, responses=responses))
    for module in report.assessment.modules:
        assert module.score is None or 0 <= module.score <= 100
        for result in module.results:
            assert not result.lost or [CONTENT.practices[p] for p in result.question.practices]
    assert len(report.actions) <= 5
    assert all(a.practice is not None or not a.question.practices for a in report.actions)
    severities = [a.flag.severity for a in report.actions if a.flag and a.flag.severity == "bloquant"]
    assert [a.flag.severity for a in report.actions[: len(severities)] if a.flag] == severities


def test_an_empty_answers_file_gives_a_report_without_actions(content, run, in_tmp: Path) -> None:
    empty = Answers(profile={"nom": "Vide"})
    data = report_to_dict(content, build_report(content, empty))
    assert data["actions"] == [] and data["benchmarks"] == [] and data["overall"]["score"] is None
    assert data["verdict"]["status"] == "incomplet" and not data["verdict"]["ready"]
    (in_tmp / "vide-reponses.yaml").write_text("format: 1\nprofil:\n  nom: Vide\n", encoding="utf-8")
    out = run("score", "vide-reponses.yaml").stdout
    assert "Objectifs et besoins — 9 questions non répondues" in out


@pytest.mark.parametrize(
    ("args", "message"),
    [(["-o", "rapport.txt"], "l'option -o ne sert qu'avec --format json ou html"),
     (["--why", "evaluation", "--format", "json"], "--why s'affiche dans le terminal seulement")],
)
def test_options_that_would_be_ignored_are_refused(run, in_tmp: Path, args: list[str], message: str) -> None:
    result = run("score", str(EXAMPLE_FILES[0]), *args)
    assert result.exit_code == 2 and message in result.stderr
    assert list(in_tmp.iterdir()) == []


def test_a_few_good_answers_are_not_a_ready_verdict(content, example) -> None:
    """Three excellent answers must not read « prêt à lancer la consultation »."""
    from dataclasses import replace

    few = replace(example, responses={"objectifs": dict(list(example.responses["objectifs"].items())[:3])})
    assessment = build_report(content, few).assessment
    assert not assessment.ready and assessment.incomplete
    assert report_to_dict(content, build_report(content, few))["verdict"]["status"] == "incomplet"
