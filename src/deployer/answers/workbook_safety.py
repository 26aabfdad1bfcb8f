"""Opening an untrusted workbook (XLSX or ODS, both zip archives of XML) without being hurt by it.

Everything is checked before anything is expanded: the file size, that it is a zip archive
at all (a renamed binary, an old ``.xls`` or an encrypted workbook is named as such), the
number of members, their declared sizes and compression ratios (a zip bomb is refused from
its directory; Python's zip reader never inflates a member past its declared size, so the
declared sizes bound the real work). Every XML member is then scanned, in bounded chunks,
for a document type declaration: office files never carry one, and an XML entity bomb
needs one. The XML parsers used afterwards are hardened as well (defusedxml).
"""

from __future__ import annotations

import io
import zipfile
from typing import IO, Literal

from deployer.files import MAX_USER_FILE
from deployer.schema.yaml_files import Problem

MAX_WORKBOOK_BYTES = MAX_USER_FILE  # 5 Mo, like any file the user gives; a filled form: 50 ko
MAX_MEMBERS = 300
MAX_EXPANDED_BYTES = 20_000_000  # all members together, as declared (a blank form: 0.3 Mo)
MAX_RATIO = 200  # compression ratio above which a large member is taken for a bomb
_RATIO_FROM_BYTES = 1_000_000  # small members may compress very well and harm no one
_CHUNK = 65_536

WorkbookKind = Literal["xlsx", "ods"]
ODS_MIMETYPE = b"application/vnd.oasis.opendocument.spreadsheet"
FORMULA_REFUSED = ("formule refusée : le classeur n'est lu que pour ses valeurs ; remplacez la formule par la "
                   "réponse écrite")
_NOT_A_WORKBOOK = ("ce fichier n'est pas un classeur XLSX ou ODS lisible ; enregistrez-le depuis Excel ou "
                   "LibreOffice Calc au format .xlsx ou .ods (ou donnez un fichier de réponses YAML)")


class WorkbookProblem(Exception):
    """A workbook that cannot be read safely; carries the located French problem."""

    def __init__(self, problem: Problem) -> None:
        super().__init__(str(problem))
        self.problem = problem


def refuse(name: str, message: str, where: str = "") -> WorkbookProblem:
    """The exception for one problem of one workbook."""
    return WorkbookProblem(Problem(name, where, message))


def too_many_rows(name: str, sheet: str, limit: int) -> WorkbookProblem:
    """The exception for a sheet longer than any form (read no further)."""
    return refuse(name, f"plus de {limit} lignes remplies : ce n'est pas le questionnaire", f"feuille « {sheet} »")


def open_workbook_zip(raw: bytes, name: str) -> tuple[zipfile.ZipFile, WorkbookKind]:
    """The checked zip archive of a workbook and which kind it is; WorkbookProblem otherwise."""
    if len(raw) > MAX_WORKBOOK_BYTES:
        raise refuse(name, f"classeur trop volumineux (plus de {MAX_WORKBOOK_BYTES // 1_000_000} Mo)")
    if raw.startswith(b"\xd0\xcf\x11\xe0"):
        raise refuse(name, "classeur au format ancien (.xls) ou protégé par un mot de passe : enregistrez-le "
                           "au format .xlsx ou .ods, sans mot de passe")
    if not raw.startswith(b"PK\x03\x04"):
        raise refuse(name, _NOT_A_WORKBOOK)
    try:
        archive = zipfile.ZipFile(io.BytesIO(raw))
        members = archive.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, OSError, EOFError):
        raise refuse(name, _NOT_A_WORKBOOK) from None
    _check_members(members, name)
    kind = _kind(archive, name)
    _refuse_doctypes(archive, members, name)
    return archive, kind


def _check_members(members: list[zipfile.ZipInfo], name: str) -> None:
    if len(members) > MAX_MEMBERS:
        raise refuse(name, f"archive suspecte : plus de {MAX_MEMBERS} fichiers dans le classeur")
    total = 0
    for member in members:
        if member.flag_bits & 0x1:
            raise refuse(name, "classeur chiffré : enregistrez-le sans mot de passe")
        if member.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
            raise refuse(name, _NOT_A_WORKBOOK)
        total += member.file_size
        ratio = member.file_size / max(member.compress_size, 1)
        if member.file_size > _RATIO_FROM_BYTES and ratio > MAX_RATIO:
            raise refuse(name, f"archive suspecte (« bombe zip ») : « {member.filename[:60]} » se décompresserait "
                               f"{int(ratio)} fois plus gros ; le classeur n'est pas ouvert")
    if total > MAX_EXPANDED_BYTES:
        raise refuse(name, f"archive suspecte (« bombe zip ») : plus de {MAX_EXPANDED_BYTES // 1_000_000} Mo "
                           "une fois décompressée ; le classeur n'est pas ouvert")


def _kind(archive: zipfile.ZipFile, name: str) -> WorkbookKind:
    names = set(archive.namelist())
    if "mimetype" in names and "content.xml" in names:
        if _read_member(archive, "mimetype", name).strip() != ODS_MIMETYPE:
            raise refuse(name, "document OpenDocument qui n'est pas un classeur (texte, présentation…) : "
                               "donnez le classeur .ods du questionnaire")
        return "ods"
    if "[Content_Types].xml" in names and "xl/workbook.xml" in names:
        return "xlsx"
    if "word/document.xml" in names:
        raise refuse(name, "document Word (.docx) et non classeur : donnez le classeur .xlsx du questionnaire")
    raise refuse(name, _NOT_A_WORKBOOK)


def _read_member(archive: zipfile.ZipFile, member: str, name: str) -> bytes:
    try:
        return archive.read(member)
    except (zipfile.BadZipFile, ValueError, OSError, EOFError, RuntimeError, NotImplementedError):
        raise refuse(name, "classeur endommagé (archive illisible) : enregistrez-le de nouveau") from None


def _refuse_doctypes(archive: zipfile.ZipFile, members: list[zipfile.ZipInfo], name: str) -> None:
    """Scan every XML member, chunk by chunk, for ``<!DOCTYPE`` / ``<!ENTITY`` (never in office files)."""
    for member in members:
        if not member.filename.endswith((".xml", ".rels")):
            continue
        try:
            with archive.open(member) as stream:
                _scan(stream, member.filename, name)
        except WorkbookProblem:
            raise
        except (zipfile.BadZipFile, ValueError, OSError, EOFError, RuntimeError, NotImplementedError):
            raise refuse(name, "classeur endommagé (archive illisible) : enregistrez-le de nouveau") from None


def _scan(stream: IO[bytes], member: str, name: str) -> None:
    tail = b""
    first = True
    while chunk := stream.read(_CHUNK):
        if first and chunk.startswith((b"\xff\xfe", b"\xfe\xff")):
            raise refuse(name, f"XML en UTF-16 refusé dans « {member[:60]} » : enregistrez le classeur de nouveau")
        first = False
        window = tail + chunk
        if b"<!DOCTYPE" in window or b"<!ENTITY" in window:
            raise refuse(name, f"XML suspect dans « {member[:60]} » (déclaration DOCTYPE ou ENTITY, possible "
                               "« bombe XML ») : le classeur n'est pas lu")
        tail = window[-16:]
