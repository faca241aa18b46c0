"""The group, one truth per person: the roster, nbgrader's students, the workshops, the folders.

Enrolling a learner adds them to the roster (a first name and a code) and to nbgrader's
gradebook as a student (`update_or_create_student`, their first name as `first_name`), so
formgrader, our exports and the coordinator see the same people. Renaming and removing follow
everywhere: roster, gradebook, every workshop's group (`WorkshopBook.rename_learner`,
`forget_learner`) and the learner's folder under `var/learners/`.

A first name already enrolled is not silently numbered (`helene-2`): `enrol` raises
`SameName`, whose message asks the trainer, and is called again with `same_person` set.
"""

from __future__ import annotations

import re
import shutil
import unicodedata
from typing import Any

from course.access.roster import Learner, slugify
from course.core.errors import UserError
from course.settings import Project

MAX_NAME = 60


class GroupError(UserError, ValueError):
    """Refused; the message is French, for the trainer's page or terminal."""


class SameName(GroupError):
    """This first name is already enrolled: the trainer must say whether it is the same person."""

    def __init__(self, name: str, existing: list[Learner]):
        who = existing[0].name
        super().__init__(f"{who} est déjà dans le groupe : même personne ?")
        self.name = name
        self.existing = existing


def clean_name(name: object) -> str:
    """A first name as typed, trimmed; refuses empty, too long, or one without any letter."""
    text = unicodedata.normalize("NFC", str(name or ""))
    text = "".join(ch for ch in text if unicodedata.category(ch)[0] != "C")
    text = " ".join(text.split())
    if not text:
        raise GroupError("Le prénom est vide.")
    if len(text) > MAX_NAME:
        raise GroupError(f"Le prénom est trop long : {MAX_NAME} caractères au plus.")
    if slugify(text) == "apprenant" and "apprenant" not in text.casefold():
        raise GroupError(
            "Le prénom doit contenir au moins une lettre ou un chiffre (sans émoji seul)."
        )
    return text


def _gradebook(project: Project) -> Any:
    from nbgrader.api import Gradebook

    from course.coordinator.results import gradebook_url
    from course.trainer.nbgrader_setup import ensure_tools_on_path

    ensure_tools_on_path()
    project.course_dir.mkdir(parents=True, exist_ok=True)
    return Gradebook(gradebook_url(project))


def sync_student(project: Project, learner: Learner) -> None:
    """The learner as nbgrader's student (same id, their first name)."""
    from course.trainer.permissions import secure_gradebook

    with _gradebook(project) as gb:
        gb.update_or_create_student(learner.id, first_name=learner.name)
    secure_gradebook(project)


def enrol(
    project: Project, name: str, workshop_id: int | None = None, same_person: bool | None = None
) -> tuple[Learner, str | None]:
    """Enrol `name` (in a workshop's group when given); returns the learner and their new code
    (None when `same_person` picked an already enrolled learner, whose code is unchanged).

    `same_person`: None asks (raises `SameName` if the first name exists); True reuses the
    existing learner; False enrols a second person of that name (`helene-2`).
    """
    name = clean_name(name)
    roster = project.roster()
    existing = roster.same_name(name)
    code: str | None = None
    if existing and same_person is None:
        raise SameName(name, existing)
    if existing and same_person:
        learner = existing[0]
    else:
        learner, code = roster.add(name)
    sync_student(project, learner)
    if workshop_id is not None:
        project.workshops().add_learners(workshop_id, [learner.id])
    return learner, code


def has_graded_work(project: Project, learner_id: str) -> bool:
    """nbgrader already holds something under this id (a submission, a collected copy)."""
    layout = project.layout
    for step in ("submitted", "autograded", "feedback"):
        if (layout.step_root(step) / learner_id).exists():
            return True
    inbound = project.exchange_dir / project.course_id / "inbound"
    return any(inbound.glob(f"{learner_id}+*"))


def rename(project: Project, learner_id: str, new_name: str) -> Learner:
    """Another first name for a learner, followed in the gradebook, workshops and folder."""
    new_name = clean_name(new_name)
    roster = project.roster()
    if learner_id not in {lr.id for lr in roster.learners()}:
        raise GroupError("Cette personne n'est plus dans le groupe.")
    others = [lr for lr in roster.same_name(new_name) if lr.id != learner_id]
    if others:
        raise GroupError(f"{others[0].name} est déjà dans le groupe : choisissez un autre prénom.")
    keeps_id = slugify(new_name) in (learner_id, re.sub(r"-\d+$", "", learner_id))
    if not keeps_id and has_graded_work(project, learner_id):
        raise GroupError(
            "Cette personne a déjà envoyé une évaluation : son prénom la désigne dans les "
            "résultats et ne peut plus changer autant. Corrigez seulement les accents ou la "
            "casse, ou inscrivez-la sous le nouveau prénom."
        )
    learner = roster.rename(learner_id, new_name)
    if learner.id != learner_id:
        with _gradebook(project) as gb:
            try:
                gb.remove_student(learner_id)
            except Exception:  # nbgrader raises MissingEntry when never synced
                pass
        old, new = project.learners_dir / learner_id, project.learners_dir / learner.id
        if old.exists():
            shutil.move(old, new)
        project.workshops().rename_learner(learner_id, learner.id)
    sync_student(project, learner)
    return learner


def forget(project: Project, learner_id: str) -> None:
    """Remove a learner everywhere: roster, gradebook (with their grades), groups, folder."""
    roster = project.roster()
    try:
        roster.remove(learner_id)
    except KeyError:
        raise GroupError("Cette personne n'est plus dans le groupe.") from None
    with _gradebook(project) as gb:
        try:
            gb.remove_student(learner_id)
        except Exception:  # MissingEntry: never synced to the gradebook
            pass
    project.workshops().forget_learner(learner_id)
    shutil.rmtree(project.learner_dir(learner_id), ignore_errors=True)


def leave_workshop(project: Project, workshop_id: int, learner_id: str) -> bool:
    """Take a learner out of a workshop's group; forgotten entirely when in no other group and
    without graded work. Returns True when they were forgotten."""
    book = project.workshops()
    book.remove_learner(workshop_id, learner_id)
    if not book.of_learner(learner_id) and not has_graded_work(project, learner_id):
        forget(project, learner_id)
        return True
    return False
