"""Commands that walk through the training: ``start`` (the interactive walk) and ``learn``."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from deployer.cli.app import guarded


@guarded
def start(
    fichier: Annotated[
        Path | None, typer.Argument(help="Fichier de réponses à créer ou à reprendre.", show_default=False)
    ] = None,
    resume: Annotated[
        bool, typer.Option("--resume", help="Reprendre un parcours (le plus récent du dossier si aucun fichier).")
    ] = False,
    module: Annotated[
        list[str] | None, typer.Option("--module", "-m", help="Ne parcourir que ce module (répétable).")
    ] = None,
    groupe: Annotated[str | None, typer.Option("--groupe", help="Nom du groupe (ateliers de formation).")] = None,
) -> None:
    """Parcours guidé : profil puis les cinq modules ; les réponses sont enregistrées au fil de l'eau."""
    from deployer.walk.session import run_start

    run_start(fichier, resume=resume, modules=module or [], group=groupe)



@guarded
def learn(
    module: Annotated[str | None, typer.Argument(help="Module à afficher.", show_default=False)] = None,
) -> None:
    """Lire le contenu de la formation : la liste des modules, ou un module en détail."""
    from deployer.documents.terminal import print_module, print_modules
    from deployer.schema.loader import load_content

    content = load_content()
    if module is None:
        print_modules(content)
    else:
        print_module(content, module)
