"""Shared fixtures: a CLI runner in a temporary folder, a keyboard for prompts, content."""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner

from deployer import cli
from deployer.answers.answers_file import Answers, read_answers
from deployer.schema.content import Content
from deployer.schema.loader import load_content

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = ROOT / "examples"
EXAMPLE = EXAMPLES / "ville-de-sainte-claire-reponses.yaml"
GOLDEN = Path(__file__).parent / "golden"
# The caches (validated content, compiled templates) go to a folder of this test run, never to the
# user's: commands run in subprocesses inherit it.
os.environ["XDG_CACHE_HOME"] = tempfile.mkdtemp(prefix="deployer-tests-cache-")


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption("--update-golden", action="store_true", help="Rewrite golden files.")


@pytest.fixture(autouse=True)
def _fixed_terminal(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COLUMNS", "100")
    monkeypatch.setenv("NO_COLOR", "1")
    monkeypatch.delenv("DEPLOYER_CONTENU", raising=False)


@pytest.fixture(scope="session")
def content() -> Content:
    return load_content()


@pytest.fixture
def example(content: Content) -> Answers:
    return read_answers(EXAMPLE, content)


@pytest.fixture
def in_tmp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    return tmp_path


@pytest.fixture
def run(in_tmp: Path):  # noqa: ANN201 - returns a helper
    """Run a deployer command in a temporary folder; return the result."""
    cli.french_help()
    runner = CliRunner()

    def invoke(*args: str, input: str | None = None):  # noqa: A002, ANN202
        result = runner.invoke(cli.app, list(args), input=input)
        if result.exception and not isinstance(result.exception, SystemExit):
            raise result.exception
        return result

    return invoke


@pytest.fixture
def keyboard() -> Iterator[object]:
    """Keys for questionary prompts created inside the test (prompt_toolkit pipe input)."""
    from prompt_toolkit.application import create_app_session
    from prompt_toolkit.input import create_pipe_input
    from prompt_toolkit.output import DummyOutput

    with create_pipe_input() as pipe, create_app_session(input=pipe, output=DummyOutput()):
        yield pipe


FIXTURE_CONTENT = Path(__file__).parent / "fixtures" / "content"


@pytest.fixture
def fixture_content_root() -> Path:
    """A small content set (one module) whose every line the tests know."""
    return FIXTURE_CONTENT


@pytest.fixture(scope="session")
def fixture_content() -> Content:
    return load_content(FIXTURE_CONTENT)


@pytest.fixture
def content_copy(tmp_path: Path) -> Path:
    """A writable copy of the fixture content, to break in tests."""
    target = tmp_path / "content"
    shutil.copytree(FIXTURE_CONTENT, target)
    return target


def golden(name: str, actual: str, request: pytest.FixtureRequest) -> None:
    """Compare with tests/golden/NAME, or rewrite it with --update-golden."""
    path = GOLDEN / name
    if request.config.getoption("--update-golden"):
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(actual, encoding="utf-8")
    assert path.exists(), f"golden file {name} missing: run pytest --update-golden and review it"
    assert actual == path.read_text(encoding="utf-8"), f"golden file {name} differs"


os.environ.setdefault("PROMPT_TOOLKIT_NO_CPR", "1")
