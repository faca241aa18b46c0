"""A stand-in site service for the hub's tests (run by the hub as `site-<slug>`): it answers
the hub user's name and groups behind JupyterHub's own OAuth (`HubOAuthenticated`), checking
the token with the hub every second (`cache_max_age = 1`; 0 would mean forever), so the tests see what the hub's roles and
sign-out allow without a Voilà behind. Only the standard library and JupyterHub are imported."""

from __future__ import annotations

import json
import os
import signal
from urllib.parse import urlparse

from jupyterhub.services.auth import HubOAuth, HubOAuthCallbackHandler, HubOAuthenticated
from tornado import ioloop, web


class WhoAmI(HubOAuthenticated, web.RequestHandler):
    @web.authenticated
    def get(self) -> None:
        user = self.get_current_user()
        self.set_header("Content-Type", "application/json")
        self.write(json.dumps({"name": user["name"], "groups": user.get("groups", [])}))


def main() -> None:
    prefix = os.environ["JUPYTERHUB_SERVICE_PREFIX"]
    HubOAuth.instance(cache_max_age=1)  # 0 would cache forever (JupyterHub's _ExpiringDict)
    app = web.Application(
        [(prefix, WhoAmI), (prefix + "oauth_callback", HubOAuthCallbackHandler)],
        cookie_secret=os.urandom(32),
    )
    url = urlparse(os.environ["JUPYTERHUB_SERVICE_URL"])
    app.listen(url.port, url.hostname)
    loop = ioloop.IOLoop.current()
    # JupyterHub stops a service with SIGINT, then SIGTERM 10 s later. Python's own SIGINT
    # (KeyboardInterrupt) is off when the process starts with SIGINT ignored (tests run as a
    # background job of a shell): each sign-in hub's teardown then waited ~30 s.
    for signum in (signal.SIGINT, signal.SIGTERM):
        loop.asyncio_loop.add_signal_handler(signum, loop.stop)  # type: ignore[attr-defined]
    loop.start()


if __name__ == "__main__":
    main()
