"""Two cores for one dossier: on Linux, a forked child process builds the files of some formats
(ODT and XLSX: ``CHILD_FORMATS``) while the parent builds the others.

The child only builds: it sends its files back through a pipe and the parent writes the whole
folder at once (``deployer.files.write_folder``), so a failure never leaves a half-written
dossier. If the child fails in any way, the parent builds those formats itself: an error is
then reported exactly as without the child (a French message, no traceback). Set
``DEPLOYER_SEQUENTIEL=1`` to build everything in one process.
"""

from __future__ import annotations

import os
import pickle
import sys
from collections.abc import Callable

Files = dict[str, str | bytes]
# (formats, main) -> the files, in sections; the files that do not depend on the formats only if main
Build = Callable[[tuple[str, ...], bool], list[Files]]
CHILD_FORMATS = ("odt", "xlsx")


def can_fork() -> bool:
    """Whether a child process may be forked here (Linux, and not disabled)."""
    return sys.platform == "linux" and hasattr(os, "fork") and os.environ.get("DEPLOYER_SEQUENTIEL", "") in ("", "0")


def build_in_two(build: Build, formats: tuple[str, ...], order: tuple[str, ...], parallel: bool = True) -> Files:
    """Every file of ``build(formats, True)``, with ``CHILD_FORMATS`` built by a child process when
    ``parallel`` and possible. ``build`` returns its files in sections; files come out section by section, in the
    order of their extension in ``order`` (so in the same order with or without the child)."""
    theirs = tuple(f for f in formats if f in CHILD_FORMATS)
    ours = tuple(f for f in formats if f not in CHILD_FORMATS)
    fork = getattr(os, "fork", None)  # POSIX only
    if not parallel or not theirs or not ours or not can_fork() or fork is None:
        return _merged([build(formats, True)], order)
    reading, writing = os.pipe()
    pid = fork()
    if pid == 0:  # the child: build, send, and leave without running any of the parent's cleanup
        status = 1
        try:
            os.close(reading)
            data = pickle.dumps(build(theirs, False), protocol=pickle.HIGHEST_PROTOCOL)
            with os.fdopen(writing, "wb") as pipe:
                pipe.write(data)
            status = 0
        finally:
            os._exit(status)
    os.close(writing)
    try:
        mine = build(ours, True)
    except BaseException:
        os.close(reading)
        _stop(pid)
        raise
    return _merged([mine, _received(reading, pid) or build(theirs, False)], order)


def _received(reading: int, pid: int) -> list[Files] | None:
    """The child's files, or None if it failed (killed, an error, a broken pipe)."""
    try:
        with os.fdopen(reading, "rb") as pipe:
            data = pipe.read()
        _, status = os.waitpid(pid, 0)
    except OSError:
        return None
    if status != 0:
        return None
    try:
        files = pickle.loads(data)
    except Exception:  # noqa: BLE001 - a truncated message: build them here instead
        return None
    return files if isinstance(files, list) else None


def _stop(pid: int) -> None:
    import signal

    try:
        os.kill(pid, getattr(signal, "SIGKILL", signal.SIGTERM))  # only forked on Linux
        os.waitpid(pid, 0)
    except OSError:
        return


def _merged(parts: list[list[Files]], order: tuple[str, ...]) -> Files:
    """The sections of every part merged section by section, each sorted by extension."""
    def rank(name: str) -> int:
        extension = name.rsplit(".", 1)[-1]
        return order.index(extension) if extension in order else 0

    files: Files = {}
    for sections in zip(*parts, strict=True):
        names = [(name, data) for section in sections for name, data in section.items()]
        files.update(sorted(names, key=lambda item: rank(item[0])))
    return files
