"""What the grading page shows as the expected answer: the explanation the learner reads with
their results, without its closing words to the learner, its lists kept as lists."""

from __future__ import annotations

from pathlib import Path

from course.core.french import markdown_html
from course.settings import Project
from course.trainer.written import for_trainer

ROOT = Path(__file__).resolve().parents[2]


def test_expected_answers_keep_their_lists_and_drop_the_words_to_the_learner():
    written = [q for m in Project(ROOT).catalogue.modules for q in m.questions if not q.autograded]
    assert len(written) >= 5
    for question in written:
        text = for_trainer(question.explanation)
        html = markdown_html(text)
        assert html.count("<li>") == question.explanation.count("\n- ") >= 3, question.id
        assert "Merci" not in text and "Vous pourrez" not in text, question.id
    cv = next(q for q in written if q.id == "eval-decrire-experience")
    assert for_trainer(cv.explanation).endswith("inutile.\n\nToutes les expériences comptent.")


def test_a_closing_paragraph_for_the_trainer_is_kept():
    text = (
        "Une bonne réponse contient :\n\n- un objet ;\n- une salutation.\n\nPeu importe les "
        "fautes : l'important, c'est un message clair. Inès sera contente de le recevoir !"
    )
    assert for_trainer(text).endswith(
        "\n\nPeu importe les fautes : l'important, c'est un message clair."
    )
    assert for_trainer("Oui ou non.") == "Oui ou non."
