"""Every repère and figure says when it was true; old vendor evidence is marked (#17)."""

from __future__ import annotations

import re
from datetime import date

from rich.console import Console

from deployer.analysis.vendor_facts import status_text
from deployer.schema.models import Repere

YEAR = re.compile(r"\b(19|20)\d\d\b")
FIGURE = re.compile(r"\d\s*%|\d+\s*ETP|\d\s*€|\d+ (?:sur|collectivités|communes|dispositifs)")
DATED_SURVEYS = ("Baromètre", "AudaCities")


def _texts(content):  # noqa: ANN202 - (where, text) of everything the walk and the report print
    for module in content.modules:
        for q in module.questions:
            where = f"{module.id} › {q.id}"
            yield where, q.help or ""
            yield where, q.why or ""
            for option in q.options:
                yield f"{where} › {option.value}", option.feedback or ""
                yield f"{where} › {option.value}", option.flag.message if option.flag else ""
            if q.repere:
                yield f"{where} › repere", q.repere.text


def test_every_repere_says_its_year_and_cites_a_known_source(content) -> None:
    reperes: list[tuple[str, Repere]] = [(f"{m.id} › {q.id}", q.repere) for m in content.modules
                                         for q in m.questions if q.repere]
    assert reperes
    for where, repere in reperes:
        assert YEAR.search(repere.text), f"{where}: repère sans année"
        assert repere.sources and all(s.source in content.sources for s in repere.sources), where


def test_no_figure_from_a_dated_survey_without_its_year(content) -> None:
    undated = [where for where, text in _texts(content)
               if any(s in text for s in DATED_SURVEYS) and FIGURE.search(text) and not YEAR.search(text)]
    assert undated == []


def test_the_walk_shows_each_repere_with_its_source(content, monkeypatch) -> None:
    from deployer.answers.answers_file import Answers
    from deployer.walk import prompts
    from deployer.walk.prompts import PROFILE, SKIP

    monkeypatch.setattr(prompts, "_review", lambda steps, module, answers, after, console: after)
    monkeypatch.setattr(prompts, "_answer_left_now", lambda count: False)
    profile = {"nom": "Essai", "type": "commune", "population": 20_000}
    console = Console(record=True, width=10_000, color_system=None)
    prompts.walk(content, Answers(profile={}, content_version=content.version), content.scored_modules,
                 lambda a: None, lambda step, current, back: profile[step.question.id] if step.module == PROFILE
                 else SKIP, console)
    lines = console.export_text().replace("\u00a0", " ").splitlines()
    shown = [line for line in lines if line.startswith("Repère :")]
    assert len(shown) == sum(1 for m in content.scored_modules for q in m.questions if q.repere and not q.when)
    for line in shown:
        assert YEAR.search(line) and "(Source : " in line, line


def test_the_rgaa_version_is_dated_from_the_content_review(content) -> None:
    question = content.question("mobilisation", "accessibilite")
    assert f"en vigueur au {content.meta.reviewed_on.strftime('%d/%m/%Y')}" in question.help


def test_a_law_is_dated_by_its_own_date(content) -> None:
    assert content.sources["loi-climat-art-35"].date == "2021-08-22"


def test_status_evidence_five_years_old_is_marked_everywhere(content, run) -> None:
    vendor = next(v for v in content.vendors if v.id == "carticipe")  # newest evidence: June 2016
    assert vendor.evidence_is_old(date(2021, 6, 20)) and not vendor.evidence_is_old(date(2021, 6, 19))
    assert "statut à revérifier" in status_text(content.wording, vendor, date(2026, 12, 4))
    assert "statut à revérifier" not in status_text(content.wording, vendor)
    listing = run("vendors", "list").stdout.replace("\u00a0", " ")
    rows = listing.splitlines()
    start = next(i for i, line in enumerate(rows) if line.strip().startswith("Carticipe"))
    assert "preuve ancienne" in " ".join(" ".join(rows[start:start + 3]).split())
    assert "statut à revérifier" in run("vendors", "show", "carticipe").stdout.replace("\u00a0", " ")


def test_a_month_or_year_of_evidence_counts_from_its_last_day(content) -> None:
    vendor = next(v for v in content.vendors if v.id == "consultvox")  # « 2020-09 »
    assert vendor.evidence_date == date(2020, 9, 30)
    vendor = next(v for v in content.vendors if v.id == "vooter")  # « 2019 »
    assert vendor.evidence_date == date(2019, 12, 31)
