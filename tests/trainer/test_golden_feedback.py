"""The learner's feedback page, golden: the essai module graded through the real nbgrader chain
(release, the learner's session, submission, collection, autograde) then written in French."""

from __future__ import annotations

from golden import check_golden

from course.learner.session import LearnerSession
from course.trainer.feedback import generate_feedback
from course.trainer.workflow import collect, grade, release

ANSWERS = {
    "eval-couleur": "Bleu",  # right
    "eval-fruits": ["Pomme"],  # one right box of two: no point (Pix's rule)
    "eval-nombre": "7 jours",
    "eval-ville-pays": ["France", "Espagne"],  # one field wrong: wrong
    "eval-message": "Oui, je viens dimanche ! 😀 <b>merci</b>",
    "eval-boite": ["colis=fiable", "club=fiable"],  # one message of two: half the point
    "eval-site": "officiel",
    "eval-discussion": ["Oui, avec plaisir !", "Voici mon code."],  # half the path
    "eval-formulaire": ["  MARTIN ", "Lyn"],  # typing forgiven: right
    # eval-etapes: not answered
}


def test_feedback_page_matches_its_golden_file(essai_project):
    project = essai_project
    module = project.catalogue.get("essai")
    release(project, module)
    learner, _ = project.roster().add("Hélène")
    session = LearnerSession(project, module, learner.id)
    for question_id, answer in ANSWERS.items():
        session.answer(question_id, answer)
    session.submit()
    collect(project, module)
    assert grade(project, module).graded == [learner.id]
    [page] = generate_feedback(project, module)
    check_golden("feedback-essai.html", page.read_text(encoding="utf-8"))
