"""Run the short-answer corpus (tests/answers/corpus/) through this tree's scorer and through
another git revision's (main by default), and print every verdict that differs.

Why: a change to `course.answers.matching` or to a module's accepted answers moves verdicts
that learners already got; the lead reads this list before merging. Each revision is scored
with its own code and its own modules' keys (the other revision is unpacked with `git archive`
into a temporary folder and run in a separate Python process).

    .venv/bin/python scripts/compare_matching.py [REVISION]
"""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT / "tests" / "answers" / "corpus"

# Run inside each tree: reads the cases on stdin, prints one verdict (or null) per case.
SCORER = """
import json, sys
from pathlib import Path
from course.answers.scoring import score
from course.content.catalogue import load_module
cases = json.load(sys.stdin)
modules = {}
out = []
for folder, qid, answer in cases:
    if folder not in modules:
        modules[folder] = load_module(Path("modules") / folder)
    try:
        key = modules[folder].question(qid).key()
    except KeyError:
        out.append(None)
        continue
    out.append(score(key, answer) == key["points"])
print(json.dumps(out))
"""


def corpus_cases() -> list[tuple[str, str, object, bool]]:
    """(module folder, question id, answer, deserved verdict) for every corpus answer."""
    found = []
    for path in sorted(CORPUS.glob("*.toml")):
        for entry in tomllib.loads(path.read_text(encoding="utf-8"))["questions"]:
            for verdict in ("right", "wrong"):
                for answer in entry.get(verdict, []):
                    found.append((path.stem, entry["id"], answer, verdict == "right"))
    return found


def verdicts(tree: Path, cases: list[tuple[str, str, object, bool]]) -> list[bool | None]:
    run = subprocess.run(
        [sys.executable, "-c", SCORER],
        input=json.dumps([[f, q, a] for f, q, a, _ in cases]),
        capture_output=True,
        text=True,
        cwd=tree,
        env={"PYTHONPATH": str(tree), "PATH": ""},
        check=True,
    )
    return json.loads(run.stdout)


def main() -> int:
    revision = sys.argv[1] if len(sys.argv) > 1 else "main"
    cases = corpus_cases()
    with tempfile.TemporaryDirectory() as tmp:
        archive = subprocess.run(
            ["git", "archive", revision, "course", "modules"],
            cwd=ROOT,
            capture_output=True,
            check=True,
        )
        subprocess.run(["tar", "-x", "-C", tmp], input=archive.stdout, check=True)
        before = verdicts(Path(tmp), cases)
    after = verdicts(ROOT, cases)
    questions = {(f, q) for f, q, _, _ in cases}
    print(f"{len(questions)} questions, {len(cases)} answers")
    for name, found in ((revision, before), ("this tree", after)):
        agree = sum(v == want for v, (*_, want) in zip(found, cases, strict=True))
        print(f"{name}: {agree}/{len(cases)} verdicts as the corpus says")
    changed = [
        (case, old, new) for case, old, new in zip(cases, before, after, strict=True) if old != new
    ]
    print(f"{len(changed)} verdicts changed ({revision} → this tree):")
    for (folder, qid, answer, want), old, new in changed:
        label = {True: "juste", False: "faux", None: "absente"}
        print(
            f"  {folder} {qid}: {json.dumps(answer, ensure_ascii=False)}  "
            f"{label[old]} → {label[new]}{'' if new == want else '  (corpus: autre verdict)'}"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
