"""``score``: the self-assessment in the terminal, as JSON or as an HTML report."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from deployer.cli.app import AnswersFile, guarded, warn_contradictions
from deployer.errors import DeployerError


@guarded
def score(
    fichier: AnswersFile,
    why: Annotated[
        str | None, typer.Option("--why", help="Détailler un module question par question.", show_default=False)
    ] = None,
    format_: Annotated[str, typer.Option("--format", help="terminal, json ou html (html demande -o).")] = "terminal",
    sortie: Annotated[
        Path | None, typer.Option("--output", "-o", help="Fichier à écrire (json, html).", show_default=False)
    ] = None,
    force: Annotated[bool, typer.Option("--force", help="Remplacer le fichier s'il existe.")] = False,
) -> None:
    """Autodiagnostic : scores par module, verdict, signaux d'alerte, cinq actions prioritaires, repères."""
    from deployer.analysis.assessment import build_report
    from deployer.answers.answers_file import read_answers
    from deployer.documents.terminal import print_assessment, print_why
    from deployer.schema.loader import load_content

    if format_ == "terminal" and sortie is not None:
        raise DeployerError("l'option -o ne sert qu'avec --format json ou html",
                            hint="Exemple : --format html -o rapport.html")
    if why and format_ != "terminal":
        raise DeployerError("--why s'affiche dans le terminal seulement", hint="Retirez --format, ou retirez --why.")
    content = load_content()
    answers = read_answers(fichier, content)
    report = build_report(content, answers)
    warn_contradictions(content, answers)
    if why:
        print_why(content, report, why)
    elif format_ == "terminal":
        print_assessment(content, report)
    else:
        from deployer.documents.report_html import export_report

        text = export_report(content, report, format_, sortie, force)
        print(text if text is not None else f"Rapport écrit dans « {sortie} ».", end="" if text else "\n")
