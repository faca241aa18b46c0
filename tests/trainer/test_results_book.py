"""A workshop's results in one PDF (`course results-book`) and the attestations from the command
line (`course attestations`): every learner of the group, each starting on a new page, written
under var/ for the trainer only."""

from __future__ import annotations

from datetime import date

import pytest
from click.testing import CliRunner
from pypdf import PdfReader

from course.answers.released import QuestionOutcome, ReleasedResults, write_results
from course.cli import cli
from course.trainer.results_book import workshop_results
from course.workshops import WorkshopError

MODULES = ["proteger-ses-donnees", "verifier-une-information"]


@pytest.fixture
def site(project, monkeypatch):
    """Hélène has results for the first module only, Bob none; both in a two-module workshop."""
    monkeypatch.setenv("COURSE_ROOT", str(project.root))
    roster = project.roster()
    helene, _ = roster.add("Hélène")
    bob, _ = roster.add("Bob")
    module = project.catalogue.get(MODULES[0])
    first = module.questions[0]
    outcomes = [QuestionOutcome(first.id, "wrong", 0.0, first.points, "Je ne sais pas")]
    outcomes += [QuestionOutcome(q.id, "right", q.points, q.points) for q in module.questions[1:]]
    score = module.total_points - first.points
    results = ReleasedResults(module.id, "", score, module.total_points, False, outcomes)
    write_results(project.workspace(helene.id, module.id), results)
    book = project.workshops()
    workshop = book.create(
        "Atelier sécurité", date(2026, 12, 2), MODULES, learner_ids=[helene.id, bob.id]
    )
    empty = book.create("Atelier sans personne", date(2026, 12, 3), MODULES)
    book.set_present(workshop.id, [bob.id])  # Hélène has results: she came too
    book.close()
    return project, workshop, empty, module


def page_texts(path) -> list[str]:
    return [" ".join(page.extract_text().split()) for page in PdfReader(path).pages]


def test_the_book_has_every_learner_and_module_each_on_new_pages(site):
    project, workshop, _, module = site
    path = workshop_results(project, workshop.id)
    assert (
        path == project.data_dir / "resultats" / f"resultats-2026-12-02-atelier-{workshop.id}.pdf"
    )
    assert path.stat().st_mode & 0o777 == 0o600 and path.parent.stat().st_mode & 0o777 == 0o700
    texts = page_texts(path)
    bob_pages = [n for n, t in enumerate(texts) if "Bob" in t]
    helene_pages = [n for n, t in enumerate(texts) if "Hélène" in t]
    # Bob comes first (id order), one page per module saying there is nothing yet; no page
    # mixes the two learners.
    assert bob_pages == [0, 1] and helene_pages[0] == 2 and not set(bob_pages) & set(helene_pages)
    assert all("Pas de résultats pour ce module" in texts[n] for n in bob_pages)
    assert "Vérifier une information" in texts[1]
    helene = "\n".join(texts[n] for n in helene_pages)
    assert f"Vos résultats : {module.title}" in helene
    assert "Ce n'est pas la bonne réponse" in helene and "Je ne sais pas" in helene
    assert "Bonne réponse" in helene
    assert "Pas de résultats pour ce module" in texts[helene_pages[-1]]  # her second module


def test_refusals_are_french(site):
    project, _, empty, _ = site
    with pytest.raises(WorkshopError, match="groupe de cet atelier est vide"):
        workshop_results(project, empty.id)
    with pytest.raises(WorkshopError, match="n'existe pas"):
        workshop_results(project, 999)


def test_the_commands_print_both_pdfs_and_refuse_in_french(site, tmp_path):
    project, workshop, empty, _ = site
    runner = CliRunner()
    out = tmp_path / "groupe.pdf"
    done = runner.invoke(cli, ["attestations", str(workshop.id), "-o", str(out)])
    assert done.exit_code == 0, done.output
    assert len(PdfReader(out).pages) == 2 and "Attestations du groupe écrites" in done.output
    one = runner.invoke(cli, ["attestations", str(workshop.id), "--apprenant", "helene"])
    assert one.exit_code == 0 and "✔ Attestation écrite dans" in one.output, one.output
    assert (project.data_dir / "attestations" / "attestation-2026-12-02-helene.pdf").is_file()
    book = runner.invoke(cli, ["results-book", str(workshop.id)])
    assert book.exit_code == 0 and "resultats-2026-12-02" in book.output, book.output
    refused = runner.invoke(cli, ["attestations", str(empty.id)])
    assert refused.exit_code == 1 and "groupe de cet atelier est vide" in refused.output
    unknown = runner.invoke(cli, ["results-book", "999"])
    assert unknown.exit_code == 1 and "Cet atelier n'existe pas" in unknown.output
    nobody = runner.invoke(cli, ["attestations", str(workshop.id), "--apprenant", "nadia"])
    assert nobody.exit_code == 1 and "aucun atelier" in nobody.output


def test_only_those_who_came_are_in_the_book(site):
    project, workshop, _, _ = site
    book = project.workshops()
    book.set_present(workshop.id, [])
    book.close()
    texts = page_texts(workshop_results(project, workshop.id))
    assert "Hélène" in texts[0] and not any("Bob" in t for t in texts)
    assert not any("course" in t.replace("Ateliers numériques", "") for t in texts)
