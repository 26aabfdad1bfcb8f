"""A self-contained HTML page from rendered Markdown (print-ready CSS, no external file)."""

from __future__ import annotations

import re

from deployer.documents.blocks import CHECKBOX


def to_html(markdown: str, title: str) -> str:
    """The page. Raw HTML in the Markdown is disabled, so markdown-it escapes every character of
    user text; the template (*.html.j2: autoescaped) escapes the title."""
    from markdown_it import MarkdownIt
    from markupsafe import Markup

    from deployer.documents.templates import render

    body = MarkdownIt("commonmark", {"html": False}).enable("table").render(markdown)
    body = body.replace("<li>[ ] ", "<li>" + CHECKBOX)
    body = re.sub(r"<th(?=[ >])", '<th scope="col"', body)  # Markdown tables: headers only in <thead>
    return render("cahier-des-charges.html.j2", title=title, body=Markup(body))  # already escaped
