"""The trainer's debrief after an evaluation: what the group answered to each question (how many
chose each choice, the short answers most often typed), and each learner's answers with their
points, question by question.

Read from the collected answers nbgrader graded (`autograded/…/answers.json`) and the gradebook
(`course.coordinator.results.submissions`), limited to the workshop's group: what the results
page's figures are made of, so the trainer can go back over the questions that went wrong.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from course.answers.grade_cell import read_answers
from course.answers.released import answer_text
from course.answers.store import is_empty
from course.content.catalogue import Module, Question
from course.coordinator.results import submissions
from course.settings import Project
from course.workshops import Workshop

TYPICAL = 5  # short answers shown per question, most frequent first


@dataclass
class Choice:
    text: str
    count: int
    right: bool  # one of the expected answers


@dataclass
class QuestionDebrief:
    number: int
    question: Question
    answered: int = 0
    blank: int = 0
    choices: list[Choice] = field(default_factory=list)  # choice questions
    typical: list[tuple[str, int]] = field(default_factory=list)  # short answers, with counts
    others: int = 0  # short answers typed by one person only beyond the typical ones

    @property
    def is_choice(self) -> bool:
        return bool(self.question.choices)


@dataclass
class AnswerLine:
    number: int
    prompt: str
    answer: str
    points: str  # « 1 sur 2 », « à noter »


@dataclass
class LearnerDetail:
    name: str
    lines: list[AnswerLine] = field(default_factory=list)


@dataclass
class Debrief:
    questions: list[QuestionDebrief] = field(default_factory=list)
    learners: list[LearnerDetail] = field(default_factory=list)


def _normalised(text: str) -> str:
    return " ".join(text.split()).casefold()


def debrief(project: Project, workshop: Workshop, module: Module) -> Debrief:
    from course.core.french import points_text

    names = {lr.id: lr.name for lr in project.roster().learners()}
    subs = [s for s in submissions(project, module) if s.learner_id in workshop.learner_ids]
    answers: dict[str, dict[str, Any]] = {
        s.learner_id: read_answers(project.layout.path("autograded", s.learner_id, module.id))
        for s in subs
    }
    found = Debrief()
    for number, q in enumerate(module.questions, 1):
        given = [answers[s.learner_id].get(q.id) for s in subs]
        item = QuestionDebrief(number, q)
        item.blank = sum(1 for a in given if is_empty(a))
        item.answered = len(given) - item.blank
        filled = [a for a in given if not is_empty(a)]
        if q.choices:
            chosen: Counter[str] = Counter()
            for a in filled:  # one choice (a string) or several (a list)
                chosen.update([a] if isinstance(a, str) else [str(c) for c in a or ()])
            item.choices = [Choice(c, chosen[c], c in q.answer) for c in q.choices]
        elif q.autograded:  # short answers: the same words typed by several people, first
            typed: Counter[str] = Counter()
            shown: dict[str, str] = {}
            for a in filled:
                text = answer_text(a)
                shown.setdefault(_normalised(text), text)
                typed[_normalised(text)] += 1
            common = typed.most_common(TYPICAL)
            item.typical = [(shown[key], count) for key, count in common]
            item.others = sum(typed.values()) - sum(count for _key, count in common)
        found.questions.append(item)
    for sub in sorted(subs, key=lambda s: names.get(s.learner_id, s.learner_id).casefold()):
        person = LearnerDetail(names.get(sub.learner_id, sub.learner_id))
        for number, q in enumerate(module.questions, 1):
            result = sub.questions.get(q.id)
            if result is None:
                continue
            score = "à noter" if result.score is None else (
                f"{points_text(result.score)} sur {points_text(result.max_score)}"
            )  # fmt: skip
            person.lines.append(
                AnswerLine(number, q.prompt, answer_text(answers[sub.learner_id].get(q.id)), score)
            )
        found.learners.append(person)
    return found
