"""Answers by type (`course.answers.answer_rules`) and simultaneous writers of one answers file
(`course.answers.store`): two processes, 30 rounds at the same moment, nothing lost."""

from __future__ import annotations

import multiprocessing
from dataclasses import dataclass

import pytest

from course.answers.answer_rules import SHORT_LIMIT, WRITTEN_LIMIT, AnswerRefused, check_answer
from course.answers.store import AnswerStore


@dataclass
class Q:
    type: str
    choices: tuple[str, ...] = ()
    fields: tuple = ()


QCU, QCM = Q("qcu", ("Vert", "Bleu")), Q("qcm", ("Pomme", "Carotte", "Poire"))
QROCM = Q("qrocm", fields=(("Ville", ()), ("Pays", ())))


@pytest.mark.parametrize(
    ("question", "value", "kept"),
    [
        (QCU, "Bleu", "Bleu"),
        (QCU, "", ""),
        (QCM, ["Poire", "Pomme"], ["Pomme", "Poire"]),
        (QCM, [], []),
        (Q("qroc"), "7" * SHORT_LIMIT, "7" * SHORT_LIMIT),
        (Q("libre"), "a" * WRITTEN_LIMIT, "a" * WRITTEN_LIMIT),
        (QROCM, ["Paris", "France"], ["Paris", "France"]),
    ],
)
def test_answers_a_learner_can_give_are_kept(question, value, kept):
    assert check_answer(question, value) == kept


@pytest.mark.parametrize(
    ("question", "value", "message"),
    [
        (QCU, "Violet", "ne fait pas partie des choix"),
        (QCU, ["Bleu"], "ne fait pas partie des choix"),
        (QCU, 3, "ne fait pas partie des choix"),
        (QCM, ["Pomme", "Tomate"], "ne fait pas partie des choix"),
        (QCM, ["Pomme", "Pomme"], "ne fait pas partie des choix"),
        (QCM, "Pomme", "ne fait pas partie des choix"),
        (QCM, [1], "ne fait pas partie des choix"),
        (Q("qroc"), "7" * (SHORT_LIMIT + 1), "trop longue"),
        (Q("qroc"), {"a": 1}, "avec du texte"),
        (Q("libre"), "a" * (WRITTEN_LIMIT + 1), "5\u202f000 caractères au plus"),
        (Q("libre"), None, "avec du texte"),
        (QROCM, ["Paris"], "chaque case"),
        (QROCM, ["Paris", 2], "chaque case"),
        (QROCM, ["Paris", "x" * (SHORT_LIMIT + 1)], "trop longue"),
        (Q("inconnu"), "x", "ne peut pas recevoir"),
    ],
)
def test_anything_else_is_refused_in_french(question, value, message):
    with pytest.raises(AnswerRefused, match=message):
        check_answer(question, value)


def _writer(path, question_id, barrier, rounds):
    """Each round: write at the same moment as the other process, then both answers must be
    in the file (exit code 1 names a lost answer)."""
    for n in range(rounds):
        barrier.wait()
        AnswerStore(path).set(question_id, f"{question_id} {n}")
        barrier.wait()
        if AnswerStore(path).answers != {"a": f"a {n}", "b": f"b {n}"}:
            raise SystemExit(1)
        barrier.wait()


def test_two_writers_at_the_same_moment_lose_nothing(tmp_path):
    path = tmp_path / "answers.json"
    rounds = 30
    context = multiprocessing.get_context("fork")
    barrier = context.Barrier(2)
    writers = [
        context.Process(target=_writer, args=(path, qid, barrier, rounds)) for qid in ("a", "b")
    ]
    for w in writers:
        w.start()
    for w in writers:
        w.join(60)
        assert w.exitcode == 0
    assert AnswerStore(path).answers == {"a": f"a {rounds - 1}", "b": f"b {rounds - 1}"}


def test_a_store_read_before_another_write_does_not_undo_it(tmp_path):
    """Each page keeps its own AnswerStore: a write merges into the file as it is now."""
    path = tmp_path / "answers.json"
    one, two = AnswerStore(path), AnswerStore(path)
    one.set("a", "1")
    two.set("b", "2")
    one.set("c", "3")
    assert AnswerStore(path).answers == {"a": "1", "b": "2", "c": "3"}
