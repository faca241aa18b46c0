"""Results in the app, in Chromium: after the trainer releases them, the catalogue says
« Résultats prêts », the evaluation links to them, and the results page shows each verdict, the
right boxes of a QCM and the trainer's comment, with a PDF to take home, and the learner downloads
their attestation of participation (or reads why there is none); axe finds nothing."""

from __future__ import annotations

import base64
import io
import shutil
from datetime import date

import pytest
from browser_support import axe_violations, open_page, running
from pypdf import PdfReader

pytestmark = pytest.mark.browser

COMMENT = "Une réponse claire et polie. Bravo !"


@pytest.fixture(scope="module")
def graded(tmp_path_factory):
    from support.project import released_essai

    answers = {
        "eval-couleur": "Bleu",
        "eval-fruits": ["Pomme", "Carotte"],
        "eval-message": "Oui, avec plaisir.",
        "eval-boite": ["colis=fiable", "club=fiable"],  # a simulation half right
    }
    root = tmp_path_factory.mktemp("resultats-web") / "essai"
    project, learners = released_essai(root, {"Hélène": answers}, {"Hélène": (2, COMMENT)})
    bob, _ = project.roster().add("Bob")
    # Chloé has the same released results as Hélène, but is in no workshop's group.
    chloe, _ = project.roster().add("Chloé")
    helene_dir = project.workspace(learners["Hélène"].id, "essai")
    project.workspace(chloe.id, "essai").mkdir(parents=True)
    shutil.copy(helene_dir / "results.json", project.workspace(chloe.id, "essai"))
    book = project.workshops()
    book.create(
        "Premiers pas à l'écran",
        date(2026, 12, 2),
        ["essai"],
        duration_minutes=90,
        place="Médiathèque Jean-Jaurès",
        trainer="Françoise",
        learner_ids=[learners["Hélène"].id],
        show_result=True,
    )
    book.close()
    roster = project.roster()
    # A card link opens a session once: each test gets a fresh one.
    return (
        project,
        lambda: roster.new_link(learners["Hélène"].id),
        lambda: roster.new_link(bob.id),
        lambda: roster.new_link(chloe.id),
    )


@pytest.fixture(scope="module")
def server(graded):
    yield from running(graded[0], pool_size=0)


def test_results_page_shows_verdicts_comment_and_pdf(server, graded, context, guard):
    _, helene, _, _ = graded
    page = open_page(context, server.url("essai/resultats.ipynb", helene()), guard)
    text = page.locator(".cq-page").inner_text()
    for expected in (
        "Votre score : 3,5 sur 11",
        "« Votre colis est bloqué » : votre choix, « Je lui fais confiance »",  # what was done
        "Bonne réponse",
        "En partie juste",
        "Ce qui était juste dans votre réponse : Pomme",
        "Vous n'avez pas répondu",
        COMMENT,
        "Un ami vous écrit",  # the situation, above the question
    ):
        assert expected in text, expected
    assert page.locator(".cq-result ul li").count() >= 2  # the explanation's list stays a list
    assert axe_violations(page) == []
    # One click downloads the file; a link stays to save it again.
    with page.expect_download(timeout=30_000) as download_info:
        page.get_by_role("button", name="Télécharger mes résultats en PDF").click()
    assert download_info.value.suggested_filename == "resultats-essai.pdf"
    link = page.get_by_role(
        "link", name="Enregistrer de nouveau le fichier « resultats-essai.pdf »"
    )
    href = link.get_attribute("href")
    assert href.startswith("data:application/pdf;base64,")
    assert "est téléchargé" in page.get_by_role("status").filter(has=link).inner_text()
    pdf = PdfReader(io.BytesIO(base64.b64decode(href.split(",", 1)[1])))
    pdf_text = " ".join(" ".join(p.extract_text() for p in pdf.pages).split())
    # The simulation in the PDF: what the learner did and the verdict, as on the page.
    assert "« Votre colis est bloqué » : votre choix, « Je lui fais confiance »" in pdf_text
    assert "En partie juste" in pdf_text
    assert axe_violations(page) == []
    guard.check()


def test_catalogue_and_evaluation_lead_to_the_results(server, graded, context, guard):
    _, helene, _, _ = graded
    page = open_page(context, server.url("index.ipynb", helene()), guard)
    status = page.locator(".cq-status").first.inner_text()
    assert "Leçon : 0 exercice sur 1" in status and "Évaluation : envoyée le" in status
    assert "Résultats prêts" in status
    evaluation = open_page(context, server.url("essai/evaluation.ipynb"), guard)
    assert "Vos résultats sont prêts" in evaluation.locator(".cq-page").inner_text()
    assert "Cinq questions" not in evaluation.locator(".cq-page").inner_text()  # no promise left


def test_a_learner_without_results_is_told_they_are_not_ready(server, graded, context, guard):
    _, _, bob, _ = graded
    page = open_page(context, server.url("essai/resultats.ipynb", bob()), guard)
    assert "pas encore prêts" in page.locator(".cq-page").inner_text()
    assert "Hélène" not in page.locator(".cq-page").inner_text()
    assert axe_violations(page) == []


def test_the_learner_downloads_their_attestation(server, graded, context, guard, tmp_path):
    _, helene, _, _ = graded
    page = open_page(context, server.url("essai/resultats.ipynb", helene()), guard)
    assert page.get_by_role("heading", name="Votre attestation de participation").is_visible()
    name = "attestation-2026-12-02-helene.pdf"
    with page.expect_download(timeout=30_000) as download_info:  # one click: no second link
        page.get_by_role(
            "button", name="Télécharger mon attestation de participation en PDF"
        ).click()
    download = download_info.value
    assert download.suggested_filename == name
    saved = tmp_path / name
    download.save_as(saved)
    text = " ".join(" ".join(p.extract_text() for p in PdfReader(saved).pages).split())
    for expected in ("Attestation de participation", "Hélène", "« Premiers pas à l'écran »",
                     "mercredi 2 décembre 2026", "Durée 1 h 30", "Animé par Françoise",
                     "2.1 Interagir", "Module d'essai : 3,5 sur 11."):  # fmt: skip
        assert expected in text, expected
    page.get_by_role("link", name=f"Enregistrer de nouveau le fichier « {name} »").wait_for()
    assert axe_violations(page) == []
    guard.check()


def test_a_learner_in_no_workshop_is_told_why_there_is_no_attestation(
    server, graded, context, guard
):
    _, _, _, chloe = graded
    page = open_page(context, server.url("essai/resultats.ipynb", chloe()), guard)
    page.get_by_role("button", name="Télécharger mon attestation de participation en PDF").click()
    alert = page.locator(".cq-attestation-none")
    alert.wait_for(timeout=30_000)
    assert "Vous n'êtes dans le groupe d'aucun atelier de ce module" in alert.inner_text()
    assert page.get_by_role("link", name="Enregistrer le fichier", exact=False).count() == 0
    assert axe_violations(page) == []
