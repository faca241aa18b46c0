"""What a learner gets back once the trainer releases results: one JSON file next to their
answers (`<workspace>/results.json`).

The trainer's side writes it from nbgrader's gradebook when results are released
(`course.trainer.feedback.generate_feedback`); the learner's results page reads it without
importing nbgrader (learner kernels stay light). It holds only what is the learner's own: their
answer, the verdict, the points and the trainer's comment; the question, its situation and its
explanation come from the module, so a corrected typo in a module shows everywhere.

The verdicts are the same for the page, its PDF and the feedback HTML (each question's kind
gives it, `course.answers.kinds`):
« Bonne réponse », « En partie juste » (a QCM with some right boxes: no point, Pix's rule stays,
but the learner sees what was right), « Ce n'est pas la bonne réponse », « Vous n'avez pas
répondu », a written answer « notée » by the trainer, or still waiting for them.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from course.answers.store import Answer
from course.core.files import atomic_write
from course.core.french import points_text

RESULTS_FILE = "results.json"
NO_ANSWER = "(pas de réponse)"
FORMAT_VERSION = 1

VERDICTS = {
    "right": "Bonne réponse",
    "partial": "En partie juste",
    "wrong": "Ce n'est pas la bonne réponse",
    "empty": "Vous n'avez pas répondu",
    "graded": "Réponse notée par la personne qui anime l'atelier",
    "pending": "En attente de correction",
}


@dataclass
class QuestionOutcome:
    question_id: str
    verdict: str  # a key of VERDICTS
    score: float | None  # None: a written answer still waiting for the trainer
    points: float
    answer: Answer | None = None
    right_choices: list[str] = field(default_factory=list)  # QCM: the ticked boxes that were right
    comment: str = ""  # the trainer's comment (written answers, from the gradebook)

    @property
    def verdict_text(self) -> str:
        return VERDICTS.get(self.verdict, VERDICTS["wrong"])

    @property
    def verdict_sentence(self) -> str:
        """The verdict as every results view says it, with the points a person gave."""
        if self.verdict == "graded" and self.score is not None:
            return f"{self.verdict_text} : {points_text(self.score)} sur {points_text(self.points)}"
        return self.verdict_text


@dataclass
class ReleasedResults:
    module_id: str
    released: str  # ISO date-time (UTC) of the release
    score: float
    max_score: float
    pending: bool
    questions: list[QuestionOutcome] = field(default_factory=list)
    # Whose results: the order this learner saw each question's choices in is drawn from it
    # (course.answers.kinds.choices.display_order); "" for results released before it was kept.
    learner: str = ""

    def outcome(self, question_id: str) -> QuestionOutcome | None:
        return next((q for q in self.questions if q.question_id == question_id), None)

    def to_json(self) -> str:
        data = {"format": FORMAT_VERSION, **asdict(self)}
        return json.dumps(data, ensure_ascii=False, indent=1) + "\n"

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> ReleasedResults:
        questions = [QuestionOutcome(**q) for q in data.get("questions", [])]
        return cls(
            module_id=str(data["module_id"]),
            released=str(data.get("released", "")),
            score=float(data.get("score", 0.0)),
            max_score=float(data.get("max_score", 0.0)),
            pending=bool(data.get("pending", False)),
            questions=questions,
            learner=str(data.get("learner", "")),
        )


def answer_text(answer: Answer | None) -> str:
    """A learner's answer on one line, « (pas de réponse) » when there is none."""
    if isinstance(answer, list):
        answer = " ; ".join(a for a in answer if a.strip())
    return answer.strip() if answer and answer.strip() else NO_ANSWER


def write_results(workspace: Path, results: ReleasedResults) -> Path:
    path = workspace / RESULTS_FILE
    atomic_write(path, results.to_json())
    return path


def read_results(workspace: Path) -> ReleasedResults | None:
    """The released results, or None before release (or if the file is damaged: the trainer
    releases again, nothing of the learner's is lost since answers live in answers.json)."""
    try:
        data = json.loads((workspace / RESULTS_FILE).read_text(encoding="utf-8"))
        return ReleasedResults.from_dict(data)
    except (OSError, ValueError, KeyError, TypeError):
        return None
