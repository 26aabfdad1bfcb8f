"""Benchmark: cold start and the main commands, as a user runs them (whole processes).

Run on demand, never in the test suite:

    python benchmarks/commands.py [--runs 21]

Each command is run RUNS times in random order (interleaved, so that a noisy machine
affects them alike); the table gives the median and the interquartile range, and the
ratio to ``python -c "import typer"`` measured in the same run (the targets of issue 10:
``--version`` ≤ 1.3×, ``--help`` ≤ 2.2×; of issue 16: the full dossier ≤ 10×, ``--format md``
faster than Copier rendering the same templates).

``--copier PATH`` adds Copier (installed in a throwaway venv outside the repository, with
deployer installed there too: ``python -m venv /tmp/copier-venv && /tmp/copier-venv/bin/pip
install copier -e .``) rendering deployer's Markdown templates with the same context
(copier_context.py).
"""

from __future__ import annotations

import argparse
import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "examples" / "ville-de-sainte-claire-reponses.yaml"
BIN = Path(sys.executable).parent


Command = tuple[list[str], dict[str, str] | None]  # argv, environment (None: inherited)


def commands(work: Path, copier: Path | None = None) -> dict[str, Command]:
    deployer = str(BIN / "deployer")
    todo: dict[str, list[str]] = {
        'python -c "import typer"': [sys.executable, "-c", "import typer"],
        "deployer --version": [deployer, "--version"],
        "deployer --help": [deployer, "--help"],
        "deployer content check": [deployer, "content", "check"],
        "deployer score (exemple)": [deployer, "score", str(EXAMPLE)],
        "deployer generate (dossier complet)": [deployer, "generate", str(EXAMPLE), "-o", str(work / "d"), "--force"],
        "deployer generate --format md": [deployer, "generate", str(EXAMPLE), "-o", str(work / "m"), "--force",
                                          "--format", "md"],
        "deployer workshop (1 000 fichiers)": [deployer, "workshop", *map(str, _workshop_files(work))],
    }
    measured: dict[str, Command] = {name: (argv, None) for name, argv in todo.items()}
    if copier is not None:
        from copier_context import make_template

        template = make_template(work / "modele-copier")
        env = {**os.environ, "DEPLOYER_REPONSES": str(EXAMPLE), "PYTHONPATH": str(Path(__file__).parent)}
        argv = [str(copier), "copy", "--trust", "--defaults", "--overwrite", "--quiet", str(template), str(work / "c")]
        measured["copier copy (mêmes modèles Markdown)"] = (argv, env)
    return measured


def _workshop_files(work: Path) -> list[Path]:
    """1 000 varied answers files, made once per run (see workshop_aggregation.py)."""
    sys.path.insert(0, str(Path(__file__).parent))
    from workshop_aggregation import write_files

    from deployer.schema.loader import load_content

    folder = work / "atelier"
    if not folder.exists():
        folder.mkdir()
        return write_files(load_content(), folder, 1000)
    return sorted(folder.glob("*.yaml"))


def measure(runs: int, copier: Path | None = None) -> dict[str, list[float]]:
    sys.path.insert(0, str(Path(__file__).parent))
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        todo = commands(work, copier)
        times: dict[str, list[float]] = {name: [] for name in todo}
        for argv, env in todo.values():  # warm the file cache (and the template caches) once
            subprocess.run(argv, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True, cwd=work, env=env)
        order = [name for name in todo for _ in range(runs)]
        random.shuffle(order)
        for name in order:
            argv, env = todo[name]
            start = time.perf_counter()
            subprocess.run(argv, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True, cwd=work, env=env)
            times[name].append(time.perf_counter() - start)
        for folder in ("d", "m", "c"):
            shutil.rmtree(work / folder, ignore_errors=True)
    return times


def table(times: dict[str, list[float]]) -> str:
    base = statistics.median(times['python -c "import typer"'])
    lines = ["| commande | médiane | écart interquartile | × import typer |", "|---|---:|---:|---:|"]
    for name, values in times.items():
        q1, _, q3 = statistics.quantiles(values, n=4)
        median = statistics.median(values)
        ratio = f"{median / base:.2f}".replace(".", ",")
        lines.append(f"| `{name}` | {_ms(median)} | {_ms(q3 - q1)} | {ratio} |")
    return "\n".join(lines)


def _ms(seconds: float) -> str:
    """« 2 017 ms », French style (narrow no-break space between thousands)."""
    return f"{seconds * 1000:,.0f}".replace(",", "\u202f") + "\u00a0ms"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=21)
    parser.add_argument("--copier", type=Path, help="the copier command of a throwaway venv (see above)")
    args = parser.parse_args()
    print(table(measure(args.runs, args.copier)))


if __name__ == "__main__":
    main()
