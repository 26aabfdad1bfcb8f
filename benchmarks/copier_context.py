"""Copier side of the comparison in commands.py: a Copier template made of deployer's own Markdown
templates (the CCTP sections, the note de cadrage, the cadre de réponse, budget.md, benchmark.md),
rendered by Copier with the same context deployer gives them.

``make_template(folder)`` writes the Copier template (copier.yml + the templates); ``Context`` is
the Jinja extension Copier loads (``_jinja_extensions``): it reads the answers file named by
``DEPLOYER_REPONSES``, runs the same analysis as ``deployer generate`` and exposes the templates'
variables and filters as globals. Copier needs ``--trust`` for the extension and this folder on
PYTHONPATH.
"""

from __future__ import annotations

import os
import shutil
from datetime import date
from pathlib import Path
from typing import Any

from jinja2.ext import Extension

ROOT = Path(__file__).resolve().parents[1]


def template_names() -> list[str]:
    """The Markdown templates a ``--format md`` dossier renders, as paths under templates/."""
    from deployer.documents.dossier import CCTP_SECTIONS

    sections = [f"cahier_des_charges/{s}.md.j2" for s in [*CCTP_SECTIONS, "99-a-completer"]]
    return [*sections, "note_de_cadrage.md.j2", "cadre-de-reponse.md.j2", "budget.md.j2", "benchmark.md.j2"]


def make_template(folder: Path) -> Path:
    """The Copier template: deployer's templates, Jinja set up as deployer sets it up."""
    folder.mkdir(parents=True, exist_ok=True)
    for name in [*template_names(), "cahier_des_charges/_macros.j2"]:
        target = folder / name
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(ROOT / "templates" / name, target)
    (folder / "copier.yml").write_text(
        "_templates_suffix: .j2\n"
        "_exclude: [copier.yml, '**/_macros*']\n"
        "_jinja_extensions: [copier_context.Context]\n"
        "_envops: {trim_blocks: true, lstrip_blocks: true, keep_trailing_newline: true}\n",
        encoding="utf-8",
    )
    return folder


class Context(Extension):
    """The templates' variables and filters, computed as deployer computes them."""

    def __init__(self, environment: Any) -> None:
        super().__init__(environment)
        environment.filters.update(_filters())
        environment.globals.update(_context(Path(os.environ["DEPLOYER_REPONSES"])))


def _filters() -> dict[str, Any]:
    from deployer.documents.templates import md_escape, official
    from deployer.french import euros, lcfirst, number, percent, sentence

    return {"md": md_escape, "official": official, "euros": euros, "number": number, "percent": percent,
            "lcfirst": lcfirst, "sentence": sentence}


def _context(path: Path) -> dict[str, Any]:
    from deployer.analysis.budget import date_fr, etp_text, period_fr
    from deployer.analysis.dossier_analysis import analyse_dossier
    from deployer.answers.answers_file import read_answers
    from deployer.documents import benchmark
    from deployer.documents.dossier import DocumentContext
    from deployer.documents.reply_kit import ANSWERS, chapters
    from deployer.schema.loader import load_content

    content = load_content()
    analysis = analyse_dossier(content, read_answers(path, content), date.today())
    index = benchmark.SourceIndex(content)
    wording = content.wording
    return {
        "doc": DocumentContext(content, analysis.answers, analysis.today, analysis.estimate),
        "estimate": analysis.estimate, "assessment": analysis.report.assessment,
        "chapters": chapters(analysis.requirements), "answers": ANSWERS, "subject": "",
        "collectivite": analysis.answers.name, "date_text": analysis.today.strftime("%d/%m/%Y"),
        "date_fr": date_fr, "period_fr": period_fr, "etp_text": etp_text,
        "today": analysis.today, "shortlist": analysis.shortlist, "criteria": content.benchmark_criteria,
        "cite": index.cite, "sources": index.entries, "field_labels": wording.champs,
        "status_text": lambda vendor: benchmark.status_text(wording, vendor, analysis.today),
        "licence_text": lambda vendor: benchmark.licence_text(wording, vendor),
        "gaps": lambda vendor: benchmark.gaps_text(wording, vendor), "french_date": benchmark.french_date,
        "not_a_recommendation": wording.notes.say("pas_une_recommandation"),
        "order_rule": wording.notes.say("ordre"), "old_evidence_rule": benchmark.old_evidence_rule(wording),
        "undocumented_rule": wording.notes.say("non_documentees"),
        "offer_columns": benchmark.OFFER_COLUMNS,
    }
