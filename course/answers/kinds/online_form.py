"""An online form (`formulaire`): fields to fill from a fictitious document shown beside them
(an identity card, a payslip, a CAF letter). Graded field by field with the short answers'
tolerances (`course.answers.matching`, Pix's rules).

The question gives `document_title` and `document` (Markdown: the fictitious paper) and one
`[[questions.fields]]` per field, with its `label` and accepted answers (`answer`), as a
`qrocm`. An answer is one text per field; it earns the points times the share of fields
rightly filled (a form is filled field by field, each one is a gesture).
"""

from __future__ import annotations

from collections.abc import Hashable, Sequence
from typing import Any

from course.answers.kinds.base import QuestionShape, careless
from course.answers.kinds.scene import PartCredit
from course.answers.kinds.short_text import ShortFields, _others, variant_problems
from course.answers.matching import matches_any
from course.answers.store import Answer, clean_answer


class OnlineForm(PartCredit, ShortFields):
    name = "formulaire"
    label = "Simulation : remplir un formulaire en ligne"
    scene_keys = ("document_title", "document")

    def problems(self, question: QuestionShape) -> list[str]:
        problems = []
        for field in ("document_title", "document"):
            if not question.scene.get(field):
                problems.append(f"le champ « {field} » (le document fictif) manque.")
        if not question.fields:
            problems.append("il faut au moins une case (« [[questions.fields]] »).")
        labels = [label for label, _accepted in question.fields]
        twice = sorted({label for label in labels if labels.count(label) > 1})
        if twice:
            problems.append(f"la case « {twice[0]} » est écrite deux fois.")
        if len(question.fields) >= 2:  # the short answers' checks of the variants
            problems += super().problems(question)
        elif question.fields:
            problems += variant_problems(list(question.fields[0][1]))
        return problems

    def scene_texts(self, question: QuestionShape) -> list[tuple[str, str, bool]]:
        return [
            ("titre du document", str(question.scene.get("document_title", "")), False),
            ("document", str(question.scene.get("document", "")), False),
        ]

    def public_scene(self, question: QuestionShape) -> dict[str, Any]:
        return {
            "document_title": str(question.scene.get("document_title", "")),
            "document": str(question.scene.get("document", "")),
        }

    def right_parts(self, expected: Sequence, answer: Answer | None) -> list[Hashable]:
        """The fields (by number) filled with an accepted answer, Pix's tolerances applied."""
        given = clean_answer(answer)
        if not isinstance(given, list) or len(given) != len(expected):
            return []
        return [
            n
            for n, (text, accepted) in enumerate(zip(given, expected, strict=True))
            if isinstance(accepted, list | tuple)
            and matches_any(text, accepted, others=_others(expected, n))
        ]

    def described(self, question: QuestionShape, answer: Answer | None) -> list[str]:
        given = clean_answer(answer)
        if not isinstance(given, list) or len(given) != len(question.fields):
            return self.shown(answer)
        return [
            f"{label} : {text.strip() or '(vide)'}"
            for (label, _accepted), text in zip(question.fields, given, strict=True)
        ]

    def feedback_lines(self, question: QuestionShape, answer: Answer | None) -> list[str]:
        right = set(self.right_parts(self.key_answer(question), answer))
        return [
            f"{'✔ Juste' if n in right else '✘ À revoir'} : {label} (attendu : {accepted[0]})."
            for n, (label, accepted) in enumerate(question.fields)
        ]

    def sample_careless(self, question: QuestionShape, written: str = "") -> Any:
        return [careless(a) for a in self.model_answer(question)]

    def sample_wrong(self, question: QuestionShape, text: str = "réponse fausse") -> Any:
        return [text for _field in question.fields]  # every field wrong: nothing earned
