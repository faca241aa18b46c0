"""A learner working on one module: the API the widgets call, and the tests too.

Answers are checked against the module's questions before they are stored, so a forged widget
message cannot write arbitrary keys into a learner's file.
"""

from __future__ import annotations

from dataclasses import dataclass

from course.answers.store import (
    ANSWERS_FILE,
    LESSON_FILE,
    Answer,
    AnswerStore,
    check_learner_id,
    clean_answer,
    is_empty,
)
from course.content.catalogue import Module
from course.settings import Project

__all__ = ["LESSON_FILE", "LearnerSession", "Summary"]


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

    def answer(self, question_id: str, value: Answer) -> None:
        """Record an evaluation answer (persisted before returning)."""
        if question_id not in {q.id for q in self.module.questions}:
            raise KeyError(f"Unknown question {question_id!r} in {self.module.id}")
        cleaned = clean_answer(value)
        if cleaned is None:
            raise TypeError("An answer is a string or a list of strings")
        self.store.set(question_id, cleaned)

    def practice(self, question_id: str, value: Answer) -> None:
        """Record a lesson answer, so the lesson resumes where the learner was."""
        if question_id not in {q.id for q in self.module.practice_questions}:
            raise KeyError(f"Unknown practice question {question_id!r} in {self.module.id}")
        self.lesson_store.set(question_id, value)

    def summary(self) -> Summary:
        answers = self.store.answers
        answered: list[str] = []
        empty: list[str] = []
        for q in self.module.questions:
            (empty if is_empty(answers.get(q.id)) else answered).append(q.id)
        return Summary(answered, empty)

    def submit(self) -> str:
        from course.trainer.submission import submit

        return submit(self.project, self.module, self.learner_id)
