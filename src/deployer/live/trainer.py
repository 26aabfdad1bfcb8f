"""The trainer's pages, under the session's secret path: control, follow-up, projector.

The projector shows the same aggregation as ``deployer workshop --format html`` (the
same analysis and the same template), rebuilt only when an answer or a setting changed,
and fetched again by the page every few seconds (short polling, no framework).
"""

from __future__ import annotations

from collections.abc import Callable

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import HTMLResponse, Response
from starlette.routing import Route

from deployer.live.app import Live, live_of, message, page, read_form, to
from deployer.live.guard import same_secret

POLL_SECONDS = 3


def routes() -> list[Route]:
    """The trainer's routes (the secret is checked by each one, never guessed from a 404)."""
    base = "/formateur/{secret}"
    return [
        Route(base, control),
        Route(base + "/modules", set_modules, methods=["POST"]),
        Route(base + "/suivi", follow_up),
        Route(base + "/projecteur", projector),
        Route(base + "/projecteur/vue", projector_view),
    ]


def _trainer(request: Request) -> Live | None:
    live = live_of(request)
    return live if same_secret(request.path_params.get("secret", ""), live.store.secret) else None


def _refused() -> Response:
    return message("Accès refusé", "Ce lien de formateur n'est pas celui de la séance en cours : utilisez "
                   "le lien affiché dans le terminal qui a lancé la séance.", 403)


def qr_svg(url: str) -> str:
    """The join address as a QR code, an inline SVG (black on white, with its quiet zone)."""
    import segno

    svg: str = segno.make(url, error="m").svg_inline(scale=6, dark="#000", light="#fff", title=url)
    return svg


async def control(request: Request) -> Response:
    """Open or close modules, reveal the quiz's answers, see the groups and their progress."""
    from deployer.live.app import csrf_token

    live = _trainer(request)
    if live is None:
        return _refused()
    store = live.store
    version, follow = live.cached("suivi", lambda: _follow_up_html(live))
    return page("formateur", title="Formateur", store=store, modules=store.answerable_modules,
                csrf=csrf_token(request), join=_join(live), base=request.url.path, follow=follow,
                version=version, poll=POLL_SECONDS, groups=sorted(store.groups.values(), key=lambda g: g.name))


def _join(live: Live) -> dict[str, str]:
    url = f"{live.join_url}/?code={live.store.code}"
    from markupsafe import Markup

    return {"url": live.join_url, "code": live.store.code, "qr": Markup(qr_svg(url))}  # noqa: S704 - segno's SVG


async def set_modules(request: Request) -> Response:
    """The modules the groups may answer now, and whether the projector reveals the quiz's answers."""
    live = _trainer(request)
    if live is None:
        return _refused()
    form = await read_form(request)
    if isinstance(form, Response):
        return form
    await run_in_threadpool(live.store.set_modules, form.get("module", []), form.get("reveler") == ["oui"])
    return to(f"/formateur/{live.store.secret}")


def _fragment(request: Request, name: str, build: Callable[[], str]) -> Response:
    live = _trainer(request)
    if live is None:
        return _refused()
    version, html = live.cached(name, build)
    if request.query_params.get("depuis") == str(version):
        return Response(status_code=204, headers={"X-Version": str(version)})
    return HTMLResponse(html, headers={"X-Version": str(version)})


def _follow_up_html(live: Live) -> str:
    from deployer.analysis.workshop import answered_counts
    from deployer.documents.templates import render

    store = live.store
    groups = [g.answers for g in store.groups.values()]
    return render("live/suivi.html.j2", counts=answered_counts(store.modules_open(), groups),
                  total=len(groups), open_titles=[m.title for m in store.modules_open()])


async def follow_up(request: Request) -> Response:
    """The follow-up table (answers per question), when it changed."""
    live = live_of(request)
    return await run_in_threadpool(_fragment, request, "suivi", lambda: _follow_up_html(live))


def _projector_html(live: Live) -> str:
    from deployer.analysis.workshop import aggregate
    from deployer.documents.workshop import workshop_view_html

    store = live.store
    opened = store.modules_open()
    module = opened[0].id if len(opened) == 1 else None  # one module open: its own view, with its discussion
    workshop = aggregate(store.content, store.group_files(), module, store.rejected)
    return workshop_view_html(store.content, workshop, store.reveal_quiz)


async def projector(request: Request) -> Response:
    """The page for the projector: how to join, then the workshop view, kept up to date."""
    live = _trainer(request)
    if live is None:
        return _refused()
    version, view = await run_in_threadpool(live.cached, "projecteur", lambda: _projector_html(live))
    return page("projecteur", title="Projecteur", join=_join(live), view=view, version=version,
                poll=POLL_SECONDS, source=f"{request.url.path}/vue")


async def projector_view(request: Request) -> Response:
    """The workshop view alone, when it changed."""
    live = live_of(request)
    return await run_in_threadpool(_fragment, request, "projecteur", lambda: _projector_html(live))

