"""One question, asked by every page: who is there? The interface every identity provider
implements.

Modelled on jupyter_server's `IdentityProvider` (`get_user(handler)`, the login and logout
handlers it mounts, its XSRF check) and JupyterHub's `Authenticator` (`get_handlers`), with the
two places this toolkit needs an answer:

- **a request to a private space** (a tornado handler, in the server): `get_identity`,
  `csrf_token` / `check_csrf`, the sign-in and sign-out pages the provider mounts under each
  space (`get_handlers`), and `sign_out`, which ends the session on the server;
- **a learner page's kernel** (no tornado there: it sees only a `KernelRequest`):
  `get_kernel_identity`, the first name + code form (`sign_in`), the session the browser keeps
  (`start_session`, `session_open`, `end_session`) and presence (`mark_seen`).

Pages and `course.web.space.SpaceHandler.prepare` only ask a provider; they never read a cookie
or the roster to know who is there. The provider is chosen in `nbgrader_config.py`
(`c.AccessSettings.identity_provider_class`, `course.access.settings`); `RoomIdentity`
(`course.access.room`) is the room's, the default. This module is imported by every page's
kernel: it imports no tornado (types only).
"""

from __future__ import annotations

import hmac
from dataclasses import dataclass
from typing import TYPE_CHECKING, ClassVar

from traitlets.config import Configurable

from course.access.presence import mark_seen
from course.access.request import KernelRequest
from course.access.roster import Learner, SignInError
from course.settings import Project

if TYPE_CHECKING:
    from course.web.space import Rule, Space, SpaceHandler

__all__ = ["ROLES", "Identity", "IdentityProvider", "KernelRequest", "SignInError", "Visit"]

ROLES = frozenset({"learner", "trainer", "coordinator"})
CSRF_FIELD = "_jeton"  # the form field of every POST in a space
CSRF_HEADER = "X-Jeton"  # the same value, sent by space.js


@dataclass(frozen=True)
class Identity:
    """Who a request or a kernel acts for: its roles, and the learner when it is one."""

    roles: frozenset[str]
    learner_id: str | None = None
    site: str = ""  # "" on a room's laptop (one laptop, one site)
    name: str = ""  # what a page may show: the learner's first name

    def __post_init__(self) -> None:
        if not self.roles <= ROLES:
            raise ValueError(f"unknown roles {sorted(self.roles - ROLES)}")
        if ("learner" in self.roles) != (self.learner_id is not None):
            raise ValueError("a learner identity, and only one, names its learner")

    @classmethod
    def of_learner(cls, learner: Learner, site: str = "") -> Identity:
        return cls(frozenset({"learner"}), learner.id, site, learner.name)

    @property
    def learner(self) -> Learner | None:
        return None if self.learner_id is None else Learner(self.learner_id, self.name)


@dataclass(frozen=True)
class Visit:
    """What a page's kernel learns from its request.

    `session`: what the browser must keep (a new one after a card link; "" when the provider's
    sessions live elsewhere); `held`: the session the browser came with, ended if another
    person signs in on this page; `refusal`: a French sentence when a proof was refused;
    `name_hint`: the first name the sign-in form shows already written (a spent card link)."""

    identity: Identity | None = None
    session: str = ""
    held: str | None = None
    refusal: str = ""
    name_hint: str = ""


class IdentityProvider(Configurable):
    """Base of every identity provider: one instance per project (per space in the server, per
    page in a kernel), configured by `nbgrader_config.py` like any of our classes."""

    # The request headers Voilà must hand to a page's kernel (`http_header_envs`).
    kernel_headers: ClassVar[tuple[str, ...]] = ()
    # Where a page hands a new session to the server, which sets the browser's cookie, relative
    # to the site's root ("": the provider's sessions live elsewhere, e.g. at a hub).
    page_session_path: ClassVar[str] = ""
    # A sign-in form the server serves without a page kernel, relative to the site's root, for
    # learners when anonymous page loads fill their quota ("": none; pages are refused instead).
    page_sign_in_path: ClassVar[str] = ""

    def __init__(self, project: Project, **kwargs: object):
        super().__init__(config=project.config, **kwargs)
        self.project = project

    # --- requests to a private space (in the server) ---

    def get_identity(self, handler: SpaceHandler) -> Identity | None:
        """Who sends this request (None: nobody proved anything)."""
        raise NotImplementedError

    def get_handlers(self, space: Space) -> list[Rule]:
        """The sign-in and sign-out pages this provider mounts in a space, as rules relative to
        its prefix (`connexion`, `deconnexion`). None by default: sign-in happens upstream."""
        return []

    def page_handlers(self, base_url: str) -> list[Rule]:
        """Rules the server mounts for learner pages, under its `base_url` (the room's: where
        a page hands its new session for the server to set the cookie). None by default."""
        return []

    def sign_out(self, handler: SpaceHandler) -> None:
        """End the request's space session on the server: its cookie opens nothing afterwards."""
        raise NotImplementedError

    def space_link(self, role: str, sign_in_path: str) -> str:
        """What `course serve` and `course space` print for a role's space, from its sign-in
        page's path: the path itself by default (sign-in happens upstream, e.g. at a hub)."""
        return sign_in_path

    def csrf_token(self, handler: SpaceHandler) -> str:
        """The value every POST of this signed-in browser must send back ("" : none possible)."""
        raise NotImplementedError

    def check_csrf(self, handler: SpaceHandler) -> bool:
        """The request carries this browser's CSRF value (form field `_jeton` or `X-Jeton`)."""
        expected = self.csrf_token(handler)
        given = handler.request.headers.get(CSRF_HEADER) or handler.get_body_argument(
            CSRF_FIELD, ""
        )
        return bool(expected and given) and hmac.compare_digest(expected, given)

    # --- a learner page's kernel ---

    def get_kernel_identity(self, request: KernelRequest) -> Visit:
        """Who the page's kernel acts for, from the request it was started for."""
        raise NotImplementedError

    def sign_in(self, name: str, code: str) -> Identity:
        """A learner typed their first name and code on a page; SignInError (French) if refused."""
        raise SignInError("Connectez-vous d'abord à l'accueil de l'atelier.")

    def start_session(self, identity: Identity, replacing: str | None = None) -> str:
        """After `sign_in` on a page: the session the browser keeps ("" when none is needed);
        `replacing`, the session it held for someone else, ends."""
        return ""

    def session_open(self, session: str, identity: Identity) -> bool:
        """Before every write: the page's session still signs this learner in."""
        raise NotImplementedError

    def end_session(self, session: str) -> None:
        """« Se déconnecter » on a page: the session signs nobody in any more."""
        raise NotImplementedError

    @property
    def idle_seconds(self) -> float:
        """Seconds without activity after which a learner's session ends (0: never, or decided
        elsewhere); pages say the learner's activity to the server meanwhile."""
        return 0.0

    def page_is_signed_in(self, request: KernelRequest) -> bool:
        """Before a page's kernel starts, in the server: does this request come from a learner
        already signed in (or bringing a card link not yet used)? Such pages never wait behind
        the pages of anonymous visitors (`course.server.launcher`). True by default: behind an
        upstream sign-in, every page is somebody's."""
        return True

    def page_sign_out_url(self) -> str:
        """Where a page sends the browser after « Se déconnecter » ("" : the site's home); a
        provider whose sessions live upstream sends it there to end them (a hub's logout)."""
        return ""

    # --- presence ---

    def mark_seen(self, identity: Identity) -> None:
        """The learner just signed in or opened a page (the trainer's « connexion à 14 h 05 »)."""
        if identity.learner_id is not None:
            mark_seen(self.project.data_dir, identity.learner_id)
