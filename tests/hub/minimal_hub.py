"""A real JupyterHub on loopback with site services, for the sites' tests until the hub's own
helpers (tests/support/hub.py, branch hub-core) replace it.

The hub runs its Python proxy and a test authenticator of its own (username + password, groups
given by the test: the hub's real sign-in is hub-core's); each site is a project folder served
by the hub as the service `site-<slug>`, started with the contract's command
(`python -m course.cli serve --host 127.0.0.1 --port P --hub-site <slug>`). `HubClient` is a browser
without a browser: it signs in at the hub, follows the OAuth redirects to a service, and keeps
its cookies (and can hand them to a WebSocket client).
"""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

import requests
from browser_server import _children, _kill
from support.project import free_port

HUB_CONFIG = """
from jupyterhub.auth import Authenticator

USERS = json.loads({users!r})

class TestAuthenticator(Authenticator):
    async def authenticate(self, handler, data):
        entry = USERS.get(data.get("username", ""))
        if entry and entry["password"] == data.get("password"):
            return data["username"]
        return None

c.JupyterHub.authenticator_class = TestAuthenticator
c.Authenticator.allow_all = True
c.JupyterHub.ip = "127.0.0.1"
c.JupyterHub.port = {port}
c.JupyterHub.hub_ip = "127.0.0.1"
c.JupyterHub.hub_port = {hub_port}
c.ConfigurableHTTPProxy.api_url = "http://127.0.0.1:{proxy_api_port}"
c.JupyterHub.db_url = "sqlite:///{folder}/jupyterhub.sqlite"
c.JupyterHub.cookie_secret_file = "{folder}/cookie_secret"
c.ConfigurableHTTPProxy.pid_file = "{folder}/proxy.pid"
c.JupyterHub.pid_file = "{folder}/hub.pid"
c.JupyterHub.services = json.loads({services!r})
c.JupyterHub.load_groups = json.loads({groups!r})
c.JupyterHub.load_roles = json.loads({roles!r})
"""


@dataclass
class HubSite:
    slug: str
    root: Path  # the site's project folder
    port: int

    @property
    def prefix(self) -> str:
        from course.access.hub_names import service_prefix

        return service_prefix(self.slug)


@dataclass
class HubUser:
    name: str
    password: str
    groups: list[str]


@dataclass
class MinimalHub:
    folder: Path
    sites: list[HubSite]
    users: list[HubUser]
    port: int = field(default_factory=free_port)
    process: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def config(self) -> str:
        from course.access.hub_names import service_name, site_group

        services = [
            {
                "name": service_name(site.slug),
                "url": f"http://127.0.0.1:{site.port}",
                "command": [
                    sys.executable,
                    "-m",
                    "course",
                    "serve",
                    "--host",
                    "127.0.0.1",
                    "--port",
                    str(site.port),
                    "--hub-site",
                    site.slug,
                ],  # fmt: skip
                "cwd": str(site.root),
                "oauth_no_confirm": True,
                "timeout": 240,  # Voilà, its zygote and first kernels on a busy machine
                "environment": {"PATH": os.environ.get("PATH", "")},
            }
            for site in self.sites
        ]
        groups = {
            site_group(s.slug, role): {
                "users": [u.name for u in self.users if site_group(s.slug, role) in u.groups]
            }
            for s in self.sites
            for role in ("learner", "trainer")
        }
        roles = [
            {
                "name": f"people-of-{service_name(site.slug)}",
                "scopes": [f"access:services!service={service_name(site.slug)}", "self"],
                "groups": [site_group(site.slug, "learner"), site_group(site.slug, "trainer")],
            }
            for site in self.sites
        ]
        users = {u.name: {"password": u.password, "groups": u.groups} for u in self.users}
        text = HUB_CONFIG.format(
            users=json.dumps(users),
            services=json.dumps(services),
            groups=json.dumps(groups),
            roles=json.dumps(roles),
            port=self.port,
            hub_port=free_port(),
            proxy_api_port=free_port(),
            folder=self.folder,
        )
        return "import json\n" + text

    def start(self, timeout: float = 300) -> MinimalHub:
        self.folder.mkdir(parents=True, exist_ok=True)
        config = self.folder / "jupyterhub_config.py"
        config.write_text(self.config(), encoding="utf-8")
        log = (self.folder / "hub.log").open("ab")
        bin_dir = Path(sys.executable).parent
        env = {**os.environ, "PATH": f"{bin_dir}{os.pathsep}{os.environ.get('PATH', '')}"}
        env.pop("COURSE_ROOT", None)
        self.process = subprocess.Popen(
            [sys.executable, "-m", "jupyterhub", "-f", str(config)],
            cwd=self.folder,
            env=env,
            stdout=log,
            stderr=log,
        )
        deadline = time.time() + timeout
        pending = [f"{self.url}/hub/login"] + [
            f"http://127.0.0.1:{s.port}{s.prefix}voila/static/voila.js" for s in self.sites
        ]
        while pending:
            if self.process.poll() is not None or time.time() > deadline:
                self.stop()
                raise RuntimeError(f"the hub did not start; see {self.folder / 'hub.log'}")
            try:
                # The hub's page through the proxy; each service (a 302 to the hub: nobody is
                # signed in) once it listens.
                answer = requests.get(pending[0], timeout=5, allow_redirects=False)
                if answer.status_code in (200, 302):
                    pending.pop(0)
                    continue
            except requests.RequestException:
                pass
            time.sleep(0.5)
        return self

    def stop(self) -> None:
        """The hub stops its proxy and services; whatever of its tree is left (forked kernels
        live in sessions of their own) is killed by process id."""
        if self.process is None:
            return
        tree = _children(self.process.pid)
        self.process.send_signal(signal.SIGTERM)
        try:
            self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(timeout=10)
        _kill(tree)
        self.process = None

    def client(self, user: HubUser | None = None) -> HubClient:
        client = HubClient(self)
        if user is not None:
            client.sign_in(user)
        return client


XSRF_FIELD = re.compile(r'name="_xsrf"\s+value="([^"]+)"')


class HubClient:
    """Cookies and redirects as a browser would, with no browser: quick HTTP checks."""

    def __init__(self, hub: MinimalHub):
        self.hub = hub
        self.http = requests.Session()

    def sign_in(self, user: HubUser) -> None:
        page = self.http.get(f"{self.hub.url}/hub/login", timeout=30)
        found = XSRF_FIELD.search(page.text)
        data = {"username": user.name, "password": user.password}
        if found:
            data["_xsrf"] = found.group(1)
        answer = self.http.post(
            f"{self.hub.url}/hub/login", data=data, timeout=30, allow_redirects=False
        )
        assert answer.status_code == 302, f"hub sign-in refused for {user.name}: {answer.text}"

    def get(self, path: str, **options) -> requests.Response:
        options.setdefault("timeout", 60)
        return self.http.get(self.hub.url + path, **options)

    def cookie_header(self) -> str:
        return "; ".join(f"{c.name}={c.value}" for c in self.http.cookies)

    def sign_out(self) -> None:
        self.get("/hub/logout")
