"""Validation of a module's content: metadata, questions, answer keys, sources, the nbgrader
source notebook in sync with the TOML, and no committed notebook with outputs.
"""

from __future__ import annotations

import json
import re
from datetime import date
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

import nbformat

from course.content.catalogue import ID_PATTERN, PIX_COMPETENCES, Module, Question
from course.content.check.report import ModuleReport
from course.content.check.settings import FREE_TEXT_ANSWER, CheckSettings
from course.core.french import count, points
from course.settings import Project

# ---------------------------------------------------------------------------------------------
# Validation of the content
# ---------------------------------------------------------------------------------------------


def _question_where(q: Question, module: Module) -> str:
    if q in module.questions:
        return f"evaluation.toml, question « {q.id} »"
    return f"lesson.toml, exercice « {q.id} »"


def check_content(report: ModuleReport, module: Module, settings: CheckSettings) -> None:
    practice = module.practice_questions
    autograded = [q for q in module.questions if q.autograded]
    free_text = [q for q in module.questions if not q.autograded]
    report.counts = {
        "exercices de la leçon": len(practice),
        "questions corrigées automatiquement": len(autograded),
        "questions rédigées": len(free_text),
        "sources": len(module.sources),
    }
    for found, minimum, one, many, file in (
        (practice, settings.min_practice_questions, "exercice dans la leçon",
         "exercices dans la leçon", "lesson.toml"),
        (autograded, settings.min_autograded_questions, "question corrigée automatiquement",
         "questions corrigées automatiquement", "evaluation.toml"),
        (free_text, settings.min_free_text_questions, "question rédigée", "questions rédigées",
         "evaluation.toml"),
    ):  # fmt: skip
        if len(found) < minimum:
            said = count(len(found), one, many)
            report.fail("nombre de questions", file, f"{said} (au moins {minimum})")

    for q in module.questions + practice:
        where = _question_where(q, module)
        if not ID_PATTERN.match(q.id):
            report.fail("question", where, "identifiant invalide")
        if not q.points or q.points <= 0:
            report.fail("question", where, "« points » manque ou n'est pas positif")
        if not q.explanation.strip():
            report.fail("question", where, "l'explication (« explanation ») manque")
        if q.competence not in PIX_COMPETENCES:
            report.fail("question", where, f"compétence Pix « {q.competence} » inconnue")
        if q.autograded and not q.sources:
            report.fail("source", where, "une question qui vérifie un fait cite une source")
        if q.autograded:
            _check_key(report, q, where)

    for s in module.sources:
        where = f"module.toml, source « {s.id} »"
        url = urlparse(s.url)
        if url.scheme != "https" or not url.netloc or " " in s.url:
            report.fail("source", where, f"l'adresse doit commencer par https:// ({s.url})")
        if not _iso_date(s.checked):
            report.fail(
                "source",
                where,
                f"« checked » doit être une date AAAA-MM-JJ ({s.checked})",
            )


def _iso_date(value: str) -> bool:
    if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
        return False
    try:
        date.fromisoformat(value)
    except ValueError:
        return False
    return True


def key_answer(q: Question) -> Any:
    """What a learner who knows the key answers; raises ValueError for a type we cannot answer."""
    kind = q.kind  # UnknownKind, a ValueError, for a type no kind declares
    return kind.model_answer(q) if kind.autograded else FREE_TEXT_ANSWER


def _check_key(report: ModuleReport, q: Question, where: str) -> None:
    """Score the key and an empty answer with `course.answers.scoring`, before nbgrader does it."""
    from course.answers.scoring import score

    try:
        answer = key_answer(q)
        right, empty = score(q.key(), answer), score(q.key(), None)
    except (ValueError, TypeError, KeyError) as exc:
        report.fail("clé", where, f"impossible de répondre avec la clé ({exc})")
        return
    if right != q.points:
        report.fail(
            "clé", where, f"la réponse attendue {answer!r} obtient {right:g} sur {q.points:g}"
        )
    if empty != 0:
        report.fail("clé", where, f"une réponse vide obtient {points(empty)}")


def check_source_notebook(report: ModuleReport, module: Module, project: Project) -> None:
    from course.content.notebooks import build_evaluation_notebook, source_notebook_path

    path = source_notebook_path(project, module)
    where = str(path.relative_to(project.root)) if path.is_relative_to(project.root) else str(path)
    if not path.is_file():
        report.fail("notebook", where, "manquant : lancez « course build »")
        return
    built = nbformat.writes(build_evaluation_notebook(module)) + "\n"
    if path.read_text(encoding="utf-8") != built:
        report.fail("notebook", where, "pas à jour avec evaluation.toml : lancez « course build »")


def notebook_outputs(path: Path) -> str:
    """Why this committed notebook is not clean, or "" when it is."""
    try:
        nb = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        return f"illisible ({exc})"
    for i, cell in enumerate(nb.get("cells", []), 1):
        if cell.get("cell_type") != "code":
            continue
        if cell.get("outputs"):
            return f"la cellule {i} contient des sorties (effacez-les avant de l'ajouter à git)"
        if cell.get("execution_count") is not None:
            return f"la cellule {i} a un numéro d'exécution (effacez les sorties)"
    return ""


def _notebooks(folder: Path) -> list[Path]:
    if not folder.is_dir():
        return []
    return sorted(p for p in folder.rglob("*.ipynb") if ".ipynb_checkpoints" not in p.parts)
