"""Terminal rendering with rich. Content and user text are never read as markup."""

from __future__ import annotations

from rich.console import Console
from rich.markdown import Markdown
from rich.table import Table
from rich.text import Text

from deployer.assessment import Assessment, ModuleScore
from deployer.content import Content
from deployer.errors import DeployerError

_LEVEL_STYLE = {"prêt": "green", "en progression": "yellow", "à construire": "red", "non évalué": "dim"}
_SEVERITY_STYLE = {"bloquant": "bold red", "majeur": "yellow", "mineur": "cyan"}


def _console() -> Console:
    return Console(highlight=False)


def _score_text(score: int | None) -> str:
    return "—" if score is None else f"{score}/100"


def print_assessment(content: Content, assessment: Assessment) -> None:
    """The readiness report: scores, verdict, red flags, practices behind lost points."""
    console = _console()
    band = next(b.label for b in content.profile.size_bands if b.id == assessment.size_band)
    console.print(Text(f"Autodiagnostic — {assessment.name} ({band})", style="bold"))
    console.print(_scores_table(assessment))
    console.print(_verdict(assessment))
    if assessment.flags:
        console.print(Text("\nSignaux d'alerte", style="bold"))
        for raised in assessment.flags:
            line = Text(f"[{raised.flag.severity}] ", style=_SEVERITY_STYLE[raised.flag.severity])
            line.append(f"{raised.module} › {raised.question} : {raised.flag.message}")
            console.print(line)
    _print_lost_points(console, content, assessment)


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
    table.add_row(Text("Ensemble", style="bold"), _score_text(overall), Text(_level(overall)), "")
    return table


def _level(score: int | None) -> str:
    from deployer.assessment import level

    return level(score)


def _verdict(assessment: Assessment) -> Text:
    if assessment.blocking:
        return Text(f"Verdict : pas prêt à lancer la consultation — {len(assessment.blocking)} "
                    "signal(aux) bloquant(s) à lever d'abord.", style="bold red")
    if assessment.ready:
        return Text("Verdict : prêt à lancer la consultation.", style="bold green")
    return Text("Verdict : pas encore prêt — renforcez les modules « à construire » "
                "ou « en progression ».", style="bold yellow")


def _print_lost_points(console: Console, content: Content, assessment: Assessment) -> None:
    lost = sorted(
        ((m, r) for m in assessment.modules for r in m.results if r.status != "non_repondu" and r.lost),
        key=lambda mr: -mr[1].lost,
    )
    if not lost:
        return
    console.print(Text("\nPoints perdus et bonnes pratiques", style="bold"))
    for module, result in lost:
        console.print(Text(f"• {module.module.title} — {result.question.label} "
                           f"({result.earned}/{result.possible})"))
        for practice_id in result.question.practices:
            practice = content.practices[practice_id]
            examples = f" (ex. {', '.join(practice.examples)})" if practice.examples else ""
            console.print(Text(f"    ↳ {practice.statement}{examples}", style="green"))


def print_why(content: Content, assessment: Assessment, module_id: str) -> None:
    """Question by question: the answer, the points, the best answer and why."""
    score = next((m for m in assessment.modules if m.module.id == module_id), None)
    if score is None:
        allowed = ", ".join(m.module.id for m in assessment.modules)
        raise DeployerError(f"module inconnu : « {module_id} »", hint=f"Modules permis : {allowed}.")
    _why_table(_console(), content, score)


def _why_table(console: Console, content: Content, score: ModuleScore) -> None:
    console.print(Text(f"{score.module.title} — {_score_text(score.score)} ({score.level})", style="bold"))
    for r in score.results:
        console.print(Text(f"\n{r.question.label}", style="bold"))
        answer = {"non_repondu": "(non répondu)", "nsp": "Je ne sais pas"}.get(r.status, r.answer)
        console.print(Text(f"  Réponse : {answer} — {r.earned}/{r.possible} points"))
        if r.lost and r.best:
            console.print(Text(f"  Meilleure réponse : {r.best}", style="green"))
            for practice_id in r.question.practices:
                console.print(Text(f"  Pourquoi : {content.practices[practice_id].why}", style="dim"))


def print_modules(content: Content) -> None:
    """The list of modules, for ``deployer learn``."""
    console = _console()
    table = Table(title="Modules de la formation", title_justify="left")
    table.add_column("Identifiant", no_wrap=True)
    table.add_column("Module")
    table.add_column("Questions", justify="right")
    for m in content.modules:
        table.add_row(m.id, f"{m.order}. {m.title}\n{m.summary}", str(len(m.questions) or "—"))
    console.print(table)
    console.print("Détail d'un module : deployer learn IDENTIFIANT", markup=False)


def print_module(content: Content, module_id: str) -> None:
    """One module, readable in the terminal (Markdown through rich)."""
    module = content.module(module_id)
    if module is None:
        allowed = ", ".join(m.id for m in content.modules)
        raise DeployerError(f"module inconnu : « {module_id} »", hint=f"Modules permis : {allowed}.")
    from deployer.render.templates import render

    _console().print(Markdown(render("learn.md.j2", module=module, content=content)))
