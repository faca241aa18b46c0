"""The results page's attestation block: the learner downloads their attestation of
participation for the workshop(s) of this module they were in, or reads, in plain French, why
there is none. Kept apart from `results.py` so that page changes by one block only.

The workshop book is opened when the results page is drawn (SQLAlchemy is imported then, not
when a learner kernel starts: `tests/learner/test_page_imports.py`).
"""

from __future__ import annotations

import base64
import html

import ipywidgets as w

from course.content.catalogue import Module
from course.identity import Learner
from course.learner.pages.controls import _button, _html, log_page_error, making_failed
from course.settings import Project

NONE_HERE = (
    "<p class='cq-notice cq-attestation-none'>Pas d'attestation pour le moment. Vous n'êtes "
    "dans le groupe d'aucun atelier de ce module. La personne qui anime l'atelier peut vous "
    "ajouter au groupe.</p>"
)
UNAVAILABLE = (
    "<p class='cq-notice cq-attestation-none'>L'attestation n'est pas disponible pour le "
    "moment. Prévenez la personne qui anime l'atelier.</p>"
)


def attestation_block(project: Project, learner: Learner, module: Module) -> list[w.Widget]:
    """A heading, then a download button per workshop of this module the learner was in (most
    recent first), or the French reason there is none; never an error on the page."""
    from course.learner.attestation import french_date

    items: list[w.Widget] = [_html("<h2>Votre attestation de participation</h2>")]
    try:
        book = project.workshops()
        try:
            workshops = [ws for ws in book.of_learner(learner.id) if module.id in ws.module_ids]
        finally:
            book.close()
    except Exception:  # the workshop database is out of reach: the results still show
        log_page_error(f"workshops not read for {learner.id}")
        return [*items, _html(UNAVAILABLE)]
    if not workshops:
        return [*items, _html(NONE_HERE)]
    result = _html("")
    for ws in workshops:
        day = french_date(ws.day)
        items.append(
            _html(f"<p>Elle dit que vous avez participé à l'atelier « {html.escape(ws.title)} » "
                  f"du {html.escape(day)}.</p>")  # fmt: skip
        )
        label = "Télécharger mon attestation en PDF"
        if len(workshops) > 1:
            label = f"Télécharger mon attestation du {day} en PDF"
        button = _button(label)
        button.on_click(lambda _b, ws_id=ws.id: _make(project, learner, ws_id, result))
        items.append(button)
    return [*items, result]


def _make(project: Project, learner: Learner, workshop_id: int, result: w.HTML) -> None:
    from course.learner.attestation import filename, learner_attestation
    from course.workshops import WorkshopError

    result.value = "<p role='status'>Fabrication de l'attestation…</p>"
    try:
        data = learner_attestation(project, learner.id, workshop_id)
        book = project.workshops()
        try:
            name = filename(book.get(workshop_id), learner.id)
        finally:
            book.close()
    except WorkshopError:  # taken out of the group since the page was drawn
        result.value = NONE_HERE.replace("<p class='", "<p role='alert' class='")
        return
    except Exception as exc:  # a learner must never meet a traceback: say it, log it
        result.value = making_failed(
            exc, "Le PDF de l'attestation", f"attestation not made for {learner.id}"
        )
        return
    href = "data:application/pdf;base64," + base64.b64encode(data).decode("ascii")
    result.value = (
        "<div role='status'><p><strong>✔ Votre attestation est prête.</strong></p>"
        f"<p><a class='cq-link' href='{href}' download='{name}'>Enregistrer le fichier "
        f"« {name} »</a></p></div>"
    )
