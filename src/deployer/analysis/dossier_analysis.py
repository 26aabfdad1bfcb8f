"""One analysis per dossier: the assessment, the budget estimate, the requirements and the vendor shortlist,
computed once from (content, answers) and read by every document of the dossier."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from deployer.analysis.assessment import Report, build_report
from deployer.analysis.budget import BudgetEstimate, estimate_budget
from deployer.analysis.budget.results import Lot
from deployer.analysis.requirements import ChosenRequirement, by_lot, select_requirements
from deployer.analysis.vendor_match import Shortlist, match_vendors
from deployer.answers.answers_file import Answers
from deployer.schema.content import Content


@dataclass(frozen=True)
class DossierAnalysis:
    """Everything the documents of one dossier need, as plain values."""

    content: Content
    answers: Answers
    today: date
    report: Report
    estimate: BudgetEstimate
    shortlist: Shortlist
    requirements: list[ChosenRequirement]

    @property
    def lots(self) -> list[tuple[Lot, list[ChosenRequirement]]]:
        """Each lot with its requirements when the purchase is allotted; empty otherwise."""
        return by_lot(self.requirements, self.estimate)


def analyse_dossier(
    content: Content, answers: Answers, today: date, staff_cost_per_etp: int | None = None
) -> DossierAnalysis:
    """Assess, estimate and match once; every renderer of the dossier reads the result."""
    return DossierAnalysis(
        content=content,
        answers=answers,
        today=today,
        report=build_report(content, answers),
        estimate=estimate_budget(content, answers, today=today, staff_cost_per_etp=staff_cost_per_etp),
        shortlist=match_vendors(content, answers, today),
        requirements=select_requirements(content, answers),
    )
