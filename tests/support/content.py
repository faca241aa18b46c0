"""Modules and questions built in memory for `course check`'s rules (no TOML, no folder to
read): a question with the fields every kind needs, a source, and a module around them."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import Any

from course.content.catalogue import LessonStep, Module, Question, Source


def question(
    qid: str, qtype: str = "qcu", prompt: str = "Que faites-vous ?", **fields: Any
) -> Question:
    """A question explained and sourced; a `qcu` has « Oui » / « Non » unless told."""
    defaults: dict[str, Any] = {"explanation": "Parce que.", "competence": "4.1", "sources": ("s",)}
    if qtype == "qcu":
        defaults |= {"choices": ("Oui", "Non"), "answer": ("Oui",)}
    return Question(id=qid, type=qtype, prompt=prompt, **(defaults | fields))


def source(
    checked: str = "2026-11-30", url: str = "https://www.cnil.fr/fr/le-droit-dacces"
) -> Source:
    return Source(id="s", title="Titre", publisher="CNIL", url=url, checked=checked)


def module(
    folder: Path,
    questions: Iterable[Question] = (),
    lesson: Iterable[Question] = (),
    sources: Iterable[Source] | None = None,
    **fields: Any,
) -> Module:
    """A module « essai » whose lesson is `lesson` (one question a step) and whose evaluation
    is `questions`; `fields` change any other field (`id`, `title`…)."""
    defaults: dict[str, Any] = {
        "number": 1,
        "id": "essai",
        "title": "Essai",
        "level": "Débutant",
        "duration_minutes": 10,
        "summary": "",
        "objectives": [],
    }
    return Module(
        folder=folder,
        sources=list(sources or [source()]),
        lesson=[LessonStep(question=q) for q in lesson],
        questions=list(questions),
        **(defaults | fields),
    )
