"""``deployer live`` as a trainer runs it: a real server process, what it prints, Ctrl-C."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from deployer.live.server import LOOPBACK

STARTUP_LINES = 80  # bounded: the announcement is about 30 lines


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind((LOOPBACK, 0))
        port: int = probe.getsockname()[1]
        return port


@contextmanager
def live_process(folder: Path, port: int, *extra: str) -> Iterator[tuple[subprocess.Popen[str], list[str]]]:
    """``deployer live`` in its own process; yields once it printed how to stop it."""
    env = {**os.environ, "PYTHONUNBUFFERED": "1", "COLUMNS": "100"}
    process = subprocess.Popen([sys.executable, "-m", "deployer", "live", str(folder), "--port", str(port), *extra],
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)
    lines: list[str] = []
    try:
        assert process.stdout is not None
        for _ in range(STARTUP_LINES):
            line = process.stdout.readline()
            if not line:
                break
            lines.append(line)
            if line.startswith("Arrêter la séance"):
                break
        yield process, lines
    finally:
        if process.poll() is None:
            process.kill()
            process.wait(timeout=10)


def fetch(url: str, attempts: int = 50) -> int:
    """The status of a page of the local server, once it listens (bounded retries)."""
    for _ in range(attempts):
        try:
            with urllib.request.urlopen(url, timeout=10) as response:  # noqa: S310 - our own local server
                return int(response.status)
        except urllib.error.URLError:
            time.sleep(0.2)
    raise AssertionError(f"{url} never answered")


def test_the_server_says_who_can_reach_it_and_stops_on_ctrl_c_with_130(tmp_path: Path) -> None:
    port = free_port()
    with live_process(tmp_path / "seance", port) as (process, lines):
        text = "".join(lines)
        assert "Accessible seulement depuis cet ordinateur (127.0.0.1)" in text and "--reseau" in text
        assert f"http://127.0.0.1:{port}" in text and "Code de séance\u00a0:" in text
        assert "█" in text  # the QR code
        trainer = next(line.strip() for line in lines if "/formateur/" in line)
        assert fetch(trainer) == 200
        process.send_signal(signal.SIGINT)
        _, err = process.communicate(timeout=20)
    assert process.returncode == 130
    assert "Séance arrêtée" in err and f"deployer live {tmp_path / 'seance'}" in err
    assert (tmp_path / "seance" / ".deployer-seance.json").exists()


def test_a_file_instead_of_a_folder_is_a_clear_error(run, in_tmp: Path) -> None:  # noqa: ANN001
    (in_tmp / "x.yaml").write_text("", encoding="utf-8")
    result = run("live", "x.yaml")
    assert result.exit_code == 2 and "n'est pas un dossier" in result.stderr


def test_a_port_already_taken_is_a_clear_error(run, in_tmp: Path) -> None:  # noqa: ANN001
    with socket.socket() as taken:
        taken.bind((LOOPBACK, 0))
        taken.listen()
        result = run("live", "seance", "--port", str(taken.getsockname()[1]))
    assert result.exit_code == 2 and "déjà utilisé" in result.stderr


def test_live_is_listed_in_the_french_help(run) -> None:  # noqa: ANN001
    result = run("--help")
    assert "live" in result.stdout and "Séance en direct" in result.stdout


@pytest.mark.parametrize("port", ["80", "70000"])
def test_privileged_or_impossible_ports_are_refused(run, port: str) -> None:  # noqa: ANN001
    assert run("live", "seance", "--port", port).exit_code == 2
