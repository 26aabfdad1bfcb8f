"""Reading YAML safely and turning every failure into a located French problem."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Self

import yaml
from pydantic import BaseModel, ValidationError

from deployer.errors import UnreadableFile
from deployer.files import MAX_USER_FILE, read_user_file
from deployer.french import counted, number, short

MAX_FILE_BYTES = MAX_USER_FILE
MAX_VALUES = 50_000  # the largest shipped content file holds about 4 500
MAX_PROBLEMS = 50


@dataclass(frozen=True)
class Problem:
    """One problem in one file, at one YAML path."""

    file: str
    path: str
    message: str

    def __str__(self) -> str:
        where = f"{self.file} › {self.path}" if self.path else self.file
        return f"{where} : {self.message}"


class Problems(list[Problem]):
    """Problems found: the first ``limit`` are kept, the others only counted (bounded memory)."""

    def __init__(self, items: Iterable[Problem] = (), limit: int = MAX_PROBLEMS) -> None:
        super().__init__()
        self.limit = limit
        self.more = 0
        self.extend(items)

    def append(self, problem: Problem) -> None:
        if len(self) < self.limit:
            super().append(problem)
        else:
            self.more += 1

    def extend(self, problems: Iterable[Problem]) -> None:
        for problem in problems:
            self.append(problem)

    def __iadd__(self, problems: Iterable[Problem]) -> Self:  # type: ignore[override,misc]
        self.extend(problems)
        return self

    @property
    def total(self) -> int:
        """How many problems were found, shown or not."""
        return len(self) + self.more

    def lines(self) -> list[str]:
        """One line per problem kept, and one saying how many more there were."""
        lines = [str(p) for p in self]
        if self.more:
            others = counted(self.more, "autre problème", "autres problèmes")
            lines.append(f"… et {others}, non détaillés : corrigez d'abord ceux-ci, puis relancez")
        return lines


class YamlProblem(Exception):
    """A file that cannot be read as YAML; carries the located problem."""

    def __init__(self, problem: Problem) -> None:
        super().__init__(str(problem))
        self.problem = problem


_SafeLoader: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _DuplicateKey(Exception):
    def __init__(self, key: Any, first: Any, second: Any) -> None:
        super().__init__(key)
        self.key, self.first, self.second = key, first, second


class _StrictLoader(_SafeLoader):  # type: ignore[misc]
    """The safe loader, refusing a key given twice in one mapping (YAML would keep the last)."""

    def construct_mapping(self, node: Any, deep: bool = False) -> Any:
        seen: dict[Any, Any] = {}
        for key_node, _ in node.value:
            if not isinstance(key_node, yaml.ScalarNode) or key_node.tag == "tag:yaml.org,2002:merge":
                continue
            key = self.construct_object(key_node)
            try:
                first = seen.setdefault(key, key_node)
            except TypeError:  # an unhashable key: the constructor reports it
                continue
            if first is not key_node:
                raise _DuplicateKey(key_node.value, first.start_mark, key_node.start_mark)  # as typed
        return super().construct_mapping(node, deep)


def _scan(text: str, name: str) -> None:
    """Refuse what would blow up memory before building anything: aliases (*name) can multiply
    data exponentially ("billion laughs"), and a file may hold at most MAX_VALUES values."""
    if "*" not in text and len(text) <= 2 * MAX_VALUES:  # a value takes at least two characters
        return
    values = 0
    for event in yaml.parse(text, Loader=_SafeLoader):
        if isinstance(event, yaml.AliasEvent):
            raise YamlProblem(Problem(name, _where(event.start_mark),
                                      "les alias YAML (*nom) ne sont pas acceptés : écrivez la valeur"))
        if isinstance(event, yaml.NodeEvent):
            values += 1
            if values > MAX_VALUES:
                raise YamlProblem(Problem(name, _where(event.start_mark), (
                    f"plus de {number(MAX_VALUES)} valeurs : un fichier de réponses en compte quelques "
                    "centaines, est-ce le bon fichier ? Lecture arrêtée ici")))


def _where(mark: Any) -> str:
    return f"ligne {mark.line + 1}, colonne {mark.column + 1}" if mark else ""


def read_yaml(path: Path, label: str | None = None) -> Any:
    """Parse one YAML file, raising YamlProblem with a French message on any failure."""
    name = label or str(path)
    return parse_yaml(read_raw(path, name), name)


def read_raw(path: Path, name: str) -> bytes:
    """A file's bytes (a regular file, at most MAX_FILE_BYTES), or YamlProblem in French."""
    try:
        return read_user_file(path, MAX_FILE_BYTES)
    except UnreadableFile as exc:
        raise YamlProblem(Problem(name, "", exc.message)) from None


def parse_yaml(raw: bytes, name: str) -> Any:
    """Parse YAML bytes (UTF-8, BOM and CRLF accepted) with French errors."""
    if len(raw) > MAX_FILE_BYTES:
        raise YamlProblem(Problem(name, "", "fichier trop volumineux (plus de 5 Mo)"))
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise YamlProblem(
            Problem(name, "", f"encodage invalide à l'octet {exc.start} : enregistrez en UTF-8")
        ) from None
    if "\x00" in text:
        raise YamlProblem(Problem(name, "", "caractère nul (NUL) : ce n'est pas un fichier texte"))
    try:
        _scan(text, name)
        return yaml.load(text, Loader=_StrictLoader)  # noqa: S506 - a SafeLoader
    except _DuplicateKey as exc:
        lines = f"lignes {exc.first.line + 1} et {exc.second.line + 1}"
        raise YamlProblem(Problem(name, _where(exc.second), f"clé « {short(exc.key)} » en double ({lines}) : "
                                  "la seconde remplacerait la première sans le dire ; gardez-en une seule")) from None
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        raise YamlProblem(Problem(name, _where(mark), _yaml_reason(exc))) from None
    except (yaml.YAMLError, RecursionError, ValueError) as exc:
        raise YamlProblem(Problem(name, "", f"YAML illisible ({type(exc).__name__})")) from None


# PyYAML's English problems, as French hints (the line and column are given separately).
_YAML_PROBLEMS = (
    ("could not determine a constructor", "étiquette YAML non autorisée (seules les données simples sont acceptées)"),
    ("did not find expected node content", "valeur attendue introuvable (crochet ou accolade non fermé ?)"),
    ("mapping values are not allowed", "deux-points inattendu : mettez entre guillemets une valeur qui contient « : »"),
    ("cannot start any token", "caractère inattendu (une tabulation ? indentez avec des espaces)"),
    ("could not find expected ':'", "« : » attendu après une clé"),
    ("unexpected end of stream", "fin de fichier inattendue (guillemet, crochet ou accolade non fermé ?)"),
    ("expected ',' or ']'", "« , » ou « ] » attendu dans une liste entre crochets"),
    ("expected ',' or '}'", "« , » ou « } » attendu dans un dictionnaire entre accolades"),
    ("did not find expected key", "clé attendue introuvable (indentation incohérente ?)"),
    ("did not find expected '-' indicator", "tiret « - » attendu (élément de liste mal indenté ?)"),
    ("found duplicate anchor", "ancre YAML (&nom) en double"),
    ("found undefined alias", "alias YAML (*nom) non défini"),
    ("found unknown escape character", "séquence d'échappement inconnue dans un texte entre guillemets"),
)


def _yaml_reason(exc: yaml.MarkedYAMLError) -> str:
    problem = exc.problem or ""
    french = next((text for english, text in _YAML_PROBLEMS if english in problem), None)
    return f"syntaxe YAML invalide : {french}" if french else "syntaxe YAML invalide"


_MESSAGES = {
    "missing": "clé obligatoire manquante",
    "extra_forbidden": "clé inconnue",
    "int_type": "nombre entier attendu",
    "int_parsing": "nombre entier attendu",
    "int_from_float": "nombre entier attendu",
    "string_type": "texte attendu",
    "list_type": "liste attendue",
    "dict_type": "dictionnaire (clé : valeur) attendu",
    "model_type": "dictionnaire (clé : valeur) attendu",
    "bool_type": "oui/non (true/false) attendu",
    "bool_parsing": "oui/non (true/false) attendu",
}


def french_message(error: Any) -> str:
    """A French message for one pydantic error dict."""
    kind = error["type"]
    ctx = error.get("ctx") or {}
    if kind in _MESSAGES:
        return _MESSAGES[kind]
    if kind == "literal_error":
        return f"valeur non permise ; valeurs permises : {ctx.get('expected', '')}"
    if kind == "too_short":
        n = ctx.get("min_length")
        plural = "s" if isinstance(n, int) and n > 1 else ""
        return f"au moins {n} élément{plural} attendu{plural}"
    if kind in ("greater_than", "greater_than_equal"):
        return f"nombre trop petit (minimum : {ctx.get('gt', ctx.get('ge'))})"
    if kind == "value_error":  # our own validators: their message is already French
        return f"valeur invalide : {str(error['msg']).removeprefix('Value error, ')}"
    return "valeur invalide"  # pydantic's other messages are English: the YAML path says where


def yaml_path(loc: tuple[Any, ...], prefix: str = "") -> str:
    """Render a pydantic location as « questions[3] › options[1] › points »."""
    parts: list[str] = [prefix] if prefix else []
    for item in loc:
        if isinstance(item, int) and parts:
            parts[-1] += f"[{item}]"
        elif isinstance(item, str) and item.startswith(("int", "dict[")):
            continue  # pydantic's union branch names are noise for authors
        else:
            parts.append(str(item))
    return " › ".join(parts)


def validate(model: type[BaseModel], data: Any, file: str, prefix: str = "") -> Any:
    """Validate data against a model; return the model or a list of Problems."""
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        return [
            Problem(file, yaml_path(tuple(e["loc"]), prefix), french_message(e))
            for e in exc.errors()
        ]
