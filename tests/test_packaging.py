"""What users install: a release (sdist and wheel) that passes ``twine check``, whose wheel
carries content/, templates/ and examples/ and works from any folder of a fresh environment."""

from __future__ import annotations

import subprocess
import sys
import venv
import zipfile
from pathlib import Path

import pytest

from tests.conftest import EXAMPLE, ROOT

DISTRIBUTION = "deployer_participation"  # « deployer » is another project's name on PyPI


@pytest.fixture(scope="module")
def release(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """``python -m build`` (sdist, then the wheel built from it), as a release would be made."""
    dist = tmp_path_factory.mktemp("dist")
    subprocess.run([sys.executable, "-m", "build", "--no-isolation", "--outdir", str(dist), str(ROOT)],
                   check=True, capture_output=True)
    return dist


def test_the_release_passes_twine_check(release: Path) -> None:
    files = sorted(release.iterdir())
    assert sorted(f.suffix for f in files) == [".gz", ".whl"], files
    check = subprocess.run([sys.executable, "-m", "twine", "check", "--strict", *map(str, files)],
                           capture_output=True, text=True)
    assert check.returncode == 0, check.stdout + check.stderr


def test_the_wheel_carries_the_content_and_templates(release: Path) -> None:
    wheel = next(release.glob(f"{DISTRIBUTION}-*.whl"))
    names = zipfile.ZipFile(wheel).namelist()
    for folder in ("content/modules/", "templates/cahier_des_charges/", "examples/"):
        assert any(n.startswith(f"deployer/{folder}") for n in names), folder
    assert "deployer/content/meta.yaml" in names


def test_the_installed_wheel_works_from_another_folder(release: Path, tmp_path: Path) -> None:
    env_dir = tmp_path / "venv"
    venv.create(env_dir, with_pip=True)
    python = env_dir / "bin" / "python"
    wheel = next(release.glob(f"{DISTRIBUTION}-*.whl"))
    subprocess.run([str(python), "-m", "pip", "install", "-q", str(wheel)], check=True)
    work = tmp_path / "ailleurs"
    work.mkdir()
    deployer = str(env_dir / "bin" / "deployer")

    version = subprocess.run([deployer, "--version"], cwd=work, capture_output=True, text=True)
    assert version.returncode == 0 and version.stdout.startswith("deployer "), version.stderr
    check = subprocess.run([deployer, "content", "check"], cwd=work, capture_output=True, text=True)
    assert check.returncode == 0, check.stderr
    gen = subprocess.run([deployer, "generate", str(EXAMPLE), "-o", "dossier"], cwd=work,
                         capture_output=True, text=True)
    assert gen.returncode == 0, gen.stderr
    assert (work / "dossier" / "cahier-des-charges.md").stat().st_size > 1000

    demo = subprocess.run([deployer, "demo", "-o", "demo"], cwd=work, capture_output=True, text=True)
    assert demo.returncode == 0, demo.stderr
    folders = [p for p in (work / "demo").iterdir() if p.is_dir()]
    assert len(folders) == len(list((ROOT / "examples").glob("*-reponses.yaml")))
    assert all((f / "cahier-des-charges.md").exists() for f in folders)
    workshop = subprocess.run([deployer, "workshop", "."], cwd=work / "demo", capture_output=True, text=True)
    assert workshop.returncode == 0 and "Scores par groupe" in workshop.stdout, workshop.stderr
    assert f"Fichiers de réponses lus ({len(folders)})" in workshop.stderr
