"""Reading a filled form back: the cells of every sheet become the data of an answers file.

The format readers (XLSX, ODS) hand over plain grids of values; this module finds the rows
by their hidden identifier (column A), turns labels back into values, ticks into lists, and
says which sheet and which cell is wrong, in French. The data then goes through the same
validation as a YAML file (``answers_from_data``).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from deployer.answers.workbook_layout import (
    ANSWER_COLUMN,
    KEY_GROUP,
    KEY_OBSOLETE,
    KEY_POSITION,
    KEY_VERSION,
    LISTS_SHEET,
    MARKER,
    TICKS,
    Grid,
    one_line,
)
from deployer.french import fold
from deployer.schema.content import Content
from deployer.schema.models import UNKNOWN, UNKNOWN_LABEL, Question
from deployer.schema.yaml_files import Problem, YamlProblem, parse_yaml

_META = (KEY_VERSION, KEY_GROUP, KEY_POSITION, KEY_OBSOLETE)
_SPACES = re.compile(r"[\s\u00a0\u202f]+")


@dataclass(frozen=True)
class Entry:
    sheet: str
    row: int
    value: Any

    @property
    def where(self) -> str:
        return f"feuille « {self.sheet} », cellule {ANSWER_COLUMN}{self.row}"


@dataclass
class Reading:
    """What reading gathers: the answers-file data, where each key sits, the problems."""

    name: str
    content: Content
    data: dict[str, Any] = field(default_factory=dict)
    places: dict[str, str] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)
    lists: dict[str, dict[str, str]] = field(default_factory=dict)
    same_version: bool = True

    def problem(self, where: str, message: str) -> None:
        self.problems.append(Problem(self.name, where, message))


def read_workbook(raw: bytes, name: str, content: Content) -> Reading:
    """Open a workbook safely and read its form; a file that cannot be read gives a Reading with no data."""
    from deployer.answers.workbook_safety import WorkbookProblem, open_workbook_zip

    try:
        archive, kind = open_workbook_zip(raw, name)
        if kind == "xlsx":
            from deployer.answers.workbook_xlsx import xlsx_grids

            grids = xlsx_grids(archive, name)
        else:
            from deployer.answers.workbook_ods import ods_grids

            grids = ods_grids(archive, name)
    except WorkbookProblem as exc:
        reading = Reading(name, content)
        reading.problems.append(exc.problem)
        return reading
    return data_from_grids(grids, name, content)


def data_from_grids(grids: list[Grid], name: str, content: Content) -> Reading:
    """The answers-file data of a filled form, with the place of every key and the problems found."""
    reading = Reading(name, content)
    first = grids[0] if grids else Grid("", {})
    head = str((first.rows.get(1) or ("",))[0] or "")
    if not head.startswith(MARKER):
        reading.problem("", "ce classeur n'est pas un questionnaire deployer (créez-le avec « deployer answers "
                            "template --format xlsx » ou « --format ods », ou « deployer answers convert »)")
        return reading
    version = head.removeprefix(MARKER).strip()
    reading.data["format"] = int(version) if version.isdigit() else version
    reading.lists = _lists(next((g for g in grids if g.name == LISTS_SHEET), None))
    entries = _entries([g for g in grids if g.name != LISTS_SHEET], reading)
    _read_meta(entries, reading)
    reading.same_version = reading.data.get(KEY_VERSION) == content.version
    _read_answers(entries, reading)
    return reading


def _lists(grid: Grid | None) -> dict[str, dict[str, str]]:
    """key → {folded label or value: value}, from the workbook's own « Listes » sheet."""
    if grid is None:
        return {}
    found: dict[str, dict[str, str]] = {}
    for number, cells in grid.rows.items():
        key = str(cells[0] or "") if cells else ""
        values = grid.rows.get(number + 1, ())
        if not key or not values or str(values[0] or "") != f"{key}#valeurs":
            continue
        pairs = zip(cells[1:], values[1:], strict=False)
        found[key] = {fold(one_line(str(label))): str(value) for label, value in pairs if label and value}
    return found


def _entries(grids: list[Grid], reading: Reading) -> dict[str, Entry]:
    entries: dict[str, Entry] = {}
    for grid in grids:
        for number, cells in grid.rows.items():
            key = str(cells[0]).strip() if cells and cells[0] is not None else ""
            if not key or number == 1 or key == "Identifiant":
                continue
            entry = Entry(grid.name, number, cells[2] if len(cells) > 2 else None)
            if key in entries:
                first = entries[key]
                reading.problem(f"feuille « {grid.name} », ligne {number}",
                                f"ligne en double (même identifiant qu'en feuille « {first.sheet} », ligne "
                                f"{first.row}) : supprimez l'une des deux")
            elif not (key in _META or key.startswith(("profil.", "reponses."))):
                reading.problem(f"feuille « {grid.name} », cellule A{number}",
                                f"identifiant inconnu « {_short(key)} » : ne modifiez pas la colonne A "
                                "(masquée) ; repartez du modèle si besoin")
            else:
                entries[key] = entry
    return entries


def _read_meta(entries: dict[str, Entry], reading: Reading) -> None:
    for key in _META:
        entry = entries.get(key)
        if entry is None or _blank(entry.value):
            continue
        reading.places[key] = entry.where
        if key == KEY_OBSOLETE:
            try:
                reading.data[key] = parse_yaml(str(entry.value).encode("utf-8"), reading.name)
            except YamlProblem:
                reading.problem(entry.where, "réponses mises de côté illisibles : ne modifiez pas cette cellule")
        else:
            reading.data[key] = _text(entry.value) if isinstance(entry.value, str) else str(entry.value)


def _read_answers(entries: dict[str, Entry], reading: Reading) -> None:
    profile: dict[str, Any] = reading.data.setdefault("profil", {})
    responses: dict[str, dict[str, Any]] = reading.data.setdefault("reponses", {})
    ticks: dict[str, list[tuple[str, Entry]]] = {}
    for key, entry in entries.items():
        if key.startswith("reponses.") and "=" in key:
            asked, _, value = key.partition("=")
            ticks.setdefault(asked, []).append((value, entry))
        elif key.startswith("profil."):
            qid = key.removeprefix("profil.")
            question = next((q for q in reading.content.profile.questions if q.id == qid), None)
            _store(profile, qid, key, f"profil › {qid}", question, entry, reading)
        elif key.startswith("reponses."):
            module, _, qid = key.removeprefix("reponses.").partition(".")
            reading.places.setdefault(f"reponses › {module}", f"feuille « {entry.sheet} »")
            _store(responses.setdefault(module, {}), qid, key, f"reponses › {module} › {qid}",
                   reading.content.question(module, qid), entry, reading)
    for key, options in ticks.items():
        module, _, qid = key.removeprefix("reponses.").partition(".")
        reading.places[f"reponses › {module} › {qid}"] = options[0][1].where
        value = _ticked(options, reading)
        if value is not None:
            responses.setdefault(module, {})[qid] = value
    reading.data["reponses"] = {m: q for m, q in responses.items() if q}


def _store(target: dict[str, Any], qid: str, key: str, path: str, question: Question | None, entry: Entry,
           reading: Reading) -> None:
    if question is not None and question.type == "multiple":
        return  # its ticks carry the answer; the question row only says how to tick
    reading.places[path] = entry.where
    if _blank(entry.value):
        return
    value, message = _convert(question, entry.value, _choices(key, question, reading))
    if message:
        reading.problem(entry.where, message)
    else:
        target[qid] = value


def _choices(key: str, question: Question | None, reading: Reading) -> dict[str, str]:
    """folded label or value → value: from the content, or from the workbook if it is older."""
    from_content: dict[str, str] = {}
    if question is not None and question.type == "choix":
        from_content = {fold(one_line(o.label)): o.value for o in question.options}
        from_content |= {fold(v): v for v in question.allowed_values}
        if question.allow_unknown:
            from_content[fold(UNKNOWN_LABEL)] = UNKNOWN
    if reading.same_version:
        return from_content or reading.lists.get(key, {})
    return from_content | reading.lists.get(key, {})  # an older workbook's labels mean its own values


def _convert(question: Question | None, raw: Any, choices: dict[str, str]) -> tuple[Any, str | None]:
    kind = question.type if question is not None else ("choix" if choices else "texte")
    if isinstance(raw, bool):
        return None, "VRAI/FAUX inattendu : écrivez la réponse"
    if kind == "entier":
        return _integer(raw)
    text = _text(raw) if isinstance(raw, str) else _plain(raw)
    if kind != "choix" or not choices:
        return text, None
    found = choices.get(fold(one_line(text)))
    if found is not None:
        return found, None
    given = _labels_in(fold(one_line(text)), choices)
    if len(given) > 1:
        return None, f"une seule réponse possible ici, vous en avez donné {len(given)} : choisissez-en une"
    if question is None or question.type != "choix":
        return text, None  # an older workbook: the upgrade sets it aside
    labels = [one_line(o.label) for o in question.options] + ([UNKNOWN_LABEL] if question.allow_unknown else [])
    return None, (f"« {_short(text)} » ne fait pas partie des réponses possibles : "
                  f"{', '.join('« ' + label + ' »' for label in labels)} (choisissez dans la liste déroulante)")


def _labels_in(text: str, choices: dict[str, str]) -> set[str]:
    """The answers whose label appears whole in a text (a label inside a longer one found counts once)."""
    found = [label for label in choices if re.search(rf"(?<!\w){re.escape(label)}(?!\w)", text)]
    return {choices[label] for label in found if not any(label != other and label in other for other in found)}


def _integer(raw: Any) -> tuple[Any, str | None]:
    if isinstance(raw, int):
        return raw, None
    if isinstance(raw, float) and raw.is_integer():
        return int(raw), None
    text = _SPACES.sub("", str(raw)) if isinstance(raw, str) else ""
    if re.fullmatch(r"-?\d{1,15}", text):
        return int(text), None
    return None, f"nombre entier attendu, sans unité (reçu « {_short(_plain(raw))} »)"


def _ticked(options: list[tuple[str, Entry]], reading: Reading) -> Any:
    """The options ticked (« x ») or ranked (1, 2…): ranked ones first, by rank, then in the sheet's order."""
    chosen: list[tuple[float, int, str]] = []
    for index, (value, entry) in enumerate(options):
        if _blank(entry.value):
            continue
        rank = _rank(entry.value)
        if rank is None and fold(_plain(entry.value).strip()) not in TICKS:
            reading.problem(entry.where, f"cochez avec « x », ou numérotez 1, 2, 3… pour classer, ou laissez vide "
                                         f"(reçu « {_short(_plain(entry.value))} »)")
        else:
            chosen.append((float("inf") if rank is None else rank, index, value))
    values = [value for _, _, value in sorted(chosen)]
    if UNKNOWN in values and len(values) > 1:
        where = next(e.where for v, e in options if v == UNKNOWN)
        reading.problem(where, f"« {UNKNOWN_LABEL} » ne se coche pas avec d'autres réponses : décochez l'un ou l'autre")
        return None
    if values == [UNKNOWN]:
        return UNKNOWN
    return values or None


def _rank(value: Any) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, (int, float)) and float(value).is_integer() and 0 < value < 1000:
        return int(value)
    text = value.strip() if isinstance(value, str) else ""
    return int(text) if text.isdigit() and len(text) < 4 and int(text) > 0 else None


def _blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _text(value: str) -> str:
    """A cell's text as typed (Windows line ends made plain)."""
    return value.replace("\r\n", "\n")


def _plain(value: Any) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime):
        return value.strftime("%d/%m/%Y %H:%M") if value.time() != datetime.min.time() else f"{value:%d/%m/%Y}"
    if isinstance(value, date):
        return f"{value:%d/%m/%Y}"
    return value if isinstance(value, str) else str(value)


def _short(text: str) -> str:
    return text if len(text) <= 40 else text[:37] + "…"


def located(reading: Reading, problems: list[Problem]) -> Iterator[Problem]:
    """Validation problems (named by answers-file key) renamed by sheet and cell."""
    for problem in problems:
        place = reading.places.get(problem.path)
        if place is None:
            yield problem
        elif reading.same_version or not problem.path.startswith("reponses"):
            yield Problem(problem.file, place, problem.message)
        else:  # an older workbook: these answers are set aside by the upgrade, which goes by key
            yield Problem(problem.file, f"{problem.path} ({place})", problem.message)
