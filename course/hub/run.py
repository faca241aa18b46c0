"""Starting the hub (`course hub start`) and upgrading its database (`course upgrade-db`).

Everything that can be checked is checked before any process starts (hub.toml, the HTTPS
certificate against its key, the PostgreSQL database, free ports, the sites' folders): a
problem is a French `UserError` and nothing is left running. Then this process becomes
JupyterHub (`exec`), which starts the proxy and the sites' services and stops them on Ctrl+C.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from course.core.files import atomic_write, private_dir
from course.hub import layout
from course.hub.checks import check_database, preflight
from course.hub.jhconfig import config_file_text
from course.hub.settings import HubConfigError, HubSettings, load


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
    preflight(settings)
    private_dir(layout.private_dir(hub_dir)).chmod(0o700)
    layout.extra_config_dir(hub_dir).mkdir(exist_ok=True)
    config = atomic_write(layout.generated_config_path(hub_dir), config_file_text(hub_dir))
    return settings, config


def jupyterhub_command(config: Path, *args: str) -> list[str]:
    return [sys.executable, "-m", "jupyterhub", *args, "-f", str(config)]


def start(hub_dir: Path) -> None:
    """Become the hub (never returns): JupyterHub runs in the private folder (its pid files)."""
    _settings, config = prepare(hub_dir)
    os.chdir(layout.private_dir(hub_dir))
    command = jupyterhub_command(config)
    os.execv(command[0], command)


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
