"""The shortlist: each catalogue entry checked against the answers; pure functions of (content, answers, today).

Nothing here recommends a provider. ``match_vendors`` reads the answers of module
« prestataire » and, for each entry of the catalogue, says what fits, what does not and what
must be asked; every reason names the catalogue field it comes from and that field's sources.
A fact written « inconnu » in the catalogue always becomes a question, never a fit or a misfit.
The French text of every reason is in content (benchmark.yaml › libelles › raisons).

Order of the shortlist (documented in the benchmark too): offers with no blocking misfit
first, then more fits, then fewer misfits, then fewer questions, then by name (accents and
case ignored). Providers that disappeared, are no longer maintained or were renamed are
set apart with the date of the last evidence. Entries too poorly documented to judge
(``documentation_gaps``: confidence « faible », offer model or features unknown) are not
ranked: an entry with no facts can never contradict a requirement, so ranking it would
reward ignorance.

A fit or misfit whose newest source is older than ``OLD_EVIDENCE_YEARS`` is flagged « à
revérifier », and such an old misfit no longer blocks: the catalogue may be out of date.
Finding entries is ``vendor_lookup``'s job; showing their facts, ``vendor_facts``'s.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, replace
from datetime import date
from typing import TYPE_CHECKING, Any, get_args

from deployer.analysis.vendor_facts import (
    documentation_gaps,
    evidence_date,
    french_date,
    is_old,
    licence_text,
    value_text,
)
from deployer.analysis.vendor_lookup import FEATURES, fold
from deployer.errors import DeployerError
from deployer.french import counted
from deployer.schema.vendors import DATA_ACCESS_ANSWERS, NOT_APPLICABLE, UNKNOWN, OfferModel, Vendor

if TYPE_CHECKING:
    from deployer.answers.answers_file import Answers
    from deployer.schema.content import Content
    from deployer.schema.models import SourceRef
    from deployer.schema.vendor_wording import VendorWording

MODULE = "prestataire"
SET_APART = ("disparu", "non_maintenu", "renomme")
MATCH_QUESTIONS = ("modele_offre", "fonctionnalites", "logiciel_libre", "acces_donnees", "hebergement",
                   "achat", "prestations")
"""The questions of module « prestataire » read by the match (budget and size are not used)."""


@dataclass(frozen=True)
class Reason:
    """Why an offer fits, does not fit, or what to ask; traced to one catalogue field."""

    text: str
    field: str
    sources: tuple[SourceRef, ...] = ()
    blocking: bool = False
    old_evidence: str | None = None
    """Date of the newest source when older than ``OLD_EVIDENCE_YEARS`` (the point is « à revérifier »)."""


@dataclass(frozen=True)
class VendorFit:
    """One provider against the answers."""

    vendor: Vendor
    fits: tuple[Reason, ...]
    misfits: tuple[Reason, ...]
    questions: tuple[Reason, ...]

    @property
    def blocked(self) -> bool:
        """Whether a misfit contradicts a requirement (« exigé ») of the answers."""
        return any(r.blocking for r in self.misfits)

    def sort_key(self) -> tuple[bool, int, int, int, str]:
        """The documented order: no blocking misfit, more fits, fewer misfits, fewer questions, name."""
        return (self.blocked, -len(self.fits), len(self.misfits), len(self.questions), fold(self.vendor.name))


@dataclass(frozen=True)
class Shortlist:
    """Starting point for the collectivité's own benchmark, not a recommendation."""

    needs: tuple[str, ...]
    shortlist: tuple[VendorFit, ...]
    others: tuple[VendorFit, ...]
    set_apart: tuple[Vendor, ...]
    undocumented: tuple[Vendor, ...] = ()


Verdict = tuple[str, Reason]  # ("fit" | "misfit" | "question", reason)
OFFER_MODELS: tuple[str, ...] = get_args(OfferModel)


@dataclass(frozen=True)
class _Judge:
    """Says the verdicts on one entry in the wording of content (benchmark.yaml › libelles › raisons)."""

    wording: VendorWording
    vendor: Vendor

    def reason(self, key: str, field: str, sources: Iterable[SourceRef] = (), blocking: bool = False,
               **values: Any) -> Reason:
        return Reason(self.wording.raisons.say(key, **values), field, tuple(sources), blocking)

    def values(self, value: Any) -> str:
        return value_text(self.wording, value)

    def licence(self) -> str:
        return licence_text(self.wording, self.vendor)


def _offer_model(judge: _Judge, wanted: str) -> Iterator[Verdict]:
    vendor, say = judge.vendor, judge.reason
    fact = vendor.offer_models
    label = judge.wording.offres[wanted]
    if fact.value == UNKNOWN:
        yield "question", say("offre_non_relevee", "offer_models", offre=label)
        return
    accepted = {wanted, "integrateur"} if wanted == "logiciel_libre" else {wanted}
    offers = judge.values(fact.value)
    if accepted & set(fact.value):
        yield "fit", say("offre_proposee", "offer_models", fact.sources, offres=offers)
    elif wanted == "logiciel_libre" and vendor.is_free_software:
        yield "fit", say("offre_code_libre", "open_source", vendor.open_source.sources, offres=offers)
    else:
        yield "misfit", say("offre_autre", "offer_models", fact.sources, blocking=True, offres=offers, offre=label)


def _features(judge: _Judge, needed: list[str]) -> Iterator[Verdict]:
    fact, say = judge.vendor.features, judge.reason
    wanted = [f for f in FEATURES if f in needed]
    if not wanted:
        return
    if fact.value == UNKNOWN:
        yield "question", say("fonctionnalites_non_relevees", "features", fonctionnalites=judge.values(wanted))
        return
    present = [f for f in wanted if f in fact.value]
    missing = [f for f in wanted if f not in fact.value]
    if present:
        yield "fit", say("fonctionnalites_relevees", "features", fact.sources, fonctionnalites=judge.values(present))
    if missing:
        yield "misfit", say("fonctionnalites_absentes", "features", fact.sources,
                            fonctionnalites=judge.values(missing))


def _open_source(judge: _Judge, wish: str) -> Iterator[Verdict]:
    vendor, say = judge.vendor, judge.reason
    fact, licence = vendor.open_source, vendor.licence.value
    sources = (*fact.sources, *vendor.licence.sources)
    required = wish == "exige"
    split = vendor.licence_split
    if split is not None:
        sources = (*sources, *split.sources)
        if split.rest == "proprietaire":
            yield "misfit", say("licence_en_partie", "licence", sources, blocking=required, licence=judge.licence())
        else:
            yield "question", say("licence_en_partie", "licence", sources, licence=judge.licence())
    elif fact.value == "oui":
        yield "fit", say("code_libre", "licence", sources, licence=licence)
    elif fact.value == "non":
        yield "misfit", say("code_non_libre", "open_source", sources, blocking=required)
    else:
        yield "question", say("licence_non_relevee", "open_source")


def _data_access(judge: _Judge, wanted: list[str]) -> Iterator[Verdict]:
    say = judge.reason
    fields = list(dict.fromkeys(DATA_ACCESS_ANSWERS[a] for a in wanted if a in DATA_ACCESS_ANSWERS))
    for key in fields:
        fact = getattr(judge.vendor.data_access, key)
        field = f"data_access.{key}"
        label = judge.wording.field_label(field)
        if fact.value == "oui":
            yield "fit", say("acces_oui", field, fact.sources, champ=label)
        elif fact.value == "non":
            yield "misfit", say("acces_non", field, fact.sources, blocking=True, champ=label)
        else:
            yield "question", say("acces_non_releve", field, champ=label)


def _hosting(judge: _Judge, wish: str) -> Iterator[Verdict]:
    vendor, say = judge.vendor, judge.reason
    fact = vendor.hosting
    if wish == "france_ue":
        if fact.value == UNKNOWN:
            yield "question", say("hebergement_non_releve", "hosting")
        else:
            yield "question", say("hebergement_releve", "hosting", fact.sources, hebergement=fact.value)
    elif wish == "interne":
        free = vendor.is_free_software
        code = vendor.open_source
        if free:
            yield "fit", say("installation_libre", "open_source", code.sources)
        elif vendor.licence_split is not None:
            yield "question", say("installation_en_partie", "licence",
                                  (*code.sources, *vendor.licence_split.sources), licence=judge.licence())
        elif free is False:
            yield "misfit", say("installation_fermee", "open_source", code.sources)
        else:
            yield "question", say("installation_inconnue", "open_source")


def _purchase(judge: _Judge, route: str) -> Iterator[Verdict]:
    fact, say = judge.vendor.purchasing_central, judge.reason
    if route != "centrale_achat":
        return
    if fact.value == UNKNOWN:
        yield "question", say("centrale_non_relevee", "purchasing_central")
    elif fact.value == NOT_APPLICABLE:
        yield "question", say("centrale_sans_objet", "purchasing_central")
    else:
        yield "fit", say("centrale", "purchasing_central", fact.sources, centrale=fact.value)


SERVICE_MODELS = frozenset({"marque_blanche", "intermediation", "integrateur", "mutualisee", "conseil"})
"""Offer models sold with services by the provider itself (set-up, training, support)."""


def _support(judge: _Judge, services: list[str]) -> Iterator[Verdict]:
    fact = judge.vendor.offer_models
    models = fact.value
    if not services or models == UNKNOWN or SERVICE_MODELS & set(models):
        return
    key = "prestations_saas" if "saas" in models else "prestations_logiciel_libre"
    yield "question", judge.reason(key, "offer_models", fact.sources)


def _always(judge: _Judge, today: date) -> Iterator[Verdict]:
    vendor, say = judge.vendor, judge.reason
    clients = vendor.french_clients
    if clients:
        entries = " ; ".join(f.value + (f" ({f.note})" if f.note else "") for f in clients)
        yield "fit", say("references", "french_clients", (s for f in clients for s in f.sources),
                         fiches=counted(len(clients), "fiche"), references=entries)
    else:
        yield "question", say("sans_reference", "french_clients")
    if vendor.accessibility.value == UNKNOWN:
        yield "question", say("accessibilite_non_relevee", "accessibility")
    if vendor.pricing_model.value == UNKNOWN:
        yield "question", say("prix_non_releve", "pricing_model")
    status = vendor.status
    if status.value == "inconnu":
        yield "question", say("activite_non_etablie", "status", status.sources, date=french_date(status.date))
    if vendor.is_stale(today):
        yield "question", say("fiche_a_reverifier", "verified_on", date=f"{vendor.verified_on:%d/%m/%Y}")


def _answer(answers: Answers, question: str) -> Any:
    value = answers.get(MODULE, question)
    return None if value == "nsp" else value


def fit_vendor(wording: VendorWording, vendor: Vendor, answers: Answers, today: date) -> VendorFit:
    """What fits, what does not and what to ask, for one provider."""
    judge = _Judge(wording, vendor)
    verdicts: list[Verdict] = []
    model = _answer(answers, "modele_offre")
    if model in OFFER_MODELS:
        verdicts += _offer_model(judge, model)
    verdicts += _features(judge, _answer(answers, "fonctionnalites") or [])
    if _answer(answers, "logiciel_libre") in ("exige", "souhaite"):
        verdicts += _open_source(judge, _answer(answers, "logiciel_libre"))
    verdicts += _data_access(judge, _answer(answers, "acces_donnees") or [])
    verdicts += _hosting(judge, _answer(answers, "hebergement") or "")
    verdicts += _purchase(judge, _answer(answers, "achat") or "")
    verdicts += _support(judge, _answer(answers, "prestations") or [])
    verdicts += _always(judge, today)
    pick = {kind: tuple(r for k, r in verdicts if k == kind) for kind in ("fit", "misfit", "question")}
    return VendorFit(vendor, pick["fit"], pick["misfit"], pick["question"])


def _needs(content: Content, answers: Answers) -> tuple[str, ...]:
    needs = []
    for qid in MATCH_QUESTIONS:
        question = content.question(MODULE, qid)
        value = _answer(answers, qid)
        if question is None or not value:
            continue
        values = value if isinstance(value, list) else [value]
        labels = [o.label for v in values if (o := question.option(v)) is not None]
        if labels:
            needs.append(f"{question.label} → {' ; '.join(labels)}")
    return tuple(needs)


def _dated(content: Content, reason: Reason, today: date) -> Reason:
    """Flag a fit or misfit resting on old evidence; such a misfit no longer blocks."""
    evidence = evidence_date(content, reason.sources)
    if evidence is None or not is_old(evidence, today):
        return reason
    return replace(reason, old_evidence=evidence, blocking=False)


def _with_dates(content: Content, fit: VendorFit, today: date) -> VendorFit:
    return replace(fit, fits=tuple(_dated(content, r, today) for r in fit.fits),
                   misfits=tuple(_dated(content, r, today) for r in fit.misfits))


def match_vendors(content: Content, answers: Answers, today: date) -> Shortlist:
    """The shortlist: every current, documented provider checked against the answers, in the documented order."""
    by_name = sorted(content.vendors, key=lambda v: fold(v.name))
    current = [v for v in by_name if v.status.value not in SET_APART]
    judged = [v for v in current if not documentation_gaps(v)]
    fits = sorted((_with_dates(content, fit_vendor(content.wording, v, answers, today), today) for v in judged),
                  key=VendorFit.sort_key)
    return Shortlist(
        needs=_needs(content, answers),
        shortlist=tuple(f for f in fits if not f.blocked),
        others=tuple(f for f in fits if f.blocked),
        set_apart=tuple(v for v in by_name if v.status.value in SET_APART),
        undocumented=tuple(v for v in current if documentation_gaps(v)),
    )


def require_answers(shortlist: Shortlist) -> None:
    """Refuse a match on a file that answers none of the questions it uses."""
    if not shortlist.needs:
        raise DeployerError(
            "ce fichier ne répond à aucune des questions du module « prestataire » utilisées pour la "
            "présélection",
            hint="Répondez d'abord au module prestataire (modèle d'offre, fonctionnalités, logiciel libre, "
            "accès aux données, hébergement, achat, prestations) : deployer start VOTRE-FICHIER.yaml "
            "--module prestataire",
        )
