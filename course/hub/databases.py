"""Each site's databases on a network: PostgreSQL when hub.toml gives `db_url`, else SQLite.

On a hub with a PostgreSQL URL, each site gets a database of its own on that server, named
after the hub's (`<hub database>_site_<slug>`): its workshops book (`c.WorkshopSettings.db_url`)
and its nbgrader gradebook (`c.CourseDirectory.db_url`) live there together (our tables keep
their alembic version in `course_alembic_version`, nbgrader's in `alembic_version`). A site
never reads another's database. Without `db_url`, a site keeps its SQLite files in its folder,
as a laptop does.

A site's `nbgrader_config.py` calls `site_config(c, hub_dir, slug)` (written by `course hub
add-site`), so the URL is read from hub.toml at each start, never copied with its password into
another file; `course hub add-site` and `course hub start` create the missing databases.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from course.hub.checks import check_database
from course.hub.settings import HubConfigError, HubSettings, load


def is_postgres(db_url: str) -> bool:
    return db_url.startswith("postgresql")


def site_database_name(hub_url: str, slug: str) -> str:
    from sqlalchemy.engine import make_url

    base = make_url(hub_url).database or "jupyterhub"
    return f"{base}_site_{slug.replace('-', '_')}"


def site_db_url(hub_url: str, slug: str) -> str:
    """The site's own database on the hub's PostgreSQL server ("" without PostgreSQL)."""
    if not is_postgres(hub_url):
        return ""
    from sqlalchemy.engine import make_url

    url = make_url(hub_url).set(database=site_database_name(hub_url, slug))
    return url.render_as_string(hide_password=False)


def site_config(c: Any, hub_dir: Path | str, slug: str) -> None:
    """Called by a site's nbgrader_config.py: on PostgreSQL, its workshops and gradebook URLs."""
    url = site_db_url(load(Path(hub_dir)).db_url, slug)
    if url:
        c.WorkshopSettings.db_url = url
        c.CourseDirectory.db_url = url


def create_site_databases(settings: HubSettings) -> list[str]:
    """Create the sites' databases missing on the hub's PostgreSQL; return those created."""
    if not is_postgres(settings.db_url) or not settings.sites:
        return []
    import sqlalchemy

    check_database(settings.db_url)  # a server that does not answer: said as such, in French
    created = []
    engine = sqlalchemy.create_engine(settings.db_url, isolation_level="AUTOCOMMIT")
    try:
        with engine.connect() as connection:
            for site in settings.sites:
                name = site_database_name(settings.db_url, site.slug)
                found = connection.execute(
                    sqlalchemy.text("SELECT 1 FROM pg_database WHERE datname = :name"),
                    {"name": name},
                ).first()
                if found is None:
                    connection.execute(sqlalchemy.text(f'CREATE DATABASE "{name}"'))
                    created.append(name)
                    _gradebook_first(site_db_url(settings.db_url, site.slug))
    except sqlalchemy.exc.SQLAlchemyError as error:
        first = (str(error).strip().splitlines() or [type(error).__name__])[0]
        raise HubConfigError(
            f"Impossible de créer la base PostgreSQL d'un site : {first}. L'utilisateur de "
            "db_url doit pouvoir créer des bases (CREATEDB)."
        ) from None
    finally:
        engine.dispose()
    return created


def _gradebook_first(url: str) -> None:
    """nbgrader stamps its `alembic_version` only in a database with no table yet: its
    gradebook is made before our workshops' tables arrive, so `nbgrader db upgrade` keeps
    working on the shared database."""
    import os
    import sys

    from nbgrader.api import Gradebook

    bindir = str(Path(sys.executable).parent)  # nbgrader runs `alembic` by name
    if bindir not in os.environ.get("PATH", "").split(os.pathsep):
        os.environ["PATH"] = os.pathsep.join([bindir, os.environ.get("PATH", "")])
    Gradebook(url).close()
