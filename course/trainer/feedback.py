"""Feedback for the learner, in French: each question, their answer, right or wrong, why.

nbgrader's feedback HTML shows grading code and hidden tests (docs/architecture.md, « Hidden tests »), so we write
our own page from the gradebook's scores, the learner's answers file and the module's
explanations, into nbgrader's `feedback/` folder, where `release_feedback` picks it up.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from jinja2 import Environment, PackageLoader, select_autoescape

from course.answers.grade_cell import read_answers
from course.content.catalogue import Module
from course.coordinator.results import Submission, submissions
from course.settings import Project
from course.trainer.nbgrader_setup import api, check_result
from course.trainer.workflow import Progress, _quiet

EMPTY = "(pas de réponse)"


def _points(value: float) -> str:
    return f"{value:g}".replace(".", ",")


def _env() -> Environment:
    env = Environment(
        loader=PackageLoader("course.trainer", "templates"),
        autoescape=select_autoescape(["html", "j2"], default_for_string=True),
    )
    env.filters["points"] = _points
    return env


def _answer_text(answer) -> str:
    if answer is None:
        return EMPTY
    if isinstance(answer, list):
        return " ; ".join(a for a in answer if a.strip()) or EMPTY
    return answer.strip() or EMPTY


def render_feedback(module: Module, submission: Submission, answers: dict, name: str) -> str:
    items = []
    for q in module.questions:
        result = submission.questions.get(q.id)
        score = result.score if result else 0.0
        if score is None:
            status, verdict = "pending", "En attente de correction."
        elif score >= q.points:
            status, verdict = "right", "✔ Bonne réponse."
        elif q.type == "libre" and score > 0:
            status, verdict = "right", f"✔ Réponse notée {_points(score)} sur {_points(q.points)}."
        else:
            status, verdict = "wrong", "✘ Ce n'est pas la bonne réponse. Lisez l'explication."
        sources = [module.source(s) for s in q.sources]
        items.append(
            {
                "question": q,
                "answer_text": _answer_text(answers.get(q.id)),
                "status": status,
                "verdict": verdict,
                "sources": sources,
            }
        )
    return (
        _env()
        .get_template("feedback.html.j2")
        .render(
            module=module,
            learner_name=name,
            score=submission.score,
            max_score=submission.max_score,
            pending=submission.needs_manual_grade,
            items=items,
        )
    )


def generate_feedback(project: Project, module: Module, progress: Progress = _quiet) -> list[Path]:
    """Write one French feedback page per graded learner and release them through nbgrader."""
    names = {learner.id: learner.name for learner in project.roster().learners()}
    written = []
    for sub in submissions(project, module):
        progress(f"Retour pour {sub.learner_id}")
        autograded = project.layout.path("autograded", sub.learner_id, module.id)
        answers = read_answers(autograded)
        html = render_feedback(module, sub, answers, names.get(sub.learner_id, sub.learner_id))
        path = project.layout.path("feedback", sub.learner_id, module.id) / "evaluation.html"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(html, encoding="utf-8")
        # nbgrader's release_feedback matches feedback to a submission by these two files.
        for name in ("timestamp.txt", "submission_secret.txt"):
            if (autograded / name).exists():
                shutil.copyfile(autograded / name, path.parent / name)
        written.append(path)
    if written:
        progress("Mise à disposition des retours…")
        check_result(api(project).release_feedback(module.id), "La diffusion des retours a échoué.")
    return written
