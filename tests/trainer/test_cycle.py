"""Where the evaluation stands (`course.trainer.cycle`), and a step out of order refused by
the step's own process too (two tabs may race past the page's check), in French."""

from __future__ import annotations

import json
import os
import subprocess
import sys

from course.trainer.cycle import STAGES, Cycle


def test_each_stage_and_the_steps_it_allows():
    people = frozenset({"helene", "ahmed"})
    cases = [
        (Cycle(opened=False), {"ouvrir"}),
        (Cycle(opened=True), {"ramasser"}),
        (Cycle(opened=True, collected=people), {"ramasser", "corriger"}),
        (Cycle(opened=True, collected=people, graded=people), {"ramasser", "corriger", "rendre"}),
        (Cycle(True, people, people, people), {"ramasser", "corriger", "rendre"}),
    ]
    for stage, (cycle, allowed) in enumerate(cases):
        assert (cycle.stage, STAGES[cycle.stage]) == (stage, STAGES[stage])
        assert {s for s in ("ouvrir", "ramasser", "corriger", "rendre")
                if not cycle.refusal(s)} == allowed, cycle  # fmt: skip
    late = Cycle(opened=True, collected=people | {"zoe"}, graded=people)
    assert late.stage == 2  # Zoé's evaluation, collected later, still waits for « Corriger »
    after_results = Cycle(True, people | {"zoe"}, graded=people, released=people)
    assert after_results.stage == 2  # the same once the others' results were returned
    assert after_results.line == "L'évaluation est ramassée (3 évaluations) : lancez « Corriger »."
    one = Cycle(True, frozenset({"zoe"}), frozenset({"zoe"}), frozenset({"zoe"}))
    assert one.line == "Les résultats sont rendus (1 apprenant)."
    assert Cycle(opened=False).refusal("corriger").startswith("Ouvrez d'abord l'évaluation")


def test_the_step_process_refuses_a_collect_before_opening(essai_project):
    env = {**os.environ, "COURSE_ROOT": str(essai_project.root)}
    done = subprocess.run(
        [sys.executable, "-m", "course.trainer.space.run_step", "ramasser", "essai"],
        env=env, capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    assert done.returncode == 1
    last = json.loads(done.stdout.strip().splitlines()[-1])
    assert last["failed"] == "Ouvrez d'abord l'évaluation : il n'y a encore rien à ramasser."
