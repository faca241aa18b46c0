"""Where the keyed choice stands in the modules' one-answer questions (first? longest?).

Prints, per module and in total, for the lesson and the evaluation: how many one-answer
questions, how often the keyed choice is written first, how often it is strictly the longest,
and how the positions spread. `course check` fails a module where one position, or « the
longest », holds most of them (course/content/check/fairness.py).

    .venv/bin/python scripts/choice_stats.py [modules folder]
"""

from __future__ import annotations

import sys
from pathlib import Path

from course.content.catalogue import load_module, module_folders
from course.content.check.fairness import key_statistics


def main(argv: list[str]) -> int:
    root = Path(argv[1]) if len(argv) > 1 else Path(__file__).parents[1] / "modules"
    lessons, evaluations = [], []
    for folder in module_folders(root):
        module = load_module(folder)
        lessons += module.practice_questions
        evaluations += module.questions
        print(f"{folder.name}")
        print("  " + key_statistics(module.practice_questions).line("leçon"))
        print("  " + key_statistics(module.questions).line("évaluation"))
    print("Tous les modules")
    print("  " + key_statistics(lessons).line("leçons"))
    print("  " + key_statistics(evaluations).line("évaluations"))
    print("  " + key_statistics(lessons + evaluations).line("ensemble"))
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv))
