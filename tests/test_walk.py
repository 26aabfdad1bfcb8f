"""The walk driven by real questionary prompts through prompt_toolkit's pipe input."""

from __future__ import annotations

from pathlib import Path

import pytest
from rich.console import Console

from deployer.answers.answers_file import Answers, read_answers
from deployer.errors import WalkInterrupted
from deployer.walk.prompts import start_session

DOWN, UP, ENTER, SPACE, CTRL_C = "\x1b[B", "\x1b[A", "\r", " ", "\x03"
END_LATER = ENTER  # questions left without an answer: « Terminer : j'y répondrai plus tard »
PROFILE_KEYS = "Testville" + ENTER + ENTER + "5 000" + ENTER  # nom, type = commune, population


def walk(content, keyboard, keys: str, answers: Answers | None = None, path: Path | None = None):  # noqa: ANN201
    keyboard.send_text(keys)
    keyboard.close()
    start = answers or Answers(profile={}, content_version=content.version)
    return start_session(content, start, path, content.scored_modules, Console(quiet=True))


def test_a_whole_walk_is_saved_under_the_collectivite_name(fixture_content, keyboard, in_tmp) -> None:
    keys = PROFILE_KEYS + ENTER + DOWN + ENTER + SPACE + ENTER + "Rien à ajouter" + ENTER + ENTER
    answers, path = walk(fixture_content, keyboard, keys)
    assert path == Path("testville-reponses.yaml")
    assert answers.profile == {"nom": "Testville", "type": "commune", "population": 5000}
    assert answers.responses == {"alpha": {"service": "oui", "detail": "petit", "canaux": ["a"],
                                           "texte": "Rien à ajouter"}}
    assert read_answers(path, fixture_content) == answers


def test_going_back_changes_the_previous_answer(fixture_content, keyboard, in_tmp) -> None:
    back_from_detail = DOWN * 3 + ENTER  # separator skipped: passer, revenir
    keys = PROFILE_KEYS + ENTER + back_from_detail + DOWN + ENTER + SPACE + ENTER + ENTER + ENTER + END_LATER
    answers, _ = walk(fixture_content, keyboard, keys)
    assert answers.get("alpha", "service") == "non"
    assert answers.get("alpha", "detail") is None  # hidden once service is « non »


def test_dont_know_and_skip(fixture_content, keyboard, in_tmp) -> None:
    dont_know = DOWN * 2 + ENTER
    skip_checkbox = DOWN * 3 + SPACE + ENTER
    answers, _ = walk(fixture_content, keyboard, PROFILE_KEYS + dont_know + skip_checkbox + ENTER + ENTER + END_LATER)
    assert answers.get("alpha", "service") == "nsp"
    assert answers.get("alpha", "canaux") is None


def test_ctrl_c_keeps_every_answer_and_resume_continues(fixture_content, keyboard, in_tmp) -> None:
    with pytest.raises(WalkInterrupted) as stop:
        walk(fixture_content, keyboard, PROFILE_KEYS + ENTER + CTRL_C)
    path = Path(stop.value.path)
    saved = read_answers(path, fixture_content)
    assert saved.get("alpha", "service") == "oui" and saved.position == "alpha.detail"


def test_resume_starts_where_the_user_stopped(fixture_content, in_tmp) -> None:
    from prompt_toolkit.application import create_app_session
    from prompt_toolkit.input import create_pipe_input
    from prompt_toolkit.output import DummyOutput

    stopped = Answers(profile={"nom": "T", "type": "commune", "population": 10}, content_version="0",
                      responses={"alpha": {"service": "oui"}}, position="alpha.detail")
    with create_pipe_input() as pipe, create_app_session(input=pipe, output=DummyOutput()):
        keys = ENTER + SPACE + ENTER + ENTER + ENTER + END_LATER
        answers, _ = walk(fixture_content, pipe, keys, stopped, in_tmp / "t.yaml")
    assert answers.responses["alpha"] == {"service": "oui", "detail": "grand", "canaux": ["a"]}
    assert answers.position is None


def test_a_file_of_the_same_name_is_never_overwritten(fixture_content, keyboard, in_tmp) -> None:
    (in_tmp / "testville-reponses.yaml").write_text("à garder", encoding="utf-8")
    _, path = walk(fixture_content, keyboard, PROFILE_KEYS + ENTER + ENTER + SPACE + ENTER + ENTER + ENTER + END_LATER)
    assert path == Path("testville-2-reponses.yaml")
    assert (in_tmp / "testville-reponses.yaml").read_text(encoding="utf-8") == "à garder"


def test_the_module_review_lets_the_user_change_an_answer(fixture_content, keyboard, in_tmp) -> None:
    answer_all = ENTER + ENTER + SPACE + ENTER + ENTER  # service oui, detail grand, canaux a, texte vide
    change_service = DOWN + ENTER + ENTER + DOWN + ENTER  # « Modifier une réponse », « Un service ? », « non »
    answers, _ = walk(fixture_content, keyboard, PROFILE_KEYS + answer_all + change_service + ENTER + END_LATER)
    assert answers.get("alpha", "service") == "non"


def _two_modules(content):  # noqa: ANN001, ANN202
    """The fixture content with a second module « beta » (a copy of « alpha »)."""
    from dataclasses import replace

    alpha = content.modules[0]
    return replace(content, modules=[alpha, alpha.model_copy(update={"id": "beta", "title": "Bêta", "order": 2})])


def test_a_single_module_is_walked_and_the_others_are_kept(fixture_content, keyboard, in_tmp) -> None:
    content = _two_modules(fixture_content)
    beta = content.modules[1]
    done = Answers(profile={"nom": "T", "type": "commune", "population": 10}, content_version=content.version,
                   responses={"alpha": {"service": "non", "canaux": ["b"], "texte": "à garder"}})
    keyboard.send_text(ENTER + ENTER + SPACE + ENTER + ENTER + ENTER + END_LATER)  # beta: oui, grand, a, (vide), OK
    keyboard.close()
    answers, path = start_session(content, done, in_tmp / "t-reponses.yaml", [beta], Console(quiet=True))
    assert answers.responses["alpha"] == {"service": "non", "canaux": ["b"], "texte": "à garder"}
    assert answers.responses["beta"] == {"service": "oui", "detail": "grand", "canaux": ["a"]}
    assert read_answers(path, content).responses == answers.responses


def test_a_file_from_an_older_content_asks_only_changed_questions(fixture_content, keyboard, in_tmp) -> None:
    import io

    from deployer.walk.session import _initial_answers

    old = in_tmp / "t-reponses.yaml"
    old.write_text(
        "format: 1\nversion_contenu: '2025.01.0'\nprofil: {nom: T, type: commune, population: 10}\n"
        "reponses:\n  alpha: {service: oui, detail: moyen, canaux: [a], texte: x, ancienne: garder}\n",
        encoding="utf-8",
    )
    out = io.StringIO()
    answers = _initial_answers(fixture_content, old, True, Console(file=out, width=200))
    keyboard.send_text(DOWN + ENTER + ENTER)  # only « detail » is asked again: petit; then valider
    keyboard.close()
    answers, _ = start_session(fixture_content, answers, old, fixture_content.scored_modules, Console(quiet=True))
    assert answers.responses["alpha"] == {"service": "oui", "detail": "petit", "canaux": ["a"], "texte": "x"}
    saved = read_answers(old, fixture_content)
    assert saved.content_version == fixture_content.version
    assert saved.obsolete == {"alpha": {"detail": "moyen", "ancienne": "garder"}}
    report = out.getvalue()
    assert "créé avec le contenu 2025.01.0" in report
    assert "alpha › ancienne : question retirée du contenu" in report
    assert "alpha › detail : question modifiée, elle vous sera reposée" in report


def test_each_answer_is_echoed_in_french(fixture_content, keyboard, in_tmp) -> None:
    import io

    out = io.StringIO()
    keys = PROFILE_KEYS + ENTER + ENTER + SPACE + DOWN + SPACE + ENTER + ENTER + ENTER + END_LATER
    keyboard.send_text(keys)
    keyboard.close()
    start = Answers(profile={}, content_version=fixture_content.version)
    start_session(fixture_content, start, None, fixture_content.scored_modules, Console(file=out, width=200))
    echoed = out.getvalue()
    assert "✔ Canaux\u202f? → A\u202f; B" in echoed and "✔ Un service\u202f? → Oui" in echoed
    assert "done" not in echoed and "selections" not in echoed


def test_a_module_already_answered_is_shown_for_review_and_can_be_changed(fixture_content, keyboard, in_tmp) -> None:
    done = Answers(profile={"nom": "T", "type": "commune", "population": 10}, content_version=fixture_content.version,
                   responses={"alpha": {"service": "oui", "detail": "grand", "canaux": ["a"], "texte": "x"}})
    change_detail = DOWN + ENTER + DOWN + ENTER + DOWN + ENTER  # « Modifier une réponse », « Lequel ? », « petit »
    keyboard.send_text(change_detail + ENTER)  # review again: valider
    keyboard.close()
    answers, _ = start_session(fixture_content, done, in_tmp / "t-reponses.yaml", fixture_content.scored_modules,
                               Console(quiet=True))
    assert answers.responses["alpha"] == {"service": "oui", "detail": "petit", "canaux": ["a"], "texte": "x"}


def test_the_quiz_is_walked_and_each_answer_shows_the_evidence(content, keyboard, in_tmp) -> None:
    quiz = content.module("enjeux")
    start = Answers(profile={"nom": "Groupe quiz", "type": "commune", "population": 5000},
                    content_version=content.version, group="Groupe 1")
    keyboard.send_text(DOWN + ENTER + ENTER * (len(quiz.quiz) - 1) + ENTER)  # réalité, then mythe…, validate
    keyboard.close()
    console = Console(record=True, width=200)
    answers, path = start_session(content, start, None, [quiz], console)
    assert answers.responses["enjeux"] == {
        item.id: ("réalité" if i == 0 else "mythe") for i, item in enumerate(quiz.quiz)
    }
    first = quiz.quiz[0]
    assert f"Réponse attendue\u00a0: Mythe. {first.evidence[:40]}" in console.export_text()
    assert read_answers(path, content).responses == answers.responses


def test_ctrl_c_at_the_module_review_keeps_the_last_answer(fixture_content, keyboard, in_tmp) -> None:
    keys = PROFILE_KEYS + ENTER + ENTER + SPACE + ENTER + "Dernière réponse" + ENTER + CTRL_C  # at the review
    with pytest.raises(WalkInterrupted) as stop:
        walk(fixture_content, keyboard, keys)
    saved = read_answers(Path(stop.value.path), fixture_content)
    assert saved.get("alpha", "texte") == "Dernière réponse"


def test_nothing_checked_is_no_answer_and_is_offered_again_at_the_end(fixture_content, keyboard, in_tmp) -> None:
    answer_now = DOWN + ENTER
    keys = PROFILE_KEYS + ENTER + ENTER + ENTER + "x" + ENTER + ENTER  # canaux: Entrée sans rien cocher
    keys += answer_now + SPACE + ENTER + ENTER  # the walk comes back to « Canaux ? »: a, then review
    answers, _ = walk(fixture_content, keyboard, keys)
    assert answers.get("alpha", "canaux") == ["a"]


def test_a_number_typed_with_a_superscript_is_refused_politely(fixture_content) -> None:
    from deployer.walk.questions import text_error

    population = next(q for q in fixture_content.profile.questions if q.type == "entier")
    assert text_error(population, "1²") == "Tapez un nombre entier, sans unité (par exemple 42000)."
    assert text_error(population, "12 500") is True


def test_a_quiz_only_walk_sends_the_file_to_the_trainer_not_to_score(content) -> None:
    from deployer.walk.session import next_steps

    quiz = next_steps([content.module("enjeux")], Path("groupe-2-reponses.yaml"))
    assert "deployer workshop" in "\n".join(quiz) and "groupe-2-reponses.yaml" in quiz[0]
    assert not any("deployer score" in line or "generate" in line for line in quiz)
    walk = next_steps(content.scored_modules, Path("v-reponses.yaml"))
    assert walk[0] == "  deployer score v-reponses.yaml"


def test_the_opening_tip_is_not_shown_when_the_quiz_is_already_chosen(content) -> None:
    from deployer.walk.session import shows_tip

    assert shows_tip(False, None, content.scored_modules)
    assert not shows_tip(False, None, [content.module("enjeux")])
    assert not shows_tip(True, None, content.scored_modules)


def test_a_group_playing_only_the_quiz_is_not_asked_the_profile(content, keyboard, in_tmp) -> None:
    quiz = content.module("enjeux")
    keyboard.send_text(ENTER * len(quiz.quiz) + ENTER)  # first choice (« Mythe ») to each statement, validate
    keyboard.close()
    start = Answers(profile={}, content_version=content.version, group="Groupe 2")
    answers, path = start_session(content, start, None, [quiz], Console(quiet=True))
    assert path == Path("groupe-2-reponses.yaml")  # named after the group: no collectivité asked
    assert answers.profile == {} and len(answers.responses["enjeux"]) == len(quiz.quiz)
    assert set(answers.responses["enjeux"].values()) == {"mythe"}
    saved = read_answers(path, content)
    assert saved.group == "Groupe 2" and saved.responses == answers.responses


def test_the_whole_walk_with_a_group_still_asks_the_profile(fixture_content, keyboard, in_tmp) -> None:
    keyboard.send_text(PROFILE_KEYS + ENTER + DOWN + ENTER + SPACE + ENTER + ENTER + ENTER + END_LATER)
    keyboard.close()
    start = Answers(profile={}, content_version=fixture_content.version, group="Groupe 2")
    answers, path = start_session(fixture_content, start, None, fixture_content.scored_modules, Console(quiet=True))
    assert path == Path("testville-reponses.yaml") and answers.profile["nom"] == "Testville"
