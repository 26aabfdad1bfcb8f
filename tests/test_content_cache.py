"""The validated content is kept between runs, and never used once something it depends on changed."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from deployer.errors import ContentError
from deployer.schema import cache
from deployer.schema.loader import default_root, load_content


@pytest.fixture
def folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A copy of the shipped content, with a cache folder of its own."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    copy = tmp_path / "content"
    shutil.copytree(default_root(), copy)
    return copy


def _set_title(folder: Path, title: str) -> None:
    meta = folder / "meta.yaml"
    text = meta.read_text(encoding="utf-8")
    start = text.index('title: "') + len('title: "')
    meta.write_text(text[:start] + title + text[text.index('"', start):], encoding="utf-8")


def test_second_load_comes_from_the_cache_and_equals_a_full_load(folder: Path) -> None:
    assert cache.cached_content(folder) is None
    loaded = load_content(folder)
    cached = cache.cached_content(folder)
    assert cached is not None and cached is not loaded
    assert cached == loaded
    assert load_content(folder) == loaded


def test_editing_a_content_file_invalidates_the_cache(folder: Path) -> None:
    load_content(folder)
    _set_title(folder, "Titre modifié")
    assert cache.cached_content(folder) is None
    assert load_content(folder).meta.title == "Titre modifié"
    _set_title(folder, "Titre remodifié")
    assert load_content(folder).meta.title == "Titre remodifié"


def test_an_invalid_edit_is_reported_even_after_a_valid_load(folder: Path) -> None:
    load_content(folder)
    (folder / "meta.yaml").write_text("version: [\n", encoding="utf-8")
    with pytest.raises(ContentError):
        load_content(folder)


def test_a_damaged_cache_is_ignored(folder: Path) -> None:
    loaded = load_content(folder)
    for path in (Path(cache.cache_folder("x") or "").parent).rglob("*.pickle"):
        path.write_bytes(b"\x80\x05garbage")
    assert cache.cached_content(folder) is None
    assert load_content(folder) == loaded
    assert cache.cached_content(folder) == loaded  # written again


def test_no_cache_folder_still_loads(folder: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("", encoding="utf-8")
    monkeypatch.setenv("XDG_CACHE_HOME", str(blocker))
    assert load_content(folder).meta.version
    assert cache.cached_content(folder) is None
