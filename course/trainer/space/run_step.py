"""One step of the nbgrader cycle in its own process, for the trainer's page.

`python -m course.trainer.space.run_step STEP MODULE` calls the library function
(`course.trainer.workflow`, `course.trainer.feedback`) and writes JSON lines on stdout:
`{"progress": …}` while it runs, then `{"done": …}` or `{"failed": …, "log": …}`. A process,
not a thread: nbgrader changes the working folder and logging of whatever runs it, and Voilà's
server must stay responsive while grading uses every core.
"""

from __future__ import annotations

import json
import sys

from course.core.errors import UserError
from course.core.french import count
from course.core.progress import Progress
from course.settings import Project

STEPS = ("ouvrir", "ramasser", "corriger", "rendre")


def emit(**message: str) -> None:
    print(json.dumps(message, ensure_ascii=False), flush=True)


def run(step: str, module_ref: str) -> str:
    from course.trainer import workflow
    from course.trainer.cycle import cycle_state

    project = Project()
    module = project.catalogue.get(module_ref)
    refused = cycle_state(project, module).refusal(step)
    if refused:  # the page checked too; two tabs may still race
        raise UserError(refused)
    progress: Progress = lambda text: emit(progress=text)  # noqa: E731
    if step == "ouvrir":
        workflow.release(project, module, progress)
        return f"L'évaluation « {module.title} » est ouverte aux apprenants."
    if step == "ramasser":
        learners = workflow.collect(project, module, progress)
        if not learners:
            return "Personne n'a encore envoyé son évaluation : rien n'est ramassé pour l'instant."
        return f"{count(len(learners), 'évaluation ramassée', 'évaluations ramassées')}."
    if step == "corriger":
        report = workflow.grade(project, module, progress)
        written = sum(1 for q in module.questions if not q.autograded)
        text = f"{count(len(report.graded), 'évaluation corrigée', 'évaluations corrigées')}."
        if report.failed:
            failed = len(report.failed)
            text += " 1 n'a pas pu l'être." if failed == 1 else f" {failed} n'ont pas pu l'être."
        if written:
            text += " Les réponses rédigées attendent votre note (page « Corriger »)."
        return text
    if step == "rendre":
        from course.trainer.feedback import generate_feedback

        paths = generate_feedback(project, module, progress)
        return f"Résultats rendus à {count(len(paths), 'apprenant', 'apprenants')}."
    raise ValueError(step)


def main(argv: list[str]) -> int:
    try:
        emit(done=run(argv[0], argv[1]))
        return 0
    except UserError as exc:  # French, for the trainer's page; nbgrader's log when it has one
        emit(failed=str(exc), log=exc.log[-4000:])
    except Exception as exc:  # shown to the trainer in French, the detail for the log
        emit(failed="Cette étape a échoué.", log=repr(exc)[:4000])
    return 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
