"""Where the shipped content/ and templates/ folders live (the only module that knows)."""

from __future__ import annotations

from importlib.resources import files
from pathlib import Path


def shipped(name: str) -> Path:
    """A shipped data folder: inside the installed wheel, or at the checkout's root."""
    packaged = Path(str(files("deployer") / name))
    if packaged.is_dir():
        return packaged
    return Path(__file__).resolve().parents[3] / name
