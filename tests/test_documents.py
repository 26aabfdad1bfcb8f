"""Generated documents: golden files, neutrality, escaping of user text."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest

from deployer.dossier import render_cctp
from tests.conftest import golden

TODAY = date(2026, 11, 21)


def test_cctp_of_the_example_matches_its_golden_file(content, example, request) -> None:
    golden("ville-de-sainte-claire/cahier-des-charges.md", render_cctp(content, example, TODAY), request)


def test_cctp_has_no_unfilled_template_syntax(content, example) -> None:
    text = render_cctp(content, example, TODAY)
    assert "{{" not in text and "{%" not in text


def test_missing_answers_become_todo_markers_listed_at_the_end(content, example) -> None:
    empty = replace(example, responses={})
    text = render_cctp(content, empty, TODAY)
    body, checklist = text.split("## Points à compléter avant publication")
    markers = body.count("[À COMPLÉTER")
    assert markers >= 5 and checklist.count("- [ ]") >= 5


@pytest.mark.parametrize("name", ["# <script>alert(1)</script>", "A | B * _c_ [x](y)", "Ville\n## Titre"])
def test_user_text_cannot_add_markdown_structure(content, example, name) -> None:
    hostile = example.with_profile("nom", name)
    text = render_cctp(content, hostile, TODAY)
    assert "<script>" not in text
    assert "\n## Titre" not in text
    assert "A | B" not in text and "_c_" not in text.replace("\\_c\\_", "")


def test_budget_of_the_example_matches_its_golden_file(content, example, request) -> None:
    from deployer.budget import estimate_budget, render_budget_markdown

    estimate = estimate_budget(content, example, today=TODAY)
    golden("ville-de-sainte-claire/budget.md", render_budget_markdown(estimate, example), request)
