"""Commands that write documents: ``generate`` (the dossier), ``budget`` and ``demo``."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from deployer.cli.app import AnswersFile, guarded, warn_brand_names, warn_contradictions
from deployer.errors import DeployerError


@guarded
def generate(
    fichier: AnswersFile,
    sortie: Annotated[Path, typer.Option("--output", "-o", help="Dossier à créer.")] = Path("dossier"),
    force: Annotated[bool, typer.Option("--force", help="Remplacer le dossier s'il existe.")] = False,
    formats: Annotated[
        list[str] | None,
        typer.Option("--format", "-f", help="Formats des documents\u00a0: md, docx, odt, html, xlsx (liste séparée "
                     "par des virgules ou option répétée\u202f; par défaut\u00a0: tous).", show_default=False),
    ] = None,
    modeles: Annotated[
        list[Path] | None,
        typer.Option("--modele-document", help="Modèle .docx ou .odt de la collectivité (styles, en-tête, pied de "
                     "page, logo) pour le cahier des charges et le cadre de réponse\u202f; un par format au plus.",
                     show_default=False),
    ] = None,
) -> None:
    """Produire le dossier\u00a0: cahier des charges, cadre de réponse, grille d'analyse, note de cadrage, budget."""
    from deployer.answers.answers_file import read_answers
    from deployer.documents.dossier import build_dossier, parse_formats
    from deployer.documents.office_model import read_models
    from deployer.files import write_folder
    from deployer.schema.loader import load_content
    chosen = parse_formats(formats)
    models = read_models(modeles or [])
    content = load_content()
    answers = read_answers(fichier, content)
    files = build_dossier(content, answers, formats=chosen, models=models, parallel=True)
    written = write_folder(sortie, files, force=force)
    print(f"Dossier écrit dans « {sortie} » :")
    for path in written:
        print(f"  - {path.name}")
    warn_brand_names(content, answers)
    warn_contradictions(content, answers)



@guarded
def budget(
    fichier: Annotated[
        Path | None, typer.Argument(help="Fichier de réponses (sinon : estimation rapide).", show_default=False)
    ] = None,
    population: Annotated[
        int | None, typer.Option("--population", help="Nombre d'habitants (estimation rapide).", show_default=False)
    ] = None,
    type_outil: Annotated[
        str | None,
        typer.Option("--type-outil", help="plateforme_multifonction, budget_participatif, cartographie, "
                     "signalement ou consultation.", show_default=False),
    ] = None,
    modele: Annotated[
        str | None,
        typer.Option("--modele", help="marque_blanche, intermediation, mutualisee, logiciel_libre, "
                     "developpement_sur_mesure, developpement_interne ou offre_essai.", show_default=False),
    ] = None,
    duree: Annotated[int | None, typer.Option("--duree", help="Durée en mois (1 à 48).", show_default=False)] = None,
    reconductions: Annotated[
        int | None, typer.Option("--reconductions", help="Nombre de reconductions (0 à 3).", show_default=False)
    ] = None,
    cout_etp: Annotated[
        int | None, typer.Option("--cout-etp", help="Coût annuel d'un ETP en euros (hypothèse par défaut : 50 000).",
                                 show_default=False)
    ] = None,
    duree_reconduction: Annotated[
        int | None, typer.Option("--duree-reconduction", help="Durée de chaque reconduction, en mois.",
                                 show_default=False)] = None,
    forme: Annotated[
        str | None, typer.Option("--forme", help="marche_ordinaire, accord_cadre_maximum ou "
                                 "accord_cadre_sans_maximum.", show_default=False)] = None,
    maximum: Annotated[
        int | None, typer.Option("--maximum", help="Maximum de l'accord-cadre sur toute sa durée, en euros HT.",
                                 show_default=False)] = None,
    prestations: Annotated[
        list[str] | None, typer.Option("--prestation", help="Prestation attendue (option répétable) : formation, "
                                       "animation, moderation, synthese, conception_participative, mobilisation.",
                                       show_default=False)] = None,
    demarches: Annotated[
        int | None, typer.Option("--demarches", help="Démarches accompagnées par an.", show_default=False)] = None,
    ateliers: Annotated[
        int | None, typer.Option("--ateliers", help="Ateliers ou événements animés par un prestataire par an.",
                                 show_default=False)] = None,
    achat: Annotated[
        str | None, typer.Option("--achat", help="Voie choisie : procedure, centrale_achat ou gre_a_gre.",
                                 show_default=False)] = None,
    options: Annotated[
        list[str] | None, typer.Option("--option", help="Prestation achetée en option (option répétable), comptée "
                                       "dans la valeur estimée.", show_default=False)] = None,
    lots: Annotated[bool, typer.Option("--lots", help="Marché alloti : un lot pour la plateforme, un lot pour "
                                       "l'accompagnement.")] = False,
    format_: Annotated[str, typer.Option("--format", help="texte ou json.")] = "texte",
) -> None:
    """Budget estimé (bas, central, haut), valeur estimée du besoin et procédure d'achat."""
    from datetime import date

    from rich.console import Console
    from rich.markdown import Markdown

    from deployer.analysis.budget import estimate_budget, quick_answers
    from deployer.documents.budget_markdown import render_budget_markdown
    from deployer.schema.loader import load_content

    if format_ not in ("texte", "json"):
        raise DeployerError(f"format inconnu : « {format_} »", hint="Formats permis : texte, json.")
    content = load_content()
    if fichier is not None:
        from deployer.answers.answers_file import read_answers

        answers = read_answers(fichier, content)
    elif population is None:
        raise DeployerError("donnez un fichier de réponses ou --population",
                            hint="Exemple : deployer budget --population 42000 --modele marque_blanche")
    else:
        contract = {"duree_reconduction_mois": duree_reconduction, "forme_marche": forme,
                    "montant_maximum": maximum, "demarches_par_an": demarches, "ateliers_par_an": ateliers,
                    "achat": achat, "prestations_optionnelles": options or None,
                    "allotissement": "lots_separes" if lots else None}
        answers = quick_answers(content, population, modele, tool_type=type_outil, services=prestations or (),
                                duration_months=duree, renewals=reconductions, contract=contract)
    estimate = estimate_budget(content, answers, today=date.today(), staff_cost_per_etp=cout_etp)
    if format_ == "json":
        from deployer.documents.budget_json import render_budget_json

        print(render_budget_json(estimate, answers), end="")
        return
    import deployer.documents  # noqa: F401 - French line wrapping in Rich

    Console(highlight=False).print(Markdown(render_budget_markdown(estimate, answers)))



@guarded
def demo(
    sortie: Annotated[Path, typer.Option("--output", "-o", help="Dossier à créer.")] = Path("demo"),
    force: Annotated[bool, typer.Option("--force", help="Remplacer le dossier s'il existe.")] = False,
) -> None:
    """Dossier de démonstration : trois collectivités d'exemple, leurs réponses et leurs dossiers."""
    from deployer.documents.dossier import build_demo
    from deployer.files import write_folder
    from deployer.schema.loader import load_content
    from deployer.schema.resources import shipped

    files = build_demo(load_content(), sorted(shipped("examples").glob("*-reponses.yaml")))
    write_folder(sortie, files, force=force)
    print(f"Démonstration écrite dans «\u00a0{sortie}\u00a0»\u00a0: lisez d'abord {sortie / 'README.md'}")
