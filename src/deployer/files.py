"""Files the user gives and files we write.

Reading: only regular files, and never more than a size limit (a FIFO, a device or a link to
``/dev/zero`` is refused before a byte is read). Writing: nothing is ever half-written — a file
goes through a flushed temporary file and one rename; a folder is built aside, flushed, then
swapped into place. Only portable calls, with a fallback where a system lacks one (Windows has
no ``os.fchmod``, refuses to rename a folder over another or one holding an open file).
"""

from __future__ import annotations

import os
import shutil
import stat
import sys
import tempfile
import time
from collections.abc import Callable, Mapping
from pathlib import Path

from deployer.errors import DeployerError, UnreadableFile

MAX_USER_FILE = 5_000_000
STALE_SECONDS = 600  # a temporary file or folder older than this is a leftover of a killed run


def _no_hook(step: str) -> None:
    """Called at each step of a write; tests replace it to stop the write there."""


step_hook: Callable[[str], None] = _no_hook


def notify(message: str) -> None:
    """Tell the user about a repaired leftover (on stderr: the output itself stays clean)."""
    from deployer.french import fix_typography

    print(fix_typography(message), file=sys.stderr)


# -- reading ---------------------------------------------------------------------------


def read_user_file(path: Path, limit: int = MAX_USER_FILE) -> bytes:
    """The bytes of a regular file of at most ``limit`` bytes, or UnreadableFile (French reason)."""
    try:
        info = path.stat()  # follows symbolic links: a link to /dev/zero is a device
    except FileNotFoundError:
        raise UnreadableFile("fichier introuvable", missing=True) from None
    except OSError as exc:
        raise UnreadableFile(f"lecture impossible ({exc.strerror})") from None
    _check_kind(info.st_mode)
    if info.st_size > limit:
        raise UnreadableFile(_too_big(limit))
    flags = os.O_RDONLY | getattr(os, "O_BINARY", 0) | getattr(os, "O_NONBLOCK", 0)
    try:
        fd = os.open(path, flags)  # non-blocking: a FIFO swapped in after the check cannot hang
        with os.fdopen(fd, "rb") as handle:
            _check_kind(os.fstat(handle.fileno()).st_mode)
            data = handle.read(limit + 1)
    except OSError as exc:
        raise UnreadableFile(f"lecture impossible ({exc.strerror})") from None
    if len(data) > limit:
        raise UnreadableFile(_too_big(limit))
    return data


def _check_kind(mode: int) -> None:
    if stat.S_ISREG(mode):
        return
    if stat.S_ISDIR(mode):
        raise UnreadableFile("c'est un dossier, pas un fichier")
    kind = ("tube nommé, FIFO" if stat.S_ISFIFO(mode) else
            "périphérique" if stat.S_ISCHR(mode) or stat.S_ISBLK(mode) else
            "socket" if stat.S_ISSOCK(mode) else "fichier spécial")
    raise UnreadableFile(f"ce n'est pas un fichier ordinaire ({kind}) ; "
                         "donnez un fichier enregistré sur le disque")


def _too_big(limit: int) -> str:
    size = f"{limit // 1_000_000} Mo" if limit >= 1_000_000 else f"{max(limit // 1000, 1)} ko"
    return f"fichier trop volumineux (plus de {size})"


# -- writing one file ------------------------------------------------------------------


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def atomic_write(path: Path, data: str | bytes) -> None:
    """Write a file atomically: readers see the old content or the new, never a mix."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        _remove_stale(path.parent, f".{path.name}.", ("tmp",))
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    except OSError as exc:
        raise _cannot_write(path, exc) from None
    try:
        os.close(fd)
        # like any saved document, not mkstemp's owner-only 0600 (os.chmod: os.fchmod is POSIX-only)
        Path(tmp).chmod(0o666 & ~_umask())
        _write_synced(Path(tmp), data)
        step_hook("file-staged")
        _replace_file(Path(tmp), path)
        _fsync_dir(path.parent)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _write_synced(path: Path, data: str | bytes) -> None:
    """Write and flush to disk (fsync), so a rename never exposes an empty file after a crash."""
    with path.open("wb") as handle:
        handle.write(data.encode("utf-8") if isinstance(data, str) else data)
        handle.flush()
        os.fsync(handle.fileno())


def _fsync_dir(folder: Path) -> None:
    """Flush a folder's entries (POSIX); Windows cannot open a folder and needs no such flush."""
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def _replace_file(tmp: Path, path: Path) -> None:
    try:
        tmp.replace(path)
    except PermissionError:  # Windows: the file is open in Word, LibreOffice, Excel or a browser
        raise _file_open(path, path) from None
    except OSError as exc:
        raise _cannot_write(path, exc) from None


def _file_open(what: Path, locked: Path) -> DeployerError:
    return DeployerError(
        f"« {what} » ne peut pas être remplacé : un fichier est ouvert dans un autre programme "
        "ou protégé en écriture",
        hint=f"Fermez le fichier « {locked} » (Word, LibreOffice, Excel, navigateur…) puis relancez la "
        "commande. Rien n'a été modifié.",
    )


def _cannot_write(path: Path, exc: OSError) -> DeployerError:
    return DeployerError(f"impossible d'écrire « {path} » ({exc.strerror or exc})",
                         hint="Vérifiez le chemin, l'espace disque et vos droits sur ce dossier.")


def write_new_file(path: Path, data: str | bytes, force: bool) -> None:
    """Write a file atomically, refusing to replace an existing one without ``force``."""
    if path.exists() and not force:
        raise DeployerError(
            f"le fichier « {path} » existe déjà",
            hint="Choisissez un autre nom avec -o, ou ajoutez --force pour le remplacer.",
        )
    if path.is_dir():
        raise DeployerError(f"« {path} » est un dossier", hint="Donnez un nom de fichier.")
    atomic_write(path, data)


# -- writing a folder ------------------------------------------------------------------


def write_folder(target: Path, files: Mapping[str, str | bytes], force: bool) -> list[Path]:
    """Write a whole folder at once: built aside, flushed, then swapped into place.

    An existing folder is replaced only with ``force``. At every instant the target is the
    old complete folder or the new complete one (on Linux, one atomic exchange; elsewhere two
    renames, and a run killed between them is repaired by the next one). If anything fails,
    the previous folder is left as it was.
    """
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        recover_folder(target)
    except OSError as exc:
        raise _cannot_write(target, exc) from None
    if target.exists() and not force:
        raise DeployerError(
            f"le dossier « {target} » existe déjà",
            hint="Choisissez un autre dossier avec -o, ou ajoutez --force pour le remplacer.",
        )
    if target.exists() and not target.is_dir():
        raise DeployerError(f"« {target} » existe et n'est pas un dossier", hint="Choisissez un autre nom.")
    try:
        staging = Path(tempfile.mkdtemp(dir=target.parent, prefix=f".{target.name}.part-"))
    except OSError as exc:
        raise _cannot_write(target, exc) from None
    try:
        _fill(staging, files)
        ready = staging.with_name(f".{target.name}.new-{staging.name.rsplit('.part-', 1)[1]}")
        staging.rename(ready)  # the name now says the folder is complete
        staging = ready
        _fsync_dir(target.parent)
        step_hook("staged")
        _swap_into_place(staging, target)
    except OSError as exc:
        shutil.rmtree(staging, ignore_errors=True)
        raise _cannot_write(target, exc) from None
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return [target / name for name in files]


def _fill(staging: Path, files: Mapping[str, str | bytes]) -> None:
    staging.chmod(0o777 & ~_umask())  # like any folder, not mkdtemp's owner-only 0700
    mode = 0o666 & ~_umask()
    folders = {staging}
    for name, data in files.items():
        path = staging / name
        path.parent.mkdir(parents=True, exist_ok=True)
        folders.add(path.parent)
        _write_synced(path, data)
        path.chmod(mode)
        step_hook("file-written")
    for folder in folders:
        _fsync_dir(folder)


def _swap_into_place(ready: Path, target: Path) -> None:
    if not target.exists():
        _rename_folder(ready, target, target)
        step_hook("moved")
        _fsync_dir(target.parent)
        return
    if exchange(ready, target):  # one atomic step: the old folder is now at « ready »
        step_hook("exchanged")
        _fsync_dir(target.parent)
        shutil.rmtree(ready, ignore_errors=True)
        step_hook("old-removed")
        return
    old = ready.with_name(ready.name.replace(".new-", ".old-", 1))
    _rename_folder(target, old, target)  # Windows refuses this while a file inside is open
    step_hook("old-moved")
    try:
        _rename_folder(ready, target, target)
    except BaseException:
        old.rename(target)
        raise
    step_hook("new-moved")
    _fsync_dir(target.parent)
    shutil.rmtree(old, ignore_errors=True)
    step_hook("old-removed")


def _rename_folder(source: Path, destination: Path, target: Path) -> None:
    try:
        source.rename(destination)
    except PermissionError:
        raise _file_open(target, _open_file_in(source) or source) from None


def _open_file_in(folder: Path) -> Path | None:
    """The first file of a folder that cannot be opened for writing (open in Word on Windows)."""
    for path in sorted(folder.rglob("*")):
        try:
            if path.is_file():
                with path.open("r+b"):
                    pass
        except OSError:
            return path
    return None


def _renameat2_exchange(first: Path, second: Path) -> bool:
    """Swap two paths atomically (Linux ``renameat2(RENAME_EXCHANGE)``); False where unavailable."""
    if not sys.platform.startswith("linux"):
        return False
    import ctypes

    try:
        function = ctypes.CDLL(None, use_errno=True).renameat2
    except (OSError, AttributeError):
        return False
    function.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p, ctypes.c_uint]
    at_fdcwd, rename_exchange = -100, 2
    return int(function(at_fdcwd, os.fsencode(first), at_fdcwd, os.fsencode(second), rename_exchange)) == 0


exchange: Callable[[Path, Path], bool] = _renameat2_exchange


# -- leftovers of a killed run ---------------------------------------------------------


def recover_folder(target: Path) -> None:
    """Repair what a killed run left next to ``target``: a folder set aside comes back if the
    target is missing, other leftovers are removed; each repair is reported."""
    prefix = f".{target.name}."
    olds = sorted(_leftovers(target.parent, prefix, ("old",)), key=lambda p: p.stat().st_mtime)
    if olds and not target.exists() and not target.is_symlink():
        olds.pop().rename(target)
        notify(f"Le dossier « {target} » avait été mis de côté par une écriture interrompue : "
               "il est rétabli tel qu'il était.")
    for old in olds:
        _remove(old)
    _remove_stale(target.parent, prefix, ("new", "part"))


def _leftovers(folder: Path, prefix: str, kinds: tuple[str, ...]) -> list[Path]:
    try:
        entries = list(folder.iterdir())
    except OSError:
        return []
    return [p for p in entries if p.name.startswith(prefix) and _kind(p.name[len(prefix):]) in kinds]


def _kind(rest: str) -> str:
    if rest.endswith(".tmp"):
        return "tmp"
    return rest.split("-", 1)[0] if "-" in rest else ""


def _remove_stale(folder: Path, prefix: str, kinds: tuple[str, ...]) -> None:
    """Remove leftovers old enough to belong to no running write."""
    now = time.time()
    for path in _leftovers(folder, prefix, kinds):
        try:
            if now - path.lstat().st_mtime >= STALE_SECONDS:
                _remove(path)
        except OSError:
            continue


def _remove(path: Path) -> None:
    if path.is_dir() and not path.is_symlink():
        shutil.rmtree(path, ignore_errors=True)
    else:
        path.unlink(missing_ok=True)
    notify(f"Reste d'une écriture interrompue supprimé : « {path} ».")
