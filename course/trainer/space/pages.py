"""The trainer's pages (HTML, drawn on the server; forms work without JavaScript).

Every handler extends `course.web.space.SpaceHandler`, so the trainer's cookie is checked
before anything runs. Library calls (roster, gradebook) run in a worker thread so the learners'
pages, served by the same process, never wait on them.
"""

from __future__ import annotations

import os
from typing import Any

from tornado.ioloop import IOLoop

from course.content.catalogue import Module
from course.core import french
from course.core.errors import UserError
from course.settings import ROOM_ENV
from course.trainer import group
from course.trainer.cards import short_address
from course.trainer.space.codes import FreshCodes
from course.trainer.written import by_question, save_grade, written_answers
from course.web.space import Rule, SpaceHandler
from course.workshops import Workshop

WID = r"(\d{1,9})"


async def in_thread(function: Any, *args: Any, **kwargs: Any) -> Any:
    return await IOLoop.current().run_in_executor(None, lambda: function(*args, **kwargs))


class TrainerPage(SpaceHandler):
    def workshop(self, workshop_id: str) -> Workshop:
        return self.project.workshops().get(int(workshop_id))

    def module_of(self, workshop: Workshop) -> Module:
        wanted = self.get_argument("module", "") or workshop.module_ids[0]
        if wanted not in workshop.module_ids:
            wanted = workshop.module_ids[0]
        return self.project.catalogue.get(wanted)

    def room_url(self) -> str:
        """The learners' address, from the server that mounts this space (`course.server`
        sets it for itself); without one, the address this page was asked at."""
        here = f"{self.request.protocol}://{self.request.host}{self.space.base_url.rstrip('/')}"
        return os.environ.get(ROOM_ENV) or here

    def page(self, template: str, **context: Any) -> None:
        context.setdefault("notice", self.get_argument("fait", "")[:300])
        context.setdefault("error", "")
        self.render_page(template, **context)

    def back(self, path: str, notice: str = "") -> None:
        from urllib.parse import urlencode

        glue = "&" if "?" in path else "?"
        query = glue + urlencode({"fait": notice}) if notice else ""
        self.redirect(self.space.url(path) + query, status=303)

    def write_error(self, status_code: int, **kwargs: Any) -> None:
        error = kwargs.get("exc_info", (None, None))[1]
        if isinstance(error, KeyError):  # an unknown module or learner (a `UserError`: the base)
            self.set_status(400)
            self.finish(self.space.env.get_template("refused.html.j2").render(
                title="Ce n'est pas possible", message=str(error).strip("'")))  # fmt: skip
            return
        super().write_error(status_code, **kwargs)


class GroupPage(TrainerPage):
    """The group: enrol, rename, remove, a new code; the cards."""

    def get(self, workshop_id: str) -> None:
        self.show(workshop_id)

    def show(self, workshop_id: str, error: str = "", ask: dict | None = None) -> None:
        workshop = self.workshop(workshop_id)
        roster = self.project.roster()
        names = {lr.id: lr.name for lr in roster.learners()}
        people = [(lid, names[lid]) for lid in workshop.learner_ids if lid in names]
        people.sort(key=lambda p: p[1].casefold())
        locks = roster.locks([lid for lid, _name in people])
        locked = {lid: french.clock(end) for lid, end in locks.items()}
        self.page(
            "group.html.j2",
            title=f"Le groupe : {workshop.title}",
            workshop=workshop,
            people=people,
            codes=self.space.extra["codes"].show_once(),  # shown once (space/codes.py)
            given=self.space.extra["codes"].given_times(),
            printable=self.space.extra["codes"].printable(),
            locked=locked,
            room=short_address(self.room_url()),
            error=error,
            ask=ask,
            when=_when(workshop),
        )

    async def post(self, workshop_id: str) -> None:
        workshop = self.workshop(workshop_id)
        op = self.get_body_argument("op", "")
        who = self.get_body_argument("learner", "")[:100]
        name = self.get_body_argument("name", "")[:600]
        codes: FreshCodes = self.space.extra["codes"]
        try:
            if op == "inscrire":
                same = {"oui": True, "non": False}.get(self.get_body_argument("same", ""))
                learner, code = await in_thread(group.enrol, self.project, name, workshop.id, same)
                if code:
                    codes.give(learner.id, code)
                notice = f"{learner.name} est dans le groupe."
            elif op == "renommer" and who in workshop.learner_ids:
                learner = await in_thread(group.rename, self.project, who, name)
                codes.rename(who, learner.id)
                notice = f"{learner.name} : prénom changé. Réimprimez sa carte."
            elif op == "retirer" and who in workshop.learner_ids:
                await in_thread(group.leave_workshop, self.project, workshop.id, who)
                codes.drop(who)
                notice = "La personne est retirée du groupe."
            else:
                raise group.GroupError("Cette action n'est pas possible ici.")
        except group.SameName as same_name:
            self.set_status(409)
            self.show(workshop_id, ask={"name": same_name.name, "question": str(same_name)})
            return
        except UserError as error:
            self.set_status(400)
            self.show(workshop_id, error=str(error))
            return
        self.back(f"ateliers/{workshop.id}", notice)


class CardsFile(TrainerPage):
    """The group's sign-in cards as a PDF (new codes where just made), kept under var/cards/."""

    async def get(self, workshop_id: str) -> None:
        from course.trainer.space.cards import workshop_cards

        workshop = self.workshop(workshop_id)
        only = self.get_argument("apprenant", "")
        codes = self.space.extra["codes"].printable()
        try:
            data = await in_thread(workshop_cards, self.project, workshop,
                                   codes, self.room_url(), only)  # fmt: skip
        except UserError as error:
            self.set_status(400)
            self.show_error(str(error))
            return
        # Printed: the new codes stay a few minutes for a reprint, then leave this server's
        # memory (`course.trainer.space.codes`).
        self.space.extra["codes"].printed(
            [lid for lid in codes if lid in workshop.learner_ids and only in ("", lid)]
        )
        self.set_header("Content-Type", "application/pdf")
        self.set_header(
            "Content-Disposition", f'inline; filename="cartes-atelier-{workshop.id}.pdf"'
        )
        self.finish(data)

    def show_error(self, message: str) -> None:
        self.finish(self.space.env.get_template("refused.html.j2").render(
            title="Pas de cartes", message=message))  # fmt: skip


class FollowPage(TrainerPage):
    """Live progress and the cycle's buttons (the table refreshes itself, see space.js)."""

    def get(self, workshop_id: str) -> None:
        from course.trainer.cycle import cycle_state
        from course.trainer.progress import group_progress

        workshop = self.workshop(workshop_id)
        module = self.module_of(workshop)
        jobs = self.space.extra["jobs"]
        last = jobs.last(module.id)
        cycle = cycle_state(self.project, module)
        self.page(
            "follow.html.j2",
            title=f"Suivi : {workshop.title}",
            workshop=workshop,
            module=module,
            rows=group_progress(self.project, workshop, module, cycle),
            cycle=cycle,
            job=last.as_dict() if last else None,
            when=_when(workshop),
        )


class GradingPage(TrainerPage):
    """Each written answer with its question, situation, what is expected and the points."""

    def get(self, workshop_id: str) -> None:
        workshop = self.workshop(workshop_id)
        module = self.module_of(workshop)
        self.show(workshop, module)

    def show(self, workshop: Workshop, module: Module, error: str = "", fixed: str = "") -> None:
        answers = written_answers(self.project, module, workshop.learner_ids)
        self.page("grading.html.j2", title=f"Corriger les réponses rédigées : {workshop.title}",
                  workshop=workshop, module=module, groups=by_question(module, answers),
                  error=error, fixed=fixed, when=_when(workshop))  # fmt: skip

    async def post(self, workshop_id: str) -> None:
        workshop = self.workshop(workshop_id)
        module = self.module_of(workshop)
        who = self.get_body_argument("learner", "")[:100]
        question = self.get_body_argument("question", "")[:100]
        if who not in workshop.learner_ids:
            raise group.GroupError("Cette personne n'est pas dans le groupe de cet atelier.")
        try:
            await in_thread(save_grade, self.project, module, who, question,
                            self.get_body_argument("score", "")[:20],
                            self.get_body_argument("comment", "")[:5000])  # fmt: skip
        except UserError as error:  # said for whom: the learner's first name and the question
            self.set_status(400)
            self.show(workshop, module, error=_for_whom(self.project, module, who, question)
                      + str(error), fixed=f"{who}--{question}")  # fmt: skip
            return
        self.back(f"ateliers/{workshop.id}/correction?module={module.id}", "Note enregistrée.")


class ResultsPage(TrainerPage):
    def get(self, workshop_id: str) -> None:
        from course.coordinator.results import RATE_SENTENCE
        from course.trainer.debrief import debrief
        from course.trainer.workshop_results import workshop_results

        workshop = self.workshop(workshop_id)
        module = self.module_of(workshop)
        self.page("results.html.j2", title=f"Résultats : {workshop.title}", workshop=workshop,
                  module=module, results=workshop_results(self.project, workshop, module),
                  debrief=debrief(self.project, workshop, module), rate_sentence=RATE_SENTENCE,
                  when=_when(workshop))  # fmt: skip


def _for_whom(project: Any, module: Module, learner_id: str, question_id: str) -> str:
    """« Ahmed, question 3 : » before a refused score, so the trainer knows which form."""
    names = {lr.id: lr.name for lr in project.roster().learners()}
    numbers = {q.id: n for n, q in enumerate(module.questions, 1)}
    where = f", question {numbers[question_id]}" if question_id in numbers else ""
    return f"{names.get(learner_id, learner_id)}{where} : "


def _when(workshop: Workshop) -> str:
    """« lundi 7 décembre 2026 à 9 h 05, 90 minutes, Médiathèque »."""
    text = french.day(workshop.day)
    if workshop.start:
        text += " à " + french.clock(workshop.start)
    return f"{text}, {workshop.duration_minutes} minutes" + (
        f", {workshop.place}" if workshop.place else ""
    )


def rules() -> list[Rule]:
    return [
        (rf"ateliers/{WID}", GroupPage, {}),
        (rf"ateliers/{WID}/cartes\.pdf", CardsFile, {}),
        (rf"ateliers/{WID}/suivi", FollowPage, {}),
        (rf"ateliers/{WID}/correction", GradingPage, {}),
        (rf"ateliers/{WID}/resultats", ResultsPage, {}),
    ]


__all__ = ["rules"]
