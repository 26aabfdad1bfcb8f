"""``workshop``: several groups' answers side by side (training sessions)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from deployer.cli.app import guarded, stderr


@guarded
def workshop(
    fichiers: Annotated[
        list[Path], typer.Argument(help="Fichiers de réponses des groupes (…-reponses.yaml), ou leur dossier.",
                                   show_default=False)
    ],
    module: Annotated[
        str | None, typer.Option("--module", "-m", help="Ne montrer que ce module.", show_default=False)
    ] = None,
    format_: Annotated[
        str, typer.Option("--format", "-f", help="terminal, html ou json.")
    ] = "terminal",
    sortie: Annotated[
        Path | None, typer.Option("--output", "-o", help="Fichier à écrire (sinon : affichage).", show_default=False)
    ] = None,
    force: Annotated[bool, typer.Option("--force", help="Remplacer le fichier s'il existe.")] = False,
) -> None:
    """Mode atelier : scores des groupes côte à côte, répartition des réponses, signaux, quiz."""
    from deployer.analysis.workshop import aggregate
    from deployer.answers.group_files import read_group_files, require_groups
    from deployer.documents.workshop import render_workshop
    from deployer.schema.loader import load_content

    content = load_content()
    parsed, rejected = read_group_files(fichiers, content)
    require_groups(parsed, rejected)
    if any(path.is_dir() for path in fichiers):  # say which files the folder gave
        stderr("\n".join([f"Fichiers de réponses lus ({len(parsed)})\u00a0:", *(f"  - {g.path}" for g in parsed)]))
    render_workshop(content, aggregate(content, parsed, module, rejected), format_, sortie, force)
