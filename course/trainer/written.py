"""Grading written answers (« libre » questions) by a person, straight into nbgrader's gradebook.

The score goes to the grade's `manual_score` and the comment to the cell's `manual_comment`,
exactly where formgrader writes them: formgrader, our exports and the learner's results
(`course.trainer.feedback`, which reads comments through `course.coordinator.results`) agree.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from course.answers.grade_cell import read_answers
from course.answers.released import answer_text
from course.content.catalogue import Module, Question
from course.coordinator.results import gradebook_url, submissions
from course.core.errors import UserError
from course.core.french import markdown_html, points_text
from course.settings import Project

NOTEBOOK = "evaluation"
MAX_COMMENT = 2000


class GradingError(UserError, ValueError):
    """A score or comment refused; the message is French."""


@dataclass
class WrittenAnswer:
    learner_id: str
    name: str
    question: Question
    answer: str
    score: float | None  # None: not graded yet
    comment: str

    @property
    def key(self) -> str:
        return f"{self.learner_id}--{self.question.id}"


@dataclass
class QuestionToGrade:
    """One written question of the grading page: what is expected, shown once, then every
    learner's answer to it."""

    number: int  # its place in the evaluation, from 1
    question: Question
    expected_html: str
    answers: list[WrittenAnswer] = field(default_factory=list)


_TO_LEARNER = re.compile(r"\b(vous|vos|votre)\b|!\s*$", re.IGNORECASE)


def for_trainer(explanation: str) -> str:
    """The expected answer as the trainer needs it: the explanation the learner reads with
    their results, without its closing words to the learner (the sentences after the last list
    that speak to them, « Merci de les partager ! »)."""
    paragraphs = explanation.strip().split("\n\n")
    last_list = max(
        (i for i, p in enumerate(paragraphs) if p.lstrip().startswith(("- ", "* ", "1."))),
        default=-1,
    )
    kept = paragraphs[: last_list + 1]
    for paragraph in paragraphs[last_list + 1 :]:
        sentences = re.split(r"(?<=[.!?])\s+", paragraph.strip())
        text = " ".join(s for s in sentences if not _TO_LEARNER.search(s))
        if text:
            kept.append(text)
    return "\n\n".join(kept)


def by_question(module: Module, answers: list[WrittenAnswer]) -> list[QuestionToGrade]:
    """The answers grouped by question, in the evaluation's order (questions with no answer
    collected are left out)."""
    numbers = {q.id: n for n, q in enumerate(module.questions, 1)}
    groups = {
        q.id: QuestionToGrade(numbers[q.id], q, markdown_html(for_trainer(q.explanation)))
        for q in written_questions(module)
    }
    for answer in sorted(answers, key=lambda a: a.name.casefold()):
        groups[answer.question.id].answers.append(answer)
    return [g for g in groups.values() if g.answers]


def written_questions(module: Module) -> list[Question]:
    return [q for q in module.questions if not q.autograded]


def written_answers(
    project: Project, module: Module, learner_ids: list[str] | None = None
) -> list[WrittenAnswer]:
    """Every collected written answer to grade (or graded), learner by learner."""
    names = {lr.id: lr.name for lr in project.roster().learners()}
    questions = written_questions(module)
    found = []
    for sub in submissions(project, module):
        if learner_ids is not None and sub.learner_id not in learner_ids:
            continue
        answers = read_answers(project.layout.path("autograded", sub.learner_id, module.id))
        for q in questions:
            result = sub.questions.get(q.id)
            if result is None:
                continue
            found.append(
                WrittenAnswer(
                    learner_id=sub.learner_id,
                    name=names.get(sub.learner_id, sub.learner_id),
                    question=q,
                    answer=answer_text(answers.get(q.id)),
                    score=result.score,
                    comment=result.comment,
                )
            )
    return found


def parse_score(value: str, question: Question) -> float:
    try:
        score = float(str(value).replace(",", ".").strip())
    except ValueError:
        raise GradingError("La note doit être un nombre, par exemple 1 ou 1,5.") from None
    if not 0 <= score <= question.points:
        raise GradingError(f"La note doit être entre 0 et {points_text(question.points)}.")
    return score


def save_grade(
    project: Project, module: Module, learner_id: str, question_id: str, score: str, comment: str
) -> None:
    """Record a person's score and comment for one written answer in the gradebook."""
    from nbgrader.api import Gradebook, MissingEntry

    question = next((q for q in written_questions(module) if q.id == question_id), None)
    if question is None:
        raise GradingError("Cette question n'est pas une réponse rédigée de ce module.")
    points = parse_score(score, question)
    comment = str(comment or "").strip()
    if len(comment) > MAX_COMMENT:
        raise GradingError(f"Le commentaire est trop long : {MAX_COMMENT} caractères au plus.")
    try:
        with Gradebook(gradebook_url(project)) as gb:
            grade = gb.find_grade(question_id, NOTEBOOK, module.id, learner_id)
            grade.manual_score = points
            found = gb.find_comment(question_id, NOTEBOOK, module.id, learner_id)
            found.manual_comment = comment
            gb.db.commit()
    except MissingEntry:
        raise GradingError("Cette évaluation n'est pas encore corrigée automatiquement.") from None
