"""The participants' pages: join, the group's page, one page per question, the module recap.

The same questions, in the same order, with the same feedback as the terminal walk
(``answers.steps``, ``analysis.feedback``); answers are checked with the answers file's
own rules (``value_problems``) before they are written.
"""

from __future__ import annotations

from typing import Any

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from deployer.answers.answers_file import MAX_TEXT, value_problems
from deployer.answers.steps import (
    PROFILE,
    Step,
    current_value,
    index_after,
    integer_error,
    next_unanswered,
    parse_integer,
    record,
    steps_for,
)
from deployer.live import pages
from deployer.live.app import (
    CODE_COOKIE,
    GROUP_COOKIE,
    csrf_token,
    current_group,
    live_of,
    message,
    page,
    read_form,
    set_cookie,
    to,
)
from deployer.live.guard import same_secret, signed
from deployer.live.store import MAX_GROUP_NAME, Group, JoinRefused
from deployer.schema.models import UNKNOWN, UNKNOWN_LABEL

SKIP = object()


def routes() -> list[Route]:
    """The participants' routes."""
    return [
        Route("/", join_page),
        Route("/rejoindre", join, methods=["POST"]),
        Route("/groupe", home),
        Route("/groupe/question/{module}/{question}", question_page),
        Route("/groupe/question/{module}/{question}", answer, methods=["POST"]),
        Route("/groupe/recapitulatif/{module}", recap),
    ]


# -- joining ---------------------------------------------------------------------------


async def join_page(request: Request, error: str = "", name: str = "", status: int = 200) -> Response:
    """The join form: the session's code and a group name (and a resume key for another device)."""
    if current_group(request) is not None and not error:
        return to("/groupe")
    code = request.query_params.get("code", "")[:12]
    return page("rejoindre", status, title="Rejoindre la séance", csrf=csrf_token(request), code=code,
                group_name=name[:MAX_GROUP_NAME], error=error, max_name=MAX_GROUP_NAME)


async def join(request: Request) -> Response:
    """Check the code, then create or resume the group and set its cookies."""
    form = await read_form(request)
    if isinstance(form, Response):
        return form
    store = live_of(request).store
    code, name, key = (_field(form, k) for k in ("code", "groupe", "cle"))
    if not same_secret(code.strip(), store.code):
        return await join_page(request, "Code de séance incorrect : vérifiez-le au tableau.", name, 403)
    try:
        group = await run_in_threadpool(store.join, name, key)
    except JoinRefused as exc:
        return await join_page(request, str(exc), name, 409)
    response = to("/groupe")
    set_cookie(response, CODE_COOKIE, store.code)
    set_cookie(response, GROUP_COOKIE, signed(store.signing_key, "groupe", group.slug))
    return response


def _field(form: dict[str, list[str]], key: str) -> str:
    values = form.get(key) or [""]
    return values[0]


# -- the group's pages -----------------------------------------------------------------


def _steps(request: Request, group: Group) -> list[Step]:
    store = live_of(request).store
    return steps_for(store.content, group.answers, store.modules_open())


def _not_joined() -> Response:
    return message("Séance non rejointe", "Rejoignez la séance avec son code et le nom de votre groupe.", 403,
                   ("/", "Rejoindre la séance"))


async def home(request: Request) -> Response:
    """The group's page: the open modules, how far the group got, its resume key."""
    group = current_group(request)
    if group is None:
        return to("/")
    store = live_of(request).store
    steps = _steps(request, group)
    return page("groupe", title=group.name, group=group, echo=_echo(request, group),
                modules=pages.progress(steps, group.answers, store.modules_open()))


def _echo(request: Request, group: Group) -> pages.Echo | None:
    """The answer named by « ?apres=module.question », shown after it was given."""
    after = request.query_params.get("apres", "")
    step = next((s for s in _steps(request, group) if s.key == after), None)
    return pages.echo(live_of(request).store.content, group.answers, step) if step else None


def _find(request: Request, group: Group) -> tuple[list[Step], int] | Response:
    steps = _steps(request, group)
    module, question = request.path_params["module"], request.path_params["question"]
    index = next((i for i, s in enumerate(steps) if s.module == module and s.question.id == question), None)
    if index is None:
        return message("Question indisponible", "Cette question n'est pas ouverte pour l'instant, ou ne "
                       "concerne pas votre groupe d'après ses réponses.", 404, ("/groupe", "Retour à votre groupe"))
    return steps, index


async def question_page(request: Request, error: str = "", typed: str | None = None) -> Response:
    """One question: help, why, repère with its sources, the choices, skip and back."""
    group = current_group(request)
    if group is None:
        return _not_joined() if error else to("/")
    found = _find(request, group)
    if isinstance(found, Response):
        return found
    steps, index = found
    step = steps[index]
    content = live_of(request).store.content
    current = current_value(group.answers, step)
    repere = pages.repere(content, group.answers, step)
    return page("question", 422 if error else 200, title=step.question.label, group=group, step=step,
                csrf=csrf_token(request), action=pages.question_url(step), echo=_echo(request, group), error=error,
                choices=pages.choices(step, current), repere=repere,
                sources=pages.sources(content, repere),
                typed=typed if typed is not None else ("" if current is None else str(current)),
                previous=pages.question_url(steps[index - 1]) if index > 0 else None,
                profile=step.module == PROFILE, max_text=MAX_TEXT, unknown=(UNKNOWN, UNKNOWN_LABEL))


async def answer(request: Request) -> Response:
    """Check the answer with the answers file's rules, write the group's file, go on."""
    group = current_group(request)
    if group is None:
        return _not_joined()
    form = await read_form(request)
    if isinstance(form, Response):
        return form
    found = _find(request, group)
    if isinstance(found, Response):
        return found
    steps, index = found
    step = steps[index]
    value, error = (SKIP, "") if _field(form, "action") == "passer" else read_value(step, form)
    if error:
        return await question_page(request, error, _field(form, "texte") or _field(form, "nombre"))
    store = live_of(request).store
    answers = group.answers
    if value is not SKIP:
        given = record(answers, step, value)
        following = steps_for(store.content, given, store.modules_open())
        index = next_unanswered(following, given, index_after(following, step))
        position = following[index].key if index < len(following) else None  # as the walk's « en_cours »
        answers = await run_in_threadpool(store.answer, group, step, value, position)
    after = next_location(_steps(request, group), answers, step)
    return to(after + (f"?apres={step.key}" if value is not SKIP else ""))


def read_value(step: Step, form: dict[str, list[str]]) -> tuple[Any, str]:
    """The value typed or chosen (SKIP when nothing was), or a French reason to refuse it."""
    q = step.question
    if q.type in ("choix", "multiple"):
        chosen = list(dict.fromkeys(form.get("valeur", [])))
        if not chosen:
            return SKIP, ""
        if q.type == "multiple" and UNKNOWN in chosen and len(chosen) > 1:
            return None, f"« {UNKNOWN_LABEL} » ne se coche pas avec une autre réponse."
        value: Any = chosen[0] if q.type == "choix" or chosen == [UNKNOWN] else chosen
        if q.type == "choix" and len(chosen) > 1:
            return None, "Une seule réponse est possible à cette question."
    elif q.type == "entier":
        text = _field(form, "nombre")
        if not text.strip():
            return SKIP, ""
        error = integer_error(q, text)
        if error:
            return None, error
        value = parse_integer(text)
    else:
        value = _field(form, "texte").strip()
        if not value:
            return SKIP, ""
    problems = value_problems(q, value)
    return (None, problems[0]) if problems else (value, "")


def next_location(steps: list[Step], answers: Any, done: Step) -> str:
    """Where the walk goes after a question: the next unanswered one, or the module's recap at its end."""
    index = next_unanswered(steps, answers, index_after(steps, done))
    end_of_module = index == len(steps) or steps[index].module != done.module
    if done.module != PROFILE and end_of_module:
        return pages.recap_url(done.module)
    return pages.question_url(steps[index]) if index < len(steps) else "/groupe"


async def recap(request: Request) -> Response:
    """A module's answers, each with a link to change it; then on to the next question left."""
    group = current_group(request)
    if group is None:
        return to("/")
    steps = _steps(request, group)
    module = request.path_params["module"]
    mine = [s for s in steps if s.module == module]
    if not mine or module == PROFILE:
        return message("Module indisponible", "Ce module n'est pas ouvert pour l'instant.", 404,
                       ("/groupe", "Retour à votre groupe"))
    rows = [(s, pages.answer_text(s, current_value(group.answers, s)), pages.question_url(s)) for s in mine]
    index = next_unanswered(steps, group.answers, steps.index(mine[-1]) + 1)
    following = pages.question_url(steps[index]) if index < len(steps) else "/groupe"
    return page("recapitulatif", title=f"Récapitulatif · {mine[0].module_title}", group=group,
                module_title=mine[0].module_title, rows=rows, following=following, echo=_echo(request, group))
