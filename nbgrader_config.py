"""nbgrader configuration of the workshop course.

The course root is `assessments/`; the exchange lives inside the project (`var/exchange`) so a
trainer's laptop needs no system-wide directory. `course` creates it on demand.
Our own classes (see `course.settings`) are configured here too, e.g.::

    c.CourseSettings.course_title = "Atelier numérique de la médiathèque"
"""

import os

here = os.path.dirname(os.path.abspath(__file__))
c = get_config()  # noqa: F821 (provided by traitlets when this file is loaded)

c.CourseDirectory.root = os.path.join(here, "assessments")
c.CourseDirectory.course_id = "ateliers-numeriques"
c.Exchange.root = os.path.join(here, "var", "exchange")
c.Exchange.path_includes_course = False
# Autograde must never hang on a broken notebook.
c.ExecutePreprocessor.timeout = 60
# Collected submissions are owned by the server's user, not by the learner.
c.CollectApp.check_owner = False
# Grade cells are scored in-process, without a kernel (course/trainer/fast_autograde.py); this
# is nbgrader's default list with `Execute` replaced. Cells course did not generate never run
# unless `c.FastExecute.execute_other_cells = True`.
c.Autograde.autograde_preprocessors = [
    "course.trainer.fast_autograde.FastExecute",
    "nbgrader.preprocessors.IgnorePattern",
    "nbconvert.preprocessors.ClearMetadataPreprocessor",
    "nbgrader.preprocessors.LimitOutput",
    "nbgrader.preprocessors.SaveAutoGrades",
    "nbgrader.preprocessors.AssignLatePenalties",
    "nbgrader.preprocessors.CheckCellMetadata",
]
# Autograded copies are readable by their owner only (they hold learners' answers).
c.Autograde.permissions = 400
