"""The command line: a switchboard. Each command reads options, calls the core, renders.

Only typer and light deployer modules are imported here at start-up; everything heavy
is imported inside the command that needs it (see tests/test_startup.py).
"""

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
            _stderr(exc.render())
            raise typer.Exit(EXIT_USER_ERROR) from None
        except WalkInterrupted as exc:
            _stderr(_interrupted_message(exc.path))
            raise typer.Exit(EXIT_INTERRUPTED) from None
        except KeyboardInterrupt:
            _stderr("\nInterrompu.")
            raise typer.Exit(EXIT_INTERRUPTED) from None

    return wrapper  # type: ignore[return-value]


def _stderr(text: str) -> None:
    print(text, file=sys.stderr)


def _interrupted_message(path: str) -> str:
    if not path:
        return "\nInterrompu avant la première réponse : rien n'a été enregistré."
    return (
        f"\nInterrompu. Toutes vos réponses sont enregistrées dans « {path} ».\n"
        f"Pour reprendre là où vous vous êtes arrêté :\n  deployer start --resume {path}"
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


@app.command()
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
    from deployer.session import run_start

    run_start(fichier, resume=resume, modules=module or [], group=groupe)


@app.command()
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
    from deployer.answers import read_answers
    from deployer.assessment import build_report
    from deployer.content import load_content
    from deployer.render.terminal import print_assessment, print_why

    if format_ == "terminal" and sortie is not None:
        raise DeployerError("l'option -o ne sert qu'avec --format json ou html",
                            hint="Exemple : --format html -o rapport.html")
    if why and format_ != "terminal":
        raise DeployerError("--why s'affiche dans le terminal seulement", hint="Retirez --format, ou retirez --why.")
    content = load_content()
    report = build_report(content, read_answers(fichier, content))
    if why:
        print_why(content, report, why)
    elif format_ == "terminal":
        print_assessment(content, report)
    else:
        from deployer.render.report_html import export_report

        text = export_report(content, report, format_, sortie, force)
        print(text if text is not None else f"Rapport écrit dans « {sortie} ».", end="" if text else "\n")


@app.command()
@guarded
def generate(
    fichier: AnswersFile,
    sortie: Annotated[Path, typer.Option("--output", "-o", help="Dossier à créer.")] = Path("dossier"),
    force: Annotated[bool, typer.Option("--force", help="Remplacer le dossier s'il existe.")] = False,
    formats: Annotated[
        list[str] | None,
        typer.Option("--format", "-f", help="Formats du cahier des charges : md, docx, odt, html (liste séparée par "
                     "des virgules ou option répétée ; par défaut : tous).", show_default=False),
    ] = None,
) -> None:
    """Produire le dossier : cahier des charges (md, docx, odt, html), note de cadrage et budget."""
    from deployer.answers import read_answers
    from deployer.content import load_content
    from deployer.dossier import build_dossier, parse_formats
    from deployer.files import write_folder
    chosen = parse_formats(formats)
    content = load_content()
    answers = read_answers(fichier, content)
    files = build_dossier(content, answers, formats=chosen)
    written = write_folder(sortie, files, force=force)
    print(f"Dossier écrit dans « {sortie} » :")
    for path in written:
        print(f"  - {path.name}")
    _warn_brand_names(content, answers)


def _warn_brand_names(content: Any, answers: Any) -> None:
    """Neutrality: a vendor or product name typed in an answer would reach the cahier des charges."""
    from deployer.neutrality import typed_mentions

    for mention in typed_mentions(content, answers):
        _stderr(f"Attention : « {mention.name} », nom d'un prestataire ou d'un produit du catalogue, figure dans "
                f"votre réponse « {mention.where} » et donc dans le cahier des charges. Un cahier des charges ne "
                "doit citer aucune marque (art. R2111-7 du code de la commande publique) : reformulez cette "
                "réponse avant de générer ou de publier le cahier des charges.")


@app.command()
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
        typer.Option("--modele", help="marque_blanche, intermediation, logiciel_libre, developpement_interne "
                     "ou offre_essai.", show_default=False),
    ] = None,
    duree: Annotated[int | None, typer.Option("--duree", help="Durée en mois (1 à 48).", show_default=False)] = None,
    reconductions: Annotated[
        int | None, typer.Option("--reconductions", help="Nombre de reconductions (0 à 3).", show_default=False)
    ] = None,
    cout_etp: Annotated[
        int | None, typer.Option("--cout-etp", help="Coût annuel d'un ETP en euros (hypothèse par défaut : 50 000).",
                                 show_default=False)
    ] = None,
) -> None:
    """Budget estimé (bas, central, haut), valeur estimée du besoin et procédure d'achat."""
    from datetime import date

    from rich.console import Console
    from rich.markdown import Markdown

    from deployer.budget import estimate_budget, quick_answers, render_budget_markdown
    from deployer.content import load_content

    content = load_content()
    if fichier is not None:
        from deployer.answers import read_answers

        answers = read_answers(fichier, content)
    elif population is None:
        raise DeployerError("donnez un fichier de réponses ou --population",
                            hint="Exemple : deployer budget --population 42000 --modele marque_blanche")
    else:
        answers = quick_answers(content, population, modele, tool_type=type_outil,
                                duration_months=duree, renewals=reconductions)
    estimate = estimate_budget(content, answers, today=date.today(), staff_cost_per_etp=cout_etp)
    import deployer.render  # noqa: F401 - French line wrapping in Rich

    Console(highlight=False).print(Markdown(render_budget_markdown(estimate, answers)))


@app.command()
@guarded
def learn(
    module: Annotated[str | None, typer.Argument(help="Module à afficher.", show_default=False)] = None,
) -> None:
    """Lire le contenu de la formation : la liste des modules, ou un module en détail."""
    from deployer.content import load_content
    from deployer.render.terminal import print_module, print_modules

    content = load_content()
    if module is None:
        print_modules(content)
    else:
        print_module(content, module)


@app.command()
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
    from deployer.content import load_content
    from deployer.render.workshop import render_workshop
    from deployer.workshop import aggregate, read_group_files, require_groups

    content = load_content()
    parsed, rejected = read_group_files(fichiers, content)
    require_groups(parsed, rejected)
    render_workshop(content, aggregate(content, parsed, module, rejected), format_, sortie, force)


@app.command()
@guarded
def demo(
    sortie: Annotated[Path, typer.Option("--output", "-o", help="Dossier à créer.")] = Path("demo"),
    force: Annotated[bool, typer.Option("--force", help="Remplacer le dossier s'il existe.")] = False,
) -> None:
    """Dossier de démonstration : trois collectivités d'exemple, leurs réponses et leurs dossiers."""
    from deployer.content import load_content
    from deployer.dossier import build_demo
    from deployer.files import write_folder
    from deployer.resources import shipped

    files = build_demo(load_content(), sorted(shipped("examples").glob("*-reponses.yaml")))
    write_folder(sortie, files, force=force)
    print(f"Démonstration écrite dans «\u00a0{sortie}\u00a0»\u00a0: lisez d'abord {sortie / 'README.md'}")


@content_app.command("check")
@guarded
def content_check(
    dossier: Annotated[
        Path | None, typer.Option("--dossier", help="Dossier de contenu à vérifier (par défaut : celui livré).")
    ] = None,
) -> None:
    """Valider tout le contenu et signaler chaque problème avec le fichier et le chemin YAML."""
    from deployer.content import check_content_folder

    print(check_content_folder(dossier))


@answers_app.command("check")
@guarded
def answers_check(fichier: AnswersFile) -> None:
    """Vérifier un fichier de réponses écrit à la main et lister chaque problème."""
    from deployer.answers import read_answers
    from deployer.content import load_content
    from deployer.french import counted

    content = load_content()
    answers = read_answers(fichier, content)
    given = sum(len(q) for q in answers.responses.values())
    print(f"« {fichier} » est valide ({counted(given, 'réponse')}).")
    _warn_brand_names(content, answers)


@answers_app.command("template")
@guarded
def answers_template(
    sortie: Annotated[
        Path | None, typer.Option("--output", "-o", help="Fichier à écrire (sinon : affichage).", show_default=False)
    ] = None,
    force: Annotated[bool, typer.Option("--force", help="Remplacer le fichier s'il existe.")] = False,
) -> None:
    """Écrire un fichier de réponses complet, chaque question en commentaire avec ses valeurs."""
    from deployer.answers_docs import answers_template as template
    from deployer.content import load_content
    from deployer.files import write_new_file

    text = template(load_content())
    if sortie is None:
        print(text, end="")
    else:
        write_new_file(sortie, text, force=force)
        print(f"Modèle écrit dans « {sortie} ». Remplissez-le, puis : deployer answers check {sortie}")


@answers_app.command("schema")
@guarded
def answers_schema() -> None:
    """Afficher le schéma JSON du fichier de réponses (complétion dans les éditeurs)."""
    import json

    from deployer.answers_docs import answers_json_schema
    from deployer.content import load_content

    print(json.dumps(answers_json_schema(load_content()), ensure_ascii=False, indent=2))


OpenSourceOption = Annotated[bool, typer.Option(
    "--open-source", help="Code publié sous licence libre, même en partie (voir la colonne Licence).")]
WhiteLabelOption = Annotated[bool, typer.Option("--marque-blanche", help="Offre en marque blanche.")]
FeatureOption = Annotated[
    str | None,
    typer.Option("--fonction", show_default=False,
                 help="Fonctionnalité relevée, en code ou en français (ex. budget-participatif, débat, idées)."),
]
UgapOption = Annotated[bool, typer.Option("--ugap", help="Référencement UGAP relevé.")]
ActiveOption = Annotated[bool, typer.Option("--actif", help="Offre active d'après la dernière preuve.")]


@guarded
def vendors_list(
    ctx: typer.Context,
    open_source: OpenSourceOption = False,
    marque_blanche: WhiteLabelOption = False,
    fonction: FeatureOption = None,
    ugap: UgapOption = False,
    actif: ActiveOption = False,
) -> None:
    """Lister le catalogue : nom, offre, licence, statut et date de la dernière preuve, date de relevé."""
    if ctx.invoked_subcommand is not None:  # « deployer vendors show … » : the group only passes through
        if ctx.info_name == "vendors" and (open_source or marque_blanche or fonction or ugap or actif):
            raise DeployerError("les filtres s'écrivent après « list », et ne servent qu'à la liste",
                                hint="Exemple : deployer vendors list --open-source --fonction débat")
        return
    from deployer.content import load_content
    from deployer.render.vendors import print_vendor_list
    from deployer.vendor_match import VendorFilter, feature_code, filter_vendors

    feature = feature_code(fonction) if fonction else None
    keep = VendorFilter(open_source, marque_blanche, feature, ugap, actif)
    print_vendor_list(filter_vendors(load_content().vendors, keep))


# « deployer vendors » alone lists too, with the same filters.
vendors_app.callback()(vendors_list)
vendors_app.command("list")(vendors_list)


@vendors_app.command("show")
@guarded
def vendors_show(
    nom: Annotated[str, typer.Argument(help="Nom ou identifiant du prestataire.", show_default=False)],
) -> None:
    """Une fiche : chaque fait avec sa source et la date du relevé."""
    from datetime import date

    from deployer.content import load_content
    from deployer.render.vendors import print_vendor
    from deployer.vendor_match import find_vendor

    content = load_content()
    print_vendor(content, find_vendor(content.vendors, nom), date.today())


@vendors_app.command("compare")
@guarded
def vendors_compare(
    noms: Annotated[list[str], typer.Argument(help="De 2 à 4 noms ou identifiants.", show_default=False)],
) -> None:
    """Comparer plusieurs prestataires côte à côte."""
    from datetime import date

    from deployer.content import load_content
    from deployer.render.vendors import check_compared, print_comparison
    from deployer.vendor_match import find_vendor

    check_compared(len(noms))
    vendors = load_content().vendors
    found = list({v.id: v for v in (find_vendor(vendors, nom) for nom in noms)}.values())
    if len(found) < len(noms):
        raise DeployerError("le même prestataire est donné plusieurs fois",
                            hint="Donnez de 2 à 4 prestataires différents (un nom et son ancien nom comptent pour un).")
    print_comparison(found, date.today())


@vendors_app.command("match")
@guarded
def vendors_match(fichier: AnswersFile) -> None:
    """Présélection à partir des réponses : point de départ pour votre benchmark, pas une recommandation."""
    from datetime import date

    from deployer.answers import read_answers
    from deployer.content import load_content
    from deployer.render.vendors import print_shortlist
    from deployer.vendor_match import match_vendors, require_answers

    content = load_content()
    shortlist = match_vendors(content, read_answers(fichier, content), date.today())
    require_answers(shortlist)
    print_shortlist(content, shortlist)


def _french_help() -> None:
    """Typer's own words (panel titles, defaults, errors) in French."""
    _import_rich_utils_lightly()
    import typer.rich_utils as ru

    ru.ARGUMENTS_PANEL_TITLE = "Arguments"
    ru.OPTIONS_PANEL_TITLE = "Options"
    ru.COMMANDS_PANEL_TITLE = "Commandes"
    ru.ERRORS_PANEL_TITLE = "Erreur"
    ru.DEFAULT_STRING = "[défaut : {}]"
    ru.REQUIRED_LONG_STRING = "[obligatoire]"
    ru.ENVVAR_STRING = "[variable d'environnement : {}]"
    ru.RICH_HELP = "Essayez [blue]« {command_path} {help_option} »[/] pour l'aide."
    ru.ABORTED_TEXT = "Interrompu."
    _french_help_option()
    _french_types()
    _french_usage_errors(ru)


# Click's usage errors are English f-strings: French for the ones a user meets.
_CLICK_ERRORS = [
    (r"Missing argument '(.+)'\.", "argument manquant : {0}."),
    (r"Missing option '(.+)'\.", "option manquante : {0}."),
    (r"No such option: (\S+) Did you mean (\S+)\?", "option inconnue : {0}. Vouliez-vous dire {1} ?"),
    (r"No such option: (\S+)(?: \(Possible options: (.+)\))?", "option inconnue : {0}."),
    (r"No such command '(.+)'\.", "commande inconnue : « {0} »."),
    (r"Got unexpected extra argument(?:s|\(s\))? \((.+)\)", "argument en trop : {0}."),
    (r"Option '(.+)' requires an argument\.", "l'option {0} attend une valeur."),
    (r"Option '(.+)' does not take a value\.", "l'option {0} ne prend pas de valeur."),
    (r"Invalid value for '(.+)': .*(?:integer|int).*", "valeur invalide pour {0} : un nombre entier est attendu."),
    (r"Invalid value for '(.+)': (.+)", "valeur invalide pour {0} : {1}"),
]


def _french_usage_errors(ru: Any) -> None:
    import re

    from deployer.french import fix_typography

    original = ru.rich_format_error
    if getattr(original, "french", False):
        return

    def rich_format_error(error: Any) -> None:
        message = error.format_message()
        for pattern, french in _CLICK_ERRORS:
            if match := re.fullmatch(pattern, message, flags=re.S):
                message = fix_typography(french.format(*match.groups()))
                break
        error.format_message = lambda: message
        original(error)

    rich_format_error.french = True  # type: ignore[attr-defined]
    ru.rich_format_error = rich_format_error

    import typer._click.formatting as formatting

    write_usage = formatting.HelpFormatter.write_usage

    def french_usage(self: Any, prog: str, args: str = "", prefix: str | None = None) -> None:
        write_usage(self, prog, args, "Utilisation : " if prefix is None else prefix)

    formatting.HelpFormatter.write_usage = french_usage  # type: ignore[method-assign]


# Typer shows each parameter's Python type (« <bool> », « <list[Path]> »): French words instead,
# and nothing for on/off flags.
_FRENCH_TYPES = {"bool": "", "str": "TEXTE", "int": "NOMBRE", "path": "CHEMIN", "list[path]": "CHEMIN…",
                 "list[str]": "TEXTE…"}


def _french_types() -> None:
    from typer import core

    for kind in (core.TyperOption, core.TyperArgument):
        original = kind.display_type_rich
        if getattr(original, "french", False):
            continue

        def display(self: Any, ctx: Any, _original: Any = original) -> str | None:
            label: str | None = _original(self, ctx)
            if label is None:
                return None
            return _FRENCH_TYPES.get(label.strip("<>").removesuffix("...").lower(), label)

        display.french = True  # type: ignore[attr-defined]
        kind.display_type_rich = display  # type: ignore[method-assign]


def _french_help_option() -> None:
    """Click's « Show this message and exit. » is hard-coded: relabel the option it builds."""
    import typer._click.decorators as decorators

    original = decorators.help_option
    if getattr(original, "french", False):
        return

    def help_option(param_decls: list[str]) -> Callable[[Any], Any]:
        decorate = original(param_decls)

        def apply(command: Any) -> Any:
            command = decorate(command)
            command.params[-1].help = "Afficher cette aide et quitter."
            return command

        return apply

    help_option.french = True  # type: ignore[attr-defined]
    decorators.help_option = help_option


# typer.rich_utils imports rich.markdown (and markdown-it) for rich_markup_mode="markdown"
# and rich.traceback for pretty exceptions; deployer uses neither, and they are about a
# fifth of the cold start of `deployer --help` (benchmarks/commands.py). Give rich_utils
# stand-ins that import the real class only if it is ever instantiated.
_DEFERRED_RICH = {"rich.markdown": "Markdown", "rich.traceback": "Traceback"}


def _import_rich_utils_lightly() -> None:
    import types

    if "typer.rich_utils" in sys.modules:
        return
    stubs: dict[str, types.ModuleType] = {}
    for module, name in _DEFERRED_RICH.items():
        if module not in sys.modules:
            stubs[module] = types.ModuleType(module)
            setattr(stubs[module], name, _stand_in(module, name))
    sys.modules.update(stubs)
    try:
        import typer.rich_utils  # noqa: F401
    finally:
        for module, stub in stubs.items():
            if sys.modules.get(module) is stub:
                del sys.modules[module]


def _stand_in(module: str, name: str) -> type:
    def __new__(cls: type, *args: Any, **kwargs: Any) -> Any:
        import importlib

        return getattr(importlib.import_module(module), name)(*args, **kwargs)

    return type(name, (), {"__new__": __new__, "__module__": module})


def main() -> None:
    """Console-script entry point."""
    if sys.argv[1:] != ["--version"]:
        _french_help()
    app()
