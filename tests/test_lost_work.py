"""Lost-work safety: killing ``deployer start`` or ``deployer generate`` loses nothing and
leaves nothing half-written."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pexpect
import pytest

from deployer.answers.answers_file import read_answers
from tests.conftest import EXAMPLE
from tests.test_walk_pty import ENTER, answer, spawn


@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGHUP], ids=["SIGTERM", "terminal-ferme"])
def test_a_killed_walk_keeps_every_confirmed_answer(tmp_path: Path, fixture_content, signum: int) -> None:
    child = spawn(tmp_path)
    answer(child, "Nom de la collectivité", "Killville" + ENTER)
    answer(child, "Type de collectivité", ENTER)
    answer(child, "habitants", "8000" + ENTER)
    answer(child, "Un service", ENTER)
    answer(child, "Lequel", "")
    child.kill(signum)
    child.expect(pexpect.EOF)
    child.close()
    saved = read_answers(tmp_path / "killville-reponses.yaml", fixture_content)
    assert saved.get("alpha", "service") == "oui" and saved.position == "alpha.detail"
    assert not list(tmp_path.glob(".*.tmp"))
    if signum == signal.SIGTERM:
        assert child.exitstatus == 130


def _generate(out: Path) -> subprocess.Popen[bytes]:
    return subprocess.Popen([sys.executable, "-m", "deployer", "generate", str(EXAMPLE), "-o", str(out)],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def test_a_killed_generate_leaves_the_whole_dossier_or_nothing(tmp_path: Path) -> None:
    complete = _generate(tmp_path / "complet")
    assert complete.wait(60) == 0
    expected = sorted(p.name for p in (tmp_path / "complet").iterdir())
    for delay in (0.05, 0.2, 0.35, 0.5, 0.7, 0.9):
        out = tmp_path / f"tue-{delay}"
        process = _generate(out)
        time.sleep(delay)
        process.send_signal(signal.SIGKILL)
        process.wait(60)
        # Either the whole dossier is there, or no dossier at all (a hidden staging
        # folder may remain after SIGKILL, never a partial target).
        assert not out.exists() or sorted(p.name for p in out.iterdir()) == expected


def test_written_files_and_folders_get_the_usual_permissions(tmp_path: Path) -> None:
    from deployer.files import atomic_write, write_folder

    old = os.umask(0o022)
    try:
        atomic_write(tmp_path / "rapport.html", "x")
        write_folder(tmp_path / "dossier", {"a.md": "x"}, force=False)
    finally:
        os.umask(old)
    assert (tmp_path / "rapport.html").stat().st_mode & 0o777 == 0o644
    assert (tmp_path / "dossier").stat().st_mode & 0o777 == 0o755
    assert (tmp_path / "dossier" / "a.md").stat().st_mode & 0o777 == 0o644
