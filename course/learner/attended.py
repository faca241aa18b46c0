"""Who attended a workshop: those the trainer marked present, and those who worked in it.

Attestations and the trainer's results book follow it, so a person enrolled who never came gets
no attestation. Working counts as coming, for a trainer who forgot to mark presence: an answer
a lesson exercise or released results kept for one of the workshop's modules, or a sign-in on the workshop's day
(Paris time).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from course.access.presence import last_seen
from course.answers.released import RESULTS_FILE
from course.answers.store import ANSWERS_FILE, LESSON_FILE
from course.core import french

if TYPE_CHECKING:
    from course.settings import Project
    from course.workshops import Workshop

NOBODY = (
    "Personne n'est marqué présent à cet atelier, et personne n'y a travaillé : marquez d'abord "
    "qui est venu (page « Le groupe et les cartes », partie « Qui est venu ? »)."
)


def worked(project: Project, workshop: Workshop, learner_id: str) -> bool:
    """Whether the learner left a trace of this workshop: answers, exercises, a sign-in that day."""
    for module_id in workshop.module_ids:
        folder = project.workspace(learner_id, module_id)
        if any((folder / name).is_file() for name in (ANSWERS_FILE, LESSON_FILE, RESULTS_FILE)):
            return True
    seen = last_seen(project.data_dir, learner_id)
    return seen is not None and french.local(seen).date() == workshop.day


def attended(project: Project, workshop: Workshop) -> list[str]:
    """The group's ids who came (marked present, or who worked), in the group's order."""
    present = set(workshop.present_ids)
    return [i for i in workshop.learner_ids if i in present or worked(project, workshop, i)]
