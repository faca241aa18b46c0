"""A conversation (`conversation`: SMS, marketplace or messaging): messages arrive, the learner
picks each reply among proposals, and the next messages arrive. Graded on the path.

The question gives `contact` (who writes: a name and a number that reaches nobody) and an
optional `channel` (« SMS », « Messagerie du site de petites annonces »); each
`[[questions.turns]]` has `incoming` (the messages received, a list), `replies` (the
proposals), `answer` (the right reply, or several) and an optional `explanation`. An answer is
the replies chosen, turn after turn; it earns the points times the share of turns rightly
answered.
"""

from __future__ import annotations

from collections.abc import Hashable, Mapping, Sequence
from typing import Any

from course.answers.answer_rules import NOT_A_CHOICE, AnswerRefused
from course.answers.kinds.base import QuestionShape
from course.answers.kinds.scene import PartCredit, item_problems, items, texts
from course.answers.store import Answer, clean_answer


def turns(question: QuestionShape) -> list[Mapping[str, Any]]:
    return items(question.scene, "turns")


class Conversation(PartCredit):
    name = "conversation"
    label = "Simulation : répondre dans une discussion"
    scene_keys = ("contact", "channel", "turns")

    def problems(self, question: QuestionShape) -> list[str]:
        found = turns(question)
        problems = item_problems(found, "échange", ("incoming", "replies", "answer"), key="turns")
        if not question.scene.get("contact"):
            problems.append("le champ « contact » (qui écrit) manque.")
        for number, turn in enumerate(found, 1):
            replies = texts(turn.get("replies"))
            if turn.get("replies") and len(replies) < 2:
                problems.append(f"échange n° {number} : il faut au moins deux réponses.")
            if len(set(replies)) != len(replies):
                problems.append(f"échange n° {number} : deux réponses identiques.")
            unknown = [a for a in texts(turn.get("answer")) if a not in replies]
            if unknown and replies:
                problems.append(
                    f"échange n° {number} : la bonne réponse {unknown} n'est pas dans « replies »."
                )
            if replies and set(texts(turn.get("answer"))) == set(replies):
                problems.append(f"échange n° {number} : toutes les réponses sont justes.")
        return problems

    def scene_texts(self, question: QuestionShape) -> list[tuple[str, str, bool]]:
        out = [("contact", str(question.scene.get("contact", "")), False)]
        for n, turn in enumerate(turns(question), 1):
            out += [(f"échange {n}, message reçu", t, True) for t in texts(turn.get("incoming"))]
            out += [
                (f"échange {n}, réponse proposée", t, False) for t in texts(turn.get("replies"))
            ]
            if turn.get("explanation"):
                out.append((f"échange {n}, explication", str(turn["explanation"]), True))
        return out

    def public_scene(self, question: QuestionShape) -> dict[str, Any]:
        return {
            "contact": str(question.scene.get("contact", "")),
            "channel": str(question.scene.get("channel", "")),
            "turns": [
                {"incoming": texts(t["incoming"]), "replies": texts(t["replies"])}
                for t in turns(question)
            ],
        }

    def key_answer(self, question: QuestionShape) -> list:
        return [texts(t["answer"]) for t in turns(question)]

    def model_answer(self, question: QuestionShape) -> Any:
        return [texts(t["answer"])[0] for t in turns(question)]

    def check_answer(self, question: QuestionShape, value: Any) -> Answer:
        found = turns(question)
        if (
            not isinstance(value, list | tuple)
            or len(value) > len(found)
            or not all(
                isinstance(v, str) and v in texts(t["replies"])
                for v, t in zip(value, found, strict=False)
            )
        ):
            raise AnswerRefused(NOT_A_CHOICE)
        return list(value)

    def right_parts(self, expected: Sequence, answer: Answer | None) -> list[Hashable]:
        """The turns (by number) whose reply is among the accepted ones."""
        path = clean_answer(answer)
        path = path if isinstance(path, list) else []
        return [
            n
            for n, accepted in enumerate(expected)
            if n < len(path) and isinstance(accepted, list | tuple) and path[n] in accepted
        ]

    def described(self, question: QuestionShape, answer: Answer | None) -> list[str]:
        path = clean_answer(answer)
        return [
            f"Échange {n} : vous avez répondu « {reply} »"
            for n, reply in enumerate(path if isinstance(path, list) else [], 1)
        ]

    def feedback_lines(self, question: QuestionShape, answer: Answer | None) -> list[str]:
        path = clean_answer(answer)
        path = path if isinstance(path, list) else []
        out = []
        for n, turn in enumerate(turns(question)):
            if n >= len(path):
                out.append(f"Échange {n + 1} : vous n'avez pas encore répondu.")
                continue
            mark = "✔ Juste" if path[n] in texts(turn["answer"]) else "✘ À revoir"
            why = f" {turn['explanation']}" if turn.get("explanation") else ""
            out.append(f"{mark} : échange {n + 1}, « {path[n]} ».{why}")
        return out

    def sample_wrong(self, question: QuestionShape, text: str = "réponse fausse") -> Any:
        return [
            next(r for r in texts(t["replies"]) if r not in texts(t["answer"]))
            for t in turns(question)
        ]
