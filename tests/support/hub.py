"""A real JupyterHub on loopback for tests (`course hub start` in a child process): a hub folder
with sites made by `course.hub.admin`, free ports, an HTTPS certificate made at test time for
127.0.0.1, an admin API token of the test's own (a service in `prive/config.d/`), stopped at
teardown. Used by tests/hub/ and by the hub's services' tests.

    hub_dir = make_hub(tmp / "hub", sites={"a": ["marie"], "b": []}, coordinators=["claire"])
    with running_hub(hub_dir) as hub:
        hub.client().get(hub.url + "/hub/login")
        hub.api("/users/marie")
"""

from __future__ import annotations

import os
import secrets
import signal
import ssl
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx

from support.project import REPO, free_port

COURSE = [sys.executable, "-m", "course.cli"]
ADMIN_SERVICE = "test-admin"


def make_certificate(folder: Path, name: str = "hub") -> tuple[Path, Path]:
    """A self-signed certificate for 127.0.0.1 and its key (PEM), as `course serve` makes them."""
    from course.server.tls import certificate

    folder.mkdir(parents=True, exist_ok=True)
    cert, key = certificate(["127.0.0.1"])
    cert_path, key_path = folder / f"{name}.pem", folder / f"{name}.key"
    cert_path.write_bytes(cert)
    key_path.write_bytes(key)
    key_path.chmod(0o600)
    return cert_path, key_path


def make_hub(
    hub_dir: Path,
    sites: dict[str, list[str]],
    coordinators: list[str] = (),  # type: ignore[assignment]
    https: bool = True,
    services: bool = True,
    db_url: str = "",
    source: Path = REPO,
    **hub: Any,
) -> Path:
    """A hub folder on free ports: its sites (slug → trainers) copied from `source`, staff
    passwords « <name>-mot-de-passe », a certificate in `<hub>/../certs/` when `https`."""
    from course.hub import admin
    from course.hub.settings import HubSettings, load, save

    settings = HubSettings(
        port=free_port(),
        http_port=free_port(),
        hub_port=free_port(),
        proxy_api_port=free_port(),
        coordination_port=free_port(),
        db_url=db_url,
        start_services=services,
    )
    for key, value in hub.items():
        setattr(settings, key, value)
    if https:
        cert, key = make_certificate(hub_dir.parent / "certs")
        settings.ssl_cert, settings.ssl_key = str(cert), str(key)
    admin.init_hub(hub_dir, settings)
    for slug, trainers in sites.items():
        admin.add_site(hub_dir, slug, f"Site {slug.upper()}", source)
        for trainer in trainers:
            admin.add_trainer(hub_dir, trainer, slug, trainer.capitalize())
    for name in coordinators:
        admin.add_coordinator(hub_dir, name)
    settings = load(hub_dir)
    for site in settings.sites:  # free ports for the services too
        site.port = free_port()
    save(hub_dir, settings)
    for name in {*settings.trainers, *settings.coordinators}:
        admin.set_password(hub_dir, name, f"{name}-mot-de-passe")
    return hub_dir


@dataclass
class RunningHub:
    hub_dir: Path
    process: subprocess.Popen
    url: str  # the public address, https://127.0.0.1:<port> (or http)
    http_url: str  # the plain HTTP redirect's address ("" without HTTPS)
    token: str  # an admin API token (the service `test-admin`)
    verify: ssl.SSLContext | bool  # trusts the test's certificate (httpx's `verify`)
    log: Path

    def all_logs(self) -> str:
        """What the hub wrote anywhere: the terminal (`log`) and its private journals
        (`prive/journaux/`: JupyterHub's INFO lines, the proxy's, the services')."""
        from course.hub.logs import logs_dir

        texts = [self.log.read_text(encoding="utf-8", errors="replace")]
        for path in sorted(logs_dir(self.hub_dir).glob("*.log*")):
            texts.append(path.read_text(encoding="utf-8", errors="replace"))
        return "\n".join(texts)

    def client(self, **kwargs: Any) -> httpx.Client:
        """A browser-like client: its own cookies, redirects not followed."""
        return httpx.Client(verify=self.verify, timeout=30, **kwargs)

    def api(self, path: str, method: str = "GET", **kwargs: Any) -> Any:
        """The hub's REST API as the test's admin; the JSON answer (None for 404)."""
        headers = {"Authorization": f"token {self.token}"}
        with self.client() as client:
            answer = client.request(method, f"{self.url}/hub/api{path}", headers=headers, **kwargs)
        if answer.status_code == 404:
            return None
        answer.raise_for_status()
        return answer.json() if answer.content else None

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)  # JupyterHub stops its proxy and services
            try:
                self.process.wait(timeout=60)  # it stops the sites' services first
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        try:  # anything of its own session left behind (a service)
            os.killpg(self.process.pid, signal.SIGKILL)
        except (ProcessLookupError, PermissionError):
            pass
        from course.hub.run import stop_left_proxy

        stop_left_proxy(self.hub_dir)  # the proxy runs in a session of its own


def add_admin_token(hub_dir: Path) -> str:
    """An admin token for the test, as a hub service declared in the extra configuration."""
    from course.hub import layout

    token = secrets.token_hex(32)
    extra = layout.extra_config_dir(hub_dir)
    extra.mkdir(parents=True, exist_ok=True)
    (extra / "test-admin.py").write_text(
        f"c.JupyterHub.services.append({{'name': {ADMIN_SERVICE!r}, 'api_token': {token!r}}})\n"
        "c.JupyterHub.load_roles.append({'name': 'test-admin', "
        f"'services': [{ADMIN_SERVICE!r}], 'scopes': ['admin:users', 'admin:groups', "
        "'read:users', 'read:groups', 'read:roles']})\n",
        encoding="utf-8",
    )
    return token


def add_stand_in_services(hub_dir: Path) -> None:
    """Every site's service `site-<slug>` as the stand-in `support/hub_whoami.py` (for a hub
    made with `services=False`): what the hub's roles and sign-out allow, seen from a service."""
    from course.access.hub_names import service_name
    from course.hub import layout
    from course.hub.settings import load

    script = Path(__file__).with_name("hub_whoami.py")
    services = [
        {
            "name": service_name(site.slug),
            "url": f"http://127.0.0.1:{free_port()}",
            "command": [sys.executable, str(script)],
            "oauth_no_confirm": True,
        }
        for site in load(hub_dir).sites
    ]
    extra = layout.extra_config_dir(hub_dir)
    extra.mkdir(parents=True, exist_ok=True)
    (extra / "stand-in-services.py").write_text(
        f"c.JupyterHub.services.extend({services!r})\n", encoding="utf-8"
    )


@contextmanager
def running_hub(hub_dir: Path, timeout: float = 300) -> Iterator[RunningHub]:
    """`course hub start` on `hub_dir`, until its API answers; stopped when the block ends."""
    from course.hub.settings import load

    settings = load(hub_dir)
    token = add_admin_token(hub_dir)
    scheme = "https" if settings.ssl_cert else "http"
    log = hub_dir.parent / "hub.log"
    env = {**os.environ, "COURSE_HUB": str(hub_dir), "PYTHONUNBUFFERED": "1"}
    env.pop("COURSE_ROOT", None)
    with log.open("w") as out:
        process = subprocess.Popen(
            [*COURSE, "hub", "start"], stdout=out, stderr=subprocess.STDOUT, env=env,
            start_new_session=True,
        )  # fmt: skip
    hub = RunningHub(
        hub_dir=hub_dir,
        process=process,
        url=f"{scheme}://127.0.0.1:{settings.port}",
        http_url=f"http://127.0.0.1:{settings.http_port}" if scheme == "https" else "",
        token=token,
        verify=ssl.create_default_context(cafile=settings.ssl_cert) if settings.ssl_cert else False,
        log=log,
    )
    try:
        _wait_up(hub, timeout)
        yield hub
    finally:
        hub.stop()


def _wait_up(hub: RunningHub, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if hub.process.poll() is not None:
            raise RuntimeError(f"the hub stopped:\n{hub.log.read_text()[-4000:]}")
        try:
            if hub.api("/users") is not None:
                return
        except (httpx.HTTPError, OSError):
            pass
        time.sleep(0.3)
    raise RuntimeError(f"the hub did not answer in {timeout} s:\n{hub.log.read_text()[-4000:]}")


class HubBrowser:
    """A browser without a browser on a running hub: cookies kept, redirects followed (the
    hub's OAuth), the hub's certificate trusted; signs staff in with the hub's form."""

    def __init__(self, hub: RunningHub):
        import requests

        from course.hub.settings import load

        self.url = hub.url
        self.http = requests.Session()
        self.http.trust_env = False
        self.http.verify = load(hub.hub_dir).ssl_cert or False

    def sign_in(self, name: str, secret: str = "") -> HubBrowser:
        """A staff member (trainer, coordinator) with the test password « <name>-mot-de-passe »."""
        import re

        page = self.http.get(f"{self.url}/hub/login", timeout=30)
        found = re.search(r'name="_xsrf" value="([^"]+)"', page.text)
        assert found is not None, page.text
        fields = {"_xsrf": found.group(1), "kind": "equipe", "username": name,
                  "password": secret or f"{name}-mot-de-passe"}  # fmt: skip
        answer = self.http.post(
            f"{self.url}/hub/login", data=fields, timeout=30, allow_redirects=False
        )
        assert answer.status_code == 302, f"hub sign-in refused for {name}"
        return self

    def get(self, path: str, **options: Any) -> Any:
        options.setdefault("timeout", 120)
        return self.http.get(self.url + path, **options)

    def post(self, path: str, **options: Any) -> Any:
        options.setdefault("timeout", 120)
        return self.http.post(self.url + path, **options)

    def jeton(self, path: str) -> str:
        """The space's CSRF value (`data-jeton`) on the page at `path`."""
        import re

        found = re.search(r'data-jeton="([^"]+)"', self.get(path).text)
        assert found is not None, path
        return found.group(1)
