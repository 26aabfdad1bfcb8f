"""Running a live session: choose the address, say who can reach it, serve until Ctrl-C."""

from __future__ import annotations

import socket
from collections.abc import Callable
from pathlib import Path

from deployer.errors import DeployerError
from deployer.french import counted
from deployer.live.store import LiveStore
from deployer.schema.content import Content

LOOPBACK = "127.0.0.1"
ALL_INTERFACES = "0.0.0.0"  # noqa: S104 - only with --reseau, and said so


def local_network_address() -> str | None:
    """This computer's address on the local network (the one the default route uses), if any.

    Connecting a UDP socket sends nothing; it only asks the system which address it would use.
    """
    try:
        with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as probe:
            probe.connect(("192.0.2.1", 9))  # TEST-NET-1: never routed, never contacted
            address: str = probe.getsockname()[0]
    except OSError:
        return None
    return None if address.startswith("127.") or address == ALL_INTERFACES else address


def free_port(host: str, port: int) -> None:
    """Stop with a French message when the port is taken."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        try:
            probe.bind((host, port))
        except OSError:
            raise DeployerError(f"le port {port} est déjà utilisé sur cet ordinateur",
                                hint="Choisissez-en un autre, par exemple : --port 8765") from None


def terminal_qr(url: str) -> str:
    """The join address as a QR code drawn with block characters (for the trainer's terminal)."""
    import io

    import segno

    out = io.StringIO()
    segno.make(url, error="m").terminal(out=out, compact=True, border=2)
    return out.getvalue()


def announce(store: LiveStore, join_url: str, trainer_url: str, network: bool, show: Callable[[str], None]) -> None:
    """Tell the trainer how groups join, who can reach the server, and how to stop it."""
    what = "Séance reprise" if store.resumed else "Séance ouverte"
    show(f"{what} : réponses des groupes dans « {store.folder} » ({counted(len(store.groups), 'groupe')} "
         f"{'inscrit' if len(store.groups) <= 1 else 'inscrits'}).")
    if network:
        show("Accessible depuis le réseau local : tout appareil connecté au même réseau (wifi de la salle) peut "
             "ouvrir l'adresse ; le code de séance est demandé pour répondre.")
    else:
        show("Accessible seulement depuis cet ordinateur (127.0.0.1). Pour que les groupes répondent depuis "
             "leurs téléphones ou ordinateurs, relancez avec --reseau.")
    show(f"\nAdresse pour les groupes : {join_url}")
    show(f"Code de séance : {store.code}")
    show(terminal_qr(f"{join_url}/?code={store.code}"))
    show(f"Page du formateur (gardez ce lien pour vous) :\n  {trainer_url}")
    show("\nArrêter la séance : Ctrl-C (les réponses sont déjà enregistrées ; relancer la même commande reprend "
         "la séance).")


def serve(folder: Path, content: Content, network: bool, port: int, show: Callable[[str], None]) -> None:
    """Serve the session until Ctrl-C; uvicorn stops gracefully, then KeyboardInterrupt is raised again."""
    import uvicorn

    from deployer.live.site import create_app

    host = ALL_INTERFACES if network else LOOPBACK
    free_port(host, port)
    store = LiveStore(folder, content)
    shown = (local_network_address() or LOOPBACK) if network else LOOPBACK
    if network and shown == LOOPBACK:
        show("Attention : aucune adresse de réseau local trouvée ; cet ordinateur est-il connecté au wifi ?")
    join_url = f"http://{shown}:{port}"
    announce(store, join_url, f"http://{LOOPBACK}:{port}/formateur/{store.secret}", network, show)
    config = uvicorn.Config(create_app(store, join_url), host=host, port=port, log_level="warning",
                            access_log=False, server_header=False, timeout_graceful_shutdown=3)
    server = uvicorn.Server(config)
    server.run()
    if not server.started:
        raise DeployerError(f"le serveur n'a pas pu démarrer sur le port {port}",
                            hint="Choisissez un autre port avec --port.")
