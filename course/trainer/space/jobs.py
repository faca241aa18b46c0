"""The nbgrader cycle's long steps, run one at a time in the background for the trainer's page.

`Jobs.start` runs `course.trainer.space.run_step` in a child process and a thread reads its
JSON lines; the page polls `Jobs.get`. While a step runs, asking for any step returns the
running one instead of starting another: a double click on « Ramasser » collects once.
"""

from __future__ import annotations

import itertools
import json
import subprocess
import sys
import threading
from dataclasses import asdict, dataclass, field
from typing import Any

from course.core.files import private_append
from course.settings import ROOT_ENV, Project

LABELS = {
    "ouvrir": "Ouvrir l'évaluation",
    "ramasser": "Ramasser",
    "corriger": "Corriger",
    "rendre": "Rendre les résultats",
}


@dataclass
class Job:
    id: int
    step: str
    module_id: str
    state: str = "en cours"  # "en cours", "terminé", "échec"
    messages: list[str] = field(default_factory=list)
    result: str = ""
    log: str = ""

    def as_dict(self) -> dict[str, Any]:
        return {**asdict(self), "label": LABELS[self.step], "running": self.state == "en cours"}


class Jobs:
    def __init__(self, project: Project):
        self.project = project
        self.lock = threading.Lock()
        self.jobs: dict[int, Job] = {}
        self.ids = itertools.count(1)
        self.started = 0  # how many processes were started (tests count double clicks)

    def running(self) -> Job | None:
        return next((j for j in self.jobs.values() if j.state == "en cours"), None)

    def start(self, step: str, module_id: str) -> tuple[Job, bool]:
        """The job for this step: a new one, or (False) the one already running."""
        if step not in LABELS:
            raise ValueError(step)
        with self.lock:
            current = self.running()
            if current is not None:
                return current, False
            job = Job(next(self.ids), step, module_id)
            self.jobs[job.id] = job
            self.started += 1
        threading.Thread(target=self._run, args=(job,), daemon=True).start()
        return job, True

    def get(self, job_id: int) -> Job | None:
        return self.jobs.get(job_id)

    def last(self, module_id: str) -> Job | None:
        found = [j for j in self.jobs.values() if j.module_id == module_id]
        return found[-1] if found else None

    def _run(self, job: Job) -> None:
        import os

        env = {**os.environ, ROOT_ENV: str(self.project.root)}
        command = [sys.executable, "-m", "course.trainer.space.run_step", job.step, job.module_id]
        log = self.project.data_dir / "logs" / "steps.log"
        try:
            # nbgrader's own (English) log: a private file, never the trainer's page.
            with private_append(log) as sink:
                process = subprocess.Popen(
                    command, stdout=subprocess.PIPE, stderr=sink, text=True, env=env
                )
            assert process.stdout is not None
            for line in process.stdout:
                try:
                    message = json.loads(line)
                except ValueError:
                    continue
                if "progress" in message:
                    job.messages.append(str(message["progress"]))
                elif "done" in message:
                    job.result = str(message["done"])
                elif "failed" in message:
                    job.result, job.log = str(message["failed"]), str(message.get("log", ""))
            code = process.wait()
        except OSError as exc:
            job.result, code = "Cette étape n'a pas pu démarrer.", 1
            job.log = repr(exc)
        job.state = "terminé" if code == 0 and job.result else "échec"
        if job.state == "échec" and not job.result:
            job.result = "Cette étape a échoué."
