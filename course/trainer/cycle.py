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
from pathlib import Path

from course.content.catalogue import Module
from course.core.french import count
from course.settings import Project

STAGES = ("pas encore ouverte", "ouverte", "ramassée", "corrigée", "résultats rendus")


@dataclass(frozen=True)
class Cycle:
    opened: bool
    collected: frozenset[str] = field(default_factory=frozenset)
    graded: frozenset[str] = field(default_factory=frozenset)
    released: frozenset[str] = field(default_factory=frozenset)  # feedback written
    # Collected, then sent again through the exchange: their newer copy waits to be collected.
    sent_again: frozenset[str] = field(default_factory=frozenset)

    @property
    def stage(self) -> int:
        """An index of `STAGES`: the furthest step every collected evaluation has reached."""
        if self.graded and self.graded >= self.collected:
            return 4 if self.released >= self.graded else 3
        if self.collected:
            return 2
        return 1 if self.opened else 0

    @property
    def line(self) -> str:
        """The state line of the trainer's page, one plain sentence."""
        evaluations = [
            count(len(s), "évaluation", "évaluations") for s in (self.collected, self.graded)
        ]
        return [
            "L'évaluation n'est pas encore ouverte : commencez par « Ouvrir l'évaluation ».",
            "L'évaluation est ouverte aux apprenants : ils peuvent répondre et l'envoyer.",
            f"L'évaluation est ramassée ({evaluations[0]}) : lancez « Corriger ».",
            f"L'évaluation est corrigée ({evaluations[1]}) : notez les réponses "
            "rédigées s'il y en a, puis rendez les résultats.",
            f"Les résultats sont rendus ({count(len(self.released), 'apprenant', 'apprenants')}).",
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


def _stamp(folder: Path) -> str:
    """nbgrader's `timestamp.txt` of one copy ("" when there is none): which sending it is."""
    try:
        return (folder / "timestamp.txt").read_text(encoding="utf-8").strip()
    except OSError:
        return ""


def cycle_state(project: Project, module: Module) -> Cycle:
    """Read once per page or poll: a few folder listings and one small file per copy, never
    the gradebook. A learner graded (or given results) for an older sending than the copy
    collected now (they sent again and it was collected again) counts as collected only, so
    neither the state line nor their row says « corrigée » about answers nobody graded."""
    from course.trainer.submission import is_released

    layout = project.layout
    collected = frozenset(layout.learners("submitted", module.id))
    sent = {lid: _stamp(layout.path("submitted", lid, module.id)) for lid in collected}
    newest = _newest_sendings(project, module)

    def current(step: str, lid: str) -> bool:
        stamp, collected_stamp = _stamp(layout.path(step, lid, module.id)), sent.get(lid, "")
        return not stamp or not collected_stamp or stamp == collected_stamp

    return Cycle(
        opened=is_released(project, module),
        collected=collected,
        graded=frozenset(
            lid for lid in layout.learners("autograded", module.id) if current("autograded", lid)
        ),
        released=frozenset(
            lid
            for lid in layout.learners("feedback", module.id)
            if (layout.path("feedback", lid, module.id) / "evaluation.html").is_file()
            and current("feedback", lid)
        ),
        sent_again=frozenset(
            lid for lid, stamp in sent.items() if stamp and newest.get(lid, "") > stamp
        ),
    )


def _newest_sendings(project: Project, module: Module) -> dict[str, str]:
    """Each learner's latest sending of `module` in the exchange's inbound folder, by nbgrader's
    folder names (`<learner>+<module>+<timestamp>[+<random>]`): one listing, no file opened.
    The stamps share nbgrader's one format, so they compare as text."""
    inbound = project.exchange_dir / project.course_id / "inbound"
    newest: dict[str, str] = {}
    try:
        names = [entry.name for entry in inbound.iterdir()]
    except OSError:  # no exchange yet, or not readable here: nothing was sent again
        return newest
    for name in names:
        parts = name.split("+")
        if len(parts) >= 3 and parts[1] == module.id:
            newest[parts[0]] = max(newest.get(parts[0], ""), parts[2])
    return newest
