"""Who the learner is, without an e-mail address: a first name plus a short code, or a signed link.

The roster (`var/roster.json`) lists the group: a safe id, the first name as typed, and a salted
hash of the code the trainer hands out. A personal link carries `cle=<id>.<signature>`, an HMAC of
the id with a secret kept in `var/secret.key`; it cannot be guessed or forged from another
learner's link. Kernels only ever act for the learner the code or the link proves.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import os
import re
import secrets
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import parse_qs

from course.store import InvalidLearnerId, atomic_write_text, check_learner_id, now_iso

TOKEN_PARAM = "cle"
CODE_ALPHABET = "23456789"  # digits only, no 0/1 to confuse with O/l on a printed card
CODE_LENGTH = 6


class SignInError(ValueError):
    """Sign-in refused; the message is French and safe to show to the learner."""


@dataclass(frozen=True)
class Learner:
    id: str
    name: str


def slugify(name: str) -> str:
    """A folder-safe id from a first name: "Hélène" -> "helene", "../../etc" -> "etc"."""
    text = unicodedata.normalize("NFKD", name.casefold())
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    text = re.sub(r"[^a-z0-9]+", "-", text).strip("-")
    return text[:30] or "apprenant"


def _hash_code(code: str, salt: str) -> str:
    return hashlib.pbkdf2_hmac("sha256", code.encode(), bytes.fromhex(salt), 100_000).hex()


class Roster:
    """The group's learners, stored in `<data_dir>/roster.json`."""

    def __init__(self, data_dir: Path):
        self.data_dir = Path(data_dir)
        self.path = self.data_dir / "roster.json"
        self.secret_path = self.data_dir / "secret.key"

    def _load(self) -> dict:
        try:
            return json.loads(self.path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            return {"learners": {}}

    def _save(self, data: dict) -> None:
        atomic_write_text(self.path, json.dumps(data, ensure_ascii=False, indent=1) + "\n")

    def _secret(self) -> bytes:
        try:
            return bytes.fromhex(self.secret_path.read_text().strip())
        except FileNotFoundError:
            self.data_dir.mkdir(parents=True, exist_ok=True)
            secret = secrets.token_hex(32)
            fd = os.open(self.secret_path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
            with os.fdopen(fd, "w") as fh:
                fh.write(secret)
            return bytes.fromhex(secret)

    def learners(self) -> list[Learner]:
        return [Learner(i, e["name"]) for i, e in sorted(self._load()["learners"].items())]

    def add(self, name: str, code: str | None = None) -> tuple[Learner, str]:
        """Register a learner; return them with the code to hand out (shown once only)."""
        name = " ".join(name.split())
        if not name:
            raise ValueError("Le prénom est vide.")
        data = self._load()
        base = slugify(name)
        learner_id, n = base, 2
        while learner_id in data["learners"]:
            learner_id, n = f"{base}-{n}", n + 1
        check_learner_id(learner_id)
        code = code or "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))
        salt = secrets.token_hex(16)
        data["learners"][learner_id] = {
            "name": name,
            "salt": salt,
            "code_hash": _hash_code(code, salt),
            "created": now_iso(),
        }
        self._save(data)
        return Learner(learner_id, name), code

    def set_code(self, learner_id: str, code: str | None = None) -> str:
        """Give a learner a new code (the old one stops working); return it, to print once."""
        data = self._load()
        entry = data["learners"].get(learner_id)
        if entry is None:
            raise KeyError(f"Apprenant inconnu : {learner_id}")
        code = code or "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))
        salt = secrets.token_hex(16)
        entry.update(salt=salt, code_hash=_hash_code(code, salt), code_changed=now_iso())
        self._save(data)
        return code

    def sign_in(self, name: str, code: str) -> Learner:
        """Check a first name and code typed by a learner."""
        wanted = slugify(name)
        code = re.sub(r"\s", "", code or "")
        for learner_id, entry in self._load()["learners"].items():
            if learner_id == wanted or re.sub(r"-\d+$", "", learner_id) == wanted:
                if hmac.compare_digest(_hash_code(code, entry["salt"]), entry["code_hash"]):
                    return Learner(learner_id, entry["name"])
        raise SignInError(
            "Le prénom ou le code ne correspond pas. Vérifiez votre carte, "
            "ou demandez de l'aide à la personne qui anime l'atelier."
        )

    def token(self, learner_id: str) -> str:
        check_learner_id(learner_id)
        sig = hmac.new(self._secret(), learner_id.encode(), hashlib.sha256).hexdigest()[:32]
        return f"{learner_id}.{sig}"

    def from_token(self, token: str) -> Learner:
        """The learner a personal link proves; refuse forged, altered or unknown links."""
        learner_id, _, sig = (token or "").partition(".")
        try:
            check_learner_id(learner_id)
        except InvalidLearnerId:
            raise SignInError("Ce lien personnel n'est pas valable.") from None
        expected = self.token(learner_id).partition(".")[2]
        entry = self._load()["learners"].get(learner_id)
        if entry is None or not hmac.compare_digest(sig, expected):
            raise SignInError("Ce lien personnel n'est pas valable.")
        return Learner(learner_id, entry["name"])

    def from_query(self, query: str | None) -> Learner | None:
        """The learner named by `?cle=` in a page's query string, or None when absent."""
        values = parse_qs(query or "").get(TOKEN_PARAM)
        return self.from_token(values[0]) if values else None
