"""The validated content kept between runs: reading and validating content/ costs more than the
rest of most commands, and it changes only when a content file or the schema changes.

The cache lives in the user's cache folder (``$XDG_CACHE_HOME/deployer``, else ``~/.cache``), one
file per content folder. Its key hashes every file of the content folder (names and bytes), the
schema's code, deployer's, pydantic's and Python's versions: any edit means a full load. A cache
that cannot be read, written or trusted is ignored silently: the content is then loaded as usual.
Only content without any problem is cached, so « deployer content check » reports the same
problems with or without it.
"""

from __future__ import annotations

import hashlib
import os
import pickle
import sys
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from deployer.schema.content import Content

_SCHEMA = Path(__file__).parent


def cache_folder(name: str) -> Path | None:
    """``$XDG_CACHE_HOME/deployer/<name>`` (else ``~/.cache/...``), created; None if it cannot be."""
    root = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache")
    folder = root / "deployer" / name
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError:
        return None
    return folder


def content_key(root: Path) -> str:
    """A hash of everything the validated content depends on."""
    import pydantic

    from deployer import __version__

    digest = hashlib.blake2b(digest_size=20)
    digest.update(f"{__version__}\0{pydantic.VERSION}\0{sys.version}\0{root.resolve()}\0".encode())
    for folder, prefix in ((_SCHEMA, "schema"), (root, "content")):
        for path in sorted(p for p in folder.rglob("*") if p.is_file() and "__pycache__" not in p.parts):
            digest.update(f"{prefix}/{path.relative_to(folder).as_posix()}\0".encode())
            digest.update(path.read_bytes())
            digest.update(b"\0")
    return digest.hexdigest()


def _cache_file(root: Path) -> tuple[Path, str] | None:
    from deployer import __version__

    folder = cache_folder(f"contenu-{__version__}")
    if folder is None:
        return None
    try:
        key = content_key(root)
    except OSError:
        return None
    name = hashlib.blake2b(str(root.resolve()).encode(), digest_size=8).hexdigest()
    return folder / f"{name}.pickle", key


def cached_content(root: Path) -> Content | None:
    """The content validated by an earlier run, if nothing it depends on has changed since."""
    from deployer.schema.content import Content

    found = _cache_file(root)
    if found is None:
        return None
    path, key = found
    try:
        stored_key, content = pickle.loads(path.read_bytes())
    except Exception:  # noqa: BLE001 - missing, truncated or from another version: load normally
        return None
    return content if stored_key == key and isinstance(content, Content) else None


def keep_content(root: Path, content: Content) -> None:
    """Store validated content for the next runs (atomically; silently skipped if impossible)."""
    import tempfile

    found = _cache_file(root)
    if found is None:
        return
    path, key = found
    try:
        data = pickle.dumps((key, content), protocol=pickle.HIGHEST_PROTOCOL)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
        try:
            with os.fdopen(fd, "wb") as out:
                out.write(data)
            Path(tmp).replace(path)
        finally:
            Path(tmp).unlink(missing_ok=True)
    except Exception:  # noqa: BLE001 - a cache is an optimisation: never fail a command for it
        return
