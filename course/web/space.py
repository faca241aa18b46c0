"""A private space: its prefix, its role, its pages, and the handler base every page extends.

`Space.handlers(base_url)` returns the tornado rules of the space under the server's base URL
(as jupyter_server's `ExtensionApp` joins its handlers to `base_url`): its own pages (from
`pages`, a function of the space returning `(path, handler class, kwargs)` rules relative to the
prefix), plus the sign-in and sign-out pages of the project's identity provider
(`course.access`) and the shared static files. Every address a space gives out (links, forms,
redirects, its cookie's path) comes from `Space.url`, so the spaces work the same under `/` and
behind a proxy's prefix. A handler that forgets nothing still refuses: `SpaceHandler.prepare`
asks the provider who sends the request before any `get`/`post` runs (the space's role, or a
refusal), and a POST also needs the provider's CSRF value.
"""

from __future__ import annotations

import json
import mimetypes
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from jinja2 import ChoiceLoader, Environment, PackageLoader, select_autoescape
from jupyter_server.utils import url_path_join
from tornado.log import app_log
from tornado.web import RequestHandler

from course.access.provider import Identity
from course.access.settings import identity_provider
from course.core.errors import UserError
from course.settings import Project

STATIC_DIR = Path(__file__).parent / "static"
REFUSED = "Cette page est réservée à la personne qui anime l'atelier."
CSP = (
    "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
    "frame-ancestors 'none'; form-action 'self'; base-uri 'none'"
)
Rule = tuple[str, type[RequestHandler], dict[str, Any]]
PROBLEMS = {
    404: "Cette page n'existe pas.",
    405: "Cette action n'est pas possible ici.",
    500: "Un problème est survenu. Réessayez, ou redémarrez « course serve ».",
}


def space_url(base_url: str, prefix: str, path: str = "") -> str:
    """A space's address: `("/", "atelier", "ateliers/3")` -> "/atelier/ateliers/3"; with no
    path, the space's home, ending with "/"."""
    return url_path_join(base_url, prefix, "/") + path.lstrip("/")


@dataclass
class Space:
    """One private space; `pages(space)` returns its rules relative to `prefix`."""

    project: Project
    role: str
    prefix: str  # "atelier": relative, joined to the server's base URL
    title: str  # shown in the header of every page
    pages: Callable[[Space], list[Rule]]
    template_package: str = ""  # e.g. "course.trainer.space" (its "templates" folder)
    refused: str = REFUSED
    extra: dict[str, Any] = field(default_factory=dict)  # whatever the space's pages share
    base_url: str = "/"  # the server's (Voilà's `base_url`), given to `handlers`

    def __post_init__(self) -> None:
        self.access = identity_provider(self.project)  # who is there (course.access)
        loaders = [PackageLoader("course.web", "templates")]
        if self.template_package:
            loaders.insert(0, PackageLoader(self.template_package, "templates"))
        self.env = Environment(
            loader=ChoiceLoader(loaders),
            autoescape=select_autoescape(["html", "j2"]),
        )

    def url(self, path: str = "") -> str:
        """The address of `path` in this space, under the base URL: every link, form, redirect
        and the cookie's path are made here ("/atelier/" is the home page)."""
        return space_url(self.base_url, self.prefix, path)

    def forget_at_sign_out(self) -> None:
        """What the space's pages keep in memory for the person leaving goes at « Se
        déconnecter » (the trainer space's new codes: `course.trainer.space.codes`)."""
        for kept in self.extra.values():
            forget = getattr(kept, "forget_at_sign_out", None)
            if callable(forget):
                forget()

    @property
    def behind_hub(self) -> bool:
        """Served as a hub's site service (`course serve --hub-site`, whose provider is then
        the hub's): the hub signs people in and keeps the staff list, and the coordination
        reads the site live, so pages leave out what only a laptop needs."""
        from course.access.hub import HubIdentity

        return isinstance(self.access, HubIdentity)

    @property
    def signs_out_here(self) -> bool:
        """The provider mounts a sign-out page in this space (the room's does; a provider that
        signs in upstream may not), so every signed-in page shows « Se déconnecter »."""
        return any(path == "deconnexion" for path, _cls, _kw in self.access.get_handlers(self))

    def handlers(self, base_url: str = "/") -> list[Rule]:
        """The space's tornado rules under `base_url` (the server's), which `url` uses from now
        on. Rules are patterns: the base and the prefix are matched as typed."""
        self.base_url = base_url
        home = re.escape(self.url())
        own = [
            (home + path.lstrip("/"), cls, kw)
            for path, cls, kw in [*self.access.get_handlers(self), *self.pages(self)]
        ]
        common: list[Rule] = [
            (home + r"static/([a-z0-9-]+\.(?:css|js|svg))", StaticHandler, {}),
            (home.removesuffix("/"), RedirectHome, {}),
        ]
        return [(p, cls, {"space": self, **kw}) for p, cls, kw in [*common, *own]]


class SpaceHandler(RequestHandler):
    """Base of every page of a space: access first, French errors, no cache, no referrer.

    A `UserError` a page lets through is shown as a 400 « Ce n'est pas possible » with its
    French message; any other exception as a French « Un problème est survenu »."""

    public = False  # the sign-in page only
    current_user: Identity | None  # tornado's, from get_current_user: the provider's answer

    def initialize(self, space: Space, **kwargs: Any) -> None:
        self.space = space
        self.project = space.project
        self.page_options = kwargs

    def set_default_headers(self) -> None:
        self.set_header("Cache-Control", "no-store")
        self.set_header("Referrer-Policy", "no-referrer")
        self.set_header("X-Frame-Options", "DENY")
        self.set_header("X-Content-Type-Options", "nosniff")
        self.set_header("Content-Security-Policy", CSP)

    @property
    def address(self) -> str:
        return self.request.remote_ip or ""

    @property
    def csrf(self) -> str:
        return self.space.access.csrf_token(self)

    def get_current_user(self) -> Identity | None:
        """Who sends this request: the project's identity provider says (`course.access`)."""
        return self.space.access.get_identity(self)

    def check_xsrf_cookie(self) -> None:
        """Tornado's own check is replaced by the provider's (bound to the space's session)."""

    def prepare(self) -> None:
        if self.public:
            return
        identity = self.current_user
        if identity is None or self.space.role not in identity.roles:
            self.refuse()
            return
        if self.request.method not in ("GET", "HEAD") and not self.space.access.check_csrf(self):
            self.refuse()

    def wants_json(self) -> bool:
        return "/api/" in self.request.path

    def refuse(self, message: str | None = None) -> None:
        self.set_status(403)
        if self.wants_json():
            self.write_json({"erreur": message or "Accès réservé."}, 403)
        else:
            self.write(self.space.env.get_template("refused.html.j2").render(
                message=message or self.space.refused, space=self.space))  # fmt: skip
            self.finish()

    def render_page(self, template: str, **context: Any) -> None:
        page = self.space.env.get_template(template).render(
            space=self.space, csrf=self.csrf, **context
        )
        self.set_header("Content-Type", "text/html; charset=utf-8")
        self.finish(page)

    def write_json(self, data: Any, status: int = 200) -> None:
        self.set_status(status)
        self.set_header("Content-Type", "application/json; charset=utf-8")
        self.finish(json.dumps(data, ensure_ascii=False))

    def write_error(self, status_code: int, **kwargs: Any) -> None:
        error = kwargs.get("exc_info", (None, None, None))[1]
        if isinstance(error, UserError):  # a refusal of ours, in French: said as is
            self.set_status(400)
            message, title = str(error), "Ce n'est pas possible"
        else:
            message, title = PROBLEMS.get(status_code, PROBLEMS[500]), "Problème"
        if self.wants_json():
            self.finish(json.dumps({"erreur": message}, ensure_ascii=False))
        elif self.signed_in():  # in the space's own look, with its header and a way back
            self.problem(title, message)
        else:
            self.finish(self.space.env.get_template("refused.html.j2").render(
                message=message, space=self.space, title=title))  # fmt: skip

    def signed_in(self) -> bool:
        """Whether this request comes from someone of the space's role (said without failing)."""
        try:
            identity = self.current_user
        except Exception:  # an error page must not fail again
            return False
        return identity is not None and self.space.role in identity.roles

    def problem(self, title: str, message: str, link: tuple[str, str] | None = None) -> None:
        """A French refusal in the space's look: the message, an optional link to what fixes
        it (`(address, words)`), and the way back home. The status is the caller's."""
        self.render_page("problem.html.j2", title=title, message=message, link=link)

    def log_exception(self, typ: Any, value: Any, tb: Any) -> None:
        if isinstance(value, UserError):  # a refusal, not a bug: one line, no traceback
            app_log.info("%s %s refusé : %s", self.request.method, self.request.path, value)
            return
        super().log_exception(typ, value, tb)


class RedirectHome(SpaceHandler):
    public = True

    def get(self) -> None:
        self.redirect(self.space.url())


class StaticHandler(SpaceHandler):
    """Our small CSS and JS, behind the same gate as the pages (nothing leaks to learners)."""

    def get(self, name: str) -> None:
        path = STATIC_DIR / name
        if not path.is_file():
            self.send_error(404)
            return
        self.set_header("Content-Type", mimetypes.guess_type(name)[0] or "text/plain")
        self.finish(path.read_bytes())
