"""The live session's web server, route by route, through Starlette's TestClient.

Every participant request needs the join code and the group's signed cookie; every form a
token from this site; the trainer's pages their secret. Answers land in ordinary answers
files that ``workshop`` and ``score`` read afterwards.
"""

from __future__ import annotations

import html
import re
from pathlib import Path

import pytest
from starlette.testclient import TestClient

from deployer.answers.answers_file import MAX_TEXT, read_answers
from deployer.live.guard import MAX_BODY, Throttle
from deployer.live.site import create_app
from deployer.live.store import MAX_GROUP_NAME, STATE_FILE, LiveStore
from deployer.schema.content import Content

BASE = "http://testserver"


@pytest.fixture
def store(tmp_path: Path, content: Content) -> LiveStore:
    live = LiveStore(tmp_path / "seance", content)
    live.set_modules(["objectifs", "enjeux"], reveal_quiz=False)
    return live


def client(store: LiveStore, throttle: Throttle | None = None) -> TestClient:
    app = create_app(store, BASE, throttle or Throttle(rate=1000, burst=1000), rebuild_seconds=0)
    return TestClient(app, base_url=BASE)


def csrf(page: str) -> str:
    found = re.search(r'name="csrf" value="([^"]+)"', page)
    assert found, "no form token on the page"
    return found.group(1)


def joined(store: LiveStore, name: str = "Groupe 1", key: str = "") -> TestClient:
    """A browser that joined the session as one group."""
    browser = client(store)
    token = csrf(browser.get("/").text)
    response = browser.post("/rejoindre", data={"csrf": token, "code": store.code, "groupe": name, "cle": key},
                            follow_redirects=False)
    assert response.status_code == 303, response.text
    return browser


def post_answer(browser: TestClient, url: str, **fields: object) -> object:
    token = csrf(browser.get(url).text)
    return browser.post(url, data={"csrf": token, "action": "valider", **fields}, follow_redirects=False)


def file_of(store: LiveStore, name: str) -> Path:
    return next(g.path for g in store.groups.values() if g.name == name)


# -- joining ---------------------------------------------------------------------------


def test_join_page_is_french_and_sets_a_visitor_cookie_and_safety_headers(store: LiveStore) -> None:
    response = client(store).get("/?code=123456")
    assert response.status_code == 200
    assert '<html lang="fr">' in response.text and 'value="123456"' in response.text
    assert '<label class="field" for="groupe">Nom de votre groupe</label>' in response.text
    assert "deployer_visiteur=" in response.headers["set-cookie"]
    assert "HttpOnly" in response.headers["set-cookie"] and "SameSite=Strict" in response.headers["set-cookie"]
    assert "default-src 'self'" in response.headers["content-security-policy"]
    assert response.headers["x-frame-options"] == "DENY"


def test_a_wrong_join_code_is_refused_and_creates_nothing(store: LiveStore) -> None:
    browser = client(store)
    token = csrf(browser.get("/").text)
    wrong = "000000" if store.code != "000000" else "111111"
    response = browser.post("/rejoindre", data={"csrf": token, "code": wrong, "groupe": "Groupe 1"})
    assert response.status_code == 403
    assert "Code de séance incorrect" in response.text
    assert store.groups == {} and list(store.folder.glob("*.yaml")) == []


def test_a_group_named_like_a_path_stays_inside_the_session_folder(store: LiveStore, tmp_path: Path) -> None:
    joined(store, "../../etc")
    joined(store, "/tmp/x\\..\\y")
    files = sorted(p.name for p in store.folder.glob("*.yaml"))
    assert files == ["etc-reponses.yaml", "tmp-x-y-reponses.yaml"]
    assert not (tmp_path / "etc-reponses.yaml").exists()
    assert {g.name for g in store.groups.values()} == {"../../etc", "/tmp/x\\..\\y"}  # the name is kept as typed
    assert "groupe: ../../etc" in (store.folder / "etc-reponses.yaml").read_text(encoding="utf-8")


@pytest.mark.parametrize(("name", "why"), [
    ("", "Donnez un nom de groupe"),
    ("x" * (MAX_GROUP_NAME + 1), "trop long"),
    ("Groupe\x00 1", "caractères invisibles"),
    ("../..", "au moins une lettre"),
])
def test_hostile_group_names_are_refused(store: LiveStore, name: str, why: str) -> None:
    browser = client(store)
    token = csrf(browser.get("/").text)
    response = browser.post("/rejoindre", data={"csrf": token, "code": store.code, "groupe": name})
    assert response.status_code == 409 and why in response.text
    assert store.groups == {}


def test_another_device_needs_the_groups_resume_key(store: LiveStore) -> None:
    first = joined(store, "Groupe 1")
    key = store.groups["groupe-1"].key
    assert key in first.get("/groupe").text
    stranger = client(store)
    token = csrf(stranger.get("/").text)
    refused = stranger.post("/rejoindre", data={"csrf": token, "code": store.code, "groupe": "groupe 1"})
    assert refused.status_code == 409 and "clé de reprise" in refused.text
    again = joined(store, "Groupe 1", key=key.lower())
    assert "Groupe «\u00a0Groupe 1\u00a0»" in html.unescape(again.get("/groupe").text)
    assert len(store.groups) == 1


def test_a_name_already_taken_by_a_file_of_the_folder_is_refused(store: LiveStore) -> None:
    (store.folder / "groupe-9-reponses.yaml").write_text("format: 1\n", encoding="utf-8")
    browser = client(store)
    token = csrf(browser.get("/").text)
    response = browser.post("/rejoindre", data={"csrf": token, "code": store.code, "groupe": "Groupe 9"})
    assert response.status_code == 409 and "existe déjà dans le dossier" in response.text


# -- cross-site forms and forged cookies -------------------------------------------------


def test_a_cross_site_form_is_refused(store: LiveStore) -> None:
    browser = client(store)
    token = csrf(browser.get("/").text)
    data = {"csrf": token, "code": store.code, "groupe": "Groupe 1"}
    evil = browser.post("/rejoindre", data=data, headers={"Origin": "http://evil.example"})
    assert evil.status_code == 403 and "ne vient pas de cette séance" in evil.text
    fetched = browser.post("/rejoindre", data=data, headers={"Sec-Fetch-Site": "cross-site"})
    assert fetched.status_code == 403
    assert store.groups == {}


def test_a_form_without_its_token_or_with_another_visitors_token_is_refused(store: LiveStore) -> None:
    browser = client(store)
    browser.get("/")
    other_token = csrf(client(store).get("/").text)
    for data in ({"code": store.code, "groupe": "G"}, {"csrf": other_token, "code": store.code, "groupe": "G"}):
        response = browser.post("/rejoindre", data=data)
        assert response.status_code == 403 and "expiré" in response.text
    assert store.groups == {}


def test_participant_pages_need_the_code_and_a_genuine_group_cookie(store: LiveStore) -> None:
    browser = joined(store)
    url = "/groupe/question/objectifs/objectifs_texte"
    assert browser.get(url).status_code == 200
    stranger = client(store)
    assert stranger.get(url, follow_redirects=False).headers["location"] == "/"
    token = csrf(stranger.get("/").text)
    assert stranger.post(url, data={"csrf": token, "texte": "x"}).status_code == 403
    forged = client(store)
    forged.cookies.set("deployer_code", store.code)
    forged.cookies.set("deployer_groupe", "groupe-1.0000000000000000000000000000000")
    assert forged.get("/groupe", follow_redirects=False).headers["location"] == "/"
    wrong_code = client(store)
    wrong_code.cookies.set("deployer_groupe", browser.cookies["deployer_groupe"])
    wrong_code.cookies.set("deployer_code", "999999" if store.code != "999999" else "888888")
    assert wrong_code.get("/groupe", follow_redirects=False).headers["location"] == "/"


# -- answering -------------------------------------------------------------------------


def test_an_answer_is_in_the_groups_file_at_once(store: LiveStore, content: Content) -> None:
    browser = joined(store)
    response = post_answer(browser, "/groupe/question/objectifs/objectifs_ecrits", valeur="non")
    assert response.status_code == 303
    answers = read_answers(file_of(store, "Groupe 1"), content)
    assert answers.get("objectifs", "objectifs_ecrits") == "non" and answers.group == "Groupe 1"
    assert answers.position is not None  # where « deployer start --resume » would go on
    page = html.unescape(browser.get(response.headers["location"]).text)
    flag = content.question("objectifs", "objectifs_ecrits").option("non").flag  # type: ignore[union-attr]
    assert "✔ Réponse enregistrée" in page and flag is not None and flag.message in page


@pytest.mark.parametrize(("population", "warned"), [(2800, False), (200_000, True)])
def test_feedback_and_flags_follow_the_size_rule_of_the_score(store: LiveStore, content: Content, population: int,
                                                              warned: bool) -> None:
    store.set_modules(["ressources"], reveal_quiz=False)
    browser = joined(store)
    post_answer(browser, "/groupe/question/profil/population", nombre=str(population))
    response = post_answer(browser, "/groupe/question/ressources/service_dedie", valeur="non")
    page = html.unescape(browser.get(response.headers["location"]).text)  # type: ignore[attr-defined]
    option = content.question("ressources", "service_dedie").option("non")  # type: ignore[union-attr]
    assert option is not None and option.feedback and option.flag and option.flag.sizes and option.feedback_sizes
    assert (option.feedback in page) is not warned  # meant for small communes only (analysis.applicability)
    assert (option.flag.message in page) is warned


def test_the_question_page_shows_help_why_and_the_reperes_source_with_its_year(store: LiveStore,
                                                                                 content: Content) -> None:
    question = next(q for q in content.module("objectifs").questions if q.repere and q.why)  # type: ignore[union-attr]
    page = joined(store).get(f"/groupe/question/objectifs/{question.id}").text
    page = html.unescape(page)
    assert "Pourquoi cette question\u202f?" in page and question.why in page
    assert "Repère" in page
    source = content.sources[question.repere.sources[0].source]  # type: ignore[union-attr]
    assert f"{source.date[:4]})" in page
    assert 'name="action" value="passer"' in page


@pytest.mark.parametrize(("url", "fields", "why"), [
    ("/groupe/question/objectifs/objectifs_ecrits", {"valeur": "peut-etre"}, "non permise"),
    ("/groupe/question/objectifs/objectifs_ecrits", {"valeur": ["oui", "non"]}, "Une seule réponse"),
    ("/groupe/question/objectifs/raisons", {"valeur": ["nsp", "transparence"]}, "ne se coche pas"),
    ("/groupe/question/objectifs/objectifs_texte", {"texte": "x" * (MAX_TEXT + 1)}, "trop long"),
    ("/groupe/question/profil/population", {"nombre": "12 abc"}, "nombre entier"),
    ("/groupe/question/profil/population", {"nombre": "0"}, "entre 1 et"),
    ("/groupe/question/profil/population", {"nombre": "²"}, "nombre entier"),
])
def test_answers_the_answers_file_refuses_are_refused(store: LiveStore, url: str, fields: dict[str, object],
                                                     why: str) -> None:
    browser = joined(store)
    response = post_answer(browser, url, **fields)
    assert response.status_code == 422 and why in response.text  # type: ignore[attr-defined]
    assert 'role="alert"' in response.text  # type: ignore[attr-defined]
    assert store.groups["groupe-1"].answers.responses == {} and store.groups["groupe-1"].answers.profile == {}


def test_an_oversized_body_is_refused_before_it_is_read(store: LiveStore) -> None:
    browser = joined(store)
    url = "/groupe/question/objectifs/objectifs_texte"
    token = csrf(browser.get(url).text)
    response = browser.post(url, data={"csrf": token, "texte": "x" * (MAX_BODY + 1)})
    assert response.status_code == 413


def test_typed_text_is_escaped_and_a_group_sees_only_its_own_answers(store: LiveStore) -> None:
    one = joined(store, "Groupe 1")
    two = joined(store, "Groupe 2")
    url = "/groupe/question/objectifs/objectifs_texte"
    post_answer(one, url, texte="<script>alert('secret du groupe 1')</script>")
    assert "&lt;script&gt;" in one.get(url).text and "<script>alert" not in one.get(url).text
    for page in ("/groupe", url, "/groupe/recapitulatif/objectifs"):
        assert "secret du groupe 1" not in two.get(page).text


def test_skip_back_and_the_module_recap_follow_the_walk(store: LiveStore, content: Content) -> None:
    browser = joined(store)
    store.set_modules(["enjeux"], reveal_quiz=False)  # the quiz alone: no profile asked, as in the walk
    items = content.module("enjeux").quiz  # type: ignore[union-attr]
    url = f"/groupe/question/enjeux/{items[0].id}"
    page = browser.get(url).text
    assert "Revenir à la question précédente" not in page
    token = csrf(page)
    skipped = browser.post(url, data={"csrf": token, "action": "passer"}, follow_redirects=False)
    assert skipped.headers["location"] == f"/groupe/question/enjeux/{items[1].id}"
    second = browser.get(skipped.headers["location"]).text
    assert f'href="{url}"' in second  # back
    location = ""
    for item in items:
        response = post_answer(browser, f"/groupe/question/enjeux/{item.id}", valeur=item.answer)
        location = response.headers["location"]  # type: ignore[attr-defined]
        assert "Bonne réponse" in browser.get(location).text
    assert location.startswith("/groupe/recapitulatif/enjeux")
    recap = browser.get(location).text
    assert recap.count("Modifier") >= len(items) and "Valider et continuer" in recap


def test_a_closed_module_cannot_be_answered(store: LiveStore) -> None:
    browser = joined(store)
    url = "/groupe/question/ressources/service_dedie"
    assert browser.get(url).status_code == 404
    token = csrf(browser.get("/groupe/question/objectifs/raisons").text)
    assert browser.post(url, data={"csrf": token, "valeur": "oui"}).status_code == 404
    assert browser.get("/groupe/recapitulatif/ressources").status_code == 404
    assert "ressources" not in store.groups["groupe-1"].answers.responses


# -- the trainer -----------------------------------------------------------------------


def test_the_trainer_pages_need_the_secret(store: LiveStore) -> None:
    browser = client(store)
    assert browser.get("/formateur").status_code == 404
    forged = store.secret[:-1] + ("A" if store.secret[-1] != "A" else "B")
    for path in ("", "/suivi", "/projecteur", "/projecteur/vue"):
        response = browser.get(f"/formateur/{forged}{path}")
        assert response.status_code == 403 and "Accès refusé" in response.text
    assert browser.post(f"/formateur/{forged}/modules", data={"module": "ressources"}).status_code == 403
    assert "ressources" not in store.open_modules


def test_the_trainer_opens_modules_with_a_genuine_form(store: LiveStore) -> None:
    trainer = client(store)
    base = f"/formateur/{store.secret}"
    page = trainer.get(base).text
    assert store.code in page and "<svg" in page and "Révéler" in page
    token = csrf(page)
    cross = trainer.post(base + "/modules", data={"csrf": token, "module": "ressources"},
                         headers={"Origin": "http://evil.example"})
    assert cross.status_code == 403 and store.open_modules == ["enjeux", "objectifs"]
    assert trainer.post(base + "/modules", data={"module": "ressources"}).status_code == 403
    done = trainer.post(base + "/modules", data={"csrf": token, "module": ["ressources", "inconnu"], "reveler": "oui"},
                        follow_redirects=False)
    assert done.status_code == 303 and store.open_modules == ["ressources"] and store.reveal_quiz


def test_the_follow_up_counts_answers_and_says_when_nothing_changed(store: LiveStore) -> None:
    trainer = client(store)
    base = f"/formateur/{store.secret}"
    first = trainer.get(base + "/suivi")
    version = first.headers["x-version"]
    assert trainer.get(base + "/suivi", params={"depuis": version}).status_code == 204
    post_answer(joined(store), "/groupe/question/objectifs/objectifs_ecrits", valeur="ecrits_partages")
    changed = trainer.get(base + "/suivi", params={"depuis": version})
    assert changed.status_code == 200 and changed.headers["x-version"] != version
    assert re.search(r"Les objectifs.*?</td><td class=\"num\">1/1</td>", changed.text, re.S)


def test_the_projector_shows_the_workshop_view_and_reveals_the_quiz_on_demand(store: LiveStore,
                                                                               content: Content) -> None:
    item = content.module("enjeux").quiz[0]  # type: ignore[union-attr]
    post_answer(joined(store, "Groupe <b>1</b>"), f"/groupe/question/enjeux/{item.id}", valeur=item.answer)
    trainer = client(store)
    base = f"/formateur/{store.secret}"
    page = trainer.get(base + "/projecteur").text
    assert "Groupe &lt;b&gt;1&lt;/b&gt;" in page and "<b>1</b>" not in page
    assert "Scores par groupe" in page and item.statement in html.unescape(page)
    assert "réponse attendue" not in page and item.evidence not in html.unescape(page)
    assert 'src="/statique/direct.js"' in page and "http" not in page.replace("http://testserver", "").replace(
        "http://www.w3.org", "")
    store.set_modules(store.open_modules, reveal_quiz=True)
    view = trainer.get(base + "/projecteur/vue").text
    assert "réponse attendue" in view and item.evidence in html.unescape(view)


# -- throttling, static files, resuming, the files afterwards ----------------------------


def test_a_flood_from_one_client_is_throttled(store: LiveStore) -> None:
    browser = client(store, Throttle(rate=0.001, burst=3))
    codes = [browser.get("/").status_code for _ in range(5)]
    assert codes == [200, 200, 200, 429, 429]
    assert "Trop de requêtes" in browser.get("/").text


def test_throttle_memory_stays_bounded() -> None:
    throttle = Throttle(rate=10, burst=2, max_clients=100)
    for i in range(1000):
        throttle.allow(f"ip:{i}", now=float(i))
    assert len(throttle._buckets) <= 100


def test_only_the_shipped_style_and_script_are_served(store: LiveStore) -> None:
    browser = client(store)
    assert browser.get("/statique/direct.css").headers["content-type"].startswith("text/css")
    assert browser.get("/statique/direct.js").status_code == 200
    assert browser.get("/statique/..%2F..%2Fpyproject.toml").status_code == 404
    assert browser.get("/statique/base.html.j2").status_code == 404


def test_starting_again_on_the_same_folder_resumes_the_session(store: LiveStore, content: Content) -> None:
    browser = joined(store)
    post_answer(browser, "/groupe/question/objectifs/objectifs_ecrits", valeur="ecrits_partages")
    again = LiveStore(store.folder, content)
    assert (again.code, again.secret, again.open_modules) == (store.code, store.secret, store.open_modules)
    assert again.resumed and again.groups["groupe-1"].answers.get("objectifs", "objectifs_ecrits") == "ecrits_partages"
    resumed = client(again)
    for name in ("deployer_code", "deployer_groupe"):  # the phone reconnects: its answers are there
        resumed.cookies.set(name, browser.cookies[name])
    page = resumed.get("/groupe/question/objectifs/objectifs_ecrits").text
    assert re.search(r'value="ecrits_partages" checked', page)
    assert (store.folder / STATE_FILE).stat().st_mode & 0o077 == 0


def test_the_groups_files_feed_workshop_and_score_afterwards(store: LiveStore, run) -> None:  # noqa: ANN001
    browser = joined(store, "Groupe 1")
    post_answer(browser, "/groupe/question/profil/population", nombre="12\u202f000")
    post_answer(browser, "/groupe/question/objectifs/objectifs_ecrits", valeur="ecrits_partages")
    assert read_answers(file_of(store, "Groupe 1"), store.content).population == 12000
    shown = run("workshop", str(store.folder))
    assert shown.exit_code == 0 and "Groupe 1" in shown.stdout
    assert run("score", str(file_of(store, "Groupe 1"))).exit_code == 0


def test_cross_answer_warnings_of_the_walk_follow_an_answer(store: LiveStore, content: Content) -> None:
    module = content.module("prestataire")
    assert module is not None and module.duration_limit is not None
    limit = module.duration_limit
    store.set_modules(["prestataire"], reveal_quiz=False)
    browser = joined(store)
    post_answer(browser, f"/groupe/question/prestataire/{limit.months}", nombre="24")
    response = post_answer(browser, f"/groupe/question/prestataire/{limit.renewals}", nombre="3")
    page = html.unescape(browser.get(response.headers["location"]).text)  # type: ignore[attr-defined]
    said = "3 reconductions de 24\u00a0mois"
    assert limit.message.format(months=24, renewals=said, total=96, max_months=limit.max_months) in page
