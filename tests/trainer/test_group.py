"""One truth per person: enrolling, renaming and removing follow in the roster, nbgrader's
gradebook, the workshops and the learner's folder (a real gradebook, no browser)."""

from __future__ import annotations

from datetime import date

import pytest
from nbgrader.api import Gradebook

from course.coordinator.results import gradebook_url
from course.trainer import group


def students(project) -> dict[str, str]:
    with Gradebook(gradebook_url(project)) as gb:
        return {s.id: s.first_name for s in gb.students}


def test_enrolling_makes_an_nbgrader_student_and_asks_about_a_known_first_name(essai_project):
    book = essai_project.workshops()
    workshop = book.create("Essai", date(2026, 12, 2), ["essai"])
    helene, code = group.enrol(essai_project, "  Hélène ", workshop.id)
    assert helene.id == "helene" and code and students(essai_project) == {"helene": "Hélène"}
    with pytest.raises(group.SameName, match="Hélène est déjà dans le groupe : même personne ?"):
        group.enrol(essai_project, "helene", workshop.id)
    same, no_code = group.enrol(essai_project, "Hélène", workshop.id, same_person=True)
    assert same == helene and no_code is None
    other, _ = group.enrol(essai_project, "Hélène", workshop.id, same_person=False)
    assert other.id == "helene-2"
    assert book.get(workshop.id).learner_ids == ["helene", "helene-2"]
    for bad in ("", "   ", "x" * 500, "🙂", "../", "\x00\x01"):
        with pytest.raises(group.GroupError):
            group.enrol(essai_project, bad)


def test_renaming_and_forgetting_follow_everywhere(essai_project):
    book = essai_project.workshops()
    workshop = book.create("Essai", date(2026, 12, 2), ["essai"])
    paul, code = group.enrol(essai_project, "Paul", workshop.id)
    essai_project.workspace("paul", "essai").mkdir(parents=True)
    paulo = group.rename(essai_project, "paul", "Paulo")
    assert paulo.id == "paulo" and essai_project.workspace("paulo", "essai").is_dir()
    assert not (essai_project.learners_dir / "paul").exists()
    assert students(essai_project) == {"paulo": "Paulo"}
    assert book.get(workshop.id).learner_ids == ["paulo"]
    assert essai_project.roster().sign_in("Paulo", code).id == "paulo"  # the code stays
    assert group.rename(essai_project, "paulo", "PAULO").id == "paulo"  # case only: same id
    group.enrol(essai_project, "Anne", workshop.id)
    with pytest.raises(group.GroupError, match="Anne est déjà dans le groupe"):
        group.rename(essai_project, "paulo", "Anne")
    assert group.leave_workshop(essai_project, workshop.id, "paulo")  # in no other group
    assert "paulo" not in students(essai_project)
    assert [lr.id for lr in essai_project.roster().learners()] == ["anne"]
    assert not (essai_project.learners_dir / "paulo").exists()
