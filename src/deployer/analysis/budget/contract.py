"""The contract structure the valeur estimée follows: initial duration, each renewal's own
length, marché ordinaire or accord-cadre (with or without a maximum), allotment, and the
purchasing route the collectivité chose. Missing answers become written assumptions."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from deployer.analysis.budget.inputs import check_choice, check_int, option_label
from deployer.analysis.budget.results import Collector
from deployer.errors import DeployerError
from deployer.french import counted, euros, short
from deployer.schema.models import UNKNOWN

if TYPE_CHECKING:
    from deployer.answers.answers_file import Answers
    from deployer.schema.budget import BudgetModel
    from deployer.schema.content import Content

MODULE = "prestataire"
FRAMEWORK_WITH_MAXIMUM = "accord_cadre_maximum"
FRAMEWORK_WITHOUT_MAXIMUM = "accord_cadre_sans_maximum"
FORMS = ("marche_ordinaire", FRAMEWORK_WITH_MAXIMUM, FRAMEWORK_WITHOUT_MAXIMUM)


@dataclass(frozen=True)
class Contract:
    """How the purchase is contracted; months are whole months."""

    duration_months: int
    renewals: int
    renewal_months: int
    form: str
    form_label: str
    maximum: int | None  # the maximum of an accord-cadre, euros HT, when the user gave it
    allotment: str | None
    purchase: str | None  # the route the collectivité chose (prestataire.achat), None if unknown

    @property
    def total_months(self) -> int:
        """The whole duration, every renewal included."""
        return self.duration_months + self.renewals * self.renewal_months

    @property
    def is_framework(self) -> bool:
        """Whether the contract is an accord-cadre."""
        return self.form in (FRAMEWORK_WITH_MAXIMUM, FRAMEWORK_WITHOUT_MAXIMUM)


def read_contract(content: Content, model: BudgetModel, answers: Answers, notes: Collector) -> Contract:
    """The contract structure, every missing answer replaced by a documented default."""
    months, renewals = _durations(content, model, answers, notes)
    renewal_months = _renewal_months(content, model, answers, months, renewals, notes)
    if months + renewals * renewal_months < 12:
        notes.assume("contrat_court", model.messages.short_contract)
    form = _form(content, model, answers, notes)
    return Contract(
        duration_months=months,
        renewals=renewals,
        renewal_months=renewal_months,
        form=form,
        form_label=option_label(content, MODULE, "forme_marche", form),
        maximum=_maximum(content, model, answers, form, notes),
        allotment=_optional_choice(content, answers, "allotissement"),
        purchase=_optional_choice(content, answers, "achat"),
    )


def _durations(content: Content, model: BudgetModel, answers: Answers, notes: Collector) -> tuple[int, int]:
    months = answers.get(MODULE, "duree_mois")
    renewals = answers.get(MODULE, "reconductions")
    if months is None:
        months = model.defaults.duration_months
        notes.assume("duree_mois", model.messages.default_duration, months=str(months))
    if renewals is None:
        renewals = model.defaults.renewals
        notes.assume("reconductions", model.messages.default_renewals, renewals=counted(renewals, "reconduction"))
    return check_int(content, MODULE, "duree_mois", months, (1, 48)), check_int(
        content, MODULE, "reconductions", renewals, (0, 3))


def _renewal_months(content: Content, model: BudgetModel, answers: Answers, months: int, renewals: int,
                    notes: Collector) -> int:
    value = answers.get(MODULE, "duree_reconduction_mois")
    if value is None or value == 0:  # 0: « la même que la durée initiale », said by the question itself
        if renewals and value is None:
            notes.assume("duree_reconductions", model.messages.renewal_length, months=str(months))
        return months
    return check_int(content, MODULE, "duree_reconduction_mois", value, (1, 48))


def _form(content: Content, model: BudgetModel, answers: Answers, notes: Collector) -> str:
    value = answers.get(MODULE, "forme_marche")
    if value is None or value == UNKNOWN:
        form = model.defaults.contract_form
        notes.assume("forme_marche", model.messages.default_contract_form,
                     label=option_label(content, MODULE, "forme_marche", form))
        return form
    return check_choice(content, MODULE, "forme_marche", value, FORMS)


def _maximum(content: Content, model: BudgetModel, answers: Answers, form: str, notes: Collector) -> int | None:
    value: Any = answers.get(MODULE, "montant_maximum")
    if form != FRAMEWORK_WITH_MAXIMUM:
        return None
    if value is None or value == 0:
        notes.assume("montant_maximum", model.messages.default_maximum)
        return None
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise DeployerError(
            f"valeur invalide pour {MODULE} › montant_maximum : « {short(value)} »",
            hint="Indiquez le montant maximum de l'accord-cadre en euros HT, nombre entier (0 : pas encore fixé).",
        )
    notes.assume("montant_maximum_donne", model.messages.given_maximum, maximum=euros(value))
    return int(value)


def _optional_choice(content: Content, answers: Answers, question_id: str) -> str | None:
    value = answers.get(MODULE, question_id)
    if value is None or value == UNKNOWN:
        return None
    return check_choice(content, MODULE, question_id, value, None)
