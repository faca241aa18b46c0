"""The learner apps run by Voilà: catalogue, lesson, evaluation, results and CV pages, and the
notice on personal data.

Each served notebook is one line calling a function here. Under nbgrader's autograde the
evaluation app does nothing (`NBGRADER_EXECUTION` is set): grading reads the answers file only.
"""

from __future__ import annotations

import os


def _grading() -> bool:
    return bool(os.environ.get("NBGRADER_EXECUTION"))


def catalogue_app() -> None:
    from course.learner.pages import CataloguePage

    CataloguePage().show()


def lesson_app(module_id: str) -> None:
    from course.learner.pages import LessonPage

    LessonPage(module_id).show()


def evaluation_app(module_id: str) -> None:
    if _grading():
        return
    from course.learner.pages import EvaluationPage

    EvaluationPage(module_id).show()


def cv_app() -> None:
    from course.learner.cv.page import CVPage

    CVPage().show()


def results_app(module_id: str) -> None:
    from course.learner.pages.results import ResultsPage

    ResultsPage(module_id).show()


def privacy_app() -> None:
    from course.learner.pages.privacy import PrivacyPage

    PrivacyPage().show()
