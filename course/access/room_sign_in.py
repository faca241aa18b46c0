"""The learners' sign-in form without a page kernel, for when the room is flooded.

Every page of the site is a Voilà page with its own kernel, the sign-in form included. Pages of
visitors nobody knows yet have a small quota (`course.server.launcher`): when anonymous page
loads from the room's network take it all, a learner with neither an open session nor her card
link would get « Trop de pages sont ouvertes » instead of the form. So she is sent here instead:
a plain form served by the server itself (no kernel), that checks her first name and code with
the roster (its lock after wrong codes included), opens her session and sets its cookie like
`course.access.room_web.LearnerSessionHandler`, then sends her to the page she asked for, which
she now gets as a signed-in learner. Server side only (tornado).
"""

from __future__ import annotations

import html
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from tornado.web import RequestHandler

from course.access.roster import SignInError
from course.access.sessions import COOKIE, token_from_cookies

if TYPE_CHECKING:
    from course.access.room import RoomIdentity

PAGE = """<!DOCTYPE html>
<html lang="fr">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Se connecter</title>
<style>
  body {{ font-family: "DejaVu Sans", sans-serif; font-size: 20px; line-height: 1.5;
    color: #1a1a1a; background: #fff; margin: 0; padding: 1rem; }}
  main {{ max-width: 46rem; margin: 0 auto; }}
  h1 {{ font-size: 2rem; line-height: 1.25; }}
  label {{ display: block; margin-top: 1rem; font-weight: bold; }}
  input {{ font-size: 20px; min-height: 44px; padding: 0.2rem 0.5rem; width: 100%;
    max-width: 20rem; border: 2px solid #1a1a1a; border-radius: 6px; }}
  button {{ font-size: 20px; min-height: 48px; margin-top: 1.5rem; padding: 0.4rem 1.2rem;
    background: #0b4fa8; color: #fff; border: 2px solid #0b4fa8; border-radius: 8px; }}
  :focus {{ outline: 3px solid #1a1a1a; outline-offset: 2px; }}
  .refus {{ border-left: 6px solid #a30000; padding-left: 0.8rem; color: #7a0000; }}
</style>
</head>
<body>
<main>
<h1>Se connecter</h1>
<p>L'ordinateur de l'atelier est très occupé. Entrez votre prénom et le code de votre carte :
votre page s'ouvre ensuite.</p>
{refusal}
<form method="post" action="{action}">
  <input type="hidden" name="suite" value="{next}">
  <label for="prenom">Votre prénom</label>
  <input id="prenom" name="prenom" autocomplete="given-name" value="{name}" required>
  <label for="code">Le code de votre carte</label>
  <input id="code" name="code" autocomplete="off" inputmode="text" required>
  <button type="submit">Se connecter</button>
</form>
</main>
</body>
</html>
"""


class PageSignInHandler(RequestHandler):
    """GET: the form; POST: first name and code, then the page asked for (`suite`)."""

    def initialize(self, provider: RoomIdentity, path: str) -> None:
        self.provider = provider
        self.path = path  # the site's root, where every page and the session cookie are

    def check_xsrf_cookie(self) -> None:
        """Voilà sets no `_xsrf` cookie; a POST must come from this server's own page
        (`_same_site`)."""

    def _same_site(self) -> bool:
        origin = self.request.headers.get("Origin")
        return origin is None or urlsplit(origin).netloc == self.request.host

    def _next(self, asked: str) -> str:
        """The page to open afterwards: a path of this site only (never another server)."""
        parts = urlsplit(asked)
        if parts.scheme or parts.netloc or not asked.startswith(self.path) or "//" in asked:
            return self.path
        return asked

    def _form(self, refusal: str = "", name: str = "", status: int = 200) -> None:
        self.set_status(status)
        self.set_header("Cache-Control", "no-store")
        self.set_header("Content-Type", "text/html; charset=utf-8")
        said = f'<p class="refus" role="alert">{html.escape(refusal)}</p>' if refusal else ""
        asked = self._next(self.get_argument("suite", ""))
        self.finish(PAGE.format(refusal=said, action=html.escape(self.request.path),
                                next=html.escape(asked), name=html.escape(name)))  # fmt: skip

    def get(self) -> None:
        self._form()

    def post(self) -> None:
        if not self._same_site():
            self.set_status(403)
            self.finish()
            return
        name = self.get_body_argument("prenom", "")[:200]
        code = self.get_body_argument("code", "")[:100]
        try:
            identity = self.provider.sign_in(name, code)
        except SignInError as error:
            self._form(str(error), name, status=400)
            return
        held = token_from_cookies(self.request.headers.get("Cookie"))
        session = self.provider.start_session(identity, replacing=held)
        self.set_cookie(COOKIE, session, path=self.path, httponly=True, samesite="Strict",
                        secure=self.request.protocol == "https")  # fmt: skip
        self.redirect(self._next(self.get_body_argument("suite", "")), status=303)
