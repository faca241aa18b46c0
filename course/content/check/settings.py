"""Thresholds of `course check` (traitlets, so `nbgrader_config.py` sets them) and the check's
fixed names: the two learners of the sandbox and the written answer the key's learner gives.
"""

from __future__ import annotations

from pathlib import Path

from traitlets import Float, Int
from traitlets.config import Configurable

JARGON_FILE = Path(__file__).parents[1] / "data" / "jargon.txt"
PROJECT = "(projet)"  # the "module" of problems that belong to no module
KEY_LEARNER = "verif-cle"  # answers every question with the key
EMPTY_LEARNER = "verif-vide"  # submits without answering anything
FREE_TEXT_ANSWER = "Je ne réponds pas à ce message. Je demande conseil à une personne de confiance."


class CheckSettings(Configurable):
    """Thresholds of `course check`; set them in nbgrader_config.py as `c.CheckSettings.<name>`."""

    max_sentence_words = Int(
        25, help="Longest sentence allowed, in words, in any text a learner reads."
    ).tag(config=True)
    max_average_sentence_words = Float(
        15.0, help="Highest average sentence length of a module's running text, in words."
    ).tag(config=True)
    min_readability = Float(
        75.0,
        help=(
            "Lowest French readability score (Kandel-Moles, higher is easier: 60-70 standard, "
            "70-80 fairly easy, 80-90 easy) of a module's running text. The reference module "
            "02 scored 90.7 when this was chosen; plain French on a harder theme (FranceConnect) "
            "scores about 80; ordinary information prose with 14-word sentences about 63."
        ),
    ).tag(config=True)
    min_practice_questions = Int(10, help="Practice questions a lesson must have.").tag(config=True)
    min_autograded_questions = Int(
        10, help="Automatically graded questions an evaluation must have."
    ).tag(config=True)
    min_free_text_questions = Int(
        1, help="Written questions (type libre) an evaluation must have."
    ).tag(config=True)
    longest_sentences = Int(5, help="How many of the longest sentences the report lists.").tag(
        config=True
    )
    parallel_kernels = Int(
        2, help="How many served notebooks run at the same time (one kernel each)."
    ).tag(config=True)
    execution_timeout = Int(
        120, help="Seconds a served notebook may take to run headless before it fails."
    ).tag(config=True)
