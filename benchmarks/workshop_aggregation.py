"""Benchmark: reading and aggregating 10, 100 and 1 000 answers files (``deployer workshop``).

Run on demand, never in the test suite:

    python benchmarks/workshop_aggregation.py [--runs 5]

Files are generated in a temporary folder with varied answers (a fixed random seed: every
asked question answered with a random allowed value, some « Je ne sais pas », some left
unanswered, a few quiz answers). The content is loaded once, outside the timing, as it is
once per command. Timed: ``read_group_files`` (read, parse, validate, upgrade) plus
``aggregate`` (scores, spreads, flags, quiz), median of several runs.
"""

from __future__ import annotations

import argparse
import random
import statistics
import tempfile
import time
from pathlib import Path
from typing import Any

from deployer.analysis.workshop import aggregate
from deployer.answers.answers_file import Answers, dump_answers, is_asked
from deployer.answers.group_files import read_group_files
from deployer.schema.content import Content
from deployer.schema.loader import load_content
from deployer.schema.models import UNKNOWN, Question

SIZES = (10, 100, 1000)


def random_value(question: Question, rng: random.Random) -> Any:
    """A random allowed value for one question (None: left unanswered)."""
    roll = rng.random()
    if roll < 0.05:
        return None
    if question.allow_unknown and roll < 0.12:
        return UNKNOWN
    if question.type == "choix":
        return rng.choice(question.options).value
    if question.type == "multiple":
        return [o.value for o in question.options if rng.random() < 0.4]
    if question.type == "entier":
        return rng.randint(question.min or 0, min(question.max or 100, 1000))
    return f"Texte libre n° {rng.randint(1, 999)}"


def random_answers(content: Content, i: int, rng: random.Random) -> Answers:
    """One group's answers: every module walked, ``when`` conditions respected."""
    responses: dict[str, dict[str, Any]] = {}
    for module in content.answerable_modules:
        given: dict[str, Any] = {}
        for question in module.walk_questions:
            if is_asked(question, given) and (value := random_value(question, rng)) is not None:
                given[question.id] = value
        responses[module.id] = given
    profile = {"nom": f"Collectivité {i}", "type": "commune", "population": rng.randint(500, 900_000)}
    return Answers(profile=profile, responses=responses, content_version=content.version, group=f"Groupe {i}")


def write_files(content: Content, folder: Path, count: int) -> list[Path]:
    """Write ``count`` answers files into ``folder``."""
    rng = random.Random(count)
    paths = []
    for i in range(1, count + 1):
        path = folder / f"groupe-{i:04d}-reponses.yaml"
        path.write_text(dump_answers(random_answers(content, i, rng), path.name), encoding="utf-8")
        paths.append(path)
    return paths


def time_once(content: Content, paths: list[Path]) -> float:
    """Seconds to read and aggregate every file once."""
    start = time.perf_counter()
    parsed, rejected = read_group_files(paths, content)
    aggregate(content, parsed, None, rejected)
    elapsed = time.perf_counter() - start
    assert len(parsed) == len(paths), [r.reason for r in rejected][:3]
    return elapsed


def main() -> None:
    """Print a Markdown table: files, median time, time per file, ratio to the smallest size."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5, help="timed runs per size (median reported)")
    runs = parser.parse_args().runs
    content = load_content()
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        for size in SIZES:
            folder = Path(tmp) / str(size)
            folder.mkdir()
            paths = write_files(content, folder, size)
            time_once(content, paths)  # warm-up: imports, file cache
            median = statistics.median(time_once(content, paths) for _ in range(runs))
            rows.append((size, median))
    base = rows[0][1] / rows[0][0]
    print(f"| fichiers | médiane ({runs} passages) | par fichier | rapport au temps par fichier pour 10 |")
    print("|---:|---:|---:|---:|")
    for size, median in rows:
        per_file = median / size
        cells = (f"{size:,}".replace(",", " "), f"{median:.3f} s", f"{per_file * 1000:.2f} ms",
                 f"{per_file / base:.2f}")
        print("| " + " | ".join(c.replace(".", ",") for c in cells) + " |")


if __name__ == "__main__":
    main()
