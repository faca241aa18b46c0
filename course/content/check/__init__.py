"""`course check`: every module is written in plain French, complete, and graded right.

Three families of rules, each reported per module, never stopping at the first problem:

- **Plain French, measured** on every text a learner reads (titles, summary, objectives, lesson
  texts, questions, choices, explanations, evaluation intro): words per sentence, the module's
  average, a French readability score (Kandel and Moles' adaptation of Flesch, computed by
  textstat with ``lang="fr"``) and English words or jargon from ``course/content/data/jargon.txt``.
- **Validation** of the content: metadata, questions, minimum numbers of questions, sources
  (https address, ISO date), the nbgrader source notebook in sync with the TOML, no committed
  notebook with outputs.
- **The real thing**, in a temporary copy of the project (the trainer's data is never touched):
  the served app notebooks run headless without error, and through nbgrader's real release,
  submit, collect and autograde, the answer key earns full marks and an empty submission 0.

Thresholds are traitlets of `CheckSettings`, set in ``nbgrader_config.py`` as
``c.CheckSettings.max_sentence_words = 25`` etc.
"""

from course.content.check.french import (
    find_jargon,
    read_jargon,
    readability_score,
    split_sentences,
    words,
)
from course.content.check.report import CheckReport, ModuleReport, Problem, render
from course.content.check.rules import key_answer
from course.content.check.runner import run_check
from course.content.check.settings import CheckSettings

__all__ = [
    "CheckReport",
    "CheckSettings",
    "ModuleReport",
    "Problem",
    "find_jargon",
    "key_answer",
    "read_jargon",
    "readability_score",
    "render",
    "run_check",
    "split_sentences",
    "words",
]
