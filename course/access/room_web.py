"""The room's sign-in and sign-out pages of a private space (mounted by
`RoomIdentity.get_handlers` at `<prefix>/connexion` and `<prefix>/deconnexion`), and the
learners' session cookie (`LearnerSessionHandler`, at `<base_url>seance`).

The link token (from this computer) or the password is exchanged for the space's cookie; signing
out ends that cookie on the server (`Gate.end`) before the browser forgets it. Cookies are
browser-session cookies (no expiry: closing the browser forgets them), HttpOnly, SameSite=Strict,
and Secure when the server speaks HTTPS (`course serve --certfile`). The server side only:
learner kernels never import this module (it imports tornado, through the space's base).
"""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import urlsplit

from tornado.web import RequestHandler

from course.access.gate import Gate
from course.access.sessions import COOKIE, SignInSessions, token_from_cookies
from course.web.space import Space, SpaceHandler

PAGE_HEADER = "X-Atelier-Page"  # sent by page.js: a cross-site form cannot send it


class SignInHandler(SpaceHandler):
    """The link token (from this computer) or the password, exchanged for the space's cookie."""

    public = True

    def initialize(self, space: Space, gate: Gate, **kwargs: Any) -> None:  # type: ignore[override]
        super().initialize(space, **kwargs)
        self.gate = gate

    def _let_in(self) -> None:
        # No expiry: a browser-session cookie; the server ends it after `idle_minutes`.
        self.set_cookie(
            self.gate.cookie_name,
            self.gate.new_cookie(),
            path=self.space.url(),
            httponly=True,
            samesite="Strict",
            secure=self.request.protocol == "https",
        )
        # The token never stays in the address bar or the history: a redirect to the home page.
        self.redirect(self.space.url(), status=303)

    def get(self) -> None:
        token = self.get_query_argument("jeton", "")
        if token:
            if self.gate.check_link_token(token, self.address):
                self._let_in()
            else:
                self.refuse("Ce lien n'ouvre pas cet espace. Utilisez le lien affiché par "
                            "« course serve » sur cet ordinateur.")  # fmt: skip
            return
        if not self.gate.has_password:
            self.refuse()
            return
        self.render_page("sign-in.html.j2", title="Connexion", error="")

    def post(self) -> None:
        password = self.get_body_argument("mot_de_passe", "")[:200]
        if self.gate.check_password(password, self.address):
            self._let_in()
        elif self.gate.locked(self.address):
            self.refuse("Trop d'essais. Attendez quelques minutes avant de réessayer.")
        else:
            self.refuse("Mot de passe refusé.")


class SignOutHandler(SpaceHandler):
    """« Se déconnecter »: the cookie is ended on the server, then cleared in the browser."""

    def initialize(self, space: Space, gate: Gate, **kwargs: Any) -> None:  # type: ignore[override]
        super().initialize(space, **kwargs)
        self.gate = gate

    def post(self) -> None:
        self.space.access.sign_out(self)
        self.clear_cookie(self.gate.cookie_name, path=self.space.url())
        self.space.forget_at_sign_out()
        self.redirect(self.space.base_url, status=303)  # the learners' home page


class LearnerSessionHandler(RequestHandler):
    """The learners' session cookie, set and ended by the server, never by a page's script.

    A page's kernel makes a session (`course.access.sessions`) and hands its token to the page
    once; the page POSTs it here (`action=ouvrir`) and the answer sets `atelier_session`:
    HttpOnly (no script reads it afterwards), SameSite=Strict, without an expiry (closing the
    browser forgets it), Secure over HTTPS. Voilà cannot do it itself: the page's HTML and its
    headers are sent before its kernel knows who signs in (the sign-in form is in the page).
    `action=vie`: the learner is active on a page (the idle clock starts again);
    `action=etat`: how long the session has left, without counting as activity (a page asks
    before it signs out by itself); `action=fin`: « Se déconnecter » (the cookie is ended on
    the server and in the browser). Requests must carry `X-Atelier-Page` and, if the browser
    says where it comes from (`Origin`), come from this server's own pages.
    """

    def initialize(self, sessions: SignInSessions, path: str) -> None:
        self.sessions = sessions
        self.path = path  # the cookie's: the site's root, where every page is

    def check_xsrf_cookie(self) -> None:
        """Tornado's `_xsrf` check is replaced by `_same_site` (the header and the origin)."""

    def _same_site(self) -> bool:
        if not self.request.headers.get(PAGE_HEADER):
            return False
        origin = self.request.headers.get("Origin")
        return origin is None or urlsplit(origin).netloc == self.request.host

    def _reply(self, status: int, data: dict[str, Any] | None = None) -> None:
        self.set_status(status)
        self.set_header("Cache-Control", "no-store")
        self.set_header("Content-Type", "application/json")
        self.finish(json.dumps(data or {}))

    def post(self) -> None:
        if not self._same_site():
            self._reply(403)
            return
        action = self.get_body_argument("action", "")
        held = token_from_cookies(self.request.headers.get("Cookie"))
        if action == "ouvrir":
            token = self.get_body_argument("jeton", "")[:200]
            if self.sessions.learner_id(token) is None:
                self._reply(401)
                return
            if held and held != token:
                self.sessions.revoke(held)  # this browser's previous session ends
            self.set_cookie(COOKIE, token, path=self.path, httponly=True, samesite="Strict",
                            secure=self.request.protocol == "https")  # fmt: skip
            self._reply(200, {"reste": self._left(token)})
        elif action in ("vie", "etat"):
            left = self.sessions.remaining(held, touch=action == "vie")
            if left is None:
                self.clear_cookie(COOKIE, path=self.path)
                self._reply(401)
            else:
                self._reply(200, {"reste": self._left(held)})
        elif action == "fin":
            self.sessions.revoke(held)
            self.clear_cookie(COOKIE, path=self.path)
            self._reply(200)
        else:
            self._reply(400)

    def _left(self, token: str | None) -> float:
        """Seconds left, for the page's timer (-1: no idle limit)."""
        left = self.sessions.remaining(token)
        return -1.0 if left is None or left == float("inf") else round(left, 1)
