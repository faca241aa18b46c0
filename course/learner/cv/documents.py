"""The two files a learner downloads, PDF and Word: cleaned, checked, fitted on one page, named
(`cv-helene-lefevre.pdf`), with the notes in French that say what had to be shortened."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from course.access.roster import slugify
from course.fonts import FontNotFound, find_fonts, printable_codepoints
from course.learner.cv.cleaning import CVError, check, clean
from course.learner.cv.fitting import fit_one_page
from course.learner.cv.model import CV, DOCX_MIME, PDF_MIME
from course.learner.cv.pdf import render_pdf
from course.learner.cv.word import render_docx

UNPRINTABLE_NOTE = (
    "Certains signes (par exemple des émoticônes) ne peuvent pas être imprimés : "
    "ils ont été enlevés."
)


@dataclass
class CVDocument:
    data: bytes
    filename: str
    mime: str
    notes: list[str]  # French, for the learner: what was shortened or left out


def filename(cv: CV, extension: str) -> str:
    """`cv-helene-lefevre.pdf`: no accent, no space, safe on every system."""
    return f"cv-{slugify(cv.full_name)}.{extension}"


def _printable(cv: CV, fonts: dict[str, Path]) -> tuple[CV, bool]:
    """`cv` with the characters the font cannot draw (emoji...) removed; True if any were."""
    known = printable_codepoints(fonts)
    removed = False

    def keep(text: str) -> str:
        nonlocal removed
        out = []
        for ch in text:
            if ch == "\n" or ord(ch) in known:
                out.append(ch)
            elif unicodedata.category(ch) == "Zs":  # an unusual space: a plain one will do
                out.append(" ")
            else:
                removed = True
        return re.sub(r" {2,}", " ", "".join(out)).strip()

    return CV.from_dict(_map_text(cv.to_dict(), keep)), removed


def _map_text(value, fn):
    if isinstance(value, str):
        return fn(value)
    if isinstance(value, list):
        return [_map_text(v, fn) for v in value]
    if isinstance(value, dict):
        return {k: _map_text(v, fn) for k, v in value.items()}
    return value


def _prepare(
    cv: CV, fonts: dict[str, Path] | None, need_font: bool
) -> tuple[CV, CV, float, list[str]]:
    """(cleaned as typed, fitted on one page, text scale, notes); raises `CVError`."""
    cleaned, notes = clean(cv)
    problems = check(cleaned)
    if problems:
        raise CVError(problems)
    try:
        fonts = fonts or find_fonts()
    except FontNotFound:
        if need_font:
            raise
        return cleaned, cleaned, 1.0, notes  # Word without measuring: content as typed
    printable, removed = _printable(cleaned, fonts)
    if removed:
        notes.append(UNPRINTABLE_NOTE)
        problems = check(printable)
        if problems:
            raise CVError(problems)
    fitted, scale, fit_notes = fit_one_page(printable, fonts)
    return cleaned, fitted, scale, notes + fit_notes


def make_pdf(cv: CV, fonts: dict[str, Path] | None = None) -> CVDocument:
    """The CV as a one-page PDF. Raises `CVError` (French problems) or `FontNotFound`.

    `fonts`: from `course.fonts.find_fonts(project.config)`; the defaults' fonts otherwise.
    """
    cleaned, fitted, scale, notes = _prepare(cv, fonts, need_font=True)
    pdf = render_pdf(fitted, scale, fonts or find_fonts())
    return CVDocument(bytes(pdf.output()), filename(cleaned, "pdf"), PDF_MIME, notes)


def make_docx(cv: CV, fonts: dict[str, Path] | None = None) -> CVDocument:
    """The CV as a Word file with the PDF's content and sizes. Raises `CVError`."""
    cleaned, fitted, scale, notes = _prepare(cv, fonts, need_font=False)
    return CVDocument(render_docx(fitted, scale), filename(cleaned, "docx"), DOCX_MIME, notes)
