"""The coordination's small API: an enrolled device pushes its payload, `POST api/envoi`.

Public (no sign-in: the device's key is the proof), and nothing is parsed before it is proven:
the body's size, then the request's signature and freshness (`course.sync.wire`), then the same
checks and the same one transaction as a file imported by hand (`bundle_import`). The answer
says how far the coordinator holds this device's log (`vu`), so the next sync sends only what
comes after.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

from course.coordinator.bundle_import import import_bundles
from course.coordinator.devices import sender
from course.coordinator.space.common import CoordinatorPage, in_thread
from course.coordinator.store import Device
from course.settings import Project
from course.sync.archive import Caps
from course.sync.errors import PayloadError
from course.sync.wire import check_request, device_of
from course.web.space import Rule


def _receive(project: Project, headers: dict[str, str], body: bytes) -> dict[str, object]:
    device = device_of(headers)
    _site, key = sender(project, device)
    check_request(headers, key, body)
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "envoi.zip"
        path.write_bytes(body)
        (report,) = import_bundles(project, [path])
    book = project.workshops()
    try:
        with book.session() as session:
            found = session.get(Device, device)
            seen = found.seen if found else 0
    finally:
        book.close()
    return {"deja": report.already, "ajoutes": report.added, "vu": seen}


class PushApi(CoordinatorPage):
    public = True  # the device's signature is checked instead, before anything is read

    async def post(self) -> None:
        body = self.request.body
        if len(body) > Caps().file_bytes:
            self.write_json({"erreur": "Envoi refusé : il est bien trop gros."}, 413)
            return
        headers = {k: v for k, v in self.request.headers.get_all()}
        try:
            answer = await in_thread(_receive, self.project, headers, body)
        except PayloadError as refused:
            status = 403 if "retiré" in str(refused) or "pas inscrit" in str(refused) else 400
            self.write_json({"erreur": str(refused)}, status)
            return
        self.write_json(answer)


def rules() -> list[Rule]:
    return [(r"api/envoi", PushApi, {})]
