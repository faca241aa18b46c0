"""Every learner page view starts a fresh kernel that imports `course.learner.app`: keep that light.

nbformat pulls in jsonschema's format checkers (about 1.3 s of CPU here, with 20 learners
opening a page at once on two cores), and nbgrader more; a page needs neither until a learner
sends an evaluation. `voila.utils` imports Voilà's whole server side (about 4 s of CPU): the
query string is read by `course.learner.voila_query` instead. The identity provider's server
side (tornado handlers, `course.access.room_web`) stays out too: a page asks only its kernel side.
"""

from __future__ import annotations

import json
import subprocess
import sys

HEAVY = (
    "nbformat",
    "jsonschema",
    "nbgrader",
    "nbconvert",
    "sqlalchemy",
    "voila",  # its package imports jupyter_server and jupyterlab_server: ~4 s of CPU
    "jupyter_server",
    "tornado",  # the identity provider's server side (course.access.room_web), the spaces
    "jinja2",  # the spaces' templates
)


def test_learner_pages_import_no_notebook_or_grading_library(project_dir):
    code = (
        "import json, sys\n"
        "import course.learner.app, course.learner.pages, course.learner.cv.page, course.learner.session, course.learner.widgets\n"
        "course.learner.pages._query_string()\n"
        "from course.access.settings import identity_provider\n"
        "from course.settings import Project\n"
        "identity_provider(Project(sys.argv[1])).get_kernel_identity(\n"
        "    course.learner.pages.controls._kernel_request())\n"
        f"print(json.dumps([m for m in {HEAVY!r} if m in sys.modules]))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code, str(project_dir)],
        capture_output=True,
        text=True,
        check=True,
        timeout=120,
    )
    assert json.loads(result.stdout) == []
