"""The room's sign-in and sign-out pages of a private space (mounted by
`RoomIdentity.get_handlers` at `<prefix>/connexion` and `<prefix>/deconnexion`).

The link token (from this computer) or the password is exchanged for the space's cookie; signing
out ends that cookie on the server (`Gate.end`) before the browser forgets it. The server side
only: learner kernels never import this module (it imports tornado, through the space's base).
"""

from __future__ import annotations

from typing import Any

from course.access.gate import Gate
from course.web.space import Space, SpaceHandler


class SignInHandler(SpaceHandler):
    """The link token (from this computer) or the password, exchanged for the space's cookie."""

    public = True

    def initialize(self, space: Space, gate: Gate, **kwargs: Any) -> None:  # type: ignore[override]
        super().initialize(space, **kwargs)
        self.gate = gate

    def _let_in(self) -> None:
        self.set_cookie(
            self.gate.cookie_name,
            self.gate.new_cookie(),
            path=self.space.url(),
            httponly=True,
            samesite="Strict",
            expires_days=self.gate.settings.session_hours / 24,
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
        self.redirect(self.space.base_url, status=303)  # the learners' home page
