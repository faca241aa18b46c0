"""Where a hub keeps its things, in one folder (the « hub folder »), so every part agrees:

<hub>/hub.toml            the configuration an administrator edits (sites, trainers, HTTPS)
<hub>/sites/<slug>/       one full project folder per site (nbgrader_config.py, var/, modules)
<hub>/coordination/       the coordination space's project folder
<hub>/prive/              the hub's private data (0700): staff passwords, cookie secret,
                          the hub's SQLite database, the generated JupyterHub configuration
<hub>/prive/config.d/     extra JupyterHub configuration files, loaded last (`*.py`)
<hub>/prive/journaux/     the logs of JupyterHub, its proxy and its services (`course.hub.logs`)
"""

from __future__ import annotations

from pathlib import Path

from course.access.hub_names import check_site_slug
from course.hub.folders import private_dir as private_dir  # its home: the supervisor's too

CONFIG_NAME = "hub.toml"


def config_path(hub_dir: Path) -> Path:
    return Path(hub_dir) / CONFIG_NAME


def sites_dir(hub_dir: Path) -> Path:
    return Path(hub_dir) / "sites"


def site_dir(hub_dir: Path, slug: str) -> Path:
    """The project folder of the site `slug` (its roster, gradebook and workshops)."""
    return sites_dir(hub_dir) / check_site_slug(slug)


def coordination_dir(hub_dir: Path) -> Path:
    return Path(hub_dir) / "coordination"


def passwords_path(hub_dir: Path) -> Path:
    return private_dir(hub_dir) / "mots-de-passe.json"


def sqlite_path(hub_dir: Path) -> Path:
    return private_dir(hub_dir) / "jupyterhub.sqlite"


def generated_config_path(hub_dir: Path) -> Path:
    return private_dir(hub_dir) / "jupyterhub_config.py"


def extra_config_dir(hub_dir: Path) -> Path:
    return private_dir(hub_dir) / "config.d"
