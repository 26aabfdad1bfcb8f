"""Writes that are never half-done (issue 18) and that work where Windows differs (issue 21).

A write stopped at each of its steps (a real process killed through the write path's hook,
not a sleep) leaves the old complete dossier or the new complete one; the next run repairs
or removes what was left, and says so. Windows cannot be run here: its differences are
simulated — no ``os.fchmod`` nor ``O_NONBLOCK``, no atomic folder exchange, a rename refused
when the target exists or when a file inside is open (a DOCX open in Word).
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from deployer import files
from deployer.errors import DeployerError
from tests.conftest import EXAMPLE

OLD = {"cahier-des-charges.md": "ancien", "annexes/budget.md": "ancien budget"}
NEW = {"cahier-des-charges.md": "nouveau", "annexes/budget.md": "nouveau budget", "note.md": "nouvelle note"}

KILLER = """
import os, sys
from pathlib import Path
from deployer import files

stop, occurrence, mode = sys.argv[2], int(sys.argv[3]), sys.argv[4]
seen = []

def hook(step):
    seen.append(step)
    if step == stop and seen.count(step) == occurrence:
        os._exit(9)  # like kill -9: no cleanup, no finally

files.step_hook = hook
if mode == "two-renames":
    files.exchange = lambda first, second: False
files.write_folder(Path(sys.argv[1]), {NEW!r}, force=True)
""".replace("{NEW!r}", repr(NEW))


def snapshot(folder: Path) -> dict[str, str]:
    return {p.relative_to(folder).as_posix(): p.read_text(encoding="utf-8")
            for p in sorted(folder.rglob("*")) if p.is_file()}


def steps(tmp_path: Path, mode: str, monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The steps of one replacement, recorded in-process."""
    seen: list[str] = []
    target = tmp_path / "essai"
    files.write_folder(target, OLD, force=False)
    monkeypatch.setattr(files, "step_hook", seen.append)
    if mode == "two-renames":
        monkeypatch.setattr(files, "exchange", lambda first, second: False)
    files.write_folder(target, NEW, force=True)
    monkeypatch.undo()
    return seen


@pytest.mark.parametrize("mode", ["exchange", "two-renames"])
def test_a_replacement_killed_at_every_step_leaves_a_complete_dossier(
        tmp_path: Path, mode: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    recorded = steps(tmp_path, mode, monkeypatch)
    expected = ["file-written"] * 3 + ["staged"]
    expected += ["exchanged", "old-removed"] if mode == "exchange" else ["old-moved", "new-moved", "old-removed"]
    if mode == "exchange" and recorded[4:5] != ["exchanged"]:
        pytest.skip("this file system has no atomic exchange (renameat2): the two-renames case covers it")
    assert recorded == expected
    for index, step in enumerate(recorded):
        occurrence = recorded[: index + 1].count(step)
        parent = tmp_path / f"{mode}-{index}"
        target = parent / "dossier"
        files.write_folder(target, OLD, force=False)
        killed = subprocess.run([sys.executable, "-c", KILLER, str(target), step, str(occurrence), mode],
                                capture_output=True, text=True, timeout=60)
        assert killed.returncode == 9, killed.stderr
        if target.exists():  # at every instant: the old complete dossier or the new complete one
            assert snapshot(target) in (OLD, NEW), step
        else:  # two renames only: killed between them; the next run puts the old one back
            assert (mode, step) == ("two-renames", "old-moved")
        monkeypatch.setattr(files, "STALE_SECONDS", 0)
        capsys.readouterr()
        with pytest.raises(DeployerError, match="existe déjà"):  # the next run without --force
            files.write_folder(target, NEW, force=False)
        assert snapshot(target) in (OLD, NEW)
        assert [p.name for p in parent.iterdir()] == ["dossier"], step  # nothing left behind
        said = " ".join(capsys.readouterr().err.split())
        if step != "old-removed":  # killed after the last step: nothing to repair
            assert "écriture interrompue" in said, step
        if step == "old-moved":
            assert "il est rétabli tel qu'il était" in said
        monkeypatch.undo()


def test_a_killed_file_write_leaves_the_old_file_and_the_next_run_cleans_up(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "Démocratie participative" / "ma commune-reponses.yaml"
    files.atomic_write(path, "ancien")
    script = ("import os, sys\nfrom pathlib import Path\nfrom deployer import files\n"
              "files.step_hook = lambda step: os._exit(9)\nfiles.atomic_write(Path(sys.argv[1]), 'nouveau')\n")
    assert subprocess.run([sys.executable, "-c", script, str(path)], timeout=60).returncode == 9
    assert path.read_text(encoding="utf-8") == "ancien"
    leftovers = [p for p in path.parent.iterdir() if p != path]
    assert len(leftovers) == 1 and leftovers[0].name.endswith(".tmp")
    files.atomic_write(path, "suivant")  # a fresh leftover may belong to a running write: kept
    assert leftovers[0].exists()
    monkeypatch.setattr(files, "STALE_SECONDS", 0)
    files.atomic_write(path, "nouveau")
    assert [p.name for p in path.parent.iterdir()] == [path.name]
    assert path.read_text(encoding="utf-8") == "nouveau"
    assert "Reste d'une écriture interrompue supprimé" in capsys.readouterr().err


def test_a_failed_replacement_keeps_the_old_dossier(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    target = tmp_path / "dossier"
    files.write_folder(target, OLD, force=False)

    def fail(step: str) -> None:
        if step == "file-written":
            raise OSError(28, "No space left on device")

    monkeypatch.setattr(files, "step_hook", fail)
    with pytest.raises(DeployerError, match="impossible d'écrire"):
        files.write_folder(target, NEW, force=True)
    assert snapshot(target) == OLD
    assert [p.name for p in tmp_path.iterdir()] == ["dossier"]


# -- Windows, simulated ----------------------------------------------------------------


class SimulatedWindows:
    """Windows' rules for renames and open files, on top of the real file system."""

    def __init__(self) -> None:
        self.opened: set[Path] = set()
        self.rename, self.replace, self.open = Path.rename, Path.replace, Path.open

    def holds_open(self, path: Path) -> bool:
        return any(p == path or path in p.parents for p in self.opened)

    def patch(self, monkeypatch: pytest.MonkeyPatch) -> None:
        windows = self

        def rename(path: Path, target: str | Path) -> Path:
            if Path(target).exists():
                raise FileExistsError(183, "Impossible de créer un fichier déjà existant", str(target))
            if windows.holds_open(path):
                raise PermissionError(13, "Accès refusé", str(path))
            return windows.rename(path, target)

        def replace(path: Path, target: str | Path) -> Path:
            if windows.holds_open(Path(target)) or windows.holds_open(path) or Path(target).is_dir():
                raise PermissionError(13, "Accès refusé", str(target))
            return windows.replace(path, target)

        def open_(path: Path, mode: str = "r", *args: object, **kwargs: object):  # noqa: ANN202
            if mode.strip("rbt") and windows.holds_open(path):  # any writing mode
                raise PermissionError(13, "Le processus ne peut pas accéder au fichier", str(path))
            return windows.open(path, mode, *args, **kwargs)  # type: ignore[call-overload]

        monkeypatch.setattr(Path, "rename", rename)
        monkeypatch.setattr(Path, "replace", replace)
        monkeypatch.setattr(Path, "open", open_)


@pytest.fixture
def windows(monkeypatch: pytest.MonkeyPatch) -> set[Path]:
    """POSIX-only calls removed, no atomic exchange, Windows rename rules; returns the set of
    « open » files (as if open in Word: they cannot be replaced, their folder cannot be renamed)."""
    for name in ("fchmod", "fchown", "O_NONBLOCK", "getuid"):
        monkeypatch.delattr(os, name, raising=False)
    monkeypatch.setattr(files, "exchange", lambda first, second: False)
    simulated = SimulatedWindows()
    simulated.patch(monkeypatch)
    return simulated.opened


WINDOWS_FOLDER = "C:/Users/Agent Public/Mes Documents/Démocratie participative"


def test_windows_writes_work_without_posix_calls_in_paths_with_spaces_and_accents(
        tmp_path: Path, windows: set[Path]) -> None:
    base = tmp_path / WINDOWS_FOLDER
    files.atomic_write(base / "réponses de la commune.yaml", "é")
    files.write_new_file(base / "rapport final.html", "<p>é</p>", force=False)
    files.write_new_file(base / "rapport final.html", "<p>è</p>", force=True)
    target = base / "dossier d'été"
    files.write_folder(target, OLD, force=False)
    files.write_folder(target, NEW, force=True)  # two renames, never a rename over an existing folder
    assert snapshot(target) == NEW
    assert (base / "rapport final.html").read_text(encoding="utf-8") == "<p>è</p>"
    assert sorted(p.name for p in base.iterdir()) == ["dossier d'été", "rapport final.html",
                                                       "réponses de la commune.yaml"]


def test_windows_a_document_open_in_word_stops_the_replacement_cleanly(
        tmp_path: Path, windows: set[Path]) -> None:
    target = tmp_path / WINDOWS_FOLDER / "dossier"
    files.write_folder(target, OLD, force=False)
    windows.add(target / "annexes" / "budget.md")
    with pytest.raises(DeployerError) as caught:
        files.write_folder(target, NEW, force=True)
    text = " ".join(caught.value.render().split())
    assert f"Fermez le fichier « {target / 'annexes' / 'budget.md'} »" in text
    assert "puis relancez la commande. Rien n'a été modifié." in text
    assert snapshot(target) == OLD
    assert [p.name for p in target.parent.iterdir()] == ["dossier"]
    windows.clear()  # Word closed: the same command now works
    files.write_folder(target, NEW, force=True)
    assert snapshot(target) == NEW


def test_windows_a_file_open_elsewhere_is_not_replaced(tmp_path: Path, windows: set[Path]) -> None:
    path = tmp_path / WINDOWS_FOLDER / "rapport.html"
    files.atomic_write(path, "ancien")
    windows.add(path)
    with pytest.raises(DeployerError) as caught:
        files.write_new_file(path, "nouveau", force=True)
    assert "Fermez le fichier" in caught.value.render() and "puis relancez" in caught.value.render()
    assert path.read_text(encoding="utf-8") == "ancien"
    assert [p.name for p in path.parent.iterdir()] == ["rapport.html"]


def test_windows_generate_force_with_a_docx_open_exits_2_in_french(
        run, in_tmp: Path, windows: set[Path]) -> None:
    out = in_tmp / "Mes Documents" / "dossier été"
    assert run("generate", str(EXAMPLE), "-o", str(out)).exit_code == 0
    before = snapshot_bytes(out)
    windows.add(out / "cahier-des-charges.docx")
    result = run("generate", str(EXAMPLE), "-o", str(out), "--force")
    assert result.exit_code == 2
    text = " ".join(result.output.split())
    assert f"Fermez le fichier « {out / 'cahier-des-charges.docx'} »" in text and "puis relancez" in text
    assert "Traceback" not in result.output
    assert snapshot_bytes(out) == before
    windows.clear()
    assert run("generate", str(EXAMPLE), "-o", str(out), "--force").exit_code == 0


def snapshot_bytes(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}
