"""The JupyterHub configuration made from hub.toml (`configure(c, hub_dir)`), read by the
three-line `jupyterhub_config.py` that `course hub start` writes in the private folder.

- each site is a hub-managed service `site-<slug>` on 127.0.0.1 (its own port, its folder as
  working directory) running `course serve --hub-site <slug>`; `coordination` runs the
  coordination space the same way;
- roles come from groups only: `site.<slug>.learner` and `site.<slug>.trainer` may use the
  service `site-<slug>`, `coordination` the service `coordination`; the default `user` role is
  cut down to naming oneself (no servers, no tokens of one's own);
- no single-user servers (`NoServerSpawner`): learners never get a Jupyter of their own;
- HTTPS at the proxy (ours, `course.hub.proxy`) with a redirect from plain HTTP; cookies
  `Secure` when HTTPS is on; the hub's database is SQLite in the private folder or the
  PostgreSQL URL of hub.toml.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

from course.access.hub_names import COORDINATION_GROUP, HUB_PUBLIC_ENV, service_name, site_group
from course.hub import layout, logs
from course.hub.settings import COORDINATION_SERVICE, HubSettings, load

TEMPLATES = Path(__file__).parent / "templates"
# A site's `course serve` starts Voilà and preheats pages before it answers; on a busy machine
# that takes longer than JupyterHub's 30 s, and a service not up in time stops the whole hub.
SERVICE_START_SECONDS = 180


def service_command(port: int, *flags: str) -> list[str]:
    """`course serve` on loopback, as the service's process (the hub gives it its token)."""
    command = [sys.executable, "-m", "course.cli", "serve", "--host", "127.0.0.1"]
    return [*command, "--port", str(port), *flags]


def public_address(settings: HubSettings) -> str:
    """The hub's address for people: hub.toml's `public_url`, else where the hub listens (the
    site's service puts its network address in place of 0.0.0.0: `course.server.lan`)."""
    if settings.public_url:
        return settings.public_url
    return f"{'https' if settings.ssl_cert else 'http'}://{settings.ip}:{settings.port}"


def services(hub_dir: Path, settings: HubSettings) -> list[dict[str, Any]]:
    found: list[dict[str, Any]] = []
    if not settings.start_services:
        return found
    for site in settings.sites:
        found.append(
            {
                "name": service_name(site.slug),
                "url": f"http://127.0.0.1:{site.port}",
                "command": logs.service_command(
                    hub_dir,
                    service_name(site.slug),
                    service_command(site.port, "--hub-site", site.slug),
                ),
                "cwd": str(layout.site_dir(hub_dir, site.slug)),
                "oauth_no_confirm": True,
                "display": False,
                "timeout": SERVICE_START_SECONDS,
                # Its cards and trainer space show the hub's address, not its own loopback.
                "environment": {HUB_PUBLIC_ENV: public_address(settings)},
            }
        )
    if not (settings.coordination_service and settings.sites):
        return found
    found.append(
        {
            "name": COORDINATION_SERVICE,
            "url": f"http://127.0.0.1:{settings.coordination_port}",
            "command": logs.service_command(
                hub_dir,
                COORDINATION_SERVICE,
                service_command(settings.coordination_port, "--hub-coordination"),
            ),
            "cwd": str(layout.coordination_dir(hub_dir)),
            "oauth_no_confirm": True,
            "display": False,
            "timeout": SERVICE_START_SECONDS,
        }
    )
    return found


def roles(settings: HubSettings) -> list[dict[str, Any]]:
    found: list[dict[str, Any]] = [
        # Every signed-in user: who am I and my groups (JupyterHub's « identify », which a
        # service's OAuth token always carries), nothing else: no server, no token of their own.
        {"name": "user", "scopes": ["read:users:name!user", "read:users:groups!user"]},
        {
            "name": "coordination",
            "groups": [COORDINATION_GROUP],
            "scopes": [f"access:services!service={COORDINATION_SERVICE}"],
        },
    ]
    if settings.start_services and settings.coordination_service and settings.sites:
        found.append(
            {
                "name": "coordination-service",
                "services": [COORDINATION_SERVICE],
                "scopes": ["read:users:name", "read:groups"],
            }
        )
    for site in settings.sites:
        for role in ("learner", "trainer"):
            found.append(
                {
                    "name": f"site-{site.slug}-{role}",
                    "groups": [site_group(site.slug, role)],
                    "scopes": [f"access:services!service={service_name(site.slug)}"],
                }
            )
    return found


def database_url(hub_dir: Path, settings: HubSettings) -> str:
    return settings.db_url or f"sqlite:///{layout.sqlite_path(hub_dir)}"


def configure(c: Any, hub_dir: Path | str) -> None:
    """Fill JupyterHub's config object `c` from the hub folder's hub.toml."""
    from course.hub.authenticator import AtelierAuthenticator, default_url, user_home_url
    from course.hub.spawner import NoServerSpawner

    hub_dir = Path(hub_dir).resolve()
    settings = load(hub_dir)
    private = layout.private_dir(hub_dir)
    https = bool(settings.ssl_cert)

    c.JupyterHub.ip = settings.ip
    c.JupyterHub.port = settings.port
    c.JupyterHub.hub_ip = "127.0.0.1"
    c.JupyterHub.hub_port = settings.hub_port
    c.JupyterHub.db_url = database_url(hub_dir, settings)
    c.JupyterHub.cookie_secret_file = str(private / "jupyterhub_cookie_secret")
    c.JupyterHub.pid_file = str(private / "jupyterhub.pid")
    # The terminal: WARNING and above; everything from INFO in prive/journaux/ (course.hub.logs).
    c.JupyterHub.logging_config = logs.jupyterhub_logging(hub_dir)
    c.JupyterHub.cookie_max_age_days = settings.session_hours / 24
    c.JupyterHub.template_paths = [str(TEMPLATES)]
    c.JupyterHub.default_url = default_url
    # The hub's own home page (French, ours) links to the user's site or space.
    c.JupyterHub.template_vars = {
        "atelier_home": user_home_url,
        "proconnect": bool(settings.proconnect_issuer),
    }
    c.JupyterHub.spawner_class = NoServerSpawner
    c.JupyterHub.authenticator_class = AtelierAuthenticator
    if settings.proconnect_issuer:  # staff through ProConnect (course.hub.proconnect)
        from course.hub import proconnect

        c.JupyterHub.authenticator_class = proconnect.ProConnectAuthenticator
        c.ProConnectOAuthenticator.issuer = settings.proconnect_issuer
        c.ProConnectOAuthenticator.client_id = settings.proconnect_client_id
        c.ProConnectOAuthenticator.client_secret = proconnect.read_client_secret(hub_dir)
    c.AtelierAuthenticator.hub_dir = str(hub_dir)
    c.AtelierAuthenticator.idle_minutes = settings.idle_minutes
    c.Authenticator.manage_groups = True
    c.Authenticator.any_allow_config = True  # `authenticate` is the gate (`check_allowed`)
    c.JupyterHub.services = services(hub_dir, settings)
    c.JupyterHub.load_roles = roles(settings)

    proxy = [sys.executable, "-m", "course.hub.proxy", "--log-file", str(logs.proxy_log(hub_dir))]
    if https:
        c.JupyterHub.ssl_cert = settings.ssl_cert
        c.JupyterHub.ssl_key = settings.ssl_key
        c.JupyterHub.tornado_settings = {"cookie_options": {"secure": True, "samesite": "Lax"}}
        if settings.http_port:
            proxy += ["--redirect-port", str(settings.http_port)]
    c.ConfigurableHTTPProxy.command = proxy
    c.ConfigurableHTTPProxy.api_url = f"http://127.0.0.1:{settings.proxy_api_port}"
    c.ConfigurableHTTPProxy.pid_file = str(private / "proxy.pid")


def config_file_text(hub_dir: Path) -> str:
    """The `jupyterhub_config.py` written in the private folder: ours, then the extra files."""
    hub_dir = Path(hub_dir).resolve()
    extra = layout.extra_config_dir(hub_dir)
    return (
        "# Written by `course hub start` from hub.toml: edit hub.toml, not this file.\n"
        "from pathlib import Path\n\n"
        "from course.hub.jhconfig import configure\n\n"
        f"configure(c, {str(hub_dir)!r})  # noqa: F821\n"
        f"for extra in sorted(Path({str(extra)!r}).glob('*.py')):\n"
        "    load_subconfig(str(extra))  # noqa: F821\n"
    )
