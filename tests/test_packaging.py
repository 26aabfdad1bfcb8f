"""What users install: the wheel carries content/ and templates/ and works from any folder."""

from __future__ import annotations

import subprocess
import sys
import venv
from pathlib import Path

from tests.conftest import EXAMPLE, ROOT


def test_the_installed_wheel_works_from_another_folder(tmp_path: Path) -> None:
    wheels = tmp_path / "wheels"
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(wheels), str(ROOT)],
                   check=True)
    env_dir = tmp_path / "venv"
    venv.create(env_dir, with_pip=True)
    python = env_dir / "bin" / "python"
    wheel = next(wheels.glob("deployer-*.whl"))
    subprocess.run([str(python), "-m", "pip", "install", "-q", str(wheel)], check=True)
    work = tmp_path / "ailleurs"
    work.mkdir()
    deployer = str(env_dir / "bin" / "deployer")

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
