"""The ``Content`` value: everything under content/, validated, with lookups by id.

Loading and checking it is ``deployer.schema.loader``'s job.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

from deployer.errors import ContentError
from deployer.schema.budget import BudgetModel
from deployer.schema.models import Meta, Module, Practice, Profile, Question, SizeBand, Source
from deployer.schema.prices import PriceEvidence
from deployer.schema.procurement import ProcurementRules
from deployer.schema.requirements import AwardCriteria, Chapter, Requirement
from deployer.schema.vendor_wording import VendorWording
from deployer.schema.vendors import BenchmarkCriterion, Vendor


@dataclass(frozen=True)
class Content:
    """Every piece of content, validated, with lookups by id."""

    root: Path
    meta: Meta
    sources: dict[str, Source]
    practices: dict[str, Practice]
    profile: Profile
    modules: list[Module]
    vendors: list[Vendor] = field(default_factory=list)
    benchmark_criteria: list[BenchmarkCriterion] = field(default_factory=list)
    vendor_wording: VendorWording | None = None
    procurement: ProcurementRules | None = None
    budget: BudgetModel | None = None
    prices: PriceEvidence | None = None
    module_files: dict[str, str] = field(default_factory=dict)
    requirements: list[tuple[Chapter, list[Requirement]]] = field(default_factory=list)
    requirement_files: dict[str, str] = field(default_factory=dict)
    award_criteria: AwardCriteria | None = None

    @property
    def version(self) -> str:
        """The content version recorded in answers files."""
        return self.meta.version

    @property
    def wording(self) -> VendorWording:
        """The wording of the catalogue and the shortlist (« deployer content check » requires it)."""
        if self.vendor_wording is None:
            raise ContentError("le contenu n'a pas de libellés du comparatif (benchmark.yaml › libelles)",
                               hint="Lancez « deployer content check » pour le détail.")
        return self.vendor_wording

    @property
    def scored_modules(self) -> list[Module]:
        """The five modules of the walk, in order."""
        return [m for m in self.modules if m.scored]

    @property
    def answerable_modules(self) -> list[Module]:
        """Modules an answers file may hold answers for: the scored ones and the quiz."""
        return [m for m in self.modules if m.walk_questions]

    def module(self, module_id: str) -> Module | None:
        """A module by id."""
        return next((m for m in self.modules if m.id == module_id), None)

    def question(self, module_id: str, question_id: str) -> Question | None:
        """A question by module and id."""
        return self._questions.get((module_id, question_id))

    @cached_property
    def _questions(self) -> dict[tuple[str, str], Question]:
        """Every answerable question by (module, question): files are checked answer by answer."""
        return {(m.id, q.id): q for m in self.modules for q in m.walk_questions}

    def size_band(self, population: int) -> SizeBand:
        """The size band a population falls in."""
        for band in self.profile.size_bands:
            if population >= band.min and (band.max is None or population < band.max):
                return band
        return self.profile.size_bands[-1]
