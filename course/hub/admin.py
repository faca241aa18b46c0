"""What `course hub` changes: a new hub folder, its sites, trainers, coordinators and staff
passwords. Each change is checked whole (`settings.parse`) before hub.toml is written, so a
refused change leaves the file as it was.
"""

from __future__ import annotations

import json
import shutil
import time
from pathlib import Path

from course.access.gate import check_password, hash_password
from course.access.hub_names import check_site_slug
from course.core.files import locked_json, private_dir, private_write
from course.hub import layout
from course.hub.databases import create_site_databases
from course.hub.settings import (
    EMAIL,
    HubConfigError,
    HubSettings,
    Site,
    check_staff_name,
    load,
    save,
)

# What a site's project folder needs from the project it is made from (the rest, var/, is made
# as it runs), as `course check` and the tests copy a project.
PROJECT_FILES = ("nbgrader_config.py", "modules", "assessments/source")
MIN_PASSWORD = 10
STAFF_MAX_FAILURES = 5
STAFF_LOCK_MINUTES = 5
DUMMY_HASH = hash_password("nobody has this password")


def init_hub(hub_dir: Path, settings: HubSettings | None = None) -> Path:
    """A new hub folder with its hub.toml (refused if one is there: nothing is overwritten)."""
    hub_dir = Path(hub_dir)
    if layout.config_path(hub_dir).exists():
        raise HubConfigError(f"Il y a déjà un hub dans {hub_dir}.")
    private_dir(layout.private_dir(hub_dir))
    return save(hub_dir, settings or HubSettings())


def _copy_project(source: Path, dest: Path) -> None:
    if not (source / "nbgrader_config.py").is_file():
        raise HubConfigError(
            f"{source} n'est pas un dossier de projet (pas de nbgrader_config.py) : donnez le "
            "dossier d'où copier les modules (--depuis)."
        )
    dest.mkdir(parents=True)
    for name in PROJECT_FILES:
        origin = source / name
        if origin.is_dir():
            shutil.copytree(origin, dest / name)
        elif origin.is_file():
            shutil.copy2(origin, dest / name)


def add_site(hub_dir: Path, slug: str, name: str, source: Path) -> Site:
    """Declare a site and make its project folder, a copy of the modules of `source`."""
    hub_dir = Path(hub_dir)
    settings = load(hub_dir)
    check_site_slug(slug)
    if any(s.slug == slug for s in settings.sites):
        raise HubConfigError(f"Le site « {slug} » existe déjà sur ce hub.")
    folder = layout.site_dir(hub_dir, slug)
    if folder.exists():
        raise HubConfigError(f"Le dossier {folder} existe déjà : je n'y touche pas.")
    site = Site(slug=slug, name=name.strip() or slug, port=settings.next_port())
    settings.sites.append(site)
    create_site_databases(settings)  # on PostgreSQL, refused before anything is written here
    _copy_project(Path(source), folder)
    config = folder / "nbgrader_config.py"
    with config.open("a", encoding="utf-8") as out:  # its workshops and exports name it
        out.write("\n# This site on the hub (course hub add-site).\n")
        out.write(f"c.WorkshopSettings.site = {site.name!r}\n")
        # On the hub's PostgreSQL (hub.toml's db_url), its own database, read at each start.
        out.write("from pathlib import Path as _Path\n\n")
        out.write("from course.hub.databases import site_config as _site_config\n\n")
        out.write(
            f"_site_config(c, _Path(__file__).resolve().parents[2], {slug!r})  # noqa: F821\n"
        )
    make_coordination(hub_dir, Path(source))
    save(hub_dir, settings)
    return site


def make_coordination(hub_dir: Path, source: Path) -> Path:
    """The coordination's project folder (`<hub>/coordination/`), once: the modules of the
    first site's source (the dashboard names them), and every hub site read live."""
    folder = layout.coordination_dir(hub_dir)
    if (folder / "nbgrader_config.py").is_file():
        return folder
    _copy_project(source, folder)
    with (folder / "nbgrader_config.py").open("a", encoding="utf-8") as out:
        out.write("\n# The hub's coordination (course hub add-site): every site, live.\n")
        out.write('c.CoordinatorSettings.hub_dir = ".."\n')
    return folder


def add_trainer(
    hub_dir: Path, username: str, slug: str, full_name: str = "", email: str = ""
) -> HubSettings:
    """Declare a trainer (if new) and attach them to the site `slug`; `email`: their
    ProConnect e-mail (checked before anything is written)."""
    settings = load(hub_dir)
    check_staff_name(username)
    site = settings.site(slug)
    settings.trainers.setdefault(username, full_name or username)
    if full_name:
        settings.trainers[username] = full_name
    if username not in site.trainers:
        site.trainers.append(username)
    if email:
        _give_email(settings, username, email)
    save(hub_dir, settings)
    return settings


def add_coordinator(hub_dir: Path, username: str, email: str = "") -> HubSettings:
    settings = load(hub_dir)
    check_staff_name(username)
    if username not in settings.coordinators:
        settings.coordinators.append(username)
    if email:
        _give_email(settings, username, email)
    save(hub_dir, settings)
    return settings


def set_email(hub_dir: Path, username: str, email: str) -> HubSettings:
    """The ProConnect e-mail of a trainer or coordinator (hub.toml's [emails]): the address
    ProConnect vouches for decides who signs in, and into which site."""
    settings = load(hub_dir)
    if username not in staff(settings):
        raise HubConfigError(
            f"« {username} » n'est ni formateur ni coordinateur de ce hub "
            "(course hub add-trainer ou add-coordinator d'abord)."
        )
    _give_email(settings, username, email)
    save(hub_dir, settings)
    return settings


def _give_email(settings: HubSettings, username: str, email: str) -> None:
    address = email.strip().lower()
    if not EMAIL.match(address):
        raise HubConfigError(
            f"Adresse e-mail invalide : {email!r} (par exemple : marie.dupont@brest.fr)."
        )
    for other, taken in settings.emails.items():
        if taken == address and other != username:
            raise HubConfigError(f"L'adresse {address} est déjà celle de « {other} ».")
    settings.emails[username] = address


def staff(settings: HubSettings) -> set[str]:
    return set(settings.trainers) | set(settings.coordinators)


def _passwords(hub_dir: Path) -> dict[str, str]:
    try:
        data = json.loads(layout.passwords_path(hub_dir).read_text(encoding="utf-8"))
    except (FileNotFoundError, ValueError):
        return {}
    return {str(k): str(v) for k, v in data.items()} if isinstance(data, dict) else {}


def set_password(hub_dir: Path, username: str, password: str) -> Path:
    """Store a staff member's password as an scrypt hash, owner-only, in the private folder."""
    settings = load(hub_dir)
    if username not in staff(settings):
        raise HubConfigError(
            f"« {username} » n'est ni formateur ni coordinateur de ce hub "
            "(course hub add-trainer ou add-coordinator d'abord)."
        )
    if len(password) < MIN_PASSWORD:
        raise HubConfigError(f"Le mot de passe doit avoir au moins {MIN_PASSWORD} caractères.")
    hashes = _passwords(hub_dir)
    hashes[username] = hash_password(password)
    return private_write(layout.passwords_path(hub_dir), json.dumps(hashes, indent=1) + "\n")


def check_staff_password(hub_dir: Path, username: str, password: str) -> bool:
    """Check a staff password; `STAFF_MAX_FAILURES` wrong ones in a row for a username lock it
    for `STAFF_LOCK_MINUTES` (a French `HubConfigError`). An unknown username costs the same
    scrypt as a known one, so the time taken tells nothing."""
    attempts_path = layout.private_dir(hub_dir) / "essais-equipe.json"
    now = time.time()
    with locked_json(attempts_path) as attempts:
        record = attempts.get(username) or {}
        if record.get("locked_until", 0) > now:
            raise HubConfigError(
                f"Trop d'essais pour cet identifiant. Attendez {STAFF_LOCK_MINUTES} minutes."
            )
    stored = _passwords(hub_dir).get(username) or DUMMY_HASH
    right = check_password(password, stored) and stored is not DUMMY_HASH
    with locked_json(attempts_path) as attempts:
        if right:
            attempts.pop(username, None)
        else:
            failures = int((attempts.get(username) or {}).get("failures", 0)) + 1
            record = {"failures": failures}
            if failures >= STAFF_MAX_FAILURES:
                record = {"failures": 0, "locked_until": now + STAFF_LOCK_MINUTES * 60}
            attempts[username] = record
    return right
