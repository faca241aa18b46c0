"""nbgrader decides its own folders: a trainer's `c.CourseDirectory.*_directory` and exchange
classes in nbgrader_config.py are what release, submission, collection, grading and feedback use.
"""

from __future__ import annotations

import pytest
from nbgrader.exchange.default.submit import ExchangeSubmit

from course.settings import Project
from course.trainer.feedback import generate_feedback
from course.trainer.submission import is_collected
from course.trainer.workflow import WorkflowError, collect, grade, release, submitted_learners

MODULE = "essai"
CONFIG = """
c.CourseDirectory.submitted_directory = "envoyes"
c.CourseDirectory.autograded_directory = "corriges"
c.CourseDirectory.feedback_directory = "retours"
c.ExchangeFactory.submit = "test_course_layout.CountingSubmit"
"""


class CountingSubmit(ExchangeSubmit):
    """nbgrader's own submission, counted: proves the configured exchange class is the one used."""

    started = 0

    def start(self):
        type(self).started += 1
        return super().start()


@pytest.fixture
def project_dir(essai_project):
    return essai_project.root


@pytest.fixture
def renamed(project_dir):
    with open(project_dir / "nbgrader_config.py", "a", encoding="utf-8") as fh:
        fh.write(CONFIG)
    return Project(project_dir)


def test_the_cycle_follows_the_folders_nbgrader_is_configured_with(renamed):
    from course.learner.session import LearnerSession

    project = renamed
    module = project.catalogue.get(MODULE)
    release(project, module)
    learner, _ = project.roster().add("Zoé")
    session = LearnerSession(project, module, learner.id)
    question = next(q for q in module.questions if q.type == "qcu")
    session.answer(question.id, question.answer[0])
    before = CountingSubmit.started
    session.submit()
    assert CountingSubmit.started == before + 1
    assert not is_collected(project, module, learner.id)

    assert collect(project, module) == [learner.id]
    root = project.course_dir
    assert (root / "envoyes" / learner.id / MODULE / "evaluation.ipynb").is_file()
    assert not (root / "submitted").exists()
    assert submitted_learners(project, module) == [learner.id]
    assert is_collected(project, module, learner.id)
    with pytest.raises(WorkflowError, match="déjà été ramassées"):
        session.submit()

    assert grade(project, module).graded == [learner.id]
    assert (root / "corriges" / learner.id / MODULE / "evaluation.ipynb").is_file()
    assert not (root / "autograded").exists()
    paths = generate_feedback(project, module)
    assert paths == [root / "retours" / learner.id / MODULE / "evaluation.html"]
    assert "Bonne réponse" in paths[0].read_text(encoding="utf-8")


def test_a_changed_configuration_is_asked_again_not_read_from_the_cache(renamed, project_dir):
    assert renamed.layout.path("submitted", "zoe", MODULE).parts[-3] == "envoyes"
    default = Project(project_dir, config=None)
    default.config.CourseDirectory.submitted_directory = "autre"
    assert default.layout.path("submitted", "zoe", MODULE).parts[-3] == "autre"
    # And the cache kept for learner pages now holds the latest answer.
    assert Project(project_dir).layout.path("submitted", "zoe", MODULE).parts[-3] == "envoyes"
