"""One view of a learner's released results, for every place that shows them: the learner's
results page, the feedback page released through nbgrader, the results PDF and the trainer's
workshop book (the same PDF, learner after learner).

`result_rows` builds one row per question (the question, the learner's answer as its kind shows
it, the verdict, the right parts of a partly right answer, the explanation, the trainer's
comment, the sources); `row_html` is the one HTML of a row, used by the page and the feedback
file; the PDF writes the same rows with the same words (`YOUR_ANSWER`, `NO_ANSWER`, …). So a
sentence changed here changes everywhere.
"""

from __future__ import annotations

import html
from dataclasses import dataclass

from course.answers.kinds.choices import OneChoice, SeveralChoices, in_learner_order
from course.answers.released import ReleasedResults
from course.content.catalogue import Module
from course.core.french import markdown_html, points_text

YOUR_ANSWER = "Votre réponse :"
NO_ANSWER = "Pas de réponse."
RIGHT_PARTS = "Ce qui était juste dans votre réponse :"
COMMENT = "Le mot de la personne qui anime l'atelier :"
SOURCE = "Source :"
PENDING = "Une réponse écrite attend encore la correction."
# The verdict's class: green for right, amber for partly right, neutral for a written answer
# still waiting for the trainer (nothing is wrong with it yet), red otherwise.
CSS_CLASS = {
    "right": "cq-right",
    "graded": "cq-right",
    "partial": "cq-partial",
    "pending": "cq-pending",
}


@dataclass(frozen=True)
class ResultRow:
    number: int  # the question's number in the evaluation
    prompt: str
    context: str  # Markdown
    answer: list[str]  # the answer's parts as its kind shows them; [] when there is none
    several_parts: bool  # shown as a list (several boxes, several fields)
    verdict: str  # a key of course.answers.released.VERDICTS
    verdict_sentence: str  # « Bonne réponse. »
    right_parts: list[str]  # a partly right answer: what was right in it
    explanation: str  # Markdown
    comment: str  # the trainer's
    publishers: list[str]  # the sources' publishers, each once

    @property
    def css_class(self) -> str:
        return CSS_CLASS.get(self.verdict, "cq-wrong")


def score_sentence(results: ReleasedResults) -> str:
    return f"Votre score : {points_text(results.score)} sur {points_text(results.max_score)}."


def result_rows(module: Module, results: ReleasedResults) -> list[ResultRow]:
    """A row for each of the module's questions that has a released outcome.

    A learner's boxes are listed in the order that learner saw the choices (`display_order`),
    so the results read like the evaluation did; results released before the learner was kept
    in them list the boxes in the module's order, as they always did.
    """
    rows = []
    for number, q in enumerate(module.questions, 1):
        outcome = results.outcome(q.id)
        if outcome is None:
            continue
        answer = q.kind.described(q, outcome.answer)  # a simulation says what was done
        right_parts = list(outcome.right_choices)
        if results.learner and isinstance(q.kind, OneChoice | SeveralChoices):
            answer = in_learner_order(q, answer, results.learner)
            right_parts = in_learner_order(q, right_parts, results.learner)
        rows.append(
            ResultRow(
                number=number,
                prompt=q.prompt,
                context=q.context,
                answer=answer,
                several_parts=q.kind.several_parts,
                verdict=outcome.verdict,
                verdict_sentence=outcome.verdict_sentence + ".",
                right_parts=right_parts,
                explanation=q.explanation,
                comment=outcome.comment,
                publishers=list(dict.fromkeys(module.source(s).publisher for s in q.sources)),
            )
        )
    return rows


def _answer_html(row: ResultRow) -> str:
    if not row.answer:
        return f"<p class='cq-answer'><em>{NO_ANSWER}</em></p>"
    if row.several_parts or len(row.answer) > 1:
        items = "".join(f"<li>{html.escape(a)}</li>" for a in row.answer)
        return f"<ul class='cq-answer'>{items}</ul>"
    return f"<p class='cq-answer'>{html.escape(row.answer[0])}</p>"


def row_html(row: ResultRow) -> str:
    """One question's result as an HTML section (escaped; module texts rendered as Markdown)."""
    n = row.number
    parts = [f"<section class='cq-result' aria-labelledby='r-{n}'>"]
    parts.append(f"<h2 id='r-{n}'>Question {n} : {html.escape(row.prompt)}</h2>")
    if row.context:
        parts.append(f"<div class='cq-context'>{markdown_html(row.context)}</div>")
    parts.append(f"<p>{YOUR_ANSWER}</p>" + _answer_html(row))
    verdict = html.escape(row.verdict_sentence)
    parts.append(f"<p class='cq-verdict {row.css_class}'><strong>{verdict}</strong></p>")
    if row.right_parts:
        right = " ; ".join(html.escape(c) for c in row.right_parts)
        parts.append(f"<p>{RIGHT_PARTS} {right}.</p>")
    if row.explanation:
        parts.append(markdown_html(row.explanation))
    if row.comment:
        parts.append(
            f"<p class='cq-comment'><strong>{COMMENT}</strong> {html.escape(row.comment)}</p>"
        )
    if row.publishers:
        names = ", ".join(html.escape(p) for p in row.publishers)
        parts.append(f"<p class='cq-sources'>{SOURCE} {names}.</p>")
    parts.append("</section>")
    return "".join(parts)
