"""The CV as a Word file (python-docx) with the PDF's content and sizes, in French styles, so
the learner can edit it later in Word or LibreOffice."""

from __future__ import annotations

import io
from typing import Any

from course.learner.cv import sections as look
from course.learner.cv.model import BULLET_PATTERN, CV

DOCX_FONT = "Arial"  # on every Windows; LibreOffice uses the same-width Liberation Sans


def _hex(color: tuple[int, int, int]) -> str:
    return "".join(f"{c:02X}" for c in color)


def _plain_font(rpr, name: str) -> None:
    """Use `name` for all scripts, dropping the theme fonts that would otherwise win."""
    from docx.oxml.ns import qn

    fonts = rpr.get_or_add_rFonts()
    for attr in ("asciiTheme", "hAnsiTheme", "eastAsiaTheme", "cstheme"):
        fonts.attrib.pop(qn(f"w:{attr}"), None)
    for attr in ("ascii", "hAnsi", "cs", "eastAsia"):
        fonts.set(qn(f"w:{attr}"), name)


def _style(doc, name: str, size: float, bold=False, color=look.INK, before=0.0, after=2.0):
    from docx.shared import Pt, RGBColor

    style = doc.styles[name]
    _plain_font(style.element.get_or_add_rPr(), DOCX_FONT)
    style.font.size = Pt(size)
    style.font.bold = bold
    style.font.italic = False
    style.font.color.rgb = RGBColor(*color)
    fmt = style.paragraph_format
    fmt.space_before = Pt(before)
    fmt.space_after = Pt(after)
    fmt.line_spacing = 1.1
    return style


def _bottom_border(style, color: tuple[int, int, int]) -> None:
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    ppr = style.element.get_or_add_pPr()
    for old in ppr.findall(qn("w:pBdr")):
        ppr.remove(old)
    border = OxmlElement("w:pBdr")
    bottom = OxmlElement("w:bottom")
    for key, value in (("val", "single"), ("sz", "8"), ("space", "1"), ("color", _hex(color))):
        bottom.set(qn(f"w:{key}"), value)
    border.append(bottom)
    # w:pBdr comes right after these in a paragraph's properties (OOXML order).
    before = ("w:shd", "w:tabs", "w:suppressAutoHyphens", "w:spacing", "w:ind", "w:jc")
    ppr.insert_element_before(border, *before)


class WordWriter:
    """A `CVWriter` on one python-docx document, with styles sized by `scale` like the PDF."""

    def __init__(self, scale: float):
        from docx import Document
        from docx.oxml.ns import qn
        from docx.shared import Mm

        self.doc = doc = Document()
        self.scale = scale
        section = doc.sections[0]
        section.page_width, section.page_height = Mm(210), Mm(297)
        section.left_margin = section.right_margin = Mm(look.MARGIN_X)
        section.top_margin, section.bottom_margin = Mm(look.MARGIN_TOP), Mm(look.MARGIN_BOTTOM)
        self.width = section.page_width - 2 * section.left_margin

        # French everywhere: Word's spelling checker then helps the learner edit the file.
        defaults = doc.styles.element.find(qn("w:docDefaults")).find(qn("w:rPrDefault"))
        defaults.find(qn("w:rPr")).find(qn("w:lang")).set(qn("w:val"), "fr-FR")
        self.body = look.BODY_PT * scale
        _style(doc, "Normal", self.body)
        title_style = _style(doc, "Title", 22 * scale, bold=True, after=2)
        for old in title_style.element.get_or_add_pPr().findall(qn("w:pBdr")):
            title_style.element.pPr.remove(old)
        heading = _style(
            doc, "Heading 1", 12.5 * scale, bold=True, color=look.ACCENT, before=12 * scale, after=4
        )
        _bottom_border(heading, look.ACCENT)
        _style(doc, "List Bullet", self.body)

    def para(
        self,
        text: str = "",
        style: str | None = None,
        bold=False,
        italic=False,
        color=look.INK,
        size=None,
    ) -> Any:
        from docx.shared import Pt, RGBColor

        p = self.doc.add_paragraph(style=style)
        if text:
            run = p.add_run(text)
            run.bold, run.italic = bold or None, italic or None
            run.font.color.rgb = RGBColor(*color)
            if size:
                run.font.size = Pt(size)
        return p

    # --- the parts of a CV (course.learner.cv.sections.CVWriter) ---

    def name(self, text: str) -> None:
        self.para(text, style="Title")

    def job_title(self, text: str) -> None:
        self.para(text, bold=True, color=look.ACCENT, size=14.5 * self.scale)

    def contact(self, text: str) -> None:
        self.para(text, color=look.MUTED)

    def profile(self, text: str) -> None:
        from docx.shared import Pt

        self.para(text).paragraph_format.space_before = Pt(6 * self.scale)

    def heading(self, text: str) -> None:
        self.doc.add_heading(text, level=1)

    def entry(self, title: str, when: str, first: bool, section: str) -> None:
        from docx.enum.text import WD_TAB_ALIGNMENT
        from docx.shared import Pt, RGBColor

        p = self.para(title, bold=True, size=self.body + 0.5 * self.scale)
        p.paragraph_format.space_before = Pt(6 * self.scale)
        p.paragraph_format.keep_with_next = True
        if when:
            p.paragraph_format.tab_stops.add_tab_stop(self.width, WD_TAB_ALIGNMENT.RIGHT)
            run = p.add_run("\t" + when)
            run.font.color.rgb = RGBColor(*look.MUTED)

    def detail(self, text: str) -> None:
        self.para(text, italic=True, color=look.MUTED)

    def description(self, text: str) -> None:
        for line in text.split("\n"):
            if BULLET_PATTERN.match(line):
                self.para(BULLET_PATTERN.sub("", line), style="List Bullet")
            else:
                self.para(line)

    def items(self, items: list[str], columns: int) -> None:
        for item in items:  # one column: Word reflows the list as the learner edits it
            self.para(item, style="List Bullet")

    def inline(self, text: str) -> None:
        self.para(text)


def render_docx(cv: CV, scale: float) -> bytes:
    """The .docx file's bytes."""
    out = WordWriter(scale)
    look.write_cv(cv, out)
    props = out.doc.core_properties
    props.title = f"CV de {cv.full_name} : {cv.title}"
    props.author = props.last_modified_by = cv.full_name
    props.subject = cv.title
    props.language = "fr-FR"
    props.comments = ""
    buffer = io.BytesIO()
    out.doc.save(buffer)
    return buffer.getvalue()
