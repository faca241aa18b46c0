"""A web browser (`navigateur`): an address bar, search results or links, and the page each one
opens, with or without the signs of a real site; the learner opens pages, then chooses where
to go. Graded on the choice.

The question gives the starting `address` (what the address bar shows) and an optional
`search` (the words typed in the search engine); each `[[questions.links]]` has an `id`, a
`title`, an `address`, an optional `text` (the line under a result), `ad = true` for a paid
result (shown « Annonce ») and an optional `page` (Markdown: what the site shows once opened).
`answer` names the right link(s) by id.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from course.answers.answer_rules import NOT_A_CHOICE, AnswerRefused
from course.answers.kinds.base import QuestionKind, QuestionShape
from course.answers.kinds.scene import item_problems, items
from course.answers.store import Answer


def links(question: QuestionShape) -> list[Mapping[str, Any]]:
    return items(question.scene, "links")


class Browser(QuestionKind):
    name = "navigateur"
    label = "Simulation : choisir un site dans un navigateur"
    scene_keys = ("address", "search", "links")

    def problems(self, question: QuestionShape) -> list[str]:
        found = links(question)
        problems = item_problems(found, "lien", ("id", "title", "address"), least=2, key="links")
        if not question.scene.get("address"):
            problems.append("le champ « address » (la barre d'adresse au départ) manque.")
        known = {str(link.get("id")) for link in found}
        if not question.answer:
            problems.append("la bonne réponse (« answer », l'id du bon lien) manque.")
        for answer in question.answer:
            if answer not in known:
                problems.append(f"la bonne réponse « {answer} » ne nomme aucun lien.")
        if question.answer and set(question.answer) == known:
            problems.append("tous les liens sont justes : il en faut au moins un faux.")
        return problems

    def scene_texts(self, question: QuestionShape) -> list[tuple[str, str, bool]]:
        out = []
        for link in links(question):
            name = f"lien « {link.get('id')} »"
            out.append((f"{name}, titre", str(link.get("title", "")), False))
            for field, said in (("text", "texte"), ("page", "page")):
                if link.get(field):
                    out.append((f"{name}, {said}", str(link[field]), True))
        return out

    def public_scene(self, question: QuestionShape) -> dict[str, Any]:
        return {
            "address": str(question.scene.get("address", "")),
            "search": str(question.scene.get("search", "")),
            "links": [
                {
                    "id": str(link["id"]),
                    "title": str(link["title"]),
                    "address": str(link["address"]),
                    "text": str(link.get("text", "")),
                    "ad": bool(link.get("ad", False)),
                    "page": str(link.get("page", "")),
                }
                for link in links(question)
            ],
        }

    def model_answer(self, question: QuestionShape) -> Any:
        return question.answer[0]

    def check_answer(self, question: QuestionShape, value: Any) -> Answer:
        if not isinstance(value, str) or (
            value and value not in {str(link["id"]) for link in links(question)}
        ):
            raise AnswerRefused(NOT_A_CHOICE)
        return value

    def right(self, expected: Sequence, answer: Answer) -> bool:
        return isinstance(answer, str) and answer in expected

    def described(self, question: QuestionShape, answer: Answer | None) -> list[str]:
        for link in links(question):
            if answer == str(link["id"]):
                return [f"vous avez choisi « {link['title']} » ({link['address']})"]
        return []

    def feedback_lines(self, question: QuestionShape, answer: Answer | None) -> list[str]:
        chosen = self.described(question, answer)
        if not chosen:
            return []
        mark = "✔ Juste" if answer in question.answer else "✘ À revoir"
        return [f"{mark} : {chosen[0]}."]

    def sample_wrong(self, question: QuestionShape, text: str = "réponse fausse") -> Any:
        return next(str(li["id"]) for li in links(question) if li["id"] not in question.answer)
