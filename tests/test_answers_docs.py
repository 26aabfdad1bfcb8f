"""The commented template and the JSON Schema that consultants use to write answers by hand."""

from __future__ import annotations

import json
import re

from deployer.answers.answers_file import parse_answers
from deployer.answers.template import answers_json_schema, answers_template


def test_the_template_is_a_valid_empty_answers_file(content) -> None:
    _, problems = parse_answers(answers_template(content).encode(), "t.yaml", content)
    assert problems == []


def test_every_question_is_in_the_template_and_its_example_is_valid(content) -> None:
    text = answers_template(content)
    uncommented = re.sub(r"(?m)^(\s+)# ([\w-]+: )", r"\1\2", text)
    answers, problems = parse_answers(uncommented.encode(), "t.yaml", content)
    assert problems == [] and answers is not None
    for module in content.answerable_modules:
        assert set(answers.responses[module.id]) == {q.id for q in module.walk_questions}
    assert set(answers.responses["enjeux"]) == {item.id for item in content.module("enjeux").quiz}


def test_the_schema_lists_every_module_and_allowed_value(content) -> None:
    schema = answers_json_schema(content)
    modules = schema["properties"]["reponses"]["properties"]
    assert list(modules) == ["enjeux", *(m.id for m in content.scored_modules)]
    quiz = modules["enjeux"]["properties"]["outil-suffit"]
    assert quiz["enum"] == ["mythe", "réalité", "nuancé", None]
    offer = modules["prestataire"]["properties"]["modele_offre"]
    assert "marque_blanche" in offer["enum"] and "nsp" in offer["enum"]
    json.dumps(schema)


def test_template_command_refuses_to_overwrite(run, in_tmp) -> None:
    assert run("answers", "template", "-o", "m-reponses.yaml").exit_code == 0
    again = run("answers", "template", "-o", "m-reponses.yaml")
    assert again.exit_code == 2 and "--force" in again.stderr
