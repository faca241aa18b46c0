"""Cleaning and checking what a learner typed: control characters out, every length capped,
and the French list of what is missing or wrong.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from course.core.errors import UserError
from course.learner.cv.model import (
    CV,
    DESCRIPTION_MAX_LINES,
    EMAIL_PATTERN,
    EXPERIENCE_LABELS,
    EXPERIENCE_LIMITS,
    HEADINGS,
    ITEM_LIMIT,
    LABELS,
    LIMITS,
    MAX_ITEMS,
    PHONE_PATTERN,
    TOO_MANY,
    TRAINING_LABELS,
    TRAINING_LIMITS,
    Experience,
    Training,
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
        course_item = Training(
            **{
                name: text(
                    getattr(t, name), limit, f"Formation {i} : {TRAINING_LABELS[name].lower()}"
                )
                for name, limit in TRAINING_LIMITS.items()
            }
        )
        if not course_item.is_empty():
            training.append(course_item)
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


class CVError(UserError, ValueError):
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
