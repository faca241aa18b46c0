"""The room's identity provider: one laptop, its group's cards, its trainer's link and password.

- **Learners** prove who they are with first name + code (`Roster.sign_in`) or their card's link
  `?cle=` (spent at its first use), exchanged for a random session kept in the cookie
  `atelier_session` (`course.access.sessions`), which Voilà hands to the page's kernel.
- **Trainers and coordinators** enter a private space with the link printed by `course serve`
  (accepted from this computer's loopback address only), or the space's password, exchanged for
  the signed cookie `atelier-<role>` (`course.access.gate`); its sign-in and sign-out pages are
  `course.access.room_web`'s.
- **Presence** is the modification time of `var/learners/<id>/.seen` (`course.access.presence`).

Trusting the loopback address only means something when nothing stands in front of the server:
behind a proxy every request comes from 127.0.0.1, and a site there configures another provider.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from course.access.gate import ACCESS_CLASSES, Gate
from course.access.provider import Identity, IdentityProvider, KernelRequest, Visit
from course.access.roster import TOKEN_PARAM, SignInError
from course.access.sessions import SPENT, SignInSessions, token_from_cookies
from course.settings import Project

if TYPE_CHECKING:
    from course.web.space import Rule, Space, SpaceHandler


class RoomIdentity(IdentityProvider):
    """Today's sign-in on a room's laptop: roster, sessions, the spaces' gates, presence."""

    kernel_headers = ("Cookie",)  # the session cookie, `atelier_session` (`course.access.sessions`)
    page_session_path = "seance"  # `course.access.room_web.LearnerSessionHandler`
    page_sign_in_path = "entrer"  # `course.access.room_sign_in.PageSignInHandler`

    def __init__(self, project: Project, **kwargs: object):
        super().__init__(project, **kwargs)
        self.roster = project.roster()
        self.sessions = SignInSessions(project.data_dir, self.config)
        self._gates: dict[str, Gate] = {}

    def gate(self, role: str) -> Gate:
        """The proofs of one space's role (one per provider: it counts wrong passwords)."""
        if role not in self._gates:
            self._gates[role] = Gate(self.project, role, config=self.config)
        return self._gates[role]

    # --- requests to a private space ---

    def get_identity(self, handler: SpaceHandler) -> Identity | None:
        roles = {
            role
            for role in ACCESS_CLASSES
            if self.gate(role).check_cookie(handler.get_cookie(self.gate(role).cookie_name))
        }
        return Identity(frozenset(roles)) if roles else None

    def get_handlers(self, space: Space) -> list[Rule]:
        from course.access.room_web import SignInHandler, SignOutHandler

        gate = {"gate": self.gate(space.role)}
        return [("connexion", SignInHandler, gate), ("deconnexion", SignOutHandler, gate)]

    def page_handlers(self, base_url: str) -> list[Rule]:
        """The learners' session cookie, set by the server (`room_web.LearnerSessionHandler`),
        and their sign-in form without a kernel (`room_sign_in`, for a flooded room)."""
        from jupyter_server.utils import url_path_join

        from course.access.room_sign_in import PageSignInHandler
        from course.access.room_web import LearnerSessionHandler

        path = url_path_join(base_url, "/")
        kwargs = {"sessions": self.sessions, "path": path}
        form = {"provider": self, "path": path}  # the sign-in form without a kernel
        return [
            (path + self.page_session_path, LearnerSessionHandler, kwargs),
            (path + self.page_sign_in_path, PageSignInHandler, form),
        ]

    def space_link(self, role: str, sign_in_path: str) -> str:
        """The sign-in page with a fresh one-time token (the previous link stops working); it
        opens the space only from this computer (`Gate.check_link_token`)."""
        return f"{sign_in_path}?jeton={self.gate(role).issue_link_token()}"

    def sign_out(self, handler: SpaceHandler) -> None:
        gate = self.gate(handler.space.role)
        gate.end(handler.get_cookie(gate.cookie_name))

    def csrf_token(self, handler: SpaceHandler) -> str:
        gate = self.gate(handler.space.role)
        cookie = handler.get_cookie(gate.cookie_name)
        return gate.csrf_for(cookie) if cookie else ""

    # --- a learner page's kernel ---

    def get_kernel_identity(self, request: KernelRequest) -> Visit:
        """The browser's session, or the card's link.

        A genuine link is spent here, whatever follows: its learner may already be signed in on
        this browser (the link then only leaves the address bar), or someone else (they forgot
        to sign out: they are signed out now). A spent link opens the sign-in form with its
        learner's first name written, so the card's QR code keeps helping without the history
        ever holding something that signs anybody in."""
        link = request.query_value(TOKEN_PARAM)
        held = token_from_cookies(request.header("Cookie"))
        current = self.sessions.learner_id(held)
        if link is not None:
            try:
                linked = self.roster.from_token(link)
            except SignInError as exc:
                return Visit(held=held, refusal=str(exc))
            fresh = self.sessions.spend_link(link)
            if linked.id != current:
                if not fresh:
                    return Visit(held=held, refusal=SPENT, name_hint=linked.name)
                self.sessions.revoke(held)
                session = self.sessions.create(linked.id)
                return self._visit(Identity.of_learner(linked), session, held)
        learner = self.roster.get(current) if current is not None and held else None
        if learner is None:
            return Visit(held=held)
        return self._visit(Identity.of_learner(learner), held or "", held)

    def page_is_signed_in(self, request: KernelRequest) -> bool:
        """A session still open (this counts as activity), or a genuine card link not yet
        spent (checked, not spent: the page's kernel spends it)."""
        if self.sessions.learner_id(token_from_cookies(request.header("Cookie"))) is not None:
            return True
        link = request.query_value(TOKEN_PARAM)
        if not link:
            return False
        try:
            self.roster.from_token(link)
        except SignInError:
            return False
        return not self.sessions.is_spent(link)

    @property
    def idle_seconds(self) -> float:
        return self.sessions.idle_seconds

    def _visit(self, identity: Identity, session: str, held: str | None) -> Visit:
        self.mark_seen(identity)
        return Visit(identity, session, held)

    def sign_in(self, name: str, code: str) -> Identity:
        identity = Identity.of_learner(self.roster.sign_in(name, code))
        self.mark_seen(identity)
        return identity

    def start_session(self, identity: Identity, replacing: str | None = None) -> str:
        if identity.learner_id is None:
            raise ValueError("only a learner has a page session")
        self.sessions.revoke(replacing)  # a session this browser held for someone else ends
        return self.sessions.create(identity.learner_id)

    def session_open(self, session: str, identity: Identity) -> bool:
        return bool(session) and self.sessions.learner_id(session) == identity.learner_id

    def end_session(self, session: str) -> None:
        self.sessions.revoke(session)
