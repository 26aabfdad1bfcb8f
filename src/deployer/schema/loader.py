"""Load and validate everything under content/ into one ``Content`` value, every problem at once."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from pydantic import BaseModel

from deployer.errors import ContentError
from deployer.french import counted
from deployer.schema.budget import BudgetModel
from deployer.schema.content import Content
from deployer.schema.models import Meta, Module, Practice, Profile, Source
from deployer.schema.prices import PriceEvidence
from deployer.schema.procurement import ProcurementRules
from deployer.schema.requirements import AwardCriteria, RequirementsFile
from deployer.schema.vendor_wording import VendorWording
from deployer.schema.vendors import BenchmarkCriterion, Vendor
from deployer.schema.yaml_files import Problem, Problems, YamlProblem, read_yaml, validate


def default_root() -> Path:
    """The content/ folder: $DEPLOYER_CONTENU if set (a trainer's own copy), else the shipped one."""
    import os

    from deployer.schema.resources import shipped

    custom = os.environ.get("DEPLOYER_CONTENU")
    return Path(custom) if custom else shipped("content")


def load_content(root: Path | None = None) -> Content:
    """Load content/, raising ContentError listing every problem at once. Content validated by an
    earlier run is reused when nothing it depends on has changed (deployer.schema.cache)."""
    from deployer.schema.cache import cached_content, keep_content

    folder = root or default_root()
    cached = cached_content(folder)
    if cached is not None:
        return cached
    content, problems = collect_content(folder)
    if problems or content is None:
        raise ContentError(
            f"le contenu de {folder} comporte {counted(problems.total, 'problème')}",
            problems=problems.lines(),
            hint="Corrigez ces fichiers, puis relancez « deployer content check ».",
        )
    keep_content(folder, content)
    return content


class _Reader:
    """Reads files of one content folder and accumulates problems."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.problems = Problems()
        self.cache: dict[str, Any] = {}

    def read(self, relative: str, optional: bool = False) -> Any:
        """A file's data, read once (benchmark.yaml holds two sections): a problem is reported once."""
        if relative not in self.cache:
            self.cache[relative] = self._read(relative, optional)
        return self.cache[relative]

    def _read(self, relative: str, optional: bool) -> Any:
        path = self.root / relative
        if optional and not path.exists():
            return None
        try:
            data = read_yaml(path, relative)
        except YamlProblem as exc:
            self.problems.append(exc.problem)
            return None
        if data is None:
            self.problems.append(Problem(relative, "", "fichier vide (ou fait seulement de commentaires)"))
        return data

    def items(self, relative: str, key: str, model: type[BaseModel], optional: bool = False) -> list[Any]:
        data = self.read(relative, optional)
        if data is None:
            return []
        if not isinstance(data, dict) or not isinstance(data.get(key), list):
            self.problems.append(Problem(relative, key, f"liste « {key} » attendue"))
            return []
        out = []
        for i, item in enumerate(data[key]):
            result = validate(model, item, relative, f"{key}[{i}]")
            if isinstance(result, list):
                self.problems += result
            else:
                out.append(result)
        return out

    def folder(self, name: str, model: type[BaseModel]) -> list[Any]:
        """Items of every YAML file of a folder, each file holding a list under ``name``."""
        return [
            item
            for path in sorted((self.root / name).glob("*.yaml"))
            for item in self.items(f"{name}/{path.name}", name, model)
        ]

    def one(self, relative: str, model: type[BaseModel], optional: bool = False, key: str | None = None) -> Any:
        """The file validated as ``model``; with ``key``, only that section of it (None when absent)."""
        data = self.read(relative, optional)
        if data is None:
            return None
        if key is not None:
            if not isinstance(data, dict) or key not in data:
                self.problems.append(Problem(relative, key, f"section « {key} » obligatoire manquante"))
                return None
            data = data[key]
        result = validate(model, data, relative, key or "")
        if isinstance(result, list):
            self.problems += result
            return None
        return result


def collect_content(root: Path) -> tuple[Content | None, Problems]:
    """Load content/ and return it with every problem found (schema and cross-references)."""
    from deployer.schema.rules import check_rules

    if not root.is_dir():
        return None, Problems([Problem(str(root), "", "dossier de contenu introuvable")])
    reader = _Reader(root)
    meta = reader.one("meta.yaml", Meta)
    sources = reader.folder("sources", Source)
    practices = reader.folder("practices", Practice)
    profile = reader.one("profile.yaml", Profile)
    read_modules = [
        (f"modules/{path.name}", reader.one(f"modules/{path.name}", Module))
        for path in sorted((root / "modules").glob("*.yaml"))
    ]
    modules = [m for _, m in read_modules if m is not None]
    vendors = reader.items("vendors.yaml", "vendors", Vendor, optional=True)
    wording = reader.one("benchmark.yaml", VendorWording, optional=True, key="libelles")
    criteria = reader.items("benchmark.yaml", "criteres", BenchmarkCriterion, optional=True)
    procurement = reader.one("procurement.yaml", ProcurementRules, optional=True)
    budget = reader.one("budget.yaml", BudgetModel, optional=True)
    prices = reader.one("prices/observations.yaml", PriceEvidence, optional=True)
    read_chapters = [
        (f"requirements/{path.name}", reader.one(f"requirements/{path.name}", RequirementsFile))
        for path in sorted((root / "requirements").glob("*.yaml"))
    ]
    chapters = sorted((f for _, f in read_chapters if f is not None), key=lambda f: f.chapitre.order)
    award_criteria = reader.one("award-criteria.yaml", AwardCriteria, optional=True)
    problems = reader.problems
    if meta is None or profile is None:
        return None, problems
    content = Content(
        root=root,
        meta=meta,
        sources={s.id: s for s in sources},
        practices={p.id: p for p in practices},
        profile=profile,
        modules=sorted(modules, key=lambda m: m.order),
        vendors=vendors,
        benchmark_criteria=criteria,
        vendor_wording=wording,
        procurement=procurement,
        budget=budget,
        prices=prices,
        module_files={m.id: file for file, m in read_modules if m is not None},
        requirements=[(f.chapitre, f.exigences) for f in chapters],
        requirement_files={f.chapitre.id: file for file, f in read_chapters if f is not None},
        award_criteria=award_criteria,
    )
    problems += check_rules(content, sources, practices)
    return content, problems


def check_content_folder(root: Path | None = None) -> str:
    """``deployer content check``: a French summary, or ContentError listing every problem."""
    from datetime import date

    from deployer.schema.vendors import stale_vendors

    content = load_content(root)
    questions = sum(len(m.questions) for m in content.scored_modules)
    summary = (
        f"Contenu {content.version} valide : {len(content.modules)} modules, {questions} questions, "
        f"{len(content.practices)} bonnes pratiques, {len(content.sources)} sources, "
        f"{len(content.vendors)} prestataires, "
        f"{sum(len(r) for _, r in content.requirements)} exigences de cahier des charges."
    )
    stale = stale_vendors(content.vendors, date.today())
    if stale:
        names = ", ".join(v.name for v in stale)
        summary += f"\nAvertissement : fiches prestataires à revérifier (date de revue dépassée) : {names}."
    return summary
