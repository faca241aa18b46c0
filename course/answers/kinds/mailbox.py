"""A mailbox (`messagerie`): messages the learner opens, then marks as trustworthy or
fraudulent, deletes or reports.

Each `[[questions.messages]]` has an `id`, `sender`, `subject`, `date`, `body` (Markdown),
optional `links` and `attachments`, the accepted decisions as `answer` (any of `DECISIONS`)
and an optional `explanation` shown after « Vérifier ». A feed of posts offers its own
decisions (`[questions.decisions]`, word = what the page says) and names itself (`box`). An answer is one
`"id=decision"` per message decided; it earns the question's points times the share of
messages rightly decided (a mailbox is a set of separate gestures: each one counts).
"""

from __future__ import annotations

from collections.abc import Hashable, Mapping, Sequence
from typing import Any

from course.answers.answer_rules import AnswerRefused
from course.answers.kinds.base import QuestionShape
from course.answers.kinds.scene import PartCredit, item_problems, items, texts
from course.answers.store import Answer, clean_answer

# What the learner may do with a message: the TOML word and how the page says it.
DECISIONS = {
    "fiable": "Je lui fais confiance",
    "frauduleux": "C'est une arnaque",
    "supprimer": "Je le supprime",
    "signaler": "Je le signale",
}
PUBLIC_FIELDS = ("id", "sender", "subject", "date", "body", "links", "attachments")


def decisions(answer: Answer | None) -> dict[str, str]:
    """{message id: decision} of an answer; parts that are not `id=decision` count for nothing."""
    found: dict[str, str] = {}
    for part in answer if isinstance(answer, list) else []:
        ident, sep, decision = part.partition("=")
        if sep and ident.strip() and ident.strip() not in found:
            found[ident.strip()] = decision.strip()
    return found


def messages(question: QuestionShape) -> list[Mapping[str, Any]]:
    return items(question.scene, "messages")


def offered(question: QuestionShape) -> dict[str, str]:
    """The decisions offered: the question's own `[questions.decisions]` (a feed of posts:
    « partager », « verifier », « laisser »), or `DECISIONS`."""
    own = question.scene.get("decisions")
    if isinstance(own, Mapping) and own:
        return {str(word): str(said) for word, said in own.items()}
    return dict(DECISIONS)


class Mailbox(PartCredit):
    name = "messagerie"
    label = "Simulation : une boîte de messages à trier"
    scene_keys = ("messages", "decisions", "box")

    def problems(self, question: QuestionShape) -> list[str]:
        found = messages(question)
        problems = item_problems(
            found,
            "message",
            ("id", "sender", "subject", "date", "body", "answer"),
            least=2,
            key="messages",
        )
        words = offered(question)
        if len(words) < 2:
            problems.append("il faut au moins deux décisions (« decisions »).")
        for message in found:
            accepted = texts(message.get("answer"))
            unknown = [a for a in accepted if a not in words]
            if unknown:
                problems.append(
                    f"message « {message.get('id', '?')} » : décision inconnue {unknown} "
                    f"(décisions possibles : {', '.join(words)})."
                )
            elif accepted and set(accepted) == set(words):
                problems.append(
                    f"message « {message.get('id', '?')} » : toutes les décisions sont justes."
                )
        return problems

    def scene_texts(self, question: QuestionShape) -> list[tuple[str, str, bool]]:
        out = []
        for m in messages(question):
            name = f"message « {m.get('id')} »"
            out += [(f"{name}, expéditeur", str(m.get("sender", "")), False)]
            out += [(f"{name}, objet", str(m.get("subject", "")), False)]
            out += [(f"{name}, texte", str(m.get("body", "")), True)]
            if m.get("explanation"):
                out += [(f"{name}, explication", str(m["explanation"]), True)]
        return out

    def public_scene(self, question: QuestionShape) -> dict[str, Any]:
        return {
            "messages": [
                {f: m.get(f, [] if f in ("links", "attachments") else "") for f in PUBLIC_FIELDS}
                for m in messages(question)
            ],
            "decisions": [[word, said] for word, said in offered(question).items()],
            "box": str(question.scene.get("box", "")),
        }

    def key_answer(self, question: QuestionShape) -> list:
        return [[str(m["id"]), *texts(m["answer"])] for m in messages(question)]

    def model_answer(self, question: QuestionShape) -> Any:
        return [f"{m['id']}={texts(m['answer'])[0]}" for m in messages(question)]

    def check_answer(self, question: QuestionShape, value: Any) -> Answer:
        if not isinstance(value, list | tuple) or not all(isinstance(v, str) for v in value):
            raise AnswerRefused("Choisissez ce que vous faites de chaque message.")
        known = {str(m["id"]) for m in messages(question)}
        chosen = decisions(list(value))
        if len(chosen) != len(value) or not set(chosen) <= known:
            raise AnswerRefused("Ce message n'est pas dans la boîte. Rechargez la page.")
        if not set(chosen.values()) <= set(offered(question)):
            raise AnswerRefused("Cette décision n'existe pas. Choisissez dans la liste.")
        order = [str(m["id"]) for m in messages(question)]
        return [f"{i}={chosen[i]}" for i in order if i in chosen]

    def right_parts(self, expected: Sequence, answer: Answer | None) -> list[Hashable]:
        """The messages (by id) given one of their accepted decisions."""
        chosen = decisions(clean_answer(answer))
        return [
            str(entry[0])
            for entry in expected
            if isinstance(entry, list | tuple) and entry and chosen.get(entry[0]) in entry[1:]
        ]

    def part_lines(
        self, question: QuestionShape, answer: Answer | None
    ) -> list[tuple[Hashable, str]]:
        """(message id, line) of the messages decided: the undecided ones have no line."""
        chosen = decisions(clean_answer(answer))
        words = offered(question)
        lines: list[tuple[Hashable, str]] = []
        for m in messages(question):
            decision = chosen.get(str(m["id"]))
            if decision in words:
                lines.append(
                    (str(m["id"]), f"« {m['subject']} » : votre choix, « {words[decision]} »")
                )
        return lines

    def described(self, question: QuestionShape, answer: Answer | None) -> list[str]:
        return [line for _id, line in self.part_lines(question, answer)]

    def feedback_lines(self, question: QuestionShape, answer: Answer | None) -> list[str]:
        chosen = decisions(clean_answer(answer))
        words = offered(question)
        out = []
        for m in messages(question):
            accepted = texts(m["answer"])
            decision = chosen.get(str(m["id"]))
            mark = "✔ Juste" if decision in accepted else "✘ À revoir"
            said = f"votre choix, « {words[decision]} »" if decision in words else "pas de choix"
            why = f" {m['explanation']}" if m.get("explanation") else ""
            out.append(f"{mark} : « {m['subject']} » : {said}.{why}")
        return out

    def sample_wrong(self, question: QuestionShape, text: str = "réponse fausse") -> Any:
        return [
            f"{m['id']}={next(d for d in offered(question) if d not in texts(m['answer']))}"
            for m in messages(question)
        ]
