"""The whole chain on one real PostgreSQL server, as sites sharing a network would run it:
nbgrader's gradebook (`c.CourseDirectory.db_url`) and our workshops database
(`c.WorkshopSettings.db_url`) on the same server; release, submit, collect, grade, a person's
grade of the written answer, then every export and a bundle."""

from __future__ import annotations

import csv
import io
from datetime import date

from coordinator_support import RIGHT, WRONG, run_site
from openpyxl import load_workbook

from course.coordinator.activity import export_activity
from course.coordinator.bundle import make_bundle
from course.coordinator.export import export_results
from course.coordinator.results import gradebook_url


def test_chain_on_postgresql(postgres, tmp_path, monkeypatch):
    import sqlalchemy

    monkeypatch.delenv("COURSE_ROOT", raising=False)
    gradebook = postgres.create_database("gradebook_chain")
    ateliers = postgres.create_database("ateliers_chain")
    config = f"c.CourseDirectory.db_url = {gradebook!r}\nc.WorkshopSettings.db_url = {ateliers!r}"
    project, learners = run_site(
        tmp_path / "site", "Médiathèque de Brest", "Awa", {"Alice": RIGHT, "Bruno": WRONG},
        {"Alice": (2, "Très bien.")}, config,
    )  # fmt: skip
    assert gradebook_url(project).startswith("postgresql+psycopg://")
    assert not (project.course_dir / "gradebook.db").exists()
    assert not (project.data_dir / "ateliers.sqlite").exists()
    engine = sqlalchemy.create_engine(gradebook)
    with engine.connect() as con:
        grades = con.execute(sqlalchemy.text("SELECT count(*) FROM grade")).scalar()
        assert grades == 2 * 10  # two learners, ten questions (sims included), in nbgrader
    engine.dispose()
    engine = sqlalchemy.create_engine(ateliers)
    with engine.connect() as con:
        assert con.execute(sqlalchemy.text("SELECT title FROM course_workshops")).scalars().all() \
            == ["Atelier d'essai à Médiathèque de Brest"]  # fmt: skip
    engine.dispose()

    rows, _ = export_results(project, tmp_path / "resultats.xlsx")
    assert rows == 2
    sheet = load_workbook(tmp_path / "resultats.xlsx")["Résultats"]
    values = list(sheet.iter_rows(values_only=True))
    header = list(values[0])
    alice = next(r for r in values[1:] if r[header.index("Prénom")] == "Alice")
    assert alice[header.index("Résultat")] == 1
    assert alice[header.index("Atelier")] == "Atelier d'essai à Médiathèque de Brest"
    assert alice[header.index("Date de l'atelier")].date() == date(2026, 11, 24)
    assert export_activity(project, tmp_path / "activites.csv", "csv") == 1
    text = (tmp_path / "activites.csv").read_text(encoding="utf-8-sig")
    table = list(csv.reader(io.StringIO(text), delimiter=";"))
    head = next(r for r in table if r and r[0] == "Date")
    line = dict(zip(head, table[table.index(head) + 1], strict=True))
    assert line["Participants"] == "2" and line["Type (code La Coop)"] == "Collectif"
    counts = make_bundle(project, tmp_path / "paquet.zip")
    assert counts == {"ateliers": 1, "apprenants": 2, "résultats": 2}


def test_coordinator_gathers_bundles_into_postgresql(postgres, two_bundles, tmp_path, monkeypatch):
    """The coordinator's own database on PostgreSQL: one transaction, nothing twice."""
    from coordinator_support import configure
    from support.project import essai_project_at

    from course.coordinator.bundle_import import import_bundles
    from course.coordinator.records import gather
    from course.settings import Project

    monkeypatch.delenv("COURSE_ROOT", raising=False)
    url = postgres.create_database("coordination")
    essai_project_at(tmp_path / "coordination")
    configure(tmp_path / "coordination", f"c.WorkshopSettings.db_url = {url!r}")
    project = Project(tmp_path / "coordination")
    paths, _sites = two_bundles
    assert [r.added["résultats"] for r in import_bundles(project, paths)] == [2, 1]
    assert all(r.already for r in import_bundles(project, paths))
    records = gather(project)
    assert (len(records.workshops), len(records.learners), len(records.results)) == (2, 3, 3)
