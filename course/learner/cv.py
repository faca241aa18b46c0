"""A one-page CV, as PDF (fpdf2) and as Word (python-docx), from what a learner typed.

The learner fills a form (`course.learner.cv_app`); this module is the library behind it, usable and
tested without any widget:

- `CV` holds the answers; `CVStore` keeps them in the learner's folder
  (`<learners_dir>/<learner_id>/cv/cv.json`), written atomically on every change.
- `clean` removes control characters and caps every length; `check` lists what is missing or
  wrong, in French, for the learner.
- `make_pdf` and `make_docx` return the file, its name (`cv-helene-lefevre.pdf`) and notes in
  French when something had to be shortened to fit on one page.

One page is checked, not hoped for: the PDF is laid out, and if it spills onto a second page the
text is made a little smaller, then descriptions are shortened and the oldest entries left out,
each step told to the learner. The Word file gets the same content and sizes.

The PDF needs a Unicode TrueType font so that "é", "œ" or "€" print as typed. We ship no font
file: DejaVu Sans is found on the machine (Debian and Ubuntu package `fonts-dejavu-core`, or a
folder named in $COURSE_CV_FONT_DIR); without it `FontNotFound` says what to install.
"""

from __future__ import annotations

import io
import json
import os
import re
import unicodedata
from dataclasses import asdict, dataclass, field, fields, replace
from datetime import UTC, datetime
from functools import lru_cache
from pathlib import Path

from course.answers.store import atomic_write_text, check_learner_id, now_iso
from course.identity import slugify

CV_FOLDER = "cv"
CV_FILE = "cv.json"
FORMAT_VERSION = 1
PDF_MIME = "application/pdf"
DOCX_MIME = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"

HEADINGS = {
    "experiences": "Expérience professionnelle",
    "skills": "Compétences",
    "training": "Formation",
    "languages": "Langues",
    "interests": "Centres d'intérêt",
}

# Longest text kept for each field, in characters ("signes" for the learner).
LIMITS = {
    "first_name": 40,
    "last_name": 40,
    "title": 80,
    "phone": 25,
    "email": 80,
    "town": 60,
    "profile": 400,
}
EXPERIENCE_LIMITS = {"title": 80, "employer": 80, "place": 60, "dates": 40, "description": 600}
TRAINING_LIMITS = {"title": 100, "school": 100, "year": 20}
ITEM_LIMIT = 80  # one skill, language or interest
DESCRIPTION_MAX_LINES = 8
MAX_ITEMS = {"experiences": 8, "skills": 15, "training": 6, "languages": 6, "interests": 8}

# The form's labels (course.learner.cv_app uses them too), so messages name the field the learner sees.
LABELS = {
    "first_name": "Votre prénom",
    "last_name": "Votre nom de famille",
    "title": "Le métier que vous cherchez",
    "phone": "Votre numéro de téléphone",
    "email": "Votre adresse courriel",
    "town": "Votre ville",
    "profile": "Une phrase qui vous présente",
}
EXPERIENCE_LABELS = {
    "title": "Le poste",
    "employer": "L'employeur",
    "place": "La ville",
    "dates": "Les dates",
    "description": "Ce que vous faisiez",
}
TRAINING_LABELS = {
    "title": "Le diplôme ou la formation",
    "school": "L'école ou l'organisme",
    "year": "L'année",
}
TOO_MANY = {
    "experiences": "Vous avez écrit plus de {n} expériences : seules les {n} premières sont gardées.",
    "skills": "Vous avez écrit plus de {n} compétences : seules les {n} premières sont gardées.",
    "training": "Vous avez écrit plus de {n} formations : seules les {n} premières sont gardées.",
    "languages": "Vous avez écrit plus de {n} langues : seules les {n} premières sont gardées.",
    "interests": "Vous avez écrit plus de {n} centres d'intérêt : seuls les {n} premiers sont gardés.",
}

EMAIL_PATTERN = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s.]{2,}$")
PHONE_PATTERN = re.compile(r"^\+?[0-9 .\-()/]+$")
BULLET_PATTERN = re.compile(r"^[-•*–]\s*")


# --- The data -------------------------------------------------------------------------------


@dataclass
class Experience:
    title: str = ""
    employer: str = ""
    place: str = ""
    dates: str = ""
    description: str = ""

    def is_empty(self) -> bool:
        return not any(getattr(self, f.name).strip() for f in fields(self))


@dataclass
class Training:
    title: str = ""
    school: str = ""
    year: str = ""

    def is_empty(self) -> bool:
        return not any(getattr(self, f.name).strip() for f in fields(self))


@dataclass
class CV:
    """What a learner wrote. Contact is a phone, an e-mail address and a town (no street)."""

    first_name: str = ""
    last_name: str = ""
    title: str = ""  # the job sought, printed under the name
    phone: str = ""
    email: str = ""
    town: str = ""
    profile: str = ""  # one sentence presenting the learner
    experiences: list[Experience] = field(default_factory=list)  # most recent first
    skills: list[str] = field(default_factory=list)
    training: list[Training] = field(default_factory=list)
    languages: list[str] = field(default_factory=list)
    interests: list[str] = field(default_factory=list)

    @property
    def full_name(self) -> str:
        return " ".join(p for p in (self.first_name, self.last_name) if p)

    def to_dict(self) -> dict:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: object) -> CV:
        """Read a stored CV, ignoring anything of the wrong type (a file may be damaged)."""
        if not isinstance(data, dict):
            return cls()

        def text(value: object) -> str:
            return value if isinstance(value, str) else ""

        def texts(value: object) -> list[str]:
            return [v for v in value if isinstance(v, str)] if isinstance(value, list) else []

        def items(value: object, kind: type) -> list:
            if not isinstance(value, list):
                return []
            names = [f.name for f in fields(kind)]
            return [
                kind(**{n: text(v.get(n)) for n in names}) for v in value if isinstance(v, dict)
            ]

        return cls(
            **{name: text(data.get(name)) for name in LIMITS},
            experiences=items(data.get("experiences"), Experience),
            skills=texts(data.get("skills")),
            training=items(data.get("training"), Training),
            languages=texts(data.get("languages")),
            interests=texts(data.get("interests")),
        )


# --- Cleaning and checking ------------------------------------------------------------------


def clean_text(value: object, multiline: bool = False) -> str:
    """Text safe to store and print: NFC, no control or invisible formatting characters.

    Tabs become spaces and runs of spaces one space. A multi-line text keeps its non-empty
    lines; any other text is one line.
    """
    if not isinstance(value, str):
        return ""
    text = unicodedata.normalize("NFC", value.replace("\r\n", "\n").replace("\r", "\n"))
    out = []
    for ch in text:
        if ch in "\n\u2028\u2029":
            out.append("\n" if multiline else " ")
        elif ch == "\t":
            out.append(" ")
        elif unicodedata.category(ch).startswith("C"):  # control, format, private, unassigned
            continue
        else:
            out.append(ch)
    lines = (re.sub(r" {2,}", " ", line).strip() for line in "".join(out).split("\n"))
    return "\n".join(line for line in lines if line)


def clean(cv: CV) -> tuple[CV, list[str]]:
    """A copy of `cv` safe to store and print, and notes (French) on what was cut.

    Empty experiences, trainings and list items are dropped; lengths and counts are capped.
    """
    notes: list[str] = []

    def text(value: str, limit: int, label: str, multiline: bool = False) -> str:
        # A forged widget message could be huge: look at a bounded prefix only.
        cleaned = clean_text(value[: limit * 4 + 200] if isinstance(value, str) else "", multiline)
        if multiline and cleaned.count("\n") >= DESCRIPTION_MAX_LINES:
            cleaned = "\n".join(cleaned.split("\n")[:DESCRIPTION_MAX_LINES])
            notes.append(
                f"Texte trop long pour « {label} » : seules les "
                f"{DESCRIPTION_MAX_LINES} premières lignes sont gardées."
            )
        if len(cleaned) > limit:
            cleaned = cleaned[:limit].rstrip()
            notes.append(
                f"Texte trop long pour « {label} » : seuls les {limit} premiers signes sont gardés."
            )
        return cleaned

    def capped(name: str, values: list) -> list:
        limit = MAX_ITEMS[name]
        if len(values) > limit:
            notes.append(TOO_MANY[name].format(n=limit))
        return values[:limit]

    def item_list(name: str, values: list[str]) -> list[str]:
        label = HEADINGS[name]
        kept = [text(v, ITEM_LIMIT, label) for v in values[: MAX_ITEMS[name] * 4]]
        return capped(name, [v for v in kept if v])

    experiences = []
    for i, e in enumerate(cv.experiences[: MAX_ITEMS["experiences"] * 4], 1):
        item = Experience(
            **{
                name: text(
                    getattr(e, name),
                    limit,
                    f"Expérience {i} : {EXPERIENCE_LABELS[name].lower()}",
                    multiline=name == "description",
                )
                for name, limit in EXPERIENCE_LIMITS.items()
            }
        )
        if not item.is_empty():
            experiences.append(item)
    training = []
    for i, t in enumerate(cv.training[: MAX_ITEMS["training"] * 4], 1):
        item = Training(
            **{
                name: text(
                    getattr(t, name), limit, f"Formation {i} : {TRAINING_LABELS[name].lower()}"
                )
                for name, limit in TRAINING_LIMITS.items()
            }
        )
        if not item.is_empty():
            training.append(item)
    result = CV(
        **{name: text(getattr(cv, name), limit, LABELS[name]) for name, limit in LIMITS.items()},
        experiences=capped("experiences", experiences),
        skills=item_list("skills", cv.skills),
        training=capped("training", training),
        languages=item_list("languages", cv.languages),
        interests=item_list("interests", cv.interests),
    )
    return result, notes


@dataclass(frozen=True)
class Problem:
    """Something to fix before the CV can be made. `field` names the CV field (for the form)."""

    field: str
    message: str


class CVError(ValueError):
    """The CV cannot be made yet; `problems` say why, in French, for the learner."""

    def __init__(self, problems: list[Problem]):
        self.problems = problems
        super().__init__(" ".join(p.message for p in problems))


def check(cv: CV) -> list[Problem]:
    """What is missing or wrong in a cleaned CV; empty when a CV can be made."""
    problems = []
    if not cv.first_name:
        problems.append(Problem("first_name", "Écrivez votre prénom."))
    if not cv.last_name:
        problems.append(Problem("last_name", "Écrivez votre nom de famille."))
    if not cv.title:
        problems.append(
            Problem(
                "title",
                "Écrivez le métier que vous cherchez. Il sera le titre de votre CV, "
                "sous votre nom.",
            )
        )
    if not cv.phone and not cv.email:
        problems.append(
            Problem(
                "phone",
                "Donnez au moins un moyen de vous joindre : un numéro de téléphone "
                "ou une adresse courriel. Sans cela, l'employeur ne peut pas vous répondre.",
            )
        )
    if cv.phone:
        digits = sum(ch.isdigit() for ch in cv.phone)
        if not PHONE_PATTERN.match(cv.phone) or not 8 <= digits <= 15:
            problems.append(
                Problem(
                    "phone",
                    f"Le numéro de téléphone « {cv.phone} » semble incomplet ou contient des "
                    "lettres. Il s'écrit avec des chiffres, par exemple : 06 12 34 56 78.",
                )
            )
    if cv.email and not EMAIL_PATTERN.match(cv.email):
        problems.append(
            Problem(
                "email",
                f"L'adresse courriel « {cv.email} » semble incomplète. Elle s'écrit sans espace, "
                "avec un @, par exemple : helene.lefevre@exemple.fr.",
            )
        )
    # Blocks are named by what the learner wrote in them: empty blocks are dropped by `clean`,
    # so a number could differ from the one the form shows.
    for e in cv.experiences:
        if not e.title:
            known = ", ".join(p for p in (e.employer, e.place, e.dates) if p)
            known = known or shorten(e.description, 40)
            problems.append(
                Problem(
                    "experiences",
                    f"L'expérience « {known} » n'a pas de poste : écrivez le poste occupé "
                    "(par exemple « Vendeuse »), ou enlevez cette expérience.",
                )
            )
    for t in cv.training:
        if not t.title:
            known = ", ".join(p for p in (t.school, t.year) if p)
            problems.append(
                Problem(
                    "training",
                    f"La formation « {known} » n'a pas de nom : écrivez le nom du diplôme ou "
                    "de la formation, ou enlevez cette formation.",
                )
            )
    return problems


def filename(cv: CV, extension: str) -> str:
    """`cv-helene-lefevre.pdf`: no accent, no space, safe on every system."""
    return f"cv-{slugify(cv.full_name)}.{extension}"


# --- Storage --------------------------------------------------------------------------------


def cv_path(learners_dir: Path | str, learner_id: str) -> Path:
    """The learner's CV file; refuses an id that could leave the learners' folder."""
    return Path(learners_dir) / check_learner_id(learner_id) / CV_FOLDER / CV_FILE


class CVStore:
    """One learner's CV answers. Every `save` is atomic and done before it returns."""

    def __init__(self, path: Path | str):
        self.path = Path(path)
        self.recovered_from: Path | None = None
        self.updated: str | None = None
        self.cv = self._load()

    @classmethod
    def for_learner(cls, project, learner_id: str) -> CVStore:
        """The store of `learner_id` in a `course.settings.Project`."""
        return cls(cv_path(project.learners_dir, learner_id))

    def _load(self) -> CV:
        try:
            raw = self.path.read_text(encoding="utf-8")
        except FileNotFoundError:
            return CV()
        try:
            data = json.loads(raw)
            if not isinstance(data, dict) or not isinstance(data.get("cv"), dict):
                raise ValueError("no cv mapping")
        except ValueError:
            # Keep the damaged file for the trainer; start again with an empty CV.
            stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S%f")
            self.recovered_from = self.path.with_name(f"{self.path.name}.corrupt-{stamp}")
            os.replace(self.path, self.recovered_from)
            return CV()
        self.updated = data.get("updated") if isinstance(data.get("updated"), str) else None
        return CV.from_dict(data["cv"])

    def save(self, cv: CV) -> list[str]:
        """Clean and store `cv`; return the notes of `clean` (what was too long)."""
        cleaned, notes = clean(cv)
        self.cv = cleaned
        self.updated = now_iso()
        data = {"format": FORMAT_VERSION, "updated": self.updated, "cv": cleaned.to_dict()}
        atomic_write_text(self.path, json.dumps(data, ensure_ascii=False, indent=1) + "\n")
        return notes


# --- Fonts ----------------------------------------------------------------------------------

FONT_ENV = "COURSE_CV_FONT_DIR"
FONT_FILES = {"": "DejaVuSans.ttf", "B": "DejaVuSans-Bold.ttf", "I": "DejaVuSans-Oblique.ttf"}
FONT_DIRS = (
    "/usr/share/fonts/truetype/dejavu",  # Debian, Ubuntu: fonts-dejavu-core
    "/usr/share/fonts/dejavu-sans-fonts",  # Fedora
    "/usr/share/fonts/dejavu",  # older Fedora, Alpine
    "/usr/share/fonts/TTF",  # Arch: ttf-dejavu
    "/usr/local/share/fonts",
    "~/.local/share/fonts",
    "~/.fonts",
    "/Library/Fonts",  # macOS, if installed by hand
    "~/Library/Fonts",
)
FONT_SEARCH_ROOTS = ("/usr/share/fonts", "/usr/local/share/fonts")


class FontNotFound(RuntimeError):
    """No DejaVu Sans on this machine: the PDF cannot be made (the Word file still can)."""


@lru_cache(maxsize=4)
def _find_fonts(env_dir: str) -> dict[str, Path]:
    folders = [Path(env_dir)] if env_dir else []
    folders += [Path(d).expanduser() for d in FONT_DIRS]
    for folder in folders:
        if (folder / FONT_FILES[""]).is_file() and (folder / FONT_FILES["B"]).is_file():
            return _font_set(folder)
    for root in FONT_SEARCH_ROOTS:
        if Path(root).is_dir():
            for regular in sorted(Path(root).rglob(FONT_FILES[""])):
                if (regular.parent / FONT_FILES["B"]).is_file():
                    return _font_set(regular.parent)
    raise FontNotFound(
        "La police DejaVu Sans est introuvable : le CV en PDF ne peut pas être fabriqué sur cet "
        "ordinateur. Installez-la (Debian ou Ubuntu : sudo apt install fonts-dejavu-core), "
        f"ou indiquez le dossier qui contient {FONT_FILES['']} dans la variable {FONT_ENV}."
    )


def _font_set(folder: Path) -> dict[str, Path]:
    fonts = {style: folder / name for style, name in FONT_FILES.items()}
    if not fonts["I"].is_file():
        fonts["I"] = fonts[""]
    return fonts


def find_fonts() -> dict[str, Path]:
    """DejaVu Sans regular, bold and oblique, by fpdf2 style ("", "B", "I")."""
    return _find_fonts(os.environ.get(FONT_ENV, ""))


@lru_cache(maxsize=4)
def _printable_codepoints(regular: Path, bold: Path) -> frozenset[int]:
    from fontTools.ttLib import TTFont

    sets = []
    for path in (regular, bold):
        with TTFont(path, lazy=True) as font:
            sets.append(set(font.getBestCmap()))
    return frozenset(sets[0] & sets[1])


def _printable(cv: CV, fonts: dict[str, Path]) -> tuple[CV, bool]:
    """`cv` with the characters the font cannot draw (emoji...) removed; True if any were."""
    known = _printable_codepoints(fonts[""], fonts["B"])
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

    data = _map_text(cv.to_dict(), keep)
    return CV.from_dict(data), removed


def _map_text(value, fn):
    if isinstance(value, str):
        return fn(value)
    if isinstance(value, list):
        return [_map_text(v, fn) for v in value]
    if isinstance(value, dict):
        return {k: _map_text(v, fn) for k, v in value.items()}
    return value


# --- Fitting on one page --------------------------------------------------------------------

SCALES = (1.0, 0.95, 0.9, 0.86)  # body text 10.5 pt down to 9 pt: still comfortable to read
SMALLER_NOTE = "Le texte a été écrit un peu plus petit pour que le CV tienne sur une page."
ADVICE = (
    "Conseil : un CV tient sur une page. Gardez vos expériences les plus récentes "
    "et des descriptions courtes."
)


def shorten(text: str, limit: int) -> str:
    """Cut `text` to about `limit` characters at a word boundary, ending with "…"."""
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    cut = text[: limit - 1]
    space = cut.rfind(" ")
    if space > limit * 0.6:
        cut = cut[:space]
    return cut.rstrip(" ,;:.-–") + "…"


def _shorten_lines(text: str, limit: int) -> str:
    """Like `shorten`, keeping the first lines whole (a description may be a list)."""
    kept, used = [], 0
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
    if shortened:
        notes.append(
            f"La description de l'expérience {_quoted(shortened)} a été raccourcie."
            if len(shortened) == 1
            else f"Ces descriptions ont été raccourcies : {_quoted(shortened)}."
        )
    if removed:
        notes.append(
            f"La description de l'expérience {_quoted(removed)} n'a pas pu entrer sur la page."
            if len(removed) == 1
            else f"Ces descriptions n'ont pas pu entrer sur la page : {_quoted(removed)}."
        )
    gone = [e.title for e in before.experiences[len(after.experiences) :]]
    if gone:
        notes.append(
            f"L'expérience {_quoted(gone)} n'a pas pu entrer sur la page."
            if len(gone) == 1
            else f"Ces expériences n'ont pas pu entrer sur la page : {_quoted(gone)}."
        )
    gone = [t.title for t in before.training[len(after.training) :]]
    if gone:
        notes.append(
            f"La formation {_quoted(gone)} n'a pas pu entrer sur la page."
            if len(gone) == 1
            else f"Ces formations n'ont pas pu entrer sur la page : {_quoted(gone)}."
        )
    for name in ("skills", "languages", "interests"):
        gone = getattr(before, name)[len(getattr(after, name)) :]
        if gone:
            notes.append(f"Partie « {HEADINGS[name]} » : pas de place pour {_quoted(gone)}.")
    return notes


def _pages(cv: CV, scale: float, fonts: dict[str, Path]) -> int:
    return _render_pdf(cv, scale, fonts).pages_count


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


# --- PDF ------------------------------------------------------------------------------------

FAMILY = "DejaVu"
PT = 25.4 / 72  # millimetres per point
ACCENT = (11, 79, 168)  # #0b4fa8, the workshop pages' blue (7.6:1 on white)
INK = (26, 26, 26)
MUTED = (64, 64, 64)  # 10:1 on white: secondary, still easy to read
MARGIN_X, MARGIN_TOP, MARGIN_BOTTOM = 18.0, 15.0, 14.0
BODY_PT = 10.5


class _PdfWriter:
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

    def heading(self, text: str) -> None:
        pdf = self.pdf
        self.space(4.5)
        self.text(text, size=12.5 * self.scale, style="B", color=ACCENT)
        y = pdf.get_y() + 0.6 * self.scale
        pdf.set_draw_color(*ACCENT)
        pdf.set_line_width(0.35)
        pdf.line(MARGIN_X, y, MARGIN_X + self.width, y)
        self.space(2.4)

    def entry(self, title: str, when: str) -> None:
        """A bold title on the left and its dates on the right of the same line."""
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

    def bullet(self, text: str, x: float, width: float) -> None:
        indent = 4.2 * self.scale
        y = self.pdf.get_y()
        self.font(self.body)
        self.pdf.set_xy(x, y)
        self.pdf.cell(indent, self.line_height(self.body), "•")
        self.text(text, x=x + indent, width=width - indent)

    def description(self, text: str) -> None:
        self.space(0.6)
        for line in text.split("\n"):
            if BULLET_PATTERN.match(line):
                self.bullet(BULLET_PATTERN.sub("", line), MARGIN_X, self.width)
            else:
                self.text(line)

    def bullets(self, items: list[str], columns: int) -> None:
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


def _render_pdf(cv: CV, scale: float, fonts: dict[str, Path]):
    out = _PdfWriter(fonts, scale)
    pdf = out.pdf
    pdf.set_title(f"CV de {cv.full_name} : {cv.title}")
    pdf.set_author(cv.full_name)
    pdf.set_subject(cv.title)

    out.text(cv.full_name, size=22 * scale, style="B")
    out.space(0.8)
    out.text(cv.title, size=14.5 * scale, style="B", color=ACCENT)
    out.space(1.2)
    contact = "   ·   ".join(p for p in (cv.phone, cv.email, cv.town) if p)
    if contact:
        out.text(contact, color=MUTED)
    if cv.profile:
        out.space(2.5)
        out.text(cv.profile)

    if cv.experiences:
        out.heading(HEADINGS["experiences"])
        for i, e in enumerate(cv.experiences):
            if i:
                out.space(2.2)
            out.entry(e.title, e.dates)
            where = ", ".join(p for p in (e.employer, e.place) if p)
            if where:
                out.text(where, style="I", color=MUTED)
            if e.description:
                out.description(e.description)
    if cv.skills:
        out.heading(HEADINGS["skills"])
        out.bullets(cv.skills, columns=2 if len(cv.skills) > 3 else 1)
    if cv.training:
        out.heading(HEADINGS["training"])
        for i, t in enumerate(cv.training):
            if i:
                out.space(1.6)
            out.entry(t.title, t.year)
            if t.school:
                out.text(t.school, style="I", color=MUTED)
    if cv.languages:
        out.heading(HEADINGS["languages"])
        out.bullets(cv.languages, columns=2 if len(cv.languages) > 2 else 1)
    if cv.interests:
        out.heading(HEADINGS["interests"])
        out.text("   ·   ".join(cv.interests))
    return pdf


# --- Word -----------------------------------------------------------------------------------

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


def _style(doc, name: str, size: float, bold=False, color=INK, before=0.0, after=2.0):
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


def _render_docx(cv: CV, scale: float) -> bytes:
    from docx import Document
    from docx.enum.text import WD_TAB_ALIGNMENT
    from docx.oxml.ns import qn
    from docx.shared import Mm, Pt, RGBColor

    doc = Document()
    section = doc.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.left_margin = section.right_margin = Mm(MARGIN_X)
    section.top_margin, section.bottom_margin = Mm(MARGIN_TOP), Mm(MARGIN_BOTTOM)
    width = section.page_width - 2 * section.left_margin

    # French everywhere: Word's spelling checker then helps the learner edit the file.
    defaults = doc.styles.element.find(qn("w:docDefaults")).find(qn("w:rPrDefault"))
    defaults.find(qn("w:rPr")).find(qn("w:lang")).set(qn("w:val"), "fr-FR")
    body = BODY_PT * scale
    _style(doc, "Normal", body)
    title_style = _style(doc, "Title", 22 * scale, bold=True, after=2)
    for old in title_style.element.get_or_add_pPr().findall(qn("w:pBdr")):
        title_style.element.pPr.remove(old)
    heading = _style(
        doc, "Heading 1", 12.5 * scale, bold=True, color=ACCENT, before=12 * scale, after=4
    )
    _bottom_border(heading, ACCENT)
    _style(doc, "List Bullet", body)

    def para(
        text: str = "", style: str | None = None, bold=False, italic=False, color=INK, size=None
    ):
        p = doc.add_paragraph(style=style)
        if text:
            run = p.add_run(text)
            run.bold, run.italic = bold or None, italic or None
            run.font.color.rgb = RGBColor(*color)
            if size:
                run.font.size = Pt(size)
        return p

    def entry(title: str, when: str) -> None:
        p = para(title, bold=True, size=body + 0.5 * scale)
        p.paragraph_format.space_before = Pt(6 * scale)
        p.paragraph_format.keep_with_next = True
        if when:
            p.paragraph_format.tab_stops.add_tab_stop(width, WD_TAB_ALIGNMENT.RIGHT)
            run = p.add_run("\t" + when)
            run.font.color.rgb = RGBColor(*MUTED)

    para(cv.full_name, style="Title")
    para(cv.title, bold=True, color=ACCENT, size=14.5 * scale)
    contact = "   ·   ".join(p for p in (cv.phone, cv.email, cv.town) if p)
    if contact:
        para(contact, color=MUTED)
    if cv.profile:
        para(cv.profile).paragraph_format.space_before = Pt(6 * scale)

    if cv.experiences:
        doc.add_heading(HEADINGS["experiences"], level=1)
        for e in cv.experiences:
            entry(e.title, e.dates)
            where = ", ".join(p for p in (e.employer, e.place) if p)
            if where:
                para(where, italic=True, color=MUTED)
            for line in e.description.split("\n") if e.description else []:
                if BULLET_PATTERN.match(line):
                    para(BULLET_PATTERN.sub("", line), style="List Bullet")
                else:
                    para(line)
    if cv.skills:
        doc.add_heading(HEADINGS["skills"], level=1)
        for skill in cv.skills:
            para(skill, style="List Bullet")
    if cv.training:
        doc.add_heading(HEADINGS["training"], level=1)
        for t in cv.training:
            entry(t.title, t.year)
            if t.school:
                para(t.school, italic=True, color=MUTED)
    if cv.languages:
        doc.add_heading(HEADINGS["languages"], level=1)
        for language in cv.languages:
            para(language, style="List Bullet")
    if cv.interests:
        doc.add_heading(HEADINGS["interests"], level=1)
        para("   ·   ".join(cv.interests))

    props = doc.core_properties
    props.title = f"CV de {cv.full_name} : {cv.title}"
    props.author = props.last_modified_by = cv.full_name
    props.subject = cv.title
    props.language = "fr-FR"
    props.comments = ""
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


# --- The two files --------------------------------------------------------------------------


@dataclass
class CVDocument:
    data: bytes
    filename: str
    mime: str
    notes: list[str]  # French, for the learner: what was shortened or left out


def _prepare(cv: CV, need_font: bool) -> tuple[CV, CV, float, list[str]]:
    cleaned, notes = clean(cv)
    problems = check(cleaned)
    if problems:
        raise CVError(problems)
    try:
        fonts = find_fonts()
    except FontNotFound:
        if need_font:
            raise
        return cleaned, cleaned, 1.0, notes  # Word without measuring: content as typed
    printable, removed = _printable(cleaned, fonts)
    if removed:
        notes.append(
            "Certains signes (par exemple des émoticônes) ne peuvent pas être imprimés : "
            "ils ont été enlevés."
        )
        problems = check(printable)
        if problems:
            raise CVError(problems)
    fitted, scale, fit_notes = fit_one_page(printable, fonts)
    return cleaned, fitted, scale, notes + fit_notes


def make_pdf(cv: CV) -> CVDocument:
    """The CV as a one-page PDF. Raises `CVError` (French problems) or `FontNotFound`."""
    cleaned, fitted, scale, notes = _prepare(cv, need_font=True)
    pdf = _render_pdf(fitted, scale, find_fonts())
    return CVDocument(bytes(pdf.output()), filename(cleaned, "pdf"), PDF_MIME, notes)


def make_docx(cv: CV) -> CVDocument:
    """The CV as a Word file with the PDF's content and sizes. Raises `CVError`."""
    cleaned, fitted, scale, notes = _prepare(cv, need_font=False)
    return CVDocument(_render_docx(fitted, scale), filename(cleaned, "docx"), DOCX_MIME, notes)
