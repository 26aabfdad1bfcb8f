"""Typer's and Click's own words (help panels, usage errors, types) in French."""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any


def french_help() -> None:
    """Typer's own words (panel titles, defaults, errors) in French. typer.rich_utils (and rich)
    is imported only by the help and by an error: its words are set when it is, so that a command
    that succeeds never pays for it."""
    _french_help_option()
    _french_types()
    _french_usage()
    if "typer.rich_utils" in sys.modules:
        _french_rich_utils(sys.modules["typer.rich_utils"])
    elif not any(isinstance(finder, _RichUtilsFinder) for finder in sys.meta_path):
        sys.meta_path.insert(0, _RichUtilsFinder())


def _french_rich_utils(ru: Any) -> None:
    ru.ARGUMENTS_PANEL_TITLE = "Arguments"
    ru.OPTIONS_PANEL_TITLE = "Options"
    ru.COMMANDS_PANEL_TITLE = "Commandes"
    ru.ERRORS_PANEL_TITLE = "Erreur"
    ru.DEFAULT_STRING = "[défaut : {}]"
    ru.REQUIRED_LONG_STRING = "[obligatoire]"
    ru.ENVVAR_STRING = "[variable d'environnement : {}]"
    ru.RICH_HELP = "Essayez [blue]« {command_path} {help_option} »[/] pour l'aide."
    ru.ABORTED_TEXT = "Interrompu."
    _french_usage_errors(ru)


class _RichUtilsFinder:
    """Finds typer.rich_utils like the normal import would, and runs it lightly (see
    ``_DEFERRED_RICH``), then sets its words in French."""

    def find_spec(self, name: str, path: Any = None, target: Any = None) -> Any:
        if name != "typer.rich_utils":
            return None
        from importlib.machinery import PathFinder

        spec = PathFinder.find_spec(name, path)
        if spec is not None and spec.loader is not None:
            spec.loader = _FrenchLoader(spec.loader)  # type: ignore[assignment]  # a Loader by duck typing
        return spec


class _FrenchLoader:
    def __init__(self, loader: Any) -> None:
        self.loader = loader

    def create_module(self, spec: Any) -> Any:
        return self.loader.create_module(spec)

    def exec_module(self, module: Any) -> None:
        with _rich_deferred():
            self.loader.exec_module(module)
        _french_rich_utils(module)


# Click's usage errors are English f-strings: French for the ones a user meets.
_CLICK_ERRORS = [
    (r"Missing argument '(.+)'\.", "argument manquant : {0}."),
    (r"Missing option '(.+)'\.", "option manquante : {0}."),
    (r"No such option: (\S+) Did you mean (\S+)\?", "option inconnue : {0}. Vouliez-vous dire {1} ?"),
    (r"No such option: (\S+)(?: \(Possible options: (.+)\))?", "option inconnue : {0}."),
    (r"No such command '(.+)'\.", "commande inconnue : « {0} »."),
    (r"Got unexpected extra argument(?:s|\(s\))? \((.+)\)", "argument en trop : {0}."),
    (r"Option '(.+)' requires an argument\.", "l'option {0} attend une valeur."),
    (r"Option '(.+)' does not take a value\.", "l'option {0} ne prend pas de valeur."),
    (r"Invalid value for '(.+)': .*(?:integer|int).*", "valeur invalide pour {0} : un nombre entier est attendu."),
    (r"Invalid value for '(.+)': (.+)", "valeur invalide pour {0} : {1}"),
]


def _french_usage_errors(ru: Any) -> None:
    import re

    from deployer.french import fix_typography

    original = ru.rich_format_error
    if getattr(original, "french", False):
        return

    def rich_format_error(error: Any) -> None:
        message = error.format_message()
        for pattern, french in _CLICK_ERRORS:
            if match := re.fullmatch(pattern, message, flags=re.S):
                message = fix_typography(french.format(*match.groups()))
                break
        error.format_message = lambda: message
        original(error)

    rich_format_error.french = True  # type: ignore[attr-defined]
    ru.rich_format_error = rich_format_error


def _french_usage() -> None:
    import typer._click.formatting as formatting

    if getattr(formatting.HelpFormatter.write_usage, "french", False):
        return

    write_usage = formatting.HelpFormatter.write_usage

    def french_usage(self: Any, prog: str, args: str = "", prefix: str | None = None) -> None:
        write_usage(self, prog, args, "Utilisation : " if prefix is None else prefix)

    french_usage.french = True  # type: ignore[attr-defined]
    formatting.HelpFormatter.write_usage = french_usage  # type: ignore[method-assign]


# Typer shows each parameter's Python type (« <bool> », « <list[Path]> »): French words instead,
# and nothing for on/off flags.
_FRENCH_TYPES = {"bool": "", "str": "TEXTE", "int": "NOMBRE", "path": "CHEMIN", "list[path]": "CHEMIN…",
                 "list[str]": "TEXTE…"}


def _french_types() -> None:
    from typer import core

    for kind in (core.TyperOption, core.TyperArgument):
        original = kind.display_type_rich
        if getattr(original, "french", False):
            continue

        def display(self: Any, ctx: Any, _original: Any = original) -> str | None:
            label: str | None = _original(self, ctx)
            if label is None:
                return None
            return _FRENCH_TYPES.get(label.strip("<>").removesuffix("...").lower(), label)

        display.french = True  # type: ignore[attr-defined]
        kind.display_type_rich = display  # type: ignore[method-assign]


def _french_help_option() -> None:
    """Click's « Show this message and exit. » is hard-coded: relabel the option it builds."""
    import typer._click.decorators as decorators

    original = decorators.help_option
    if getattr(original, "french", False):
        return

    def help_option(param_decls: list[str]) -> Callable[[Any], Any]:
        decorate = original(param_decls)

        def apply(command: Any) -> Any:
            command = decorate(command)
            command.params[-1].help = "Afficher cette aide et quitter."
            return command

        return apply

    help_option.french = True  # type: ignore[attr-defined]
    decorators.help_option = help_option


# typer.rich_utils imports rich.markdown (and markdown-it) for rich_markup_mode="markdown"
# and rich.traceback for pretty exceptions; deployer uses neither, and they are about a
# fifth of the cold start of `deployer --help` (benchmarks/commands.py). Give rich_utils
# stand-ins that import the real class only if it is ever instantiated.
_DEFERRED_RICH = {"rich.markdown": "Markdown", "rich.traceback": "Traceback"}


@contextmanager
def _rich_deferred() -> Iterator[None]:
    """While typer.rich_utils is imported: stand-ins for ``_DEFERRED_RICH``."""
    import types

    stubs: dict[str, types.ModuleType] = {}
    for module, name in _DEFERRED_RICH.items():
        if module not in sys.modules:
            stubs[module] = types.ModuleType(module)
            setattr(stubs[module], name, _stand_in(module, name))
    sys.modules.update(stubs)
    try:
        yield
    finally:
        for module, stub in stubs.items():
            if sys.modules.get(module) is stub:
                del sys.modules[module]


def _stand_in(module: str, name: str) -> type:
    def __new__(cls: type, *args: Any, **kwargs: Any) -> Any:
        import importlib

        return getattr(importlib.import_module(module), name)(*args, **kwargs)

    return type(name, (), {"__new__": __new__, "__module__": module})
