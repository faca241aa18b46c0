"""Exports for coordinators: one row per learner and evaluation, every question's score, the total.

CSV defaults suit French spreadsheet software (semicolon, decimal comma, UTF-8 with BOM so
accents survive Excel); XLSX keeps real numbers.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

from course.content.catalogue import Module
from course.coordinator.results import Submission, submissions
from course.settings import Project

FIXED_COLUMNS = ["apprenant", "prenom", "evaluation", "date_envoi"]
TOTAL_COLUMNS = ["total", "maximum", "correction_manuelle_a_faire"]


def table(project: Project, module: Module | None = None) -> tuple[list[str], list[list]]:
    """Header and rows; scores are floats, an ungraded free-text question is None."""
    subs: list[Submission] = submissions(project, module)
    modules = [module] if module else project.catalogue.modules
    question_ids: list[str] = []
    for m in modules:
        question_ids += [q.id for q in m.questions if q.id not in question_ids]
    names = {learner.id: learner.name for learner in project.roster().learners()}
    header = FIXED_COLUMNS + question_ids + TOTAL_COLUMNS
    rows: list[list] = []
    for s in subs:
        row: list = [s.learner_id, names.get(s.learner_id, ""), s.module_id, s.timestamp]
        row += [s.questions[q].score if q in s.questions else "" for q in question_ids]
        row += [s.score, s.max_score, "oui" if s.needs_manual_grade else "non"]
        rows.append(row)
    return header, rows


def _french_number(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float):
        text = f"{value:g}"
        return text.replace(".", ",")
    return str(value)


def to_csv(header: list[str], rows: list[list], separator: str = ";") -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=separator, lineterminator="\n")
    writer.writerow(header)
    decimal_comma = separator != ","
    for row in rows:
        writer.writerow(
            [_french_number(v) if decimal_comma else ("" if v is None else v) for v in row]
        )
    return buffer.getvalue()


def write_csv(path: Path, header: list[str], rows: list[list], separator: str = ";") -> None:
    path.write_text(to_csv(header, rows, separator), encoding="utf-8-sig")


def write_xlsx(path: Path, header: list[str], rows: list[list]) -> None:
    from openpyxl import Workbook
    from openpyxl.styles import Font

    wb = Workbook()
    ws = wb.active
    ws.title = "Résultats"
    ws.append(header)
    for cell in ws[1]:
        cell.font = Font(bold=True)
    for row in rows:
        ws.append(row)
    ws.freeze_panes = "E2"
    wb.save(path)


def export_results(
    project: Project, module: Module | None, output: Path, fmt: str = "csv", separator: str = ";"
) -> int:
    """Write the results table to `output` as CSV or XLSX; return how many rows it has."""
    header, rows = table(project, module)
    if fmt == "csv":
        write_csv(output, header, rows, separator)
    else:
        write_xlsx(output, header, rows)
    return len(rows)
