"""A coordination killed while it applies a payload, for the sync tests: the laptop sends in a
thread; the moment the coordination's SQLite database has a write transaction open (its
rollback journal exists), `kill()` ends the coordination's process with SIGKILL. What the send
came to (a report or the exception) is returned for the test to check."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from datetime import date
from pathlib import Path


def add_workshops(project, count: int) -> None:
    """`count` more workshops on a laptop, each with its learners: a large payload."""
    learners = [learner.id for learner in project.roster().learners()]
    book = project.workshops()
    for n in range(count):
        book.create(f"Permanence {n + 1}", date(2026, 10, 1), ["essai"], trainer="Yann",
                    learner_ids=learners)  # fmt: skip
    book.close()


def kill_while_applying(laptop, coordination_data: Path, kill: Callable[[], None]) -> object:
    from course.coordinator.sync_client import sync_now

    journal = Path(coordination_data) / "ateliers.sqlite-journal"
    outcome: list[object] = []

    def send() -> None:
        try:
            outcome.append(sync_now(laptop))
        except BaseException as problem:  # noqa: BLE001 (returned to the test)
            outcome.append(problem)

    sender = threading.Thread(target=send)
    sender.start()
    deadline = time.monotonic() + 120
    while not journal.exists() and sender.is_alive() and time.monotonic() < deadline:
        time.sleep(0.002)
    assert journal.exists(), f"the coordination never started applying: {outcome}"
    kill()  # the power cut, in the middle of the transaction
    sender.join(timeout=300)
    assert not sender.is_alive() and outcome
    return outcome[0]
