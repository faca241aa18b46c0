"""A whole workshop's results in one PDF for the trainer to print: every learner of the
workshop's group, their results for each of the workshop's modules, each learner (and each of
their modules) starting on a new page.

The pages are the learner's own results PDF (`course.learner.results_pdf`, same writer, same
wording), read from the results released to each learner (`results.json`, written by
`course feedback`): the book shows what the learners see, no more. Only those who attended
are in it (`course.learner.attended`: marked present, or who worked). One of them without
released results for a module gets a page that says so, so no one is silently missing.
"""

from __future__ import annotations

from pathlib import Path

from course.answers.released import ReleasedResults, read_results
from course.content.catalogue import Module
from course.core.files import private_write
from course.fonts import find_fonts
from course.learner.results_pdf import results_book_pdf
from course.settings import Project
from course.workshops import Workshop, WorkshopError

FOLDER = "resultats"


def _workshop(project: Project, workshop_id: int) -> Workshop:
    book = project.workshops()
    try:
        return book.get(workshop_id)
    finally:
        book.close()


def results_book_pages(
    project: Project, workshop: Workshop
) -> list[tuple[Module, str, ReleasedResults | None]]:
    """(module, first name, released results or None) for each learner, then each module."""
    from course.learner.attended import NOBODY, attended

    if not workshop.learner_ids:
        raise WorkshopError("Le groupe de cet atelier est vide : aucun résultat à imprimer.")
    came = attended(project, workshop)
    if not came:
        raise WorkshopError(NOBODY)
    known = {m.id: m for m in project.catalogue.modules}
    modules = [known[m] for m in workshop.module_ids if m in known]
    if not modules:
        raise WorkshopError("Les modules de cet atelier n'existent plus dans le catalogue.")
    names = {learner.id: learner.name for learner in project.roster().learners()}
    return [
        (module, names.get(lid, lid), read_results(project.workspace(lid, module.id)))
        for lid in came
        for module in modules
    ]


def workshop_results_pdf(project: Project, workshop_id: int) -> bytes:
    """The book as bytes (for a web page to send); raises `WorkshopError` (French)."""
    workshop = _workshop(project, workshop_id)
    pages = results_book_pages(project, workshop)
    title = f"Résultats de l'atelier : {workshop.title}"
    return results_book_pdf(pages, title, find_fonts(project.config))


def default_path(project: Project, workshop: Workshop) -> Path:
    """`var/resultats/resultats-2026-12-02-atelier-3.pdf`."""
    name = f"resultats-{workshop.day.isoformat()}-atelier-{workshop.id}.pdf"
    return project.data_dir / FOLDER / name


def workshop_results(project: Project, workshop_id: int, path: Path | None = None) -> Path:
    """Write the workshop's results book to `path` (default under `var/resultats/`), readable
    by the trainer only (it holds every learner's answers). Returns the path."""
    data = workshop_results_pdf(project, workshop_id)
    return private_write(path or default_path(project, _workshop(project, workshop_id)), data)
