"""Benchmark: peak memory, time and output size of ``deployer answers check`` on hostile files.

Run on demand, never in the test suite (POSIX: it reads each child's peak memory with
``os.wait4``):

    python benchmarks/hostile_files.py [--runs 3]

Each file is checked by a separate ``deployer`` process, as a user would run it; the peak
resident memory (maximum RSS) of that process, the median wall time and the size of what it
printed are reported. The 200 000-key file is the one of issue 18 (6–7 s, 812 MB and 71 MB
of errors before the fix); the workbooks are those of issue 20.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

EXAMPLE = Path(__file__).resolve().parents[1] / "examples" / "ville-de-sainte-claire-reponses.yaml"


def unknown_keys(count: int) -> bytes:
    lines = ["format: 1", "profil: {nom: X}", *(f"cle_{i:06d}: x" for i in range(count))]
    return ("\n".join(lines) + "\n").encode()


CASES = {
    "exemple valide": lambda: EXAMPLE.read_bytes(),
    "200 000 clés inconnues": lambda: unknown_keys(200_000),
    "5 000 clés inconnues": lambda: unknown_keys(5_000),
    "texte de 4,9 Mo": lambda: b"format: 1\nprofil: {nom: '" + b"A" * 4_900_000 + b"'}\n",
    "10 000 réponses inconnues": lambda: b"format: 1\nprofil: {nom: X}\nreponses:\n  objectifs:\n" + b"".join(
        f"    q{i}: [a, b]\n".encode() for i in range(10_000)),
}


def write_workbooks(folder: Path) -> None:
    """Write the hostile workbooks of issue 20 (formula, 100 000 rows, zip and XML bombs, renamed
    binary) and two blank forms into a folder; run in a child process, so that the memory used to
    build them is not counted in the peak of the processes measured (they are forked from this one)."""
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
    from tests.workbooks import hostile_workbooks, template

    from deployer.schema.loader import load_content

    content = load_content()
    cases = {"formulaire XLSX vierge": (".xlsx", template(content, "xlsx")),
             "formulaire ODS vierge": (".ods", template(content, "ods")), **hostile_workbooks(content)}
    for index, (name, (suffix, data)) in enumerate(cases.items()):
        (folder / f"{index:02d} {name}{suffix}").write_bytes(data)


def measure(path: Path) -> tuple[float, float, int, int]:
    """(seconds, peak MB, exit code, bytes printed) of one ``deployer answers check``."""
    start = time.perf_counter()
    with tempfile.TemporaryFile() as out:
        child = subprocess.Popen([sys.executable, "-m", "deployer", "answers", "check", str(path)],
                                 stdout=out, stderr=out)
        _, status, usage = os.wait4(child.pid, 0)
        child.returncode = os.waitstatus_to_exitcode(status)
        elapsed = time.perf_counter() - start
        size = out.seek(0, os.SEEK_END)
    return elapsed, usage.ru_maxrss / 1024, child.returncode, size


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--write-workbooks", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.write_workbooks:
        write_workbooks(args.write_workbooks)
        return
    print("| fichier | taille | code | temps (médiane) | mémoire maximale | sortie |")
    print("|---|---:|---:|---:|---:|---:|")
    with tempfile.TemporaryDirectory() as tmp:
        books = Path(tmp) / "classeurs"
        books.mkdir()
        subprocess.run([sys.executable, __file__, "--write-workbooks", str(books)], check=True)
        cases = {name: (".yaml", make()) for name, make in CASES.items()}
        cases |= {p.stem[3:]: (p.suffix, p.read_bytes()) for p in sorted(books.iterdir())}
        for name, (suffix, data) in cases.items():
            path = Path(tmp) / f"f-reponses{suffix}"
            path.write_bytes(data)
            runs = [measure(path) for _ in range(args.runs)]
            seconds = statistics.median(r[0] for r in runs)
            peak = max(r[1] for r in runs)
            print(f"| {name} | {path.stat().st_size / 1e6:.1f} Mo | {runs[0][2]} | {seconds:.2f} s "
                  f"| {peak:.0f} Mo | {runs[0][3] / 1000:.1f} ko |")


if __name__ == "__main__":
    main()
