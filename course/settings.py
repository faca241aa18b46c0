"""Where things live, configured through traitlets so `nbgrader_config.py` configures us too.

A project is the folder holding `nbgrader_config.py`, `modules/` and `assessments/`. Kernels
started by Voilà inherit `COURSE_ROOT` from `course serve`; elsewhere we search upwards from the
working directory, which is how autograde (run inside `assessments/autograded/...`) finds us.
"""

from __future__ import annotations

import os
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING

from traitlets import Unicode
from traitlets.config import Config, Configurable
from traitlets.config.loader import PyFileConfigLoader

from course.core.errors import UserError

if TYPE_CHECKING:
    from course.access.roster import Roster
    from course.content.catalogue import Catalogue
    from course.coursedir import Layout
    from course.workshops import WorkshopBook

CONFIG_FILE = "nbgrader_config.py"
ROOT_ENV = "COURSE_ROOT"
# Set by `course serve --module ID` for Voilà and its kernels: today's module, first in the catalogue.
WORKSHOP_ENV = "COURSE_WORKSHOP_MODULE"
# Seconds before a page nobody signed in to pauses (ServeSettings.anonymous_seconds).
ANONYMOUS_ENV = "COURSE_ANONYMOUS_SECONDS"
# Set by the server (`course.server`) for itself: the learners' address, which the trainer's
# space shows and prints on the cards.
ROOM_ENV = "COURSE_ROOM_URL"


def paused_dir(project: Project) -> Path:
    """Where a paused page leaves its kernel's process id for the server to stop it."""
    return project.data_dir / "run" / "paused"


class ProjectNotFound(UserError):
    """No project folder (with nbgrader_config.py and modules/) here; the message says where
    to go, in French."""


def find_root(start: Path | None = None) -> Path:
    """Return the project root: $COURSE_ROOT, else the nearest parent holding nbgrader_config.py."""
    env = os.environ.get(ROOT_ENV)
    if env:
        root = Path(env).resolve()
        if (root / CONFIG_FILE).is_file():
            return root
        raise ProjectNotFound(
            f"Je ne trouve pas le dossier du projet : {ROOT_ENV}={env} ne contient pas "
            f"{CONFIG_FILE}."
        )
    here = (start or Path.cwd()).resolve()
    for folder in (here, *here.parents):
        if (folder / CONFIG_FILE).is_file() and (folder / "modules").is_dir():
            return folder
    raise ProjectNotFound(
        f"Je ne trouve pas le dossier du projet (celui qui contient {CONFIG_FILE} et modules/) "
        f"à partir de {here}. Placez-vous dedans, ou indiquez-le avec {ROOT_ENV}."
    )


def load_config(root: Path) -> Config:
    """Load nbgrader_config.py exactly as nbgrader does, so both read the same settings."""
    loader = PyFileConfigLoader(CONFIG_FILE, path=str(root))
    return loader.load_config()


class CourseSettings(Configurable):
    """Our own settings; set them in nbgrader_config.py as `c.CourseSettings.<name>`."""

    course_title = Unicode(
        "Ateliers numériques", help="Title shown on the catalogue and on feedback pages."
    ).tag(config=True)
    modules_dir = Unicode("modules", help="Content folder, relative to the project root.").tag(
        config=True
    )
    data_dir = Unicode(
        "var", help="Learners' data (answers, exchange, site), relative to the project root."
    ).tag(config=True)
    timezone = Unicode(
        "Europe/Paris",
        help="Time zone of every time a person reads (learner pages, trainer and coordinator "
        "spaces, exports, PDFs), whatever the machine's clock is set to.",
    ).tag(config=True)


class Project:
    """One project folder and its configuration; the entry point of the library API."""

    def __init__(self, root: Path | str | None = None, config: Config | None = None):
        self.root = Path(root).resolve() if root else find_root()
        if not (self.root / CONFIG_FILE).is_file():
            raise ProjectNotFound(
                f"Je ne trouve pas le dossier du projet : {self.root} ne contient pas {CONFIG_FILE}."
            )
        self.config = config if config is not None else load_config(self.root)
        self.settings = CourseSettings(config=self.config)
        from course.core import french

        try:
            french.use_zone(self.settings.timezone)
        except ValueError as error:
            raise UserError(f"{error} (c.CourseSettings.timezone, {CONFIG_FILE})") from None

    @property
    def modules_dir(self) -> Path:
        return self.root / self.settings.modules_dir

    @property
    def data_dir(self) -> Path:
        return self.root / self.settings.data_dir

    @property
    def learners_dir(self) -> Path:
        """Every learner's own folder: `learners/<learner_id>/`."""
        return self.data_dir / "learners"

    def learner_dir(self, learner_id: str) -> Path:
        """One learner's folder (their CV, one workspace per module); refuses unsafe ids."""
        from course.core.ids import check_learner_id

        return self.learners_dir / check_learner_id(learner_id)

    def workspace(self, learner_id: str, module_id: str) -> Path:
        """Where a learner's answers to one module live: the only place this path is built.

        It is also the folder nbgrader's exchange copies on submission (the assignment folder).
        """
        return self.learner_dir(learner_id) / module_id

    @cached_property
    def layout(self) -> Layout:
        """nbgrader's folders for each step, asked from its `CourseDirectory` (see coursedir)."""
        from course.coursedir import layout

        return layout(self.config, self.data_dir)

    def roster(self) -> Roster:
        """The group, with the sign-in limits of nbgrader_config.py (`c.Roster`)."""
        from course.access.roster import Roster

        return Roster(self.data_dir, config=self.config)

    def workshops(self) -> WorkshopBook:
        """The workshops database (`c.WorkshopSettings.db_url`; default `var/ateliers.sqlite`)."""
        from course.workshops import WorkshopBook

        return WorkshopBook(self.data_dir, config=self.config)

    @property
    def course_dir(self) -> Path:
        return Path(self.config.CourseDirectory.root)

    @property
    def course_id(self) -> str:
        return str(self.config.CourseDirectory.course_id)

    @property
    def exchange_dir(self) -> Path:
        return Path(self.config.Exchange.root)

    @cached_property
    def catalogue(self) -> Catalogue:
        """The modules (imported lazily: a grade cell must stay light)."""
        from course.content.catalogue import Catalogue

        return Catalogue.load(self.modules_dir)
