"""Stock `nbgrader autograde` against `course grade`, on the same copies, with identical grades.

Run: .venv/bin/python benchmarks/autograde_speed.py [--learners 600] [--module proteger-ses-donnees]

A throw-away copy of the project releases the module's evaluation; N learners answer (right,
wrong, empty, partial, careless, odd text, odd types, random mixes) and submit through
`course.trainer.workflow.submit` and nbgrader's exchange; a few copies are then damaged in the
exchange (answers file unreadable or removed, notebook truncated, notebook still JSON but not a
valid notebook, notebook edited by hand with an extra code cell), as a disk or a curious learner
could. The trainer collects. The project is then
copied: one copy is graded by stock `nbgrader autograde MODULE` (nbgrader's default
preprocessors, a kernel per notebook), the other by `course grade MODULE`, both as commands, on
this machine, one after the other. Every grade, comment and submission of the two gradebooks
must be identical; the times and their ratio are printed.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
# The tests' support: one copy of the project's files for tests and benchmarks alike.
sys.path.insert(0, str(REPO / "tests"))

from support.project import copy_project  # noqa: E402

from course.content.samples import right, sloppy, wrong  # noqa: E402


def stock_preprocessors() -> str:
    """Configuration lines that bring back nbgrader's own default (kernel execution), read from
    nbgrader itself, whatever the project's nbgrader_config.py says."""
    from nbgrader.converters.autograde import Autograde

    default = Autograde.class_traits()["autograde_preprocessors"].default()
    names = [p if isinstance(p, str) else f"{p.__module__}.{p.__name__}" for p in default]
    return (
        "\n# Benchmark: nbgrader's stock autograde (kernel execution).\n"
        f"c.Autograde.autograde_preprocessors = {names!r}\n"
    )


ODD_TEXTS = [
    "😀😀😀",
    "<script>alert('x')</script>",
    "   ",
    "Ｍｏｔ ｄｅ ｐａｓｓｅ",
    "a" * 5000,
    "\u202eenrevèR",
    "'; DROP TABLE grade; --",
    "Ǝ\u0301\u0327 ligne 1\nligne 2",
]


def odd(q, rng: random.Random):
    text = rng.choice(ODD_TEXTS)
    if q.type in ("messagerie", "conversation", "formulaire"):
        # A simulation partly right (part of the points), or naming what does not exist.
        right_parts, wrong_parts = list(right(q)), list(wrong(q))
        if rng.random() < 0.5:
            return [wrong_parts[0], *right_parts[1:]]
        return ["inconnu=fiable", text, *right_parts]
    if q.type in ("navigateur", "etapes"):
        return rng.choice([text, [text], list(reversed(right(q))) if q.type == "etapes" else text])
    if q.type == "qcm":
        return [text, *q.answer, *q.answer]  # unknown choice, duplicates
    if q.type == "qrocm":
        return [text] * (len(q.fields) + rng.choice((-1, 0, 1)))  # wrong field count too
    return text


def answers_for(i: int, module) -> dict:
    """Learner i's answers; the scenario cycles so any N gets every kind."""
    rng = random.Random(i)
    kind = i % 8
    out = {}
    for n, q in enumerate(module.questions):
        if kind == 0:
            value = right(q)
        elif kind == 1:
            value = wrong(q)
        elif kind == 2:
            value = None
        elif kind == 3:
            value = right(q) if n % 2 == 0 else None
        elif kind == 4:
            value = odd(q, rng)
        elif kind == 5:
            value = sloppy(q)
        elif kind == 6:
            value = rng.choice([42, {"x": 1}, ["a", 3], True, None, ""])  # not str nor list
        else:
            value = rng.choice([right, wrong, sloppy, lambda q: None])(q)
        if value is not None:
            out[q.id] = value
    return out


DAMAGES = (
    "answers-corrupt",
    "notebook-edited",
    "answers-missing",
    "notebook-truncated",
    "notebook-invalid",
)


def damage_kind(i: int, n: int) -> str | None:
    """Which damage learner i's copy gets: a few per run, every kind once N allows it."""
    if n >= 30:
        picks = {5: DAMAGES[0], 13: DAMAGES[2], 21: DAMAGES[3], n // 2 + 1: DAMAGES[1]}
        picks[29] = DAMAGES[4]
        picks[n - 3] = DAMAGES[0]
    else:  # small runs (tests): the last copies, keeping the first eight scenarios intact
        picks = {n - 1 - k: kind for k, kind in enumerate(DAMAGES) if n - 1 - k >= 0}
    return picks.get(i)


def damage(inbound: Path, i: int, n: int) -> str | None:
    """Damage a few submissions in the exchange, as a disk or a curious learner could."""
    kind = damage_kind(i, n)
    if kind is None:
        return None
    answers, notebook = inbound / "answers.json", inbound / "evaluation.ipynb"
    if kind == "answers-corrupt":
        answers.write_text('{"answers": {"q1": "ab', encoding="utf-8")
    elif kind == "answers-missing":
        answers.unlink()
    elif kind == "notebook-truncated":
        notebook.write_text(notebook.read_text(encoding="utf-8")[:300], encoding="utf-8")
    elif kind == "notebook-invalid":  # still JSON, no longer a valid notebook
        nb = json.loads(notebook.read_text(encoding="utf-8"))
        for cell in nb["cells"]:
            if cell["cell_type"] == "code":
                cell["outputs"] = "abîmé"
            else:
                cell["en_trop"] = {"clé": [1, 2]}
        notebook.write_text(json.dumps(nb), encoding="utf-8")
    else:
        nb = json.loads(notebook.read_text(encoding="utf-8"))
        for cell in nb["cells"]:
            if cell["metadata"].get("nbgrader", {}).get("grade") and cell["cell_type"] == "code":
                cell["source"] = "1 + 1  # la note, c'est moi qui la mets"
        extra = {"cell_type": "code", "metadata": {}, "outputs": [], "execution_count": None}
        nb["cells"].insert(2, {**extra, "id": "ajout", "source": "print('bonjour')"})
        notebook.write_text(json.dumps(nb), encoding="utf-8")
    return kind


def build(root: Path, n: int, module_id: str) -> dict[str, str]:
    """A project at `root` with n collected submissions; returns the damaged ones."""
    from course.answers.store import FORMAT_VERSION
    from course.core.files import atomic_write, now_iso
    from course.settings import Project
    from course.trainer.workflow import collect, release, submit

    root.mkdir(parents=True)
    copy_project(root)
    project = Project(root)
    module = project.catalogue.get(module_id)
    release(project, module)
    inbound = project.exchange_dir / project.course_id / "inbound"
    damaged = {}
    for i in range(n):
        learner = f"apprenant-{i:04d}"
        data = {"format": FORMAT_VERSION, "updated": now_iso(), "submitted": None}
        data["answers"] = answers_for(i, module)
        path = project.learners_dir / learner / module.id / "answers.json"
        atomic_write(path, json.dumps(data, ensure_ascii=False))
        submit(project, module, learner)
        (folder,) = inbound.glob(f"{learner}+{module.id}+*")
        kind = damage(folder, i, n)
        if kind:
            damaged[learner] = kind
    collect(project, module)
    return damaged


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def run(cmd: list[str], cwd: Path) -> tuple[float, float, subprocess.CompletedProcess]:
    """Wall time, CPU time (the command and its kernels or workers) and the result."""
    cpu, start = _children_cpu(), time.perf_counter()
    proc = subprocess.run(cmd, cwd=cwd, capture_output=True, text=True, env=_env())
    return time.perf_counter() - start, _children_cpu() - cpu, proc


def _env() -> dict:
    env = {k: v for k, v in os.environ.items() if k != "COURSE_ROOT"}
    env["PATH"] = f"{BIN}{os.pathsep}{env.get('PATH', '')}"
    return env


def gradebook_rows(root: Path) -> dict:
    """Everything autograde writes, keyed so two gradebooks compare with `==`."""
    from nbgrader.api import Gradebook

    rows = {}
    with Gradebook(f"sqlite:///{root / 'assessments' / 'gradebook.db'}") as gb:
        for assignment in gb.assignments:
            for sub in assignment.submissions:
                student = sub.student.id
                rows[(student, "submission")] = (str(sub.timestamp), sub.late_submission_penalty)
                for nb in sub.notebooks:
                    for g in nb.grades:
                        rows[(student, nb.name, g.name, "grade")] = (
                            g.auto_score,
                            g.manual_score,
                            g.needs_manual_grade,
                            g.max_score,
                            g.score,
                        )
                    for c in nb.comments:
                        rows[(student, nb.name, c.name, "comment")] = (
                            c.auto_comment,
                            c.manual_comment,
                        )
    return rows


def compare(a: dict, b: dict) -> list[str]:
    """Differences between two gradebooks' rows, readable; empty when identical."""
    keys = sorted(set(a) | set(b), key=str)
    return [f"{k}: stock={a.get(k)!r} course={b.get(k)!r}" for k in keys if a.get(k) != b.get(k)]


def benchmark(workdir: Path, n: int, module_id: str) -> dict:
    """Build, grade both ways, compare; returns the figures (raises if grades differ)."""
    t0 = time.perf_counter()
    stock_root, fast_root = workdir / "stock", workdir / "course"
    damaged = build(stock_root, n, module_id)
    built = time.perf_counter() - t0
    shutil.copytree(stock_root, fast_root, symlinks=True)
    with (stock_root / "nbgrader_config.py").open("a", encoding="utf-8") as fh:
        fh.write(stock_preprocessors())
    stock_s, stock_cpu, stock = run([str(BIN / "nbgrader"), "autograde", module_id], stock_root)
    fast_s, fast_cpu, fast = run([str(BIN / "course"), "grade", module_id], fast_root)
    a, b = gradebook_rows(stock_root), gradebook_rows(fast_root)
    diffs = compare(a, b)
    return {
        "n": n,
        "built_s": built,
        "damaged": damaged,
        "stock_s": stock_s,
        "fast_s": fast_s,
        "stock_cpu": stock_cpu,
        "fast_cpu": fast_cpu,
        "stock_output": stock.stdout + stock.stderr,
        "stock_rc": stock.returncode,
        "fast_rc": fast.returncode,
        "fast_output": fast.stdout + fast.stderr,
        "grades": sum(1 for k in a if k[-1] == "grade"),
        "submissions": sum(1 for k in a if k[-1] == "submission"),
        "diffs": diffs,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--learners", type=int, default=600)
    parser.add_argument("--module", default="proteger-ses-donnees")
    parser.add_argument("--keep", action="store_true", help="keep the throw-away projects")
    args = parser.parse_args()
    workdir = Path(tempfile.mkdtemp(prefix="autograde-speed-"))
    try:
        r = benchmark(workdir, args.learners, args.module)
    finally:
        if not args.keep:
            shutil.rmtree(workdir, ignore_errors=True)
    print(f"learners: {r['n']} (built and collected in {r['built_s']:.1f} s)")
    print(f"damaged copies: {json.dumps(r['damaged'])}")
    print(
        f"stock nbgrader autograde: {r['stock_s']:.1f} s wall, {r['stock_cpu']:.1f} s CPU "
        f"(exit code {r['stock_rc']})"
    )
    print(
        f"course grade:             {r['fast_s']:.1f} s wall, {r['fast_cpu']:.1f} s CPU "
        f"(exit code {r['fast_rc']}, {os.cpu_count()} cores)"
    )
    print(f"ratio: {r['stock_s'] / r['fast_s']:.1f}x faster (wall), ", end="")
    print(f"{r['stock_cpu'] / r['fast_cpu']:.1f}x less CPU")
    print(f"gradebooks: {r['submissions']} submissions, {r['grades']} grades compared")
    if r["diffs"]:
        print(f"DIFFERENT: {len(r['diffs'])} rows differ", *r["diffs"][:20], sep="\n  ")
        sys.exit(1)
    print("identical: every grade, comment and submission of the two gradebooks")


if __name__ == "__main__":
    main()
