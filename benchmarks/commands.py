"""Benchmark: cold start and the main commands, as a user runs them (whole processes).

Run on demand, never in the test suite:

    python benchmarks/commands.py [--runs 21]

Each command is run RUNS times in random order (interleaved, so that a noisy machine
affects them alike); the table gives the median and the interquartile range, and the
ratio to ``python -c "import typer"`` measured in the same run (the targets of issue 10:
``--version`` ≤ 1.3×, ``--help`` ≤ 2.2×; of issue 16: the full dossier ≤ 10×, ``--format md``
faster than Copier rendering the same templates).

The deployer commands run the code of this checkout (``src/`` on PYTHONPATH, as an editable
install does), byte-compiled first: with PYTHONDONTWRITEBYTECODE set, every run would otherwise
compile deployer's modules again. ``--before REF`` adds the same commands on another commit (a
temporary git worktree), in the same interleaved run. ``--one-core`` pins every process to one CPU
(what a busy or small machine gives). ``--only TEXT`` keeps the commands whose name contains TEXT
(the floor is always measured).

``--copier PATH`` adds Copier (installed in a throwaway venv outside the repository, with
deployer installed there too: ``python -m venv /tmp/copier-venv && /tmp/copier-venv/bin/pip
install copier -e .``) rendering deployer's Markdown templates with the same context
(copier_context.py).
"""

from __future__ import annotations

import argparse
import compileall
import contextlib
import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "examples" / "ville-de-sainte-claire-reponses.yaml"
FLOOR = 'python -c "import typer"'
# What the ``deployer`` console script runs.
LAUNCHER = "import sys; from deployer.cli import main; sys.argv[0] = 'deployer'; sys.exit(main())"


Command = tuple[list[str], dict[str, str] | None]  # argv, environment (None: inherited)


def commands(work: Path, src: Path, prefix: str = "") -> dict[str, Command]:
    """The deployer commands, running the code under ``src``."""
    deployer = [sys.executable, "-c", LAUNCHER]
    env = {**os.environ, "PYTHONPATH": str(src)}
    todo: dict[str, list[str]] = {
        "deployer --version": [*deployer, "--version"],
        "deployer --help": [*deployer, "--help"],
        "deployer content check": [*deployer, "content", "check"],
        "deployer score (exemple)": [*deployer, "score", str(EXAMPLE)],
        "deployer generate (dossier complet)": [*deployer, "generate", str(EXAMPLE), "-o", str(work / f"{prefix}d"),
                                                "--force"],
        "deployer generate --format md": [*deployer, "generate", str(EXAMPLE), "-o", str(work / f"{prefix}m"),
                                          "--force", "--format", "md"],
        "deployer workshop (1 000 fichiers)": [*deployer, "workshop", *map(str, _workshop_files(work))],
    }
    return {f"{prefix}{name}": (argv, env) for name, argv in todo.items()}


def copier_command(work: Path, copier: Path) -> dict[str, Command]:
    from copier_context import make_template

    template = make_template(work / "modele-copier")
    env = {**os.environ, "DEPLOYER_REPONSES": str(EXAMPLE), "PYTHONPATH": str(Path(__file__).parent)}
    argv = [str(copier), "copy", "--trust", "--defaults", "--overwrite", "--quiet", str(template), str(work / "c")]
    return {"copier copy (mêmes modèles Markdown)": (argv, env)}


@contextlib.contextmanager
def checkout(ref: str, work: Path) -> Iterator[Path]:
    """The src/ folder of ``ref``, in a temporary git worktree removed afterwards."""
    folder = work / "avant"
    subprocess.run(["git", "-C", str(ROOT), "worktree", "add", "--detach", "--quiet", str(folder), ref], check=True)
    try:
        yield folder / "src"
    finally:
        subprocess.run(["git", "-C", str(ROOT), "worktree", "remove", "--force", str(folder)], check=False)


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


def measure(runs: int, copier: Path | None = None, before: str | None = None,
            only: str | None = None) -> dict[str, list[float]]:
    sys.path.insert(0, str(Path(__file__).parent))
    with tempfile.TemporaryDirectory() as tmp, contextlib.ExitStack() as stack:
        work = Path(tmp)
        todo: dict[str, Command] = {FLOOR: ([sys.executable, "-c", "import typer"], None)}
        sources = [(ROOT / "src", "")]
        if before:
            sources.append((stack.enter_context(checkout(before, work)), "avant : "))
        for src, prefix in sources:
            compileall.compile_dir(src, quiet=1)
            todo.update(commands(work, src, prefix))
        if copier is not None:
            todo.update(copier_command(work, copier))
        todo = {name: command for name, command in todo.items() if name == FLOOR or not only or only in name}
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
        for folder in ("d", "m", "c", "avant : d", "avant : m"):
            shutil.rmtree(work / folder, ignore_errors=True)
    return times


def table(times: dict[str, list[float]]) -> str:
    base = statistics.median(times[FLOOR])
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
    parser.add_argument("--before", metavar="REF", help="also measure this git commit or branch")
    parser.add_argument("--one-core", action="store_true", help="pin every process to one CPU")
    parser.add_argument("--only", metavar="TEXT", help="only the commands whose name contains TEXT")
    args = parser.parse_args()
    if args.one_core:
        os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})  # inherited by every command
    print(table(measure(args.runs, args.copier, args.before, args.only)))


if __name__ == "__main__":
    main()
