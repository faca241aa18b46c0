"""How fast a laptop syncs to its coordination, and how many bytes go each way.

    .venv/bin/python benchmarks/sync_speed.py

A laptop with 300 workshops, 1,000 learners, 3,000 results (5 questions each) and 1,000 lesson
progresses, enrolled as a device, syncs to an empty coordination (the coordination space's real
handlers on a loopback port, `support.spaces`, SQLite), then again after one new result, then
once more with nothing new. The laptop's records are generated (`contents` replaced): reading
3,000 submissions from nbgrader's gradebook is measured elsewhere (benchmarks/autograde_speed.py);
everything after that (the record log, the signed payload, HTTP, the checks, the transaction)
is the real code. Goal (issue 21): the second sync under 5 kB and under a second.
"""

from __future__ import annotations

import sys
import tempfile
import time
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "tests"))

from support.project import essai_project_at  # noqa: E402
from support.spaces import SpaceClient  # noqa: E402

import course.coordinator.payload as payload  # noqa: E402
from course.coordinator.devices import enrol  # noqa: E402
from course.coordinator.pseudonyms import site_prefix  # noqa: E402
from course.coordinator.records import gather  # noqa: E402
from course.coordinator.sync_client import sync_now  # noqa: E402
from course.sync.devices import enrol_here  # noqa: E402

SITE = "Médiathèque de Brest"
WORKSHOPS, LEARNERS, RESULTS = 300, 1000, 3000


def laptop_records(extra: int = 0) -> tuple[str, dict[str, Any]]:
    prefix = site_prefix(SITE)
    learners = [f"{prefix}-{n:012x}" for n in range(LEARNERS)]
    start = datetime(2026, 1, 5, 9, 0, tzinfo=UTC)
    workshops = [
        {
            "uid": str(uuid.UUID(int=n + 1)),
            "title": f"Atelier {n + 1}",
            "day": (start + timedelta(days=n)).date().isoformat(),
            "start": "14:00:00",
            "duration_minutes": 90,
            "place": "Médiathèque",
            "place_kind": "mediatheque",
            "equipment": "ordinateurs-du-lieu",
            "level": "debutant",
            "trainer": "Awa",
            "created": start.isoformat(),
            "modules": ["essai"],
            "learners": sorted(learners[(n * 10) % LEARNERS : (n * 10) % LEARNERS + 10]),
            "present": sorted(learners[(n * 10) % LEARNERS : (n * 10) % LEARNERS + 8]),
        }  # fmt: skip
        for n in range(WORKSHOPS)
    ]
    results = [
        {
            "learner": learners[n % LEARNERS],
            "module": "essai",
            "submitted": (start + timedelta(minutes=n)).isoformat(),
            "questions": [{"id": f"eval-{q}", "score": 1.0, "max": 1.0} for q in range(5)],
        }  # fmt: skip
        for n in range(RESULTS + extra)
    ]
    lessons = [{"learner": k, "module": "essai", "done": 3, "total": 3} for k in learners]
    return SITE, {"workshops.json": workshops, "learners.json": learners,
                  "results.json": results, "lessons.json": lessons}  # fmt: skip


def _values() -> tuple[str, str, str]:
    from course.workshops.model import EQUIPMENT, LEVELS, PLACE_KINDS

    return next(iter(PLACE_KINDS)), next(iter(EQUIPMENT)), next(iter(LEVELS))


def main() -> None:
    place_kind, equipment, level = _values()
    with tempfile.TemporaryDirectory(prefix="sync-speed-") as folder:
        laptop = essai_project_at(Path(folder) / "portable")
        coordinator = essai_project_at(Path(folder) / "coordination")
        code = enrol(coordinator, SITE, "Portable").code
        enrol_here(laptop.data_dir, code, SITE)
        extra = {"n": 0}

        def contents(_project: Any) -> tuple[str, dict[str, Any]]:
            site, members = laptop_records(extra["n"])
            for w in members["workshops.json"]:
                w["place_kind"], w["equipment"], w["level"] = place_kind, equipment, level
            return site, members

        payload.contents = contents  # type: ignore[assignment]
        with SpaceClient(coordinator, role="coordinator") as server:
            laptop.config.CoordinatorSettings.coordination_url = server.base + "/coordination/"
            laptop.config.CoordinatorSettings.sync_timeout = 600.0
            rows = []
            for label in ("première synchronisation", "après un nouveau résultat", "rien de neuf"):
                if label == "après un nouveau résultat":
                    extra["n"] = 1
                began = time.perf_counter()
                report = sync_now(laptop)
                took = time.perf_counter() - began
                rows.append((label, took, report.records, report.sent_bytes, report.received_bytes))
        records = gather(coordinator)
        print(f"Laptop: {WORKSHOPS} workshops, {LEARNERS} learners, {RESULTS} results")
        print(f"Coordination now holds: {len(records.workshops)} workshops, "
              f"{len(records.results)} results")  # fmt: skip
        print(f"{'sync':<28} {'seconds':>8} {'records':>8} {'bytes sent':>11} {'received':>9}")
        for label, took, count, sent, received in rows:
            print(f"{label:<28} {took:>8.2f} {count:>8} {sent:>11} {received:>9}")
        second = rows[1]
        verdict = "met" if second[1] < 1 and second[3] < 5 * 1024 else "NOT met"
        print(f"Goal (second sync < 1 s and < 5 kB sent): {verdict}")


if __name__ == "__main__":
    main()
