"""The trainer page's JSON: live progress, and the cycle's steps (start one, ask how it goes).

Answers keep accents (`ensure_ascii=False` in `SpaceHandler.write_json`); every URL sits under
`/atelier/api/`, behind the same cookie as the pages, and a POST needs the CSRF header.
"""

from __future__ import annotations

from course.core import french
from course.trainer.cycle import cycle_state
from course.trainer.progress import group_progress
from course.trainer.space.jobs import LABELS, Jobs
from course.trainer.space.pages import WID, TrainerPage
from course.web.space import Rule


class ProgressData(TrainerPage):
    def get(self, workshop_id: str) -> None:
        from course.trainer.submission import is_released

        workshop = self.workshop(workshop_id)
        module = self.module_of(workshop)
        cycle = cycle_state(self.project, module)  # once per poll, for every row too
        rows = group_progress(self.project, workshop, module, cycle)
        self.write_json(
            {
                "module": module.id,
                "cycle": {"line": cycle.line, "why": {s: cycle.refusal(s) for s in LABELS}},
                "released": is_released(self.project, module),
                "learners": [row.as_dict() for row in rows],
                "time": french.clock(french.now()),  # the project's zone, not the browser's
            }
        )


class StepStart(TrainerPage):
    def post(self, workshop_id: str, step: str) -> None:
        workshop = self.workshop(workshop_id)
        module = self.module_of(workshop)
        jobs: Jobs = self.space.extra["jobs"]
        running = jobs.running()
        refused = "" if running else cycle_state(self.project, module).refusal(step)
        if refused:  # out of order: a French sentence, nothing started
            self.write_json({"erreur": refused, "etape": step}, 409)
            return
        job, started = jobs.start(step, module.id)
        data = job.as_dict()
        if not started:
            data["notice"] = f"« {job.as_dict()['label']} » est déjà en cours : patientez."
        self.write_json(data, 202 if started else 200)


class StepStatus(TrainerPage):
    def get(self, job_id: str) -> None:
        job = self.space.extra["jobs"].get(int(job_id))
        if job is None:
            self.write_json({"erreur": "Cette étape est inconnue."}, 404)
            return
        self.write_json(job.as_dict())


def rules() -> list[Rule]:
    steps = "|".join(LABELS)
    return [
        (rf"api/ateliers/{WID}/suivi", ProgressData, {}),
        (rf"api/ateliers/{WID}/etapes/({steps})", StepStart, {}),
        (rf"api/taches/{WID}", StepStatus, {}),
    ]
