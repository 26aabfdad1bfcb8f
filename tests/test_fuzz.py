"""Fuzzing: hostile or broken answers files and content files never crash deployer.

Every command that reads them either succeeds or explains the problem in French and
exits 2 — no traceback, no partial output.
"""

from __future__ import annotations

import functools
import shutil
import tempfile
from datetime import date
from pathlib import Path
from typing import Any

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from deployer import cli
from deployer.analysis.assessment import assess
from deployer.analysis.budget import estimate_budget
from deployer.answers.answers_file import parse_answers
from deployer.documents.dossier import render_cctp
from deployer.schema.loader import collect_content, load_content
from tests.conftest import EXAMPLE, FIXTURE_CONTENT

EXAMPLE_DATA = yaml.safe_load(EXAMPLE.read_text(encoding="utf-8"))

HOSTILE = [
    b"", b"\x00", b"\xff\xfe\x00", b"\xef\xbb\xbf" + EXAMPLE.read_bytes(), EXAMPLE.read_bytes().replace(b"\n", b"\r\n"),
    b"format: 1\nprofil: !!python/object/apply:os.system ['echo pwned']\n",
    b"a: &a [x, x]\nb: &b [*a, *a]\nc: &c [*b, *b]\nd: [*c, *c]\n",  # alias bomb
    b"format: 1\nreponses: " + b"[" * 5000 + b"]" * 5000 + b"\n",
    b"format: 1\nreponses: " + b"{a: " * 3000 + b"1" + b"}" * 3000 + b"\n",
    b"format: 1\nprofil: {nom: '" + b"A" * 1_000_000 + b"'}\n",
    "format: 1\nprofil: {nom: Écully}\n".encode("latin-1"),
    b"format: 1\nprofil: {nom: \"\\0\\x07\"}\n", b"- 1\n- 2\n",
    b"format: 1\nprofil: {nom: A}\nprofil: {nom: B}\n", b"format: 1\nprofil: {nom: A, nom: B}\n",  # duplicates
    "format: 1\nprofil: {nom: \"\u202egnp.exe\u2066x\u2069\\e[31m\"}\n".encode(),  # bidi and escape codes
    b"format: 1\nprofil: {population: " + b"9" * 400 + b"}\n", b"just text", b"{{{", b"format: 1\n\tindent: x\n",
]

scalars = st.one_of(
    st.none(), st.booleans(), st.integers(min_value=-(10**30), max_value=10**30), st.floats(allow_nan=True),
    st.text(max_size=50), st.text(max_size=3).map(lambda t: t * 10_000), st.sampled_from(["nsp", "oui", "=1+1", "@x"]),
)
values = st.recursive(scalars, lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8),
                                                                                          inner, max_size=4),
                      max_leaves=12)


@st.composite
def mutated_examples(draw: st.DrawFn) -> bytes:
    """The example answers file with a few values replaced, removed or added."""
    data: dict[str, Any] = yaml.safe_load(yaml.safe_dump(EXAMPLE_DATA))
    for _ in range(draw(st.integers(1, 4))):
        section = draw(st.sampled_from(["profil", "reponses", "format", "version_contenu", "inconnue"]))
        if section == "reponses":
            module = draw(st.sampled_from([*data["reponses"], "inconnu"]))
            questions = data["reponses"].setdefault(module, {}) or {}
            if not isinstance(questions, dict):
                continue
            key = draw(st.sampled_from([*questions, "inconnue"]))
            if draw(st.booleans()):
                questions[key] = draw(values)
            else:
                questions.pop(key, None)
            data["reponses"][module] = questions
        elif section == "profil":
            data["profil"][draw(st.sampled_from(["nom", "type", "population", "autre"]))] = draw(values)
        else:
            data[section] = draw(values)
    text = yaml.safe_dump(data, allow_unicode=True)
    return text.replace("\n", "\r\n").encode() if draw(st.booleans()) else text.encode()


answers_files = st.one_of(st.sampled_from(HOSTILE), mutated_examples(), st.binary(max_size=300))
def fuzz(examples: int) -> settings:
    return settings(max_examples=examples, deadline=None,
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])


@fuzz(150)
@given(raw=answers_files)
def test_the_core_never_crashes_on_any_answers_file(content, raw: bytes) -> None:
    answers, problems = parse_answers(raw, "f.yaml", content)
    assert answers is not None or problems
    assert all(str(p).startswith("f.yaml") for p in problems)
    if answers is not None and not problems:
        assess(content, answers)
        estimate_budget(content, answers, today=date(2026, 11, 22))
        render_cctp(content, answers, date(2026, 11, 22))


@fuzz(25)
@given(raw=answers_files)
def test_every_command_reading_answers_succeeds_or_explains_in_french(raw: bytes) -> None:
    cli.french_help()
    runner = CliRunner()
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "f-reponses.yaml"
        path.write_bytes(raw)
        out = Path(tmp) / "dossier"
        commands = (["answers", "check"], ["score"], ["score", "--format", "json"], ["budget"], ["vendors", "match"],
                    ["workshop"], ["generate", "-o", str(out)])
        for args in commands:
            result = runner.invoke(cli.app, [*args, str(path)])
            assert result.exit_code in (0, 2), (args, result.output)
            assert not isinstance(result.exception, Exception) or isinstance(result.exception, SystemExit)
            assert "Traceback" not in result.output
            if result.exit_code == 2:
                assert "Erreur" in result.output or "erreur" in result.output
        if out.exists():
            assert {p.name for p in out.iterdir()} >= {"cahier-des-charges.md", "budget.md"}
        assert not [p for p in Path(tmp).iterdir() if p.name.startswith(".")]


@st.composite
def broken_content(draw: st.DrawFn) -> tuple[str, bytes]:
    """A content file of the fixture content replaced by a mutation or hostile bytes."""
    files = sorted(p.relative_to(FIXTURE_CONTENT).as_posix() for p in FIXTURE_CONTENT.rglob("*.yaml"))
    name = draw(st.sampled_from(files))
    original = yaml.safe_load((FIXTURE_CONTENT / name).read_text(encoding="utf-8"))
    if draw(st.booleans()):
        return name, draw(st.sampled_from(HOSTILE))
    if isinstance(original, dict) and original:
        original[draw(st.sampled_from(sorted(original)))] = draw(values)
    return name, yaml.safe_dump(original, allow_unicode=True).encode()


@fuzz(60)
@given(change=broken_content())
def test_broken_content_is_reported_never_crashes(change: tuple[str, bytes]) -> None:
    name, raw = change
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp) / "content"
        shutil.copytree(FIXTURE_CONTENT, root)
        (root / name).write_bytes(raw)
        loaded, problems = collect_content(root)
        assert loaded is not None or problems
        for problem in problems:
            assert str(problem)


# -- issue 18: duplicate keys, control characters, text kept as typed --------------------

_CONTROL = "[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]"
keys = st.text(alphabet="abcdefghijklmnopqrstuvwxyz_", min_size=1, max_size=8).map("k_{}".format)


@st.composite
def duplicated_yaml(draw: st.DrawFn) -> tuple[str, str, int, int]:
    """A block-style YAML mapping nested a few levels deep, one key repeated at some level."""
    depth = draw(st.integers(0, 4))
    lines: list[str] = []
    for level in range(depth):
        lines += [f"{'  ' * level}{k}: x" for k in draw(st.lists(keys, max_size=2, unique=True))]
        lines.append(f"{'  ' * level}niveau_{level}:")
    indent = "  " * depth
    siblings = draw(st.lists(keys, min_size=1, max_size=5, unique=True))
    key = draw(st.sampled_from(siblings))
    first = len(lines) + siblings.index(key) + 1
    lines += [f"{indent}{k}: {draw(st.integers(0, 9))}" for k in siblings]
    lines.append(f"{indent}{key}: {draw(values.filter(lambda v: isinstance(v, int | str | None)))!r}")
    return "\n".join(lines) + "\n", key, first, len(lines)


@fuzz(100)
@given(case=duplicated_yaml())
def test_a_duplicate_key_at_any_depth_is_reported_with_both_lines(case: tuple[str, str, int, int]) -> None:
    from deployer.schema.yaml_files import YamlProblem, parse_yaml

    text, key, first, second = case
    try:
        parse_yaml(text.encode(), "f.yaml")
    except YamlProblem as exc:
        assert f"clé « {key} » en double (lignes {first} et {second})" in exc.problem.message
        assert exc.problem.path.startswith(f"ligne {second},")
    else:
        raise AssertionError("duplicate key accepted")


@fuzz(200)
@given(text=st.text(max_size=60))
def test_typed_text_reaches_html_exactly_as_typed_without_control_characters(text: str) -> None:
    """Markdown escaping then markdown-it: the HTML shows the text as typed (spaces folded),
    « &amp; » included, with no control or bidirectional-override character."""
    import html
    import re

    from markdown_it import MarkdownIt

    from deployer.documents.templates import environment
    from deployer.french import visible

    markdown = environment().from_string("Nom : {{ name | md }}").render(name=text)
    rendered = MarkdownIt("commonmark", {"html": False}).render(markdown)
    assert not re.search(_CONTROL, rendered)
    shown = html.unescape(re.sub(r"</?p>", "", rendered)).strip()
    expected = re.sub(r"[^\S\u00a0\u202f]+", " ", visible(text)).strip()  # spaces folded, no-break kept
    assert shown == f"Nom : {expected}".strip()


@fuzz(10)
@given(name=st.text(min_size=1, max_size=30), typed=st.text(max_size=80))
def test_no_control_character_reaches_any_document(name: str, typed: str) -> None:
    import io
    import re
    import zipfile

    from deployer.answers.answers_file import read_answers
    from deployer.documents.dossier import build_dossier
    from deployer.schema.loader import load_content

    content = load_content()
    data: dict[str, Any] = yaml.safe_load(yaml.safe_dump(EXAMPLE_DATA))
    data["profil"]["nom"] = name + "\u202e\x1b[31m&amp;"
    data["reponses"]["objectifs"]["objectifs_texte"] = "\u2066" + typed + "\x07"
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "f-reponses.yaml"
        path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
        try:
            answers = read_answers(path, content)
        except Exception as exc:  # noqa: BLE001 - only our French error is allowed
            assert type(exc).__name__ == "AnswersError"
            return
    files = build_dossier(content, answers, today=date(2026, 11, 22))
    for file_name, data_out in files.items():
        if isinstance(data_out, bytes):
            with zipfile.ZipFile(io.BytesIO(data_out)) as archive:
                texts = [archive.read(n).decode("utf-8") for n in archive.namelist() if n.endswith(".xml")]
        else:
            texts = [data_out]
        for text in texts:
            assert not re.search(_CONTROL, text.replace("\r\n", "\n")), file_name  # CSV lines end in CRLF
    assert "&amp;amp;" in str(files["cahier-des-charges.html"])  # the typed « &amp; » is shown as typed


# -- workbooks (XLSX, ODS) ----------------------------------------------------------------

_WORKBOOKS: dict[str, bytes] = {}


def _workbook(kind: str) -> bytes:
    """The blank form, built once per format."""
    from tests.workbooks import template

    if kind not in _WORKBOOKS:
        _WORKBOOKS[kind] = template(load_content(), kind)
    return _WORKBOOKS[kind]


@functools.cache
def _hostile_workbooks() -> list[tuple[str, bytes]]:
    from tests.workbooks import hostile_workbooks

    return list(hostile_workbooks(load_content()).values())


cell_values = st.one_of(
    st.none(), st.booleans(), st.integers(-(10**20), 10**20), st.floats(allow_nan=False),
    st.text(st.characters(blacklist_categories=("Cc", "Cs")), max_size=30),
    st.sampled_from(["x", "X", "1", "2", "Je ne sais pas", "=1+1", "nsp", "Commune", "Oui ; Non", " 12 000 "]),
)


@st.composite
def filled_workbooks(draw: st.DrawFn) -> tuple[str, bytes]:
    """The blank form with a few answer cells (found by their hidden identifier) set to anything."""
    from tests.workbooks import fill_ods, fill_xlsx

    kind = draw(st.sampled_from(["xlsx", "ods"]))
    content = load_content()
    keys = [f"profil.{q.id}" for q in content.profile.questions] + ["groupe", "version_contenu"]
    for module in content.answerable_modules:
        for question in module.walk_questions:
            key = f"reponses.{module.id}.{question.id}"
            keys += [f"{key}={v}" for v in question.allowed_values] if question.type == "multiple" else [key]
    cells = draw(st.dictionaries(st.sampled_from(keys), cell_values, max_size=6))  # « =1+1 »: a formula in XLSX
    raw = (fill_xlsx if kind == "xlsx" else fill_ods)(_workbook(kind), cells)
    return f".{kind}", raw


def workbook_files() -> st.SearchStrategy[tuple[str, bytes]]:
    return st.one_of(filled_workbooks(), st.integers(0, 9).map(lambda i: _hostile_workbooks()[i]),
                     st.tuples(st.sampled_from([".xlsx", ".ods"]), st.binary(max_size=300)))


@fuzz(20)
@given(workbook=workbook_files())
def test_the_core_never_crashes_on_any_workbook(content, workbook: tuple[str, bytes]) -> None:
    from deployer.answers.answers_file import parse_answers_file

    suffix, raw = workbook
    answers, problems = parse_answers_file(raw, Path(f"f{suffix}"), content)
    assert answers is not None or problems
    assert all(str(p).startswith(f"f{suffix}") for p in problems)
    if answers is not None and not problems:
        assess(content, answers)
        render_cctp(content, answers, date(2026, 11, 22))


@fuzz(5)
@given(workbook=workbook_files())
def test_every_command_reading_a_workbook_succeeds_or_explains_in_french(workbook: tuple[str, bytes]) -> None:
    cli.french_help()
    runner = CliRunner()
    suffix, raw = workbook
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / f"f-reponses{suffix}"
        path.write_bytes(raw)
        for args in (["answers", "check"], ["score"], ["budget"], ["vendors", "match"], ["workshop"],
                     ["answers", "convert", "-o", str(Path(tmp) / "copie.yaml")]):
            result = runner.invoke(cli.app, [*args, str(path)])
            assert result.exit_code in (0, 2), (args, result.output)
            assert not isinstance(result.exception, Exception) or isinstance(result.exception, SystemExit)
            assert "Traceback" not in result.output
