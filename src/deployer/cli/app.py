"""The Typer application, its sub-groups and what every command shares (errors, exit codes)."""

from __future__ import annotations

import functools
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Annotated, Any, TypeVar

import typer

from deployer import __version__
from deployer.errors import EXIT_INTERRUPTED, EXIT_USER_ERROR, DeployerError, WalkInterrupted

F = TypeVar("F", bound=Callable[..., Any])

app = typer.Typer(
    name="deployer",
    help="Assistant pour déployer un outil numérique de participation citoyenne "
    "dans une collectivité : autodiagnostic, cahier des charges, budget.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode="rich",
)
content_app = typer.Typer(help="Vérifier le contenu (modules, sources, prestataires).", no_args_is_help=True)
answers_app = typer.Typer(help="Fichiers de réponses écrits à la main.", no_args_is_help=True)
app.add_typer(content_app, name="content")
app.add_typer(answers_app, name="answers")
vendors_app = typer.Typer(
    help="Catalogue des prestataires et plateformes, sourcé et daté ; aide au benchmark.",
    invoke_without_command=True,
)
app.add_typer(vendors_app, name="vendors")


def guarded(func: F) -> F:
    """Turn user errors into a French message and exit code 2; Ctrl-C into 130."""

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return func(*args, **kwargs)
        except DeployerError as exc:
            stderr(exc.render())
            raise typer.Exit(EXIT_USER_ERROR) from None
        except WalkInterrupted as exc:
            stderr(_interrupted_message(exc.path))
            raise typer.Exit(EXIT_INTERRUPTED) from None
        except KeyboardInterrupt:
            stderr("\nInterrompu.")
            raise typer.Exit(EXIT_INTERRUPTED) from None

    return wrapper  # type: ignore[return-value]


def stderr(text: str) -> None:
    print(text, file=sys.stderr)


def _interrupted_message(path: str) -> str:
    if not path:
        return "\nInterrompu avant la première réponse : rien n'a été enregistré."
    return (
        # the file name on a line of its own: an 80-column terminal never cuts it in two
        f"\nInterrompu. Toutes vos réponses sont enregistrées dans le fichier\u00a0:\n  {path}\n"
        f"Pour reprendre là où vous vous êtes arrêté\u00a0:\n  deployer start --resume {path}"
    )


def _version(value: bool) -> None:
    if value:
        print(f"deployer {__version__}")
        raise typer.Exit()


@app.callback()
def root(
    version: Annotated[
        bool,
        typer.Option("--version", callback=_version, is_eager=True, help="Afficher la version et quitter."),
    ] = False,
) -> None:
    """Assistant pour déployer un outil numérique de participation citoyenne.

    Parcours guidé des cinq modules de la formation « Déployer son outil numérique de
    participation », autodiagnostic noté, projet de cahier des charges et budget.
    """


AnswersFile = Annotated[Path, typer.Argument(help="Fichier de réponses (…-reponses.yaml).", show_default=False)]


def warn_brand_names(content: Any, answers: Any) -> None:
    """Neutrality: a vendor or product name typed in an answer would reach the cahier des charges."""
    from deployer.analysis.neutrality import typed_mentions

    for mention in typed_mentions(content, answers):
        stderr(f"Attention : « {mention.name} », nom d'un prestataire ou d'un produit du catalogue, figure dans "
                f"votre réponse « {mention.where} » et donc dans le cahier des charges. Un cahier des charges ne "
                "doit citer aucune marque (art. R2111-7 du code de la commande publique) : reformulez cette "
                "réponse avant de générer ou de publier le cahier des charges.")


def warn_contradictions(content: Any, answers: Any) -> None:
    """Overlapping questions answered in two incompatible ways, and answers that together break
    a rule (the contract's whole length): say which, and how to settle it."""
    import shutil
    import textwrap

    from deployer.analysis.consistency import contradictions
    from deployer.answers.cross_checks import cross_problems

    messages = [found.text() for found in contradictions(content, answers)]
    messages += [f"«\u00a0{where}\u00a0»\u00a0: {text}" for where, text in cross_problems(content, answers.responses)]
    width = max(40, shutil.get_terminal_size().columns - 1)
    for message in messages:
        stderr(textwrap.fill(f"Attention\u00a0: {message}", width, subsequent_indent="  ", break_on_hyphens=False))
