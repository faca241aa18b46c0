"""Who signs in at the hub: learners with their site, first name and code (the site's roster,
its lock-out included), staff with a username and a password (`course hub set-password`).

A learner becomes the opaque hub user `course.access.hub_names.learner_username` in the group
`site.<slug>.learner`; the first name stays out of every URL (it goes in `user_info`). Groups
come from us at each sign-in (`manage_groups`): a trainer gets `site.<slug>.trainer` for each
site that lists them in hub.toml, a coordinator `coordination`.

« Se déconnecter » (`/hub/logout`) ends the session on the server, not only in the browser:
the user's cookie id changes and their services' OAuth tokens are deleted, so a copied cookie
opens nothing. A session nobody used for `idle_minutes` is ended the same way by a check that
runs in the hub every minute.
"""

from __future__ import annotations

import asyncio
import logging
import urllib.parse
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from jupyterhub import orm
from jupyterhub.auth import Authenticator
from jupyterhub.handlers.login import LoginHandler, LogoutHandler
from jupyterhub.utils import new_token
from sqlalchemy import and_, or_
from tornado import web
from tornado.ioloop import PeriodicCallback
from traitlets import Float, Unicode

from course.access.hub_names import (
    COORDINATION_GROUP,
    LEARNER_PREFIX,
    learner_username,
    service_prefix,
    site_group,
    site_roles,
)
from course.access.roster import TOKEN_PARAM, Learner, Roster, SignInError
from course.access.sessions import SPENT, SignInSessions
from course.core.errors import UserError
from course.core.files import secret_key
from course.hub import layout, notice
from course.hub.admin import check_staff_password, staff
from course.hub.settings import COORDINATION_SERVICE, HubConfigError, HubSettings, load
from course.settings import Project

WRONG = "Le prénom ou le code ne correspond pas. Vérifiez votre carte, ou demandez de l'aide."
WRONG_STAFF = "Identifiant ou mot de passe incorrect."
EXPIRED = "Le formulaire a expiré : rechargez la page et recommencez."


def end_session(db: Any, user: orm.User) -> None:
    """End every session of `user` on the server: the hub cookie's id changes (an old cookie
    finds nobody) and the tokens the hub gave its services for them are deleted."""
    user.cookie_id = new_token()
    for token in list(user.api_tokens):
        if token.client_id != "jupyterhub":
            db.delete(token)
    db.commit()


def staff_groups(settings: HubSettings, username: str) -> list[str]:
    """A staff member's groups, as hub.toml says: trainer of their sites, coordination."""
    groups = [site_group(slug, "trainer") for slug in settings.trainer_sites(username)]
    if username in settings.coordinators:
        groups.append(COORDINATION_GROUP)
    return groups


def home_url(groups: list[str]) -> str:
    """Where a user lands after signing in: their site's pages, trainer space, or coordination."""
    roles = site_roles(groups)
    for slug, found in sorted(roles.items()):
        if "trainer" in found:
            return service_prefix(slug) + "atelier/"
    if COORDINATION_GROUP in groups:
        return f"/services/{COORDINATION_SERVICE}/coordination/"
    for slug in sorted(roles):
        return service_prefix(slug)
    return "/hub/logout"


def user_home_url(user: Any) -> str:
    """`home_url` of a hub user (a template variable of the hub's home page)."""
    return home_url([g.name for g in user.groups]) if user else "/hub/login"


def default_url(handler: Any) -> str:
    user = handler.current_user
    return home_url([g.name for g in user.groups]) if user else "/hub/login"


def _no_first_names(record: logging.LogRecord) -> bool:
    """JupyterHub logs what was typed as the username of a failed sign-in: for a learner, a
    first name. The hub's log keeps no personal data: the name is left out."""
    if isinstance(record.msg, str) and record.msg.startswith("Failed login for %"):
        record.args = ("(nom non journalisé)",)
    return True


class AtelierLoginHandler(LoginHandler):
    """The hub's sign-in page in French, with our two forms and our own error sentences."""

    def check_xsrf_cookie(self) -> None:
        try:
            web.RequestHandler.check_xsrf_cookie(self)
        except web.HTTPError:
            raise web.HTTPError(403, EXPIRED) from None

    def _wanted_site(self) -> str:
        """The site a learner came from (the service's OAuth redirect names it), preselected."""
        query = urllib.parse.urlparse(urllib.parse.unquote(self.get_argument("next", ""))).query
        client = urllib.parse.parse_qs(query).get("client_id", [""])[0]
        return client.removeprefix("service-site-") if client.startswith("service-site-") else ""

    def _render(
        self, login_error: str | None = None, username: str | None = None, **kw: Any
    ) -> Any:
        if login_error:
            login_error = getattr(self, "atelier_error", None) or WRONG
        try:
            sites = [(s.slug, s.name) for s in load(self.authenticator.hub_dir).sites]
        except UserError:
            sites = []
        kw.setdefault("kind", self.get_body_argument("kind", "apprenant"))
        kw.setdefault("chosen_site", self.get_argument("site", "") or self._wanted_site())
        return super()._render(login_error=login_error, username=username, sites=sites, **kw)


class AtelierCardHandler(AtelierLoginHandler):
    """A sign-in card's QR code at the hub: `/hub/carte/<slug>/?cle=…` (cards printed with
    `--url https://HUB/hub/carte/<slug>`). The link is spent at its first use, as in the room:
    a later visit asks for the first name and code."""

    async def get(self, slug: str) -> None:
        self.set_header("Cache-Control", "no-store")
        self.set_header("Referrer-Policy", "no-referrer")
        data = {"kind": "carte", "site": slug, "cle": self.get_argument(TOKEN_PARAM, "")}
        user = await self.login_user(data)
        if user:  # straight to the site: the link's key must not follow in the address
            self.redirect(user_home_url(user))
            return
        self.set_status(403)
        self.finish(await self._render(login_error="refused", chosen_site=slug))


class AtelierLogoutHandler(LogoutHandler):
    """Sign-out ends the session on the server and tells the person to close the window."""

    async def handle_logout(self) -> None:
        user = self.current_user
        if user is not None:
            end_session(self.db, user.orm_user)

    async def render_logout_page(self) -> None:
        self.set_header("Cache-Control", "no-store")
        # The browser forgets this address's cookies, storage and cache (HTTPS only).
        self.set_header("Clear-Site-Data", '"cache", "cookies", "storage"')
        self.finish(await self.render_template("logout.html"))


class AtelierAuthenticator(Authenticator):
    """Learners by site, first name and code; staff by username and password."""

    hub_dir = Unicode(help="The hub's folder (hub.toml, sites/, prive/).").tag(config=True)
    idle_minutes = Float(
        30.0, help="Minutes without any request after which a session ends by itself."
    ).tag(config=True)

    def _default_manage_groups(self) -> bool:  # traitlets default: groups come from us
        return True

    async def authenticate(self, handler: Any, data: dict[str, str]) -> dict | None:
        kind = data.get("kind", "apprenant")
        work = {"apprenant": self._learner, "carte": self._card}.get(kind, self._staff)
        try:
            return await asyncio.to_thread(work, data)
        except UserError as error:
            handler.atelier_error = str(error)
            self.log.info("Refused sign-in (%s): %s", kind, type(error).__name__)
            return None

    def _roster(self, slug: str) -> Roster:
        settings = load(Path(self.hub_dir))
        if not any(s.slug == slug for s in settings.sites):
            raise HubConfigError("Choisissez votre lieu d'atelier dans la liste.")
        return Project(layout.site_dir(Path(self.hub_dir), slug)).roster()

    def _learner(self, data: dict[str, str]) -> dict:
        slug = data.get("site", "")
        roster = self._roster(slug)
        # A wrong code or a locked first name is a French `SignInError` (a `UserError`).
        learner = roster.sign_in(data.get("username", ""), data.get("password", ""))
        return self._learner_model(roster, slug, learner)

    def _card(self, data: dict[str, str]) -> dict:
        slug = data.get("site", "")
        roster = self._roster(slug)
        link = data.get("cle", "")
        learner = roster.from_token(link)  # forged, altered or revoked: a French SignInError
        if not SignInSessions(roster.data_dir).spend_link(link):
            raise SignInError(SPENT)
        return self._learner_model(roster, slug, learner)

    def _learner_model(self, roster: Roster, slug: str, learner: Learner) -> dict:
        name = learner_username(secret_key(roster.secret_path), slug, learner.id)
        return {
            "name": name,
            "groups": [site_group(slug, "learner")],
            "user_info": {"prenom": learner.name, "site": slug},
        }

    async def refresh_user(self, user: Any, handler: Any = None) -> bool | dict:
        """Staff follow hub.toml while signed in (every `auth_refresh_age` seconds): new groups
        when their sites change, and the end of every session when they are taken off the hub.
        Learners are checked by their site's service against its roster."""
        if user.name.startswith(LEARNER_PREFIX):
            return True
        try:
            settings = await asyncio.to_thread(load, Path(self.hub_dir))
        except UserError:  # hub.toml being edited: keep what was true at sign-in
            return True
        if user.name not in staff(settings):
            end_session(user.db, user.orm_user)
            return False
        return {"name": user.name, "groups": staff_groups(settings, user.name)}

    def _staff(self, data: dict[str, str]) -> dict:
        settings = load(Path(self.hub_dir))
        username = data.get("username", "").strip().lower()
        known = username in staff(settings)
        if not check_staff_password(Path(self.hub_dir), username, data.get("password", "")):
            raise HubConfigError(WRONG_STAFF)
        if not known:  # a password left behind for someone no longer on the hub
            raise HubConfigError(WRONG_STAFF)
        groups = staff_groups(settings, username)
        full_name = settings.trainers.get(username, username)
        return {"name": username, "groups": groups, "user_info": {"nom": full_name}}

    def check_allowed(self, username: str, authentication: dict | None = None) -> bool:
        return authentication is not None  # only what `authenticate` returned gets here

    def get_handlers(self, app: Any) -> list[tuple[str, type]]:
        self._start_idle_check(app)
        app.log.addFilter(_no_first_names)
        return [
            ("/login", AtelierLoginHandler),
            ("/logout", AtelierLogoutHandler),
            (r"/carte/([a-z0-9][a-z0-9-]{0,29})/?", AtelierCardHandler),
            (notice.PATH, notice.DataNoticeHandler),  # « Vos données », without signing in
        ]

    def _start_idle_check(self, app: Any) -> None:
        seconds = max(1.0, min(60.0, self.idle_minutes * 60 / 4))
        self._ended: set[tuple[str, datetime]] = set()

        def check() -> None:
            self.end_idle_sessions(app.db)

        self._idle_check = PeriodicCallback(check, seconds * 1000)
        self._idle_check.start()

    def end_idle_sessions(self, db: Any) -> list[str]:
        """End the sessions of users with no request for `idle_minutes` (once per idle spell)."""
        cutoff = datetime.now(UTC).replace(tzinfo=None) - timedelta(minutes=self.idle_minutes)
        ended = []
        idle = or_(
            orm.User.last_activity < cutoff,
            and_(orm.User.last_activity.is_(None), orm.User.created < cutoff),
        )
        for user in db.query(orm.User).filter(idle):
            mark = (user.name, user.last_activity or user.created)
            if mark not in self._ended:
                end_session(db, user)
                self._ended.add(mark)
                ended.append(user.name)
        if ended:
            self.log.info("Ended %d idle session(s)", len(ended))
        return ended
