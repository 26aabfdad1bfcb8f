"""A live session's state: the groups and their answers, kept as ordinary answers files.

Each group's answers live in DOSSIER as a normal answers file (« groupe » set), written
atomically as soon as an answer is given; the session's own settings (join code, trainer
secret, signing key, open modules, groups' resume keys) sit beside them in a small hidden
JSON file, so that starting again on the same DOSSIER resumes the session. Group names
never reach the file system: a file name is the name's ASCII slug, inside DOSSIER.
"""

from __future__ import annotations

import json
import secrets
import threading
import unicodedata
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from deployer.answers.answers_file import Answers, default_path, parse_answers, save_answers, upgrade_answers
from deployer.answers.group_files import GroupFile, Rejected, read_group_files
from deployer.answers.steps import Step, record
from deployer.errors import DeployerError
from deployer.files import atomic_write
from deployer.schema.content import Content
from deployer.schema.models import Module

STATE_FILE = ".deployer-seance.json"
STATE_FORMAT = 1
MAX_GROUPS = 60  # a training room; each group is one answers file
MAX_GROUP_NAME = 60  # characters, like the slug of its file name
CODE_DIGITS = 6
KEY_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I/L: read aloud or typed on a phone
KEY_LENGTH = 6


@dataclass
class Group:
    """One group of the session and its answers (the file is the truth, this is its copy)."""

    slug: str
    name: str
    key: str  # typed to resume on another device
    path: Path
    answers: Answers
    lock: threading.Lock = field(default_factory=threading.Lock, repr=False)


class JoinRefused(Exception):
    """Why a group cannot join, in French, for the join page."""


def check_group_name(name: str) -> str:
    """The name, tidied; JoinRefused when it cannot name a group."""
    tidy = " ".join(name.split())
    if not tidy:
        raise JoinRefused("Donnez un nom de groupe.")
    if len(tidy) > MAX_GROUP_NAME:
        raise JoinRefused(f"Nom de groupe trop long (plus de {MAX_GROUP_NAME} caractères).")
    if any(unicodedata.category(c).startswith("C") for c in tidy):
        raise JoinRefused("Le nom de groupe contient des caractères invisibles ou de contrôle.")
    if not any(c.isalnum() for c in tidy):
        raise JoinRefused("Le nom de groupe doit contenir au moins une lettre ou un chiffre.")
    return tidy


class LiveStore:
    """The session: settings, groups, and a version number that changes with every answer."""

    def __init__(self, folder: Path, content: Content) -> None:
        self.folder = folder
        self.content = content
        self._lock = threading.Lock()
        self.version = 0
        if folder.exists() and not folder.is_dir():
            raise DeployerError(f"« {folder} » existe et n'est pas un dossier",
                                hint="Donnez un dossier pour les fichiers de réponses des groupes.")
        folder.mkdir(parents=True, exist_ok=True)
        state = self._read_state()
        self.code: str = state.get("code") or "".join(secrets.choice("0123456789") for _ in range(CODE_DIGITS))
        self.secret: str = state.get("secret_formateur") or secrets.token_urlsafe(18)
        self.signing_key: bytes = bytes.fromhex(state.get("cle_signature") or secrets.token_hex(32))
        known = {m.id for m in self.answerable_modules}
        self.open_modules: list[str] = [m for m in state.get("modules_ouverts", []) if m in known]
        self.reveal_quiz: bool = bool(state.get("quiz_revele", False))
        self.groups: dict[str, Group] = self._load_groups(state.get("groupes", {}))
        self.resumed = bool(state)
        mine = {g.path.resolve() for g in self.groups.values()}
        others, rejected = read_group_files([folder], content)
        self.others: list[GroupFile] = [g for g in others if g.path.resolve() not in mine]
        self.rejected: list[Rejected] = rejected
        self.save_state()

    # -- settings --------------------------------------------------------------------

    @property
    def answerable_modules(self) -> list[Module]:
        """The quiz (module 0) and the scored modules, in the training's order."""
        return self.content.answerable_modules

    def modules_open(self) -> list[Module]:
        """The modules the trainer opened, in the training's order."""
        return [m for m in self.answerable_modules if m.id in self.open_modules]

    def set_modules(self, ids: list[str], reveal_quiz: bool) -> None:
        """Open these modules (unknown ids ignored) and show or hide the quiz's answers."""
        with self._lock:
            known = [m.id for m in self.answerable_modules]
            self.open_modules = [m for m in known if m in ids]
            self.reveal_quiz = reveal_quiz
            self.version += 1
            self.save_state()

    # -- groups ----------------------------------------------------------------------

    def join(self, name: str, key: str = "") -> Group:
        """A new group, or an existing one when its resume key is given; JoinRefused otherwise."""
        tidy = check_group_name(name)
        path = default_path(tidy, self.folder)
        slug = path.name.removesuffix("-reponses.yaml")
        with self._lock:
            group = self.groups.get(slug)
            if group is not None:
                if key and secrets.compare_digest(key.strip().upper().encode(), group.key.encode()):
                    return group
                raise JoinRefused(f"Le groupe « {group.name} » existe déjà. Pour le reprendre sur un autre "
                                  "appareil, tapez sa clé de reprise (affichée sur la page du groupe, ou "
                                  "demandez-la à la personne qui anime) ; sinon choisissez un autre nom.")
            if path.exists():
                raise JoinRefused(f"Un fichier « {path.name} » existe déjà dans le dossier de la séance ; "
                                  "choisissez un autre nom de groupe.")
            if len(self.groups) >= MAX_GROUPS:
                raise JoinRefused(f"La séance compte déjà {MAX_GROUPS} groupes, le maximum.")
            answers = Answers(profile={}, content_version=self.content.version, group=tidy)
            group = Group(slug, tidy, "".join(secrets.choice(KEY_ALPHABET) for _ in range(KEY_LENGTH)), path, answers)
            save_answers(path, answers)
            self.groups[slug] = group
            self.version += 1
            self.save_state()
            return group

    def answer(self, group: Group, step: Step, value: Any, position: str | None) -> Answers:
        """Record one answer (None: remove it) and write the group's file before returning."""
        with group.lock:
            answers = replace(record(group.answers, step, value), position=position)
            save_answers(group.path, answers)
            group.answers = answers
        with self._lock:
            self.version += 1
        return answers

    def group_files(self) -> list[GroupFile]:
        """Every group's answers as the workshop reads them: this session's and the folder's other files."""
        return [*self.others, *(GroupFile(g.path, g.answers) for g in self.groups.values())]

    # -- the state file --------------------------------------------------------------

    @property
    def state_path(self) -> Path:
        """The hidden file holding the session's settings."""
        return self.folder / STATE_FILE

    def save_state(self) -> None:
        """Write the settings atomically, readable by the trainer only (it holds the secrets)."""
        data = {
            "format": STATE_FORMAT,
            "code": self.code,
            "secret_formateur": self.secret,
            "cle_signature": self.signing_key.hex(),
            "modules_ouverts": self.open_modules,
            "quiz_revele": self.reveal_quiz,
            "groupes": {g.slug: {"nom": g.name, "fichier": g.path.name, "cle": g.key} for g in self.groups.values()},
        }
        atomic_write(self.state_path, json.dumps(data, ensure_ascii=False, indent=2) + "\n")
        self.state_path.chmod(0o600)

    def _read_state(self) -> dict[str, Any]:
        try:
            data = json.loads(self.state_path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            return {}
        except (OSError, ValueError) as exc:
            raise DeployerError(f"le fichier de séance « {self.state_path} » est illisible ({exc})",
                                hint="Supprimez-le pour commencer une nouvelle séance dans ce dossier "
                                "(les fichiers de réponses des groupes sont gardés).") from None
        if not isinstance(data, dict) or data.get("format") != STATE_FORMAT:
            raise DeployerError(f"le fichier de séance « {self.state_path} » n'est pas reconnu",
                                hint="Supprimez-le pour commencer une nouvelle séance dans ce dossier.")
        return data

    def _load_groups(self, saved: dict[str, Any]) -> dict[str, Group]:
        groups: dict[str, Group] = {}
        for slug, entry in saved.items():
            path = self.folder / Path(str(entry.get("fichier", ""))).name  # a name, never a path
            if not path.name.endswith("-reponses.yaml") or not path.is_file():
                continue  # removed since: the group may join again
            answers, problems = parse_answers(path.read_bytes(), str(path), self.content)
            if answers is None or (problems and answers.content_version == self.content.version):
                raise DeployerError(f"le fichier de réponses « {path} » ne peut pas être repris",
                                    problems=[str(p) for p in problems],
                                    hint="Corrigez-le (deployer answers check FICHIER) ou retirez-le du dossier.")
            answers, _ = upgrade_answers(answers, self.content)
            groups[str(slug)] = Group(str(slug), str(entry.get("nom") or slug), str(entry.get("cle") or ""),
                                      path, answers)
        return groups
