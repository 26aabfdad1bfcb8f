"""The questionnaire as a spreadsheet form (see ``workbook_layout``), filled with some answers."""

from __future__ import annotations

from typing import Any

from deployer.answers.answers_file import FORMAT_VERSION, Answers
from deployer.answers.workbook_layout import (
    KEY_GROUP,
    KEY_OBSOLETE,
    KEY_POSITION,
    KEY_VERSION,
    LISTS_SHEET,
    MARKER,
    MULTIPLE_HINT,
    TICK,
    Form,
    FormRow,
    FormSheet,
    RowKind,
    one_line,
)
from deployer.french import fix_typography
from deployer.schema.content import Content
from deployer.schema.models import UNKNOWN, UNKNOWN_LABEL, Module, Question


def shown(text: str | None) -> str:
    """A text as the sheet shows it: on one line, with French typography (the reader folds spaces)."""
    return fix_typography(one_line(text))


def marker() -> str:
    """The text of cell A1 of the first sheet: what the workbook is, and its format version."""
    return f"{MARKER} {FORMAT_VERSION}"


def question_key(module: str | None, question: str) -> str:
    """The hidden identifier of a question's row."""
    return f"profil.{question}" if module is None else f"reponses.{module}.{question}"


def build_form(content: Content, answers: Answers) -> Form:
    """The form for this content, filled with these answers (empty answers give the template)."""
    form = Form(marker())
    profile_rows = [_question_rows(form, None, q, answers.profile.get(q.id), "") for q in content.profile.questions]
    form.sheets.append(FormSheet("Profil", "Profil de la collectivité",
                                 [r for rows in profile_rows for r in rows] + _file_rows(answers)))
    used = {"Profil", LISTS_SHEET}
    for module in content.answerable_modules:
        given = answers.responses.get(module.id, {})
        rows = [r for q in module.walk_questions for r in _question_rows(
            form, module.id, q, given.get(q.id), _condition(module, q))]
        form.sheets.append(FormSheet(sheet_name(module.title, used), module.title, rows))
    return form


def sheet_name(title: str, used: set[str]) -> str:
    """A valid, unique sheet name (31 characters, none of []:*?/\\)."""
    base = "".join(" " if c in "[]:*?/\\" else c for c in title).strip()[:31] or "Module"
    name, n = base, 2
    while name in used:
        suffix = f" ({n})"
        name, n = base[: 31 - len(suffix)] + suffix, n + 1
    used.add(name)
    return name


def _question_rows(form: Form, module: str | None, q: Question, value: Any, when: str) -> list[FormRow]:
    key = question_key(module, q.id)

    def row(kind: RowKind, answer: str | int | None, **limits: int | None) -> FormRow:
        return FormRow(key, kind, shown(q.label), answer, shown(q.help), shown(q.why), when, **limits)

    if q.type == "choix":
        labels = [shown(o.label) for o in q.options] + ([UNKNOWN_LABEL] if q.allow_unknown else [])
        return [row("choix", _label(q, value), choices=form.add_list(key, labels, q.allowed_values))]
    if q.type == "multiple":
        options = [(o.value, shown(o.label)) for o in q.options]
        options += [(UNKNOWN, UNKNOWN_LABEL)] if q.allow_unknown else []
        marks = _marks(value, [v for v, _ in options])
        return [row("multiple", MULTIPLE_HINT)] + [
            FormRow(f"{key}={v}", "case", f"• {label}", answer=marks.get(v), high=len(options)) for v, label in options
        ]
    if q.type == "entier":
        return [row("entier", value, low=q.min, high=q.max)]
    return [row("texte", value if value is None else str(value))]


def _marks(value: Any, values: list[str]) -> dict[str, str | int]:
    """« x » for each ticked option; their ranks (1, 2…) when the answer lists them in another order
    than the questionnaire, so that the order given is kept."""
    chosen = value if isinstance(value, list) else [value]
    in_order = [v for v in values if v in chosen]
    if chosen == in_order:
        return {v: TICK for v in chosen}
    return {v: rank for rank, v in enumerate(chosen, start=1)}


def _label(q: Question, value: Any) -> str | None:
    if value is None:
        return None
    if value == UNKNOWN and q.allow_unknown:
        return UNKNOWN_LABEL
    option = q.option(value)
    return shown(option.label) if option else str(value)


def _condition(module: Module, q: Question) -> str:
    """« Si « Label » : A ou B » for a question asked only after some answers."""
    if q.when is None:
        return ""
    asked = next((other for other in module.walk_questions if other.id == q.when.question), None)
    if asked is None:
        return shown(f"Si {q.when.question} : {' ou '.join(q.when.values)}")
    labels = [UNKNOWN_LABEL if v == UNKNOWN else shown(o.label) if (o := asked.option(v)) else v
              for v in q.when.values]
    return shown(f"Seulement si « {asked.label} » : {' ou '.join(labels)}")


def _file_rows(answers: Answers) -> list[FormRow]:
    rows = [
        FormRow("", "section", "Ce fichier"),
        FormRow(KEY_VERSION, "info", "Version du contenu avec laquelle ce fichier a été rempli",
                answer=answers.content_version),
        FormRow(KEY_GROUP, "texte", "Groupe (ateliers de formation, facultatif)", answer=answers.group),
    ]
    if answers.position:
        rows.append(FormRow(KEY_POSITION, "info", "Question où le parcours s'est arrêté", answer=answers.position))
    if answers.obsolete:
        rows.append(FormRow(KEY_OBSOLETE, "info", "Réponses mises de côté (contenu modifié depuis)",
                            answer=dump_obsolete(answers.obsolete)))
    return rows


def dump_obsolete(obsolete: dict[str, Any]) -> str:
    """The answers set aside, as one line of YAML (read back by ``parse_yaml``)."""
    import yaml

    return yaml.safe_dump(obsolete, allow_unicode=True, default_flow_style=True, width=10**9).strip()

