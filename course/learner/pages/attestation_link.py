"""The results page's attestation block: the learner downloads their attestation of
participation for the workshop(s) of this module they were in, or reads, in plain French, why
there is none. Kept apart from `results.py` so that page changes by one block only.

The workshop book is opened only when the learner presses the button: importing SQLAlchemy
costs about 0.6 s of CPU, too much for every results page view with a whole group on two cores
(`tests/learner/test_page_imports.py` keeps learner kernels light).
"""

from __future__ import annotations

import ipywidgets as w

from course.access.roster import Learner
from course.content.catalogue import Module
from course.learner.pages.controls import _button, _html, download_html, making_failed
from course.settings import Project

NONE_HERE = (
    "<p role='alert' class='cq-attestation-none'>Pas d'attestation pour le moment. Vous "
    "n'êtes dans le groupe d'aucun atelier de ce module. La personne qui anime l'atelier peut "
    "vous ajouter au groupe.</p>"
)


def attestation_block(project: Project, learner: Learner, module: Module) -> list[w.Widget]:
    """A heading, a sentence and the download button; the PDF is made on a click."""
    button = _button("Télécharger mon attestation de participation en PDF")
    result = _html("")
    button.on_click(lambda _b: _make(project, learner, module, result))
    return [
        _html(
            "<h2>Votre attestation de participation</h2><p>Elle dit que vous avez participé à "
            "l'atelier, et quelles compétences numériques vous avez travaillées.</p>"
        ),
        button,
        result,
    ]


def _make(project: Project, learner: Learner, module: Module, result: w.HTML) -> None:
    """One link per workshop of this module the learner was in (most recent first)."""
    from course.core.french import day
    from course.learner.attestation import filename, learner_attestation

    result.value = "<p role='status'>Fabrication de l'attestation…</p>"
    links: list[str] = []
    try:
        book = project.workshops()
        try:
            workshops = [ws for ws in book.of_learner(learner.id) if module.id in ws.module_ids]
        finally:
            book.close()
        for ws in workshops:
            data = learner_attestation(project, learner.id, ws.id)
            when = (
                f" C'est l'attestation de l'atelier du {day(ws.day)}." if len(workshops) > 1 else ""
            )
            name = filename(ws, learner.id)
            links.append(download_html(name, "application/pdf", data, when, auto=not links))
    except Exception as exc:  # a learner must never meet a traceback: say it, log it
        result.value = making_failed(
            exc, "Le PDF de l'attestation", f"attestation not made for {learner.id}"
        )
        return
    if not links:
        result.value = NONE_HERE
        return
    result.value = "<div role='status'>" + "".join(links) + "</div>"
