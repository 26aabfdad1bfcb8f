"""budget.md: the budget estimate as a French Markdown document."""

from __future__ import annotations

from deployer.analysis.budget import BudgetEstimate, date_fr, decimal_fr, etp_text, period_fr
from deployer.answers.answers_file import Answers


def render_budget_markdown(estimate: BudgetEstimate, answers: Answers) -> str:
    """budget.md: the estimate as a French Markdown document."""
    from deployer.documents.templates import render

    return render("budget.md.j2", estimate=estimate, collectivite=answers.name, date_fr=date_fr,
                  period_fr=period_fr, etp_text=etp_text, decimal_fr=decimal_fr)
