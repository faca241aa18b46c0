"""Giving back the memory a served page no longer uses, in the long-running Voilà server.

Two things kept it (issue 20's benchmark, a site behind the hub, read in the live server):
- Voilà's renderer of a page that is done (`NotebookRenderer`, its nbclient executor with every
  widget's state, our questions' front-end code included: ~2-3 MiB a page) lives in reference
  cycles (jinja's context, bound methods). Only a full garbage collection frees it, and Python
  runs one when the long-lived objects have grown by a quarter: with the ~500,000 objects
  Voilà's imports leave, pages piled up (5 pages: +18 MiB, 11.5 of it garbage). So the objects
  of the start are frozen once (`gc.freeze`: never scanned again, so a full collection takes
  milliseconds) and a full collection runs every few seconds.
- glibc keeps the large blocks a page allocated once they are freed: `malloc_trim(0)` after
  the collection gives them back (a few milliseconds).
"""

from __future__ import annotations

import gc
from collections.abc import Callable

SECONDS = 10


def malloc_trim() -> Callable[[], object] | None:
    """glibc's `malloc_trim(0)`, or None elsewhere."""
    try:
        import ctypes

        trim = ctypes.CDLL("libc.so.6").malloc_trim
    except (OSError, AttributeError):
        return None
    return lambda: trim(0)


def releaser() -> Callable[[], None]:
    """Freeze what exists now (call it once the server is set up) and return what to call every
    `SECONDS`: a full collection, then the trim."""
    gc.collect()
    gc.freeze()
    trim = malloc_trim()

    def release() -> None:
        gc.collect()
        if trim is not None:
            trim()

    return release
