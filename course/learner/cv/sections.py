"""The order and shape of a CV, written once: the PDF and the Word file walk the same sections.

`write_cv` calls a `CVWriter` for each part in reading order (name, job sought, contact line,
profile, then each non-empty section with its entries), so both files always carry the same
content in the same order; only how a part looks is the writer's business.
"""

from __future__ import annotations

from typing import Protocol

from course.learner.cv.model import CV, HEADINGS

SEPARATOR = "   ·   "
# The look both files share: colours, A4 margins in millimetres, body text size in points.
ACCENT = (11, 79, 168)  # #0b4fa8, the workshop pages' blue (7.6:1 on white)
INK = (26, 26, 26)
MUTED = (64, 64, 64)  # 10:1 on white: secondary, still easy to read
MARGIN_X, MARGIN_TOP, MARGIN_BOTTOM = 18.0, 15.0, 14.0
BODY_PT = 10.5


class CVWriter(Protocol):
    """How one file format draws each part of a CV."""

    def name(self, text: str) -> None: ...

    def job_title(self, text: str) -> None: ...

    def contact(self, text: str) -> None: ...

    def profile(self, text: str) -> None: ...

    def heading(self, text: str) -> None: ...

    def entry(self, title: str, when: str, first: bool, section: str) -> None:
        """A bold title with its dates; `first` in its `section` (spacing between entries)."""

    def detail(self, text: str) -> None:
        """The secondary line under an entry: employer and town, or school."""

    def description(self, text: str) -> None:
        """Several lines; those starting with a dash are bullets."""

    def items(self, items: list[str], columns: int) -> None:
        """Short items as bullets, in `columns` where the format can."""

    def inline(self, text: str) -> None: ...


def contact_line(cv: CV) -> str:
    return SEPARATOR.join(p for p in (cv.phone, cv.email, cv.town) if p)


def write_cv(cv: CV, out: CVWriter) -> None:
    """Walk every part of `cv`, in reading order, through `out`."""
    out.name(cv.full_name)
    out.job_title(cv.title)
    if contact := contact_line(cv):
        out.contact(contact)
    if cv.profile:
        out.profile(cv.profile)
    if cv.experiences:
        out.heading(HEADINGS["experiences"])
        _entries(
            out,
            "experiences",
            [
                (e.title, e.dates, ", ".join(p for p in (e.employer, e.place) if p), e.description)
                for e in cv.experiences
            ],
        )
    if cv.skills:
        out.heading(HEADINGS["skills"])
        out.items(cv.skills, columns=2 if len(cv.skills) > 3 else 1)
    if cv.training:
        out.heading(HEADINGS["training"])
        _entries(out, "training", [(t.title, t.year, t.school, "") for t in cv.training])
    if cv.languages:
        out.heading(HEADINGS["languages"])
        out.items(cv.languages, columns=2 if len(cv.languages) > 2 else 1)
    if cv.interests:
        out.heading(HEADINGS["interests"])
        out.inline(SEPARATOR.join(cv.interests))


def _entries(out: CVWriter, section: str, entries: list[tuple[str, str, str, str]]) -> None:
    """Entries of one section: (title, dates, detail line, description), each part optional."""
    for i, (title, when, detail, description) in enumerate(entries):
        out.entry(title, when, first=i == 0, section=section)
        if detail:
            out.detail(detail)
        if description:
            out.description(description)
