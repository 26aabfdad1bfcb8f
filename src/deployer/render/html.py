"""A self-contained HTML page from rendered Markdown (print-ready CSS, no external file)."""

from __future__ import annotations

from deployer.render.blocks import CHECKBOX


def to_html(markdown: str, title: str) -> str:
    """The page. Raw HTML in the Markdown is disabled, so every character of user text is
    escaped by markdown-it; the title is escaped by the template."""
    from markdown_it import MarkdownIt

    from deployer.render.templates import render

    body = MarkdownIt("commonmark", {"html": False}).enable("table").render(markdown)
    body = body.replace("<li>[ ] ", "<li>" + CHECKBOX)
    return render("html/document.html.j2", title=title, body=body)
