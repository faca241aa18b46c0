"""Results as an A4 PDF (fpdf2, DejaVu Sans): the learner's own to take home, or a whole group's
in one file for the trainer to print, one learner after the other, each starting a new page.

The same rows and words as the results page (`course.learner.results_view`), with the
explanation's lists kept as lists.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from pathlib import Path

from course.answers.released import ReleasedResults
from course.content.catalogue import Module
from course.fonts import FAMILY, find_fonts
from course.learner.results_view import (
    COMMENT,
    NO_ANSWER,
    PENDING,
    RIGHT_PARTS,
    SOURCE,
    YOUR_ANSWER,
    result_rows,
    score_sentence,
)

ACCENT = (11, 79, 168)
INK = (26, 26, 26)
MUTED = (64, 64, 64)
VERDICT_COLOURS = {"right": (30, 107, 47), "graded": (30, 107, 47), "partial": (120, 80, 0)}
WRONG = (138, 28, 28)
BULLET = re.compile(r"^\s*[-*•]\s+")
MARKUP = re.compile(r"(\*\*|__|`)")
LINK = re.compile(r"\[([^\]]*)\]\([^)]*\)")


def _plain(text: str) -> str:
    """Markdown emphasis and links as plain text (the PDF prints words, not markup)."""
    return MARKUP.sub("", LINK.sub(r"\1", text))


class _Writer:
    def __init__(self, fonts: dict[str, Path]):
        from fpdf import FPDF

        self.pdf = pdf = FPDF(format="A4", unit="mm")
        pdf.set_margins(18, 15, 18)
        pdf.set_auto_page_break(True, margin=15)
        for style, path in fonts.items():
            pdf.add_font(FAMILY, style, str(path))
        pdf.set_lang("fr")
        pdf.set_creator("Ateliers numériques")

    def text(self, text: str, size: float = 11, style: str = "", color=INK) -> None:
        from fpdf.enums import XPos, YPos

        self.pdf.set_font(FAMILY, style, size)
        self.pdf.set_text_color(*color)
        self.pdf.multi_cell(
            0, size * 0.5, text, align="L", new_x=XPos.LMARGIN, new_y=YPos.NEXT
        )  # left-aligned: justified lines leave wide gaps that weak readers stumble on

    def markdown(self, text: str, size: float = 11) -> None:
        for line in text.strip().splitlines():
            if not line.strip():
                self.pdf.ln(1.5)
            elif BULLET.match(line):
                self.text("•  " + _plain(BULLET.sub("", line)), size)
            else:
                self.text(_plain(line), size)


def _learner(out: _Writer, module: Module, results: ReleasedResults, name: str) -> None:
    out.pdf.add_page()
    out.text(f"Vos résultats : {module.title}", 18, "B", ACCENT)
    out.text(name, 13, "B")
    out.text(score_sentence(results), 12, "B")
    if results.pending:
        out.text(PENDING, 11, color=MUTED)
    for row in result_rows(module, results):
        out.pdf.ln(3)
        out.text(f"Question {row.number} : {_plain(row.prompt)}", 12, "B")
        if row.context:
            out.markdown(row.context, 10)
        if not row.answer:
            out.text(f"{YOUR_ANSWER} {NO_ANSWER}")
        elif row.several_parts or len(row.answer) > 1:
            out.text(YOUR_ANSWER)
            for part in row.answer:
                out.text("•  " + part)
        else:
            out.text(f"{YOUR_ANSWER} {row.answer[0]}")
        out.text(row.verdict_sentence, 11, "B", VERDICT_COLOURS.get(row.verdict, WRONG))
        if row.right_parts:
            out.text(f"{RIGHT_PARTS} " + " ; ".join(row.right_parts) + ".")
        if row.explanation:
            out.markdown(row.explanation)
        if row.comment:
            out.text(f"{COMMENT} {row.comment}", 11, "I")
        if row.publishers:
            out.text(f"{SOURCE} " + ", ".join(row.publishers) + ".", 9, color=MUTED)


def _missing(out: _Writer, module: Module, name: str) -> None:
    out.pdf.add_page()
    out.text(f"Résultats : {module.title}", 18, "B", ACCENT)
    out.text(name, 13, "B")
    out.text(
        "Pas de résultats pour ce module : l'évaluation n'a pas été envoyée, ou ses résultats "
        "n'ont pas encore été rendus.",
        11,
        color=MUTED,
    )


def results_pdf(
    module: Module,
    learners: list[tuple[str, ReleasedResults]],
    fonts: dict[str, Path] | None = None,
) -> bytes:
    """The PDF of one or several learners' results (`(first name, results)` pairs)."""
    pages = [(module, name, results) for name, results in learners]
    return results_book_pdf(pages, f"Résultats : {module.title}", fonts)


def results_book_pdf(
    pages: Sequence[tuple[Module, str, ReleasedResults | None]],
    title: str,
    fonts: dict[str, Path] | None = None,
) -> bytes:
    """Several modules' results in one PDF, a new page for each `(module, first name,
    results)`; None results print a page saying there are none yet (the trainer's book)."""
    out = _Writer(fonts or find_fonts())
    out.pdf.set_title(title)
    for module, name, results in pages:
        if results is None:
            _missing(out, module, name)
        else:
            _learner(out, module, results, name)
    return bytes(out.pdf.output())
