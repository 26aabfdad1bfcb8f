"""The readiness report as one self-contained HTML page: inline CSS, inline SVG radar, no script.

The page is rendered from ``report_to_dict`` (the JSON shape) with autoescaping on, so
everything the user typed and everything from content/ is escaped.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from deployer.analysis.assessment import Report
from deployer.documents.report_json import report_to_dict
from deployer.documents.templates import render
from deployer.errors import DeployerError
from deployer.files import write_new_file
from deployer.french import fix_typography
from deployer.schema.content import Content

RADIUS = 125
CENTER = (280, 185)
RINGS = (40, 70, 100)  # the level thresholds, drawn as rings


@dataclass(frozen=True)
class Axis:
    """One module on the radar: its spoke end, its score point and its label position."""

    lines: list[str]
    score: int | None
    end: tuple[float, float]
    point: tuple[float, float]
    text_at: tuple[float, float]
    anchor: str


def radar(modules: list[dict[str, Any]]) -> dict[str, Any]:
    """Coordinates (in the SVG's 560 × 370 box) of a radar of module scores, first axis up."""
    axes = [_axis(i, len(modules), m) for i, m in enumerate(modules)]
    return {
        "axes": axes,
        "rings": [{"value": r, "points": _polygon([_at(i, len(modules), r) for i in range(len(modules))])}
                  for r in RINGS],
        "shape": _polygon([a.point for a in axes]),
    }


def _axis(index: int, count: int, module: dict[str, Any]) -> Axis:
    score = module["score"]
    x, y = _at(index, count, 100)
    tx, ty = _at(index, count, 112)
    anchor = "middle" if abs(x - CENTER[0]) < 1 else ("start" if x > CENTER[0] else "end")
    lines = _two_lines(module["title"])
    lines[-1] += f" ({'—' if score is None else score})"
    label_at = (tx, ty + (12 if ty > CENTER[1] + 1 else -4 - 16 * (len(lines) - 1)))
    return Axis(lines, score, (x, y), _at(index, count, score or 0), label_at, anchor)


def _two_lines(title: str) -> list[str]:
    """A label on one line, or on two lines split near its middle when long."""
    words = title.split()
    if len(title) <= 16 or len(words) < 2:
        return [title]
    cut = min(range(1, len(words)), key=lambda i: abs(len(" ".join(words[:i])) - len(" ".join(words[i:]))))
    return [" ".join(words[:cut]), " ".join(words[cut:])]


def _at(index: int, count: int, value: float) -> tuple[float, float]:
    angle = -math.pi / 2 + 2 * math.pi * index / count
    r = RADIUS * value / 100
    return (round(CENTER[0] + r * math.cos(angle), 1), round(CENTER[1] + r * math.sin(angle), 1))


def _polygon(points: list[tuple[float, float]]) -> str:
    return " ".join(f"{x},{y}" for x, y in points)


def render_html(content: Content, report: Report) -> str:
    """The HTML page of a report, with French non-breaking spaces before « : ; ? ! »."""
    data = report_to_dict(content, report)
    return fix_typography(render("rapport.html.j2", report=data, radar=radar(data["modules"])))


def export_report(content: Content, report: Report, fmt: str, output: Path | None, force: bool) -> str | None:
    """JSON or HTML text: written to ``output`` (atomically), or returned to be printed (JSON only)."""
    from deployer.documents.report_json import render_json

    if fmt not in ("json", "html"):
        raise DeployerError(f"format inconnu : « {fmt} »", hint="Formats permis : terminal, json, html.")
    if fmt == "html" and output is None:
        raise DeployerError("le format html demande un fichier de sortie",
                            hint="Ajoutez par exemple : -o rapport.html")
    text = render_json(content, report) if fmt == "json" else render_html(content, report)
    if output is None:
        return text
    write_new_file(output, text, force=force)
    return None
