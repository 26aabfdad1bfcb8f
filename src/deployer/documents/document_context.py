"""What the dossier's templates read: the answers by (module, question), option labels, the
requirements chosen, the estimate, « [À COMPLÉTER : …] » markers and numbered references."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING, Any

from deployer.analysis.requirements import TODO
from deployer.answers.answers_file import Answers
from deployer.errors import ContentError
from deployer.french import number
from deployer.schema.content import Content

if TYPE_CHECKING:
    from deployer.analysis.budget import BudgetEstimate
    from deployer.analysis.budget.results import Lot
    from deployer.analysis.requirements import ChosenRequirement

REF = "\u27e6ref:{}\u27e7"  # numbered « [n] » once the CCTP is complete
_REF_MARKER = re.compile("\u27e6ref:([^\u27e7]+)\u27e7")
_REF_RUN = re.compile(r"\[\d+\](?: \[\d+\])+")  # « [7] [4] » is printed « [4] [7] »
ACCOMPANIMENT = ("animation", "moderation", "synthese", "mobilisation", "conception_participative")


@dataclass
class DocumentContext:
    """What templates see: answers by (module, question), option labels, and TODO markers."""

    content: Content
    answers: Answers
    today: date
    estimate: BudgetEstimate | None = None
    todos: list[str] = field(default_factory=list)
    cited: list[str] = field(default_factory=list)
    requirements: list[ChosenRequirement] = field(default_factory=list)

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

    @property
    def years_text(self) -> str:
        """The initial duration in years, for annual lines of the DPGF (« 1 », « 0,5 », « 2 »)."""
        months = self.estimate.duration_months if self.estimate else 12
        return f"{months / 12:g}".replace(".", ",")

    def titulaire(self, service: str) -> bool:
        """Whether the titulaire provides this service (« prestations » or a role answer), as the
        budget and the DPGF price it: the one rule every chapter follows."""
        return bool(self.estimate and service in self.estimate.service_ids)

    def conflict(self, service: str) -> bool:
        """Whether the service is asked for in « prestations » but kept in-house by a role answer."""
        from deployer.analysis.budget import role_conflicts

        return service in role_conflicts(self.content, self.answers)

    @property
    def accompaniment(self) -> bool:
        """Whether the titulaire provides any accompaniment besides training (allotment matters)."""
        return any(self.titulaire(s) for s in ACCOMPANIMENT)

    @property
    def hosting_conflict(self) -> bool:
        """Whether the offer includes hosting by the titulaire while hosting must stay in-house."""
        from deployer.analysis.budget import hosting_conflict

        return bool(self.estimate and hosting_conflict(self.content, self.answers, self.estimate.offer_model))

    @property
    def high_above_eu(self) -> bool:
        """Whether the high estimate reaches the EU threshold (formalised procedure)."""
        p = self.estimate.procurement if self.estimate else None
        return bool(p and p.legal_route.id == "procedure_formalisee")

    def value(self, module: str, question: str) -> Any:
        """The raw answer, or None (« Je ne sais pas » counts as no answer here)."""
        value = self.answers.get(module, question)
        return None if value == "nsp" else value

    def labels(self, module: str, question: str, without: tuple[str, ...] = ()) -> list[str]:
        """The labels of the chosen options, except those in ``without``."""
        value = self.value(module, question)
        q = self.content.question(module, question)
        if value is None or q is None:
            return []
        values = value if isinstance(value, list) else [value]
        return [o.label for v in values if v not in without and (o := q.option(v)) is not None]

    def label(self, module: str, question: str) -> str | None:
        """The chosen option's label (several joined), or None."""
        return "\u202f; ".join(self.labels(module, question)) or None

    def has(self, module: str, question: str, option: str) -> bool:
        """Whether the answer is, or includes, this option value."""
        value = self.value(module, question)
        return option in value if isinstance(value, list) else value == option

    def cite(self, refs: Any, sections: bool = True) -> str:
        """« Titre (éditeur, date), section » for each source reference, joined by « ; »."""
        parts = []
        for ref in refs:
            source = self.content.sources.get(ref.source)
            if source is not None:
                text = f"{source.title} ({source.publisher}, {source.date})"
                parts.append(f"{text}, {ref.section}" if ref.section and sections else text)
        return " ; ".join(dict.fromkeys(parts))

    def ref(self, source_id: str) -> str:
        """A marker for « [n] », the number of a text in the list of references closing the document;
        numbers are given once the document is complete (``number_references``)."""
        if source_id not in self.content.sources:
            raise ContentError(f"le cahier des charges cite la source « {source_id} », absente de content/sources",
                               hint="Ajoutez-la à un fichier de content/sources/, puis : deployer content check")
        return REF.format(source_id)

    def number_references(self, text: str) -> str:
        """Replace the markers of ``ref`` by « [n] », numbered in order of first appearance in ``text``."""
        for source_id in _REF_MARKER.findall(text):
            if source_id not in self.cited:
                self.cited.append(source_id)
        numbered = _REF_MARKER.sub(lambda m: f"[{self.cited.index(m.group(1)) + 1}]", text)
        return _REF_RUN.sub(lambda m: " ".join(sorted(m.group(0).split(" "), key=lambda r: int(r[1:-1]))), numbered)

    def name_references(self, text: str) -> str:
        """Replace the markers of ``ref`` by the texts' titles (outside the CCTP)."""
        return _REF_MARKER.sub(lambda m: f"[{self.content.sources[m.group(1)].title}]", text)

    @property
    def references(self) -> list[Any]:
        """The cited sources, in order of first citation."""
        return [self.content.sources[source_id] for source_id in self.cited]

    def requirement_groups(self, section: str) -> list[tuple[str, list[ChosenRequirement]]]:
        """(chapter title, requirements) of the catalogue chosen for one part of the CCTP."""
        from deployer.analysis.requirements import by_section

        return by_section(self.requirements, section)

    @property
    def lots(self) -> list[tuple[Lot, list[ChosenRequirement]]]:
        """Each lot with its requirements when the purchase is allotted; empty otherwise."""
        from deployer.analysis.requirements import by_lot

        return by_lot(self.requirements, self.estimate)

    @property
    def lot_numbers(self) -> dict[str, int]:
        """Each requirement's lot number (1, 2…) when the purchase is allotted; empty otherwise."""
        return {r.id: number for number, (_, chosen) in enumerate(self.lots, start=1) for r in chosen}

    def chapter_intro(self, chapter_id: str) -> str | None:
        """The catalogue chapter's sentence for candidates, if any."""
        return next((c.intro for c, _ in self.content.requirements if c.id == chapter_id), None)

    def requirements_in(self, section: str) -> list[ChosenRequirement]:
        """The requirements chosen for one part of the CCTP, all chapters together."""
        return [r for r in self.requirements if r.section == section]

    def requirements_for(self, service: str) -> list[ChosenRequirement]:
        """The requirements that apply because the titulaire provides this service (« moderation »…)."""
        return [r for r in self.requirements if service in r.services]

    def requirement_text(self, requirement: ChosenRequirement) -> str:
        """The requirement's text, its open points listed to complete and its sources numbered."""
        for point in requirement.open_points:
            self.todo(point)
        refs = " ".join(self.ref(source) for source in dict.fromkeys(s.source for s in requirement.sources))
        return f"{requirement.text} {refs}".rstrip()

    def todo(self, what: str) -> str:
        """A visible « [À COMPLÉTER : …] » marker, also listed in the final checklist."""
        if what not in self.todos:
            self.todos.append(what)
        return TODO.format(what)

    def _option_label(self, questions: Any, qid: str, value: Any) -> str:
        question = next((q for q in questions if q.id == qid), None)
        option = question.option(value) if question and isinstance(value, str) else None
        return option.label.lower() if option else self.todo("type de collectivité")
