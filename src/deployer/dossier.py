"""The dossier: every document generated from (content, answers), as {file name: text}."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from deployer.answers import Answers
from deployer.content import Content
from deployer.french import fix_typography, number

CCTP_SECTIONS = [
    "00-en-tete", "01-contexte", "02-objet", "03-besoins-fonctionnels", "04-publics-inclusion",
    "05-donnees", "06-hebergement", "07-accompagnement", "08-evaluation", "09-calendrier",
    "10-criteres", "11-prix", "12-glossaire",
]
TODO = "[À COMPLÉTER : {}]"


@dataclass
class DocumentContext:
    """What templates see: answers by (module, question), option labels, and TODO markers."""

    content: Content
    answers: Answers
    today: date
    todos: list[str] = field(default_factory=list)

    @property
    def name(self) -> str:
        """The collectivité's name (user text: templates escape it)."""
        return self.answers.name

    @property
    def type_label(self) -> str:
        """The collectivité's type, as labelled in the profile questions."""
        return self._option_label(self.content.profile.questions, "type", self.answers.profile.get("type"))

    @property
    def population_text(self) -> str:
        """« 42 000 habitants », or a TODO."""
        population = self.answers.population
        return f"{number(population)} habitants" if population else self.todo("nombre d'habitants")

    @property
    def date_text(self) -> str:
        """The generation date, e.g. « 21/11/2026 »."""
        return self.today.strftime("%d/%m/%Y")

    def value(self, module: str, question: str) -> Any:
        """The raw answer, or None (« Je ne sais pas » counts as no answer here)."""
        value = self.answers.get(module, question)
        return None if value == "nsp" else value

    def labels(self, module: str, question: str) -> list[str]:
        """The labels of the chosen options."""
        value = self.value(module, question)
        q = self.content.question(module, question)
        if value is None or q is None:
            return []
        values = value if isinstance(value, list) else [value]
        return [o.label for v in values if (o := q.option(v)) is not None]

    def label(self, module: str, question: str) -> str | None:
        """The chosen option's label (several joined), or None."""
        return "\u202f; ".join(self.labels(module, question)) or None

    def has(self, module: str, question: str, option: str) -> bool:
        """Whether the answer is, or includes, this option value."""
        value = self.value(module, question)
        return option in value if isinstance(value, list) else value == option

    def todo(self, what: str) -> str:
        """A visible « [À COMPLÉTER : …] » marker, also listed in the final checklist."""
        if what not in self.todos:
            self.todos.append(what)
        return TODO.format(what)

    def _option_label(self, questions: Any, qid: str, value: Any) -> str:
        question = next((q for q in questions if q.id == qid), None)
        option = question.option(value) if question and isinstance(value, str) else None
        return option.label.lower() if option else self.todo("type de collectivité")


def render_cctp(content: Content, answers: Answers, today: date) -> str:
    """The draft cahier des charges (Markdown), section by section, then the checklist."""
    from deployer.render.templates import render

    doc = DocumentContext(content, answers, today)
    body = "".join(render(f"cahier_des_charges/{s}.md.j2", doc=doc) for s in CCTP_SECTIONS)
    return body + render("cahier_des_charges/99-a-completer.md.j2", todos=doc.todos)


def build_dossier(
    content: Content, answers: Answers, today: date | None = None, staff_cost_per_etp: int | None = None
) -> dict[str, str | bytes]:
    """Every file of the dossier, in memory, ready to be written at once."""
    from deployer.benchmark import build_benchmark
    from deployer.budget import estimate_budget, render_budget_markdown
    from deployer.render.budget_tables import budget_csv, budget_xlsx

    today = today or date.today()
    estimate = estimate_budget(content, answers, today=today, staff_cost_per_etp=staff_cost_per_etp)
    return {
        "cahier-des-charges.md": render_cctp(content, answers, today),
        "budget.md": render_budget_markdown(estimate, answers),
        "budget.csv": budget_csv(estimate),
        "budget.xlsx": budget_xlsx(estimate),
        **build_benchmark(content, answers, today),
    }


def build_demo(content: Content, examples: list[Path], today: date | None = None) -> dict[str, str | bytes]:
    """The demonstration folder: per example collectivité, its answers file and its dossier; an index."""
    from deployer.answers import SUFFIX, read_answers
    from deployer.render.templates import render

    files: dict[str, str | bytes] = {}
    entries = []
    for path in examples:
        answers = read_answers(path, content)
        folder = path.name.removesuffix(SUFFIX)
        dossier = build_dossier(content, answers, today)
        files[f"{folder}/{path.name}"] = path.read_bytes()
        files.update({f"{folder}/{name}": data for name, data in dossier.items()})
        entries.append({"folder": folder, "answers": path.name, "doc": DocumentContext(content, answers, today
                        or date.today()), "files": list(dossier)})
    files["README.md"] = fix_typography(render("demo-index.md.j2", entries=entries))
    return files
