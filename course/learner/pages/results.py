"""A module's results, once the trainer released them: each question with its situation, the
learner's answer, the verdict, the explanation (lists intact), short source names and the
trainer's comment; and the same as a PDF to take home.

The page reads `results.json` in the learner's workspace (`course.answers.released`), written
by the trainer's side when results are released: no gradebook, no nbgrader in this kernel.
"""

from __future__ import annotations

import base64
import html

import ipywidgets as w

from course.answers.released import ReleasedResults, read_results
from course.core.french import markdown_html, points_text
from course.fonts import find_fonts
from course.learner.pages.attestation_link import attestation_block
from course.learner.pages.controls import _button, _html, making_failed
from course.learner.pages.lesson import ModulePage
from course.learner.results_pdf import results_pdf

CSS_CLASS = {"right": "cq-right", "graded": "cq-right", "partial": "cq-partial"}


def _answer_html(answer: str | list[str] | None) -> str:
    if answer is None or (isinstance(answer, str) and not answer.strip()):
        return "<p class='cq-answer'><em>Pas de réponse.</em></p>"
    if isinstance(answer, list):
        kept = [a for a in answer if a.strip()]
        if not kept:
            return "<p class='cq-answer'><em>Pas de réponse.</em></p>"
        items = "".join(f"<li>{html.escape(a)}</li>" for a in kept)
        return f"<ul class='cq-answer'>{items}</ul>"
    return f"<p class='cq-answer'>{html.escape(answer)}</p>"


class ResultsPage(ModulePage):
    needs_learner = True

    def heading(self) -> w.HTML:
        return _html(f"<h1>Vos résultats : {html.escape(self.module.title)}</h1>")

    def render(self) -> None:
        workspace = self.project.workspace(self.me.id, self.module.id)
        results = read_results(workspace)
        items = [self.heading(), _html(f"<p>Bonjour {html.escape(self.me.name)}.</p>")]
        if results is None:
            items.append(
                _html(
                    "<p class='cq-notice cq-results-none'>Vos résultats ne sont pas encore "
                    "prêts. La personne qui anime l'atelier vous dira quand ils le seront.</p>"
                )
            )
            items.append(_html(self.back_link()))
            self.root.children = items
            return
        items.append(
            _html(
                f"<p class='cq-score'><strong>Votre score : {points_text(results.score)} sur "
                f"{points_text(results.max_score)}.</strong></p>"
                + (
                    "<p>Une réponse écrite attend encore la correction.</p>"
                    if results.pending
                    else ""
                )
            )
        )
        items += [
            _html(self.question_html(i, results), "cq-text-block")
            for i in range(1, 1 + len(self.module.questions))
        ]
        self.download = _button("Télécharger mes résultats en PDF")
        self.download.on_click(lambda _b: self.make_pdf(results))
        self.result = _html("")
        items += [self.download, self.result]
        items += attestation_block(self.project, self.me, self.module)
        items.append(_html(self.back_link()))
        self.root.children = items

    def question_html(self, number: int, results: ReleasedResults) -> str:
        q = self.module.questions[number - 1]
        outcome = results.outcome(q.id)
        if outcome is None:
            return ""
        parts = [f"<section class='cq-result' aria-labelledby='r-{number}'>"]
        parts.append(f"<h2 id='r-{number}'>Question {number} : {html.escape(q.prompt)}</h2>")
        if q.context:
            parts.append(f"<div class='cq-context'>{markdown_html(q.context)}</div>")
        parts.append("<p>Votre réponse :</p>" + _answer_html(outcome.answer))
        verdict = outcome.verdict_sentence
        css = CSS_CLASS.get(outcome.verdict, "cq-wrong")
        parts.append(f"<p class='cq-verdict {css}'><strong>{html.escape(verdict)}.</strong></p>")
        if outcome.right_choices:
            right = " ; ".join(html.escape(c) for c in outcome.right_choices)
            parts.append(f"<p>Ce qui était juste dans votre réponse : {right}.</p>")
        if q.explanation:
            parts.append(markdown_html(q.explanation))
        if outcome.comment:
            parts.append(
                "<p class='cq-comment'><strong>Le mot de la personne qui anime l'atelier :"
                f"</strong> {html.escape(outcome.comment)}</p>"
            )
        publishers = dict.fromkeys(self.module.source(s).publisher for s in q.sources)
        if publishers:
            names = ", ".join(html.escape(p) for p in publishers)
            parts.append(f"<p class='cq-sources'>Source : {names}.</p>")
        parts.append("</section>")
        return "".join(parts)

    def make_pdf(self, results: ReleasedResults) -> None:
        self.result.value = "<p role='status'>Fabrication du PDF…</p>"
        try:
            data = results_pdf(
                self.module, [(self.me.name, results)], find_fonts(self.project.config)
            )
        except Exception as exc:  # a learner must never meet a traceback: say it, log it
            self.result.value = making_failed(
                exc, "Le PDF", f"results PDF not made for {self.me.id}"
            )
            return
        name = f"resultats-{self.module.id}.pdf"
        href = "data:application/pdf;base64," + base64.b64encode(data).decode("ascii")
        self.result.value = (
            "<div role='status'><p><strong>✔ Votre PDF est prêt.</strong></p>"
            f"<p><a class='cq-link' href='{href}' download='{name}'>Enregistrer le fichier "
            f"« {name} »</a></p></div>"
        )
