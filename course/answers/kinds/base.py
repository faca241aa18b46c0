"""What every question kind is asked, and the behaviour most kinds share.

A kind is the `type` of a question in a module's TOML (`qcu`, `qcm`, …). Everything that used to
switch on that string lives in the kind's own object: its French label, whether a grade cell
scores it, what its TOML must hold, its key and model answer, what an answer may be, its score,
its verdict, the sample answers `course check` and the benchmarks give, and how an answer reads
in the results. A kind sees a question through `QuestionShape` (the catalogue's `Question` has
it), so this package imports nothing of the content: grade cells and learner kernels import it.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Mapping, Sequence
from typing import Any, ClassVar, Protocol

from course.answers.store import Answer, clean_answer, is_empty

# A written sample answer (what `course check` and the benchmarks type for a written question).
WRITTEN_SAMPLE = "Je ne donne jamais mon code, j'appelle ma banque."


class QuestionShape(Protocol):
    """A question as a kind reads it (`course.content.catalogue.Question` has all of it)."""

    @property
    def id(self) -> str: ...
    @property
    def type(self) -> str: ...
    @property
    def points(self) -> float: ...
    @property
    def choices(self) -> Sequence[str]: ...
    @property
    def answer(self) -> Sequence[str]: ...
    @property
    def fields(self) -> Sequence[tuple[str, Sequence[str]]]: ...
    @property
    def scene(self) -> Mapping[str, Any]: ...


def careless(text: str) -> str:
    """The key typed the careless way: upper case, no accents, extra spaces."""
    text = "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))
    return "  " + text.upper() + " "


class QuestionKind:
    """One kind of question. Subclasses set the class attributes and override what differs.

    `name` is the TOML `type` and the key of the browser's renderer (`renderers[name]` in
    `course/learner/static/question.js`); `label` is the French name the coordinator's export
    shows; `autograded` says whether a grade cell scores it (otherwise a person does, in the
    trainer's « Corriger » page)."""

    name: ClassVar[str]
    label: ClassVar[str]
    autograded: ClassVar[bool] = True
    # Whether an answer is a list of parts (shown as a list in the results).
    several_parts: ClassVar[bool] = False
    # The TOML keys of a simulation's screen (messages, links, turns…), kept as `scene`.
    scene_keys: ClassVar[tuple[str, ...]] = ()

    def __repr__(self) -> str:
        return f"<question kind {self.name!r}>"

    # --- the module's TOML --------------------------------------------------------------------

    def problems(self, question: QuestionShape) -> list[str]:
        """What is wrong with the question's TOML for this kind, as French sentences."""
        return []

    def scene_texts(self, question: QuestionShape) -> list[tuple[str, str, bool]]:
        """(where, text, running text?) of every scene text a learner reads (`course check`
        measures them): a message's body is running text, a sender's name a label."""
        return []

    def public_scene(self, question: QuestionShape) -> dict[str, Any]:
        """What the learner's browser may know of the scene: never the right decisions."""
        return {}

    def key(self, question: QuestionShape) -> dict[str, Any]:
        """What a grade cell needs to score the question, and nothing more."""
        return {
            "id": question.id,
            "type": self.name,
            "points": question.points,
            "answer": self.key_answer(question),
        }

    def key_answer(self, question: QuestionShape) -> list:
        """The `answer` of the key: the accepted answers, as `is_correct` reads them."""
        return list(question.answer)

    def model_answer(self, question: QuestionShape) -> Any:
        """An answer that earns full marks; ValueError when only a person can say."""
        raise ValueError(f"No model answer for a {self.name!r} question")

    def accepted_texts(self, question: QuestionShape) -> list[str]:
        """Texts a learner types to be right (`course check` looks for them elsewhere)."""
        return []

    # --- a learner's answer -------------------------------------------------------------------

    def check_answer(self, question: QuestionShape, value: Any) -> Answer:
        """`value` if a learner could have given it; AnswerRefused (French) otherwise.

        An empty answer ("" or []) is always allowed: the learner may take an answer back."""
        raise NotImplementedError

    def is_correct(self, expected: Sequence, answer: Answer | None) -> bool:
        """Right or wrong (`expected`: the key's `answer`); ValueError when not autograded."""
        cleaned = clean_answer(answer)
        return cleaned is not None and not is_empty(cleaned) and self.right(expected, cleaned)

    def right(self, expected: Sequence, answer: Answer) -> bool:
        """`is_correct` for a non-empty, cleaned answer."""
        raise ValueError(f"Question type {self.name!r} is not scored automatically")

    def score(self, key: Mapping[str, Any], answer: Answer | None) -> float:
        """Points earned: the question's points when right, 0 when wrong, empty or malformed."""
        return float(key["points"]) if self.is_correct(key["answer"], answer) else 0.0

    def verdict(
        self, question: QuestionShape, answer: Answer | None, score: float | None
    ) -> tuple[str, list[str]]:
        """(verdict, right parts): a key of `course.answers.released.VERDICTS` and, for a
        partly right answer, the parts that were right."""
        if score is None:
            return "pending", []
        if is_empty(answer):
            return "empty", []
        return ("right" if score >= question.points else "wrong"), []

    def shown(self, answer: Answer | None) -> list[str]:
        """The answer as the results show it: its non-empty parts ([] means no answer)."""
        parts = answer if isinstance(answer, list) else [answer or ""]
        return [p.strip() for p in parts if isinstance(p, str) and p.strip()]

    def described(self, question: QuestionShape, answer: Answer | None) -> list[str]:
        """What the learner did, in words (results, feedback, PDF); `shown` by default."""
        return self.shown(answer)

    def feedback_lines(self, question: QuestionShape, answer: Answer | None) -> list[str]:
        """A practice answer's feedback, part by part (a simulation's messages, fields…)."""
        return []

    # --- samples of known worth (course check, nbgrader chain tests, benchmarks) ------------

    def sample_right(self, question: QuestionShape, written: str = WRITTEN_SAMPLE) -> Any:
        """The key as the module gives it."""
        return self.model_answer(question)

    def sample_careless(self, question: QuestionShape, written: str = WRITTEN_SAMPLE) -> Any:
        """The key typed carelessly where typing counts (the kind's tolerances accept it)."""
        return self.sample_right(question, written)

    def sample_wrong(self, question: QuestionShape, text: str = "réponse fausse") -> Any:
        """An answer worth nothing."""
        return text
