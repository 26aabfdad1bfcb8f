"""The dossier: every document generated from (content, answers), as {file name: text}."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from deployer.answers.answers_file import Answers
from deployer.errors import ContentError, DeployerError
from deployer.french import fix_typography, number
from deployer.schema.content import Content

if TYPE_CHECKING:
    from deployer.analysis.budget import BudgetEstimate
    from deployer.analysis.dossier_analysis import DossierAnalysis

CCTP_SECTIONS = [
    "00-en-tete", "01-contexte", "02-objet", "03-besoins-fonctionnels", "04-publics-inclusion",
    "05-donnees", "06-hebergement", "07-accompagnement", "08-evaluation", "09-calendrier",
    "10-criteres", "11-prix", "12-glossaire", "13-references",
]
ACCOMPANIMENT = ("animation", "moderation", "synthese", "mobilisation", "conception_participative")
TODO = "[À COMPLÉTER\u00a0: {}]"
FORMATS = ("md", "docx", "odt", "html")
CCTP_STEM = "cahier-des-charges"


def parse_formats(values: list[str] | None) -> tuple[str, ...]:
    """The CCTP formats asked for (« --format docx,odt » or repeated); all when none."""
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
        return bool(p and p.route_high.id == "formalisee")

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
        """« [n] »: the number of a text in the list of references closing the document."""
        if source_id not in self.content.sources:
            raise ContentError(f"le cahier des charges cite la source « {source_id} », absente de content/sources",
                               hint="Ajoutez-la à un fichier de content/sources/, puis : deployer content check")
        if source_id not in self.cited:
            self.cited.append(source_id)
        return f"[{self.cited.index(source_id) + 1}]"

    @property
    def references(self) -> list[Any]:
        """The cited sources, in order of first citation."""
        return [self.content.sources[source_id] for source_id in self.cited]

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
    from deployer.analysis.budget import estimate_budget

    return _cctp_markdown(DocumentContext(content, answers, today, estimate or estimate_budget(content, answers,
                                                                                               today=today)))


def _cctp_markdown(doc: DocumentContext) -> str:
    """The cahier des charges section by section, then the checklist of points to complete."""
    from deployer.documents.templates import render

    body = "".join(render(f"cahier_des_charges/{s}.md.j2", doc=doc) for s in CCTP_SECTIONS)
    return fix_typography(body + render("cahier_des_charges/99-a-completer.md.j2", doc=doc))


def build_dossier(
    content: Content, answers: Answers, today: date | None = None, staff_cost_per_etp: int | None = None,
    formats: tuple[str, ...] = FORMATS,
) -> dict[str, str | bytes]:
    """Every file of the dossier, in memory, ready to be written at once."""
    from deployer.analysis.dossier_analysis import analyse_dossier

    return dossier_files(analyse_dossier(content, answers, today or date.today(), staff_cost_per_etp), formats)


def dossier_files(analysis: DossierAnalysis, formats: tuple[str, ...] = FORMATS) -> dict[str, str | bytes]:
    """The dossier's files from one analysis: no renderer computes it again."""
    from deployer.documents.benchmark import benchmark_files
    from deployer.documents.budget_markdown import render_budget_markdown
    from deployer.documents.budget_tables import budget_csv, budget_xlsx

    content, answers, estimate = analysis.content, analysis.answers, analysis.estimate
    cctp = _cctp_markdown(DocumentContext(content, answers, analysis.today, estimate))
    files: dict[str, str | bytes] = cctp_files(cctp, answers.name, formats)
    files.update({
        "note-de-cadrage.md": render_note(analysis),
        "budget.md": render_budget_markdown(estimate, answers),
        "budget.csv": budget_csv(estimate),
        "budget.xlsx": budget_xlsx(estimate),
        **benchmark_files(content, answers, analysis.shortlist, analysis.today, estimate),
    })
    return files


def cctp_files(cctp: str, name: str, formats: tuple[str, ...] = FORMATS) -> dict[str, str | bytes]:
    """The cahier des charges in each asked format."""
    from deployer.documents.html import to_html
    from deployer.documents.office import to_docx, to_odt

    title = f"Cahier des charges — {' '.join(name.split())}"
    writers: dict[str, Callable[[str, str], str | bytes]] = {
        "md": lambda text, _: text, "docx": to_docx, "odt": to_odt, "html": to_html,
    }
    return {f"{CCTP_STEM}.{fmt}": writers[fmt](cctp, title) for fmt in formats}


def render_note(analysis: DossierAnalysis) -> str:
    """The note de cadrage for elected officials and the director (Markdown)."""
    from deployer.documents.templates import render

    doc = DocumentContext(analysis.content, analysis.answers, analysis.today, analysis.estimate)
    note = render("note_de_cadrage.md.j2", doc=doc, estimate=analysis.estimate, assessment=analysis.report.assessment)
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
