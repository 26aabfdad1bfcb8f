"""A live session in a real headless browser (Debian's chromium driven by Playwright).

Two groups join on phone-sized windows, one answers a whole module (going back once), the
other a few questions; the trainer opens the module from the control page; the projector
page updates by itself. Screenshots are kept in tests/artefacts/ (ignored by git) to be
looked at: the participant's question page on a phone and the projector.
"""

from __future__ import annotations

import re
import shutil
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from deployer.live.guard import Throttle
from deployer.live.store import LiveStore
from deployer.schema.content import Content

CHROMIUM = Path("/usr/bin/chromium")
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--no-first-run"]
ARTEFACTS = Path(__file__).parent / "artefacts"
PHONE = {"viewport": {"width": 390, "height": 844}, "device_scale_factor": 2, "is_mobile": True, "has_touch": True}
WAIT_MS = 15_000  # the projector polls every 3 s

if not CHROMIUM.exists():
    pytest.skip("Debian's chromium is not installed (/usr/bin/chromium; apt-get install chromium): "
                "the browser test cannot run", allow_module_level=True)
playwright = pytest.importorskip("playwright.sync_api", reason="Playwright for Python is not installed "
                                 "(pip install -e '.[test]')")


@pytest.fixture
def server(tmp_path: Path, content: Content) -> Iterator[tuple[str, LiveStore]]:
    """The session's real server (uvicorn) on 127.0.0.1, in a thread, stopped afterwards."""
    import uvicorn

    from deployer.live.site import create_app

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    base = f"http://127.0.0.1:{port}"
    store = LiveStore(tmp_path / "seance", content)
    config = uvicorn.Config(create_app(store, base, Throttle()), host="127.0.0.1", port=port, log_level="warning")
    instance = uvicorn.Server(config)
    thread = threading.Thread(target=instance.run, daemon=True)
    thread.start()
    for _ in range(100):  # bounded wait for the socket
        if instance.started:
            break
        time.sleep(0.05)
    assert instance.started
    yield base, store
    instance.should_exit = True
    thread.join(timeout=10)


def answer_current_question(page: object, choice: int = 0) -> None:
    """Answer whatever question is on screen (option ``choice``, or a typed text), then Valider."""
    if page.locator("input[name=valeur]").count():  # type: ignore[attr-defined]
        page.locator("input[name=valeur]").nth(choice).check()  # type: ignore[attr-defined]
    elif page.locator("input[name=nombre]").count():  # type: ignore[attr-defined]
        page.fill("input[name=nombre]", "12 000")  # type: ignore[attr-defined]
    else:
        page.fill("[name=texte]", "Commune de Saint-Essai")  # type: ignore[attr-defined]
    with page.expect_navigation():  # type: ignore[attr-defined]
        page.click("button[value=valider]")  # type: ignore[attr-defined]


def join(browser: object, base: str, store: LiveStore, name: str) -> object:
    context = browser.new_context(**PHONE, locale="fr-FR")  # type: ignore[attr-defined]
    page = context.new_page()
    page.goto(f"{base}/?code={store.code}")
    assert page.input_value("#code") == store.code  # the QR code's address fills the code in
    page.fill("#groupe", name)
    with page.expect_navigation():
        page.click("button:has-text('Rejoindre')")
    assert page.url == f"{base}/groupe", page.inner_text("main")
    return page


def test_two_groups_answer_and_the_projector_follows(server: tuple[str, LiveStore], tmp_path: Path) -> None:
    base, store = server
    outside: list[str] = []
    with playwright.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        trainer = browser.new_page(viewport={"width": 1280, "height": 800}, locale="fr-FR")
        trainer.on("request", lambda r: outside.append(r.url) if not r.url.startswith(base) else None)
        trainer.goto(f"{base}/formateur/{store.secret}")
        trainer.check("#module-objectifs")
        with trainer.expect_navigation():
            trainer.click("text=Enregistrer")
        assert store.open_modules == ["objectifs"]
        projector = browser.new_page(viewport={"width": 1280, "height": 800}, locale="fr-FR")
        projector.goto(f"{base}/formateur/{store.secret}/projecteur")
        assert projector.locator("svg").first.is_visible()  # the QR code to join
        assert "0 groupe" in projector.inner_text("#vue")

        one = join(browser, base, store, "Groupe 1")
        one.on("request", lambda r: outside.append(r.url) if not r.url.startswith(base) else None)
        with one.expect_navigation():
            one.click("text=Profil de la collectivité")
        for _ in range(3):  # the profile: name, type, population
            answer_current_question(one)
        assert "objectifs" in one.url
        # keyboard only: focus the first option, Space to choose, Enter to submit
        one.focus("#option-0")
        one.keyboard.press("Space")
        with one.expect_navigation():
            one.keyboard.press("Enter")
        first_question = re.search(r"/groupe/question/objectifs/[^?]+", one.url)
        assert first_question and "✔ Réponse enregistrée" in one.inner_text("main")
        # go back once, change the answer to the previous question
        with one.expect_navigation():
            one.click("text=Revenir à la question précédente")
        assert one.locator("input[name=valeur]:checked").count() >= 1  # the answer given is shown
        previous = one.url
        answer_current_question(one, choice=1)
        assert one.url != previous
        for _ in range(40):  # bounded: the module has fewer questions than that
            if "recapitulatif" in one.url:
                break
            if "Repère" in one.inner_text("main") and not (tmp_path / "participant.png").exists():
                one.screenshot(path=str(tmp_path / "participant.png"), full_page=True)
            answer_current_question(one)
        assert "Récapitulatif" in one.inner_text("h1")
        one.screenshot(path=str(tmp_path / "recapitulatif.png"), full_page=True)

        two = join(browser, base, store, "Groupe 2")
        with two.expect_navigation():
            two.click("text=Profil de la collectivité")
        for _ in range(5):
            answer_current_question(two, choice=1)

        for _ in range(WAIT_MS // 500):  # bounded: the page polls by itself, it is never reloaded here
            if "Groupe 2" in projector.inner_text("#vue"):
                break
            projector.wait_for_timeout(500)
        view = projector.inner_text("#vue")
        assert "Atelier — 2 groupes" in view and "Groupe 1" in view and "Scores par groupe" in view
        projector.screenshot(path=str(tmp_path / "projecteur.png"), full_page=True)
        trainer.goto(f"{base}/formateur/{store.secret}")
        trainer.screenshot(path=str(tmp_path / "formateur.png"), full_page=True)
        browser.close()

    assert outside == [], "nothing may be loaded from outside the session's server"
    group_one = next(g for g in store.groups.values() if g.name == "Groupe 1")
    asked = [q for q in store.content.module("objectifs").walk_questions]  # type: ignore[union-attr]
    given = group_one.answers.responses["objectifs"]
    assert given and all(q.id in given for q in asked if q.when is None)
    ARTEFACTS.mkdir(exist_ok=True)
    for shot in tmp_path.glob("*.png"):
        shutil.copy(shot, ARTEFACTS / shot.name)
    assert (ARTEFACTS / "participant.png").exists() and (ARTEFACTS / "projecteur.png").exists()
