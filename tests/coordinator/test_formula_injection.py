"""Hostile text through first names and workshop titles never becomes a spreadsheet formula.

Names go through the real roster, titles through the real workshop book, results through a
real export; every text cell of the XLSX and every field of the CSV files is then checked.
"""

from __future__ import annotations

import csv
import io
from datetime import UTC, date, datetime

from openpyxl import load_workbook

from course.coordinator.activity import export_activity
from course.coordinator.export import export_results
from course.coordinator.records import Result
from course.coordinator.results import QuestionResult
from course.coordinator.sheets import FORMULA_STARTS

CORPUS = [
    '=HYPERLINK("http://evil.example","Cliquez")',
    "+1+cmd|' /C calc'!A0",
    "-2+3",
    "@SUM(1+1)*cmd|' /C calc'!A0",
    "\t=1+1",
    "\r=1+1",
    "=cmd|' /C calc'!A0",
]


def dangerous(text: str) -> bool:
    return text.startswith(FORMULA_STARTS)


def test_names_and_titles_never_become_formulas(essai_project, tmp_path, monkeypatch):
    import course.coordinator.export as export

    project = essai_project
    roster = project.roster()
    learners = []
    for n, text in enumerate(CORPUS):
        learner, _ = roster.add(f"{text} {n}" if text[0] in "\t\r" else text)
        learners.append(learner)
    book = project.workshops()
    for text in CORPUS:
        book.create(text + " atelier", date(2026, 11, 24), ["essai"], trainer=text,
                    place=text, learner_ids=[lr.id for lr in learners])  # fmt: skip
    book.close()
    real_records_for = export.records_for

    def with_results(project, include_names=True):  # results without running a cycle
        records = real_records_for(project, include_names=include_names)
        sent = datetime(2026, 11, 24, 15, tzinfo=UTC)
        for learner in learners:
            questions = {"eval-couleur": QuestionResult("eval-couleur", 1.0, 1.0)}
            records.results.append(Result("", learner.id, "essai", sent, questions))
        return records

    monkeypatch.setattr(export, "records_for", with_results)
    rows, _ = export_results(project, tmp_path / "r.xlsx")
    assert rows == len(CORPUS)
    _, csvs = export_results(project, tmp_path / "r.csv", "csv")
    export_activity(project, tmp_path / "a.xlsx")
    export_activity(project, tmp_path / "a.csv", "csv")
    seen = set()
    for name in ("r.xlsx", "a.xlsx"):
        for ws in load_workbook(tmp_path / name).worksheets:
            for row in ws.iter_rows():
                for cell in row:
                    assert cell.data_type != "f", (name, cell.coordinate, cell.value)
                    if isinstance(cell.value, str):
                        assert not dangerous(cell.value), (name, cell.coordinate, cell.value)
                        seen.add(cell.value)
    # The hostile text is there, shown as text (Pix's leading apostrophe), not dropped.
    assert '\'=HYPERLINK("http://evil.example","Cliquez")' in seen
    assert any(v.startswith("'@SUM") for v in seen) and any(v.startswith("'-2+3") for v in seen)
    for path in [*csvs, tmp_path / "a.csv"]:
        text = path.read_text(encoding="utf-8-sig")
        for record in csv.reader(io.StringIO(text), delimiter=";"):
            for value in record:
                assert not dangerous(value), (path.name, value)
