"""The two workers of `pytest -n 2 --dist loadfile` finish together: the longest files first.

xdist's `loadfile` hands out whole files, ordered by their number of tests. Our longest files
are browser or hub journeys of a few tests each (minutes), so they came last and one worker
ran a long file alone at the end while the other idled. Here the files are handed out by their
measured duration instead, longest first (the « longest processing time » rule: the small files
fill the gaps at the end). Only the order changes: the same tests run, each file on one worker
(its module's servers start once).

Durations: `tests/file_durations.json` (seconds per file, committed, measured on a busy
two-core machine: only their ratios matter), overridden by the last run's own figures kept in pytest's cache
(`.pytest_cache/v/course/file-durations`). A file in neither counts 0.5 s per test. To refresh
the committed table after a full run: copy that cache file over `tests/file_durations.json`.

tests/conftest.py loads this file as a plugin.
"""

from __future__ import annotations

import json
from collections import OrderedDict
from pathlib import Path
from typing import Any

import pytest

COMMITTED = Path(__file__).with_name("file_durations.json")
CACHE_KEY = "course/file-durations"
UNKNOWN_TEST_SECONDS = 0.5


def known_durations(config: pytest.Config) -> dict[str, float]:
    """Seconds per test file (node id of the file): the committed table, then the cache's."""
    durations: dict[str, float] = {}
    if COMMITTED.is_file():
        durations.update(json.loads(COMMITTED.read_text(encoding="utf-8")))
    cache = getattr(config, "cache", None)
    if cache is not None:
        durations.update(cache.get(CACHE_KEY, {}))
    return durations


@pytest.hookimpl(tryfirst=True, optionalhook=True)
def pytest_xdist_make_scheduler(config: pytest.Config, log: Any) -> Any:
    """`--dist loadfile` with the longest files first; any other mode is xdist's own."""
    if config.getvalue("dist") != "loadfile":
        return None
    from xdist.scheduler import LoadFileScheduling

    durations = known_durations(config)

    class LongestFirst(LoadFileScheduling):  # type: ignore[misc]
        def _assign_work_unit(self, node: Any) -> None:
            """Before each hand-out, the waiting files longest first (the queue is filled
            once, after the workers' collection, and again when a worker dies)."""
            self.workqueue = OrderedDict(
                sorted(
                    self.workqueue.items(),
                    key=lambda unit: -durations.get(unit[0], UNKNOWN_TEST_SECONDS * len(unit[1])),
                )
            )
            super()._assign_work_unit(node)

    return LongestFirst(config, log)


class _Recorder:
    """Sums each file's setup, call and teardown times in the controlling process, and keeps
    them in pytest's cache for the next run's order."""

    def __init__(self) -> None:
        self.seconds: dict[str, float] = {}

    def pytest_runtest_logreport(self, report: pytest.TestReport) -> None:
        path = report.nodeid.split("::", 1)[0]
        self.seconds[path] = self.seconds.get(path, 0.0) + report.duration

    def pytest_sessionfinish(self, session: pytest.Session) -> None:
        cache = getattr(session.config, "cache", None)
        if cache is None or not self.seconds or session.shouldfail or session.shouldstop:
            return  # a run cut short (-x) has partial figures: keep the previous ones
        kept: dict[str, float] = cache.get(CACHE_KEY, {})
        kept.update({path: round(total, 1) for path, total in self.seconds.items()})
        cache.set(CACHE_KEY, dict(sorted(kept.items())))


def pytest_configure(config: pytest.Config) -> None:
    if not hasattr(config, "workerinput"):  # the controller (or a run without xdist)
        config.pluginmanager.register(_Recorder(), "course-file-durations")
