"""FastExecute inside nbgrader's real Autograde: same outputs as a kernel, nothing else runs.

The chain (release, submit, collect, autograde into the gradebook) is nbgrader's own; the
kernel comparison uses nbclient with a real ipykernel, as nbgrader's Execute does.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from course.access.roster import Roster
from course.learner.session import LearnerSession
from course.trainer.batch_grade import BatchReport
from course.trainer.fast_autograde import FastExecute, expected_cells, run_grade_cell
from course.trainer.workflow import collect, grade, release

MODULE = "proteger-ses-donnees"


def _model(q):
    return q.model_answer() if q.autograded else "Je raccroche et j'appelle ma banque."


@pytest.fixture(scope="module")
def collected_once(tmp_path_factory):
    """A released module with three learners (right, half right, nothing) collected, made once
    for the file: each test grades its own copy (`collected`)."""
    from support.project import copy_project

    from course.settings import Project

    project = Project(copy_project(tmp_path_factory.mktemp("ramasse") / "projet"))
    module = project.catalogue.get(MODULE)
    release(project, module)
    roster = Roster(project.data_dir)
    ids = []
    for name, keep in (("Alice", lambda i: True), ("Bruno", lambda i: i % 2), ("Céline", None)):
        learner, _ = roster.add(name)
        ids.append(learner.id)
        session = LearnerSession(project, module, learner.id)
        for i, q in enumerate(module.questions):
            if keep is not None and keep(i):
                session.answer(q.id, _model(q))
        session.submit()
    collect(project, module)
    return project.root, ids


@pytest.fixture
def collected(collected_once, tmp_path, monkeypatch):
    """A copy of `collected_once` for one test (grading writes into it)."""
    from support.project import copied

    monkeypatch.delenv("COURSE_ROOT", raising=False)
    root, ids = collected_once
    project = copied(root, tmp_path / "projet")
    return project, project.catalogue.get(MODULE), ids


def _submitted(project, learner: str) -> Path:
    return project.course_dir / "submitted" / learner / MODULE


def test_outputs_are_exactly_what_a_kernel_records(project, tmp_path):
    """Each generated grade cell, run by ipykernel through nbclient and by us, same outputs."""
    import nbformat
    from nbclient import NotebookClient

    module = project.catalogue.get(MODULE)
    cells = expected_cells(project.root, MODULE)
    graded = [(gid, src) for gid, (src, is_grade) in cells.items() if is_grade]
    assert len(graded) >= 5
    answers = {q.id: _model(q) for i, q in enumerate(module.questions) if i % 3}
    answers[module.questions[0].id] = ["pas", "une", "chaîne"]  # malformed: scores 0
    (tmp_path / "answers.json").write_text(json.dumps({"answers": answers}), encoding="utf-8")
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(src) for _, src in graded])
    nb.metadata["kernelspec"] = {
        "name": "python3",
        "display_name": "Python 3",
        "language": "python",
    }
    env_before = os.environ.get("COURSE_ROOT")
    NotebookClient(nb, resources={"metadata": {"path": str(tmp_path)}}, timeout=60).execute()
    assert os.environ.get("COURSE_ROOT") == env_before
    scores = set()
    for n, (cell, (_gid, src)) in enumerate(zip(nb.cells, graded, strict=True), 1):
        ours = run_grade_cell(src, tmp_path, n)
        assert [dict(o) for o in ours] == [dict(o) for o in cell.outputs]
        scores.add(ours[0]["data"]["text/plain"])
    assert "0.0" in scores and len(scores) >= 2  # both right and wrong answers were compared


def test_grade_cell_not_generated_by_us_is_not_run_and_scores_zero(project, tmp_path):
    """A grade cell whose source differs from notebooks.py's is never executed: 0 points."""
    from nbformat.notebooknode import NotebookNode
    from nbgrader.utils import determine_grade

    from course.trainer import fast_autograde

    cells = expected_cells(project.root, MODULE)
    gid, (source, _) = next((g, c) for g, c in cells.items() if c[1])
    marker = tmp_path / "executed"
    cell = NotebookNode(
        cell_type="code",
        source=source.replace("grade(", f"open({str(marker)!r}, 'w') or grade("),
        metadata=NotebookNode(nbgrader=NotebookNode(grade=True, grade_id=gid, points=1.0)),
        outputs=[],
        execution_count=None,
    )
    nb = NotebookNode(cells=[cell], metadata=NotebookNode())
    resources = {
        "nbgrader": {"assignment": MODULE, "student": "alice"},
        "metadata": {"path": str(tmp_path)},
    }
    fast_autograde.INCIDENTS.clear()
    FastExecute(project_root=str(project.root)).preprocess(nb, resources)
    assert not marker.exists()
    assert determine_grade(nb.cells[0]) == (0, 1.0)
    (incident,) = fast_autograde.INCIDENTS
    assert incident.graded and incident.cell_id == gid and "0 point" in incident.french()
    fast_autograde.INCIDENTS.clear()


def test_added_code_cell_never_runs_and_is_reported(collected):
    project, module, (alice, bruno, celine) = collected
    path = _submitted(project, alice) / "evaluation.ipynb"
    nb = json.loads(path.read_text(encoding="utf-8"))
    marker = project.root / "pirate.txt"
    nb["cells"].insert(
        2,
        {
            "cell_type": "code",
            "id": "ajout",
            "metadata": {},
            "outputs": [],
            "execution_count": None,
            "source": f"open({str(marker)!r}, 'w').write('x')",
        },
    )
    path.write_text(json.dumps(nb), encoding="utf-8")
    report = grade(project, module)
    assert not marker.exists()
    assert sorted(report.graded) == sorted([alice, bruno, celine])
    assert any("cellule de code inconnue" in n for n in report.notes[alice])
    assert report.failed == {}


def test_other_cells_run_only_when_opted_in(collected):
    project, module, (alice, _bruno, _celine) = collected
    with (project.root / "nbgrader_config.py").open("a", encoding="utf-8") as fh:
        fh.write("\nc.FastExecute.execute_other_cells = True\n")
    from course.settings import Project

    project = Project(project.root)
    path = _submitted(project, alice) / "evaluation.ipynb"
    nb = json.loads(path.read_text(encoding="utf-8"))
    extra = {"cell_type": "code", "id": "ajout", "metadata": {}, "outputs": []}
    nb["cells"].insert(2, {**extra, "execution_count": None, "source": "open('ran', 'w')"})
    path.write_text(json.dumps(nb), encoding="utf-8")
    report = grade(project, module)
    assert (project.course_dir / "autograded" / alice / MODULE / "ran").exists()
    assert alice in report.graded


def test_broken_copies_never_stop_the_batch(collected):
    project, module, (alice, bruno, celine) = collected
    (_submitted(project, alice) / "answers.json").write_text("{pas du json", encoding="utf-8")
    (_submitted(project, bruno) / "evaluation.ipynb").write_text("{tronqué", encoding="utf-8")
    stranger = project.course_dir / "submitted" / "Pas-Nous" / MODULE
    stranger.parent.mkdir(mode=0o700)
    import shutil

    shutil.copytree(_submitted(project, celine), stranger)
    report: BatchReport = grade(project, module)
    assert sorted(report.graded) == sorted([alice, celine])
    assert "illisible" in report.failed[bruno]
    assert "identifiant" in report.failed["Pas-Nous"]
    assert any("illisible" in n for n in report.notes[alice])
    assert any("aucune réponse" in n for n in report.notes[celine])


def test_course_grade_prints_a_french_table_and_no_english(collected):
    project, module, ids = collected
    env = {k: v for k, v in os.environ.items() if k != "COURSE_ROOT"}
    env["PATH"] = f"{Path(sys.executable).parent}{os.pathsep}{env.get('PATH', '')}"
    proc = subprocess.run(
        [str(Path(sys.executable).parent / "course"), "grade", MODULE],
        cwd=project.root,
        capture_output=True,
        text=True,
        env={**env, "COLUMNS": "120"},
        timeout=300,
    )
    out = proc.stdout + proc.stderr
    assert proc.returncode == 0, out
    assert "Apprenant" in out and "Note" in out and "Réponses écrites à corriger" in out
    # The module has a written question: the trainer is sent to their space, not to JupyterLab.
    assert "page « Corriger » de l'atelier" in out
    for learner in ids:
        assert learner in out
    for english in ("Kernel", "WARNING", "INFO", "Traceback", "error", "Autograd", "Skipping"):
        assert english not in out, english


def test_score_table_matches_the_gradebook_as_results_reads_it(collected):
    """The table's one query gives what course.coordinator.results (exports, feedback) computes."""
    from course.coordinator.results import submissions
    from course.trainer.grade_report import score_rows

    project, module, ids = collected
    report = grade(project, module)
    rows = {r.learner_id: r for r in score_rows(project, module, report.graded)}
    assert set(rows) == set(ids)
    for sub in submissions(project, module):
        pending = sum(1 for q in sub.questions.values() if q.score is None)
        row = rows[sub.learner_id]
        assert (row.score, row.max_score, row.pending) == (sub.score, sub.max_score, pending)
    assert rows[ids[0]].score > rows[ids[1]].score > rows[ids[2]].score == 0
    assert rows[ids[0]].pending == 1 and rows[ids[2]].pending == 0
