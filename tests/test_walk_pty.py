"""End to end in a real pseudo-terminal: answer, press Ctrl-C, resume, finish."""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path

import pexpect

from deployer.answers.answers_file import read_answers
from tests.conftest import FIXTURE_CONTENT

DOWN, ENTER, SPACE, CTRL_C = "\x1b[B", "\r", " ", "\x03"


def spawn(cwd: Path, *args: str) -> pexpect.spawn:
    env = {**os.environ, "TERM": "xterm", "PROMPT_TOOLKIT_NO_CPR": "1", "NO_COLOR": "1",
           "DEPLOYER_CONTENU": str(FIXTURE_CONTENT)}
    return pexpect.spawn(sys.executable, ["-m", "deployer", "start", *args], cwd=str(cwd), env=env,
                         encoding="utf-8", dimensions=(24, 80), timeout=20)


def answer(child: pexpect.spawn, prompt: str, keys: str) -> None:
    """Wait until the prompt is drawn and ready (its last line), then type."""
    child.expect_exact(prompt)
    child.expect(r"(Revenir à la question précédente|revenir\)|passer\)|Modifier une réponse|plus tard \(deployer)")
    time.sleep(0.1)
    child.send(keys)


def test_interrupt_then_resume_in_a_real_terminal(tmp_path: Path, fixture_content) -> None:
    child = spawn(tmp_path)
    answer(child, "Nom de la collectivité", "Pontville" + ENTER)
    answer(child, "Type de collectivité", ENTER)
    answer(child, "habitants", "8000" + ENTER)
    child.expect_exact("Module 1/1")
    answer(child, "Un service", ENTER)
    answer(child, "Lequel", CTRL_C)
    child.expect_exact("deployer start --resume pontville-reponses.yaml")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 130
    saved = read_answers(tmp_path / "pontville-reponses.yaml", fixture_content)
    assert saved.get("alpha", "service") == "oui"

    child = spawn(tmp_path, "--resume")
    child.expect_exact("Reprise de « pontville-reponses.yaml »")
    answer(child, "Lequel", ENTER)
    answer(child, "Canaux", SPACE + ENTER)
    answer(child, "Commentaire", ENTER)
    answer(child, "Ces réponses vous conviennent-elles", ENTER)
    answer(child, "1 question sans réponse", ENTER)  # « Commentaire » left empty: later
    child.expect_exact("Parcours terminé")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0
    done = read_answers(tmp_path / "pontville-reponses.yaml", fixture_content)
    assert done.responses["alpha"] == {"service": "oui", "detail": "grand", "canaux": ["a"]}
    assert done.position is None


def test_resuming_a_workbook_continues_in_a_yaml_file_beside_it(tmp_path: Path, fixture_content) -> None:
    from deployer.answers.answers_file import Answers
    from deployer.answers.workbook import workbook_bytes

    stopped = Answers(profile={"nom": "Pontville", "type": "commune", "population": 8000},
                      responses={"alpha": {"service": "oui"}}, content_version=fixture_content.version)
    (tmp_path / "pontville-reponses.ods").write_bytes(workbook_bytes(fixture_content, stopped, "ods"))
    before = (tmp_path / "pontville-reponses.ods").read_bytes()
    child = spawn(tmp_path, "--resume", "pontville-reponses.ods")
    child.expect(r"la\s+suite\s+du\s+parcours\s+est\s+enregistrée\s+dans\s+«\s+pontville-reponses\.yaml")
    answer(child, "Lequel", CTRL_C)
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 130
    assert (tmp_path / "pontville-reponses.ods").read_bytes() == before
    saved = read_answers(tmp_path / "pontville-reponses.yaml", fixture_content)
    assert saved.get("alpha", "service") == "oui" and saved.name == "Pontville"

    child = spawn(tmp_path, "--resume", "pontville-reponses.ods")  # the YAML is there: resume that one instead
    child.expect(r"deployer\s+start\s+--resume\s+pontville-reponses\.yaml")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 2
