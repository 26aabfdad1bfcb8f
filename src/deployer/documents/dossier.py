"""The dossier: every document generated from (content, answers), as {file name: text}."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from deployer.analysis.requirements import TODO
from deployer.answers.answers_file import Answers
from deployer.errors import ContentError, DeployerError
from deployer.french import fix_typography, number
from deployer.schema.content import Content

if TYPE_CHECKING:
    from deployer.analysis.budget import BudgetEstimate
    from deployer.analysis.budget.results import Lot
    from deployer.analysis.dossier_analysis import DossierAnalysis
    from deployer.analysis.requirements import ChosenRequirement
    from deployer.documents.office_model import DocumentModels
    from deployer.documents.page import PageInfo

CCTP_SECTIONS = [
    "00-en-tete", "01-contexte", "02-objet", "03-besoins-fonctionnels", "04-publics-inclusion",
    "05-donnees", "06-hebergement", "07-accompagnement", "08-evaluation", "09-calendrier",
    "10-niveaux-de-service", "11-prix", "12-glossaire",
]  # then 13-references, once the notes to the buyer are out and the texts cited are known
# A paragraph that addresses the buyer, not the candidates: stripped from the published CCTP
# (and gathered in the note de cadrage) unless the draft is asked with its notes.
BUYER_NOTE = "> Note pour la collectivité, à retirer avant publication"
REF = "\u27e6ref:{}\u27e7"  # numbered « [n] » once the CCTP is complete
_REF_MARKER = re.compile("\u27e6ref:([^\u27e7]+)\u27e7")
_BLANK_LINES = re.compile(r"\n{3,}")
_REF_RUN = re.compile(r"\[\d+\](?: \[\d+\])+")  # « [7] [4] » is printed « [4] [7] »
ACCOMPANIMENT = ("animation", "moderation", "synthese", "mobilisation", "conception_participative")
FORMATS = ("md", "docx", "odt", "html", "xlsx")
CCTP_FORMATS = ("md", "docx", "odt", "html")
CCTP_STEM = "cahier-des-charges"
CCTP_TITLE = "Cahier des charges"


def parse_formats(values: list[str] | None) -> tuple[str, ...]:
    """The formats asked for (« --format docx,odt » or repeated); all when none."""
    asked = [v.strip().lower() for value in values or [] for v in value.split(",") if v.strip()]
    unknown = [v for v in asked if v not in FORMATS]
    if unknown:
        raise DeployerError(
            f"format inconnu : « {unknown[0]} »", hint=f"Formats possibles : {', '.join(FORMATS)} (par défaut : tous)."
        )
    return tuple(f for f in FORMATS if f in asked) or FORMATS


@dataclass
class DocumentContext:
    """What templates see: answers by (module, question), option labels, and TODO markers."""

    content: Content
    answers: Answers
    today: date
    estimate: BudgetEstimate | None = None
    todos: list[str] = field(default_factory=list)
    cited: list[str] = field(default_factory=list)
    requirements: list[ChosenRequirement] = field(default_factory=list)

    @property
    def name(self) -> str:
        """The collectivité's name (user text: templates escape it)."""
        return self.answers.name

    @property
    def type_label(self) -> str:
        """The collectivité's type, as labelled in the profile questions."""
        return self._option_label(self.content.profile.questions, "type", self.answers.profile.get("type"))

    @property
    def population_text(self) -> str:
        """« 42 000 habitants », or a TODO."""
        population = self.answers.population
        return f"{number(population)} habitants" if population else self.todo("nombre d'habitants")

    @property
    def date_text(self) -> str:
        """The generation date, e.g. « 21/11/2026 »."""
        return self.today.strftime("%d/%m/%Y")

    @property
    def years_text(self) -> str:
        """The initial duration in years, for annual lines of the DPGF (« 1 », « 0,5 », « 2 »)."""
        months = self.estimate.duration_months if self.estimate else 12
        return f"{months / 12:g}".replace(".", ",")

    def titulaire(self, service: str) -> bool:
        """Whether the titulaire provides this service (« prestations » or a role answer), as the
        budget and the DPGF price it: the one rule every chapter follows."""
        return bool(self.estimate and service in self.estimate.service_ids)

    def conflict(self, service: str) -> bool:
        """Whether the service is asked for in « prestations » but kept in-house by a role answer."""
        from deployer.analysis.budget import role_conflicts

        return service in role_conflicts(self.content, self.answers)

    @property
    def accompaniment(self) -> bool:
        """Whether the titulaire provides any accompaniment besides training (allotment matters)."""
        return any(self.titulaire(s) for s in ACCOMPANIMENT)

    @property
    def hosting_conflict(self) -> bool:
        """Whether the offer includes hosting by the titulaire while hosting must stay in-house."""
        from deployer.analysis.budget import hosting_conflict

        return bool(self.estimate and hosting_conflict(self.content, self.answers, self.estimate.offer_model))

    @property
    def high_above_eu(self) -> bool:
        """Whether the high estimate reaches the EU threshold (formalised procedure)."""
        p = self.estimate.procurement if self.estimate else None
        return bool(p and p.legal_route.id == "procedure_formalisee")

    def value(self, module: str, question: str) -> Any:
        """The raw answer, or None (« Je ne sais pas » counts as no answer here)."""
        value = self.answers.get(module, question)
        return None if value == "nsp" else value

    def labels(self, module: str, question: str, without: tuple[str, ...] = ()) -> list[str]:
        """The labels of the chosen options, except those in ``without``."""
        value = self.value(module, question)
        q = self.content.question(module, question)
        if value is None or q is None:
            return []
        values = value if isinstance(value, list) else [value]
        return [o.label for v in values if v not in without and (o := q.option(v)) is not None]

    def label(self, module: str, question: str) -> str | None:
        """The chosen option's label (several joined), or None."""
        return "\u202f; ".join(self.labels(module, question)) or None

    def has(self, module: str, question: str, option: str) -> bool:
        """Whether the answer is, or includes, this option value."""
        value = self.value(module, question)
        return option in value if isinstance(value, list) else value == option

    def cite(self, refs: Any, sections: bool = True) -> str:
        """« Titre (éditeur, date), section » for each source reference, joined by « ; »."""
        parts = []
        for ref in refs:
            source = self.content.sources.get(ref.source)
            if source is not None:
                text = f"{source.title} ({source.publisher}, {source.date})"
                parts.append(f"{text}, {ref.section}" if ref.section and sections else text)
        return " ; ".join(dict.fromkeys(parts))

    def ref(self, source_id: str) -> str:
        """A marker for « [n] », the number of a text in the list of references closing the document;
        numbers are given once the document is complete (``number_references``)."""
        if source_id not in self.content.sources:
            raise ContentError(f"le cahier des charges cite la source « {source_id} », absente de content/sources",
                               hint="Ajoutez-la à un fichier de content/sources/, puis : deployer content check")
        return REF.format(source_id)

    def number_references(self, text: str) -> str:
        """Replace the markers of ``ref`` by « [n] », numbered in order of first appearance in ``text``."""
        for source_id in _REF_MARKER.findall(text):
            if source_id not in self.cited:
                self.cited.append(source_id)
        numbered = _REF_MARKER.sub(lambda m: f"[{self.cited.index(m.group(1)) + 1}]", text)
        return _REF_RUN.sub(lambda m: " ".join(sorted(m.group(0).split(" "), key=lambda r: int(r[1:-1]))), numbered)

    def name_references(self, text: str) -> str:
        """Replace the markers of ``ref`` by the texts' titles (outside the CCTP)."""
        return _REF_MARKER.sub(lambda m: f"[{self.content.sources[m.group(1)].title}]", text)

    @property
    def references(self) -> list[Any]:
        """The cited sources, in order of first citation."""
        return [self.content.sources[source_id] for source_id in self.cited]

    def requirement_groups(self, section: str) -> list[tuple[str, list[ChosenRequirement]]]:
        """(chapter title, requirements) of the catalogue chosen for one part of the CCTP."""
        from deployer.analysis.requirements import by_section

        return by_section(self.requirements, section)

    @property
    def lots(self) -> list[tuple[Lot, list[ChosenRequirement]]]:
        """Each lot with its requirements when the purchase is allotted; empty otherwise."""
        from deployer.analysis.requirements import by_lot

        return by_lot(self.requirements, self.estimate)

    @property
    def lot_numbers(self) -> dict[str, int]:
        """Each requirement's lot number (1, 2…) when the purchase is allotted; empty otherwise."""
        return {r.id: number for number, (_, chosen) in enumerate(self.lots, start=1) for r in chosen}

    def chapter_intro(self, chapter_id: str) -> str | None:
        """The catalogue chapter's sentence for candidates, if any."""
        return next((c.intro for c, _ in self.content.requirements if c.id == chapter_id), None)

    def requirements_in(self, section: str) -> list[ChosenRequirement]:
        """The requirements chosen for one part of the CCTP, all chapters together."""
        return [r for r in self.requirements if r.section == section]

    def requirements_for(self, service: str) -> list[ChosenRequirement]:
        """The requirements that apply because the titulaire provides this service (« moderation »…)."""
        return [r for r in self.requirements if service in r.services]

    def requirement_text(self, requirement: ChosenRequirement) -> str:
        """The requirement's text, its open points listed to complete and its sources numbered."""
        for point in requirement.open_points:
            self.todo(point)
        refs = " ".join(self.ref(source) for source in dict.fromkeys(s.source for s in requirement.sources))
        return f"{requirement.text} {refs}".rstrip()

    def todo(self, what: str) -> str:
        """A visible « [À COMPLÉTER : …] » marker, also listed in the final checklist."""
        if what not in self.todos:
            self.todos.append(what)
        return TODO.format(what)

    def _option_label(self, questions: Any, qid: str, value: Any) -> str:
        question = next((q for q in questions if q.id == qid), None)
        option = question.option(value) if question and isinstance(value, str) else None
        return option.label.lower() if option else self.todo("type de collectivité")


def render_cctp(content: Content, answers: Answers, today: date, estimate: BudgetEstimate | None = None) -> str:
    """The draft cahier des charges (Markdown) on its own, estimating the budget if not given."""
    return cctp_with_notes(content, answers, today, estimate)[0]


def cctp_with_notes(
    content: Content, answers: Answers, today: date, estimate: BudgetEstimate | None = None
) -> tuple[str, list[str]]:
    """The cahier des charges for the candidates, and the notes to the buyer taken out of it."""
    from deployer.analysis.budget import estimate_budget
    from deployer.analysis.requirements import select_requirements

    doc = DocumentContext(content, answers, today, estimate or estimate_budget(content, answers, today=today),
                          requirements=select_requirements(content, answers))
    return _cctp_markdown(doc)


def _cctp_markdown(doc: DocumentContext) -> tuple[str, list[str]]:
    """The cahier des charges section by section, then the list of texts cited and the checklist
    of points to complete; and the notes to the buyer taken out of it, for the note de cadrage.
    Texts are numbered as they appear in what is kept."""
    from deployer.documents.templates import render

    body = "".join(render(f"cahier_des_charges/{s}.md.j2", doc=doc) for s in CCTP_SECTIONS)
    body, notes = strip_buyer_notes(body)
    body = _BLANK_LINES.sub("\n\n", body)
    doc.todos[:] = [t for t in doc.todos if TODO.format(t) in body]  # the others went with the notes
    body = doc.number_references(body)
    doc.todos[:] = [doc.name_references(doc.number_references(t)) for t in doc.todos]
    tail = render("cahier_des_charges/13-references.md.j2", doc=doc)
    tail, more = strip_buyer_notes(tail)
    tail += render("cahier_des_charges/99-a-completer.md.j2", doc=doc)
    return fix_typography(body + tail), [doc.name_references(n) for n in notes + more]


def strip_buyer_notes(markdown: str) -> tuple[str, list[str]]:
    """The Markdown without its « Note pour la collectivité » lines, and their texts."""
    kept: list[str] = []
    notes = []
    lines = markdown.split("\n")
    for i, line in enumerate(lines):
        if line.startswith(BUYER_NOTE):
            text = line.removeprefix(BUYER_NOTE).lstrip("\u00a0\u202f :").strip()
            notes.append(text[:1].upper() + text[1:])
        elif not (line == "" and kept and kept[-1] == "" and i > 0 and lines[i - 1].startswith(BUYER_NOTE)):
            kept.append(line)
    return "\n".join(kept), notes


def build_dossier(
    content: Content, answers: Answers, today: date | None = None, staff_cost_per_etp: int | None = None,
    formats: tuple[str, ...] = FORMATS, models: DocumentModels | None = None, parallel: bool = False,
) -> dict[str, str | bytes]:
    """Every file of the dossier, in memory, ready to be written at once (``parallel``: on two
    cores where possible, see deployer.documents.parallel)."""
    from deployer.analysis.dossier_analysis import analyse_dossier

    analysis = analyse_dossier(content, answers, today or date.today(), staff_cost_per_etp)
    return dossier_files(analysis, formats, models, parallel)


def dossier_files(analysis: DossierAnalysis, formats: tuple[str, ...] = FORMATS,
                  models: DocumentModels | None = None, parallel: bool = False) -> dict[str, str | bytes]:
    """The dossier's files from one analysis: no renderer computes it again. Markdown documents
    come in each asked format; spreadsheets only when « xlsx » is asked (CSV always)."""
    from deployer.documents.parallel import build_in_two

    content, answers, estimate, today = analysis.content, analysis.answers, analysis.estimate, analysis.today
    cctp, notes = _cctp_markdown(DocumentContext(content, answers, today, estimate,
                                                 requirements=analysis.requirements))

    if parallel and any(f in formats for f in ("docx", "odt", "html")):  # parsed once, before the fork
        from deployer.documents.office import blocks_of
        from deployer.documents.page import subject_of
        from deployer.documents.reply_kit import cadre_markdown

        for markdown in (cctp, cadre_markdown(analysis, subject_of(cctp))):
            blocks_of(markdown)

    def build(asked: tuple[str, ...], main: bool) -> list[dict[str, str | bytes]]:
        return _dossier_sections(analysis, cctp, notes, asked, models, main)

    return build_in_two(build, formats, FORMATS, parallel)


def _dossier_sections(analysis: DossierAnalysis, cctp: str, notes: list[str], formats: tuple[str, ...],
                      models: DocumentModels | None, main: bool) -> list[dict[str, str | bytes]]:
    """The dossier's files in ``formats``, in five sections (CCTP, cadre de réponse, Markdown and
    CSV documents, spreadsheets, benchmark); the formats-independent files only when ``main``."""
    from deployer.documents.benchmark import benchmark_files
    from deployer.documents.budget_markdown import render_budget_markdown
    from deployer.documents.budget_tables import budget_csv
    from deployer.documents.page import PageInfo, subject_of
    from deployer.documents.reply_kit import reply_kit_files

    answers, estimate, today = analysis.answers, analysis.estimate, analysis.today
    sections: list[dict[str, str | bytes]] = [
        cctp_files(cctp, PageInfo(CCTP_TITLE, answers.name, today, subject_of(cctp)), formats, models),
        reply_kit_files(analysis, formats, models, cctp),
        {"note-de-cadrage.md": render_note(analysis, notes), "budget.md": render_budget_markdown(estimate, answers),
         "budget.csv": budget_csv(estimate)} if main else {},
        {},
    ]
    if "xlsx" in formats:
        from deployer.documents.budget_tables import budget_xlsx
        from deployer.documents.grille import GRILLE_FILE, GRILLE_TITLE, grille_xlsx

        sections[3][GRILLE_FILE] = grille_xlsx(analysis, PageInfo(GRILLE_TITLE, answers.name, today, subject_of(cctp)))
        sections[3]["budget.xlsx"] = budget_xlsx(estimate, PageInfo("Budget et DPGF", answers.name, today))
    sections.append(benchmark_files(analysis.content, answers, analysis.shortlist, today, estimate,
                                    xlsx="xlsx" in formats, markdown=main))
    return sections


def cctp_files(cctp: str, page: PageInfo | str, formats: tuple[str, ...] = FORMATS,
               models: DocumentModels | None = None) -> dict[str, str | bytes]:
    """The cahier des charges in each asked format (office formats in the buyer's model if given);
    ``page`` may be just the collectivité's name (dated today)."""
    from deployer.documents.page import PageInfo

    if isinstance(page, str):
        page = PageInfo(CCTP_TITLE, page, date.today())
    from deployer.documents.office import office_formats

    asked = tuple(f for f in formats if f in CCTP_FORMATS)
    return {f"{CCTP_STEM}.{fmt}": data for fmt, data in office_formats(cctp, page, asked, models).items()}


def render_note(analysis: DossierAnalysis, cctp_notes: list[str] | None = None) -> str:
    """The note de cadrage for elected officials and the director (Markdown), with the award
    criteria proposed for the règlement de la consultation and the notes taken out of the CCTP."""
    from deployer.documents.grille import scored_parts
    from deployer.documents.templates import render

    criteria = analysis.content.award_criteria
    lot_criteria = [(lot.label, [(c.label, scored_parts(c, criteria, chosen))
                                 for c in criteria.criteres if c.sub_criteria])
                    for lot, chosen in analysis.lots] if criteria else []
    doc = DocumentContext(analysis.content, analysis.answers, analysis.today, analysis.estimate)
    note = render("note_de_cadrage.md.j2", doc=doc, estimate=analysis.estimate, assessment=analysis.report.assessment,
                  criteria=criteria, cctp_notes=cctp_notes or [], lot_criteria=lot_criteria)
    return fix_typography(note)


def build_demo(
    content: Content, examples: list[Path], today: date | None = None, formats: tuple[str, ...] = FORMATS
) -> dict[str, str | bytes]:
    """The demonstration folder: per example collectivité (smallest first), its answers file,
    its score report (HTML and JSON) and its dossier (the CCTP in ``formats``); an index."""
    from deployer.analysis.dossier_analysis import analyse_dossier
    from deployer.answers.answers_file import SUFFIX, read_answers
    from deployer.documents.report_html import render_html
    from deployer.documents.report_json import render_json
    from deployer.documents.templates import render

    files: dict[str, str | bytes] = {}
    entries = []
    read = sorted(((path, read_answers(path, content)) for path in examples),
                  key=lambda pair: (pair[1].population or 0, pair[0].name))
    width = len(str(len(read)))
    for rank, (path, answers) in enumerate(read, start=1):
        folder = f"{rank:0{width}d}-{path.name.removesuffix(SUFFIX)}"  # numbered: smallest to largest
        analysis = analyse_dossier(content, answers, today or date.today())
        produced: dict[str, str | bytes] = {"rapport.html": render_html(content, analysis.report),
                                            "rapport.json": render_json(content, analysis.report)}
        produced.update(dossier_files(analysis, formats))
        files[f"{folder}/{path.name}"] = path.read_bytes()
        files.update({f"{folder}/{name}": data for name, data in produced.items()})
        entries.append({"folder": folder, "answers": path.name, "type": answers.profile.get("type"),
                        "doc": DocumentContext(content, answers, today or date.today()), "files": list(produced)})
    files["README.md"] = fix_typography(render("demo-index.md.j2", entries=entries))
    return files
