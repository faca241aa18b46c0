"""The site's Voilà gives back what finished pages leave (`course.server.memory`): reference
cycles (Voilà's renderer of a page) freed by the periodic full collection, even though
Python's own thresholds would wait for the ~500,000 objects of the start to grow by a quarter.
Run in a child process: `gc.freeze` would freeze the test runner's objects."""

from __future__ import annotations

import subprocess
import sys

CHILD = """
import gc, weakref
from course.server.memory import releaser

class Renderer:  # a finished page's renderer: in a cycle, as Voilà's is
    pass

release = releaser()
assert gc.get_freeze_count() > 1000, gc.get_freeze_count()  # the start's objects, frozen
page = Renderer()
page.me = page
gone = weakref.ref(page)
del page
gc.disable()  # no automatic collection in between: only `release` may free it
release()
print("freed" if gone() is None else "kept")
"""


def test_a_finished_pages_cycle_is_freed_by_the_periodic_release():
    done = subprocess.run([sys.executable, "-c", CHILD], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "freed"
