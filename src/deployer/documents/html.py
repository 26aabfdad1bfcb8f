"""A self-contained HTML page from rendered Markdown (print-ready CSS, no external file), in the
dossier's look (documents/look.py), with the same running header as the office files."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from deployer.documents.blocks import CHECKBOX, markdown_parser, markdown_tokens

if TYPE_CHECKING:
    from deployer.documents.page import PageInfo


def to_html(markdown: str, page: PageInfo) -> str:
    """The page. Raw HTML in the Markdown is disabled, so markdown-it escapes every character of
    user text; the template (*.html.j2: autoescaped) escapes the title and the running header."""
    from markupsafe import Markup

    from deployer.documents.look import css
    from deployer.documents.templates import render

    parser = markdown_parser()
    body = parser.renderer.render(markdown_tokens(markdown), parser.options, {})
    body = body.replace("<li>[ ] ", "<li>" + CHECKBOX)
    body = re.sub(r"<th(?=[ >])", '<th scope="col"', body)  # Markdown tables: headers only in <thead>
    return render("cahier-des-charges.html.j2", title=page.full_title, running=page.header, version=page.version,
                  css=Markup(css()), body=Markup(body))  # css is ours; body already escaped
