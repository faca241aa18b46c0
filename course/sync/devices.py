"""A device's own key: how a laptop proves which site it speaks for.

The coordinator enrols a device for one site and is shown a one-time code once
(`XXXXXX-XXXX-XXXX-XXXX-XXXX`: the device's id, then 80 random bits), which the trainer types in
her space on the laptop. Both sides derive the same HMAC-SHA256 key from it; neither ever sends
it. The laptop keeps it in `var/appareil.json`, the coordinator in `var/appareils/<id>.key`
(both 0600). Enrolment needs no network: the code is carried by the person, like a Wi-Fi key.

The coordination also shows an enrolment link, `<coordination address>#code=<code>` (and its
QR code): pasted in the trainer's space instead of the code, it gives the laptop the
coordination's address too, kept with the device, so nobody edits a settings file. The code is
in the fragment: a browser never sends it to any server, a log never holds it.

A signed payload carries `signature.txt`, two lines of text read without any parser:
`appareil <id>` and `hmac-sha256 <hex>`, the HMAC of the manifest's raw bytes. The coordinator
finds the device's key by its id and checks the signature before a byte of JSON is read; the
site then comes from the enrolment, not from what the payload says.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import re
import secrets
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

from course.core.errors import UserError
from course.core.files import private_dir, private_write
from course.sync.errors import refuse

ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"  # no 0/o, 1/l/i: read aloud, typed by hand
ID_LENGTH, SECRET_LENGTH = 6, 16
SIGNATURE = "signature.txt"
LOCAL_FILE = "appareil.json"
KEYS_DIR = "appareils"
_CODE = re.compile(rf"^([{ALPHABET}]{{{ID_LENGTH}}})([{ALPHABET}]{{{SECRET_LENGTH}}})$")
_SIGNATURE = re.compile(rb"\Aappareil ([a-z0-9]{6})\nhmac-sha256 ([0-9a-f]{64})\n\Z")


class CodeError(UserError, ValueError):
    """A code typed wrong; the message says what a code looks like."""


@dataclass(frozen=True)
class Enrolment:
    device: str
    code: str  # shown once to the coordinator, typed once on the laptop
    key: bytes


def _random(n: int) -> str:
    return "".join(secrets.choice(ALPHABET) for _ in range(n))


def key_of(secret: str) -> bytes:
    return hashlib.sha256(b"ateliers-numeriques appareil\0" + secret.encode()).digest()


def new_enrolment() -> Enrolment:
    device, secret = _random(ID_LENGTH), _random(SECRET_LENGTH)
    groups = [secret[i : i + 4] for i in range(0, SECRET_LENGTH, 4)]
    return Enrolment(device, "-".join([device, *groups]).upper(), key_of(secret))


def read_code(text: str) -> tuple[str, bytes]:
    """The device id and key a typed code gives (spaces, dashes and case do not matter)."""
    plain = re.sub(r"[\s\-]", "", text or "").lower()
    found = _CODE.match(plain)
    if found is None:
        raise CodeError(
            "Ce code n'est pas celui d'un appareil : il a 22 lettres et chiffres, comme "
            "ABCDEF-GHJK-MNPQ-RSTU-VWXY. Recopiez-le depuis l'espace de coordination."
        )
    return found.group(1), key_of(found.group(2))


LINK_MARK = "#code="


def enrolment_link(coordination: str, code: str) -> str:
    """The link the coordination shows with a code (and as a QR code)."""
    return f"{coordination}{LINK_MARK}{code}"


def read_enrolment(text: str) -> tuple[str, str]:
    """(code, coordination address) from what the trainer pasted: a bare code gives no
    address; a link must be an http(s) address, or a French message."""
    text = (text or "").strip()
    if LINK_MARK not in text:
        return text, ""
    address, code = text.split(LINK_MARK, 1)
    parts = urlsplit(address)
    if parts.scheme not in ("http", "https") or not parts.netloc or len(address) > 400:
        raise CodeError(
            "Ce lien n'est pas celui de la coordination : recopiez le code seul (22 lettres et "
            "chiffres, comme ABCDEF-GHJK-MNPQ-RSTU-VWXY)."
        )
    return code, address


def sign(device: str, key: bytes, blob: bytes) -> bytes:
    """The `signature.txt` of `blob` (a manifest's raw bytes)."""
    value = hmac.new(key, blob, hashlib.sha256).hexdigest()
    return f"appareil {device}\nhmac-sha256 {value}\n".encode()


def signer_of(signature: bytes) -> tuple[str, str]:
    """The device id and HMAC a `signature.txt` names, read as text (it is checked next)."""
    found = _SIGNATURE.match(signature) if len(signature) < 256 else None
    if found is None:
        raise refuse("sa signature est illisible.")
    return found.group(1).decode(), found.group(2).decode()


def verify(key: bytes, blob: bytes, value: str) -> None:
    if not hmac.compare_digest(hmac.new(key, blob, hashlib.sha256).hexdigest(), value):
        raise refuse("sa signature ne correspond pas : il a été modifié en route.")


@dataclass(frozen=True)
class LocalDevice:
    """This laptop, as the coordinator enrolled it."""

    device: str
    key: bytes
    site: str
    coordination: str = ""  # the address an enrolment link gave ("" for a typed code)


def enrol_here(data_dir: Path, code: str, site: str) -> LocalDevice:
    """Keep the device typed in (a code, or the coordination's enrolment link) on this laptop,
    replacing an earlier enrolment."""
    code, coordination = read_enrolment(code)
    device, key = read_code(code)
    private_dir(Path(data_dir))
    data = {"appareil": device, "cle": key.hex(), "site": site, "coordination": coordination}
    private_write(Path(data_dir) / LOCAL_FILE, json.dumps(data, ensure_ascii=False))
    return LocalDevice(device, key, site, coordination)


def this_device(data_dir: Path) -> LocalDevice | None:
    path = Path(data_dir) / LOCAL_FILE
    if not path.is_file():
        return None
    data = json.loads(path.read_text(encoding="utf-8"))
    return LocalDevice(data["appareil"], bytes.fromhex(data["cle"]), data["site"],
                       str(data.get("coordination", "")))  # fmt: skip


def keep_key(data_dir: Path, device: str, key: bytes) -> None:
    """The coordinator's copy of a device's key."""
    folder = private_dir(Path(data_dir) / KEYS_DIR)
    private_write(folder / f"{device}.key", key.hex())


def stored_key(data_dir: Path, device: str) -> bytes | None:
    path = Path(data_dir) / KEYS_DIR / f"{device}.key"
    return bytes.fromhex(path.read_text().strip()) if path.is_file() else None
