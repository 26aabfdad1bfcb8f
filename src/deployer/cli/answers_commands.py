"""``answers check``, ``answers template`` and ``answers schema``: answers files written by hand."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from deployer.cli.app import AnswersFile, guarded, warn_brand_names, warn_contradictions


@guarded
def answers_check(fichier: AnswersFile) -> None:
    """Vérifier un fichier de réponses écrit à la main et lister chaque problème."""
    from deployer.answers.answers_file import read_answers
    from deployer.french import counted
    from deployer.schema.loader import load_content

    content = load_content()
    answers = read_answers(fichier, content)
    given = sum(len(q) for q in answers.responses.values())
    print(f"« {fichier} » est valide ({counted(given, 'réponse')}).")
    from datetime import date

    from deployer.analysis.budget import budget_defaults

    defaults = budget_defaults(content, answers, date.today())
    if defaults:
        print("Valeurs par défaut appliquées par le budget aux questions sans réponse\u00a0:")
        for note in defaults:
            print(f"  - {note.text}")
    warn_brand_names(content, answers)
    warn_contradictions(content, answers)


@guarded
def answers_template(
    sortie: Annotated[
        Path | None, typer.Option("--output", "-o", help="Fichier à écrire (sinon : affichage).", show_default=False)
    ] = None,
    force: Annotated[bool, typer.Option("--force", help="Remplacer le fichier s'il existe.")] = False,
) -> None:
    """Écrire un fichier de réponses complet, chaque question en commentaire avec ses valeurs."""
    from deployer.answers.template import answers_template as template
    from deployer.files import write_new_file
    from deployer.schema.loader import load_content

    text = template(load_content())
    if sortie is None:
        print(text, end="")
    else:
        write_new_file(sortie, text, force=force)
        print(f"Modèle écrit dans « {sortie} ». Remplissez-le, puis : deployer answers check {sortie}")


@guarded
def answers_schema() -> None:
    """Afficher le schéma JSON du fichier de réponses (complétion dans les éditeurs)."""
    import json

    from deployer.answers.template import answers_json_schema
    from deployer.schema.loader import load_content

    print(json.dumps(answers_json_schema(load_content()), ensure_ascii=False, indent=2))
