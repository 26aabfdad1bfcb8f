"""The one Jinja2 environment: shipped templates/, strict undefined, per-format escaping.

``*.html.j2`` templates are autoescaped; Markdown templates escape user text with ``md``.
"""

from __future__ import annotations

import re
from functools import cache
from typing import Any

import jinja2

from deployer.french import euros, lcfirst, number, percent, sentence, visible

_SPACES = re.compile(r"[^\S\u00a0\u202f]+")  # any whitespace but French no-break spaces
_MD_INLINE = re.compile(r"([\\`*_\[\]<>|~&])")  # « & »: a typed « &amp; » stays « &amp; »
_MD_BLOCK_START = re.compile(r"^([#>+=-])")
_MD_ORDERED_START = re.compile(r"^(\d+)([.)])")
_READ_VIA = re.compile(r"\s*\(lu via [^)]*\)")


def md_escape(value: Any) -> str:
    """Escape user text for Markdown: it cannot add structure (headings, tables, HTML).

    Newlines are folded (a line break could start a block); inline markup characters
    are backslash-escaped; a leading block marker (« # », « > », « - », « 1. ») too.
    """
    text = _SPACES.sub(" ", visible(str(value))).strip()
    text = _MD_INLINE.sub(r"\\\1", text)
    text = _MD_BLOCK_START.sub(r"\\\1", text)
    return _MD_ORDERED_START.sub(r"\1\\\2", text)


def official(publisher: str) -> str:
    """A source's publisher without the « (lu via …) » note on where the text was read."""
    return _READ_VIA.sub("", publisher).strip()


@cache
def environment() -> jinja2.Environment:
    """Templates from the shipped templates/ folder; a missing variable fails loudly."""
    from deployer.schema.resources import shipped

    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(shipped("templates"))),
        undefined=jinja2.StrictUndefined,
        autoescape=_is_html,
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
        bytecode_cache=_bytecode_cache(),
        finalize=_visible,
    )
    env.filters.update(md=md_escape, official=official, euros=euros, number=number, percent=percent,
                       lcfirst=lcfirst, sentence=sentence)
    return env


def _bytecode_cache() -> jinja2.BytecodeCache | None:
    """Compiled templates kept between runs in the user's cache folder (Jinja checks each
    template's checksum, so an edited template is compiled again); none if it cannot be written."""
    from deployer import __version__
    from deployer.schema.cache import cache_folder

    folder = cache_folder(f"modeles-{__version__}")
    if folder is None:
        return None
    return jinja2.FileSystemBytecodeCache(str(folder))


def _visible(value: Any) -> Any:
    """Every value a template prints loses its control and bidirectional-override characters
    (a file name or a text could otherwise display reordered); markup stays markup."""
    from markupsafe import Markup

    if isinstance(value, Markup):
        return Markup(visible(str(value)))
    return visible(value) if isinstance(value, str) else value


def _is_html(name: str | None) -> bool:
    """HTML templates (``*.html.j2``) escape every value; Markdown ones use the ``md`` filter."""
    return name is not None and name.endswith(".html.j2")


def render(name: str, **context: Any) -> str:
    """Render one template with the given context."""
    return environment().get_template(name).render(**context)
