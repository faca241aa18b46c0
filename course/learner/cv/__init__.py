"""The CV builder: a one-page CV, as PDF (fpdf2) and as Word (python-docx), from what a learner
typed in a form, usable and tested without any widget.

- `model`: what a CV holds, field limits and labels; `cleaning`: control characters out,
  lengths capped, and what is missing or wrong, in French (`check`);
- `storage`: `CVStore`, the learner's `cv/cv.json`, written atomically on every change;
- `fitting`: one page checked, not hoped for; `sections`: the CV's parts in order, walked by
  both `pdf` and `word`; `documents`: `make_pdf` and `make_docx`;
- `page`: the Voilà page the learner fills step by step.
"""

from course.fonts import FontNotFound
from course.learner.cv.cleaning import CVError, Problem, check, clean, clean_text
from course.learner.cv.documents import CVDocument, filename, make_docx, make_pdf
from course.learner.cv.fitting import fit_one_page
from course.learner.cv.model import (
    CV,
    DOCX_MIME,
    EXPERIENCE_LABELS,
    HEADINGS,
    LABELS,
    LIMITS,
    MAX_ITEMS,
    PDF_MIME,
    TRAINING_LABELS,
    Experience,
    Training,
)
from course.learner.cv.storage import CVStore, cv_path

__all__ = [
    "CV",
    "DOCX_MIME",
    "EXPERIENCE_LABELS",
    "HEADINGS",
    "LABELS",
    "LIMITS",
    "MAX_ITEMS",
    "PDF_MIME",
    "TRAINING_LABELS",
    "CVDocument",
    "CVError",
    "CVStore",
    "Experience",
    "FontNotFound",
    "Problem",
    "Training",
    "check",
    "clean",
    "clean_text",
    "cv_path",
    "filename",
    "fit_one_page",
    "make_docx",
    "make_pdf",
]
