"""Every text a user reads follows French typography: a no-break space (never an ordinary one)
before « : ; ? ! », € and %, inside « », and between thousands; and one kind of apostrophe per document.

Scanned: every Markdown and HTML page of ``deployer demo``, the workshop page, and what the
terminal shows for ``score``, ``budget``, ``learn`` and ``vendors``. Content strings are written
with ordinary spaces (readable YAML) and fixed by ``french.fix_typography`` when rendered; what
that cannot fix (thousands, apostrophes) must be right in the content itself.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterator
from datetime import date
from functools import cache
from typing import Any

import pytest
import yaml
from typer.testing import CliRunner

from deployer import cli
from deployer.french import fix_typography
from deployer.schema import loader
from tests.conftest import EXAMPLES, ROOT

RULES = {
    "ordinary space before « : ; ? ! »": re.compile(r"(?<=\S) (?:[;?!]|:(?=\s|$))"),
    "ordinary space after «": re.compile(r"« "),
    "ordinary space before »": re.compile(r" »"),
    "ordinary space between thousands": re.compile(r"(?<![\d,.])\d{1,3}(?: \d{3})+(?![\d,])"),
    "ordinary space before € or %": re.compile(r"\d [€%]"),
}
STRAIGHT = re.compile(r"\w'\w")
CURLY = re.compile(r"\w’\w")
CODE = re.compile(r"`[^`\n]*`")  # commands and file names in Markdown are not prose


def problems(text: str) -> list[str]:
    """What breaks French typography in ``text``, each with a little context."""
    prose = CODE.sub("", text)
    found = [f"{rule}: …{prose[max(m.start() - 30, 0):m.end() + 10]}…"
             for rule, pattern in RULES.items() for m in pattern.finditer(prose)]
    if STRAIGHT.search(prose) and CURLY.search(prose):
        found.append(f"straight and typographic apostrophes mixed: {CURLY.search(prose)}, {STRAIGHT.search(prose)}")
    return found


def html_text(page: str) -> str:
    """The text a reader of the page sees (and hears): tags and style sheet removed."""
    page = re.sub(r"(?s)<style.*?</style>", "", page)
    return html.unescape(re.sub(r"<[^>]+>", "", page))


def test_the_scanner_finds_what_it_looks_for() -> None:
    assert len(problems("Prix : 3 500 € ; « oui » ? l'offre et l’offre")) == 8
    assert problems(fix_typography("Prix : 3\u202f500\u00a0€ ; « oui » ? l'offre, `deployer start --x :`")) == []


@cache
def _content() -> Any:
    return loader.load_content()


@pytest.fixture(scope="module")
def terminal_outputs() -> dict[str, str]:
    """What the terminal shows for score, budget, learn and vendors, as a user runs them."""
    content = _content()
    examples = sorted(EXAMPLES.glob("*-reponses.yaml"))
    commands = [["learn"], *(["learn", m.id] for m in content.modules), ["vendors"], ["vendors", "--actif"],
                *(["vendors", "show", v.id] for v in content.vendors),
                *(["vendors", "compare", *(v.id for v in content.vendors[i:i + 4])] for i in range(0, 12, 4)),
                ["budget", "--population", "3500"], ["budget", "--population", "250000", "--modele", "logiciel_libre"]]
    for path in examples:
        commands += [["score", str(path)], ["budget", str(path)], ["vendors", "match", str(path)]]
    commands += [["score", str(examples[0]), "--why", m.id] for m in content.scored_modules]
    cli.french_help()
    runner = CliRunner()
    outputs = {}
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(loader, "load_content", lambda *args: _content())  # read content/ once
        for args in commands:
            result = runner.invoke(cli.app, args, env={"COLUMNS": "100", "NO_COLOR": "1"})
            assert result.exit_code == 0, (args, result.output)
            outputs[" ".join(args)] = result.stdout
    return outputs


@pytest.fixture(scope="module")
def documents() -> dict[str, str]:
    """The demo's text documents (Markdown, and the text of HTML pages) and the workshop page."""
    from deployer.analysis.workshop import aggregate
    from deployer.answers.group_files import read_group_files
    from deployer.documents.dossier import build_demo
    from deployer.documents.workshop import workshop_html

    content = _content()
    files = build_demo(content, sorted(EXAMPLES.glob("*-reponses.yaml")), date(2026, 11, 21), formats=("md", "html"))
    texts = {name: data for name, data in files.items() if isinstance(data, str) and name.endswith((".md", ".html"))}
    groups, _ = read_group_files([EXAMPLES], content)
    texts["atelier.html"] = workshop_html(content, aggregate(content, groups))
    texts["atelier-objectifs.html"] = workshop_html(content, aggregate(content, groups, "objectifs"))
    return {name: html_text(text) if name.endswith(".html") else text for name, text in texts.items()}


def test_every_generated_document_follows_french_typography(documents) -> None:
    assert {n.rsplit("/", 1)[-1] for n in documents} >= {"README.md", "cahier-des-charges.md", "note-de-cadrage.md",
                                                         "budget.md", "benchmark.md", "rapport.html",
                                                         "cahier-des-charges.html", "atelier.html"}
    assert {name: found for name, text in documents.items() if (found := problems(text))} == {}


def test_every_terminal_output_follows_french_typography(terminal_outputs) -> None:
    assert all(len(text) > 200 for text in terminal_outputs.values())
    assert {args: found for args, text in terminal_outputs.items() if (found := problems(text))} == {}


def _strings(node: Any, where: str) -> Iterator[tuple[str, str]]:
    if isinstance(node, str):
        yield where, node
    elif isinstance(node, dict):
        for key, value in node.items():
            yield from _strings(value, f"{where}.{key}")
    elif isinstance(node, list):
        for i, value in enumerate(node):
            yield from _strings(value, f"{where}[{i}]")


def content_strings() -> list[tuple[str, str]]:
    return [pair for path in sorted((ROOT / "content").rglob("*.yaml"))
            for pair in _strings(yaml.safe_load(path.read_text(encoding="utf-8")), str(path.relative_to(ROOT)))]


def test_every_content_string_is_right_once_rendered() -> None:
    strings = content_strings()
    assert len(strings) > 1000
    assert {where: found for where, text in strings if (found := problems(fix_typography(text)))} == {}


def test_the_content_uses_one_kind_of_apostrophe() -> None:
    text = "\n".join(text for _, text in content_strings())
    assert STRAIGHT.search(text) and not CURLY.search(text), "content/ writes the apostrophe ' (never ’)"
