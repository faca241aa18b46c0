"""Golden results export and La Coop activity report, in XLSX and CSV, from fixed records.

The records are built by hand (fixed dates, two sites, a written answer still to grade), so the
files cannot change unless the code does. XLSX files are compared by what a spreadsheet shows:
each cell's value, type and number format, sheet by sheet (`xlsx_dump`), not by bytes.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time

import pytest
from conftest import FIXTURE_MODULES
from golden import check_golden

from course.content.catalogue import Catalogue
from course.coordinator.activity import activity_sheet
from course.coordinator.export import results_sheets
from course.coordinator.filters import Filters
from course.coordinator.records import LearnerInfo, Lesson, Records, Result
from course.coordinator.results import QuestionResult
from course.coordinator.writers import to_csv, write_xlsx
from course.workshops import WorkshopBook


def xlsx_dump(path) -> str:
    """Every non-empty cell: sheet, coordinate, type, value, number format."""
    from openpyxl import load_workbook

    lines = []
    for ws in load_workbook(path).worksheets:
        lines.append(f"== {ws.title} (filtre {ws.auto_filter.ref}, figé {ws.freeze_panes})")
        for row in ws.iter_rows():
            for cell in row:
                if cell.value is not None:
                    kind = type(cell.value).__name__
                    lines.append(f"{cell.coordinate}\t{kind}\t{cell.value!r}\t{cell.number_format}")
    return "\n".join(lines) + "\n"


def outcome(qid: str, score: float | None, top: float = 1) -> QuestionResult:
    return QuestionResult(qid, score, top)


@pytest.fixture
def records(tmp_path):
    book = WorkshopBook(tmp_path)
    w1 = book.create("Le ciel et les fruits", date(2026, 11, 24), ["essai"], start=time(14),
                     duration_minutes=90, place="Médiathèque de Brest", trainer="Awa",
                     learner_ids=["brest-aaaa", "brest-bbbb"], uid="w-brest")  # fmt: skip
    book.settings.site = "France Services Quimper"
    w2 = book.create("=Atelier du mardi", date(2026, 11, 25), ["essai"], place="Mairie",
                     place_kind="Autre", equipment="Tablette", level="Intermediaire",
                     trainer="Yann", learner_ids=["quimper-cccc"], uid="w-quimper")  # fmt: skip
    book.close()
    for w, site in ((w1, "Médiathèque de Brest"), (w2, "France Services Quimper")):
        w.site = site
    full = [("eval-couleur", 1), ("eval-fruits", 1), ("eval-nombre", 1), ("eval-ville-pays", 1)]
    learners = {
        "brest-aaaa": LearnerInfo("brest-aaaa", "Médiathèque de Brest", "brest-aaaa", "Alice"),
        "brest-bbbb": LearnerInfo("brest-bbbb", "Médiathèque de Brest", "brest-bbbb", "+Bruno"),
        "quimper-cccc": LearnerInfo("quimper-cccc", "France Services Quimper", "quimper-cccc"),
    }
    sent = datetime(2026, 11, 24, 14, 55, tzinfo=UTC)  # 15:55 in Paris
    results = [
        Result("Médiathèque de Brest", "brest-aaaa", "essai", sent,
               {q: outcome(q, s) for q, s in full} | {"eval-message": outcome("eval-message", 2, 2)}),
        Result("Médiathèque de Brest", "brest-bbbb", "essai", sent,
               {q: outcome(q, 0.5 if q == "eval-fruits" else 0) for q, _ in full}
               | {"eval-message": outcome("eval-message", None, 2)}),
        Result("France Services Quimper", "quimper-cccc", "essai",
               datetime(2026, 11, 25, 9, 30, tzinfo=UTC),
               {q: outcome(q, 1) for q, _ in full[:2]} | {"eval-message": outcome("eval-message", 1, 2)}),
    ]  # fmt: skip
    lessons = [Lesson("brest-aaaa", "essai", 2, 2)]
    return Records([w1, w2], learners, results, lessons)


@pytest.fixture
def modules():
    return Catalogue.load(FIXTURE_MODULES).modules


def test_golden_results_export(records, modules, tmp_path):
    sheets = results_sheets(records, modules)
    for sheet in sheets:
        check_golden(f"coordinator/resultats-{sheet.slug}.csv", to_csv(sheet))
    write_xlsx(tmp_path / "resultats.xlsx", sheets)
    check_golden("coordinator/resultats.xlsx.txt", xlsx_dump(tmp_path / "resultats.xlsx"))


def test_golden_anonymised_export_has_no_first_name(records, modules, tmp_path):
    sheets = results_sheets(records, modules, anonymous=True)
    write_xlsx(tmp_path / "anonyme.xlsx", sheets)
    dump = xlsx_dump(tmp_path / "anonyme.xlsx")
    check_golden("coordinator/resultats-anonymes.xlsx.txt", dump)
    assert "Alice" not in dump and "Bruno" not in dump and "Prénom" not in dump


def test_golden_la_coop_activity_report(records, modules, tmp_path):
    made = datetime(2026, 12, 1, 18, 0)
    sheet = activity_sheet(records, modules, Filters(since=date(2026, 11, 1)), made=made)
    check_golden("coordinator/activites-la-coop.csv", to_csv(sheet))
    write_xlsx(tmp_path / "activites.xlsx", [sheet])
    check_golden("coordinator/activites-la-coop.xlsx.txt", xlsx_dump(tmp_path / "activites.xlsx"))


def test_filters_by_site_and_trainer(records, modules):
    brest = results_sheets(records, modules, Filters(site="Médiathèque de Brest"))[0]
    assert len(brest.rows) == 2
    yann = activity_sheet(records, modules, Filters(trainer="Yann"))
    assert [row[5] for row in yann.rows] == ["=Atelier du mardi"]  # made safe only when written
