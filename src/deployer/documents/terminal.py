"""Terminal rendering with rich. Content and user text are never read as markup."""

from __future__ import annotations

import textwrap

from rich.console import Console
from rich.markdown import Markdown
from rich.table import Table
from rich.text import Text

from deployer.analysis.assessment import MIN_ANSWERED, Assessment, Benchmark, ModuleScore, RaisedFlag, Report, level
from deployer.errors import DeployerError
from deployer.french import counted, fix_typography, number
from deployer.schema.content import Content
from deployer.schema.models import SourceRef

_LEVEL_STYLE = {"prêt": "green", "en progression": "yellow", "à construire": "red", "non évalué": "dim"}
MAX_BENCHMARKS = 3
_SEVERITY_STYLE = {"bloquant": "bold red", "majeur": "yellow", "mineur": "cyan"}


def _console() -> Console:
    return Console(highlight=False)


def _score_text(score: int | None) -> str:
    return "—" if score is None else f"{score}/100"


def print_assessment(content: Content, report: Report) -> None:
    """The readiness report, short: profile, scores, verdict, flags, five actions, repères."""
    console = _console()
    assessment = report.assessment
    console.print(Text(f"Autodiagnostic — {assessment.name}", style="bold"))
    paragraph(console, _profile_line(content, report), first="", rest="")
    console.print(_scores_table(assessment))
    _print_verdict(console, assessment)
    _print_flags(console, content, assessment)
    _print_actions(console, content, report)
    _print_benchmarks(console, content, report)
    modules = ", ".join(m.module.id for m in assessment.modules)
    console.print()
    paragraph(console, f"Détail question par question : deployer score FICHIER --why MODULE ({modules}).",
          style="dim", first="", rest="")


def _profile_line(content: Content, report: Report) -> str:
    band = next(b.label for b in content.profile.size_bands if b.id == report.assessment.size_band)
    parts = [report.kind] if report.kind else []
    if report.population is not None:
        parts.append(f"{number(report.population)} habitants")
    if report.population is None:  # the scoring needs a band: say it is assumed
        return f"Profil : {', '.join(parts) or 'non renseigné'} (population non renseignée : barème « {band} » " \
            "appliqué par défaut)"
    return f"Profil : {', '.join(parts)} (tranche : {band})"


def _scores_table(assessment: Assessment) -> Table:
    table = Table(title="Score par module", title_justify="left")
    table.add_column("Module")
    table.add_column("Score", justify="right", no_wrap=True)
    table.add_column("Niveau", no_wrap=True)
    table.add_column("Non répondu", justify="right")
    for m in assessment.modules:
        table.add_row(m.module.title, _score_text(m.score), Text(m.level, style=_LEVEL_STYLE[m.level]),
                      str(m.unanswered))
    overall = assessment.overall
    table.add_row(Text("Ensemble", style="bold"), _score_text(overall), Text(level(overall)), "")
    return table


def _print_verdict(console: Console, assessment: Assessment) -> None:
    weak = [m for m in assessment.modules if m.level != "prêt"]
    if assessment.blocking:
        paragraph(console, "Verdict : pas prêt à lancer la consultation — "
              f"{counted(len(assessment.blocking), 'signal bloquant', 'signaux bloquants')} à lever d'abord "
              "(voir ci-dessous).", style="bold red", first="", rest="")
    elif assessment.incomplete:
        missing = sum(m.unanswered for m in assessment.incomplete)
        paragraph(console, "Verdict : pas encore possible de juger — "
                  f"{counted(missing, 'question sans réponse', 'questions sans réponse')} dans "
                  f"{', '.join(m.module.title for m in assessment.incomplete)} (il faut au moins "
                  f"{round(MIN_ANSWERED * 100)} % de réponses par module). Complétez : "
                  "deployer start --resume FICHIER.", style="bold yellow", first="", rest="")
    elif assessment.ready:
        paragraph(console, "Verdict : prêt à lancer la consultation.", style="bold green", first="", rest="")
    else:
        paragraph(console, "Verdict : pas encore prêt à lancer la consultation.", style="bold yellow",
                  first="", rest="")
    if weak and not assessment.ready:
        paragraph(console, "Modules à renforcer :", first="", rest="")
    for m in weak if not assessment.ready else []:
        unanswered = counted(m.unanswered, "question non répondue", "questions non répondues")
        state = f"{_score_text(m.score)}, {m.level}" if m.score is not None else unanswered
        paragraph(console, f"• {m.module.title} — {state}")


def _print_flags(console: Console, content: Content, assessment: Assessment) -> None:
    """Blocking and major flags with their explanation and source; minor ones on one line each."""
    if not assessment.flags:
        return
    console.print(Text("\nSignaux d'alerte, du plus grave au moins grave", style="bold"))
    for raised in assessment.flags:
        _print_flag(console, content, raised, explain=raised.flag.severity != "mineur")
    if any(f.flag.severity == "mineur" for f in assessment.flags):
        paragraph(console, "Explication des signaux mineurs : --why MODULE ou --format html.", style="dim",
              first="", rest="")


def _print_flag(console: Console, content: Content, raised: RaisedFlag, explain: bool) -> None:
    question = content.question(raised.module, raised.question)
    label = question.label if question else raised.question
    paragraph(console, f"[{raised.flag.severity}] {label}", style=_SEVERITY_STYLE[raised.flag.severity], first="")
    if explain:
        paragraph(console, raised.flag.message)
        paragraph(console, citation(content, raised.flag.sources), style="dim")


def _print_actions(console: Console, content: Content, report: Report) -> None:
    if not report.actions:
        return
    console.print(Text(f"\n{counted(len(report.actions), 'action prioritaire', 'actions prioritaires')}",
                       style="bold"))
    for action in report.actions:
        severity = f"[{action.flag.severity}] " if action.flag else ""
        paragraph(console, f"{action.rank}. {severity}{action.module.title} — {action.question.label}",
              style="bold", first="")
        gain = f" (+{action.gain} points sur le module)" if action.gain else ""
        paragraph(console, f"Votre réponse : {action.answer or '—'}{gain}")
        if action.best:
            paragraph(console, f"Viser : {action.best}", style="green")
        if action.practice is not None:
            paragraph(console, f"Bonne pratique : {action.practice.statement}")
            paragraph(console, _examples(action.practice.examples))
            paragraph(console, citation(content, action.practice.sources), style="dim")


def _examples(examples: list[str]) -> str:
    if not examples:
        return "Exemple : aucune collectivité citée en exemple par la source."
    return f"Exemple{'s' if len(examples) > 1 else ''} : {', '.join(examples)}."


def _print_benchmarks(console: Console, content: Content, report: Report) -> None:
    """Repères where the answer lost points, actions first; the others are in --why and html."""
    lost = {(m.module.id, r.question.id) for m in report.assessment.modules for r in m.results if r.lost}
    order = {(a.module.id, a.question.id): a.rank for a in report.actions}
    relevant = [b for b in report.benchmarks if (b.module.id, b.question.id) in lost]
    relevant.sort(key=lambda b: order.get((b.module.id, b.question.id), len(order) + 1))
    shown = relevant[:MAX_BENCHMARKS]
    if shown:
        console.print(Text("\nRepères : où vous situez-vous ?", style="bold"))
    for benchmark in shown:
        paragraph(console, f"• {benchmark.question.label}", first="")
        paragraph(console, f"Votre réponse : {benchmark.answer}")
        paragraph(console, f"Repère : {benchmark.repere.text}")
        paragraph(console, citation(content, benchmark.repere.sources), style="dim")
    others = len(report.benchmarks) - len(shown)
    if others:
        console.print()
        paragraph(console, f"{counted(others, 'autre repère', 'autres repères')} : voir --why MODULE ou --format html.",
              style="dim", first="", rest="")


def paragraph(console: Console, text: str, style: str = "", first: str = "   ", rest: str = "   ") -> None:
    """A wrapped paragraph. textwrap, unlike rich, never breaks at a no-break space."""
    wrapped = textwrap.fill(fix_typography(text), width=max(console.width, 40),
                            initial_indent=first, subsequent_indent=rest, break_on_hyphens=False)
    console.print(Text(wrapped, style=style), soft_wrap=True)


def citation(content: Content, refs: list[SourceRef]) -> str:
    """The first source, title and section; the others are counted (all are in --format html/json)."""
    first = refs[0]
    text = f"Source : {content.sources[first.source].title}" + (f", « {first.section} »" if first.section else "")
    return text + (f" (et {counted(len(refs) - 1, 'autre')})" if len(refs) > 1 else "")


def print_why(content: Content, report: Report, module_id: str) -> None:
    """Question by question: the answer, the points, the best answer and why."""
    score = next((m for m in report.assessment.modules if m.module.id == module_id), None)
    if score is None:
        allowed = ", ".join(m.module.id for m in report.assessment.modules)
        raise DeployerError(f"module inconnu : « {module_id} »", hint=f"Modules permis : {allowed}.")
    console = _console()
    _why_table(console, content, score, report.benchmarks)
    flags = [f for f in report.assessment.flags if f.module == module_id]
    if flags:
        console.print(Text("\nSignaux d'alerte du module", style="bold"))
    for raised in flags:
        _print_flag(console, content, raised, explain=True)


def _why_table(console: Console, content: Content, score: ModuleScore, benchmarks: list[Benchmark]) -> None:
    console.print(Text(f"{score.module.title} — {_score_text(score.score)} ({score.level})", style="bold"))
    reperes = {b.question.id: b.repere for b in benchmarks if b.module.id == score.module.id}
    for r in score.results:
        console.print()
        paragraph(console, r.question.label, style="bold", first="", rest="")
        if r.status == "non_repondu":  # not counted in the module score (README, « Règles de notation »)
            paragraph(console, f"Réponse\u00a0: (non répondu) — non comptée ({r.possible} points possibles)",
                      first="  ", rest="    ")
        else:
            answer = "Je ne sais pas" if r.status == "nsp" else r.answer
            paragraph(console, f"Réponse\u00a0: {answer} — {r.earned}/{r.possible} points", first="  ", rest="    ")
        if r.lost and r.best:
            paragraph(console, f"Meilleure réponse\u00a0: {r.best}", style="green", first="  ", rest="    ")
            reasons = list(dict.fromkeys(content.practices[p].why for p in r.question.practices))
            if len(reasons) == 1:
                paragraph(console, f"Pourquoi\u00a0: {reasons[0]}", style="dim", first="  ", rest="    ")
            elif reasons:  # one « Pourquoi », then one line per practice
                console.print(Text("  Pourquoi\u00a0:", style="dim"))
                for reason in reasons:
                    paragraph(console, f"– {reason}", style="dim", first="    ", rest="      ")
        if r.question.id in reperes:
            repere = reperes[r.question.id]
            paragraph(console, f"Repère\u00a0: {repere.text} ({citation(content, repere.sources)})", style="dim",
                      first="  ", rest="    ")


def print_modules(content: Content) -> None:
    """The list of modules, for ``deployer learn``."""
    console = _console()
    table = Table(title="Modules de la formation", title_justify="left")
    table.add_column("Identifiant", no_wrap=True)
    table.add_column("Module")
    table.add_column("Questions", justify="right")
    for m in content.modules:
        table.add_row(m.id, f"{m.order}. {m.title}\n{m.summary}", str(len(m.walk_questions) or "—"))
    console.print(table)
    console.print("Détail d'un module : deployer learn IDENTIFIANT", markup=False)


def print_module(content: Content, module_id: str) -> None:
    """One module, readable in the terminal (Markdown through rich)."""
    module = content.module(module_id)
    if module is None:
        allowed = ", ".join(m.id for m in content.modules)
        raise DeployerError(f"module inconnu : « {module_id} »", hint=f"Modules permis : {allowed}.")
    from deployer.documents.templates import render

    _console().print(Markdown(fix_typography(render("learn.md.j2", module=module, content=content))))
