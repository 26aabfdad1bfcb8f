"""The package layout follows the flow of data: imports only point down the stages.

schema → answers → analysis → documents → walk / live → cli (see README « Architecture »).
"""

from __future__ import annotations

import ast
from datetime import date
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "src" / "deployer"
SHARED = {"errors", "files", "french"}  # helpers any stage may use; they use no stage
# walk (terminal) and live (training-room server) sit side by side: neither imports the other
LEVEL = {"schema": 1, "answers": 2, "analysis": 3, "documents": 4, "walk": 5, "live": 5, "cli": 6}
LEVEL |= {name: 0 for name in SHARED}


def modules() -> dict[str, Path]:
    found = {}
    for path in PACKAGE.rglob("*.py"):
        parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
        found[".".join(parts[:-1] if parts[-1] == "__init__" else parts)] = path
    return found


def stage(module: str) -> str | None:
    parts = module.split(".")
    return parts[1] if len(parts) > 1 and parts[1] != "__main__" else None


def imported(path: Path) -> set[str]:
    """Every deployer module imported by this file, at module level or inside a function."""
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("deployer"):
            names.add(node.module)
            names.update(f"{node.module}.{alias.name}" for alias in node.names)
        elif isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names if alias.name.startswith("deployer"))
    return names


def test_every_module_belongs_to_a_stage() -> None:
    loose = [m for m in modules() if stage(m) not in LEVEL and m not in {"deployer", "deployer.__main__"}]
    assert loose == [], f"modules outside the stages of the flow: {loose}"


def test_no_upward_import() -> None:
    known = modules()
    upward = []
    for module, path in known.items():
        own = stage(module)
        if own is None:
            continue
        for target in imported(path):
            other = stage(target)
            if target not in known or other is None or other == own:
                continue
            if LEVEL[other] > LEVEL[own] or {own, other} == {"walk", "live"}:
                upward.append(f"{module} → {target}")
    assert upward == [], "imports must point down schema → answers → analysis → documents → walk/live → cli"


def test_no_import_cycle() -> None:
    known = modules()
    graph = {m: {t for t in imported(p) if t in known and t != m} for m, p in known.items()}
    state: dict[str, int] = {}

    def visit(node: str, trail: list[str]) -> None:
        state[node] = 1
        for nxt in graph[node]:
            if state.get(nxt) == 1:
                pytest.fail("import cycle: " + " → ".join(trail[trail.index(nxt):] + [nxt]))
            if nxt not in state:
                visit(nxt, trail + [nxt])
        state[node] = 2

    for module in graph:
        if module not in state:
            visit(module, [module])


def test_no_subpackage_hides_the_shipped_data_folders() -> None:
    assert not (PACKAGE / "content" / "__init__.py").exists()
    assert not (PACKAGE / "templates" / "__init__.py").exists()


def test_generate_builds_the_analysis_once(monkeypatch: pytest.MonkeyPatch, content, example) -> None:
    """One dossier, one assessment, one budget estimate, one vendor shortlist."""
    import deployer.analysis.assessment as assessment
    import deployer.analysis.budget as budget
    import deployer.analysis.dossier_analysis as dossier_analysis
    import deployer.analysis.vendor_match as vendor_match
    from deployer.documents.dossier import build_dossier

    calls: dict[str, int] = {}

    def counted(module, name):  # noqa: ANN001, ANN202 - wraps any function
        real = getattr(module, name)

        def wrapper(*args, **kwargs):  # noqa: ANN002, ANN003, ANN202
            calls[name] = calls.get(name, 0) + 1
            return real(*args, **kwargs)

        monkeypatch.setattr(module, name, wrapper)

    for module, name in [(budget, "estimate_budget"), (assessment, "assess"), (vendor_match, "match_vendors")]:
        counted(module, name)
        if hasattr(dossier_analysis, name):
            monkeypatch.setattr(dossier_analysis, name, getattr(module, name))
    build_dossier(content, example, today=date(2026, 12, 4))
    assert calls == {"estimate_budget": 1, "assess": 1, "match_vendors": 1}
