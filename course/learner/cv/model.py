"""What a CV holds: the learner's answers, the limits of every field and the labels the form
shows, so messages name the field the learner sees.
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass, field, fields

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

# The form's labels (course.learner.cv.page uses them too), so messages name the field the learner sees.
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
# What is cut when a list is too long: (the list's noun, its gender for « seul(e)s … premier(e)s »).
_LIST_NOUNS = {
    "experiences": ("expériences", "f"),
    "skills": ("compétences", "f"),
    "training": ("formations", "f"),
    "languages": ("langues", "f"),
    "interests": ("centres d'intérêt", "m"),
}
TOO_MANY = {
    key: f"Vous avez écrit plus de {{n}} {noun} : "
    + (
        "seules les {n} premières sont gardées."
        if gender == "f"
        else "seuls les {n} premiers sont gardés."
    )
    for key, (noun, gender) in _LIST_NOUNS.items()
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
