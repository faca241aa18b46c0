"""Releasing results: each learner's `results.json` for the app (verdicts, right boxes of a QCM,
the trainer's comment from the gradebook) and the results PDF, from the real nbgrader chain."""

from __future__ import annotations

import io
import shutil
import subprocess

import pytest
from pypdf import PdfReader

from course.answers.released import read_results
from course.learner.results_pdf import results_pdf

HELENE = {
    "eval-couleur": "Bleu",
    "eval-fruits": ["Pomme", "Carotte"],  # one right box, one wrong: no point, « En partie juste »
    "eval-nombre": "sept jours",
    "eval-ville-pays": ["France", "Espagne"],
    "eval-message": "Oui, je viens dimanche ! 😀",
    "eval-boite": ["colis=signaler", "club=frauduleux"],  # one message of two: half the point
    "eval-etapes": ["Se lever", "Déjeuner", "Se laver"],  # one step in place: no point
}
COMMENT = "Très bien : une phrase claire et polie. Pensez à dire merci."


@pytest.fixture(scope="module")
def released(tmp_path_factory):
    from support.project import released_essai

    root = tmp_path_factory.mktemp("resultats") / "essai"
    project, learners = released_essai(
        root, {"Hélène": HELENE, "Bob": {}}, {"Hélène": (1, COMMENT)}
    )
    return project, project.catalogue.get("essai"), learners["Hélène"], learners["Bob"]


def test_results_file_holds_each_verdict_and_the_comment(released):
    project, module, helene, bob = released
    results = read_results(project.workspace(helene.id, module.id))
    assert results is not None
    verdicts = {q.question_id: q.verdict for q in results.questions}
    assert verdicts == {
        "eval-couleur": "right",
        "eval-fruits": "partial",
        "eval-nombre": "right",
        "eval-ville-pays": "wrong",
        "eval-message": "graded",
        "eval-boite": "partial",
        "eval-site": "empty",
        "eval-discussion": "empty",
        "eval-formulaire": "empty",
        "eval-etapes": "partial",
    }
    boite = results.outcome("eval-boite")
    assert boite is not None and boite.score == 0.5
    assert boite.right_choices == ["« Votre colis est bloqué » : votre choix, « Je le signale »"]
    etapes = results.outcome("eval-etapes")
    assert etapes is not None and etapes.score == 0 and etapes.right_choices == ["1. Se lever"]
    fruits = results.outcome("eval-fruits")
    assert fruits is not None and fruits.right_choices == ["Pomme"] and fruits.score == 0
    message = results.outcome("eval-message")
    assert message is not None and message.comment == COMMENT and message.score == 1
    assert (results.score, results.max_score, results.pending) == (3.5, 11, False)

    empty = read_results(project.workspace(bob.id, module.id))
    assert empty is not None
    assert {q.verdict for q in empty.questions} == {"empty"}


def test_feedback_page_carries_the_comment_and_the_right_boxes(released):
    project, module, helene, _ = released
    page = project.layout.path("feedback", helene.id, module.id) / "evaluation.html"
    text = page.read_text(encoding="utf-8")
    assert page.stat().st_mode & 0o077 == 0  # a learner's answers: the owner's only
    assert all(p.stat().st_mode & 0o077 == 0 for p in page.parent.iterdir())
    assert "En partie juste" in text and "Ce qui était juste dans votre réponse : Pomme" in text
    assert COMMENT.replace("'", "&#39;") in text


def test_a_whole_group_prints_in_one_pdf_that_renders(released, tmp_path):
    project, module, helene, bob = released
    learners = [
        (name, read_results(project.workspace(lid, module.id)))
        for name, lid in (("Hélène", helene.id), ("Bob", bob.id))
    ]
    data = results_pdf(module, learners)  # type: ignore[arg-type]
    reader = PdfReader(io.BytesIO(data))
    text = "\n".join(page.extract_text() for page in reader.pages)
    for expected in ("Hélène", "Bob", "En partie juste", "Vous n'avez pas répondu", "merci"):
        assert expected in text
    assert len(reader.pages) >= 2  # each learner starts a page
    assert shutil.which("pdftoppm"), "pdftoppm missing: install Debian's poppler-utils"
    (tmp_path / "r.pdf").write_bytes(data)
    subprocess.run(
        ["pdftoppm", "-r", "30", "-png", str(tmp_path / "r.pdf"), str(tmp_path / "p")], check=True
    )
    assert len(list(tmp_path.glob("p*.png"))) == len(reader.pages)
