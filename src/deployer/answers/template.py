"""What describes the answers file to consultants: a commented template and a JSON Schema."""

from __future__ import annotations

import json
from typing import Any

from deployer.answers.answers_file import FORMAT_VERSION, MAX_TEXT
from deployer.schema.content import Content
from deployer.schema.models import UNKNOWN, Question

_KIND = {
    "choix": "une valeur",
    "multiple": "une liste de valeurs, par exemple [a, b]",
    "texte": "du texte entre guillemets",
    "entier": "un nombre entier",
}


def answers_template(content: Content) -> str:
    """A complete answers file where every question is a commented entry with its values."""
    lines = [
        "# Fichier de réponses deployer — modèle à remplir dans un éditeur.",
        "# Décommentez chaque réponse (retirez « # ») et choisissez parmi les valeurs listées.",
        "# Vérification : deployer answers check FICHIER",
        f"format: {FORMAT_VERSION}",
        f"version_contenu: {json.dumps(content.version)}",
        "profil:",
    ]
    for q in content.profile.questions:
        lines += _comment(q, "  ")
        lines.append(f"  {q.id}:")
    lines.append("reponses:")
    for module in content.answerable_modules:
        lines += ["", f"  # ── {module.title} ──", f"  {module.id}:"]
        for q in module.walk_questions:
            lines += _comment(q, "    ")
            lines.append(f"    # {q.id}: {_example(q)}")
    return "\n".join(lines) + "\n"


def _comment(q: Question, indent: str) -> list[str]:
    lines = [f"{indent}# {' '.join(q.label.split())} ({_KIND[q.type]})"]
    if q.when:
        lines.append(f"{indent}#   seulement si {q.when.question} vaut : {', '.join(q.when.values)}")
    for option in q.options:
        alone = " (seule\u00a0: ne se coche avec aucune autre)" if option.exclusive else ""
        lines.append(f"{indent}#   {option.value} : {' '.join(option.label.split())}{alone}")
    if q.allow_unknown:
        lines.append(f"{indent}#   {UNKNOWN} : Je ne sais pas")
    if q.type == "entier":
        lines.append(f"{indent}#   entre {q.min} et {q.max}")
    return lines


def _example(q: Question) -> str:
    if q.type == "choix":
        return q.options[0].value
    if q.type == "multiple":
        return f"[{q.options[0].value}]"
    if q.type == "entier":
        return str(q.min or 0)
    return '""'


def answers_json_schema(content: Content) -> dict[str, Any]:
    """A JSON Schema (draft 2020-12) of the answers file, for editor completion."""
    modules = {
        m.id: {
            "type": ["object", "null"],
            "title": m.title,
            "additionalProperties": False,
            "properties": {q.id: _question_schema(q) for q in m.walk_questions},
        }
        for m in content.answerable_modules
    }
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "title": f"Fichier de réponses deployer (contenu {content.version})",
        "type": "object",
        "additionalProperties": False,
        "required": ["format", "profil"],
        "properties": {
            "format": {"const": FORMAT_VERSION},
            "version_contenu": {"type": "string"},
            "groupe": {"type": ["string", "null"]},
            "en_cours": {"type": ["string", "null"]},
            "profil": {
                "type": "object",
                "additionalProperties": False,
                "properties": {q.id: _question_schema(q) for q in content.profile.questions},
            },
            "reponses": {"type": "object", "additionalProperties": False, "properties": modules},
            "obsoletes": {"type": "object"},
        },
    }


def _question_schema(q: Question) -> dict[str, Any]:
    values = q.allowed_values
    schema: dict[str, Any]
    if q.type == "choix":
        schema = {"enum": [*values, None]}
    elif q.type == "multiple":
        items = {"enum": [o.value for o in q.options]}
        array = {"type": "array", "items": items, "uniqueItems": True}
        unknown = [{"const": UNKNOWN}] if q.allow_unknown else []
        schema = {"anyOf": [array, *unknown, {"type": "null"}]}
    elif q.type == "entier":
        schema = {"type": ["integer", "null"], "minimum": q.min, "maximum": q.max}
        schema = {k: v for k, v in schema.items() if v is not None}
    else:
        schema = {"type": ["string", "null"], "maxLength": MAX_TEXT}
    return {"title": " ".join(q.label.split()), **({"description": q.help} if q.help else {}), **schema}
