"""Golden results export and La Coop activity report, in XLSX and CSV, from fixed records.

The records (`fixed_records`, tests/coordinator_support.py) are built by hand (fixed dates,
two sites, a written answer still to grade), so the files cannot change unless the code does.
XLSX files are compared by what a spreadsheet shows: each cell's value, type and number
format, sheet by sheet (`xlsx_dump`), not by bytes.
"""

from __future__ import annotations

from datetime import date, datetime

from golden import check_golden

from course.coordinator.activity import activity_sheet
from course.coordinator.export import results_sheets
from course.coordinator.filters import Filters
from course.coordinator.writers import to_csv, write_xlsx


def xlsx_dump(path) -> str:
    """Every non-empty cell: sheet, coordinate, type, value, number format, wrapped or not."""
    from openpyxl import load_workbook

    lines = []
    for ws in load_workbook(path).worksheets:
        lines.append(f"== {ws.title} (filtre {ws.auto_filter.ref}, figé {ws.freeze_panes})")
        for row in ws.iter_rows():
            for cell in row:
                if cell.value is not None:
                    kind = type(cell.value).__name__
                    wrap = " (à la ligne)" if cell.alignment.wrap_text else ""
                    lines.append(
                        f"{cell.coordinate}\t{kind}\t{cell.value!r}\t{cell.number_format}{wrap}"
                    )
    return "\n".join(lines) + "\n"


def test_golden_results_export(fixed_records, essai_modules, tmp_path):
    sheets = results_sheets(fixed_records, essai_modules)
    for sheet in sheets:
        check_golden(f"coordinator/resultats-{sheet.slug}.csv", to_csv(sheet))
    write_xlsx(tmp_path / "resultats.xlsx", sheets)
    check_golden("coordinator/resultats.xlsx.txt", xlsx_dump(tmp_path / "resultats.xlsx"))


def test_golden_anonymised_export_has_no_first_name(fixed_records, essai_modules, tmp_path):
    sheets = results_sheets(fixed_records, essai_modules, anonymous=True)
    write_xlsx(tmp_path / "anonyme.xlsx", sheets)
    dump = xlsx_dump(tmp_path / "anonyme.xlsx")
    check_golden("coordinator/resultats-anonymes.xlsx.txt", dump)
    assert "Alice" not in dump and "Bruno" not in dump and "Prénom" not in dump


def test_golden_la_coop_activity_report(fixed_records, essai_modules, tmp_path):
    made = datetime(2026, 12, 1, 18, 0)
    sheet = activity_sheet(
        fixed_records, essai_modules, Filters(since=date(2026, 11, 1)), made=made
    )
    check_golden("coordinator/activites-la-coop.csv", to_csv(sheet))
    write_xlsx(tmp_path / "activites.xlsx", [sheet])
    check_golden("coordinator/activites-la-coop.xlsx.txt", xlsx_dump(tmp_path / "activites.xlsx"))


def test_filters_by_site_and_trainer(fixed_records, essai_modules):
    brest = results_sheets(fixed_records, essai_modules, Filters(site="Médiathèque de Brest"))[0]
    assert len(brest.rows) == 2
    yann = activity_sheet(fixed_records, essai_modules, Filters(trainer="Yann"))
    assert [row[5] for row in yann.rows] == ["=Atelier du mardi"]  # made safe only when written


def test_exports_carry_the_questions_of_the_selected_modules_only(fixed_records, essai_modules):
    """With the whole catalogue on the laptop, a selection where only the essai module was run
    exports the essai module's question columns, not every question of every module."""
    from pathlib import Path

    from course.settings import Project

    catalogue = Project(Path(__file__).resolve().parents[2]).catalogue.modules
    assert len(catalogue) >= 5
    sheets = results_sheets(fixed_records, [*catalogue, *essai_modules])
    questions = [c.title for c in sheets[0].columns if " Q" in c.title]
    assert questions == [f"M01 Q{n}" for n in range(1, len(essai_modules[0].questions) + 1)]
    assert {row[1] for row in sheets[1].rows} == {"Module d'essai"}
    nothing = results_sheets(fixed_records, catalogue, Filters(module_id=catalogue[0].id))
    assert not nothing[0].rows and not nothing[1].rows
    assert not [c for c in nothing[0].columns if " Q" in c.title]
