"""The whole web application of a live session: the participants', the trainer's and the static routes."""

from __future__ import annotations

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import PlainTextResponse, Response
from starlette.routing import Route
from starlette.types import ASGIApp

from deployer.live import participant, trainer
from deployer.live.app import Guard, Live
from deployer.live.guard import Throttle
from deployer.live.store import LiveStore


def create_app(store: LiveStore, join_url: str, throttle: Throttle | None = None,
               rebuild_seconds: float | None = None) -> ASGIApp:
    """The whole application for one session, behind its safety middleware (``throttle``: one
    limit for every client, instead of one per group and a larger one per address not joined;
    ``rebuild_seconds``: how often at most the projector's view is recomputed)."""
    live = Live(store, join_url.rstrip("/"))
    if throttle is not None:
        live.throttle = live.anonymous = throttle
    if rebuild_seconds is not None:
        live.rebuild_seconds = rebuild_seconds
    routes = [*participant.routes(), *trainer.routes(), Route("/statique/{name}", static)]
    app = Starlette(routes=routes)
    app.state.live = live
    return Guard(app, live)


_STATIC = {"direct.css": "text/css; charset=utf-8", "direct.js": "text/javascript; charset=utf-8"}


async def static(request: Request) -> Response:
    """The page's style sheet and its small script, shipped with the package."""
    from deployer.schema.resources import shipped

    name = request.path_params["name"]
    if name not in _STATIC:
        return PlainTextResponse("Introuvable.", 404)
    return Response((shipped("templates") / "live" / name).read_bytes(), media_type=_STATIC[name])
