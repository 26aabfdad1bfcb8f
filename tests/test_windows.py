"""Stand-ins for a Windows office PC, which the test suite cannot run on.

What is simulated here (and said in the README's « Windows » paragraph): a console that is
not UTF-8 (cp1252, cp850, ASCII), paths with spaces, accents and a drive-like prefix, and a
Python without the POSIX-only functions and signals. The write path (renames refused while a
document is open) is simulated in the tests of ``deployer.files``.
"""

from __future__ import annotations

import ast
import os
import shutil
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import EXAMPLE, ROOT

SRC = ROOT / "src" / "deployer"
DEPLOYER = [sys.executable, "-m", "deployer"]


def run_with_encoding(encoding: str, *args: str, cwd: Path) -> subprocess.CompletedProcess[bytes]:
    env = {**os.environ, "PYTHONIOENCODING": encoding, "NO_COLOR": "1", "COLUMNS": "100"}
    return subprocess.run([*DEPLOYER, *args], cwd=cwd, env=env, capture_output=True)


@pytest.mark.parametrize("encoding", ["cp1252", "cp850", "ascii"])
def test_a_console_that_is_not_utf8_shows_the_report_without_failing(encoding: str, tmp_path: Path) -> None:
    result = run_with_encoding(encoding, "score", str(EXAMPLE), cwd=tmp_path)
    assert result.returncode == 0, result.stderr.decode(encoding, "replace")
    out = result.stdout.decode(encoding)  # decodes: every byte is in the console's code page
    assert "Autodiagnostic" in out and "Traceback" not in result.stderr.decode(encoding, "replace")
    if encoding == "cp1252":  # cp1252 has « », é and €: French stays French
        assert "«" in run_with_encoding(encoding, "learn", cwd=tmp_path).stdout.decode(encoding)


@pytest.mark.parametrize("encoding", ["cp850", "ascii"])
def test_a_french_error_message_reaches_a_legacy_console(encoding: str, tmp_path: Path) -> None:
    result = run_with_encoding(encoding, "answers", "check", "absent-reponses.yaml", cwd=tmp_path)
    assert result.returncode == 2
    err = result.stderr.decode(encoding)
    assert "introuvable" in err and "Traceback" not in err


def test_help_on_a_cp850_console(tmp_path: Path) -> None:
    result = run_with_encoding("cp850", "--help", cwd=tmp_path)
    assert result.returncode == 0 and "Commandes" in result.stdout.decode("cp850")


def test_paths_with_spaces_accents_and_a_drive_like_prefix(tmp_path: Path) -> None:
    folder = tmp_path / "C:" / "Mes Documents" / "Démocratie participative"
    folder.mkdir(parents=True)
    answers = folder / "réponses de la ville-reponses.yaml"
    shutil.copy(EXAMPLE, answers)
    env = {**os.environ, "NO_COLOR": "1"}
    check = subprocess.run([*DEPLOYER, "answers", "check", str(answers)], cwd=tmp_path, env=env,
                           capture_output=True, text=True)
    assert check.returncode == 0, check.stderr
    out = folder / "Dossier été 2027"
    gen = subprocess.run([*DEPLOYER, "generate", str(answers), "-o", str(out), "-f", "md"], cwd=tmp_path, env=env,
                         capture_output=True, text=True)
    assert gen.returncode == 0, gen.stderr
    assert (out / "cahier-des-charges.md").exists()
    assert "Dossier été 2027" in gen.stdout


def test_the_walk_survives_a_python_without_sighup(monkeypatch: pytest.MonkeyPatch) -> None:
    """Windows has SIGTERM but no SIGHUP: the walk's signal handling must not need it."""
    from deployer.walk import session

    monkeypatch.delattr(signal, "SIGHUP", raising=False)
    with session._signals_as_interrupt():
        pass


# -- no POSIX-only call without a fallback -------------------------------------------------

POSIX_ONLY = {
    ("os", name) for name in ("fchmod", "fchown", "chown", "lchown", "getuid", "geteuid", "getgid", "getpgid",
                              "killpg", "setsid", "fork", "mkfifo", "sync", "statvfs", "nice", "O_NOFOLLOW",
                              "O_NONBLOCK", "O_DIRECTORY")
} | {("signal", name) for name in ("SIGHUP", "SIGKILL", "SIGALRM", "SIGUSR1", "SIGPIPE", "alarm", "pause")}
POSIX_MODULES = {"fcntl", "termios", "pwd", "grp", "resource", "tty", "pty"}
GUARDS = ("hasattr(", "getattr(", "sys.platform", "os.name", "except AttributeError", "except (AttributeError",
          "except ImportError", "except (ImportError")


def _enclosing_sources(tree: ast.Module, text: str) -> dict[int, str]:
    """For each line, the source of the innermost function around it (or the whole module)."""
    spans: dict[int, str] = {}
    for node in ast.walk(tree):
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            source = ast.get_source_segment(text, node) or ""
            for line in range(node.lineno, (node.end_lineno or node.lineno) + 1):
                if line not in spans or len(source) < len(spans[line]):
                    spans[line] = source
    return spans


def unguarded_posix_calls() -> list[str]:
    found = []
    for path in sorted(SRC.rglob("*.py")):
        text = path.read_text(encoding="utf-8")
        tree = ast.parse(text)
        spans = _enclosing_sources(tree, text)
        for node in ast.walk(tree):
            name = None
            if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name):
                if (node.value.id, node.attr) in POSIX_ONLY:
                    name = f"{node.value.id}.{node.attr}"
            elif isinstance(node, ast.Import | ast.ImportFrom):
                modules = [a.name for a in node.names] if isinstance(node, ast.Import) else [node.module or ""]
                name = next((m for m in modules if m.split(".")[0] in POSIX_MODULES), None)
            if name and not any(g in spans.get(node.lineno, text) for g in GUARDS):
                found.append(f"{path.relative_to(ROOT)}:{node.lineno} {name}")
    return found


def test_no_unguarded_posix_only_call() -> None:
    assert unguarded_posix_calls() == []


def test_the_posix_scan_finds_an_unguarded_call(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The scan above is not vacuous: a bare os.fchmod is reported."""
    fake = tmp_path / "src" / "deployer"
    fake.mkdir(parents=True)
    (fake / "bad.py").write_text("import os\n\ndef f(fd):\n    os.fchmod(fd, 0o644)\n", encoding="utf-8")
    monkeypatch.setattr(sys.modules[__name__], "SRC", fake)
    monkeypatch.setattr(sys.modules[__name__], "ROOT", tmp_path)
    assert unguarded_posix_calls() == ["src/deployer/bad.py:4 os.fchmod"]
