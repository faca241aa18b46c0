"""The identity provider of a site served behind a JupyterHub: the hub says who is there.

A site's Voilà runs as the hub service `site-<slug>` (`course serve --hub-site <slug>`). Every
request reaching it went through the hub's proxy with the service's own cookie, which holds an
OAuth token the hub issued (`jupyterhub.services.auth.HubOAuth`); the server's guard
(`course.server.hub_guard`) asks the hub whose token it is for every request and WebSocket
upgrade, and hands the answer to this provider as a hub user model (name, groups, scopes).

- **Roles** come from the user's hub groups only (`course.access.hub_names.site_roles`): a
  learner or a trainer *of this site*; anyone else (another site's people, a coordinator) has
  no identity here, and the guard answers 403.
- **A learner** is an opaque hub username; the site's secret key (`var/secret.key`, the
  roster's) leads back to the roster id (`learner_for_username`). A username the roster does
  not know (removed from the group, or made for another site) is nobody.
- **A page's kernel** never sees the hub's token: the server writes the learner's identity in
  the request header `X-Atelier-Hub` (replacing whatever the browser sent), signed with the
  site's secret key, and Voilà hands that header to the kernel (`kernel_headers`). The kernel
  checks the signature, so neither a browser nor a bug that lets a header through can forge it.
- **Sign-out** goes to the hub's logout, which ends the hub session and revokes the tokens it
  issued: the service's cookie opens nothing afterwards (the guard asks the hub each time).

This module is imported by every page's kernel (through `course.access.settings`): standard
library only at import; the server-side parts live in `course.server.hub_guard`.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import os
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from traitlets import Unicode, default

from course.access.hub_names import check_site_slug, learner_for_username, site_roles
from course.access.provider import Identity, IdentityProvider, KernelRequest, Visit
from course.access.roster import SignInError
from course.core.files import secret_key
from course.settings import Project

if TYPE_CHECKING:
    from course.web.space import Rule, Space, SpaceHandler

HUB_SITE_ENV = "COURSE_HUB_SITE"  # set by `course serve --hub-site`, for the server and kernels
IDENTITY_HEADER = "X-Atelier-Hub"  # written by the server, read by the page's kernel
HANDLER_IDENTITY = "atelier_hub_identity"  # where the guard leaves its answer on a handler
HANDLER_TOKEN = "atelier_hub_token_hash"  # and the hash of the hub token it checked
SIGN_IN_ELSEWHERE = "Connectez-vous d'abord à l'accueil du réseau, puis revenez sur cette page."


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).decode("ascii").rstrip("=")


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


class HubIdentity(IdentityProvider):
    """Who is there, for a site served as a hub service: the hub's user and groups."""

    kernel_headers = (IDENTITY_HEADER,)

    site = Unicode(
        help="The site's slug on the hub (`course serve --hub-site` sets it for the server "
        "and its kernels through the environment)."
    ).tag(config=True)
    hub_logout_url = Unicode(
        "/hub/logout", help="Where « Se déconnecter » sends the browser: the hub's sign-out."
    ).tag(config=True)

    @default("site")
    def _site_from_env(self) -> str:
        return os.environ.get(HUB_SITE_ENV, "")

    def __init__(self, project: Project, **kwargs: object):
        super().__init__(project, **kwargs)
        check_site_slug(self.site)
        self.roster = project.roster()

    @property
    def _secret(self) -> bytes:
        return secret_key(self.roster.secret_path)

    # --- the hub's answer, as an identity of this site ---

    def identity_for_user(self, model: Mapping[str, Any]) -> Identity | None:
        """The hub user `model` (`/hub/api/user`: name, groups) as someone of this site, or
        None: not a user, or no role here (another site's, a coordinator, a learner the roster
        no longer has)."""
        if model.get("kind", "user") != "user":
            return None
        name = str(model.get("name", ""))
        roles = site_roles(model.get("groups") or []).get(self.site, set())
        if "learner" in roles:
            learner_id = learner_for_username(
                self._secret, self.site, name, [one.id for one in self.roster.learners()]
            )
            learner = self.roster.get(learner_id) if learner_id else None
            if learner is not None:
                return Identity(
                    frozenset(roles & {"learner", "trainer"}),
                    learner.id,
                    self.site,
                    learner.name,
                )
        if "trainer" in roles:
            return Identity(frozenset({"trainer"}), None, self.site, name)
        return None

    # --- requests to a private space (answered by the server's guard first) ---

    def get_identity(self, handler: SpaceHandler) -> Identity | None:
        """What the guard found for this request (None if no guard checked it: refused)."""
        identity = getattr(handler, HANDLER_IDENTITY, None)
        return identity if isinstance(identity, Identity) else None

    def get_handlers(self, space: Space) -> list[Rule]:
        from course.access.hub_web import HubSignOutHandler

        return [("deconnexion", HubSignOutHandler, {})]

    def sign_out(self, handler: SpaceHandler) -> None:
        """The service's cookie is cleared by the sign-out page; the hub's logout, where it
        sends the browser, ends the hub session and revokes the token in that cookie."""

    def csrf_token(self, handler: SpaceHandler) -> str:
        """Bound to the hub token this browser holds: another browser's value is useless."""
        token_hash = getattr(handler, HANDLER_TOKEN, "")
        if not token_hash or self.get_identity(handler) is None:
            return ""
        message = f"csrf/{self.site}/{token_hash}".encode()
        return hmac.new(self._secret, message, hashlib.sha256).hexdigest()

    # --- a learner page's kernel ---

    def kernel_value(self, identity: Identity) -> str:
        """The signed header the server writes for a learner's page (read by `get_kernel_identity`)."""
        body = json.dumps(
            {"site": self.site, "learner": identity.learner_id, "name": identity.name},
            ensure_ascii=True,
            separators=(",", ":"),
            sort_keys=True,
        ).encode()
        return f"{_b64(body)}.{self._sign(body)}"

    def _sign(self, body: bytes) -> str:
        return hmac.new(self._secret, b"kernel/" + body, hashlib.sha256).hexdigest()

    def _read(self, value: str) -> Identity | None:
        encoded, _, signature = value.partition(".")
        try:
            body = _unb64(encoded)
        except ValueError:
            return None
        if not signature or not hmac.compare_digest(self._sign(body), signature):
            return None
        data = json.loads(body)
        if data.get("site") != self.site or not data.get("learner"):
            return None
        learner = self.roster.get(data["learner"])
        return None if learner is None else Identity.of_learner(learner, self.site)

    def get_kernel_identity(self, request: KernelRequest) -> Visit:
        value = request.header(IDENTITY_HEADER)
        identity = self._read(value) if value else None
        if identity is None:
            return Visit()
        self.mark_seen(identity)
        return Visit(identity)  # no page session: the hub's lives in the server's cookie

    def sign_in(self, name: str, code: str) -> Identity:
        raise SignInError(SIGN_IN_ELSEWHERE)

    def start_session(self, identity: Identity, replacing: str | None = None) -> str:
        raise SignInError(SIGN_IN_ELSEWHERE)

    def session_open(self, session: str, identity: Identity) -> bool:
        """The learner is still in the roster. The hub session itself is checked by the server
        on every request and WebSocket upgrade, and its sign-out closes the page's channel
        (`course.server.hub_guard`), so a page left open cannot write after it."""
        learner_id = identity.learner_id
        return learner_id is not None and self.roster.get(learner_id) is not None

    def end_session(self, session: str) -> None:
        """Nothing to end here: the page sends the browser to the hub's logout."""

    def page_sign_out_url(self) -> str:
        return self.hub_logout_url
