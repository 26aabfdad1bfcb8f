"""The command line: a switchboard. Each command reads options, calls the core, renders.

One module per command or command group; this file registers them, in the order of
``deployer --help``. Only typer and light deployer modules are imported at start-up;
everything heavy is imported inside the command that needs it (see tests/test_startup.py).
"""

from __future__ import annotations

import sys

import typer

from deployer.cli import (
    answers_commands,
    content_commands,
    dossier_commands,
    live_command,
    report_commands,
    vendors_commands,  # noqa: F401 - the vendors group registers its own commands
    walk_commands,
    workshop_command,
)
from deployer.cli.app import answers_app, app, content_app
from deployer.cli.french_help import french_help

app.command()(walk_commands.start)
app.command()(report_commands.score)
app.command()(dossier_commands.generate)
app.command()(dossier_commands.budget)
app.command()(walk_commands.learn)
app.command()(workshop_command.workshop)
app.command()(live_command.live)
app.command()(dossier_commands.demo)
content_app.command("check")(content_commands.content_check)
answers_app.command("check")(answers_commands.answers_check)
answers_app.command("template")(answers_commands.answers_template)
answers_app.command("convert")(answers_commands.answers_convert)
answers_app.command("schema")(answers_commands.answers_schema)


def console_safe_streams() -> None:
    """A console that is not UTF-8 (Windows cp1252 or cp850, an ASCII pipe) shows the closest
    characters it has instead of failing on « », no-break spaces or €."""
    import codecs

    from deployer.french import console_fallback

    codecs.register_error("deployer-console", console_fallback)
    for stream in (sys.stdout, sys.stderr):
        encoding = (getattr(stream, "encoding", None) or "").lower().replace("-", "")
        if encoding != "utf8" and hasattr(stream, "reconfigure"):
            stream.reconfigure(errors="deployer-console")


# Commands that can run for minutes or hours keep Python's cycle collector; the others finish in
# about a second, and pausing it spares them its passes over every object they build.
LONG_RUNNING = frozenset({"start", "learn", "live", "workshop"})


def main() -> None:
    """Console-script entry point. Leaves through ``exit_now``: the process ends as soon as the
    command has finished (its exit handlers run, its output is flushed)."""
    import gc
    import os

    # deployer uses no pydantic plugin: without this, pydantic scans every installed package's
    # entry points the first time it validates (documented setting; a user's own value is kept).
    os.environ.setdefault("PYDANTIC_DISABLE_PLUGINS", "__all__")
    console_safe_streams()
    if sys.argv[1:] != ["--version"]:
        french_help()
    name = sys.argv[1] if len(sys.argv) > 1 else None
    if name not in LONG_RUNNING:
        gc.disable()
    try:
        only(name)()
    except SystemExit as stop:
        exit_now(stop.code)
    exit_now(0)


def exit_now(code: object) -> None:
    """End the process with ``code`` as ``sys.exit`` would, without tearing the interpreter down
    (freeing every module and object one by one takes about 60 ms after a dossier, for nothing):
    the exit handlers run and the output is flushed first; files are already closed (every
    write is atomic)."""
    import atexit
    import os

    atexit._run_exitfuncs()
    if code is None:
        status = 0
    elif isinstance(code, int):
        status = code
    else:
        print(code, file=sys.stderr)
        status = 1
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except (OSError, ValueError):  # a closed pipe (« deployer … | head »): nothing more to say
            pass
    os._exit(status)


def only(name: str | None) -> typer.Typer:
    """The application reduced to the command or group that the command line names: typer reads
    the signature of every registered command before it runs one (about 15 ms for deployer's
    seventeen). Without a known name (``--help``, a typo), the whole application."""
    import copy

    commands = [c for c in app.registered_commands if (c.name or command_name(c.callback)) == name]
    groups = [g for g in app.registered_groups if g.name == name]
    if not commands and not groups:
        return app
    reduced = copy.copy(app)
    reduced.registered_commands, reduced.registered_groups = commands, groups
    return reduced


def command_name(callback: object) -> str:
    """The name typer gives a command registered without one (``answers_check`` → ``answers-check``)."""
    return getattr(callback, "__name__", "").lower().replace("_", "-")
