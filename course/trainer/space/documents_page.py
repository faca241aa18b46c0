"""Presence and a workshop's documents, where the trainer is: who came (the group page and the
live table send here), the « feuille d'émargement », the attestations (the group's, or one
person's), the results book, this workshop's exports.

Every file is made on the click, in a worker thread, and sent for download; the attestations
and the results book are also kept under `var/` (owner only), as the command line does. A
refusal (nobody came yet, an empty group) is said in the space's look with the way to fix it.
"""

from __future__ import annotations

from typing import Any

from course.core.errors import UserError
from course.trainer.space.pages import WID, TrainerPage, _when, in_thread
from course.web.space import Rule

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
BACK = {"groupe": "", "suivi": "/suivi"}  # where a presence form came from


class PresenceForm(TrainerPage):
    """Mark who came: the group page's checkboxes (everyone at once; `avant` says who was ticked
    when the page was drawn, so only the boxes changed there count), or one person from the
    live table (`learner` and `present`)."""

    def post(self, workshop_id: str) -> None:
        workshop = self.workshop(workshop_id)
        one = self.get_body_argument("learner", "")[:100]
        if one:
            if one not in workshop.learner_ids:
                raise UserError("Cette personne n'est pas dans le groupe de cet atelier.")
            present = set(workshop.present_ids) - {one}
            if self.get_body_argument("present", "") == "oui":
                present.add(one)
        else:  # only what this form changed: another tab's marks made meanwhile are kept
            shown = set(self.get_body_argument("avant", "").split(","))
            ticked = set(self.get_body_arguments("present"))
            present = (set(workshop.present_ids) - (shown - ticked)) | (ticked - shown)
            present &= set(workshop.learner_ids)
        book = self.project.workshops()
        try:
            done = book.set_present(workshop.id, present)
        finally:
            book.close()
        back = BACK.get(self.get_body_argument("retour", ""), "")
        module = self.get_body_argument("module", "")[:100]
        query = f"?module={module}" if back and module.replace("-", "").isalnum() else ""
        said = f"Présences enregistrées : {len(done.present_ids)} sur {len(done.learner_ids)}."
        self.back(f"ateliers/{workshop.id}{back}{query}", said)


class DocumentsPage(TrainerPage):
    def get(self, workshop_id: str) -> None:
        from course.learner.attended import attended

        workshop = self.workshop(workshop_id)
        names = {lr.id: lr.name for lr in self.project.roster().learners()}
        came = attended(self.project, workshop)
        self.page("documents.html.j2", title=f"Documents : {workshop.title}", workshop=workshop,
                  came=[(i, names.get(i, i)) for i in came], when=_when(workshop))  # fmt: skip


class DocumentFile(TrainerPage):
    """One PDF or spreadsheet of the workshop, for download."""

    async def get(self, workshop_id: str, name: str) -> None:
        workshop = self.workshop(workshop_id)
        try:
            data, kind, filename = await in_thread(self.make, workshop, name)
        except UserError as error:
            self.set_status(400)
            target = f"ateliers/{workshop.id}"
            self.problem("Pas de document", str(error),
                         (self.space.url(target), "Ouvrir le groupe et les présences"))  # fmt: skip
            return
        self.set_header("Content-Type", kind)
        self.set_header("Content-Disposition", f'attachment; filename="{filename}"')
        self.finish(data)

    def make(self, workshop: Any, name: str) -> tuple[bytes, str, str]:
        from course.learner import attestation
        from course.trainer import results_book
        from course.trainer.attendance_sheet import attendance_sheet_pdf
        from course.trainer.workshop_files import workshop_export

        day = workshop.day.isoformat()
        if name == "emargement.pdf":
            data = attendance_sheet_pdf(self.project, workshop)
            return data, "application/pdf", f"emargement-{day}-atelier-{workshop.id}.pdf"
        if name == "attestations.pdf":
            who = self.get_argument("apprenant", "")[:100]
            if who:
                path = attestation.write_learner_attestation(self.project, workshop.id, who)
            else:
                path = attestation.group_attestations(self.project, workshop.id)
            return path.read_bytes(), "application/pdf", path.name
        if name == "resultats.pdf":
            path = results_book.workshop_results(self.project, workshop.id)
            return path.read_bytes(), "application/pdf", path.name
        stem, _, fmt = name.partition(".")
        data = workshop_export(self.project, workshop, stem, fmt)
        kind = XLSX if fmt == "xlsx" else "text/csv; charset=utf-8"
        return data, kind, f"{stem}-{day}-atelier-{workshop.id}.{fmt}"


def rules() -> list[Rule]:
    files = (
        r"(emargement\.pdf|attestations\.pdf|resultats\.pdf|(?:resultats|activite)\.(?:csv|xlsx))"
    )
    return [
        (rf"ateliers/{WID}/presences", PresenceForm, {}),
        (rf"ateliers/{WID}/documents", DocumentsPage, {}),
        (rf"ateliers/{WID}/documents/{files}", DocumentFile, {}),
    ]
