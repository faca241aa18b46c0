"""The guard of a site served behind a JupyterHub: every route checked, WebSockets included.

The ready-made proxies that put a server behind a hub check HTTP requests but not the kernel's
WebSocket (issue 20: an anonymous client drove a learner's widgets). Here nothing depends on a
handler remembering to check: `guard_rules` wraps **every** rule the server registers (Voilà's
pages, its `/api/kernels/…` and their `channels` WebSocket, the shutdown beacon, the static files,
jupyter_server's login pages, our spaces) in a subclass whose `prepare` runs first and lets the
request in only with a hub identity of this site (`HubIdentity.identity_for_user`):

- no hub token (no cookie, or a token the hub no longer knows, e.g. after sign-out): a page
  (a plain GET) is sent to the hub's sign-in (OAuth, with PKCE and a state cookie, as
  `HubOAuthenticated` does); anything else (API, WebSocket, POST) gets 403;
- a hub user with no role at this site, or without the scope to reach this service: 403;
- a kernel (its REST route, its channels, its shutdown) belongs to the hub user whose page it
  was given to: the page's request binds it (`OwnedKernels`: the preheated kernel handed out,
  or the one started for the page) before any of the page is sent, so from the very first
  request on, anyone else, and any kernel no page was drawn with, gets 403;
- a cookie-authenticated POST outside the spaces needs tornado's `_xsrf` value (the spaces check
  their own CSRF value); a WebSocket from another origin is refused;
- the learner's identity is written, signed, in the request header the page's kernel reads
  (`HubIdentity.kernel_value`), after removing whatever header of that name the browser sent.

Two routes are not for browsers: the OAuth callback (it completes the sign-in, so it cannot need
it) and Voilà's preheat socket `voila/query/<kernel>`, where a preheated kernel receives its
page's request: it needs the key this server gave its kernels (`KERNEL_KEY_ENV`) instead.

The hub is asked about the token on every request except static files (`static_cache_seconds`):
a signed-out cookie is refused at once, and open kernel channels are checked again every
`recheck_seconds`, so a page left open stops writing soon after its learner signed out.
A recheck the hub does not answer (busy, or restarting) leaves the channel open until the
next one: a busy hub is not a sign-out, and one unanswered question must not leave the other
channels unchecked.
"""

from __future__ import annotations

import hashlib
import hmac
import os
import re
import secrets
import weakref
from typing import Any
from urllib.parse import urlparse

from jupyterhub.services.auth import HubOAuth, HubOAuthCallbackHandler
from tornado.httputil import url_concat
from tornado.ioloop import PeriodicCallback
from tornado.web import HTTPError, RequestHandler
from tornado.websocket import WebSocketHandler

from course.access.hub import HANDLER_IDENTITY, HANDLER_TOKEN, IDENTITY_HEADER, HubIdentity
from course.learner.voila_query import KERNEL_KEY_ENV, KERNEL_KEY_HEADER

KERNEL_ROUTE = re.compile(r"/(?:api/kernels|voila/api/shutdown)/([0-9a-f-]{36})(?:/|$)")
STATIC_PARTS = ("/voila/static/", "/voila/templates/", "/voila/labextensions/", "/static/")
READ_ONLY = ("GET", "HEAD", "OPTIONS")
# Voilà's page handler, named so that the coordination service need not import Voilà.
VOILA_PAGE = "voila.handler.VoilaHandler"
HANDLER_USER = "atelier_hub_user"  # the hub username the guard let in, on the handler
REFUSED_PAGE = (
    "<!doctype html><html lang='fr'><meta charset='utf-8'><title>Accès réservé</title>"
    "<h1>Accès réservé</h1><p>Cette page est réservée aux personnes inscrites sur ce site. "
    "Connectez-vous à l'accueil du réseau avec votre prénom et votre code, ou demandez à la "
    "personne qui anime l'atelier.</p></html>"
)


def kernel_key() -> str:
    """This server's key for its kernels' preheat socket (made once per server start)."""
    return os.environ.setdefault(KERNEL_KEY_ENV, secrets.token_hex(32))


class HubGuard:
    """One per server: the hub's OAuth client, the site's provider, the kernels' owners."""

    static_cache_seconds = 60
    recheck_seconds = 15

    def __init__(self, provider: HubIdentity):
        self.provider = provider
        self.auth = HubOAuth(cache_max_age=self.static_cache_seconds)
        self.callback_path = urlparse(self.auth.oauth_redirect_uri).path
        self.owners: dict[str, str] = {}  # kernel id -> hub username
        self.channels: weakref.WeakSet[WebSocketHandler] = weakref.WeakSet()
        self._recheck: PeriodicCallback | None = None

    # --- who sends this request ---

    def _token(self, handler: RequestHandler) -> tuple[str, bool]:
        """The hub token of the request, and whether it came in the service's cookie."""
        given = self.auth.auth_header_pat.match(handler.request.headers.get("Authorization", ""))
        if given:
            return given.group(1), False
        cookie = handler.get_secure_cookie(self.auth.cookie_name)
        return (cookie.decode("ascii", "replace"), True) if cookie else ("", False)

    async def hub_user(self, handler: RequestHandler) -> tuple[dict[str, Any] | None, str]:
        """The hub's user model for this request's token (None: no token, or the hub refuses
        it), and the token's hash."""
        token, _in_cookie = self._token(handler)
        if not token:
            return None, ""
        static = any(part in handler.request.path for part in STATIC_PARTS)
        model = await self.auth.user_for_token(
            token,
            use_cache=static,
            session_id=self.auth.get_session_id(handler),
            sync=False,
        )
        if model and self.auth.access_scopes:
            if not self.auth.check_scopes(self.auth.access_scopes, model):
                model = {**model, "groups": []}  # authenticated, but not let into this service
        return model, hashlib.sha256(token.encode()).hexdigest()

    # --- the check every guarded route runs first ---

    async def admit(self, handler: RequestHandler) -> bool:
        """Let the request in (True), or answer it here (redirect to the hub, or 403)."""
        request = handler.request
        if IDENTITY_HEADER in request.headers:
            del request.headers[IDENTITY_HEADER]  # only this server writes it
        model, token_hash = await self.hub_user(handler)
        if model is None:
            if request.method == "GET" and not self._api_or_socket(handler):
                self.redirect_to_hub(handler)
            else:
                self.refuse(handler)
            return False
        identity = self.provider.identity_for_user(model)
        if identity is None or not self._origin_ok(handler) or not self._owner_ok(handler, model):
            self.refuse(handler)
            return False
        if not self._xsrf_ok(handler):
            self.refuse(handler)
            return False
        setattr(handler, HANDLER_IDENTITY, identity)
        setattr(handler, HANDLER_TOKEN, token_hash)
        if identity.learner_id is not None:
            request.headers[IDENTITY_HEADER] = self.provider.kernel_value(identity)
        return True

    @staticmethod
    def _api_or_socket(handler: RequestHandler) -> bool:
        return isinstance(handler, WebSocketHandler) or "/api/" in handler.request.path

    @staticmethod
    def _origin_ok(handler: RequestHandler) -> bool:
        """A WebSocket opened by a page of this very site (browsers always send Origin)."""
        if not isinstance(handler, WebSocketHandler):
            return True
        origin = handler.request.headers.get("Origin")
        return origin is None or urlparse(origin).netloc.lower() == handler.request.host.lower()

    def bind(self, kernel_id: str, username: str) -> None:
        """`kernel_id` was given to `username`'s page: theirs only, from now on."""
        self.owners[kernel_id] = username

    def _owner_ok(self, handler: RequestHandler, model: dict[str, Any]) -> bool:
        setattr(handler, HANDLER_USER, str(model.get("name", "")))
        found = KERNEL_ROUTE.search(handler.request.path)
        if found is None:
            return True
        kernel_id, name = found.group(1), str(model.get("name", ""))
        owner = self.owners.get(kernel_id)
        if owner == name and isinstance(handler, WebSocketHandler):
            self.channels.add(handler)
            setattr(handler, "atelier_hub_token", self._token(handler)[0])  # noqa: B010
        self._forget_gone_kernels(handler)
        return owner is not None and owner == name

    def _forget_gone_kernels(self, handler: RequestHandler) -> None:
        manager = handler.settings.get("kernel_manager")
        if manager is not None and len(self.owners) > 2 * len(manager.list_kernel_ids()) + 50:
            alive = set(manager.list_kernel_ids())
            self.owners = {k: v for k, v in self.owners.items() if k in alive}

    def _xsrf_ok(self, handler: RequestHandler) -> bool:
        """Cookie-authenticated writes outside the spaces carry tornado's `_xsrf` value (the
        spaces check their own CSRF value, bound to the hub token)."""
        from course.web.space import SpaceHandler

        if handler.request.method in READ_ONLY or isinstance(handler, SpaceHandler):
            return True
        if not self._token(handler)[1]:
            return True  # a token in the Authorization header: no browser sends it by itself
        given = handler.get_argument("_xsrf", None) or handler.request.headers.get("X-Xsrftoken")
        cookie = handler.get_cookie("_xsrf")
        return bool(given and cookie) and hmac.compare_digest(str(given), str(cookie))

    def redirect_to_hub(self, handler: RequestHandler) -> None:
        """To the hub's sign-in (OAuth), back to this very page afterwards."""
        verifier, challenge, method = self.auth.generate_pkce_code_challenge()
        state = self.auth.set_state_cookie(
            handler, next_url=handler.request.uri, code_verifier=verifier
        )
        params = {"state": state, "code_challenge": challenge, "code_challenge_method": method}
        handler.redirect(url_concat(self.auth.login_url, params))

    @staticmethod
    def refuse(handler: RequestHandler) -> None:
        handler.clear()
        handler.set_status(403)
        handler.set_header("Content-Type", "text/html; charset=utf-8")
        handler.set_header("Cache-Control", "no-store")
        handler.finish(REFUSED_PAGE)

    # --- open kernel channels, checked again ---

    def start_rechecks(self) -> None:
        self._recheck = PeriodicCallback(self.recheck_channels, self.recheck_seconds * 1000)
        self._recheck.start()

    async def recheck_channels(self) -> None:
        """Close the kernel channels whose hub token the hub no longer accepts (signed out)."""
        for handler in list(self.channels):
            if handler.ws_connection is None:  # closed by the page already
                self.channels.discard(handler)
                continue
            token = getattr(handler, "atelier_hub_token", "")
            try:
                model = await self.auth.user_for_token(token, use_cache=False, sync=False)
            except HTTPError:  # the hub is busy or restarting: ask again next time
                continue
            if model is None or self.provider.identity_for_user(model) is None:
                self.channels.discard(handler)
                handler.close(4003, "signed out")


class QueryGuard:
    """Voilà's preheat socket (`voila/query/<kernel>`): for this server's kernels only."""

    def __init__(self, key: str):
        self.key = key

    async def admit(self, handler: RequestHandler) -> bool:
        given = handler.request.headers.get(KERNEL_KEY_HEADER, "")
        if given and hmac.compare_digest(given, self.key):
            return True
        HubGuard.refuse(handler)
        return False


class Guarded:
    """Mixed first into every route's handler: the guard decides before the handler runs."""

    atelier_guard: HubGuard | QueryGuard

    async def prepare(self) -> None:
        if not await self.atelier_guard.admit(self):  # type: ignore[arg-type]
            return
        result = super().prepare()  # type: ignore[misc]
        if result is not None:
            await result


class OwnedKernels:
    """The kernel manager as a page's request sees it: the kernel Voilà hands this page (a
    preheated one, `get_rendered_notebook`, or a new one, `start_kernel`) is bound to the hub
    user the guard let in, before Voilà writes the kernel's id into the page."""

    def __init__(self, manager: Any, guard: HubGuard, username: str):
        self._manager, self._guard, self._username = manager, guard, username

    def __getattr__(self, name: str) -> Any:
        return getattr(self._manager, name)

    async def get_rendered_notebook(self, *args: Any, **kwargs: Any) -> Any:
        found = await self._manager.get_rendered_notebook(*args, **kwargs)
        self._guard.bind(found[2], self._username)  # (render task, cache, kernel id)
        return found

    async def start_kernel(self, *args: Any, **kwargs: Any) -> str:
        from jupyter_core.utils import ensure_async

        kernel_id = str(await ensure_async(self._manager.start_kernel(*args, **kwargs)))
        self._guard.bind(kernel_id, self._username)
        return kernel_id


class GuardedPage(Guarded):
    """Voilà's page handler behind the hub: its kernel is bound to the page's hub user."""

    @property
    def kernel_manager(self) -> Any:
        manager = self.settings["kernel_manager"]  # type: ignore[attr-defined]
        username = getattr(self, HANDLER_USER, "")
        if not username or not isinstance(self.atelier_guard, HubGuard):
            return manager
        return OwnedKernels(manager, self.atelier_guard, username)


def guarded(cls: type[RequestHandler], guard: HubGuard | QueryGuard) -> type[RequestHandler]:
    """`cls` with the guard's check before anything of its own (for Voilà's page handler, the
    binding of the page's kernel to its user too)."""
    page = any(f"{c.__module__}.{c.__name__}" == VOILA_PAGE for c in cls.__mro__)
    mixin = GuardedPage if page else Guarded
    return type(cls.__name__, (mixin, cls), {"atelier_guard": guard})


def guard_rules(rules: list[Any], guard: HubGuard, query_key: str) -> list[Any]:
    """Every rule of the server, guarded; the OAuth callback first (public by nature)."""
    from voila.request_info_handler import RequestInfoSocketHandler

    query = QueryGuard(query_key)
    callback = type("Callback", (HubOAuthCallbackHandler,), {"hub_auth": guard.auth})
    out: list[Any] = [(re.escape(guard.callback_path), callback)]
    for rule in rules:
        pattern, cls, *rest = rule
        check = query if issubclass(cls, RequestInfoSocketHandler) else guard
        out.append((pattern, guarded(cls, check), *rest))
    return out
