"""The learner's CV file (`<learners>/<id>/cv/cv.json`): written atomically on every change,
a damaged file set aside for the trainer.
"""

from __future__ import annotations

import json
from pathlib import Path

from course.core.files import atomic_write, now_iso, read_json_mapping
from course.core.ids import check_learner_id
from course.learner.cv.cleaning import clean
from course.learner.cv.model import CV, CV_FILE, CV_FOLDER, FORMAT_VERSION

# --- Storage --------------------------------------------------------------------------------


def cv_path(learners_dir: Path | str, learner_id: str) -> Path:
    """The learner's CV file; refuses an id that could leave the learners' folder."""
    return Path(learners_dir) / check_learner_id(learner_id) / CV_FOLDER / CV_FILE


class CVStore:
    """One learner's CV answers. Every `save` is atomic and done before it returns."""

    def __init__(self, path: Path | str):
        self.path = Path(path)
        self.recovered_from: Path | None = None
        self.updated: str | None = None
        self.cv = self._load()

    @classmethod
    def for_learner(cls, project, learner_id: str) -> CVStore:
        """The store of `learner_id` in a `course.settings.Project`."""
        return cls(cv_path(project.learners_dir, learner_id))

    def _load(self) -> CV:
        data, self.recovered_from = read_json_mapping(self.path, "cv")
        if data is None:
            return CV()
        self.updated = data.get("updated") if isinstance(data.get("updated"), str) else None
        return CV.from_dict(data["cv"])

    def save(self, cv: CV) -> list[str]:
        """Clean and store `cv`; return the notes of `clean` (what was too long)."""
        cleaned, notes = clean(cv)
        self.cv = cleaned
        self.updated = now_iso()
        data = {"format": FORMAT_VERSION, "updated": self.updated, "cv": cleaned.to_dict()}
        atomic_write(self.path, json.dumps(data, ensure_ascii=False, indent=1) + "\n")
        return notes
