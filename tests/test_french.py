"""French typography helpers, and Rich taught not to break lines at no-break spaces."""

from __future__ import annotations

import io

import pytest
from rich.console import Console
from rich.text import Text

import deployer.documents  # noqa: F401 - installs French wrapping
from deployer.french import counted, euros, fix_typography


def _wrapped(text: str, width: int) -> list[str]:
    out = io.StringIO()
    Console(file=out, width=width, highlight=False).print(Text(text))
    return out.getvalue().splitlines()


@pytest.mark.parametrize("width", range(14, 60))
def test_rich_never_breaks_a_line_at_a_no_break_space(width: int) -> None:
    text = fix_typography(f"Un budget de {euros(12000)} par an ; un quiz « mythes et réalités » : lequel ?")
    lines = _wrapped(text, width)
    assert not any(line.lstrip().startswith(("»", ";", ":", "?", "€", "000")) for line in lines), lines
    assert "".join("".join(line.split()) for line in lines) == "".join(text.split())


def test_plurals() -> None:
    assert counted(0, "groupe") == "0 groupe"
    assert counted(1, "signal bloquant", "signaux bloquants") == "1 signal bloquant"
    assert counted(2, "signal bloquant", "signaux bloquants") == "2 signaux bloquants"
    assert counted(1200, "fichier") == "1\u202f200 fichiers"
