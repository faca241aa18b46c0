"""The request a device signs to push a payload over the network, checked before the body is
read as anything: headers name the device and carry a fresh timestamp and nonce, and an
HMAC-SHA256 of `<timestamp>\\n<nonce>\\n<SHA-256 of the raw body>` with the device's key.

A request older or newer than `WINDOW` seconds is refused (a recorded request replayed later);
one replayed within the window brings a payload the coordinator already holds (its digest and
each record's counters), so it adds nothing.
"""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets
import time

from course.sync.errors import PayloadError

DEVICE, STAMP, NONCE, SIGNATURE = (
    "X-Ateliers-Appareil", "X-Ateliers-Horodatage", "X-Ateliers-Nonce", "X-Ateliers-Signature",
)  # fmt: skip
WINDOW = 600
_DEVICE = re.compile(r"^[a-z0-9]{6}$")
_HEX = re.compile(r"^[0-9a-f]{16,64}$")


def _mac(key: bytes, stamp: str, nonce: str, body: bytes) -> str:
    message = f"{stamp}\n{nonce}\n{hashlib.sha256(body).hexdigest()}".encode()
    return hmac.new(key, message, hashlib.sha256).hexdigest()


def signed_headers(device: str, key: bytes, body: bytes) -> dict[str, str]:
    stamp, nonce = str(int(time.time())), secrets.token_hex(12)
    return {DEVICE: device, STAMP: stamp, NONCE: nonce, SIGNATURE: _mac(key, stamp, nonce, body),
            "Content-Type": "application/zip"}  # fmt: skip


def device_of(headers: dict[str, str]) -> str:
    device = headers.get(DEVICE, "")
    if not _DEVICE.match(device):
        raise PayloadError("Envoi refusé : l'appareil n'est pas nommé. Rien n'a été importé.")
    return device


def check_request(headers: dict[str, str], key: bytes, body: bytes) -> None:
    """The request's signature and freshness, or a French `PayloadError`."""
    stamp, nonce = headers.get(STAMP, ""), headers.get(NONCE, "")
    value = headers.get(SIGNATURE, "")
    if not stamp.isdigit() or not _HEX.match(nonce) or not _HEX.match(value):
        raise PayloadError("Envoi refusé : sa signature manque. Rien n'a été importé.")
    if abs(time.time() - int(stamp)) > WINDOW:
        raise PayloadError(
            "Envoi refusé : il est trop ancien (ou l'horloge de cet ordinateur est fausse). "
            "Rien n'a été importé."
        )
    if not hmac.compare_digest(_mac(key, stamp, nonce, body), value):
        raise PayloadError("Envoi refusé : sa signature ne correspond pas. Rien n'a été importé.")
