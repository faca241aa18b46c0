"""A learner working on one module: the API the widgets call, and the tests too.

Answers are checked against the module's questions before they are stored, so a forged widget
message cannot write arbitrary keys into a learner's file, and against their question's type
(`course.answers.answer_rules`), so it cannot store a choice that is not offered or a novel.
Once the trainer has collected the evaluation, the kernel itself refuses every change.
"""

from __future__ import annotations

from dataclasses import dataclass

from course.answers.answer_rules import AnswerRefused, check_answer
from course.answers.store import ANSWERS_FILE, LESSON_FILE, AnswerStore, is_empty
from course.content.catalogue import Module
from course.core.ids import check_learner_id
from course.settings import Project

__all__ = ["COLLECTED", "LESSON_FILE", "LearnerSession", "Summary"]

COLLECTED = "Vos réponses ont été ramassées pour la correction. Vous ne pouvez plus les changer."


@dataclass
class Summary:
    answered: list[str]
    empty: list[str]


class LearnerSession:
    def __init__(self, project: Project, module: Module, learner_id: str):
        self.project = project
        self.module = module
        self.learner_id = check_learner_id(learner_id)
        self.workspace = project.workspace(learner_id, module.id)
        self.store = AnswerStore(self.workspace / ANSWERS_FILE)
        self.lesson_store = AnswerStore(self.workspace / LESSON_FILE)

    def answer(self, question_id: str, value: object) -> None:
        """Record an evaluation answer (persisted before returning); AnswerRefused (French)
        for an answer its question cannot have, or once the evaluation is collected."""
        question = next((q for q in self.module.questions if q.id == question_id), None)
        if question is None:
            raise KeyError(f"Unknown question {question_id!r} in {self.module.id}")
        cleaned = check_answer(question, value)
        from course.trainer.submission import is_collected

        if is_collected(self.project, self.module, self.learner_id):
            raise AnswerRefused(COLLECTED)
        self.store.set(question_id, cleaned)

    def practice(self, question_id: str, value: object) -> None:
        """Record a lesson answer, so the lesson resumes where the learner was."""
        question = next((q for q in self.module.practice_questions if q.id == question_id), None)
        if question is None:
            raise KeyError(f"Unknown practice question {question_id!r} in {self.module.id}")
        self.lesson_store.set(question_id, check_answer(question, value))

    def summary(self) -> Summary:
        self.store = AnswerStore(self.store.path)  # as on disk: other tabs may have answered
        answers = self.store.answers
        answered: list[str] = []
        empty: list[str] = []
        for q in self.module.questions:
            (empty if is_empty(answers.get(q.id)) else answered).append(q.id)
        return Summary(answered, empty)

    def submit(self) -> str:
        from course.trainer.submission import submit

        return submit(self.project, self.module, self.learner_id)
