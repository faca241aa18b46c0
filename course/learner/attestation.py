"""Attestation of participation: one A4 page in French per learner and workshop (fpdf2, DejaVu).

It names the learner, the workshop's title, modules, day, duration, place and trainer, the Pix
competences its modules' evaluations work on (code and name), and the released results only if
the trainer chose to show them (the workshop's `show_result`). A learner downloads theirs from a
results page; the trainer prints one learner's or a whole group's (one page each) with
`course attestations` or, from the trainer's web space, with the library functions below:

- `learner_attestation(project, learner_id, workshop_id)`: one learner's PDF, as bytes;
- `write_learner_attestation(project, workshop_id, learner_id, path)`: the same, as a file;
- `group_attestations(project, workshop_id, path)`: every learner of the group in one file.

It lives on the learner's side because a learner's kernel makes it; it reads only the shared
workshop book, the roster, the catalogue and each learner's `results.json`. Files go under
`var/attestations/`, readable by their owner only: they carry names and results.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING

from course.answers.released import ReleasedResults, read_results
from course.content.catalogue import PIX_COMPETENCES, Module
from course.core import french
from course.core.files import private_write
from course.fonts import FAMILY, find_fonts, printable_codepoints

if TYPE_CHECKING:
    from course.settings import Project
    from course.workshops import Workshop

RGB = tuple[int, int, int]
ACCENT: RGB = (11, 79, 168)
INK: RGB = (26, 26, 26)
MUTED: RGB = (64, 64, 64)
LABEL_W = 32.0  # mm: the labels' column (« Animé par »)
TOP, BOTTOM = 20.0, 15.0  # mm: page margins
SCALES = (1.0, 0.9, 0.8, 0.7, 0.6)  # text sizes tried until a page holds it all
NO_WORKSHOP = (
    "Cette personne n'est dans le groupe d'aucun atelier : il n'y a pas d'attestation à faire. "
    "Ajoutez-la d'abord au groupe de son atelier."
)
FOLDER = "attestations"


def _workshop_error(message: str) -> Exception:
    from course.workshops import WorkshopError

    return WorkshopError(message)


def when_text(workshop: Workshop) -> str:
    """The day, and the hours when the start is known: « mercredi 2 décembre 2026, de 14 h 00
    à 15 h 30 »."""
    text = french.day(workshop.day)
    if workshop.start is not None:
        end = datetime.combine(workshop.day, workshop.start) + timedelta(
            minutes=workshop.duration_minutes
        )
        text += f", de {french.clock(workshop.start)} à {french.clock(end.time())}"
    return text


def place_text(workshop: Workshop) -> str:
    """The place as typed, with the site's name; the kind of place when neither is known."""
    from course.workshops.model import PLACE_KINDS

    parts = list(dict.fromkeys(p for p in (workshop.place, workshop.site) if p))
    return ", ".join(parts) or PLACE_KINDS.get(workshop.place_kind, "")


@dataclass
class Attestation:
    """What one attestation says; `results` is empty unless the workshop shows its results."""

    learner_id: str
    learner_name: str
    workshop: Workshop
    modules: list[Module]
    results: list[tuple[Module, ReleasedResults]] = field(default_factory=list)
    issued: date = field(default_factory=french.today)

    @property
    def competences(self) -> list[tuple[str, str]]:
        """(code, name) of every Pix competence the modules evaluate, in framework order."""
        codes = {c for m in self.modules for c in m.competences}
        ordered = sorted(codes, key=lambda c: tuple(int(p) for p in c.split(".")))
        return [(c, PIX_COMPETENCES[c]) for c in ordered]


def make_attestation(
    project: Project, workshop: Workshop, learner_id: str, issued: date | None = None
) -> Attestation:
    """One learner's attestation for a workshop, from the roster, catalogue and results files.

    Modules the catalogue no longer has are left out (their title and competences are unknown);
    results appear only once released, module by module, and only if `show_result` is set."""
    names = {learner.id: learner.name for learner in project.roster().learners()}
    known = {m.id: m for m in project.catalogue.modules}
    if not workshop.site:  # made before the site was named: today's name (« Réglages du site »)
        from course.workshops.site import site_name

        workshop.site = site_name(project.data_dir, project.config)
    modules = [known[m] for m in workshop.module_ids if m in known]
    results = []
    if workshop.show_result:
        for module in modules:
            released = read_results(project.workspace(learner_id, module.id))
            if released is not None:
                results.append((module, released))
    return Attestation(
        learner_id=learner_id,
        learner_name=names.get(learner_id, learner_id),
        workshop=workshop,
        modules=modules,
        results=results,
        issued=issued or french.today(),
    )


class _Page:
    """fpdf2 with DejaVu, text filtered to what the font draws (an emoji in a name or a title
    would print as an empty box), and a dry mode that measures the height a page would take, so
    that long names, titles and many modules shrink the page's text instead of spilling over."""

    def __init__(self, fonts: dict[str, Path], title: str):
        from fpdf import FPDF

        self.pdf = pdf = FPDF(format="A4", unit="mm")
        pdf.set_margins(22, TOP, 22)
        pdf.set_auto_page_break(True, margin=BOTTOM)
        for style, path in fonts.items():
            pdf.add_font(FAMILY, style, str(path))
        self.known = printable_codepoints(fonts)
        pdf.set_lang("fr")
        pdf.set_creator("Ateliers numériques")
        pdf.set_title(self.clean(title))
        self.scale, self.dry, self.used = 1.0, False, 0.0

    def clean(self, text: str) -> str:
        kept = (
            ch if ord(ch) in self.known else " " if unicodedata.category(ch) == "Zs" else ""
            for ch in text
        )
        return re.sub(r" {2,}", " ", "".join(kept)).strip()

    def ln(self, height: float) -> None:
        if self.dry:
            self.used += height * self.scale
        else:
            self.pdf.ln(height * self.scale)

    def _cell(self, width: float, line: float, text: str, align: str = "L") -> None:
        if self.dry:
            height = self.pdf.multi_cell(
                width, line, text, align=align, dry_run=True, output="HEIGHT"
            )
            self.used += float(height)  # type: ignore[arg-type]
        else:
            self.pdf.multi_cell(width, line, text, align=align, new_x="LMARGIN", new_y="NEXT")

    def text(
        self, text: str, size: float = 12, style: str = "", color: RGB = INK, align: str = "L"
    ) -> None:
        size *= self.scale
        self.pdf.set_font(FAMILY, style, size)
        self.pdf.set_text_color(*color)
        self._cell(self.pdf.epw, size * 0.5, self.clean(text), align)

    def field(self, label: str, value: str) -> None:
        """A label in bold on the left and its value beside it, wrapped under itself if long."""
        pdf, size, line = self.pdf, 12 * self.scale, 6.5 * self.scale
        pdf.set_text_color(*INK)
        if not self.dry:
            y = pdf.get_y()
            pdf.set_font(FAMILY, "B", size)
            pdf.set_x(pdf.l_margin)
            pdf.cell(LABEL_W, line, label)
            pdf.set_xy(pdf.l_margin + LABEL_W, y)
        pdf.set_font(FAMILY, "", size)
        self._cell(pdf.epw - LABEL_W, line, self.clean(value))

    def big(self, text: str, color: RGB = INK) -> None:
        """A name or a title: large, smaller when long."""
        text = self.clean(text)
        size = 22 if len(text) <= 40 else 17 if len(text) <= 90 else 13
        self.text(text, size, "B", color, align="C")

    def signature_box(self) -> None:
        if self.dry:
            self.used += 30 * self.scale
        else:
            self.pdf.set_draw_color(120, 120, 120)
            self.pdf.rect(self.pdf.l_margin, self.pdf.get_y() + 2, 80, 26 * self.scale)


def _draw(out: _Page, att: Attestation, course_title: str) -> None:
    w = att.workshop
    out.text(course_title, 11, color=MUTED, align="C")
    out.ln(6)
    out.text("Attestation de participation", 26, "B", ACCENT, align="C")
    out.ln(8)
    out.text("Nous attestons que", 13, align="C")
    out.ln(2)
    out.big(att.learner_name)
    out.ln(2)
    out.text("a participé à l'atelier", 13, align="C")
    out.ln(2)
    out.big(f"« {out.clean(w.title)} »", ACCENT)
    out.ln(8)
    out.field("Date", when_text(w))
    out.field("Durée", french.duration(w.duration_minutes))
    place = place_text(w)
    if place:
        out.field("Lieu", place)
    if w.trainer:
        out.field("Animé par", w.trainer)
    if att.modules:
        label = "Modules" if len(att.modules) > 1 else "Module"
        out.field(label, " ; ".join(m.title for m in att.modules))
    if att.competences:
        out.ln(4)
        out.text("Compétences numériques travaillées (référentiel Pix)", 13, "B", ACCENT)
        for code, name in att.competences:
            out.text(f"{code}  {name}", 12)
    if att.results:
        out.ln(4)
        heading = (
            "Résultats des évaluations" if len(att.results) > 1 else "Résultat de l'évaluation"
        )
        out.text(heading, 13, "B", ACCENT)
        for module, res in att.results:
            line = f"{module.title} : {french.points_text(res.score)} sur {french.points_text(res.max_score)}"
            out.text(line + (" (une réponse écrite attend sa correction)." if res.pending else "."))
    out.ln(10)
    out.text((f"Fait à {w.site}, le " if w.site else "Fait le ") + french.day(att.issued) + ".")
    out.ln(3)
    out.text("Signature de la personne qui anime l'atelier :", 12)
    out.signature_box()


def _one_page(out: _Page, att: Attestation, course_title: str) -> None:
    """Draw `att` on a new page, at the largest text scale whose measured height fits."""
    room = out.pdf.h - TOP - BOTTOM
    out.pdf.add_page()  # fpdf2 measures on a page (without writing on it)
    for scale in SCALES:
        out.scale, out.dry, out.used = scale, True, 0.0
        _draw(out, att, course_title)
        if out.used <= room:
            break
    out.dry = False
    _draw(out, att, course_title)


def attestation_pdf(
    attestations: list[Attestation], course_title: str, fonts: dict[str, Path] | None = None
) -> bytes:
    """The PDF of one or several attestations, each on its own page."""
    if not attestations:
        raise _workshop_error("Le groupe de cet atelier est vide : aucune attestation à faire.")
    first = attestations[0]
    title = f"Attestation de participation : {first.workshop.title}"
    if len(attestations) == 1:
        title += f" ({first.learner_name})"
    out = _Page(fonts or find_fonts(), title)
    for att in attestations:
        _one_page(out, att, course_title)
    return bytes(out.pdf.output())


def _workshop_of(project: Project, learner_id: str, workshop_id: int | None) -> Workshop:
    book = project.workshops()
    try:
        workshops = book.of_learner(learner_id)
    finally:
        book.close()
    if not workshops:
        raise _workshop_error(NO_WORKSHOP)
    if workshop_id is None:
        return workshops[0]
    for workshop in workshops:
        if workshop.id == workshop_id:
            return workshop
    raise _workshop_error("Cette personne ne fait pas partie du groupe de cet atelier.")


def learner_attestation(
    project: Project, learner_id: str, workshop_id: int | None = None, issued: date | None = None
) -> bytes:
    """One learner's attestation PDF for a workshop they attended (their most recent one when
    `workshop_id` is None). Raises `WorkshopError` (French) if they are in no such workshop."""
    workshop = _workshop_of(project, learner_id, workshop_id)
    att = make_attestation(project, workshop, learner_id, issued)
    return attestation_pdf([att], project.settings.course_title, find_fonts(project.config))


def group_attestations(
    project: Project, workshop_id: int, path: Path | None = None, issued: date | None = None
) -> Path:
    """Every learner of a workshop's group in one PDF, one page each, ready to print; written
    to `path` (default `var/attestations/attestations-<date>-atelier-<id>.pdf`), owner-only.
    Returns it."""
    book = project.workshops()
    try:
        workshop = book.get(workshop_id)
    finally:
        book.close()
    data = group_attestations_pdf(project, workshop, issued)
    return private_write(path or default_path(project, workshop), data)


def group_attestations_pdf(
    project: Project, workshop: Workshop, issued: date | None = None
) -> bytes:
    """The attestations of those who attended (`course.learner.attended`), one page each."""
    from course.learner.attended import NOBODY, attended

    if not workshop.learner_ids:
        raise _workshop_error("Le groupe de cet atelier est vide : aucune attestation à faire.")
    came = attended(project, workshop)
    if not came:
        raise _workshop_error(NOBODY)
    attestations = [make_attestation(project, workshop, i, issued) for i in came]
    return attestation_pdf(attestations, project.settings.course_title, find_fonts(project.config))


def write_learner_attestation(
    project: Project, workshop_id: int, learner_id: str, path: Path | None = None
) -> Path:
    """One learner's attestation as a file (default under `var/attestations/`), owner-only;
    refused for someone of the group who did not come (`course.learner.attended`)."""
    from course.learner.attended import attended

    data = learner_attestation(project, learner_id, workshop_id)
    book = project.workshops()
    try:
        workshop = book.get(workshop_id)
    finally:
        book.close()
    if learner_id not in attended(project, workshop):
        raise _workshop_error(
            "Cette personne n'est pas marquée présente à cet atelier et n'y a pas travaillé : "
            "marquez sa présence d'abord (page « Le groupe et les cartes »)."
        )
    return private_write(path or default_path(project, workshop, learner_id), data)


def filename(workshop: Workshop, learner_id: str | None = None) -> str:
    """`attestation-2026-12-02-helene.pdf` (one learner), `attestations-2026-12-02-atelier-3.pdf`
    (a group): no accent, no space, safe everywhere."""
    if learner_id:
        return f"attestation-{workshop.day.isoformat()}-{learner_id}.pdf"
    return f"attestations-{workshop.day.isoformat()}-atelier-{workshop.id}.pdf"


def default_path(project: Project, workshop: Workshop, learner_id: str | None = None) -> Path:
    return project.data_dir / FOLDER / filename(workshop, learner_id)
