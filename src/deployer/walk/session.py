"""``deployer start``: pick the answers file, check the terminal, walk, summarise."""

from __future__ import annotations

import signal
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import replace
from pathlib import Path

from rich.console import Console

from deployer.answers.answers_file import (
    SUFFIX,
    Answers,
    is_asked,
    is_workbook,
    parse_answers_file,
    read_answers_bytes,
    save_answers,
    upgrade_answers,
)
from deployer.documents.terminal import paragraph
from deployer.errors import AnswersError, DeployerError
from deployer.french import fix_typography, short
from deployer.schema.content import Content
from deployer.schema.loader import load_content
from deployer.schema.models import Module
from deployer.walk.prompts import start_session

NO_TERMINAL_HINT = (
    "« deployer start » pose des questions et a besoin d'un terminal interactif.\n"
    "Sans terminal (script, CI, entrée redirigée), écrivez le fichier de réponses à la main :\n"
    "  deployer answers template -o ma-collectivite-reponses.yaml   (modèle commenté)\n"
    "  deployer answers check ma-collectivite-reponses.yaml         (vérification)\n"
    "puis : deployer score FICHIER  et  deployer generate FICHIER -o DOSSIER"
)


def run_start(path: Path | None, resume: bool, modules: list[str], group: str | None) -> None:
    """The whole ``deployer start`` command."""
    if not sys.stdin.isatty():
        raise DeployerError("pas de terminal interactif", hint=NO_TERMINAL_HINT)
    content = load_content()
    console = Console(highlight=False)
    chosen = _modules(content, modules)
    if resume and path is None:
        path = _latest_answers_file()
    answers = _initial_answers(content, path, resume, console)
    if path is not None and is_workbook(path):
        path = _yaml_beside(path, console)
        save_answers(path, answers)  # at once: what the workbook held is in the YAML file before any prompt
    if group:
        answers = replace(answers, group=group)
    if shows_tip(resume, path, chosen):
        paragraph(console, "Astuce : « deployer learn enjeux » présente d'abord les enjeux et les concepts-clés ; "
                  "« deployer start --module enjeux » propose le quiz « mythes et réalités ».",
                  style="dim", first="", rest="")
    with _signals_as_interrupt():
        answers, saved = start_session(content, answers, path, chosen, console)
    _summary(console, chosen, answers, saved)


def shows_tip(resume: bool, path: Path | None, modules: list[Module]) -> bool:
    """The opening tip (learn enjeux, the quiz) is for a fresh walk, not when the quiz is already chosen."""
    return not resume and path is None and not any(m.quiz for m in modules)


@contextmanager
def _signals_as_interrupt() -> Iterator[None]:
    """SIGTERM and a closed terminal (SIGHUP) stop the walk like Ctrl-C: every confirmed
    answer is already on disk, and the user is told how to resume."""

    def interrupt(signum: int, frame: object) -> None:
        raise KeyboardInterrupt

    wanted = [s for s in ("SIGTERM", "SIGHUP") if hasattr(signal, s)]
    previous = {name: signal.signal(getattr(signal, name), interrupt) for name in wanted}
    try:
        yield
    finally:
        for name, handler in previous.items():
            signal.signal(getattr(signal, name), handler)


def _modules(content: Content, ids: list[str]) -> list[Module]:
    if not ids:
        return content.scored_modules
    known = {m.id: m for m in content.answerable_modules}
    unknown = [i for i in ids if i not in known]
    if unknown:
        raise DeployerError(
            f"module inconnu : {', '.join(unknown)}",
            hint=f"Modules permis : {', '.join(known)}.",
        )
    return [known[i] for i in ids]


def _latest_answers_file() -> Path:
    found = sorted(Path.cwd().glob(f"*{SUFFIX}"), key=lambda p: p.stat().st_mtime)
    if not found:
        raise DeployerError(
            f"aucun fichier « *{SUFFIX} » dans ce dossier à reprendre",
            hint="Donnez le fichier : deployer start --resume FICHIER, ou commencez : deployer start",
        )
    return Path(found[-1].name)


def _initial_answers(content: Content, path: Path | None, resume: bool, console: Console) -> Answers:
    empty = Answers(profile={}, content_version=content.version)
    if path is None:
        return empty
    if path.is_dir():
        raise AnswersError(f"« {path} » est un dossier, pas un fichier de réponses",
                           hint="Donnez un nom de fichier, par exemple : deployer start ma-commune-reponses.yaml")
    if not path.exists() and is_workbook(path):
        raise AnswersError(f"le classeur « {path} » est introuvable",
                           hint="Le parcours enregistre en YAML : deployer start ma-commune-reponses.yaml ; "
                           "un classeur à remplir s'obtient avec : deployer answers template --format xlsx")
    if not path.exists():
        if resume:
            raise AnswersError(f"le fichier « {path} » est introuvable", hint="Vérifiez le chemin.")
        return empty
    answers, problems = parse_answers_file(read_answers_bytes(path), path, content)
    if answers is None:
        raise AnswersError(
            f"le fichier « {path} » ne peut pas être repris",
            problems=problems.lines(),
            hint="Corrigez-le (deployer answers check FICHIER), ou choisissez un autre fichier.",
        )
    answers, dropped = _drop_bad_profile(content, answers)
    upgraded, notes = upgrade_answers(answers, content)
    notes = dropped + notes
    if answers.content_version != content.version:
        console.print(f"Ce fichier a été créé avec le contenu {answers.content_version or 'inconnu'} ; "
                      f"contenu actuel : {content.version}.", markup=False)
    for note in notes:
        console.print(f"  - {note}", markup=False, style="yellow")
    console.print(f"Reprise de « {path} ».", markup=False)
    return upgraded


def _yaml_beside(workbook: Path, console: Console) -> Path:
    """A walk saves its answers as it goes, in YAML: resuming a workbook continues in a YAML file
    next to it (« x-reponses.xlsx » → « x-reponses.yaml »); the workbook is left as it was."""
    target = workbook.with_suffix(".yaml")
    if target.exists():
        raise AnswersError(
            f"« {target} » existe déjà",
            hint=f"Reprenez plutôt ce fichier : deployer start --resume {target} ; ou déplacez-le, puis recommencez.",
        )
    note = (f"Le classeur « {workbook} » reste inchangé ; la suite du parcours est enregistrée dans « {target} » "
            f"(« deployer answers convert {target} -o {workbook.name} --force » remet les réponses dans le classeur).")
    console.print(fix_typography(note), markup=False)
    return target


def _drop_bad_profile(content: Content, answers: Answers) -> tuple[Answers, list[str]]:
    """The profile without values the walk cannot use, and a note for each (asked again)."""
    from deployer.answers.answers_file import value_problems

    given = {q.id: answers.profile.get(q.id) for q in content.profile.questions}
    bad = [qid for qid, value in given.items()
           if value is not None and value_problems(next(q for q in content.profile.questions if q.id == qid), value)]
    profile = {qid: value for qid, value in given.items() if value is not None and qid not in bad}
    notes = [f"profil › {qid} : valeur non permise (« {short(given[qid])} »), elle vous sera redemandée" for qid in bad]
    return replace(answers, profile=profile), notes


def _summary(console: Console, modules: list[Module], answers: Answers, path: Path | None) -> None:
    console.rule("Parcours terminé")
    for module in modules:
        given = answers.responses.get(module.id, {})
        asked = [q for q in module.walk_questions if is_asked(q, given)]  # not those hidden by `when`
        done = sum(1 for q in asked if given.get(q.id) is not None)
        console.print(f"  {module.title} : {done}/{len(asked)} réponses", markup=False)
    if path is not None:
        console.print(f"\nRéponses enregistrées dans « {path} ».", markup=False)
        console.print("Étapes suivantes :", markup=False)
        for line in next_steps(modules, path):
            console.print(line, markup=False)


def next_steps(modules: list[Module], path: Path) -> list[str]:
    """What to do with the file: a quiz-only file goes to the trainer; answers to modules are scored."""
    if not any(m.scored for m in modules):
        return [f"  remettez «\u00a0{path.name}\u00a0» à la personne qui anime l'atelier\u202f;",
                "  elle compare les groupes avec\u00a0: deployer workshop DOSSIER_DES_REPONSES/"]
    return [f"  deployer score {path.name}",
            "      (autodiagnostic : scores, signaux d'alerte, actions prioritaires)",
            f"  deployer generate {path.name} -o dossier",
            "      (cahier des charges, note de cadrage, budget, benchmark)"]
