"""A learner's sign-in trouble, from the group page or the live table: lift a lock left by too
many wrong codes (« Débloquer »), or give a new code for a lost card.

A new code voids the printed card, so it goes through a page of its own that asks first
(« Oui, nouveau code » / « Non, garder sa carte »): a real step, that works without JavaScript
and reads the same with a screen reader, not a `confirm()` box. That page carries a one-time
number (`formulaire`): a double click on « Oui, nouveau code », or the back button and the same
form sent again, makes one code, not two (the second card would void the first one printed).
"""

from __future__ import annotations

import secrets

from course.trainer.space.pages import WID, TrainerPage, in_thread
from course.web.space import Rule

RETURNS = {"groupe": "", "suivi": "/suivi"}  # the pages a form may send the trainer back to
FORMS = 500  # one-time numbers remembered (oldest forgotten first)


class LearnerAction(TrainerPage):
    def learner(self, workshop_id: str, source: str) -> tuple[int, str, str]:
        """(workshop id, learner id, first name) of a learner of this workshop's group."""
        from course.trainer.group import GroupError

        workshop = self.workshop(workshop_id)
        who = source[:100]
        found = self.project.roster().get(who) if who in workshop.learner_ids else None
        if found is None:
            raise GroupError("Cette personne n'est pas dans le groupe de cet atelier.")
        return workshop.id, found.id, found.name

    def back_to(self, workshop_id: int, notice: str) -> None:
        page = RETURNS.get(self.get_body_argument("retour", "groupe"), "")
        self.back(f"ateliers/{workshop_id}{page}", notice)


class NewCode(LearnerAction):
    """GET: the question; POST with `confirme=oui`: the new code (shown once on the group page)."""

    def forms(self) -> dict[str, bool]:
        """One-time number -> whether its « Oui » was already acted on (this run's forms)."""
        forms: dict[str, bool] = self.space.extra.setdefault("new_code_forms", {})
        while len(forms) > FORMS:
            forms.pop(next(iter(forms)))
        return forms

    def get(self, workshop_id: str) -> None:
        _wid, lid, name = self.learner(workshop_id, self.get_argument("apprenant", ""))
        retour = self.get_argument("retour", "groupe")
        once = secrets.token_urlsafe(12)
        self.forms()[once] = False
        self.page("new-code.html.j2", title=f"Nouveau code pour {name}",
                  workshop=self.workshop(workshop_id), lid=lid, name=name, once=once,
                  retour=retour if retour in RETURNS else "groupe")  # fmt: skip

    async def post(self, workshop_id: str) -> None:
        wid, lid, name = self.learner(workshop_id, self.get_body_argument("learner", ""))
        if self.get_body_argument("confirme", "") != "oui":
            self.back_to(wid, f"Rien n'a changé : la carte de {name} marche toujours.")
            return
        forms, once = self.forms(), self.get_body_argument("formulaire", "")[:40]
        if forms.get(once) is True:  # sent twice (double click, back button)
            self.back_to(wid, f"Le nouveau code de {name} est déjà donné : un seul code, une "
                         "seule carte à imprimer.")  # fmt: skip
            return
        if once not in forms:  # a question page from before the space restarted
            self.back_to(wid, f"Rien n'a changé : la carte de {name} marche toujours. "
                         "Redemandez un nouveau code si besoin.")  # fmt: skip
            return
        forms[once] = True  # before the work: a second click arriving meanwhile finds it taken
        # Shown once on the group page, kept for the card (`course.trainer.space.codes`).
        self.space.extra["codes"].give(lid, await in_thread(self.project.roster().set_code, lid))
        self.back(f"ateliers/{wid}", f"Nouveau code donné à {name} : l'ancienne carte ne marche "
                  "plus. Imprimez la nouvelle.")  # fmt: skip


class Unlock(LearnerAction):
    async def post(self, workshop_id: str) -> None:
        wid, lid, name = self.learner(workshop_id, self.get_body_argument("learner", ""))
        await in_thread(self.project.roster().unlock, lid)
        self.back_to(wid, f"{name} peut de nouveau se connecter avec sa carte.")


def rules() -> list[Rule]:
    return [
        (rf"ateliers/{WID}/nouveau-code", NewCode, {}),
        (rf"ateliers/{WID}/debloquer", Unlock, {}),
    ]
