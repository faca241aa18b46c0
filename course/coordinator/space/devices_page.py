"""« Appareils » in the coordination space: enrol a laptop for a site (its code is shown once),
see each device's last sync, revoke a lost one, and correct what came in (remove an imported
workshop, or everything a device sent), each after a confirmation box is ticked.

With the code, the page shows the enrolment link (this coordination's address, `#code=` and the
code: `course.sync.devices.enrolment_link`) as text and as a QR code. Why a QR when a laptop
rarely has a camera: the code is shown once, often on a screen in a meeting, and the trainer's
laptop is elsewhere (a village hall). Her phone scans the QR and keeps the link; she sends it to
herself (SMS, e-mail) and pastes it in her space on the laptop, which then has the code *and*
the coordination's address, nothing typed, no settings file edited. The phone opening the link
only reaches the coordination's sign-in: the code is in the fragment, which no browser sends.
The code stays shown as text for whoever types it or cannot scan (accessibility)."""

from __future__ import annotations

from zoneinfo import ZoneInfo

from course.coordinator.corrections import remove_device_records, remove_workshop
from course.coordinator.devices import devices, enrol, revoke
from course.coordinator.records import gather, local_site
from course.coordinator.space.common import CoordinatorPage, in_thread
from course.core.errors import UserError
from course.core.french import day_and_clock
from course.settings import Project
from course.sync.devices import enrolment_link
from course.web.space import Rule

CONFIRM = "Cochez la case de confirmation : rien n'a été changé."


def _listing(project: Project) -> dict[str, object]:
    zone = ZoneInfo(project.settings.timezone)
    here = local_site(project)
    rows = [
        {
            "id": d.id,
            "site": d.site,
            "label": d.label,
            "last": day_and_clock(d.last_sync, zone) if d.last_sync else "jamais",
            "revoked": day_and_clock(d.revoked, zone) if d.revoked else "",
        }  # fmt: skip
        for d in devices(project)
    ]
    records = gather(project, include_names=False)
    imported = [
        {"uid": w.uid, "title": w.title, "site": w.site, "day": w.day.strftime("%d/%m/%Y")}
        for w in sorted(records.workshops, key=lambda w: (w.site, w.day))
        if w.site and w.site != here
    ]
    return {"devices": rows, "imported": imported}


def qr_svg(text: str) -> str:
    """The QR code of `text`, inline SVG (medium error correction, as the sign-in cards)."""
    import segno

    return str(segno.make(text, error="m").svg_inline(scale=5, border=4, light="#fff"))


class DevicesPage(CoordinatorPage):
    def here(self) -> str:
        """This coordination's address as the browser reached it (behind the hub's proxy, the
        scheme the proxy says it was asked in)."""
        scheme = self.request.headers.get("X-Forwarded-Proto", self.request.protocol)
        scheme = scheme.split(",")[0].strip() if scheme in ("http", "https") else "https"
        return f"{scheme}://{self.request.host}{self.space.url('')}"

    async def get(self, notice: str = "", error: str = "", code: str = "") -> None:
        listing = await in_thread(_listing, self.project)
        link = enrolment_link(self.here(), code) if code else ""
        self.page("devices.html.j2", title="Appareils des sites", current="devices",
                  notice=notice, error=error, code=code, link=link,
                  qr=qr_svg(link) if link else "", **listing)  # fmt: skip

    async def post(self) -> None:
        action = self.get_body_argument("action", "")
        confirmed = self.get_body_argument("confirmer", "") == "oui"
        target = self.get_body_argument("cible", "")[:64]
        try:
            if action == "inscrire":
                site = self.get_body_argument("site", "")
                label = self.get_body_argument("nom", "")
                enrolment = await in_thread(enrol, self.project, site, label)
                await self.get(notice=f"Appareil inscrit pour « {site.strip()} ».",
                               code=enrolment.code)  # fmt: skip
                return
            if action not in ("retirer", "effacer", "retirer-atelier"):
                raise UserError("Action inconnue : rien n'a été changé.")
            if not confirmed:
                raise UserError(CONFIRM)
            if action == "retirer":
                await in_thread(revoke, self.project, target)
                notice = "Appareil retiré : ses prochains envois seront refusés ; le reste demeure."
            elif action == "effacer":
                removed = await in_thread(remove_device_records, self.project, target)
                counts = ", ".join(f"{n} {what}" for what, n in removed.items())
                notice = f"Retirés : {counts}. Les chiffres en tiennent compte."
            else:
                title = await in_thread(remove_workshop, self.project, target)
                notice = f"Atelier « {title} » retiré. Les chiffres en tiennent compte."
        except UserError as problem:
            self.set_status(400)
            await self.get(error=str(problem))
            return
        await self.get(notice=notice)


def rules() -> list[Rule]:
    return [("appareils", DevicesPage, {})]
