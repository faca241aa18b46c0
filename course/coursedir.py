"""Where nbgrader keeps each step's files, asked from nbgrader's own `CourseDirectory`.

nbgrader decides its folders (`c.CourseDirectory.submitted_directory`, `directory_structure`,
`root`…), so we never retype `assessments/submitted/<learner>/<module>`: `Layout` holds the
templates `CourseDirectory.format_path` gives for every step, with placeholders for the learner
and the module.

Importing nbgrader costs about 5 s of CPU (it pulls nbconvert, jsonschema and SQLAlchemy), far
too much for a learner's page, which starts a fresh kernel on every view
(`tests/learner/test_page_imports.py`). So the layout is also kept in
`<data_dir>/nbgrader-layout.json`, keyed by the `CourseDirectory` configuration it came from:
trainer commands and `course serve` write it, and a kernel reads it, asking nbgrader itself only
when the file is missing or was made from another configuration.
"""

from __future__ import annotations

import glob
import hashlib
import json
import os
import re
from dataclasses import dataclass
from pathlib import Path

from traitlets.config import Config

from course.core.files import atomic_write
from course.core.ids import check_learner_id

STEPS = ("source", "release", "submitted", "autograded", "feedback")
LEARNER = "<learner_id>"  # placeholders: learner ids and module ids never contain < or >
MODULE = "<module_id>"
CACHE_FILE = "nbgrader-layout.json"


@dataclass(frozen=True)
class Layout:
    """nbgrader's path of each step, as `format_path` templates."""

    templates: dict[str, str]

    def path(self, step: str, learner_id: str, module_id: str) -> Path:
        """`CourseDirectory.format_path(<step>_directory, learner_id, module_id)`."""
        check_learner_id(learner_id)
        return Path(self.templates[step].replace(LEARNER, learner_id).replace(MODULE, module_id))

    def assignment_path(self, step: str, module_id: str) -> Path:
        """A step that belongs to no learner (source, release): nbgrader's student id ".".

        `os.path.normpath` removes the "." as nbgrader's own `os.path.join` leaves it harmless.
        """
        path = self.templates[step].replace(LEARNER, ".").replace(MODULE, module_id)
        return Path(os.path.normpath(path))

    def step_root(self, step: str) -> Path:
        """The folder holding every learner's files of one step (for messages to the trainer)."""
        parts = Path(self.templates[step]).parts
        cut = min(i for i, p in enumerate(parts) if LEARNER in p or MODULE in p)
        return Path(*parts[:cut])

    def learners(self, step: str, module_id: str) -> list[str]:
        """Ids of the learners who have a folder for `module_id` at this step."""
        template = self.templates[step].replace(MODULE, module_id)
        pattern = re.escape(template).replace(re.escape(LEARNER), "([^/]+)")
        found = glob.glob(glob.escape(template).replace(glob.escape(LEARNER), "*"))
        ids = []
        for path in found:
            match = re.fullmatch(pattern, path)
            if match and Path(path).is_dir():
                ids.append(match.group(1))
        return sorted(set(ids))


def _key(config: Config) -> str:
    import importlib.metadata

    section = dict(config.get("CourseDirectory", {}))
    blob = json.dumps(
        [importlib.metadata.version("nbgrader"), sorted((k, str(v)) for k, v in section.items())]
    )
    return hashlib.sha256(blob.encode()).hexdigest()


def ask_nbgrader(config: Config) -> Layout:
    """The layout from nbgrader itself (imports nbgrader: trainer side only)."""
    from nbgrader.coursedir import CourseDirectory

    coursedir = CourseDirectory(config=config)
    return Layout(
        {
            step: coursedir.format_path(getattr(coursedir, f"{step}_directory"), LEARNER, MODULE)
            for step in STEPS
        }
    )


def layout(config: Config, data_dir: Path) -> Layout:
    """The layout for `config`, from the cache file when it was made from the same settings."""
    cache = data_dir / CACHE_FILE
    key = _key(config)
    try:
        saved = json.loads(cache.read_text(encoding="utf-8"))
        if saved.get("key") == key and set(saved.get("templates", {})) == set(STEPS):
            return Layout(dict(saved["templates"]))
    except (OSError, ValueError, AttributeError):
        pass  # missing or damaged: ask nbgrader again
    found = ask_nbgrader(config)
    try:
        text = json.dumps({"key": key, "templates": found.templates}, indent=1)
        atomic_write(cache, text + "\n")
    except OSError:
        pass  # a read-only data folder only costs the next kernel the same question
    return found
