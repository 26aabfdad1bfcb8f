"""The answers files handed in by groups in a training session, read for the workshop view.

A broken file is listed with its French reason and skipped; a file made with an older
content version is upgraded (and counted) before scoring. Nothing here raises on one
bad file: the others are still shown.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from deployer.answers.answers_file import SUFFIX, WORKBOOK_SUFFIXES, Answers, parse_answers_file, upgrade_answers
from deployer.errors import DeployerError
from deployer.french import counted
from deployer.schema.content import Content
from deployer.schema.yaml_files import Problems, YamlProblem, read_raw


@dataclass(frozen=True)
class GroupFile:
    """One answers file handed in by a group, parsed (and upgraded if it was older)."""

    path: Path
    answers: Answers
    upgraded_from: str | None = None  # the file's content version, when it was older


@dataclass(frozen=True)
class Rejected:
    """A file that could not be used, with the reason in French."""

    path: Path
    reason: str



def expand_paths(paths: Iterable[Path]) -> list[Path]:
    """The files to read: a folder gives its answers files (``*.yaml``, ``*.xlsx``, ``*.ods``, without
    office lock and temporary files), then those of its sub-folders (``*-reponses.yaml``, ``.xlsx``,
    ``.ods``), as ``deployer demo`` lays them out; a path given twice (even spelled differently) is
    read once."""
    files: list[Path] = []
    seen: set[Path] = set()
    for path in paths:
        for found in _folder_files(path) if path.is_dir() else [path]:
            key = found.resolve()
            if key not in seen:
                seen.add(key)
                files.append(found)
    return files


def _folder_files(folder: Path) -> list[Path]:
    def answers_file(path: Path) -> bool:
        return path.suffix.lower() in (".yaml", *WORKBOOK_SUFFIXES) and not path.name.startswith(("~$", "."))

    stem = SUFFIX.removesuffix(".yaml")
    below = (p for p in folder.rglob(f"*{stem}.*") if p.parent != folder and answers_file(p))
    return sorted(p for p in folder.iterdir() if answers_file(p)) + sorted(below)


def read_group_files(paths: Iterable[Path], content: Content) -> tuple[list[GroupFile], list[Rejected]]:
    """Read every file (folders: their answers files; duplicates once); never raise: unusable
    files come back with the reason."""
    parsed: list[GroupFile] = []
    rejected: list[Rejected] = []
    for path in expand_paths(paths):
        result = read_group_file(path, content)
        if isinstance(result, GroupFile):
            parsed.append(result)
        else:
            rejected.append(result)
    return parsed, rejected


def require_groups(parsed: list[GroupFile], rejected: list[Rejected]) -> None:
    """Stop with a French message when not a single file can be shown."""
    if not parsed:
        raise DeployerError(
            "aucun fichier de réponses utilisable",
            problems=[f"{r.path}\u00a0: {r.reason}" for r in rejected],
            hint="Donnez les fichiers remis par les groupes, ou leur dossier, par exemple\u00a0: "
            "deployer workshop reponses/",
        )


def read_group_file(path: Path, content: Content) -> GroupFile | Rejected:
    """One file: parsed, upgraded if it comes from an older content version, or rejected."""
    try:
        raw = read_raw(path, str(path))
    except YamlProblem as exc:
        return Rejected(path, exc.problem.message)
    answers, found = parse_answers_file(raw, path, content)
    older = answers is not None and answers.content_version != content.version
    # answers to changed questions of an older file are set aside by the upgrade, as in « start »
    problems = Problems(p for p in found if not (older and p.path.startswith("reponses")))
    problems.more = 0 if older else found.more
    if answers is None or problems:
        if not problems:
            return Rejected(path, "fichier illisible")
        first = f"{problems[0].path} : {problems[0].message}" if problems[0].path else problems[0].message
        others = problems.total - 1
        more = f" (et {counted(others, 'autre problème', 'autres problèmes')})" if others else ""
        return Rejected(path, first + more)
    if older:
        upgraded, _ = upgrade_answers(answers, content)
        return GroupFile(path, upgraded, upgraded_from=answers.content_version or "inconnue")
    return GroupFile(path, answers)
