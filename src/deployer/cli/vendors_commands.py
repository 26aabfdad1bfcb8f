"""``vendors``: the vendor catalogue (list, show, compare, match) — never in the cahier des charges."""

from __future__ import annotations

from typing import Annotated

import typer

from deployer.cli.app import AnswersFile, guarded, vendors_app
from deployer.errors import DeployerError

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
    from datetime import date

    from deployer.analysis.vendor_lookup import VendorFilter, feature_code, filter_vendors
    from deployer.documents.vendors import print_vendor_list
    from deployer.schema.loader import load_content

    content = load_content()
    feature = feature_code(content.wording, fonction) if fonction else None
    keep = VendorFilter(open_source, marque_blanche, feature, ugap, actif)
    print_vendor_list(content.wording, filter_vendors(content.vendors, keep), date.today())


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

    from deployer.analysis.vendor_lookup import find_vendor
    from deployer.documents.vendors import print_vendor
    from deployer.schema.loader import load_content

    content = load_content()
    print_vendor(content, find_vendor(content.vendors, nom), date.today())


@vendors_app.command("compare")
@guarded
def vendors_compare(
    noms: Annotated[list[str], typer.Argument(help="De 2 à 4 noms ou identifiants.", show_default=False)],
) -> None:
    """Comparer plusieurs prestataires côte à côte."""
    from datetime import date

    from deployer.analysis.vendor_lookup import find_vendor
    from deployer.documents.vendors import check_compared, print_comparison
    from deployer.schema.loader import load_content

    check_compared(len(noms))
    content = load_content()
    vendors = content.vendors
    found = list({v.id: v for v in (find_vendor(vendors, nom) for nom in noms)}.values())
    if len(found) < len(noms):
        raise DeployerError("le même prestataire est donné plusieurs fois",
                            hint="Donnez de 2 à 4 prestataires différents (un nom et son ancien nom comptent pour un).")
    print_comparison(content.wording, found, date.today())


@vendors_app.command("match")
@guarded
def vendors_match(fichier: AnswersFile) -> None:
    """Présélection à partir des réponses : point de départ pour votre benchmark, pas une recommandation."""
    from datetime import date

    from deployer.analysis.vendor_match import match_vendors, require_answers
    from deployer.answers.answers_file import read_answers
    from deployer.documents.vendors import print_shortlist
    from deployer.schema.loader import load_content

    content = load_content()
    today = date.today()
    shortlist = match_vendors(content, read_answers(fichier, content), today)
    require_answers(shortlist)
    print_shortlist(content, shortlist, today)
