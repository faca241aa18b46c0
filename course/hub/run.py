"""Starting the hub (`course hub start`) and upgrading its database (`course upgrade-db`).

Everything that can be checked is checked before any process starts (hub.toml, the HTTPS
certificate against its key, the PostgreSQL database, free ports, the sites' folders): a
problem is a French `UserError` and nothing is left running. Then the command becomes
`course.hub.supervise` (a small process), which runs JupyterHub as its child: JupyterHub starts
the proxy and the sites' services and stops them on Ctrl+C.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from typing import NoReturn

from course.core.files import atomic_write, private_dir
from course.hub import layout, supervise
from course.hub.checks import check_database, preflight
from course.hub.databases import create_site_databases
from course.hub.jhconfig import config_file_text
from course.hub.ready import probe_url
from course.hub.settings import HubConfigError, HubSettings, load
from course.hub.supervise import jupyterhub_command, stop_left_proxy

__all__ = ["jupyterhub_command", "prepare", "start", "stop_left_proxy", "upgrade_db"]


def prepare(hub_dir: Path) -> tuple[HubSettings, Path]:
    """Check everything and write the generated JupyterHub configuration; return its path."""
    hub_dir = Path(hub_dir).resolve()
    settings = load(hub_dir)
    if settings.start_services:
        for site in settings.sites:
            if not (layout.site_dir(hub_dir, site.slug) / "nbgrader_config.py").is_file():
                raise HubConfigError(
                    f"Le dossier du site « {site.slug} » manque ou est incomplet : "
                    f"{layout.site_dir(hub_dir, site.slug)} (course hub add-site le fait)."
                )
    if settings.start_services and settings.coordination_service and settings.sites:
        if not (layout.coordination_dir(hub_dir) / "nbgrader_config.py").is_file():
            raise HubConfigError(
                f"Le dossier de la coordination manque : {layout.coordination_dir(hub_dir)} "
                "(un dossier de projet, avec son nbgrader_config.py)."
            )
    if settings.proconnect_issuer:  # its secret is there, and private, before anything starts
        from course.hub.proconnect import read_client_secret

        read_client_secret(hub_dir)
    stop_left_proxy(hub_dir)  # a previous run killed outright left its proxy behind
    preflight(settings)
    create_site_databases(settings)  # a site added by hand to hub.toml, or a new db_url
    private_dir(layout.private_dir(hub_dir)).chmod(0o700)
    layout.extra_config_dir(hub_dir).mkdir(exist_ok=True)
    config = atomic_write(layout.generated_config_path(hub_dir), config_file_text(hub_dir))
    return settings, config


def start(
    hub_dir: Path, settings: HubSettings, config: Path, public_url: str, log: Path
) -> NoReturn:
    """Become the hub's supervisor (`course.hub.supervise`, same process id) once `prepare` has
    checked everything: it runs JupyterHub until it stops, and holds a few MiB where this
    process, with every command imported, held about 60."""
    sys.stdout.flush()
    sys.stderr.flush()
    argv = supervise.command(hub_dir, config, probe_url(settings), public_url, log)
    os.execv(argv[0], argv)


def upgrade_db(hub_dir: Path) -> str:
    """Run JupyterHub's own `upgrade-db` on the hub's database (it keeps a copy of a SQLite
    file first); return what it printed."""
    hub_dir = Path(hub_dir).resolve()
    settings = load(hub_dir)
    check_database(settings.db_url)
    private_dir(layout.private_dir(hub_dir))
    layout.extra_config_dir(hub_dir).mkdir(exist_ok=True)
    config = atomic_write(layout.generated_config_path(hub_dir), config_file_text(hub_dir))
    if not settings.db_url and not layout.sqlite_path(hub_dir).exists():
        return "Pas encore de base du hub : elle sera créée au premier démarrage."
    done = subprocess.run(
        jupyterhub_command(config, "upgrade-db"),
        cwd=layout.private_dir(hub_dir),
        capture_output=True,
        text=True,
    )
    if done.returncode != 0:
        last = (done.stderr.strip().splitlines() or ["?"])[-1]
        raise HubConfigError(f"La mise à jour de la base du hub a échoué : {last}")
    return "Base du hub à jour."
