"""The content loader and its rules: every problem reported at once, with file and YAML path."""

from __future__ import annotations

from pathlib import Path

import pytest

from deployer.errors import ContentError
from deployer.schema.loader import collect_content, load_content


def problems_of(root: Path) -> list[str]:
    _, problems = collect_content(root)
    return [str(p) for p in problems]


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path.name}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_fixture_content_is_valid(fixture_content_root: Path) -> None:
    assert problems_of(fixture_content_root) == []


def test_shipped_content_is_valid(content) -> None:
    assert [m.id for m in content.scored_modules] == [
        "objectifs", "ressources", "prestataire", "mobilisation", "evaluation"
    ]
    assert all(len(m.questions) >= 3 for m in content.scored_modules)


def test_a_wrong_type_names_file_and_yaml_path(content_copy: Path) -> None:
    edit(content_copy / "modules/01-alpha.yaml", "points: 3", "points: trois")
    found = problems_of(content_copy)
    assert any(p.startswith("modules/01-alpha.yaml › questions[0] › options[0] › points") for p in found)


def test_every_problem_is_reported_at_once(content_copy: Path) -> None:
    edit(content_copy / "modules/01-alpha.yaml", "type: multiple", "type: plusieurs")
    edit(content_copy / "practices/practices.yaml", "source: doc", "source: absente")
    found = problems_of(content_copy)
    assert any("01-alpha.yaml" in p and "valeur non permise" in p for p in found)
    assert any("source inconnue : « absente »" in p for p in found)


def test_unknown_practice_is_rejected(content_copy: Path) -> None:
    edit(content_copy / "modules/01-alpha.yaml", "practices: [pratique]", "practices: [inexistante]")
    assert any("bonne pratique inconnue : « inexistante »" in p for p in problems_of(content_copy))


def test_a_misspelt_key_is_rejected(content_copy: Path) -> None:
    edit(content_copy / "modules/01-alpha.yaml", "  - id: detail\n", "  - id: detail\n    aide: x\n")
    assert any("aide : clé inconnue" in p for p in problems_of(content_copy))


def test_unknown_source_is_rejected(content_copy: Path) -> None:
    edit(content_copy / "modules/01-alpha.yaml", "sources: [{source: doc}]", "sources: [{source: inconnue}]")
    assert any("source inconnue : « inconnue »" in p for p in problems_of(content_copy))


def test_when_must_name_an_earlier_question_and_a_known_value(content_copy: Path) -> None:
    path = content_copy / "modules/01-alpha.yaml"
    edit(path, "in: [oui]", "in: [jamais]")
    edit(path, "  - id: canaux\n", "  - id: canaux\n    when: {question: plus_tard, in: [x]}\n")
    found = problems_of(content_copy)
    assert any("valeur(s) inconnue(s) ['jamais']" in p for p in found)
    assert any("« plus_tard » n'est pas une question posée avant" in p for p in found)


def test_duplicate_ids_are_rejected(content_copy: Path) -> None:
    edit(content_copy / "modules/01-alpha.yaml", "id: detail", "id: service")
    assert any("identifiant « service » en double" in p for p in problems_of(content_copy))


def test_a_module_without_sources_is_rejected(content_copy: Path) -> None:
    edit(content_copy / "modules/01-alpha.yaml", "sources: [{source: doc}]", "sources: []")
    assert any("01-alpha.yaml › sources" in p for p in problems_of(content_copy))


def test_ordinary_space_before_colon_is_rejected(content_copy: Path) -> None:
    edit(content_copy / "modules/01-alpha.yaml", 'label: "Non"', 'label: "Non : pas encore"')
    assert any("espace insécable" in p for p in problems_of(content_copy))


def test_yaml_syntax_error_gives_the_line(content_copy: Path) -> None:
    (content_copy / "modules/01-alpha.yaml").write_text("id: [\n", encoding="utf-8")
    assert any(p.startswith("modules/01-alpha.yaml › ligne") for p in problems_of(content_copy))


def test_load_content_raises_a_french_error_listing_problems(content_copy: Path) -> None:
    edit(content_copy / "modules/01-alpha.yaml", "points: 3", "points: trois")
    with pytest.raises(ContentError) as err:
        load_content(content_copy)
    count = len(err.value.problems)
    assert count > 1 and err.value.message.endswith(f"comporte {count} problèmes")


def test_every_question_of_the_shipped_modules_can_be_asked(content) -> None:
    from deployer.answers.answers_file import is_asked

    for module in content.scored_modules:
        for question in module.questions:
            given: dict[str, object] = {}
            target = question
            while target.when is not None:  # answer each condition with its first value
                given[target.when.question] = target.when.values[0]
                target = next(q for q in module.questions if q.id == target.when.question)
            assert is_asked(question, given), f"{module.id} › {question.id} can never be asked"


def test_each_scored_module_has_at_least_eight_questions_and_sources(content) -> None:
    for module in content.scored_modules:
        assert len(module.questions) >= 8, module.id
        assert module.sources and module.facilitator, module.id


def test_an_empty_content_file_is_reported(content_copy) -> None:
    from deployer.schema.loader import collect_content

    (content_copy / "meta.yaml").write_text("# rien\n", encoding="utf-8")
    loaded, problems = collect_content(content_copy)
    assert loaded is None
    assert [str(p) for p in problems] == ["meta.yaml : fichier vide (ou fait seulement de commentaires)"]
