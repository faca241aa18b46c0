"""The devices the coordinator enrolled: enrol one for a site (its one-time code is shown once),
list them with their last sync, revoke a lost one.

A device's key is kept in `var/appareils/<id>.key` (0600), never in the database a backup or a
PostgreSQL administrator reads. Revoking keeps everything the device sent: only its later
payloads are refused. Every change writes a line to `var/journal-coordination.log`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import select

from course.coordinator.store import Device
from course.core.errors import UserError
from course.core.files import private_append
from course.settings import Project
from course.sync.devices import Enrolment, keep_key, new_enrolment, stored_key
from course.sync.errors import refuse

LOG_FILE = "journal-coordination.log"


@dataclass(frozen=True)
class DeviceView:
    id: str
    site: str
    label: str
    created: datetime
    last_sync: datetime | None
    revoked: datetime | None


def log(project: Project, line: str) -> None:
    """One line of what the coordinator changed, dated in UTC (who: the coordination)."""
    with private_append(project.data_dir / LOG_FILE) as out:
        out.write(f"{datetime.now(UTC).isoformat(timespec='seconds')} {line}\n".encode())


def enrol(project: Project, site: str, label: str) -> Enrolment:
    """A new device for `site`; the code it returns is shown once and kept nowhere."""
    site, label = site.strip(), label.strip() or "Ordinateur"
    if not site or len(site) > 200 or len(label) > 200:
        raise UserError("Indiquez le site de l'appareil (200 caractères au plus).")
    enrolment = new_enrolment()
    keep_key(project.data_dir, enrolment.device, enrolment.key)
    book = project.workshops()
    try:
        with book.session() as session:
            session.add(Device(id=enrolment.device, site=site, label=label,
                               created=datetime.now(UTC), seen=0))  # fmt: skip
    finally:
        book.close()
    log(project, f"appareil {enrolment.device} inscrit pour « {site} » ({label})")
    return enrolment


def revoke(project: Project, device: str) -> None:
    book = project.workshops()
    try:
        with book.session() as session:
            found = session.get(Device, device)
            if found is None:
                raise UserError(f"Aucun appareil « {device} ».")
            if found.revoked is None:
                found.revoked = datetime.now(UTC)
    finally:
        book.close()
    log(project, f"appareil {device} retiré (ce qu'il a déjà envoyé reste)")


def devices(project: Project) -> list[DeviceView]:
    book = project.workshops()
    try:
        with book.session() as session:
            rows = session.scalars(select(Device).order_by(Device.created)).all()
            return [
                DeviceView(d.id, d.site, d.label, d.created, d.last_sync, d.revoked) for d in rows
            ]
    finally:
        book.close()


def sender(project: Project, device: str) -> tuple[str, bytes]:
    """The site and key of a device allowed to send, or a French refusal."""
    book = project.workshops()
    try:
        with book.session() as session:
            found = session.get(Device, device)
            site, revoked = (found.site, found.revoked) if found else ("", None)
    finally:
        book.close()
    key = stored_key(project.data_dir, device)
    if not site or key is None:
        raise refuse("il vient d'un appareil que la coordination n'a pas inscrit.")
    if revoked is not None:
        raise refuse("il vient d'un appareil retiré par la coordination.")
    return site, key
