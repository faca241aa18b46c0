"""Results for the learner, in French: each question, their answer, the verdict, why.

Releasing results writes two things per graded learner, both from the gradebook's scores and
comments, the learner's answers and the module's explanations:

- `results.json` in the learner's workspace (`course.answers.released`), which the learner's
  results page and its PDF read inside the app;
- a French HTML page in nbgrader's `feedback/` folder, with the results page's rows and words
  (`course.learner.results_view`), where `release_feedback` picks it up
  (nbgrader's own feedback HTML shows grading code and hidden tests: docs/architecture.md,
  « Hidden tests »).
"""

from __future__ import annotations

import shutil
from pathlib import Path

from jinja2 import Environment, PackageLoader, select_autoescape
from markupsafe import Markup

from course.answers.grade_cell import read_answers
from course.answers.released import QuestionOutcome, ReleasedResults, write_results
from course.content.catalogue import Module
from course.coordinator.results import Submission, submissions
from course.core.files import PRIVATE_FILE, now_iso, private_write
from course.core.progress import Progress, quiet
from course.learner.results_view import PENDING, result_rows, row_html, score_sentence
from course.settings import Project
from course.trainer.nbgrader_setup import api, check_result


def _env() -> Environment:
    return Environment(
        loader=PackageLoader("course.trainer", "templates"),
        autoescape=select_autoescape(["html", "j2"], default_for_string=True),
    )


def released_results(module: Module, submission: Submission, answers: dict) -> ReleasedResults:
    """One learner's results as the app shows them, from the gradebook and their answers."""
    outcomes = []
    for q in module.questions:
        result = submission.questions.get(q.id)
        score = result.score if result else 0.0
        answer = answers.get(q.id)
        verdict, right = q.kind.verdict(q, answer, score)
        comment = result.comment if result else ""
        outcomes.append(QuestionOutcome(q.id, verdict, score, q.points, answer, right, comment))
    return ReleasedResults(
        module_id=module.id,
        released=now_iso(),
        score=submission.score,
        max_score=submission.max_score,
        pending=submission.needs_manual_grade,
        questions=outcomes,
        learner=submission.learner_id,
    )


def render_feedback(module: Module, results: ReleasedResults, name: str) -> str:
    """The feedback page: the results page's rows (`course.learner.results_view`), one file."""
    return (
        _env()
        .get_template("feedback.html.j2")
        .render(
            module=module,
            learner_name=name,
            score=score_sentence(results),
            pending=PENDING if results.pending else "",
            rows=[Markup(row_html(row)) for row in result_rows(module, results)],
        )
    )


def generate_feedback(project: Project, module: Module, progress: Progress = quiet) -> list[Path]:
    """Release results: for each graded learner, their `results.json` for the app and a French
    feedback page, released through nbgrader."""
    names = {learner.id: learner.name for learner in project.roster().learners()}
    written = []
    for sub in submissions(project, module):
        progress(f"Retour pour {sub.learner_id}")
        autograded = project.layout.path("autograded", sub.learner_id, module.id)
        results = released_results(module, sub, read_answers(autograded))
        write_results(project.workspace(sub.learner_id, module.id), results)
        html = render_feedback(module, results, names.get(sub.learner_id, sub.learner_id))
        path = project.layout.path("feedback", sub.learner_id, module.id) / "evaluation.html"
        private_write(path, html)  # a learner's answers and results: the owner's only
        # nbgrader's release_feedback matches feedback to a submission by these two files.
        for name in ("timestamp.txt", "submission_secret.txt"):
            if (autograded / name).exists():
                shutil.copyfile(autograded / name, path.parent / name)
                (path.parent / name).chmod(PRIVATE_FILE)
        written.append(path)
    if written:
        progress("Mise à disposition des retours…")
        check_result(api(project).release_feedback(module.id), "La diffusion des retours a échoué.")
    return written
