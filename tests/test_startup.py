"""Start-up stays fast: the CLI module imports no heavy library until a command needs it."""

from __future__ import annotations

import subprocess
import sys

HEAVY = ("questionary", "prompt_toolkit", "jinja2", "markdown_it", "pydantic", "yaml", "rich", "docx", "odfdo", "lxml")


def test_importing_the_cli_loads_no_heavy_library() -> None:
    code = f"import deployer.cli, sys; print(sorted(m for m in {HEAVY!r} if m in sys.modules))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_version_loads_no_heavy_library() -> None:
    code = (
        "import sys; sys.argv = ['deployer', '--version']\n"
        "from deployer.cli import main\n"
        "try:\n    main()\nexcept SystemExit:\n    pass\n"
        f"print(sorted(m for m in {HEAVY!r} if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip().endswith("[]")
