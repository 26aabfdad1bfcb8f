"""Our own pages meet the bar the CCTP sets for vendors: axe-core (WCAG 2.x A/AA and best
practices) in a real headless Chromium finds nothing on any HTML page we write; the pages
reflow at 200 % zoom and print on A4 without a heading stranded at the foot of a page.

Needs Debian's ``chromium``, Playwright for Python (the ``test`` extra) and axe-core from npm
(``npm install --prefix .ci/node axe-core``, done by ``.ci/run``); skips, saying which is
missing, where one is absent.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from deployer import cli
from tests.conftest import EXAMPLES, ROOT

CHROMIUM = Path(os.environ.get("DEPLOYER_CHROMIUM", "/usr/bin/chromium"))
AXE = Path(os.environ.get("DEPLOYER_AXE", ROOT / ".ci" / "node" / "node_modules" / "axe-core" / "axe.min.js"))
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--no-first-run"]
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"]
EXAMPLE_STEMS = sorted(p.name.removesuffix("-reponses.yaml") for p in EXAMPLES.glob("*-reponses.yaml"))
DEMO_PAGES = [f"{stem}/{page}" for stem in EXAMPLE_STEMS for page in ("rapport.html", "cahier-des-charges.html")]
WORKSHOP_PAGES = ["atelier.html", "atelier-objectifs.html"]


def _no_browser() -> str | None:
    if not CHROMIUM.exists():
        return f"chromium absent ({CHROMIUM}): install Debian's chromium package, as .ci/run does"
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return "Playwright for Python absent: pip install '.[test]'"
    return None


pytestmark = pytest.mark.skipif(_no_browser() is not None, reason=_no_browser() or "")
NO_AXE = f"axe-core absent ({AXE}): run `npm install --prefix .ci/node axe-core`, as .ci/run does"


def _invoke(*args: str) -> None:
    cli.french_help()
    result = CliRunner().invoke(cli.app, list(args))
    assert result.exit_code == 0, result.output


@pytest.fixture(scope="module")
def pages(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """Every HTML page we write: the demo's (reports and CCTP) and the workshop pages."""
    folder = tmp_path_factory.mktemp("pages")
    demo = folder / "demo"
    _invoke("demo", "-o", str(demo))
    _invoke("workshop", str(demo), "--format", "html", "-o", str(folder / "atelier.html"))
    _invoke("workshop", str(demo), "--module", "objectifs", "--format", "html", "-o",
            str(folder / "atelier-objectifs.html"))
    found = {f"{p.parent.name.split('-', 1)[1]}/{p.name}": p for p in demo.glob("*/*.html")}
    assert sorted(found) == sorted(DEMO_PAGES), "the demo writes HTML pages this test does not know"
    return {**found, **{name: folder / name for name in WORKSHOP_PAGES}}


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield launched
        launched.close()


def _open(browser: Any, path: Path, width: int = 1280) -> Any:
    page = browser.new_page(viewport={"width": width, "height": 900})
    page.goto(path.as_uri())
    return page


@pytest.mark.skipif(not AXE.exists(), reason=NO_AXE)
@pytest.mark.parametrize("name", DEMO_PAGES + WORKSHOP_PAGES)
def test_axe_finds_no_violation(browser, pages, name) -> None:
    page = _open(browser, pages[name])
    page.add_script_tag(content=AXE.read_text(encoding="utf-8"))
    result = page.evaluate("tags => axe.run(document, {runOnly: {type: 'tag', values: tags}})", AXE_TAGS)
    page.close()
    violations = [f"{v['id']} ({v['impact']}): {v['help']} — {[n['target'] for n in v['nodes'][:3]]}"
                  for v in result["violations"]]
    assert result["passes"], "axe ran no check"
    assert violations == []


@pytest.mark.parametrize("name", [f"{EXAMPLE_STEMS[0]}/rapport.html", *WORKSHOP_PAGES])
def test_page_reflows_at_200_percent_zoom(browser, pages, name) -> None:
    """A 1280-pixel screen at 200 % is a 640-pixel viewport: no page-wide horizontal scrolling,
    and no table header whose words spill over into the next column."""
    page = _open(browser, pages[name], width=640)
    overflow = page.evaluate("""() => ({
        page: document.documentElement.scrollWidth - window.innerWidth,
        headers: [...document.querySelectorAll('th')].filter(th => th.scrollWidth > th.clientWidth + 1)
                 .map(th => th.textContent)})""")
    page.close()
    assert overflow == {"page": 0, "headers": []}


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="pdftotext (poppler-utils) absent")
@pytest.mark.parametrize("name", [f"{stem}/rapport.html" for stem in EXAMPLE_STEMS] + WORKSHOP_PAGES)
def test_page_prints_on_a4_with_no_heading_at_the_foot_of_a_page(browser, pages, name, tmp_path) -> None:
    page = _open(browser, pages[name])
    headings = [" ".join(h.split()) for h in page.eval_on_selector_all("h2, h3", "hs => hs.map(h => h.innerText)")]
    pdf = tmp_path / "page.pdf"
    page.pdf(path=str(pdf), prefer_css_page_size=True)
    page.close()
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout
    assert re.search(r"Page size:\s+59[45]\.\d+ x 841\.\d+ pts \(A4\)", info), info
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    last_lines = [" ".join(p.split()) for p in text.split("\f") if p.strip()]
    stranded = [h for h in headings for p in last_lines if h and p.endswith(h)]
    assert len(last_lines) > 1 and headings
    assert stranded == []
