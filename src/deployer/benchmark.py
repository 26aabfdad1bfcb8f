"""The benchmark aid: benchmark.md and benchmark.xlsx, the only documents that name providers.

The shortlist comes from ``vendor_match.match_vendors``; the grid for analysing the offers
received comes from ``content/benchmark.yaml`` (criteria of published comparisons).
"""

from __future__ import annotations

from datetime import date
from functools import partial

from deployer.answers import Answers
from deployer.content import Content
from deployer.render.benchmark_table import OFFER_COLUMNS
from deployer.vendor_match import (
    FIELD_LABELS,
    NOT_A_RECOMMENDATION,
    ORDER_RULE,
    STATUS_LABELS,
    Shortlist,
    match_vendors,
    source_text,
)


def render_benchmark_markdown(content: Content, answers: Answers, shortlist: Shortlist, today: date) -> str:
    """benchmark.md: the shortlist with reasons and sources, then the analysis grid."""
    from deployer.budget import estimate_budget
    from deployer.render.templates import render

    estimate = estimate_budget(content, answers, today=today) if content.budget else None
    return render(
        "benchmark.md.j2",
        collectivite=answers.name,
        today=today,
        shortlist=shortlist,
        criteria=content.benchmark_criteria,
        estimate=estimate,
        cite=partial(source_text, content),
        field_labels=FIELD_LABELS,
        status_labels=STATUS_LABELS,
        not_a_recommendation=NOT_A_RECOMMENDATION,
        order_rule=ORDER_RULE,
        offer_columns=OFFER_COLUMNS,
    )


def build_benchmark(content: Content, answers: Answers, today: date) -> dict[str, str | bytes]:
    """benchmark.md and benchmark.xlsx, ready to be merged into the dossier."""
    from deployer.render.benchmark_table import benchmark_xlsx

    shortlist = match_vendors(content, answers, today)
    return {
        "benchmark.md": render_benchmark_markdown(content, answers, shortlist, today),
        "benchmark.xlsx": benchmark_xlsx(content, shortlist, today),
    }
