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


def _screen_text(screen) -> str:  # noqa: ANN001 - a pyte.Screen
    return "\n".join(line.rstrip() for line in screen.display)


def _flat(text: str) -> str:
    return " ".join(text.replace("\u00a0", " ").replace("\u202f", " ").split())


def _settle(child: pexpect.spawn, stream) -> None:  # noqa: ANN001 - a pyte.Stream
    """Feed the emulated screen: wait for the program's answer to the last keys (up to 20 s on a
    busy machine), then until it has drawn nothing for 0.3 s (bounded loops)."""
    try:
        stream.feed(child.read_nonblocking(65536, timeout=20))
    except (pexpect.TIMEOUT, pexpect.EOF):
        return
    quiet = 0.0
    for _ in range(200):
        try:
            stream.feed(child.read_nonblocking(65536, timeout=0.1))
            quiet = 0.0
        except pexpect.TIMEOUT:
            quiet += 0.1
            if quiet >= 0.3:
                return
        except pexpect.EOF:
            return


def test_every_question_and_its_first_choices_are_on_an_80x24_screen(tmp_path: Path, content) -> None:
    """The whole real walk at 80×24: once a prompt is drawn, its counter, the start of the
    question and its first choice are visible on the emulated screen (nothing scrolled away)."""
    import re

    import pyte

    screen = pyte.Screen(80, 24)
    stream = pyte.Stream(screen)
    env = {**os.environ, "TERM": "xterm", "PROMPT_TOOLKIT_NO_CPR": "1", "NO_COLOR": "1"}
    for name in ("DEPLOYER_CONTENU", "COLUMNS", "LINES"):  # the size is the pseudo-terminal's own
        env.pop(name, None)
    child = pexpect.spawn(sys.executable, ["-m", "deployer", "start"], cwd=str(tmp_path), env=env,
                          encoding="utf-8", dimensions=(24, 80), timeout=20)
    typed = {"nom": "Pontville", "population": "20000", "duree_mois": "24", "reconductions": "1"}
    questions = [*content.profile.questions, *(q for m in content.scored_modules for q in m.walk_questions)]
    checked: set[str] = set()
    reviews: set[str] = set()
    for _ in range(200):  # bounded: about 70 prompts in the whole walk
        _settle(child, stream)
        text = _screen_text(screen)
        if "Parcours terminé" in text:
            break
        if "Ces réponses vous conviennent-elles" in text:
            assert "Récapitulatif" in text, f"the module recap does not fit on the screen:\n{text}"
            reviews.add(re.findall(r"Récapitulatif · (.*?) ─", text)[-1])
            child.send(ENTER)  # validate
            continue
        if "sans réponse (passée" in text:
            child.send(ENTER)  # answer later
            continue
        prompts = list(re.finditer(r"^\? (\d+)/(\d+) · (.*)$", text, re.MULTILINE))
        if not prompts:  # still starting
            continue
        shown = _flat(text[prompts[-1].start():])
        question = next((q for q in questions if shown.startswith(_flat(f"? {prompts[-1][1]}/{prompts[-1][2]} · "
                                                                            f"{q.label}")[:45])), None)
        assert question is not None, f"question not on screen:\n{text}"
        if question.options:
            assert _flat(question.options[0].label)[:40] in shown, f"{question.id}: first choice not on screen\n{text}"
        checked.add(question.id)
        if question.type in ("texte", "entier"):
            child.send(typed.get(question.id, "") + ENTER)
        else:
            child.send((SPACE if question.type == "multiple" else "") + ENTER)
    else:
        raise AssertionError(f"the walk did not finish:\n{_screen_text(screen)}")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0
    assert len(checked) >= sum(1 for m in content.scored_modules for q in m.walk_questions if q.when is None)
    assert reviews == {m.title for m in content.scored_modules}
