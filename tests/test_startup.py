"""Start-up stays fast: the CLI module imports no heavy library until a command needs it."""

from __future__ import annotations

import subprocess
import sys

HEAVY = ("questionary", "prompt_toolkit", "jinja2", "markdown_it", "pydantic", "yaml", "rich", "docx", "odfdo", "lxml",
         "starlette", "uvicorn", "segno", "anyio")


def test_importing_the_cli_loads_no_heavy_library() -> None:
    code = f"import deployer.cli, sys; print(sorted(m for m in {HEAVY!r} if m in sys.modules))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_version_loads_no_heavy_library() -> None:
    code = (
        "import sys; sys.argv = ['deployer', '--version']\n"
        "from deployer.cli import main\n"
        "import atexit\n"
        f"atexit.register(lambda: print(sorted(m for m in {HEAVY!r} if m in sys.modules)))\n"
        "main()\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip().endswith("[]")


def test_help_loads_rich_but_not_markdown_nor_the_commands_libraries() -> None:
    code = (
        "import sys; sys.argv = ['deployer', '--help']\n"
        "from deployer.cli import main\n"
        "import atexit\n"
        "atexit.register(lambda: print(sorted(m for m in ('rich', 'markdown_it', 'rich.markdown', 'pygments',"
        " 'jinja2', 'pydantic', 'yaml', 'questionary') if m in sys.modules)))\n"
        "main()\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert "Commandes" in out.stdout
    assert out.stdout.strip().endswith("['rich']")


def test_the_deferred_rich_classes_still_work_when_used() -> None:
    code = (
        "from deployer import cli\n"
        "cli.french_help()\n"
        "import typer.rich_utils as ru\n"
        "from rich.markdown import Markdown\n"
        "print(type(ru.Markdown('# titre')) is Markdown, ru.Markdown.__module__)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.split() == ["True", "rich.markdown"]


def test_a_named_command_is_built_alone_and_behaves_the_same() -> None:
    from typer.testing import CliRunner

    from deployer import cli

    runner = CliRunner()
    for argv in (["generate", "--help"], ["answers", "check", "--help"], ["budget", "--population", "abc"]):
        reduced = cli.only(argv[0])
        assert reduced is not cli.app and len(reduced.registered_commands) + len(reduced.registered_groups) == 1
        alone, whole = runner.invoke(reduced, argv), runner.invoke(cli.app, argv)
        assert (alone.exit_code, alone.output) == (whole.exit_code, whole.output)
    assert cli.only("--help") is cli.app and cli.only("gen") is cli.app and cli.only(None) is cli.app
    assert len(cli.app.registered_commands) > 1  # the application itself is left whole


def test_the_console_entry_point_keeps_exit_codes_output_and_exit_handlers(tmp_path) -> None:  # noqa: ANN001
    """main() ends the process itself (deployer.cli.exit_now): what a shell sees does not change."""
    code = (
        "import atexit, sys\n"
        "atexit.register(lambda: print('exit handler ran'))\n"
        "from deployer.cli import main\n"
        "sys.argv = ['deployer'] + sys.argv[1:]\n"
        "main()\n"
    )
    missing = subprocess.run([sys.executable, "-c", code, "generate", str(tmp_path / "absent.yaml")],
                             capture_output=True, text=True)
    assert missing.returncode == 2 and "absent.yaml" in missing.stderr and "Traceback" not in missing.stderr
    assert missing.stdout.strip() == "exit handler ran"
    checked = subprocess.run([sys.executable, "-c", code, "content", "check"], capture_output=True, text=True)
    assert checked.returncode == 0 and checked.stdout.startswith("Contenu ") and "exit handler ran" in checked.stdout
    unknown = subprocess.run([sys.executable, "-c", code, "inconnue"], capture_output=True, text=True)
    assert unknown.returncode == 2 and "commande inconnue" in unknown.stderr
