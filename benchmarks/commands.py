"""Benchmark: cold start and the main commands, as a user runs them (whole processes).

Run on demand, never in the test suite:

    python benchmarks/commands.py [--runs 21]

Each command is run RUNS times in random order (interleaved, so that a noisy machine
affects them alike); the table gives the median and the interquartile range, and the
ratio to ``python -c "import typer"`` measured in the same run (the targets of issue 10:
``--version`` ≤ 1.3×, ``--help`` ≤ 2.2×).
"""

from __future__ import annotations

import argparse
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


def commands(work: Path) -> dict[str, list[str]]:
    deployer = str(BIN / "deployer")
    return {
        'python -c "import typer"': [sys.executable, "-c", "import typer"],
        "deployer --version": [deployer, "--version"],
        "deployer --help": [deployer, "--help"],
        "deployer content check": [deployer, "content", "check"],
        "deployer score (exemple)": [deployer, "score", str(EXAMPLE)],
        "deployer generate (dossier complet)": [deployer, "generate", str(EXAMPLE), "-o", str(work / "d"), "--force"],
        "deployer workshop (1 000 fichiers)": [deployer, "workshop", *map(str, _workshop_files(work))],
    }


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


def measure(runs: int) -> dict[str, list[float]]:
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        todo = commands(work)
        times: dict[str, list[float]] = {name: [] for name in todo}
        for argv in todo.values():  # warm the file cache once
            subprocess.run(argv, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True, cwd=work)
        order = [name for name in todo for _ in range(runs)]
        random.shuffle(order)
        for name in order:
            start = time.perf_counter()
            subprocess.run(todo[name], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True, cwd=work)
            times[name].append(time.perf_counter() - start)
        shutil.rmtree(work / "d", ignore_errors=True)
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
    args = parser.parse_args()
    print(table(measure(args.runs)))


if __name__ == "__main__":
    main()
