"""This laptop's bundles as they leave it: one name and one place, whoever makes them.

The trainer's « Envoyer à la coordination », the coordination space's « Télécharger le paquet de
ce site » and `course bundle` all name a bundle `paquet-<site>-<day>.zip` and keep a copy under
`var/paquets/` (owner only: it carries pseudonymous results), so the file sent is the file
kept, and one listing of that folder shows everything this laptop ever sent.
"""

from __future__ import annotations

import tempfile
from datetime import date
from pathlib import Path

from course.access.roster import slugify
from course.coordinator.bundle import make_bundle
from course.core.files import private_dir, private_write
from course.settings import Project

BUNDLES = "paquets"  # under the project's data folder (var/)


def bundle_name(site: str, day: date) -> str:
    """`paquet-mediatheque-de-brest-2026-12-07.zip`: no accent, no space, safe everywhere."""
    return f"paquet-{slugify(site)[:60].strip('-') or 'site'}-{day.isoformat()}.zip"


def site_bundle(project: Project, site: str, day: date) -> tuple[str, bytes, dict[str, int]]:
    """The bundle's file name, its bytes and what it holds; also kept as
    `var/paquets/<name>` (owner only). A `BundleError` (French) when the site has no name."""
    name = bundle_name(site, day)
    folder = private_dir(project.data_dir / BUNDLES)
    with tempfile.TemporaryDirectory(dir=folder) as scratch:
        made = Path(scratch) / name
        counts = make_bundle(project, made)
        data = made.read_bytes()
    private_write(folder / name, data)
    return name, data, counts


def kept_bundles(project: Project, most: int = 10) -> list[str]:
    """The names of the last bundles kept on this laptop, newest first."""
    folder = project.data_dir / BUNDLES
    if not folder.is_dir():
        return []
    return [p.name for p in sorted(folder.glob("paquet-*.zip"), reverse=True)[:most]]
