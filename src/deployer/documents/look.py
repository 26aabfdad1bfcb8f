"""One visual style for the dossier's documents, read by the DOCX, ODT and HTML writers alike:
the same font, sizes, accent colour, table borders and header shading in every format.

A buyer's own model (``generate --modele-document``) replaces it in DOCX and ODT.
"""

from __future__ import annotations

FONT = "Arial"  # LibreOffice shows it with the metric-compatible Liberation Sans
FONT_STACK = '"Arial", "Liberation Sans", "Helvetica", sans-serif'  # HTML
MONO = "Liberation Mono"
ACCENT = "1F4E79"  # headings, title rule, quote bar
HEADER_FILL = "DDE4EE"  # table header cells
QUOTE_FILL = "F2F5F9"
BORDER = "777777"
BODY_PT = 10.5
SMALL_PT = 8.0  # running header and footer
HEADING_PT = {0: 20.0, 1: 15.0, 2: 12.5, 3: 11.0}  # 0 = the document's title
PAGE_CM = (21.0, 29.7)
MARGIN_CM = 2.2
TEXT_WIDTH_CM = PAGE_CM[0] - 2 * MARGIN_CM


def css() -> str:
    """The HTML page's rules for the same look (print included)."""
    return (
        f"body {{ font-family: {FONT_STACK}; font-size: {BODY_PT}pt; line-height: 1.45; color: #1e1e1e;"
        " max-width: 48rem; margin: 2rem auto; padding: 0 1rem; }\n"
        f"h1 {{ font-size: {HEADING_PT[0]}pt; color: #{ACCENT}; border-bottom: 2px solid #{ACCENT};"
        " padding-bottom: .3rem; }\n"
        f"h2 {{ font-size: {HEADING_PT[1]}pt; color: #{ACCENT}; margin-top: 2rem; }}\n"
        f"h3 {{ font-size: {HEADING_PT[2]}pt; color: #{ACCENT}; }}\n"
        f"h4 {{ font-size: {HEADING_PT[3]}pt; color: #{ACCENT}; }}\n"
        f"blockquote {{ border-left: 4px solid #{ACCENT}; margin: 1rem 0; padding: .2rem 1rem;"
        f" background: #{QUOTE_FILL}; font-style: italic; }}\n"
        "table { border-collapse: collapse; width: 100%; margin: 1rem 0; }\n"
        f"th, td {{ border: 1px solid #{BORDER}; padding: .3rem .5rem; text-align: left; vertical-align: top; }}\n"
        f"th {{ background: #{HEADER_FILL}; }}\n"
        f"code {{ font-family: \"{MONO}\", monospace; font-size: .95em; }}\n"
    )
