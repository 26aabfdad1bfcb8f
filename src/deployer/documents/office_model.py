"""The buyer's own look: a DOCX or ODT model (its charte graphique: styles, header, footer, logo)
given to ``generate --modele-document``, checked before anything is generated."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from deployer.errors import DeployerError

SUFFIXES = (".docx", ".odt")
_HEADINGS = {".docx": "« Titre 1 » et « Titre 2 » (Heading 1, Heading 2)",
             ".odt": "« Titre 1 » et « Titre 2 » (Heading 1, Heading 2)"}


@dataclass(frozen=True)
class DocumentModels:
    """The models' bytes, at most one per office format."""

    docx: bytes | None = None
    odt: bytes | None = None


def read_models(paths: list[Path]) -> DocumentModels:
    """Read and check each model: a DOCX or ODT file that opens and defines the heading styles."""
    found: dict[str, bytes] = {}
    for path in paths:
        suffix = path.suffix.lower()
        if suffix not in SUFFIXES:
            raise DeployerError(f"modèle de document « {path} » : format non pris en charge",
                                hint="Donnez un fichier .docx (Word) ou .odt (LibreOffice).")
        if suffix in found:
            raise DeployerError(f"deux modèles de document {suffix} ont été donnés",
                                hint="Donnez au plus un modèle .docx et un modèle .odt.")
        try:
            data = path.read_bytes()
        except OSError as error:
            raise DeployerError(f"modèle de document « {path} » illisible ({error.strerror})",
                                hint="Vérifiez le chemin du fichier.") from None
        _check(path, suffix, data)
        found[suffix] = data
    return DocumentModels(docx=found.get(".docx"), odt=found.get(".odt"))


def _check(path: Path, suffix: str, data: bytes) -> None:
    try:
        if suffix == ".docx":
            from deployer.documents.office_docx import missing_styles as docx_missing
            from deployer.documents.office_docx import new_document as new_docx

            missing = docx_missing(new_docx(data))
        else:
            from deployer.documents.office_odt import missing_styles as odt_missing
            from deployer.documents.office_odt import new_document as new_odt

            missing = odt_missing(new_odt(data))
    except Exception:  # noqa: BLE001 - any parsing failure of a user file is the same user error
        raise DeployerError(f"modèle de document « {path} » : le fichier ne s'ouvre pas comme un {suffix}",
                            hint="Enregistrez-le de nouveau depuis Word ou LibreOffice, au format "
                                 f"{suffix}.") from None
    if missing:
        raise DeployerError(
            f"modèle de document « {path} » : les styles de titre {_HEADINGS[suffix]} manquent",
            hint="Ouvrez le modèle, appliquez une fois les styles « Titre 1 » et « Titre 2 » à des paragraphes "
                 "(le traitement de texte les enregistre alors dans le fichier), supprimez ces paragraphes et "
                 "enregistrez ; ou générez sans --modele-document.")
