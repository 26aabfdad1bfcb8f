"""The workshop view three ways: a projector-friendly terminal, a self-contained HTML page, JSON.

Group names and file names are user text: never read as Rich markup, escaped in HTML.
No dim text: a projector washes it out; secondary lines are plain, headings bold.
"""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

from rich.console import Console
from rich.table import Table
from rich.text import Text

from deployer.analysis.assessment import LEVELS
from deployer.analysis.workshop import Spread, Workshop
from deployer.french import NBSP as _NBSP
from deployer.french import counted, fix_typography, visible
from deployer.schema.content import Content
from deployer.schema.models import QUIZ_LABELS, SourceRef

JSON_FORMAT = "deployer-atelier"
JSON_VERSION = 2  # 2: counts out of the groups that treated the module (« sur »)
BAR_WIDTH = 24
TOP_FLAGS = 5
NAMED_GROUPS = 12  # beyond this many groups, the room reads counts, not lists of names
_SEVERITY_STYLE = {"bloquant": "bold red", "majeur": "bold yellow", "mineur": "bold cyan"}


# -- terminal --------------------------------------------------------------------------


def print_workshop(workshop: Workshop, console: Console | None = None) -> None:
    """Large, high-contrast, little clutter: scores, spreads, top flags, prompts, quiz."""
    console = console or Console(highlight=False)
    _print_header(console, workshop)
    if workshop.groups and workshop.modules:
        console.print(_scores_table(workshop))
        _print_legend(console, workshop)
    for module, title in workshop.modules:
        _title(console, f"Réponses — {title}")
        untreated = workshop.untreated.get(module, [])
        if len(untreated) == len(workshop.groups):
            console.print(Text("Aucun groupe n'a traité ce module."))
            continue
        if untreated:
            console.print(Text(f"module non traité{_NBSP}: {_who(untreated, len(workshop.groups))}"))
        for spread in workshop.spreads:
            if spread.module == module:
                _print_spread(console, spread)
    _print_flags(console, workshop)
    _print_discussions(console, workshop)
    _print_quiz(console, workshop)


def _who(groups: list[str], total: int) -> str:
    """The groups' names, or just how many when the room is too large to read names."""
    return ", ".join(groups) if total <= NAMED_GROUPS else counted(len(groups), "groupe")


def _title(console: Console, text: str) -> None:
    console.print()
    console.print(Text(f" {text} ", style="bold reverse"))


def _print_header(console: Console, workshop: Workshop) -> None:
    n = len(workshop.groups)
    scope = f"module « {workshop.modules[0][1]} »" if workshop.module and workshop.modules else "tous les modules"
    if workshop.module and workshop.quiz and not workshop.modules:
        scope = "quiz « mythes et réalités »"
    console.print(Text(f"ATELIER — {n} groupe{'s' if n > 1 else ''} — {scope}", style="bold"))
    if workshop.upgraded:
        older = ", ".join(f"{g.label} ({g.upgraded_from})" for g in workshop.groups if g.upgraded_from)
        console.print(Text(f"{counted(workshop.upgraded, 'fichier')} d'une version antérieure du contenu, "
                           "mis à jour vers "
                           f"{workshop.content_version} (réponses à des questions modifiées mises de côté){_NBSP}: "
                           f"{older}", style="yellow"))
    if workshop.rejected:
        console.print(Text(f"Fichiers écartés ({len(workshop.rejected)}){_NBSP}:", style="bold red"))
        for r in workshop.rejected:
            console.print(Text(visible(f"  ✗ {r.path} — {r.reason}")))
    if not workshop.groups:
        console.print(Text("Aucun fichier de réponses utilisable.", style="bold red"))


def _score_cell(score: int | None) -> Text:
    if score is None:
        return Text("—")
    style = "bold green" if score >= 70 else "bold yellow" if score >= 40 else "bold red"
    return Text(str(score), style=style)


def _scores_table(workshop: Workshop) -> Table:
    table = Table(title="Scores par groupe (0 à 100)", title_justify="left", title_style="bold reverse",
                  header_style="bold", show_lines=False, pad_edge=True)
    table.add_column("Groupe", style="bold", overflow="fold")
    numbered = len(workshop.modules) > 2  # titles would crowd out the group names: a legend instead
    for number, (_, title) in enumerate(workshop.modules, start=1):
        table.add_column(f"M{number}" if numbered else title, justify="right")
    overall = _shows_overall(workshop)
    if overall:
        table.add_column("Ensemble", justify="right")
    for g in workshop.groups:
        cells = [_score_cell(g.scores[m]) for m, _ in workshop.modules]
        if overall:
            cells.append(_score_cell(g.overall))
        table.add_row(Text(g.label), *cells)
    return table


def _shows_overall(workshop: Workshop) -> bool:
    """« Ensemble » only for the whole walk, and only when some group treated every module."""
    return workshop.module is None and any(g.overall is not None for g in workshop.groups)


def _print_legend(console: Console, workshop: Workshop) -> None:
    if len(workshop.modules) > 2:
        for number, (_, title) in enumerate(workshop.modules, start=1):
            console.print(Text(f"  M{number}  {title}"))
    if any(score is None for g in workshop.groups for score in g.scores.values()):
        console.print(Text("  —  module non traité par le groupe, ou sans réponse notée"))
    if _shows_overall(workshop) and workshop.partial_overall:
        console.print(Text(f"  Ensemble{_NBSP}: seulement pour les groupes qui ont traité les "
                           f"{len(workshop.modules)} modules"))


def bar(count: int, total: int, width: int = BAR_WIDTH) -> str:
    """A text bar of ``count`` out of ``total``, ``width`` characters at most."""
    filled = round(width * count / total) if total else 0
    return "█" * filled + "·" * (width - filled)


def _print_spread(console: Console, spread: Spread) -> None:
    total = spread.out_of
    console.print()
    console.print(Text(spread.label, style="bold"))
    rows = [(o.label, o.groups) for o in spread.options]
    rows += [(label, groups) for label, groups in (("Je ne sais pas", spread.unknown),
                                                   ("Non répondu", spread.unanswered)) if groups]
    grid = Table.grid(padding=(0, 1), pad_edge=True)
    grid.add_column(no_wrap=True)
    grid.add_column(justify="right", no_wrap=True)
    grid.add_column()
    for label, groups in rows:
        text = Text(label, style="bold" if groups else "")
        if groups and total <= NAMED_GROUPS:
            text.append(f"  ({', '.join(groups)})", style="")
        grid.add_row(Text(f" {bar(len(groups), total)}", style="bold" if groups else ""),
                     Text(str(len(groups)), style="bold"), text)
    console.print(grid)
    if spread.not_asked:
        console.print(Text(f"  non concernés{_NBSP}: {_who(spread.not_asked, total)}"))


def _print_flags(console: Console, workshop: Workshop) -> None:
    if not workshop.flags:
        return
    _title(console, "Signaux d'alerte les plus partagés")
    if any(f.out_of < len(workshop.groups) for f in workshop.flags):
        console.print(Text("Sur les groupes qui ont traité le module du signal."))
    for flag in workshop.flags[:TOP_FLAGS]:
        line = Text(f"{len(flag.groups)}/{flag.out_of} groupe{'s' if flag.out_of > 1 else ''} ", style="bold")
        line.append(f"[{flag.severity}] ", style=_SEVERITY_STYLE[flag.severity])
        line.append(flag.message)
        console.print(line)
        if len(workshop.groups) <= NAMED_GROUPS:
            console.print(Text(f"    {', '.join(flag.groups)}"))
    if len(workshop.flags) > TOP_FLAGS:
        console.print(Text(f"… et {counted(len(workshop.flags) - TOP_FLAGS, 'autre')} (détail{_NBSP}: --format html)"))


def _print_discussions(console: Console, workshop: Workshop) -> None:
    if workshop.module is None:
        if workshop.discussions:
            console.print(Text(f"\nQuestions de discussion d'un module{_NBSP}: deployer workshop … --module MODULE"))
        return
    for d in workshop.discussions:
        _title(console, f"À discuter — {d.title} ({d.duration_minutes} min)")
        for i, prompt in enumerate(d.prompts, start=1):
            console.print(Text(f"{i}. {prompt}", style="bold"))
        console.print(Text(f"Exercice{_NBSP}: {d.exercise}"))


def _print_quiz(console: Console, workshop: Workshop) -> None:
    if not workshop.quiz:
        return
    _title(console, "Quiz « mythes et réalités »")
    if all(t.out_of == 0 for t in workshop.quiz):
        console.print(Text("Aucun groupe n'a encore répondu au quiz (deployer start --module enjeux)."))
        return
    everyone = len(workshop.groups)
    absent = _quiz_absent(workshop)
    if absent:
        console.print(Text(f"quiz non joué{_NBSP}: {_who(absent, everyone)}"))
    for t in workshop.quiz:
        total = t.out_of
        right = len(t.right)
        line = Text(f"{bar(right, total, 10)} {right}/{total} bonne{'s' if right > 1 else ''} "
                    f"réponse{'s' if right > 1 else ''}  ", style="bold")
        line.append(f"{QUIZ_LABELS[t.expected]} — ", style="bold")
        line.append(t.statement)
        console.print(line)
        if t.wrong and everyone <= NAMED_GROUPS:
            wrong = ", ".join(f"{g} ({QUIZ_LABELS.get(a, a)})" for g, a in t.wrong.items())
            console.print(Text(f"    autre réponse{_NBSP}: {wrong}"))
        elif t.wrong:
            answers = [QUIZ_LABELS.get(a, a) for a in t.wrong.values()]
            tally = ", ".join(f"{label} {answers.count(label)}" for label in dict.fromkeys(answers))
            console.print(Text(f"    autre réponse{_NBSP}: {tally}"))
        if t.unanswered:
            console.print(Text(f"    sans réponse{_NBSP}: {_who(t.unanswered, everyone)}"))


def _quiz_absent(workshop: Workshop) -> list[str]:
    """The groups that did not play the quiz shown (the quiz is in the unscored module 0)."""
    scored = dict(workshop.modules)
    return list(dict.fromkeys(g for m, groups in workshop.untreated.items() if m not in scored for g in groups))


# -- JSON ------------------------------------------------------------------------------


def _sources(content: Content, refs: list[SourceRef]) -> list[dict[str, Any]]:
    return [
        {"source": r.source, "titre": content.sources[r.source].title if r.source in content.sources else None,
         "section": r.section}
        for r in refs
    ]


def workshop_json(content: Content, workshop: Workshop) -> dict[str, Any]:
    """A stable, documented structure (README, « Mode atelier »); keys follow the answers file."""
    return {
        "format": JSON_FORMAT,
        "version": JSON_VERSION,
        "version_contenu": workshop.content_version,
        "module": workshop.module,
        "modules": [{"id": m, "titre": t} for m, t in workshop.modules],
        "groupes": [
            {"nom": g.label, "fichier": g.file, "scores": g.scores, "ensemble": g.overall,
             "modules_traites": g.treated, "mis_a_jour_depuis": g.upgraded_from}
            for g in workshop.groups
        ],
        "repartition": [
            {"module": s.module, "question": s.question, "libelle": s.label,
             "options": [{"valeur": o.value, "libelle": o.label, "nombre": o.count, "groupes": o.groups}
                         for o in s.options],
             "nsp": s.unknown, "non_repondu": s.unanswered, "non_concerne": s.not_asked, "sur": s.out_of}
            for s in workshop.spreads
        ],
        "signaux": [
            {"module": f.module, "question": f.question, "gravite": f.severity, "message": f.message,
             "nombre": len(f.groups), "sur": f.out_of, "groupes": f.groups, "sources": _sources(content, f.sources)}
            for f in workshop.flags
        ],
        "discussion": [
            {"module": d.module, "titre": d.title, "duree_minutes": d.duration_minutes,
             "questions": d.prompts, "exercice": d.exercise}
            for d in workshop.discussions
        ],
        "quiz": [
            {"id": t.id, "enonce": t.statement, "reponse_attendue": t.expected, "justification": t.evidence,
             "sources": _sources(content, t.sources), "justes": t.right, "autres_reponses": t.wrong,
             "non_repondu": t.unanswered, "sur": t.out_of}
            for t in workshop.quiz
        ],
        "non_traite": workshop.untreated,
        "fichiers_ecartes": [{"fichier": visible(str(r.path)), "raison": visible(r.reason)} for r in workshop.rejected],
    }


# -- HTML ------------------------------------------------------------------------------


_LEVEL_STYLES = (("good", "vert"), ("mid", "orange"), ("low", "rouge"))  # CSS class and colour, by LEVELS


def _level_class(score: int | None) -> str:
    """The CSS class of a score's level (none for a missing score)."""
    if score is None:
        return ""
    return next(css for (floor, _), (css, _) in zip(LEVELS, _LEVEL_STYLES, strict=True) if score >= floor)


def _place(content: Content, module: str, question: str) -> str:
    """« Module › question » as the user reads them, never the internal ids."""
    m, q = content.module(module), content.question(module, question)
    return f"{m.title if m else module} › {q.label if q else question}"


def workshop_html(content: Content, workshop: Workshop) -> str:
    """A self-contained page: inline CSS and SVG bars, no script, no network; user text escaped."""
    from deployer.documents.templates import render

    return fix_typography(render("atelier.html.j2", **_html_context(content, workshop, reveal=True)))


def workshop_view_html(content: Content, workshop: Workshop, reveal: bool) -> str:
    """The page's body alone (the live session's projector); ``reveal``: the quiz's expected answers."""
    from deployer.documents.templates import render

    return fix_typography(render("atelier-vue.html.j2", **_html_context(content, workshop, reveal)))


def _html_context(content: Content, workshop: Workshop, reveal: bool) -> dict[str, Any]:
    levels = [(floor, name, css, colour) for (floor, name), (css, colour) in zip(LEVELS, _LEVEL_STYLES, strict=True)]
    return {"w": workshop_json(content, workshop), "total": len(workshop.groups), "quiz_labels": QUIZ_LABELS,
            "overall": _shows_overall(workshop), "partial_overall": workshop.partial_overall,
            "quiz_absent": _quiz_absent(workshop), "levels": levels, "level_class": _level_class,
            "place": lambda module, question: _place(content, module, question), "reveal": reveal}


# -- choosing the format ---------------------------------------------------------------

FORMATS = ("terminal", "html", "json")


def render_workshop(content: Content, workshop: Workshop, fmt: str, output: Path | None, force: bool) -> None:
    """Show the workshop in the chosen format, on screen or into ``output`` (atomically)."""
    import json

    from deployer.errors import DeployerError
    from deployer.files import write_new_file

    if fmt not in FORMATS:
        raise DeployerError(f"format inconnu : « {fmt} »", hint=f"Formats permis : {', '.join(FORMATS)}.")
    if fmt == "terminal" and output is None:
        print_workshop(workshop)
        return
    if fmt == "html":
        text = workshop_html(content, workshop)
    elif fmt == "json":
        text = json.dumps(workshop_json(content, workshop), ensure_ascii=False, indent=2) + "\n"
    else:
        console = Console(record=True, file=io.StringIO(), width=100, highlight=False, color_system=None)
        print_workshop(workshop, console)
        text = console.export_text()
    if output is None:
        print(text, end="")
        return
    write_new_file(output, text, force=force)
    print(f"Vue d'atelier écrite dans « {output} » ({counted(len(workshop.groups), 'groupe')}).")
