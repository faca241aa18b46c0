"""The trainer's workshops: the home page's lists (today, upcoming, past) and the form that
creates one; a workshop's edit page (change, duplicate, delete while nobody is enrolled, cancel
otherwise).

A form is sent once: the create form carries a one-time number (`formulaire`), so a double
click, the back button after sending or a second tab sending the same page opens the workshop
already made instead of making another. The edit form carries the workshop's version
(`workshop_form.version_of`): a change made meanwhile in another tab is shown, not overwritten.
The first visit goes to the site's settings (`settings_page`).
"""

from __future__ import annotations

import secrets
from datetime import date
from typing import Any

from course.core import french
from course.core.errors import UserError
from course.trainer.space.pages import TrainerPage
from course.trainer.space.settings_page import PATH as SETTINGS
from course.trainer.space.settings_page import needs_settings
from course.trainer.space.workshop_form import (
    FIELDS,
    WorkshopForm,
    form_of,
    read_form,
    version_of,
)
from course.web.space import Rule
from course.workshops import Workshop, WorkshopError
from course.workshops.site import load_profile

WID = r"(\d{1,9})"
PAST_SHOWN = 30
SENT_FORMS = 500  # one-time numbers remembered (oldest forgotten first)


def today() -> date:
    """Today in the project's time zone (Paris by default), whatever the machine's clock."""
    return french.today()


def sorted_lists(workshops: list[Workshop], day: date) -> dict[str, list[Workshop]]:
    """Today's (by start), upcoming ones (soonest first), past ones (latest first)."""
    ordered = sorted(workshops, key=lambda w: (w.day, w.start.isoformat() if w.start else "", w.id))
    return {
        "today": [w for w in ordered if w.day == day],
        "upcoming": [w for w in ordered if w.day > day],
        "past": [w for w in reversed(ordered) if w.day < day][:PAST_SHOWN],
    }


def same_workshop(workshops: list[Workshop], read: WorkshopForm) -> Workshop | None:
    """A workshop already there with the same day, hour, place and module (not cancelled)."""
    for w in workshops:
        if (w.day, w.start, w.place, w.module_ids) == (
            read.day,
            read.start,
            read.place,
            [read.module.id],
        ) and not w.cancelled:
            return w
    return None


class WorkshopPages(TrainerPage):
    def back(self, path: str, notice: str = "") -> None:
        """After a form that may change today's workshops: the learners' home page puts
        today's module first from now on, even if this server started before it existed."""
        if self.request.method == "POST":
            from course.trainer.todays import note_todays_module

            note_todays_module(self.project)
        super().back(path, notice)

    def sent_forms(self) -> dict[str, int]:
        forms: dict[str, int] = self.space.extra.setdefault("sent_forms", {})
        return forms

    def form_context(self, form: dict[str, str]) -> dict[str, Any]:
        profile = load_profile(self.project.data_dir)
        filled = {k: form.get(k, "") for k in FIELDS}
        filled.setdefault("day", "")
        if not form:  # a new form: today, the module's duration, the settings' first names
            modules = self.project.catalogue.modules
            filled.update(day=today().isoformat(), place=next(iter(profile.places), ""),
                          trainer=next(iter(profile.trainers), ""),
                          duration=str(modules[0].duration_minutes) if modules else "")  # fmt: skip
        return {"form": filled, "modules": self.project.catalogue.modules,
                "places": profile.places, "trainers": profile.trainers}  # fmt: skip


class HomePage(WorkshopPages):
    """Today's, upcoming and past workshops, and the form that creates one."""

    def get(self) -> None:
        if needs_settings(self):
            self.redirect(self.space.url(SETTINGS), status=303)
            return
        source = self.get_argument("depuis", "")
        if source.isdigit():  # « Dupliquer »: the same workshop, another day
            self.show({**form_of(self.workshop(source)), "day": ""}, duplicating=True)
        else:
            self.show({})

    def show(self, form: dict[str, str], error: str = "", duplicating: bool = False) -> None:
        day = today()
        book = self.project.workshops()
        try:
            lists = sorted_lists(book.all(), day)
        finally:
            book.close()
        self.page("home.html.j2", title="Les ateliers du jour", today=day, lists=lists, error=error,
                  learners=self.project.roster().learners(), once=secrets.token_urlsafe(12),
                  duplicating=duplicating, **self.form_context(form))  # fmt: skip

    def post(self) -> None:
        form = {k: self.get_body_argument(k, "")[:3000] for k in FIELDS}
        once = self.get_body_argument("formulaire", "")[:40]
        sent = self.sent_forms()
        if once and once in sent:  # sent twice: the workshop made the first time
            self.back(f"ateliers/{sent[once]}", "Cet atelier est déjà créé : le voici.")
            return
        try:
            read = read_form(form, self.project.catalogue.modules, today())
            book = self.project.workshops()
            try:
                twin = same_workshop(book.on_day(read.day), read)
                if twin is not None:  # the same form sent from another tab
                    self.back(f"ateliers/{twin.id}", "Cet atelier existe déjà (même jour, même "
                              "heure, même lieu, même module) : le voici.")  # fmt: skip
                    return
                made = book.create(
                    read.title, read.day, [read.module.id], start=read.start,
                    duration_minutes=read.duration_minutes, place=read.place,
                    trainer=read.trainer, learner_ids=self.get_body_arguments("learner"),
                )  # fmt: skip
            finally:
                book.close()
        except UserError as error:
            self.set_status(400)
            self.show(form, str(error))
            return
        if once:
            sent[once] = made.id
            while len(sent) > SENT_FORMS:
                sent.pop(next(iter(sent)))
        self.back(f"ateliers/{made.id}", "L'atelier est créé. Inscrivez maintenant le groupe.")


class EditPage(WorkshopPages):
    """Change a workshop; duplicate it; delete it while nobody is enrolled, else cancel it."""

    def get(self, workshop_id: str) -> None:
        workshop = self.workshop(workshop_id)
        self.show(workshop, form_of(workshop))

    def show(self, workshop: Workshop, form: dict[str, str], error: str = "") -> None:
        self.page("edit.html.j2", title=f"Modifier l'atelier : {workshop.title}",
                  workshop=workshop, version=version_of(workshop), error=error,
                  **self.form_context(form))  # fmt: skip

    def post(self, workshop_id: str) -> None:
        op = self.get_body_argument("op", "enregistrer")
        try:
            workshop = self.workshop(workshop_id)
        except WorkshopError:
            if op != "supprimer":
                raise
            self.back("", "Cet atelier est déjà supprimé.")  # sent twice (double click, back)
            return
        form = {k: self.get_body_argument(k, "")[:3000] for k in FIELDS}
        if self.get_body_argument("version", "") != version_of(workshop):
            done = self.already_done(workshop, op, form)
            if done:  # the same form sent twice: what it asked is there
                self.back(*done)
                return
            self.set_status(409)
            self.show(workshop, form_of(workshop), "Cet atelier a changé entre-temps (dans un "
                      "autre onglet ?) : voici sa version actuelle. Refaites votre changement "
                      "si besoin.")  # fmt: skip
            return
        book = self.project.workshops()
        try:
            if op == "supprimer":
                book.delete(workshop.id)
                self.back("", f"L'atelier « {workshop.title} » est supprimé.")
                return
            if op in ("annuler", "retablir"):
                book.cancel(workshop.id, op == "annuler")
                said = "annulé : il est gardé, mais compté nulle part" if op == "annuler" else (
                    "rétabli")  # fmt: skip
                self.back(f"ateliers/{workshop.id}/modifier", f"L'atelier est {said}.")
                return
            read = read_form(form, self.project.catalogue.modules, today())
            book.update(workshop.id, module_ids=[read.module.id], **read.fields())
        except UserError as error:
            self.set_status(400)
            self.show(self.workshop(workshop_id), form, str(error))
            return
        finally:
            book.close()
        self.back(f"ateliers/{workshop.id}", "Atelier modifié.")

    def already_done(
        self, workshop: Workshop, op: str, form: dict[str, str]
    ) -> tuple[str, str] | None:
        """Where to go, and what to say, when a form sent again asks what is already so (a
        double click, the back button); None when it asks a change on an older copy."""
        if op in ("annuler", "retablir") and workshop.cancelled == (op == "annuler"):
            return f"ateliers/{workshop.id}/modifier", "C'est déjà fait."
        if op != "enregistrer":
            return None
        try:
            read = read_form(form, self.project.catalogue.modules, today())
        except UserError:
            return None
        same = all(getattr(workshop, k) == v for k, v in read.fields().items())
        if same and workshop.module_ids == [read.module.id]:
            return f"ateliers/{workshop.id}", "Atelier modifié."
        return None


def rules() -> list[Rule]:
    return [("", HomePage, {}), (rf"ateliers/{WID}/modifier", EditPage, {})]
