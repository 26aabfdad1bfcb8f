"""The dossier: every document generated from (content, answers), as {file name: text}."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from deployer.analysis.requirements import TODO
from deployer.answers.answers_file import Answers
from deployer.documents.document_context import DocumentContext
from deployer.errors import DeployerError
from deployer.french import fix_typography
from deployer.schema.content import Content

if TYPE_CHECKING:
    from deployer.analysis.budget import BudgetEstimate
    from deployer.analysis.dossier_analysis import DossierAnalysis
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
_BLANK_LINES = re.compile(r"\n{3,}")
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
