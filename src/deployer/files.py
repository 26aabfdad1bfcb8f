"""Writing files so that nothing is ever half-written: temp file (or folder), then rename."""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Mapping
from pathlib import Path

from deployer.errors import DeployerError


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def atomic_write(path: Path, data: str | bytes) -> None:
    """Write a file atomically: readers see the old content or the new, never a mix."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        os.fchmod(fd, 0o666 & ~_umask())  # like any saved document, not mkstemp's owner-only 0600
        with os.fdopen(fd, "wb") as handle:
            handle.write(data.encode("utf-8") if isinstance(data, str) else data)
            handle.flush()
            os.fsync(handle.fileno())
        Path(tmp).replace(path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def write_new_file(path: Path, data: str | bytes, force: bool) -> None:
    """Write a file atomically, refusing to replace an existing one without ``force``."""
    if path.exists() and not force:
        raise DeployerError(
            f"le fichier « {path} » existe déjà",
            hint="Choisissez un autre nom avec -o, ou ajoutez --force pour le remplacer.",
        )
    if path.is_dir():
        raise DeployerError(f"« {path} » est un dossier", hint="Donnez un nom de fichier.")
    atomic_write(path, data)


def write_folder(target: Path, files: Mapping[str, str | bytes], force: bool) -> list[Path]:
    """Write a whole folder at once: built aside, then moved into place.

    An existing folder is replaced only with ``force``; if anything fails, the
    previous folder (or nothing) is left as it was.
    """
    if target.exists() and not force:
        raise DeployerError(
            f"le dossier « {target} » existe déjà",
            hint="Choisissez un autre dossier avec -o, ou ajoutez --force pour le remplacer.",
        )
    if target.exists() and not target.is_dir():
        raise DeployerError(f"« {target} » existe et n'est pas un dossier", hint="Choisissez un autre nom.")
    target.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(dir=target.parent, prefix=f".{target.name}."))
    try:
        staging.chmod(0o777 & ~_umask())  # like any folder, not mkdtemp's owner-only 0700
        for name, data in files.items():
            (staging / name).parent.mkdir(parents=True, exist_ok=True)
            (staging / name).write_bytes(data.encode("utf-8") if isinstance(data, str) else data)
        _swap_into_place(staging, target)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return [target / name for name in files]


def _swap_into_place(staging: Path, target: Path) -> None:
    if not target.exists():
        staging.rename(target)
        return
    old = target.with_name(f".{target.name}.old-{os.getpid()}")
    target.rename(old)
    try:
        staging.rename(target)
    except BaseException:
        old.rename(target)
        raise
    shutil.rmtree(old, ignore_errors=True)
