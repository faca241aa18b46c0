"""A module's results, once the trainer released them: each question with its situation, the
learner's answer, the verdict, the explanation (lists intact), short source names and the
trainer's comment (`course.learner.results_view`, shared with the feedback file and the PDFs);
and the same as a PDF to take home.

The page reads `results.json` in the learner's workspace (`course.answers.released`), written
by the trainer's side when results are released: no gradebook, no nbgrader in this kernel.
"""

from __future__ import annotations

import html

import ipywidgets as w

from course.answers.released import ReleasedResults, read_results
from course.fonts import find_fonts
from course.learner.pages.attestation_link import attestation_block
from course.learner.pages.controls import _button, _html, download_html, making_failed
from course.learner.pages.lesson import ModulePage
from course.learner.results_pdf import results_pdf
from course.learner.results_view import PENDING, result_rows, row_html, score_sentence


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
                f"<p class='cq-score'><strong>{score_sentence(results)}</strong></p>"
                + (f"<p>{PENDING}</p>" if results.pending else "")
            )
        )
        items += [
            _html(row_html(row), "cq-text-block") for row in result_rows(self.module, results)
        ]
        self.download = _button("Télécharger mes résultats en PDF")
        self.download.on_click(lambda _b: self.make_pdf(results))
        self.result = _html("")
        items += [self.download, self.result]
        items += attestation_block(self.project, self.me, self.module)
        items.append(_html(self.back_link()))
        self.root.children = items

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
        self.result.value = (
            f"<div role='status'>{download_html(name, 'application/pdf', data)}</div>"
        )
