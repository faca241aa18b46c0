"""Workshops (ateliers): what happened, when, where, with whom. Shared by every side.

A workshop is the unit trainers run, attestations name and coordinators count (La Coop's
« atelier collectif »). It lives in a real database through SQLAlchemy, like nbgrader's
gradebook: SQLite under `var/` by default, any URL (PostgreSQL) through
`c.WorkshopSettings.db_url` in nbgrader_config.py. Learners are referred to by their id, which
is also their nbgrader student id: the roster and the gradebook stay the truth about people.
The tables are made and changed by alembic revisions (`course.workshops.migrations`,
`course upgrade-db`).
"""

from course.workshops.book import WorkshopBook, WorkshopError, WorkshopSettings
from course.workshops.model import Workshop

__all__ = ["Workshop", "WorkshopBook", "WorkshopError", "WorkshopSettings"]
