"""The CV as an A4 PDF (fpdf2), drawn with DejaVu Sans so every accent prints as typed."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from course.fonts import FAMILY
from course.learner.cv.model import BULLET_PATTERN, CV
from course.learner.cv.sections import (
    ACCENT,
    BODY_PT,
    INK,
    MARGIN_BOTTOM,
    MARGIN_TOP,
    MARGIN_X,
    MUTED,
    write_cv,
)

PT = 25.4 / 72  # millimetres per point
ENTRY_GAP = {"experiences": 2.2, "training": 1.6}  # millimetres between two entries


class PdfWriter:
    """A `CVWriter` on one fpdf2 document; `scale` makes every size smaller to fit one page."""

    def __init__(self, fonts: dict[str, Path], scale: float):
        from fpdf import FPDF

        self.pdf = pdf = FPDF(orientation="portrait", unit="mm", format="A4")
        pdf.set_margins(MARGIN_X, MARGIN_TOP, MARGIN_X)
        pdf.set_auto_page_break(True, margin=MARGIN_BOTTOM)
        for style, path in fonts.items():
            pdf.add_font(FAMILY, style, str(path))
        pdf.set_lang("fr")
        pdf.set_creator("Ateliers numériques")
        pdf.add_page()
        self.scale = scale
        self.body = BODY_PT * scale
        self.width = pdf.w - 2 * MARGIN_X

    # --- drawing primitives ---

    def line_height(self, size: float) -> float:
        return size * PT * 1.32

    def font(self, size: float, style: str = "", color=INK) -> None:
        self.pdf.set_font(FAMILY, style, size)
        self.pdf.set_text_color(*color)

    def space(self, mm: float) -> None:
        self.pdf.set_y(self.pdf.get_y() + mm * self.scale)

    def text(
        self, text: str, size: float | None = None, style: str = "", color=INK, x=None, width=None
    ):
        from fpdf.enums import XPos, YPos

        size = size or self.body
        self.font(size, style, color)
        if x is not None:
            self.pdf.set_x(x)
        self.pdf.multi_cell(
            width or self.width,
            self.line_height(size),
            text,
            align="L",
            new_x=XPos.LMARGIN,
            new_y=YPos.NEXT,
        )

    def bullet(self, text: str, x: float, width: float) -> None:
        indent = 4.2 * self.scale
        y = self.pdf.get_y()
        self.font(self.body)
        self.pdf.set_xy(x, y)
        self.pdf.cell(indent, self.line_height(self.body), "•")
        self.text(text, x=x + indent, width=width - indent)

    # --- the parts of a CV (course.learner.cv.sections.CVWriter) ---

    def name(self, text: str) -> None:
        self.text(text, size=22 * self.scale, style="B")
        self.space(0.8)

    def job_title(self, text: str) -> None:
        self.text(text, size=14.5 * self.scale, style="B", color=ACCENT)
        self.space(1.2)

    def contact(self, text: str) -> None:
        self.text(text, color=MUTED)

    def profile(self, text: str) -> None:
        self.space(2.5)
        self.text(text)

    def heading(self, text: str) -> None:
        pdf = self.pdf
        self.space(4.5)
        self.text(text, size=12.5 * self.scale, style="B", color=ACCENT)
        y = pdf.get_y() + 0.6 * self.scale
        pdf.set_draw_color(*ACCENT)
        pdf.set_line_width(0.35)
        pdf.line(MARGIN_X, y, MARGIN_X + self.width, y)
        self.space(2.4)

    def entry(self, title: str, when: str, first: bool, section: str) -> None:
        """A bold title on the left and its dates on the right of the same line."""
        if not first:
            self.space(ENTRY_GAP[section])
        pdf = self.pdf
        size = self.body + 0.5 * self.scale
        self.font(size)
        when_width = pdf.get_string_width(when) + 2 if when else 0
        if when_width > self.width * 0.4:  # long dates get their own line
            self.text(title, size=size, style="B")
            self.text(when, color=MUTED)
            return
        y = pdf.get_y()
        self.text(title, size=size, style="B", width=self.width - when_width - 3)
        after = pdf.get_y()
        if when and pdf.page_no() == 1:
            self.font(self.body, color=MUTED)
            pdf.set_xy(MARGIN_X + self.width - when_width, y + (size - self.body) * PT * 0.5)
            pdf.cell(when_width, self.line_height(self.body), when, align="R")
            pdf.set_xy(MARGIN_X, after)

    def detail(self, text: str) -> None:
        self.text(text, style="I", color=MUTED)

    def description(self, text: str) -> None:
        self.space(0.6)
        for line in text.split("\n"):
            if BULLET_PATTERN.match(line):
                self.bullet(BULLET_PATTERN.sub("", line), MARGIN_X, self.width)
            else:
                self.text(line)

    def items(self, items: list[str], columns: int) -> None:
        pdf = self.pdf
        gap = 6.0
        col = (self.width - gap * (columns - 1)) / columns
        for start in range(0, len(items), columns):
            y, bottom = pdf.get_y(), pdf.get_y()
            for i, item in enumerate(items[start : start + columns]):
                pdf.set_y(y)
                self.bullet(item, MARGIN_X + i * (col + gap), col)
                bottom = max(bottom, pdf.get_y()) if pdf.page_no() == 1 else pdf.get_y()
            pdf.set_xy(MARGIN_X, bottom)

    def inline(self, text: str) -> None:
        self.text(text)


def render_pdf(cv: CV, scale: float, fonts: dict[str, Path]) -> Any:
    """The laid-out fpdf2 document (`.pages_count` tells whether it fits on one page)."""
    out = PdfWriter(fonts, scale)
    out.pdf.set_title(f"CV de {cv.full_name} : {cv.title}")
    out.pdf.set_author(cv.full_name)
    out.pdf.set_subject(cv.title)
    write_cv(cv, out)
    return out.pdf
