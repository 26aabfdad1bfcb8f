"""The live session's web application (Starlette): routes, cookies, and the safety middleware.

Every participant request carries the join code (a cookie set when joining, checked on
each request) and a signed group cookie; the trainer's pages sit under a secret path;
every form carries a token tied to the visitor's cookie and must come from this site;
bodies are size-limited and each client is throttled.
"""

from __future__ import annotations

import secrets
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

from starlette.requests import Request
from starlette.responses import HTMLResponse, PlainTextResponse, RedirectResponse, Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from deployer.live.guard import MAX_BODY, MAX_FIELDS, Throttle, sign, unsigned
from deployer.live.store import Group, LiveStore

CODE_COOKIE = "deployer_code"
GROUP_COOKIE = "deployer_groupe"
VISITOR_COOKIE = "deployer_visiteur"
COOKIE_AGE = 12 * 3600  # a training day
REBUILD_SECONDS = 1.0
CSP = ("default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; "
       "form-action 'self'; frame-ancestors 'none'; base-uri 'none'")


@dataclass
class Live:
    """What every route needs: the session's store and the address participants open."""

    store: LiveStore
    join_url: str
    throttle: Throttle = field(default_factory=Throttle)  # per group (its signed cookie)
    anonymous: Throttle = field(default_factory=lambda: Throttle(rate=50, burst=200))  # per address, not joined
    rebuild_seconds: float = REBUILD_SECONDS
    _cache: dict[str, tuple[int, float, str]] = field(default_factory=dict)
    _building: threading.Lock = field(default_factory=threading.Lock)

    def cached(self, name: str, build: Callable[[], str]) -> tuple[int, str]:
        """A rendered view and the session's version it shows, rebuilt when an answer or a setting
        changed, but at most once every ``rebuild_seconds``: 40 groups answering at once do not
        make the projector recompute the whole workshop view after each answer."""
        min_age = self.rebuild_seconds
        hit = self._cache.get(name)
        if hit is not None and (hit[0] == self.store.version or time.monotonic() - hit[1] < min_age):
            return hit[0], hit[2]
        with self._building:  # one rebuild at a time; the others then find it done
            hit = self._cache.get(name)
            version = self.store.version
            if hit is None or (hit[0] != version and time.monotonic() - hit[1] >= min_age):
                hit = (version, time.monotonic(), build())
                self._cache[name] = hit
        return hit[0], hit[2]


def live_of(request: Request) -> Live:
    """The session of the application serving this request."""
    live: Live = request.app.state.live
    return live


# -- pages, cookies, tokens ------------------------------------------------------------


def page(template: str, status: int = 200, **context: Any) -> HTMLResponse:
    """A rendered page of templates/live/."""
    from deployer.documents.templates import render

    return HTMLResponse(render(f"live/{template}.html.j2", **context), status_code=status)


def message(title: str, text: str, status: int, link: tuple[str, str] | None = None) -> HTMLResponse:
    """A short French page for a refusal or an error."""
    return page("message", status, title=title, text=text, link=link)


def csrf_token(request: Request) -> str:
    """The token the visitor's forms carry (tied to the visitor's cookie)."""
    visitor = request.scope.get("deployer.visitor", "")
    return sign(live_of(request).store.signing_key, "formulaire", visitor)


async def read_form(request: Request) -> dict[str, list[str]] | Response:
    """The form's fields, or a refusal: cross-site, missing or wrong token, too many fields."""
    if not same_site(request):
        return message("Formulaire refusé", "Ce formulaire ne vient pas de cette séance.", 403)
    try:
        form = await request.form(max_files=0, max_fields=MAX_FIELDS)
    except Exception:  # starlette raises its own errors for malformed or oversized forms
        return message("Formulaire refusé", "Le formulaire envoyé est mal formé ou trop grand.", 400)
    fields: dict[str, list[str]] = {}
    for key, value in form.multi_items():
        if isinstance(value, str):
            fields.setdefault(key, []).append(value)
    token = (fields.get("csrf") or [""])[0]
    if not secrets.compare_digest(token.encode(), csrf_token(request).encode()):
        return message("Formulaire refusé", "Le formulaire a expiré ou ne vient pas de cette séance : "
                       "rechargez la page et recommencez.", 403)
    return fields


def same_site(request: Request) -> bool:
    """Whether a form comes from this site (browsers send Origin, or Sec-Fetch-Site, with a POST)."""
    if request.headers.get("sec-fetch-site", "same-origin") not in ("same-origin", "none"):
        return False
    origin = request.headers.get("origin") or request.headers.get("referer")
    if origin is None:
        return True  # not a browser's cross-site request: the token still has to match
    return urlsplit(origin).netloc == request.headers.get("host", "")


def set_cookie(response: Response, name: str, value: str) -> None:
    """A cookie scripts cannot read and other sites cannot send."""
    response.set_cookie(name, value, max_age=COOKIE_AGE, httponly=True, samesite="strict", path="/")


def current_group(request: Request) -> Group | None:
    """The group of this participant: right join code and a valid group cookie, else None."""
    store = live_of(request).store
    code = request.cookies.get(CODE_COOKIE, "")
    if not secrets.compare_digest(code.encode(), store.code.encode()):
        return None
    slug = unsigned(store.signing_key, "groupe", request.cookies.get(GROUP_COOKIE))
    return store.groups.get(slug) if slug else None


def to(url: str) -> RedirectResponse:
    """After a form: « see other »."""
    return RedirectResponse(url, status_code=303)


# -- the safety middleware ---------------------------------------------------------------


class Guard:
    """Size limit, throttling, a visitor cookie for form tokens, and security headers."""

    def __init__(self, app: ASGIApp, live: Live) -> None:
        self.app = app
        self.live = live

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = {k.decode("latin-1").lower(): v.decode("latin-1") for k, v in scope["headers"]}
        cookies = _cookies(headers.get("cookie", ""))
        client = self._client(scope, cookies)
        throttle = self.live.throttle if client.startswith("groupe:") else self.live.anonymous
        if not throttle.allow(client):
            await PlainTextResponse("Trop de requêtes : patientez quelques secondes.", 429,
                                    headers={"Retry-After": "2"})(scope, receive, send)
            return
        length = headers.get("content-length", "0")
        if not length.isdigit() or int(length) > MAX_BODY:
            await PlainTextResponse("Requête trop grande.", 413)(scope, receive, send)
            return
        visitor = cookies.get(VISITOR_COOKIE, "")
        fresh = not (len(visitor) == 32 and visitor.isalnum())
        visitor = secrets.token_hex(16) if fresh else visitor
        scope["deployer.visitor"] = visitor
        await self.app(scope, _limited(receive), _with_headers(send, visitor if fresh else None))

    def _client(self, scope: Scope, cookies: dict[str, str]) -> str:
        slug = unsigned(self.live.store.signing_key, "groupe", cookies.get(GROUP_COOKIE))
        if slug and slug in self.live.store.groups:
            return f"groupe:{slug}"
        client = scope.get("client")
        return f"ip:{client[0] if client else '?'}"


def _cookies(header: str) -> dict[str, str]:
    found: dict[str, str] = {}
    for part in header.split(";"):
        name, _, value = part.strip().partition("=")
        if name:
            found.setdefault(name, value)
    return found


def _limited(receive: Receive) -> Receive:
    """Refuse a body larger than announced (chunked uploads have no Content-Length)."""
    seen = 0

    async def wrapped() -> Message:
        nonlocal seen
        message = await receive()
        seen += len(message.get("body", b""))
        if seen > MAX_BODY:
            raise ValueError("body too large")
        return message

    return wrapped


def _with_headers(send: Send, new_visitor: str | None) -> Send:
    async def wrapped(message: Message) -> None:
        if message["type"] == "http.response.start":
            headers = list(message.get("headers", []))
            headers += [(b"content-security-policy", CSP.encode()), (b"x-content-type-options", b"nosniff"),
                        (b"referrer-policy", b"same-origin"), (b"x-frame-options", b"DENY"),
                        (b"cache-control", b"no-store")]
            if new_visitor:
                headers.append((b"set-cookie", f"{VISITOR_COOKIE}={new_visitor}; Max-Age={COOKIE_AGE}; "
                                "Path=/; HttpOnly; SameSite=Strict".encode()))
            message = {**message, "headers": headers}
        await send(message)

    return wrapped
