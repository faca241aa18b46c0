"""`course serve --hub-coordination`: the coordination space as the hub service `coordination`.

The coordinator's pages need no Voilà, no kernel and no learner page: this is a small tornado
application with the coordination space alone (`course.coordinator.space`), under the
service's prefix `/services/coordination/` (the hub's proxy keeps it), every rule guarded by
the hub's OAuth as a site's are (`course.server.hub_guard.HubGuard`; a space's public handlers
bring their own proof: the devices' signed push) with the coordination's
provider (`HubCoordinationIdentity`: the hub group `coordination` only). Its figures are every
site of the hub, read live (`course.coordinator.live`).
"""

from __future__ import annotations

import asyncio
import re
import signal

from jupyterhub.services.auth import HubOAuthCallbackHandler
from tornado.web import Application, RequestHandler

from course.access.hub_coordination import HubCoordinationIdentity
from course.core.files import secret_key
from course.hub.settings import COORDINATION_SERVICE
from course.server.hub_guard import HubGuard, guarded
from course.settings import Project
from course.web.space import Rule, SpaceHandler

SERVICE_PREFIX = f"/services/{COORDINATION_SERVICE}/"


class ToSpace(RequestHandler):
    """The service's root leads to the space's home (guarded like everything else)."""

    def initialize(self, home: str) -> None:
        self.home = home

    def get(self) -> None:
        self.redirect(self.home)


def _behind(cls: type[RequestHandler], guard: HubGuard) -> type[RequestHandler]:
    """Every page behind the hub's guard, except a space's public handlers, which bring their
    own proof: the devices' push (`api/envoi`, signed by an enrolled laptop outside the hub,
    which has no hub account) and the redirect to the space's home."""
    if issubclass(cls, SpaceHandler) and cls.public:
        return cls
    return guarded(cls, guard)


def make_app(project: Project) -> tuple[Application, HubGuard]:
    """The coordination service's application and its guard (the hub's env must be set: the
    hub gives a service its token, client id and callback URL)."""
    from course.coordinator.space import coordinator_space
    from course.workshops.migrations import upgrade

    upgrade(project)  # the coordination's own book (bundles from laptops outside the hub)
    space = coordinator_space(project)
    provider = HubCoordinationIdentity(project)
    space.access = provider
    guard = HubGuard(provider)
    callback = type("Callback", (HubOAuthCallbackHandler,), {"hub_auth": guard.auth})
    pages: list[Rule] = [(re.escape(SERVICE_PREFIX), ToSpace, {"home": space.url()})]
    pages += space.handlers(SERVICE_PREFIX)
    rules: list[Rule] = [(re.escape(guard.callback_path), callback, {})]  # public: the sign-in
    rules += [(pattern, _behind(cls, guard), kwargs) for pattern, cls, kwargs in pages]
    app = Application(
        rules,
        cookie_secret=secret_key(project.data_dir / "cookie-secret.key"),
        xsrf_cookies=False,  # the space checks its own CSRF value, bound to the hub token
    )
    return app, guard


def run(project: Project, host: str, port: int) -> int:
    """Serve until SIGTERM (the hub stops its services so) or Ctrl+C."""

    async def main() -> None:
        app, guard = make_app(project)
        server = app.listen(port, host)
        guard.start_rechecks()
        stop = asyncio.Event()
        loop = asyncio.get_running_loop()
        for signum in (signal.SIGTERM, signal.SIGINT):
            loop.add_signal_handler(signum, stop.set)
        await stop.wait()
        server.stop()

    asyncio.run(main())
    from course.server.leave import leave

    leave()  # stopped: no teardown of the heap, which held the hub's Ctrl+C (issue 20)
