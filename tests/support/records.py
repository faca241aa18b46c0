"""What a project's records hold, as one comparable value: a refused import must leave it as it
was, and the same records by two roads must give the same one."""

from __future__ import annotations

from typing import Any


def records_state(project: Any) -> tuple:
    """Workshops (uid, place), learners, results and lessons of `project`, sorted."""
    from course.coordinator.records import gather

    records = gather(project)
    return (
        sorted((w.uid, w.place) for w in records.workshops),
        sorted(records.learners),
        sorted((r.site, r.learner_key, r.module_id, r.score) for r in records.results),
        sorted((x.learner_key, x.module_id, x.done) for x in records.lessons),
    )
