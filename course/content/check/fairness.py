"""Rules of `course check` about fair questions: nothing but knowing the answer should find it.

- **Position and length**: learners soon learn « the first, long answer is right ». Choices are
  shown in an order drawn per learner (`course.answers.kinds.choices.display_order`), but the
  author's habit still shows in the length, and in the TOML order the trainer's guide and the
  PDF of a module follow. A module fails when the keyed choice of its one-answer questions
  (lesson and evaluation together) sits at the same position in most of them, or is the
  longest choice in most of them.
- **Near-copies of a lesson exercise**: an evaluation question whose prompt, context and choices
  read almost word for word like an exercise tests recall of its « Vérifier », not transfer.
  Measured with rapidfuzz's `fuzz.ratio` on the normalised texts.
- **Addresses mixing « exemple » and `.example`**: a learner who « corrects » one spelling fails
  a careful-copying question for an English word.

`fairness_problems` returns French messages naming the file and the question.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from rapidfuzz import fuzz

from course.answers.kinds.choices import OneChoice
from course.answers.matching import normalize
from course.content.catalogue import Module, Question

# Below this many one-answer questions a module's positions say nothing.
MIN_QUESTIONS = 4
# A position, or « the longest », is a cue when it holds most of the one-answer questions: at
# least this many more than all the others (with two choices per question, perfect turns over
# an odd number of questions still give one position a majority of one).
MARGIN = 2
# Similarity (0-100, rapidfuzz `fuzz.ratio`) from which an evaluation question repeats an
# exercise. Two questions on the same theme with other words score about 40-60.
NEAR_COPY = 80.0
_ADDRESS = re.compile(r"[\w.+-]*@?[\w-]+(?:\.[\w-]+)*\.[a-z]{2,}\b", re.IGNORECASE)


def _one_answer(q: Question) -> bool:
    return isinstance(q.kind, OneChoice) and len(q.choices) >= 2 and len(q.answer) == 1


def _where(q: Question, module: Module) -> str:
    return "evaluation.toml" if q in module.questions else "lesson.toml"


# --- position and length of keyed answers -------------------------------------------------------


def key_position(q: Question) -> int:
    """The keyed choice's position in the TOML, from 1."""
    return q.choices.index(q.answer[0]) + 1


def key_is_longest(q: Question) -> bool:
    """The keyed choice is strictly longer (in characters) than every other choice."""
    key = q.answer[0]
    return all(len(key) > len(c) for c in q.choices if c != key)


@dataclass(frozen=True)
class KeyStatistics:
    """Where the keyed choice stands in a set of one-answer questions."""

    questions: int
    first: int  # keyed choice written first
    longest: int  # keyed choice strictly the longest
    positions: dict[int, int]  # position (from 1) -> how many questions

    def line(self, label: str) -> str:
        spread = ", ".join(f"n° {p} : {n}" for p, n in sorted(self.positions.items()))
        return (
            f"{label} : {self.questions} questions à une réponse ; bonne réponse en premier : "
            f"{self.first} ; la plus longue : {self.longest} ; positions : {spread or '-'}"
        )


def key_statistics(questions: Sequence[Question]) -> KeyStatistics:
    chosen = [q for q in questions if _one_answer(q)]
    positions = Counter(key_position(q) for q in chosen)
    return KeyStatistics(
        questions=len(chosen),
        first=positions.get(1, 0),
        longest=sum(key_is_longest(q) for q in chosen),
        positions=dict(positions),
    )


def _ids(questions: Sequence[Question]) -> str:
    shown = [f"« {q.id} »" for q in questions[:6]]
    return ", ".join(shown) + (" …" if len(questions) > 6 else "")


def _most(count: int, total: int) -> bool:
    return count - (total - count) >= MARGIN


def _cues(module: Module) -> Iterator[str]:
    chosen = [q for q in module.practice_questions + module.questions if _one_answer(q)]
    if len(chosen) < MIN_QUESTIONS:
        return
    positions = Counter(key_position(q) for q in chosen)
    position, count = positions.most_common(1)[0]
    if _most(count, len(chosen)):
        same = [q for q in chosen if key_position(q) == position]
        files = " et ".join(sorted({_where(q, module) for q in same}))
        yield (
            f"{files} : la bonne réponse est le choix n° {position} dans {count} questions à "
            f"une réponse sur {len(chosen)} ({_ids(same)}). Changez l'ordre des choix : "
            "la place de la bonne réponse ne doit rien dire."
        )
    longest = [q for q in chosen if key_is_longest(q)]
    if _most(len(longest), len(chosen)):
        files = " et ".join(sorted({_where(q, module) for q in longest}))
        yield (
            f"{files} : la bonne réponse est le choix le plus long dans {len(longest)} questions "
            f"à une réponse sur {len(chosen)} ({_ids(longest)}). Raccourcissez-la ou "
            "allongez les autres choix : la longueur ne doit rien dire."
        )


# --- evaluation questions close to a lesson exercise --------------------------------------------


def _seen(q: Question) -> str:
    """What a learner reads of a question, choices in any order, as one normalised text."""
    fields = sorted(normalize(label) for label, _ in q.fields)
    parts = [q.prompt, q.context, *sorted(map(normalize, q.choices)), *fields]
    return " ".join(normalize(p) for p in parts if p)


def similarity(a: Question, b: Question) -> float:
    """0 to 100: how close two questions read (rapidfuzz's `fuzz.ratio`)."""
    return float(fuzz.ratio(_seen(a), _seen(b)))


def _near_copies(module: Module) -> Iterator[str]:
    for q in module.questions:
        for exercise in module.practice_questions:
            score = similarity(q, exercise)
            if score >= NEAR_COPY:
                yield (
                    f"evaluation.toml, question « {q.id} » : elle reprend presque mot pour mot "
                    f"l'exercice « {exercise.id} » de la leçon (ressemblance {score:.0f} %), "
                    "dont « Vérifier » a montré la réponse. Posez la question sur un autre cas."
                )
                break


# --- addresses mixing « exemple » and .example -------------------------------------------------


def _texts(q: Question) -> Iterator[str]:
    yield from (q.prompt, q.context, *q.choices, *q.details, *q.answer, q.explanation)
    for label, accepted in q.fields:
        yield label
        yield from accepted


def _mixed_addresses(module: Module) -> Iterator[str]:
    for q in module.practice_questions + module.questions:
        found = sorted(
            {
                address
                for text in _texts(q)
                for address in _ADDRESS.findall(text)
                if address.lower().endswith(".example") and "exemple" in address.lower()
            }
        )
        if found:
            yield (
                f"{_where(q, module)}, question « {q.id} » : l'adresse « {found[0]} » mélange "
                "« exemple » (français) et « .example » (anglais). Une personne qui corrige "
                "l'un des deux se trompe : gardez seulement « .example » à la fin."
            )


def fairness_problems(module: Module) -> list[str]:
    """Every problem these rules find in `module`, as French sentences naming the place."""
    return [*_cues(module), *_near_copies(module), *_mixed_addresses(module)]
