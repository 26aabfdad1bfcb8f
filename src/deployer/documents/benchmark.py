"""The benchmark aid: benchmark.md and benchmark.xlsx, the only documents that name providers.

The shortlist comes from ``vendor_match.match_vendors``; the grid for analysing the offers
received comes from ``content/benchmark.yaml`` (criteria of published comparisons).
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from deployer.analysis.vendor_facts import (
    SourceIndex,
    french_date,
    gaps_text,
    licence_text,
    old_evidence_rule,
    status_text,
)
from deployer.analysis.vendor_match import Shortlist, match_vendors
from deployer.answers.answers_file import Answers
from deployer.documents.benchmark_table import OFFER_COLUMNS
from deployer.french import fix_typography
from deployer.schema.content import Content

if TYPE_CHECKING:
    from deployer.analysis.budget import BudgetEstimate


def render_benchmark_markdown(
    content: Content, answers: Answers, shortlist: Shortlist, today: date, estimate: BudgetEstimate | None = None
) -> str:
    """benchmark.md: the shortlist with reasons and sources, then the analysis grid."""
    from deployer.analysis.budget import estimate_budget
    from deployer.documents.templates import render

    if estimate is None and content.budget:
        estimate = estimate_budget(content, answers, today=today)
    index = SourceIndex(content)
    wording = content.wording
    return fix_typography(render(
        "benchmark.md.j2",
        collectivite=answers.name,
        today=today,
        shortlist=shortlist,
        criteria=content.benchmark_criteria,
        estimate=estimate,
        cite=index.cite,
        sources=index.entries,
        field_labels=wording.champs,
        status_text=lambda vendor: status_text(wording, vendor, today),
        licence_text=lambda vendor: licence_text(wording, vendor),
        gaps=lambda vendor: gaps_text(wording, vendor),
        french_date=french_date,
        not_a_recommendation=wording.notes.say("pas_une_recommandation"),
        order_rule=wording.notes.say("ordre"),
        old_evidence_rule=old_evidence_rule(wording),
        undocumented_rule=wording.notes.say("non_documentees"),
        offer_columns=OFFER_COLUMNS,
    ))


def build_benchmark(
    content: Content, answers: Answers, today: date, estimate: BudgetEstimate | None = None
) -> dict[str, str | bytes]:
    """benchmark.md and benchmark.xlsx on their own (the dossier passes its own shortlist)."""
    return benchmark_files(content, answers, match_vendors(content, answers, today), today, estimate)


def benchmark_files(
    content: Content, answers: Answers, shortlist: Shortlist, today: date, estimate: BudgetEstimate | None = None,
    xlsx: bool = True, markdown: bool = True,
) -> dict[str, str | bytes]:
    """benchmark.md (unless ``markdown`` is false) and benchmark.xlsx (unless ``xlsx`` is false) from
    a shortlist already made."""
    files: dict[str, str | bytes] = {}
    if markdown:
        files["benchmark.md"] = render_benchmark_markdown(content, answers, shortlist, today, estimate)
    if xlsx:
        from deployer.documents.benchmark_table import benchmark_xlsx
        from deployer.documents.page import PageInfo

        page = PageInfo("Aide au benchmark", answers.name, today)
        files["benchmark.xlsx"] = benchmark_xlsx(content, shortlist, today, page)
    return files
