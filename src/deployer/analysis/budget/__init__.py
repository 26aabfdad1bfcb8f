"""The budget estimate, in parts a newcomer can find by name:

- ``evidence``: the price observations of content/prices/ fitted by population (pure statistics);
- ``inputs``: the answers the estimate reads, checked, with the defaults that replace missing ones;
- ``estimate``: cost lines by family (platform, services, programme, internal) and their totals;
- ``procurement_route``: the valeur estimée du besoin and the procurement route it implies;
- ``quick``: answers for ``deployer budget --population …``;
- ``results``: the plain values all of them return.

Every figure and every French sentence about the domain comes from content/.
"""

from deployer.analysis.budget.estimate import budget_defaults, estimate_budget
from deployer.analysis.budget.inputs import (
    band_from_text,
    budget_model,
    check_choice,
    check_int,
    check_population,
    hosting_conflict,
    participation_budget,
    role_conflicts,
    titulaire_services,
)
from deployer.analysis.budget.quick import QuickOptions, quick_answers
from deployer.analysis.budget.results import (
    ZERO,
    BudgetEstimate,
    BudgetLine,
    Choice,
    Citation,
    GroupTotal,
    Note,
    ProcurementAdvice,
    Range,
    date_fr,
    decimal_fr,
    etp_text,
    period_fr,
)

__all__ = [
    "ZERO", "BudgetEstimate", "BudgetLine", "Choice", "Citation", "GroupTotal", "Note", "ProcurementAdvice",
    "QuickOptions", "Range", "band_from_text", "budget_defaults", "budget_model", "check_choice", "check_int",
    "check_population", "date_fr", "decimal_fr", "estimate_budget", "etp_text", "hosting_conflict",
    "participation_budget", "period_fr", "quick_answers", "role_conflicts", "titulaire_services",
]
