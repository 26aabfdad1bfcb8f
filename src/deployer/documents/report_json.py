"""The readiness report as plain data (``report_to_dict``) and as stable JSON.

The dict is the one shape every consumer reads: ``--format json``, the HTML page and the
workshop mode. Its keys are documented in the README (« Format JSON du rapport »); change
``SCHEMA_VERSION`` when a key is removed or changes meaning.
"""

from __future__ import annotations

import json
from typing import Any

from deployer.analysis.assessment import Action, Assessment, Benchmark, ModuleScore, QuestionResult, Report, level
from deployer.schema.content import Content
from deployer.schema.models import SourceRef

SCHEMA_VERSION = 1
COLORS = {"prêt": "vert", "en progression": "orange", "à construire": "rouge", "non évalué": None}


def render_json(content: Content, report: Report) -> str:
    """Sorted keys, two-space indent, UTF-8 text: the same input gives the same bytes."""
    return json.dumps(report_to_dict(content, report), ensure_ascii=False, indent=2, sort_keys=True) + "\n"


def report_to_dict(content: Content, report: Report) -> dict[str, Any]:
    """The whole report: profile, scores, verdict, flags, actions and repères."""
    assessment = report.assessment
    band = next(b for b in content.profile.size_bands if b.id == assessment.size_band)
    overall = assessment.overall
    return {
        "schema_version": SCHEMA_VERSION,
        "content_version": content.version,
        "profile": {
            "name": assessment.name,
            "kind": report.kind,
            "population": report.population,
            "size_band": {"id": band.id, "label": band.label},
        },
        "overall": {"score": overall, "level": level(overall), "color": COLORS[level(overall)]},
        "verdict": verdict(assessment),
        "modules": [_module(m) for m in assessment.modules],
        "flags": [
            {
                "severity": f.flag.severity,
                "module": f.module,
                "question": f.question,
                "question_label": _label(content, f.module, f.question),
                "message": f.flag.message,
                "sources": sources(content, f.flag.sources),
            }
            for f in assessment.flags
        ],
        "actions": [_action(content, a) for a in report.actions],
        "benchmarks": [_benchmark(content, b) for b in report.benchmarks],
    }


def verdict(assessment: Assessment) -> dict[str, Any]:
    """Ready or not, and why: blocking flags first, then modules not yet « prêt »."""
    if assessment.blocking:
        status = "bloque"
    elif assessment.incomplete:
        status = "incomplet"
    elif assessment.ready:
        status = "pret"
    else:
        status = "a_renforcer"
    return {
        "ready": assessment.ready,
        "status": status,
        "blocking_flags": len(assessment.blocking),
        "incomplete_modules": [m.module.id for m in assessment.incomplete],
        "modules_to_strengthen": [m.module.id for m in assessment.modules if m.level != "prêt"],
    }


def sources(content: Content, refs: list[SourceRef]) -> list[dict[str, Any]]:
    """Source references with the document's title, for display."""
    return [{"id": r.source, "title": content.sources[r.source].title, "section": r.section} for r in refs]


def _label(content: Content, module_id: str, question_id: str) -> str:
    question = content.question(module_id, question_id)
    return question.label if question else question_id


def _module(score: ModuleScore) -> dict[str, Any]:
    return {
        "id": score.module.id,
        "title": score.module.title,
        "score": score.score,
        "level": score.level,
        "color": COLORS[score.level],
        "earned": score.earned,
        "possible": score.possible,
        "unanswered": score.unanswered,
        "questions": [_question(r) for r in score.results],
    }


def _question(result: QuestionResult) -> dict[str, Any]:
    return {
        "id": result.question.id,
        "label": result.question.label,
        "status": result.status,
        "answer": result.answer,
        "earned": result.earned,
        "possible": result.possible,
        "best": result.best,
        "practices": list(result.question.practices),
    }


def _action(content: Content, action: Action) -> dict[str, Any]:
    practice = action.practice
    return {
        "rank": action.rank,
        "module": action.module.id,
        "module_title": action.module.title,
        "question": action.question.id,
        "question_label": action.question.label,
        "answer": action.answer,
        "best": action.best,
        "gain": action.gain,
        "severity": action.flag.severity if action.flag else None,
        "flag_message": action.flag.message if action.flag else None,
        "practice": None if practice is None else {
            "id": practice.id,
            "statement": practice.statement,
            "why": practice.why,
            "examples": list(practice.examples),
            "sources": sources(content, practice.sources),
        },
    }


def _benchmark(content: Content, benchmark: Benchmark) -> dict[str, Any]:
    return {
        "module": benchmark.module.id,
        "question": benchmark.question.id,
        "question_label": benchmark.question.label,
        "answer": benchmark.answer,
        "text": benchmark.repere.text,
        "sources": sources(content, benchmark.repere.sources),
    }
