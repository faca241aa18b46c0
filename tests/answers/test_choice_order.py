"""Choices in an order drawn per learner: a permutation seeded by the learner and the question,
the same on every reload and in the results, different from one learner to the next, and never
what grading reads (answers are the choices' texts)."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

from course.answers.kinds.choices import display_order, in_learner_order, ordered_choices
from course.answers.released import QuestionOutcome, ReleasedResults
from course.answers.scoring import score
from course.content.catalogue import load_module

ESSAI = Path(__file__).resolve().parents[1] / "fixtures" / "modules" / "01-essai"


def essai():
    return load_module(ESSAI)


def test_the_order_is_a_permutation_stable_for_one_learner():
    order = display_order("eval-couleur", 4, "alice")
    assert sorted(order) == [0, 1, 2, 3]
    assert display_order("eval-couleur", 4, "alice") == order  # a reload draws the same
    # Other learners and other questions get their own orders.
    orders = {tuple(display_order("eval-couleur", 4, f"learner-{n}")) for n in range(40)}
    assert len(orders) > 10
    by_question = {tuple(display_order(f"q-{n}", 4, "alice")) for n in range(40)}
    assert len(by_question) > 10


def test_the_first_choice_shown_is_spread_evenly():
    """Over 2,400 learners each of 4 choices comes first about a quarter of the time."""
    first = Counter(display_order("eval-x", 4, f"l{n}")[0] for n in range(2400))
    assert set(first) == {0, 1, 2, 3}
    assert all(480 <= count <= 720 for count in first.values()), first


def test_grading_reads_the_choice_never_its_place():
    module = essai()
    q = next(q for q in module.questions if q.id == "eval-couleur")
    for learner in ("alice", "bob", "chloé"):
        shown = ordered_choices(q, learner)
        assert sorted(shown) == sorted(q.choices)
        assert score(q.key(), "Bleu") == q.points  # wherever « Bleu » was shown
        assert score(q.key(), shown[0] if shown[0] != "Bleu" else shown[1]) == 0


def test_the_browser_receives_the_learners_order():
    from course.learner.widgets import public_spec

    q = next(q for q in essai().questions if q.id == "eval-fruits")
    spec = public_spec(q, "alice")
    assert spec["order"] == display_order(q.id, 3, "alice")
    assert spec["choices"] == list(q.choices)  # the texts stay those of the module
    assert "answer" not in spec


def test_results_list_ticked_boxes_in_the_order_the_learner_saw():
    from course.learner.results_view import result_rows

    module = essai()
    q = next(q for q in module.questions if q.id == "eval-fruits")
    learner = next(
        f"l{n}" for n in range(100) if ordered_choices(q, f"l{n}")[0] == "Poire"
    )  # a learner who saw « Poire » before « Pomme »
    outcome = QuestionOutcome(q.id, "right", 1.0, 1.0, ["Pomme", "Poire"], ["Pomme", "Poire"])
    results = ReleasedResults(module.id, "", 1.0, 1.0, False, [outcome], learner=learner)
    row = next(r for r in result_rows(module, results) if r.prompt == q.prompt)
    assert row.answer == ["Poire", "Pomme"]
    assert row.answer == in_learner_order(q, ["Pomme", "Poire"], learner)
    # Read back from results.json, the learner, hence the order, is kept.
    again = ReleasedResults.from_dict(json.loads(results.to_json()))
    assert again.learner == learner
    # Results released before the learner was kept list the boxes in the module's order.
    old = ReleasedResults(module.id, "", 1.0, 1.0, False, [outcome])
    assert next(r for r in result_rows(module, old) if r.prompt == q.prompt).answer == [
        "Pomme",
        "Poire",
    ]
