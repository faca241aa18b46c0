"""One page, checked rather than hoped for: the PDF is laid out, and if it spills onto a second
page the text gets a little smaller, then descriptions are shortened and the oldest entries
left out, each step told to the learner.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from course.fonts import find_fonts
from course.learner.cv.cleaning import shorten
from course.learner.cv.model import CV, HEADINGS
from course.learner.cv.pdf import render_pdf

# --- Fitting on one page --------------------------------------------------------------------

SCALES = (1.0, 0.95, 0.9, 0.86)  # body text 10.5 pt down to 9 pt: still comfortable to read
SMALLER_NOTE = "Le texte a été écrit un peu plus petit pour que le CV tienne sur une page."
ADVICE = (
    "Conseil : un CV tient sur une page. Gardez vos expériences les plus récentes "
    "et des descriptions courtes."
)


def _shorten_lines(text: str, limit: int) -> str:
    """Like `shorten`, keeping the first lines whole (a description may be a list)."""
    kept: list[str] = []
    used = 0
    for line in text.split("\n"):
        if used + len(line) > limit:
            if limit - used >= 30 or not kept:
                kept.append(shorten(line, max(limit - used, 30)))
            elif not kept[-1].endswith("…"):
                kept[-1] = kept[-1].rstrip(" .") + " …"
            break
        kept.append(line)
        used += len(line)
    return "\n".join(kept)


# What always fits: with these, even the longest answers `clean` allows make one page.
LAST_LIMITS = {"skills": 8, "languages": 3, "interests": 3}


def _reductions(cv: CV):
    """Successive smaller versions of `cv`, from the mildest cut to the strongest."""

    def descriptions(cv: CV, limit: int) -> CV:
        shorter = [
            replace(e, description=_shorten_lines(e.description, limit)) for e in cv.experiences
        ]
        return replace(cv, experiences=shorter)

    for limit in (400, 250):
        cv = descriptions(cv, limit)
        yield cv
    if len(cv.profile) > 200:
        cv = replace(cv, profile=shorten(cv.profile, 200))
        yield cv
    cv = descriptions(cv, 120)
    yield cv
    for keep, limits in ((2, {"skills": 12, "languages": 4, "interests": 5}), (1, LAST_LIMITS)):
        # The last entries go first: the form asks for the most recent first.
        while len(cv.experiences) > keep:
            cv = replace(cv, experiences=cv.experiences[:-1])
            yield cv
        while len(cv.training) > keep:
            cv = replace(cv, training=cv.training[:-1])
            yield cv
        for name, limit in limits.items():
            cv = replace(cv, **{name: getattr(cv, name)[:limit]})
            yield cv
    cv = replace(cv, experiences=[replace(e, description="") for e in cv.experiences])
    yield cv


def _quoted(values: list[str]) -> str:
    return ", ".join(f"« {v} »" for v in values)


def _fit_notes(before: CV, after: CV) -> list[str]:
    """What the learner must know about the cuts between `before` and `after` (French)."""
    notes = []
    if after.profile != before.profile:
        notes.append("Votre phrase de présentation a été raccourcie.")
    pairs = list(zip(before.experiences, after.experiences, strict=False))
    shortened = [b.title for b, a in pairs if a.description and a.description != b.description]
    removed = [b.title for b, a in pairs if b.description and not a.description]
    gone_experiences = [e.title for e in before.experiences[len(after.experiences) :]]
    gone_training = [t.title for t in before.training[len(after.training) :]]
    cuts = (
        (
            shortened,
            "La description de l'expérience {} a été raccourcie.",
            "Ces descriptions ont été raccourcies : {}.",
        ),
        (
            removed,
            "La description de l'expérience {} n'a pas pu entrer sur la page.",
            "Ces descriptions n'ont pas pu entrer sur la page : {}.",
        ),
        (
            gone_experiences,
            "L'expérience {} n'a pas pu entrer sur la page.",
            "Ces expériences n'ont pas pu entrer sur la page : {}.",
        ),
        (
            gone_training,
            "La formation {} n'a pas pu entrer sur la page.",
            "Ces formations n'ont pas pu entrer sur la page : {}.",
        ),
    )
    for titles, one, many in cuts:
        if titles:
            notes.append((one if len(titles) == 1 else many).format(_quoted(titles)))
    for name in ("skills", "languages", "interests"):
        gone = getattr(before, name)[len(getattr(after, name)) :]
        if gone:
            notes.append(f"Partie « {HEADINGS[name]} » : pas de place pour {_quoted(gone)}.")
    return notes


def _pages(cv: CV, scale: float, fonts: dict[str, Path]) -> int:
    return render_pdf(cv, scale, fonts).pages_count


def fit_one_page(cv: CV, fonts: dict[str, Path] | None = None) -> tuple[CV, float, list[str]]:
    """The content and text scale that fit on one A4 page, and notes (French) for the learner.

    The text is first made a little smaller; then content is cut, step by step, the mildest
    first. Cuts only ever remove, so the first step that fits is found by bisection.
    """
    fonts = fonts or find_fonts()
    for scale in SCALES:
        if _pages(cv, scale, fonts) == 1:
            return cv, scale, [SMALLER_NOTE] if scale < 1 else []
    scale = SCALES[-1]
    steps = list(_reductions(cv))
    low, high = 0, len(steps) - 1  # steps[high] is the smallest version: always tried last
    while low < high:
        middle = (low + high) // 2
        if _pages(steps[middle], scale, fonts) == 1:
            high = middle
        else:
            low = middle + 1
    return steps[high], scale, [SMALLER_NOTE, *_fit_notes(cv, steps[high]), ADVICE]
