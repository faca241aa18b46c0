"""« Envoyer à la coordination » over the network: the laptop pushes what the coordination has
not seen (`course.coordinator.payload`) to its API (`coordination/api/envoi`), signed with the
device's key (`course.sync.wire`), and remembers how far the coordination holds its log.

Over HTTPS, the coordination's certificate is checked like a browser would, against what this
computer trusts, or against the hub's own certificate file when the hub is self-signed
(`c.CoordinatorSettings.coordination_certificate`); an unknown certificate gets a French
message saying what to ask for, never a traceback. An answer that is not the API's JSON (the
hub's proxy saying the service is restarting) is « not reached »: nothing is acknowledged.

Nothing is acknowledged before the coordination's answer: a send cut in the middle (the hub
stopped, the Wi-Fi gone) is sent again in full next time, and the coordination applies each
record version once, in one transaction. With nothing new, nothing is sent. `course serve`
sends once at start and every `c.CoordinatorSettings.sync_interval` seconds (`start_auto_sync`).
"""

from __future__ import annotations

import io
import json
import logging
import ssl
import threading
import urllib.error
import urllib.request
import zipfile
from dataclasses import dataclass, field

from course.coordinator.payload import RECORDS, make_payload
from course.coordinator.settings import CoordinatorSettings
from course.core.errors import UserError
from course.core.french import count
from course.settings import Project
from course.sync.devices import this_device
from course.sync.journal import Journal
from course.sync.wire import signed_headers

log = logging.getLogger(__name__)
API = "api/envoi"
_LOCK = threading.Lock()  # one send at a time from this process


class Unreachable(UserError, ConnectionError):
    """The coordination did not answer: the trainer downloads the file instead."""


class Untrusted(Unreachable):
    """The coordination's certificate is not one this computer trusts."""


NOTHING_LOST = (
    "rien n'a été perdu. Réessayez plus tard, ou téléchargez le paquet et envoyez-le par clé "
    "USB ou messagerie."
)


@dataclass
class SyncReport:
    records: int = 0
    sent_bytes: int = 0
    received_bytes: int = 0
    seen: int = 0
    added: dict[str, int] = field(default_factory=dict)


def coordination_address(project: Project) -> str:
    """The settings' address, else the one the enrolment link gave this device."""
    base = CoordinatorSettings(config=project.config).coordination_url.strip()
    device = this_device(project.data_dir)
    return base or (device.coordination if device else "")


def api_url(project: Project) -> str:
    base = coordination_address(project)
    if not base:
        raise Unreachable(
            "L'adresse de la coordination n'est pas réglée (c.CoordinatorSettings."
            "coordination_url) : téléchargez le paquet et envoyez-le par clé USB ou messagerie."
        )
    return base.rstrip("/") + "/" + API


def tls_context(project: Project) -> ssl.SSLContext:
    """What this laptop trusts: the system's certificates, or the hub's own certificate file."""
    path = CoordinatorSettings(config=project.config).coordination_certificate.strip()
    if not path:
        return ssl.create_default_context()
    try:
        return ssl.create_default_context(cafile=path)
    except (OSError, ssl.SSLError) as exc:
        raise Untrusted(
            f"Le fichier du certificat de la coordination ({path}) est introuvable ou "
            "illisible (c.CoordinatorSettings.coordination_certificate) : " + NOTHING_LOST
        ) from exc


def _untrusted(url: str) -> Untrusted:
    return Untrusted(
        f"Le certificat de sécurité de la coordination ({url.split('/')[2]}) n'est pas reconnu "
        "par cet ordinateur : l'envoi n'est pas parti, rien n'a été perdu. Demandez à la "
        "coordination le fichier de son certificat et indiquez-le dans nbgrader_config.py "
        "(c.CoordinatorSettings.coordination_certificate) ; en attendant, téléchargez le paquet "
        "et envoyez-le par clé USB ou messagerie."
    )


def _post(
    url: str, body: bytes, headers: dict[str, str], timeout: float, context: ssl.SSLContext | None
) -> tuple[int, bytes]:
    request = urllib.request.Request(url, data=body, headers=headers, method="POST")
    try:
        with urllib.request.urlopen(request, timeout=timeout, context=context) as answer:  # noqa: S310
            return answer.status, answer.read()
    except urllib.error.HTTPError as refused:
        return refused.code, refused.read()
    except (urllib.error.URLError, OSError, TimeoutError) as exc:
        reason = getattr(exc, "reason", exc)
        if isinstance(reason, ssl.SSLCertVerificationError):
            raise _untrusted(url) from exc
        raise Unreachable(
            "La coordination ne répond pas (pas de réseau ?) : " + NOTHING_LOST
        ) from exc


def _answer(status: int, answer: bytes) -> dict[str, object]:
    """The API's JSON answer, or `Unreachable` when something else answered (the hub's proxy
    while the service restarts, a captive Wi-Fi portal)."""
    try:
        data = json.loads(answer.decode("utf-8")) if answer else {}
    except (UnicodeDecodeError, ValueError):
        data = None
    if not isinstance(data, dict) or (status == 200 and not isinstance(data.get("vu"), int)):
        raise Unreachable(
            f"La coordination n'a pas répondu comme prévu (réponse {status} : elle redémarre "
            "peut-être, ou son adresse n'est pas la bonne) : " + NOTHING_LOST
        )
    return data


def sync_now(project: Project) -> SyncReport:
    """Send what the coordination has not seen; a French `UserError` when it cannot."""
    url = api_url(project)
    device = this_device(project.data_dir)
    timeout = CoordinatorSettings(config=project.config).sync_timeout
    context = tls_context(project) if url.startswith("https:") else None
    journal = Journal(project.data_dir)
    report = SyncReport()
    with _LOCK:
        since: int | None = None
        for _attempt in range(2):
            body, _counts = make_payload(project, since)
            records = json.loads(zipfile.ZipFile(io.BytesIO(body)).read(RECORDS))
            if not records:
                report.seen = journal.acked()
                return report
            assert device is not None  # make_payload refused otherwise
            status, answer = _post(url, body, signed_headers(device.device, device.key, body),
                                   timeout, context)  # fmt: skip
            report.records += len(records)
            report.sent_bytes += len(body)
            report.received_bytes += len(answer)
            data = _answer(status, answer)
            if status != 200:
                raise UserError(
                    str(data.get("erreur", f"La coordination a refusé l'envoi ({status})."))
                )
            report.seen = int(data["vu"])  # type: ignore[call-overload]
            report.added = dict(data.get("ajoutes") or {})  # type: ignore[call-overload]
            manifest = json.loads(zipfile.ZipFile(io.BytesIO(body)).read("manifest.json"))
            if report.seen >= manifest["upto"] or report.seen >= manifest["since"]:
                journal.acknowledge(report.seen, int(manifest["upto"]))
                return report
            since = report.seen  # the coordination holds less than we thought: from there
    return report


def start_auto_sync(project: Project, logger: logging.Logger | None = None) -> None:
    """At `course serve` start and every few minutes, once enrolled with an address (said in
    the server's log, `logger`). Checked at each tick: a laptop enrolled while the server runs
    (the code or link typed in the trainer's space) starts sending without a restart."""
    from tornado.ioloop import IOLoop, PeriodicCallback

    log = logger or globals()["log"]
    settings = CoordinatorSettings(config=project.config)
    if settings.sync_interval <= 0:
        return
    address = coordination_address(project)
    if this_device(project.data_dir) is None or not address:
        log.info("Envoi automatique à la coordination : cet ordinateur n'est pas encore inscrit.")
    else:
        log.info("Envoi automatique à la coordination : %s, toutes les %.0f s",
                 address, settings.sync_interval)  # fmt: skip

    async def tick() -> None:
        if this_device(project.data_dir) is None or not coordination_address(project):
            return
        try:
            done = await IOLoop.current().run_in_executor(None, sync_now, project)
            if done.records:
                log.info(
                    "Envoyé à la coordination : %s",
                    count(done.records, "enregistrement", "enregistrements"),
                )
        except UserError as problem:
            log.warning("Envoi à la coordination : %s", problem)
        except Exception:  # a send must never stop the server
            log.exception("Envoi à la coordination")

    IOLoop.current().add_callback(tick)
    PeriodicCallback(tick, settings.sync_interval * 1000).start()
