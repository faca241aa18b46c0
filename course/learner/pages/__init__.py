"""Page layouts for the learner apps, built from ipywidgets and our accessible controls.

Every page first finds out who the learner is (a signed personal link, or a first name and code
typed in a form) and only then reads or writes that learner's files.

The forms and buttons a learner uses are plain HTML controls drawn by small anywidgets
(`course/learner/static/page.js`, `course/learner/static/question.js`): real labels, real buttons with text, a
confirmation panel that takes the focus. ipywidgets lay the page out and show text; the CV
builder's text fields and a few buttons (results page, attestation, CV: `controls._button`,
named by their text, in our colours) are ipywidgets too.
"""

from course.learner.pages.base import Page
from course.learner.pages.catalogue import CataloguePage
from course.learner.pages.controls import (
    PAGE_ERROR_MARK,
    _button,
    _html,
    _query_string,
    log_page_error,
)
from course.learner.pages.evaluation import EvaluationPage
from course.learner.pages.lesson import LessonPage, ModulePage
from course.learner.pages.results import ResultsPage

__all__ = [
    "PAGE_ERROR_MARK",
    "CataloguePage",
    "EvaluationPage",
    "LessonPage",
    "ModulePage",
    "Page",
    "ResultsPage",
    "_button",
    "_html",
    "_query_string",
    "log_page_error",
]
