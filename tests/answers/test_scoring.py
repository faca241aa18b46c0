"""Scoring rules shared by grade cells and lessons."""

import json

import pytest

from course.answers.grade_cell import grade
from course.answers.scoring import is_correct, score

QCM = {"id": "q", "type": "qcm", "points": 2, "answer": ["A", "C"]}
QCU = {"id": "q", "type": "qcu", "points": 1, "answer": ["B"]}
QROC = {"id": "q", "type": "qroc", "points": 1, "answer": ["33700", "33 700"]}


@pytest.mark.parametrize(
    ("key", "answer", "expected"),
    [
        (QCM, ["A", "C"], 2),
        (QCM, ["C", "A"], 2),
        (QCM, ["A"], 0),
        (QCM, ["A", "B", "C"], 0),
        (QCM, [], 0),
        (QCM, None, 0),
        (QCM, "A", 0),
        (QCU, "B", 1),
        (QCU, "A", 0),
        (QCU, "", 0),
        (QCU, ["B"], 0),
        (QROC, " 33 700 ", 1),
        (QROC, "", 0),
        (QROC, "17", 0),
    ],
)
def test_score(key, answer, expected):
    result = score(key, answer)
    assert result == expected
    assert 0 <= result <= key["points"]


def test_free_text_is_not_autoscored():
    with pytest.raises(ValueError):
        is_correct("libre", [], "texte")


def test_grade_reads_answers_file(tmp_path):
    assert grade(QCU, tmp_path) == 0  # no file: 0, never full marks
    (tmp_path / "answers.json").write_text(json.dumps({"answers": {"q": "B"}}))
    assert grade(QCU, tmp_path) == 1
    (tmp_path / "answers.json").write_text("{broken")
    assert grade(QCU, tmp_path) == 0


QROCM = {
    "id": "q",
    "type": "qrocm",
    "points": 2,
    "answer": [["marie.dupont@exemple.fr"], ["Rendez-vous", "rdv"]],
}


@pytest.mark.parametrize(
    ("answer", "expected"),
    [
        (["Marie.Dupont@exemple.fr", "rendez vous"], 2),
        (["marie.dupont@exemple.fr", "RDV"], 2),
        (["marie.dupont@exemple.fr", ""], 0),
        (["marie.dupont@exemple.fr"], 0),
        (["", ""], 0),
        ("marie.dupont@exemple.fr", 0),
        (None, 0),
    ],
)
def test_qrocm_needs_every_field(answer, expected):
    assert score(QROCM, answer) == expected
