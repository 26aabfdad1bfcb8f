"""The answers file: a versioned YAML the walk writes and consultants edit by hand."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from deployer.errors import AnswersError, UnreadableFile
from deployer.files import read_user_file
from deployer.french import counted, fold, short, visible
from deployer.schema.models import QUIZ_LABELS, UNKNOWN, Question
from deployer.schema.yaml_files import MAX_FILE_BYTES, Problem, Problems, YamlProblem, parse_yaml

if TYPE_CHECKING:
    from deployer.schema.content import Content

FORMAT_VERSION = 1
SUFFIX = "-reponses.yaml"
MAX_TEXT = 5000
_TOP_KEYS = ("format", "version_contenu", "groupe", "profil", "reponses", "obsoletes", "en_cours")


@dataclass(frozen=True)
class Answers:
    """A collectivité's profile and its answers, module by module."""

    profile: dict[str, Any]
    responses: dict[str, dict[str, Any]] = field(default_factory=dict)
    content_version: str = ""
    group: str | None = None
    obsolete: dict[str, dict[str, Any]] = field(default_factory=dict)
    position: str | None = None  # "module.question" where the walk stopped

    @property
    def name(self) -> str:
        """The collectivité's name, or a placeholder."""
        return str(self.profile.get("nom") or "collectivité sans nom")

    @property
    def population(self) -> int | None:
        """The population, if given."""
        value = self.profile.get("population")
        return value if isinstance(value, int) else None

    def get(self, module: str, question: str) -> Any:
        """The answer to one question, or None."""
        return self.responses.get(module, {}).get(question)

    def with_answer(self, module: str, question: str, value: Any) -> Answers:
        """A copy with one answer set (None removes it)."""
        responses = {m: dict(q) for m, q in self.responses.items()}
        answers = responses.setdefault(module, {})
        value = _visible({0: value})[0]  # typed in the walk: no control characters either
        if value is None:
            answers.pop(question, None)
        else:
            answers[question] = value
        return replace(self, responses=responses)

    def with_profile(self, key: str, value: Any) -> Answers:
        """A copy with one profile entry set."""
        return replace(self, profile={**self.profile, **_visible({key: value})})


def is_asked(question: Question, module_answers: dict[str, Any]) -> bool:
    """Whether a question is asked, given the module's other answers (its ``when``)."""
    if question.when is None:
        return True
    value = module_answers.get(question.when.question)
    chosen = value if isinstance(value, list) else [value]
    return any(v in question.when.values for v in chosen)


def default_path(name: str, folder: Path | None = None) -> Path:
    """« Ville de Mérignac » → ./ville-de-merignac-reponses.yaml."""
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_name.lower()).strip("-")[:60] or "collectivite"
    return (folder or Path()) / f"{slug}{SUFFIX}"


# -- reading ---------------------------------------------------------------------------


def read_answers(path: Path, content: Content) -> Answers:
    """Read and validate an answers file; AnswersError lists every problem at once."""
    raw = read_answers_bytes(path)
    answers, problems = parse_answers(raw, str(path), content)
    if problems or answers is None:
        older = answers is not None and answers.content_version != content.version
        raise AnswersError(
            f"le fichier de réponses « {path} » comporte {counted(problems.total, 'problème')}",
            problems=problems.lines(),
            hint=(f"Ce fichier a été rempli avec le contenu {answers.content_version or '(version inconnue)'}, "
                  f"le contenu actuel est {content.version} : « deployer start --resume {path} » le met à jour "
                  "(les réponses encore valides sont gardées, les autres mises de côté sous « obsoletes »)."
                  if older and answers is not None else
                  "Corrigez le fichier (« deployer answers check FICHIER » le vérifie), "
                  "ou reprenez-le avec « deployer start --resume FICHIER »."),
        )
    return answers


def read_answers_bytes(path: Path) -> bytes:
    """The bytes of an answers file (a regular file within the size limit), or AnswersError."""
    try:
        return read_user_file(path, MAX_FILE_BYTES)
    except UnreadableFile as exc:
        if exc.missing:
            raise AnswersError(
                f"le fichier de réponses « {path} » est introuvable",
                hint="Vérifiez le chemin, ou créez-le avec « deployer start » "
                "ou « deployer answers template ».",
            ) from None
        raise AnswersError(f"« {path} » ne peut pas être lu comme fichier de réponses : {exc.message}") from None


def parse_answers(raw: bytes, name: str, content: Content) -> tuple[Answers | None, Problems]:
    """Parse answers-file bytes; return the answers (if usable) and every problem found in one
    pass, structure and values alike (the first MAX_PROBLEMS kept, the others counted)."""
    problems = Problems()
    try:
        data = parse_yaml(raw, name)
    except YamlProblem as exc:
        return None, Problems([exc.problem])
    if not isinstance(data, dict):
        return None, Problems([Problem(name, "", "le fichier doit contenir des clés (format, profil, reponses…)")])
    if data.get("format") != FORMAT_VERSION:
        problems.append(Problem(name, "format", f"version de format attendue : {FORMAT_VERSION}"))
    sections: dict[str, dict[Any, Any]] = {}
    for key in ("profil", "reponses", "obsoletes"):
        value = data.get(key) or {}
        if not isinstance(value, dict):
            problems.append(Problem(name, key, "dictionnaire (clé : valeur) attendu"))
            value = {}
        sections[key] = _visible(value)
    unknown = [k for k in data if k not in _TOP_KEYS]
    usable = not problems and not unknown  # values are still checked: one run reports everything
    profile, obsolete = sections["profil"], sections["obsoletes"]
    responses = {m: _visible(q) if isinstance(q, dict) else q for m, q in sections["reponses"].items()}
    problems += _profile_problems(profile, content, name)
    _canonical_quiz_values(responses, content)
    problems += _response_problems(responses, content, name)
    problems += (Problem(name, short(k), f"clé inconnue ; clés permises : {', '.join(_TOP_KEYS)}") for k in unknown)
    if not usable:
        return None, problems
    group = data.get("groupe")
    answers = Answers(
        profile=profile,
        responses={str(m): dict(q) for m, q in responses.items() if isinstance(q, dict)},
        content_version=str(data.get("version_contenu") or ""),
        group=visible(str(group)) if group is not None else None,
        obsolete=obsolete,
        position=str(data["en_cours"]) if data.get("en_cours") else None,
    )
    return answers, problems


def _visible(section: dict[Any, Any]) -> dict[Any, Any]:
    """Keys and text values without control or bidirectional-override characters: they would
    reach every document and the terminal (the rest of the text stays exactly as typed)."""
    def clean(value: Any) -> Any:
        if isinstance(value, str):
            return visible(value)
        if isinstance(value, list):
            return [visible(v) if isinstance(v, str) else v for v in value]
        return value

    return {clean(k): clean(v) for k, v in section.items()}


def _profile_problems(profile: dict[Any, Any], content: Content, name: str) -> Iterator[Problem]:
    known = {q.id: q for q in content.profile.questions}
    for key in profile:
        if key not in known:
            yield Problem(name, f"profil › {short(key)}", f"clé inconnue ; clés permises : {', '.join(known)}")
    for key, question in known.items():
        if profile.get(key) is not None:
            yield from (Problem(name, f"profil › {key}", m) for m in value_problems(question, profile[key]))


_QUIZ_VALUES = {fold(value): value for value in QUIZ_LABELS}


def _canonical_quiz_values(responses: dict[Any, Any], content: Content) -> None:
    """Quiz answers typed by hand as « realite », « Mythe » or « NUANCE » become the canonical
    « réalité », « mythe », « nuancé » (in place, before validation)."""
    for module_id, given in responses.items():
        module = content.module(str(module_id))
        if module is None or not module.quiz or not isinstance(given, dict):
            continue
        for item in module.quiz:
            value = given.get(item.id)
            if isinstance(value, str):
                given[item.id] = _QUIZ_VALUES.get(fold(value.strip()), value)


def _response_problems(responses: dict[Any, Any], content: Content, name: str) -> Iterator[Problem]:
    modules = [m.id for m in content.answerable_modules]
    for module_id, module_answers in responses.items():
        module = content.module(str(module_id))
        if module is None or not module.walk_questions:
            yield Problem(name, f"reponses › {short(module_id)}",
                          f"module inconnu ; modules permis : {', '.join(modules)}")
            continue
        if module_answers is None:
            continue
        if not isinstance(module_answers, dict):
            yield Problem(name, f"reponses › {short(module_id)}", "dictionnaire (question : réponse) attendu")
            continue
        ids = [q.id for q in module.walk_questions]
        for qid, value in module_answers.items():
            question = content.question(module.id, str(qid))
            where = f"reponses › {module_id} › {short(qid)}"
            if question is None:
                yield Problem(name, where, f"question inconnue ; questions de ce module : {', '.join(ids)}")
            elif value is not None:
                yield from (Problem(name, where, m) for m in value_problems(question, value))


def value_problems(question: Question, value: Any) -> list[str]:
    """What is wrong with one value for one question (empty when it is fine)."""
    if question.allow_unknown and value == UNKNOWN:
        return []
    allowed = ", ".join(question.allowed_values) if question.type in ("choix", "multiple") else ""
    if question.type == "choix":
        if not isinstance(value, str) or value not in question.allowed_values:
            return [f"valeur « {short(value)} » non permise ; valeurs permises : {allowed}"]
    elif question.type == "multiple":
        if not isinstance(value, list):
            return [f"liste attendue, par exemple [{question.options[0].value}] ; valeurs permises : {allowed}"]
        bad = [v for v in value if not isinstance(v, str) or v not in question.allowed_values]
        if bad:
            return [f"valeur(s) {', '.join('« ' + short(b) + ' »' for b in bad)} non permise(s) ; "
                    f"valeurs permises : {allowed}"]
        return exclusive_problems(question, value)
    elif question.type == "entier":
        return _integer_problems(question, value)
    elif not isinstance(value, str):
        return ["texte attendu (mettez-le entre guillemets)"]
    elif len(value) > MAX_TEXT:
        return [f"texte trop long (plus de {MAX_TEXT} caractères)"]
    return []


def exclusive_problems(question: Question, value: list[Any]) -> list[str]:
    """An option declared exclusive (« Aucun… ») checked together with another one."""
    alone = [o for o in question.options if o.exclusive and o.value in value]
    if alone and len(set(value)) > 1:
        return [f"«\u00a0{alone[0].value}\u00a0» ({alone[0].label}) ne peut pas être cochée avec une autre "
                "option\u202f; gardez-la seule, ou retirez-la"]
    return []


def _integer_problems(question: Question, value: Any) -> list[str]:
    if isinstance(value, bool) or not isinstance(value, int):
        return [f"nombre entier attendu, sans espace ni unité (reçu : « {short(value)} »)"]
    low = question.min if question.min is not None else float("-inf")
    high = question.max if question.max is not None else float("inf")
    if not low <= value <= high:
        return [f"nombre hors limites ({short(value)}) ; attendu entre {question.min} et {question.max}"]
    return []


# -- writing ---------------------------------------------------------------------------

_HEADER = """\
# Fichier de réponses deployer — {name}
# Modifiable à la main ; vérifiez-le avec : deployer answers check {file}
# Reprendre le parcours : deployer start --resume {file}
"""


def dump_answers(answers: Answers, file_name: str = "FICHIER") -> str:
    """The YAML text of an answers file, with a short French header."""
    import yaml

    data: dict[str, Any] = {"format": FORMAT_VERSION, "version_contenu": answers.content_version}
    if answers.group:
        data["groupe"] = answers.group
    data["profil"] = answers.profile
    data["reponses"] = {m: q for m, q in answers.responses.items() if q}
    if answers.obsolete:
        data["obsoletes"] = answers.obsolete
    if answers.position:
        data["en_cours"] = answers.position
    body = yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=100)
    name = " ".join(answers.name.split())[:80]  # a header comment must stay one line
    return _HEADER.format(name=name, file=" ".join(file_name.split())) + body


def save_answers(path: Path, answers: Answers) -> None:
    """Write the answers file atomically."""
    from deployer.files import atomic_write

    atomic_write(path, dump_answers(answers, path.name))


def upgrade_answers(answers: Answers, content: Content) -> tuple[Answers, list[str]]:
    """Fit answers made with another content version: keep what is still valid.

    Answers to removed questions and values no longer allowed move to ``obsoletes``
    (reported, never silently dropped); those questions are then asked again.
    """
    notes: list[str] = []
    obsolete = {m: dict(q) for m, q in answers.obsolete.items()}
    responses: dict[str, dict[str, Any]] = {}
    same = answers.content_version == content.version  # then it is a typo in a hand-written file
    for module_id, given in answers.responses.items():
        for qid, value in (given or {}).items():
            question = content.question(module_id, qid)
            if question is None:
                what = "question inconnue" if same else "question retirée du contenu"
                notes.append(f"{module_id} › {qid} : {what}, réponse conservée dans « obsoletes »")
            elif value is not None and value_problems(question, value):
                what = f"valeur non permise (« {short(value)} »)" if same else "question modifiée"
                notes.append(f"{module_id} › {qid} : {what}, elle vous sera reposée")
            else:
                responses.setdefault(module_id, {})[qid] = value
                continue
            obsolete.setdefault(module_id, {})[qid] = value
    upgraded = replace(answers, responses=responses, obsolete=obsolete, content_version=content.version)
    return upgraded, notes
