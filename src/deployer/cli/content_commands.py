"""``content check``: validate the content folder."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from deployer.cli.app import guarded


@guarded
def content_check(
    dossier: Annotated[
        Path | None, typer.Option("--dossier", help="Dossier de contenu à vérifier (par défaut : celui livré).")
    ] = None,
) -> None:
    """Valider tout le contenu et signaler chaque problème avec le fichier et le chemin YAML."""
    from deployer.schema.loader import check_content_folder

    print(check_content_folder(dossier))
