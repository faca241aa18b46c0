"""The coordinator's commands, in French, on a project with one workshop (no cycle needed)."""

from __future__ import annotations

from datetime import date

from click.testing import CliRunner
from coordinator_support import configure
from openpyxl import load_workbook

from course.cli import cli


def said(result) -> str:
    """The command's output as one line (the console wraps long lines)."""
    return " ".join(result.output.split())


def test_commands_write_files_and_refuse_in_french(essai_project, tmp_path, monkeypatch):
    project = essai_project
    monkeypatch.chdir(project.root)
    runner = CliRunner()
    book = project.workshops()
    group = {"learner_ids": ["helene"]}
    monday = book.create("Atelier du lundi", date(2026, 11, 23), ["essai"], trainer="Awa", **group)
    book.set_present(monday.id, ["helene"])  # La Coop counts who came
    book.create("Atelier de décembre", date(2026, 12, 7), ["essai"], trainer="Awa", **group)
    book.create("Personne n'est venu", date(2026, 11, 24), ["essai"], trainer="Awa")
    cancelled = book.create("Annulé", date(2026, 11, 25), ["essai"], trainer="Awa", **group)
    book.cancel(cancelled.id)
    book.close()

    made = runner.invoke(cli, ["activity", "--du", "01/11/2026", "--au", "30/11/2026"])
    assert made.exit_code == 0, made.output
    exports = project.data_dir / "exports"
    assert "1 atelier écrit" in said(made)
    assert str(exports / "activites-la-coop.xlsx") in "".join(made.output.split())
    sheet = load_workbook(exports / "activites-la-coop.xlsx")["Activités"]
    titles = [c.value for c in sheet["F"]]
    assert "Atelier du lundi" in titles and "Annulé" not in titles
    made = runner.invoke(cli, ["export", "--format", "csv", "--anonyme"])
    assert made.exit_code == 0 and "resultats-anonymes-questions.csv" in said(made)
    # Private by default: under var/, the owner's only, nothing in the project's folder.
    assert exports.stat().st_mode & 0o777 == 0o700
    assert all(p.stat().st_mode & 0o077 == 0 for p in exports.iterdir())
    assert not list(project.root.glob("*.csv")) and not list(project.root.glob("*.xlsx"))
    wrong = runner.invoke(cli, ["activity", "--du", "hier"])
    assert wrong.exit_code == 2 and "n'est pas une date" in said(wrong)

    refused = runner.invoke(cli, ["bundle"])  # this site has no name yet
    assert refused.exit_code == 1 and "Ce site n'a pas encore de nom" in said(refused)
    assert "Réglages du site" in said(refused)
    configure(project.root, 'c.WorkshopSettings.site = "Médiathèque de Brest"')
    made = runner.invoke(cli, ["bundle"])
    assert made.exit_code == 0 and "2 ateliers" in said(made)  # not the empty, not the cancelled
    kept = list((project.data_dir / "paquets").glob("paquet-mediatheque-de-brest-*.zip"))
    assert len(kept) == 1 and kept[0].stat().st_mode & 0o077 == 0
    made = runner.invoke(cli, ["bundle", "-o", str(tmp_path / "paquet.zip")])
    assert made.exit_code == 0 and "2 ateliers" in said(made)
    (tmp_path / "abime.zip").write_bytes(b"PK\x03\x04 pas un paquet")
    refused = runner.invoke(cli, ["gather", str(tmp_path / "abime.zip")])
    assert refused.exit_code == 1 and "Rien n'a été importé." in said(refused)
