"""The dossier built on two cores (a forked child for ODT and XLSX) is the dossier built in one."""

from __future__ import annotations

import io
import os
import sys
import zipfile
from datetime import date

import pytest

from deployer.analysis.dossier_analysis import analyse_dossier
from deployer.answers.answers_file import Answers
from deployer.documents import parallel
from deployer.documents.dossier import dossier_files
from deployer.errors import DeployerError
from deployer.schema.content import Content

TODAY = date(2026, 12, 4)
linux_only = pytest.mark.skipif(sys.platform != "linux", reason="the child process is forked on Linux only")


def _members(data: bytes) -> dict[str, bytes]:
    """An office file's parts, without the dates of its zip entries and of its last save."""
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return {name: archive.read(name) for name in archive.namelist() if name != "docProps/core.xml"}


@linux_only
def test_two_processes_give_the_same_files_in_the_same_order(content: Content, example: Answers) -> None:
    analysis = analyse_dossier(content, example, TODAY)
    alone = dossier_files(analysis)
    together = dossier_files(analysis, parallel=True)
    assert list(together) == list(alone)
    assert "cahier-des-charges.odt" in together and "grille-d-analyse.xlsx" in together
    for name, data in alone.items():
        if isinstance(data, bytes):
            assert _members(together[name]) == _members(data), name
        else:
            assert together[name] == data, name


def _build(fail_in_child: Exception | None, parent: int):  # noqa: ANN202 - a fake Build
    def build(formats: tuple[str, ...], main: bool) -> list[dict[str, str | bytes]]:
        if fail_in_child is not None and os.getpid() != parent and "odt" in formats:
            raise fail_in_child
        return [{f"doc.{f}": f"{f} {main}" for f in formats}]
    return build


@linux_only
def test_a_failed_child_is_replaced_by_the_parent() -> None:
    files = parallel.build_in_two(_build(RuntimeError("boom"), os.getpid()), ("md", "odt", "xlsx"), ("md", "odt"))
    assert files == {"doc.md": "md True", "doc.odt": "odt False", "doc.xlsx": "xlsx False"}


@linux_only
def test_an_error_while_building_is_reported_as_without_the_child() -> None:
    def build(formats: tuple[str, ...], main: bool) -> list[dict[str, str | bytes]]:
        if "odt" in formats:
            raise DeployerError("le modèle ODT est illisible", hint="Donnez un autre modèle.")
        return [{}]

    with pytest.raises(DeployerError, match="le modèle ODT est illisible"):
        parallel.build_in_two(build, ("md", "odt"), ("md", "odt"))


def test_deployer_sequentiel_builds_in_one_process(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DEPLOYER_SEQUENTIEL", "1")
    assert not parallel.can_fork()
    build = _build(RuntimeError("pas de processus enfant"), os.getpid())
    assert parallel.build_in_two(build, ("md", "odt"), ("md", "odt")) == {"doc.md": "md True", "doc.odt": "odt True"}
