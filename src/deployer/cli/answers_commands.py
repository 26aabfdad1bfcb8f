"""``answers check``, ``template``, ``convert`` and ``schema``: answers files written by hand (YAML, XLSX, ODS)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Literal, cast

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
        Path | None,
        typer.Option("--output", "-o", show_default=False,
                     help="Fichier à écrire (sinon : modèle YAML affiché ; classeur : modele-reponses.xlsx ou .ods)."),
    ] = None,
    format_: Annotated[
        str | None,
        typer.Option("--format", "-f", help="yaml (modèle commenté, par défaut), xlsx (Excel) ou ods (LibreOffice "
                     "Calc) : un classeur à remplir, une feuille par module.", show_default=False),
    ] = None,
    force: Annotated[bool, typer.Option("--force", help="Remplacer le fichier s'il existe.")] = False,
) -> None:
    """Écrire le questionnaire à remplir : un fichier YAML commenté, ou un classeur XLSX/ODS."""
    from deployer.answers.answers_file import Answers
    from deployer.answers.template import answers_template as template
    from deployer.answers.workbook import workbook_bytes
    from deployer.files import write_new_file
    from deployer.schema.loader import load_content

    kind = _template_format(format_, sortie)
    content = load_content()
    if kind == "yaml":
        text = template(content)
        if sortie is None:
            print(text, end="")
            return
        write_new_file(sortie, text, force=force)
    else:
        sortie = sortie or Path(f"modele-reponses.{kind}")
        write_new_file(sortie, workbook_bytes(content, Answers(profile={}, content_version=content.version), kind),
                       force=force)
    print(f"Modèle écrit dans « {sortie} ». Remplissez-le, puis : deployer answers check {sortie}")


def _template_format(given: str | None, output: Path | None) -> Literal["yaml", "xlsx", "ods"]:
    from deployer.answers.workbook import format_of
    from deployer.errors import DeployerError

    by_name = format_of(output) if output is not None else None
    kind = (given or by_name or "yaml").lower()
    if kind not in ("yaml", "xlsx", "ods"):
        raise DeployerError(f"format « {given} » inconnu", hint="Formats permis : yaml, xlsx, ods.")
    if by_name is not None and by_name != kind:
        raise DeployerError(f"le format {kind} ne correspond pas au nom « {output} »",
                            hint=f"Nommez le fichier « ….{kind} », ou retirez --format.")
    return cast("Literal['yaml', 'xlsx', 'ods']", kind)


@guarded
def answers_convert(
    fichier: AnswersFile,
    sortie: Annotated[
        Path, typer.Option("--output", "-o", help="Fichier à écrire : .yaml, .xlsx ou .ods.", show_default=False)
    ],
    force: Annotated[bool, typer.Option("--force", help="Remplacer le fichier s'il existe.")] = False,
) -> None:
    """Convertir un fichier de réponses entre YAML, XLSX (Excel) et ODS (LibreOffice Calc), sans perte."""
    from deployer.answers.answers_file import dump_answers, read_answers
    from deployer.answers.workbook import format_of, workbook_bytes
    from deployer.errors import DeployerError
    from deployer.files import write_new_file
    from deployer.schema.loader import load_content

    kind = format_of(sortie)
    if kind is None:
        raise DeployerError(f"« {sortie} » : extension inconnue",
                            hint="Nommez le fichier à écrire « ….yaml », « ….xlsx » ou « ….ods ».")
    if sortie.resolve() == fichier.resolve():
        raise DeployerError("le fichier à écrire est le fichier lu", hint="Donnez un autre nom avec -o.")
    content = load_content()
    answers = read_answers(fichier, content)
    data = dump_answers(answers, sortie.name) if kind == "yaml" else workbook_bytes(content, answers, kind)
    write_new_file(sortie, data, force=force)
    print(f"« {fichier} » converti dans « {sortie} ». Vérification : deployer answers check {sortie}")


@guarded
def answers_schema() -> None:
    """Afficher le schéma JSON du fichier de réponses (complétion dans les éditeurs)."""
    import json

    from deployer.answers.template import answers_json_schema
    from deployer.schema.loader import load_content

    print(json.dumps(answers_json_schema(load_content()), ensure_ascii=False, indent=2))
