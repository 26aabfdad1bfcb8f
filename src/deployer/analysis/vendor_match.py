"""Vendor catalogue queries and the shortlist: pure functions of (content, answers, today).

Nothing here recommends a provider. ``match_vendors`` reads the answers of module
« prestataire » and, for each entry of the catalogue, says what fits, what does not and what
must be asked; every reason names the catalogue field it comes from and that field's sources.
A fact written « inconnu » in the catalogue always becomes a question, never a fit or a misfit.

Order of the shortlist (documented in the benchmark too): offers with no blocking misfit
first, then more fits, then fewer misfits, then fewer questions, then by name (accents and
case ignored). Providers that disappeared, are no longer maintained or were renamed are
set apart with the date of the last evidence. Entries too poorly documented to judge
(``documentation_gaps``: confidence « faible », offer model or features unknown) are not
ranked: an entry with no facts can never contradict a requirement, so ranking it would
reward ignorance.

A fit or misfit whose newest source is older than ``OLD_EVIDENCE_YEARS`` is flagged « à
revérifier », and such an old misfit no longer blocks: the catalogue may be out of date.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, replace
from datetime import date
from typing import TYPE_CHECKING, Any, get_args

from deployer import french
from deployer.errors import DeployerError
from deployer.schema.vendors import DATA_ACCESS_ANSWERS, NOT_APPLICABLE, OLD_STATUS_YEARS, UNKNOWN, Feature, Vendor

if TYPE_CHECKING:
    from deployer.answers.answers_file import Answers
    from deployer.schema.content import Content
    from deployer.schema.models import SourceRef

MODULE = "prestataire"
SET_APART = ("disparu", "non_maintenu", "renomme")
OLD_EVIDENCE_YEARS = 3
"""A deciding fact is « ancien » when the year of its newest source is more than 3 years before today's."""
MATCH_QUESTIONS = ("modele_offre", "fonctionnalites", "logiciel_libre", "acces_donnees", "hebergement",
                   "achat", "prestations")
"""The questions of module « prestataire » read by the match (budget and size are not used)."""

FIELD_LABELS = {
    "kind": "Nature",
    "country": "Pays",
    "part_of": "Porté par",
    "based_on": "Repose sur",
    "offer_models": "Modèle d'offre",
    "open_source": "Code libre",
    "licence": "Licence",
    "repository": "Dépôt de code",
    "features": "Fonctionnalités",
    "data_access.raw_export": "Export des données brutes",
    "data_access.contributor_contacts": "Coordonnées des participants",
    "data_access.api": "API",
    "data_access.back_office": "Back-office",
    "hosting": "Hébergement",
    "accessibility": "Accessibilité",
    "pricing_model": "Modèle de prix",
    "purchasing_central": "Centrale d'achat",
    "listings": "Référencements",
    "french_clients": "Clients publics français",
    "status": "Statut",
    "verified_on": "Relevé le",
}
OFFER_LABELS = {
    "marque_blanche": "marque blanche",
    "intermediation": "intermédiation",
    "logiciel_libre": "logiciel libre",
    "integrateur": "intégrateur",
    "mutualisee": "plateforme mutualisée",
    "saas": "SaaS de l'éditeur",
    "conseil": "conseil et animation",
}
LICENCE_LABELS = {"proprietaire": "propriétaire", "inconnu": "inconnue"}  # « la licence » is feminine
FEATURE_LABELS = {
    "idees": "boîte à idées", "consultation": "consultation", "vote": "vote",
    "budget_participatif": "budget participatif", "cartographie": "cartographie", "debat": "débat",
    "petition": "pétition", "sondage": "questionnaire", "signalement": "signalement",
    "appel_projets": "appel à projets", "evenements": "événements", "synthese": "synthèse",
    "assemblee": "assemblée",
}
STATUS_LABELS = {
    "actif": "actif", "renomme": "renommé", "non_maintenu": "non maintenu", "disparu": "disparu",
    "inconnu": "inconnu",
}
TRI_LABELS = {"oui": "oui", "non": "non", "partiel": "partiel (open core)", "inconnu": "inconnu"}
FEATURES: tuple[str, ...] = get_args(Feature)
DATA_ACCESS_FIELDS = ("raw_export", "back_office", "api", "contributor_contacts")


NOT_A_RECOMMENDATION = "Point de départ pour votre propre benchmark, pas une recommandation."
ORDER_RULE = (
    "Ordre : d'abord les offres sans écart avec une exigence, puis celles qui ont le plus de points "
    "qui correspondent, le moins d'écarts, le moins de questions ; à égalité, par nom."
)
OLD_EVIDENCE_RULE = (
    f"Un point marqué « à revérifier » repose sur une source de plus de {OLD_EVIDENCE_YEARS} ans ; "
    "un écart de ce type ne compte pas comme exigence non satisfaite."
)
UNDOCUMENTED_RULE = (
    "Fiches trop peu documentées pour être comparées : fiabilité « faible », ou modèle d'offre ou "
    "fonctionnalités inconnus. Elles ne sont pas classées ; renseignez-vous directement auprès d'elles."
)


# -- Catalogue queries ------------------------------------------------------------------------


def fold(text: str) -> str:
    """Lower case, no accents, no punctuation: « Go Vocal » and « go-vocal » both give « govocal »."""
    return "".join(c for c in french.fold(text) if c.isalnum())


def _names(vendor: Vendor) -> list[str]:
    return [vendor.id, vendor.name, *vendor.other_names]


def find_vendor(vendors: list[Vendor], name: str) -> Vendor:
    """The entry whose id, name or other name matches (case and accents ignored)."""
    wanted = fold(name)
    for vendor in vendors:
        if wanted and wanted in (fold(n) for n in _names(vendor)):
            return vendor
    known = {fold(n): vendor.name for vendor in vendors for n in _names(vendor)}
    close = sorted({known[k] for k in difflib.get_close_matches(wanted, list(known), n=3, cutoff=0.6)})
    hint = (f"Vouliez-vous dire : {', '.join(close)} ?" if close
            else "Liste des noms : deployer vendors list")
    raise DeployerError(f"prestataire « {name} » introuvable dans le catalogue", hint=hint)


def feature_code(value: str) -> str:
    """« budget-participatif », « Débat » or « boîte à idées » → the feature code; else a French error."""
    wanted = fold(value)
    for code in FEATURES:
        if wanted in (fold(code), fold(FEATURE_LABELS[code])):
            return code
    allowed = ", ".join(label + (f" ({code.replace('_', '-')})" if fold(label) != fold(code) else "")
                        for code in FEATURES if (label := FEATURE_LABELS[code]))
    raise DeployerError(f"fonction « {french.short(value)} » inconnue", hint=f"Valeurs possibles : {allowed}.")


def french_date(text: str) -> str:
    """A catalogue date « AAAA-MM-JJ », « AAAA-MM » or « AAAA » written the French way (21/11/2026)."""
    return "/".join(reversed(text.split("-")))


def licence_text(vendor: Vendor) -> str:
    """The licence as the buyer needs it: « AGPL-3.0 (édition libre) / propriétaire (édition commerciale) »."""
    licence = LICENCE_LABELS.get(vendor.licence.value, vendor.licence.value)
    split = vendor.licence_split
    if split is None:
        return licence
    return f"{licence} ({split.free_part}) / {LICENCE_LABELS[split.rest]} ({split.rest_part})"


def status_text(vendor: Vendor, today: date | None = None) -> str:
    """« actif (dernière preuve : 2024) »; with ``today``, evidence OLD_STATUS_YEARS old or more says so."""
    old = today is not None and vendor.evidence_is_old(today)
    warning = f", il y a plus de {OLD_STATUS_YEARS} ans : statut à revérifier" if old else ""
    return f"{STATUS_LABELS[vendor.status.value]} (dernière preuve : {french_date(vendor.status.date)}{warning})"


def documentation_gaps(vendor: Vendor) -> list[str]:
    """Why an entry is too poorly documented to be compared (empty when it can be compared)."""
    gaps = []
    if vendor.confidence == "faible":
        gaps.append("fiabilité de la fiche « faible »")
    if vendor.offer_models.value == UNKNOWN:
        gaps.append("modèle d'offre inconnu")
    if vendor.features.value == UNKNOWN:
        gaps.append("fonctionnalités inconnues")
    return gaps


@dataclass(frozen=True)
class VendorFilter:
    """The filters of ``deployer vendors list``; None or False means « no filter »."""

    open_source: bool = False
    white_label: bool = False
    feature: str | None = None
    ugap: bool = False
    active: bool = False

    def keeps(self, vendor: Vendor) -> bool:
        """Whether the entry passes every filter (an unknown fact never passes)."""
        models = vendor.offer_models.value
        return all((
            not self.open_source or vendor.publishes_free_code is True,
            not self.white_label or (models != UNKNOWN and "marque_blanche" in models),
            self.feature is None or vendor.has_feature(self.feature) is True,
            not self.ugap or "UGAP" in vendor.purchasing_central.value,
            not self.active or vendor.status.value == "actif",
        ))


def filter_vendors(vendors: Iterable[Vendor], keep: VendorFilter) -> list[Vendor]:
    """The entries that pass the filters, by name."""
    return sorted((v for v in vendors if keep.keeps(v)), key=lambda v: fold(v.name))


def source_text(content: Content, refs: Iterable[SourceRef]) -> str:
    """« Title, section (date) ; Title (date) » for a fact's sources (an unknown id is shown as is)."""
    parts = []
    for ref in refs:
        source = content.sources.get(ref.source)
        title = f"{source.title}, {ref.section}" if source and ref.section else source.title if source else ref.source
        parts.append(f"{title} ({french_date(source.date)})" if source else title)
    return " ; ".join(dict.fromkeys(parts))


def source_parts(content: Content, source_id: str) -> tuple[str, str | None]:
    """« Title, publisher, date » and the URL (None without one) of a source."""
    source = content.sources.get(source_id)
    if source is None:
        return source_id, None
    return f"{source.title}, {source.publisher}, {french_date(source.date)}", source.url


def source_entry(content: Content, source_id: str) -> str:
    """One line of a numbered source list: « Title, publisher, date : URL »."""
    entry, url = source_parts(content, source_id)
    return f"{entry} : {url}" if url else entry


class SourceIndex:
    """Numbers sources in order of first citation, for « [1] » references and a list at the end."""

    def __init__(self, content: Content) -> None:
        self.content = content
        self.numbers: dict[str, int] = {}

    def cite(self, refs: Iterable[SourceRef]) -> str:
        """« [1] ; [2], README » for a fact's sources."""
        parts = []
        for ref in refs:
            number = self.numbers.setdefault(ref.source, len(self.numbers) + 1)
            parts.append(f"[{number}], {ref.section}" if ref.section else f"[{number}]")
        return " ; ".join(dict.fromkeys(parts))

    def entries(self) -> list[tuple[int, str, str | None]]:
        """(number, « Title, publisher, date », URL) for every source cited so far."""
        return [(n, *source_parts(self.content, source_id)) for source_id, n in self.numbers.items()]


def evidence_date(content: Content, refs: Iterable[SourceRef]) -> str | None:
    """The date of the newest of these sources (None without a dated source)."""
    dates = [s.date for ref in refs if (s := content.sources.get(ref.source)) is not None]
    return max(dates, default=None)


def is_old(evidence: str, today: date) -> bool:
    """Whether evidence dated « AAAA[-MM[-JJ]] » is older than ``OLD_EVIDENCE_YEARS`` (by year)."""
    return int(evidence[:4]) < today.year - OLD_EVIDENCE_YEARS


# -- Facts as plain rows ---------------------------------------------------------------------


@dataclass(frozen=True)
class FactRow:
    """One fact of an entry, ready to show: catalogue field, value text, sources, note."""

    field: str
    value: str
    sources: tuple[SourceRef, ...] = ()
    note: str | None = None

    @property
    def label(self) -> str:
        """The field's French label."""
        return FIELD_LABELS.get(self.field, self.field)


def value_text(value: Any) -> str:
    """A catalogue value as French text (codes of offers and features become labels)."""
    if isinstance(value, list):
        return ", ".join(OFFER_LABELS.get(v) or FEATURE_LABELS.get(v) or str(v) for v in value) or "aucun"
    return TRI_LABELS.get(value, str(value))


def vendor_facts(vendor: Vendor, today: date | None = None) -> list[FactRow]:
    """Every fact of the entry, in catalogue order, each with its own sources (with ``today``, a
    status whose evidence is old says so)."""
    rows = [FactRow("kind", vendor.kind), FactRow("country", vendor.country)]
    rows += [FactRow(key, getattr(vendor, key)) for key in ("part_of", "based_on") if getattr(vendor, key)]
    for key in ("offer_models", "open_source"):
        fact = getattr(vendor, key)
        rows.append(FactRow(key, value_text(fact.value), tuple(fact.sources), fact.note))
    split_sources = tuple(vendor.licence_split.sources) if vendor.licence_split else ()
    rows.append(FactRow("licence", licence_text(vendor), (*vendor.licence.sources, *split_sources),
                        vendor.licence.note))
    if vendor.repository:
        rows.append(FactRow("repository", vendor.repository))
    rows.append(FactRow("features", value_text(vendor.features.value), tuple(vendor.features.sources),
                        vendor.features.note))
    for key in DATA_ACCESS_FIELDS:
        fact = getattr(vendor.data_access, key)
        rows.append(FactRow(f"data_access.{key}", value_text(fact.value), tuple(fact.sources), fact.note))
    for key in ("hosting", "accessibility", "pricing_model", "purchasing_central"):
        fact = getattr(vendor, key)
        rows.append(FactRow(key, value_text(fact.value), tuple(fact.sources), fact.note))
    for key in ("listings", "french_clients"):
        rows += [FactRow(key, f.value, tuple(f.sources), f.note) for f in getattr(vendor, key)]
    status = vendor.status
    rows.append(FactRow("status", status_text(vendor, today), tuple(status.sources), status.note))
    return rows


# -- Matching ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Reason:
    """Why an offer fits, does not fit, or what to ask; traced to one catalogue field."""

    text: str
    field: str
    sources: tuple[SourceRef, ...] = ()
    blocking: bool = False
    old_evidence: str | None = None
    """Date of the newest source when older than ``OLD_EVIDENCE_YEARS`` (the point is « à revérifier »)."""

    @property
    def field_label(self) -> str:
        """The French label of the catalogue field."""
        return FIELD_LABELS.get(self.field, self.field)


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


def _fact_reason(text: str, field: str, fact: Any, blocking: bool = False) -> Reason:
    return Reason(text, field, tuple(fact.sources), blocking)


def _answer(answers: Answers, question: str) -> Any:
    value = answers.get(MODULE, question)
    return None if value == "nsp" else value


def _offer_model(vendor: Vendor, wanted: str) -> Iterator[Verdict]:
    fact = vendor.offer_models
    label = OFFER_LABELS[wanted]
    if fact.value == UNKNOWN:
        yield "question", Reason(f"Modèle d'offre non relevé : demandez s'il propose une offre « {label} ».",
                                 "offer_models")
        return
    accepted = {wanted, "integrateur"} if wanted == "logiciel_libre" else {wanted}
    if accepted & set(fact.value):
        yield "fit", _fact_reason(f"Propose : {value_text(fact.value)}.", "offer_models", fact)
    elif wanted == "logiciel_libre" and vendor.is_free_software:
        yield "fit", _fact_reason(f"Offre relevée : {value_text(fact.value)} ; le code est publié sous licence "
                                  "libre et peut être installé par un autre prestataire.", "open_source",
                                  vendor.open_source)
    else:
        yield "misfit", _fact_reason(f"Offre relevée : {value_text(fact.value)} ; pas « {label} ».",
                                     "offer_models", fact, blocking=True)


def _features(vendor: Vendor, needed: list[str]) -> Iterator[Verdict]:
    fact = vendor.features
    wanted = [f for f in FEATURES if f in needed]
    if not wanted:
        return
    if fact.value == UNKNOWN:
        yield "question", Reason(f"Fonctionnalités non relevées : demandez une démonstration de : "
                                 f"{value_text(wanted)}.", "features")
        return
    present = [f for f in wanted if f in fact.value]
    missing = [f for f in wanted if f not in fact.value]
    if present:
        yield "fit", _fact_reason(f"Fonctionnalités relevées : {value_text(present)}.", "features", fact)
    if missing:
        yield "misfit", _fact_reason(f"Non relevées par les sources : {value_text(missing)} ; "
                                     "demandez une démonstration.", "features", fact)


def _open_source(vendor: Vendor, wish: str) -> Iterator[Verdict]:
    fact, licence = vendor.open_source, vendor.licence.value
    sources = (*fact.sources, *vendor.licence.sources)
    required = wish == "exige"
    split = vendor.licence_split
    if split is not None:
        sources = (*sources, *split.sources)
        text = (f"Licence libre pour une partie seulement : {licence_text(vendor)} ; demandez quelle édition "
                "est proposée et sous quelle licence.")
        if split.rest == "proprietaire":
            yield "misfit", Reason(text, "licence", sources, blocking=required)
        else:
            yield "question", Reason(text, "licence", sources)
    elif fact.value == "oui":
        yield "fit", Reason(f"Code libre, licence {licence}.", "licence", sources)
    elif fact.value == "non":
        yield "misfit", Reason("Code non publié sous licence libre.", "open_source", sources, blocking=required)
    else:
        yield "question", Reason("Licence du code non relevée : demandez si le code est publié sous "
                                 "licence libre, et laquelle.", "open_source")


def _data_access(vendor: Vendor, wanted: list[str]) -> Iterator[Verdict]:
    fields = list(dict.fromkeys(DATA_ACCESS_ANSWERS[a] for a in wanted if a in DATA_ACCESS_ANSWERS))
    for key in fields:
        fact = getattr(vendor.data_access, key)
        label = FIELD_LABELS[f"data_access.{key}"]
        if fact.value == "oui":
            yield "fit", _fact_reason(f"{label} : oui.", f"data_access.{key}", fact)
        elif fact.value == "non":
            yield "misfit", _fact_reason(f"{label} : non, selon les sources.", f"data_access.{key}", fact,
                                         blocking=True)
        else:
            yield "question", Reason(f"{label} : non relevé ; demandez-le et écrivez-le dans le contrat.",
                                     f"data_access.{key}")


def _hosting(vendor: Vendor, wish: str) -> Iterator[Verdict]:
    fact = vendor.hosting
    if wish == "france_ue":
        if fact.value == UNKNOWN:
            yield "question", Reason("Lieu d'hébergement non relevé : demandez le lieu, l'hébergeur et ses "
                                     "sous-traitants.", "hosting")
        else:
            yield "question", _fact_reason(f"Hébergement relevé : {fact.value} ; demandez le lieu actuel, "
                                           "l'hébergeur et ses sous-traitants.", "hosting", fact)
    elif wish == "interne":
        free = vendor.is_free_software
        code = vendor.open_source
        if free:
            yield "fit", _fact_reason("Code publié sous licence libre : installable sur votre infrastructure.",
                                      "open_source", code)
        elif vendor.licence_split is not None:
            yield "question", Reason(f"Licence libre pour une partie seulement ({licence_text(vendor)}) : "
                                     "demandez quelle édition est proposée et si l'installation sur votre "
                                     "infrastructure est permise.", "licence",
                                     (*code.sources, *vendor.licence_split.sources))
        elif free is False:
            yield "misfit", _fact_reason("Code non publié : l'installation sur votre infrastructure dépend de "
                                         "l'éditeur.", "open_source", code)
        else:
            yield "question", Reason("Demandez si l'outil peut être installé sur votre infrastructure.",
                                     "open_source")


def _purchase(vendor: Vendor, route: str) -> Iterator[Verdict]:
    fact = vendor.purchasing_central
    if route != "centrale_achat":
        return
    if fact.value == UNKNOWN:
        yield "question", Reason("Référencement en centrale d'achat non relevé : demandez-le à la centrale.",
                                 "purchasing_central")
    elif fact.value == NOT_APPLICABLE:
        yield "question", Reason("Centrale d'achat sans objet pour le logiciel lui-même : demandez à la centrale "
                                 "quels prestataires de ce logiciel elle référence.", "purchasing_central")
    else:
        yield "fit", _fact_reason(f"Centrale d'achat : {fact.value} ; vérifiez le catalogue actuel.",
                                  "purchasing_central", fact)


SERVICE_MODELS = frozenset({"marque_blanche", "intermediation", "integrateur", "mutualisee", "conseil"})
"""Offer models sold with services by the provider itself (set-up, training, support)."""


def _support(vendor: Vendor, services: list[str]) -> Iterator[Verdict]:
    models = vendor.offer_models.value
    if not services or models == UNKNOWN or SERVICE_MODELS & set(models):
        return
    fact = vendor.offer_models
    if "saas" in models:
        yield "question", _fact_reason("Offre relevée : SaaS de l'éditeur ; demandez quelles prestations "
                                       "(formation, accompagnement) il comprend.", "offer_models", fact)
    else:
        yield "question", _fact_reason("Offre relevée : logiciel libre seul ; les prestations attendues "
                                       "supposent un prestataire : demandez qui les assure.", "offer_models", fact)


def _always(vendor: Vendor, today: date) -> Iterator[Verdict]:
    if vendor.french_clients:
        sources = tuple(s for f in vendor.french_clients for s in f.sources)
        count = len(vendor.french_clients)
        entries = " ; ".join(f.value + (f" ({f.note})" if f.note else "") for f in vendor.french_clients)
        yield "fit", Reason(f"Références publiques en France relevées ({count} fiche{'s' if count > 1 else ''}, "
                            f"une fiche pouvant citer plusieurs collectivités) : {entries}.",
                            "french_clients", sources)
    else:
        yield "question", Reason("Aucune référence publique en France relevée : demandez des collectivités "
                                 "comparables à contacter.", "french_clients")
    if vendor.accessibility.value == UNKNOWN:
        yield "question", Reason("Accessibilité non relevée : demandez la déclaration d'accessibilité RGAA et "
                                 "la date de l'audit.", "accessibility")
    if vendor.pricing_model.value == UNKNOWN:
        yield "question", Reason("Modèle de prix non relevé : demandez un devis détaillé.", "pricing_model")
    status = vendor.status
    if status.value == "inconnu":
        yield "question", Reason(f"Activité actuelle non établie (dernière preuve : {french_date(status.date)}) : "
                                 "vérifiez que l'offre existe toujours.", "status", tuple(status.sources))
    if vendor.is_stale(today):
        yield "question", Reason(f"Fiche relevée le {vendor.verified_on:%d/%m/%Y}, à revérifier.", "verified_on")


def fit_vendor(vendor: Vendor, answers: Answers, today: date) -> VendorFit:
    """What fits, what does not and what to ask, for one provider."""
    verdicts: list[Verdict] = []
    model = _answer(answers, "modele_offre")
    if model in OFFER_LABELS:
        verdicts += _offer_model(vendor, model)
    verdicts += _features(vendor, _answer(answers, "fonctionnalites") or [])
    if _answer(answers, "logiciel_libre") in ("exige", "souhaite"):
        verdicts += _open_source(vendor, _answer(answers, "logiciel_libre"))
    verdicts += _data_access(vendor, _answer(answers, "acces_donnees") or [])
    verdicts += _hosting(vendor, _answer(answers, "hebergement") or "")
    verdicts += _purchase(vendor, _answer(answers, "achat") or "")
    verdicts += _support(vendor, _answer(answers, "prestations") or [])
    verdicts += _always(vendor, today)
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
    fits = sorted((_with_dates(content, fit_vendor(v, answers, today), today) for v in judged),
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
