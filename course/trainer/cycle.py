"""Where a module's evaluation stands in the nbgrader cycle, read from nbgrader's own folders.

pas encore ouverte → ouverte → ramassée → corrigée → résultats rendus. The trainer's page draws
its state line and its buttons from `cycle_state`, and the server refuses a step out of order
with the same sentence (`Cycle.refusal`), so « Ramasser » before « Ouvrir » never answers
« terminé ». Nothing is remembered apart: the exchange's outbound folder (opened), `submitted/`
(collected), `autograded/` (graded) and `feedback/` (results released) are the truth, as
formgrader sees them.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from course.content.catalogue import Module
from course.settings import Project

STAGES = ("pas encore ouverte", "ouverte", "ramassée", "corrigée", "résultats rendus")


@dataclass(frozen=True)
class Cycle:
    opened: bool
    collected: frozenset[str] = field(default_factory=frozenset)
    graded: frozenset[str] = field(default_factory=frozenset)
    released: frozenset[str] = field(default_factory=frozenset)  # feedback written

    @property
    def stage(self) -> int:
        """An index of `STAGES`: the furthest step every collected evaluation has reached."""
        if self.graded and self.released >= self.graded:
            return 4
        if self.graded and self.graded >= self.collected:
            return 3
        if self.collected:
            return 2
        return 1 if self.opened else 0

    @property
    def line(self) -> str:
        """The state line of the trainer's page, one plain sentence."""
        n_collected, n_graded = len(self.collected), len(self.graded)
        return [
            "L'évaluation n'est pas encore ouverte : commencez par « Ouvrir l'évaluation ».",
            "L'évaluation est ouverte aux apprenants : ils peuvent répondre et l'envoyer.",
            f"L'évaluation est ramassée ({n_collected} évaluation(s)) : lancez « Corriger ».",
            f"L'évaluation est corrigée ({n_graded} évaluation(s)) : notez les réponses "
            "rédigées s'il y en a, puis rendez les résultats.",
            f"Les résultats sont rendus ({len(self.released)} apprenant(s)).",
        ][self.stage]

    def refusal(self, step: str) -> str:
        """Why `step` cannot run now, in French; "" when it can."""
        if step == "ouvrir" and self.opened:
            return "L'évaluation est déjà ouverte : les apprenants peuvent y répondre."
        if step == "ramasser" and not self.opened:
            return "Ouvrez d'abord l'évaluation : il n'y a encore rien à ramasser."
        if step == "corriger" and not self.collected:
            if not self.opened:
                return "Ouvrez d'abord l'évaluation, puis ramassez-la : rien n'est à corriger."
            return "Ramassez d'abord les évaluations envoyées : rien n'est encore à corriger."
        if step == "rendre" and not self.graded:
            return "Corrigez d'abord les évaluations ramassées : il n'y a pas encore de résultats."
        return ""


def cycle_state(project: Project, module: Module) -> Cycle:
    from course.trainer.submission import is_released

    layout = project.layout
    return Cycle(
        opened=is_released(project, module),
        collected=frozenset(layout.learners("submitted", module.id)),
        graded=frozenset(layout.learners("autograded", module.id)),
        released=frozenset(
            lid
            for lid in layout.learners("feedback", module.id)
            if (layout.path("feedback", lid, module.id) / "evaluation.html").is_file()
        ),
    )
