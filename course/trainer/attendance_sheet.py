"""The « feuille d'émargement » of a workshop: one A4 page (or more) to print and have signed,
with the workshop's title, day, hours, place, who leads it and one line per person of the group
(first name, present as marked in the space, a box to sign).

Funders of médiation numérique ask for a signed sheet beside La Coop's count; the same fpdf2 and
DejaVu Sans as the attestations and the cards (`course.fonts`).
"""

from __future__ import annotations

from pathlib import Path

from course.core.french import count
from course.fonts import FAMILY, find_fonts, printable_codepoints
from course.learner.attestation import place_text, when_text
from course.settings import Project
from course.workshops import Workshop

ACCENT = (11, 79, 168)
INK = (26, 26, 26)
ROW_H = 12.0  # mm: room for a signature
COLUMNS = (("Prénom", 70.0), ("Présent(e)", 28.0), ("Signature", 76.0))


def _printable(text: str, fonts: dict[str, Path]) -> str:
    drawable = printable_codepoints(fonts)
    return "".join(ch for ch in text if ord(ch) in drawable or ch in " \n")


def attendance_sheet_pdf(project: Project, workshop: Workshop) -> bytes:
    """The sheet of one workshop as PDF bytes (the group in alphabetical order)."""
    from fpdf import FPDF
    from fpdf.enums import XPos, YPos

    fonts = find_fonts(project.config)
    names = {lr.id: lr.name for lr in project.roster().learners()}
    people = sorted(
        ((names.get(i, i), i) for i in workshop.learner_ids), key=lambda p: p[0].casefold()
    )
    present = set(workshop.present_ids)
    pdf = FPDF(format="A4", unit="mm")
    pdf.set_margins(18, 15, 18)
    pdf.set_auto_page_break(True, margin=15)
    for style, path in fonts.items():
        pdf.add_font(FAMILY, style, str(path))
    pdf.set_lang("fr")
    pdf.set_title(f"Feuille d'émargement : {workshop.title}")
    pdf.set_creator("Ateliers numériques")
    pdf.add_page()

    def line(
        text: str, size: float = 11, style: str = "", color: tuple[int, int, int] = INK
    ) -> None:
        pdf.set_font(FAMILY, style, size)
        pdf.set_text_color(*color)
        pdf.multi_cell(0, size * 0.5, _printable(text, fonts), new_x=XPos.LMARGIN, new_y=YPos.NEXT)

    line("Feuille d'émargement", 18, "B", ACCENT)
    pdf.ln(2)
    line(workshop.title, 14, "B")
    line(when_text(workshop) + f" ({workshop.duration_minutes} minutes)")
    if place := place_text(workshop):
        line(f"Lieu : {place}")
    if workshop.trainer:
        line(f"Animé par : {workshop.trainer}")
    enrolled = count(len(people), "personne inscrite", "personnes inscrites")
    marked = count(len(present), "marquée présente", "marquées présentes")
    line(f"{enrolled}, {marked}.")
    pdf.ln(4)

    def header() -> None:
        pdf.set_font(FAMILY, "B", 11)
        pdf.set_fill_color(238, 243, 249)
        for label, width in COLUMNS:
            pdf.cell(width, 9, label, border=1, fill=True)
        pdf.ln(9)

    header()
    pdf.set_font(FAMILY, "", 11)
    for name, learner_id in people:
        if pdf.will_page_break(ROW_H):
            pdf.add_page()
            header()
            pdf.set_font(FAMILY, "", 11)
        pdf.cell(COLUMNS[0][1], ROW_H, _printable(name, fonts)[:40], border=1)
        pdf.cell(COLUMNS[1][1], ROW_H, "oui" if learner_id in present else "", border=1, align="C")
        pdf.cell(COLUMNS[2][1], ROW_H, "", border=1)
        pdf.ln(ROW_H)
    pdf.ln(6)
    line("Signature de la personne qui anime :")
    return bytes(pdf.output())
