"""The trainer's side of « Envoyer à la coordination » beyond the file: type the device code the
coordination gave (`course.sync.devices`), and send now over the network
(`course.coordinator.sync_client`); when the coordination does not answer, the page offers the
file instead. Both POSTs come back to the send page with what happened."""

from __future__ import annotations

from urllib.parse import urlencode

from course.coordinator.sync_client import sync_now
from course.core.errors import UserError
from course.core.french import count as counted
from course.sync.devices import enrol_here
from course.trainer.space.pages import TrainerPage, in_thread
from course.web.space import Rule
from course.workshops.site import site_name

DONE = {
    "inscrit": "Cet ordinateur est inscrit : ses envois sont signés avec sa propre clé.",
    "envoye": "Envoyé à la coordination : {n}.{added}",
    "rien": "Rien de nouveau à envoyer : la coordination a déjà tout.",
}


class EnrolHere(TrainerPage):
    def post(self) -> None:
        site = site_name(self.project.data_dir, self.project.config)
        if not site:
            raise UserError("Donnez d'abord le nom du site dans les réglages.")
        enrol_here(self.project.data_dir, self.get_body_argument("code", "")[:500], site)
        self.redirect(self.space.url("envoyer") + "?fait=inscrit", status=303)


class SendNow(TrainerPage):
    async def post(self) -> None:
        try:
            report = await in_thread(sync_now, self.project)
        except UserError as problem:
            self.set_status(400)
            self.problem("Pas envoyé", str(problem),
                         (self.space.url("envoyer/paquet.zip"), "Télécharger le paquet"))  # fmt: skip
            return
        added = {KEYS[kind]: n for kind, n in report.added.items() if kind in KEYS}
        done = urlencode({"fait": "envoye" if report.records else "rien", "n": report.records,
                          **added})  # fmt: skip
        self.redirect(self.space.url("envoyer") + "?" + done, status=303)


# What the coordination says it added, by kind: query keys kept ASCII.
KEYS = {"ateliers": "ateliers", "apprenants": "apprenants", "résultats": "resultats"}


def _number(text: str) -> str:
    return text[:6] if text.isdigit() else "0"


def done_message(kind: str, count: str, added: dict[str, str] | None = None) -> str:
    """The notice after a POST; `added`: what was new for the coordination, by kind (so the
    trainer sees that a send counted, not only that it left)."""
    parts = [f"{label} : {_number(n)}" for label, n in (added or {}).items() if _number(n) != "0"]
    news = f" Nouveaux pour elle : {' ; '.join(parts)}." if parts else ""
    records = counted(int(_number(count)), "enregistrement", "enregistrements")
    return DONE.get(kind, "").format(n=records, added=news)


def rules() -> list[Rule]:
    return [("envoyer/appareil", EnrolHere, {}), ("envoyer/maintenant", SendNow, {})]
