"""``live``: a training session in the browser; groups answer on their phones, the projector follows."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from deployer.cli.app import guarded, stderr
from deployer.errors import EXIT_INTERRUPTED
from deployer.french import fix_typography

DEFAULT_PORT = 8765


@guarded
def live(
    dossier: Annotated[
        Path, typer.Argument(help="Dossier des fichiers de réponses des groupes (créé s'il n'existe pas ; "
                                  "une séance déjà commencée y est reprise).", show_default=False)
    ],
    reseau: Annotated[
        bool, typer.Option("--reseau", help="Accepter les appareils du réseau local (sinon : cet ordinateur seul).")
    ] = False,
    port: Annotated[int, typer.Option("--port", "-p", min=1024, max=65535, help="Port du serveur.")] = DEFAULT_PORT,
) -> None:
    """Séance en direct : les groupes répondent dans leur navigateur, le projecteur se met à jour."""
    from deployer.live.server import serve
    from deployer.schema.loader import load_content

    content = load_content()
    try:
        serve(dossier, content, reseau, port, lambda text: print(fix_typography(text), flush=True))
    except KeyboardInterrupt:
        stderr(fix_typography(f"\nSéance arrêtée. Toutes les réponses sont enregistrées dans « {dossier} ».\n"
               f"Reprendre la séance : deployer live {dossier}{' --reseau' if reseau else ''}\n"
               f"Vue d'atelier : deployer workshop {dossier}"))
        raise typer.Exit(EXIT_INTERRUPTED) from None
