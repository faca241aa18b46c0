"""Who the learner is, without an e-mail address: a first name plus a short code, or a signed link.

The roster (`var/roster.json`) lists the group: a safe id, the first name as typed, and a salted
hash of the code the trainer hands out. A personal link carries `cle=<id>.<signature>`, an HMAC of
the id (and of the current code's salt) with a secret kept in `var/secret.key`; it cannot be
guessed or forged from another learner's link, and giving a learner a new code (a lost card)
also revokes their old link. Kernels only ever act for the learner the code or the link proves.

Codes are short, so guessing is slowed down: after `Roster.max_failures` wrong codes in a row for
a first name, that name is refused for `Roster.lock_minutes` (counted in `var/sign-in-attempts.json`,
shared by every kernel). The personal link keeps working, and a new code lifts the lock.
"""

from __future__ import annotations

import contextlib
import hashlib
import hmac
import json
import re
import secrets
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

from traitlets import Int
from traitlets.config import Config, Configurable

from course.core.errors import UserError
from course.core.files import atomic_write, locked_json, now_iso, secret_key
from course.core.ids import InvalidLearnerId, check_learner_id

TOKEN_PARAM = "cle"
CODE_ALPHABET = "23456789"  # digits only, no 0/1 to confuse with O/l on a printed card
CODE_LENGTH = 6


class SignInError(UserError, ValueError):
    """Sign-in refused; the message is French and safe to show to the learner."""


class EmptyName(UserError, ValueError):
    """A first name made only of spaces; the message is French."""

    def __init__(self) -> None:
        super().__init__("Le prénom est vide.")


class UnknownLearner(UserError, KeyError):
    """No learner has this id (a stale page, a learner removed meanwhile)."""

    def __init__(self, learner_id: str) -> None:
        super().__init__(f"Apprenant inconnu : {learner_id}")

    def __str__(self) -> str:  # KeyError's own would wrap the French message in quotes
        return str(self.args[0])


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


def _first_name_key(learner_id: str) -> str:
    """The id without its homonym number ("marie-2" -> "marie"): what typing the name gives."""
    return re.sub(r"-\d+$", "", learner_id)


def _lock_end(record: dict) -> datetime | None:
    """When a failure record's lock ends, if it is still running."""
    until = record.get("locked_until")
    if until and datetime.fromisoformat(until) > datetime.now(UTC):
        return datetime.fromisoformat(until)
    return None


def _stale(record: dict, horizon: datetime) -> bool:
    """A failure record nobody has added to since `horizon` (and no longer locking)."""
    try:
        last = datetime.fromisoformat(record["last"])
        locked = datetime.fromisoformat(record.get("locked_until") or record["last"])
    except (KeyError, TypeError, ValueError):
        return True
    return max(last, locked) < horizon


class Roster(Configurable):
    """The group's learners, stored in `<data_dir>/roster.json`.

    Its sign-in limits are set in nbgrader_config.py as `c.Roster.<name>`; code that has a
    `course.settings.Project` gets a configured roster from `project.roster()`.
    """

    max_failures = Int(
        5, help="Wrong codes in a row for one first name before that name is locked."
    ).tag(config=True)
    lock_minutes = Int(5, help="Minutes a first name stays locked after too many wrong codes.").tag(
        config=True
    )

    def __init__(self, data_dir: Path, config: Config | None = None):
        super().__init__(config=config)
        self.data_dir = Path(data_dir)
        self.path = self.data_dir / "roster.json"
        self.secret_path = self.data_dir / "secret.key"
        self.attempts_path = self.data_dir / "sign-in-attempts.json"

    def _load(self) -> dict:
        try:
            return json.loads(self.path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            return {"learners": {}}

    def _save(self, data: dict) -> None:
        atomic_write(self.path, json.dumps(data, ensure_ascii=False, indent=1) + "\n")

    def _secret(self) -> bytes:
        return secret_key(self.secret_path)

    def learners(self) -> list[Learner]:
        return [Learner(i, e["name"]) for i, e in sorted(self._load()["learners"].items())]

    def get(self, learner_id: str) -> Learner | None:
        """The learner with this id, if they are still in the group."""
        entry = self._load()["learners"].get(learner_id)
        return Learner(learner_id, entry["name"]) if entry else None

    def _free_id(self, data: dict, name: str) -> str:
        base = slugify(name)
        learner_id, n = base, 2
        while learner_id in data["learners"]:
            learner_id, n = f"{base}-{n}", n + 1
        return check_learner_id(learner_id)

    def same_name(self, name: str) -> list[Learner]:
        """Learners whose first name gives the same sign-in as `name` ("Hélène", "helene-2")."""
        wanted = slugify(name)
        return [lr for lr in self.learners() if _first_name_key(lr.id) == wanted]

    def add(self, name: str, code: str | None = None) -> tuple[Learner, str]:
        """Register a learner; return them with the code to hand out (shown once only).

        A first name already in the group gets a numbered id ("helene-2"): callers that talk
        to a person ask first (`same_name`, `course.trainer.group.enrol`)."""
        name = " ".join(name.split())
        if not name:
            raise EmptyName()
        data = self._load()
        learner_id = self._free_id(data, name)
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

    def rename(self, learner_id: str, name: str) -> Learner:
        """Give a learner another first name; their id follows it (their code stays, their
        personal link changes with the id)."""
        name = " ".join(name.split())
        if not name:
            raise EmptyName()
        data = self._load()
        entry = data["learners"].pop(learner_id, None)
        if entry is None:
            raise UnknownLearner(learner_id)
        new_id = learner_id if slugify(name) == _first_name_key(learner_id) else None
        new_id = new_id or self._free_id(data, name)
        entry["name"] = name
        data["learners"][new_id] = entry
        self._save(data)
        return Learner(new_id, name)

    def remove(self, learner_id: str) -> None:
        """Take a learner out of the roster (their code and link stop working)."""
        data = self._load()
        if data["learners"].pop(learner_id, None) is None:
            raise UnknownLearner(learner_id)
        self._save(data)
        from course.access.sessions import SignInSessions

        SignInSessions(self.data_dir).revoke_learner(learner_id)  # signed out everywhere

    def set_code(self, learner_id: str, code: str | None = None) -> str:
        """Give a learner a new code (the old one stops working); return it, to print once."""
        data = self._load()
        entry = data["learners"].get(learner_id)
        if entry is None:
            raise UnknownLearner(learner_id)
        code = code or "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))
        salt = secrets.token_hex(16)
        entry.update(salt=salt, code_hash=_hash_code(code, salt), code_changed=now_iso())
        entry.pop("link_salt", None)  # the old card's link stops working too
        self._save(data)
        from course.access.sessions import SignInSessions

        SignInSessions(self.data_dir).revoke_learner(learner_id)  # whoever used the old card
        with self._attempts() as attempts:  # a new card lifts a lock on this name
            attempts.pop(learner_id, None)
            attempts.pop(_first_name_key(learner_id), None)
        return code

    def sign_in(self, name: str, code: str) -> Learner:
        """Check a first name and code typed by a learner (wrong codes in a row lock the name)."""
        wanted = slugify(name)
        code = re.sub(r"\s", "", code or "")
        with self._attempts() as attempts:
            record = attempts.get(wanted, {})
            if _lock_end(record):
                raise SignInError(
                    f"Trop d'essais avec ce prénom. Attendez {self.lock_minutes} minutes, ou demandez "
                    "de l'aide à la personne qui anime l'atelier."
                )
            for learner_id, entry in self._load()["learners"].items():
                if wanted in (learner_id, _first_name_key(learner_id)):
                    if hmac.compare_digest(_hash_code(code, entry["salt"]), entry["code_hash"]):
                        attempts.pop(wanted, None)
                        return Learner(learner_id, entry["name"])
            # After a lock has run out, counting starts again.
            failures = record.get("failures", 0) + 1 if "locked_until" not in record else 1
            record = {"failures": failures, "last": now_iso()}
            if failures >= self.max_failures:
                until = datetime.now(UTC) + timedelta(minutes=self.lock_minutes)
                record["locked_until"] = until.isoformat(timespec="seconds")
            attempts[wanted] = record
        raise SignInError(
            "Le prénom ou le code ne correspond pas. Vérifiez votre carte, "
            "ou demandez de l'aide à la personne qui anime l'atelier."
        )

    def unlock(self, learner_id: str) -> None:
        """Lift the lock on this learner's first name (the trainer saw who is asking); the code
        and the printed card stay valid."""
        if self.get(learner_id) is None:
            raise UnknownLearner(learner_id)
        with self._attempts() as attempts:
            attempts.pop(learner_id, None)
            attempts.pop(_first_name_key(learner_id), None)

    def locked_until(self, learner_id: str) -> datetime | None:
        """When the lock on this learner's first name ends (None: not locked), for the trainer."""
        return self.locks([learner_id]).get(learner_id)

    def locks(self, learner_ids: list[str]) -> dict[str, datetime]:
        """The locked ones among `learner_ids`, with when their lock ends: the attempts file is
        read once (the live table asks every few seconds for the whole group)."""
        found = {}
        with self._attempts() as attempts:
            for learner_id in learner_ids:
                for key in (learner_id, _first_name_key(learner_id)):
                    if end := _lock_end(attempts.get(key, {})):
                        found[learner_id] = end
                        break
        return found

    @contextlib.contextmanager
    def _attempts(self) -> Iterator[dict]:
        """The failed-sign-in counts, read and written under a lock shared by all kernels
        (missing or damaged: counting starts again)."""
        with locked_json(self.attempts_path) as attempts:
            yield attempts
            # Old records go: the file stays small however many names were tried.
            horizon = datetime.now(UTC) - timedelta(minutes=2 * self.lock_minutes)
            for key in [k for k, r in attempts.items() if _stale(r, horizon)]:
                del attempts[key]

    def token(self, learner_id: str) -> str:
        """The learner's personal link key; it changes when their code changes (lost card)."""
        check_learner_id(learner_id)
        entry = self._load()["learners"].get(learner_id)
        if entry is None:
            raise UnknownLearner(learner_id)
        return f"{learner_id}.{self._signature(learner_id, entry)}"

    def new_link(self, learner_id: str) -> str:
        """A fresh personal link for this learner, keeping their code; the previous link stops
        working (a link is spent at its first use, see `course.access.sessions`)."""
        data = self._load()
        entry = data["learners"].get(learner_id)
        if entry is None:
            raise UnknownLearner(learner_id)
        entry["link_salt"] = secrets.token_hex(16)
        self._save(data)
        return self.token(learner_id)

    def _signature(self, learner_id: str, entry: dict) -> str:
        salt = entry.get("link_salt") or entry["salt"]
        message = f"{learner_id}:{salt}".encode()
        return hmac.new(self._secret(), message, hashlib.sha256).hexdigest()[:32]

    def from_token(self, token: str) -> Learner:
        """The learner a personal link proves; refuse forged, altered, revoked or unknown links."""
        learner_id, _, sig = (token or "").partition(".")
        try:
            check_learner_id(learner_id)
        except InvalidLearnerId:
            raise SignInError("Ce lien personnel n'est pas valable.") from None
        entry = self._load()["learners"].get(learner_id)
        # (compare_digest refuses non-ASCII text: anything but hex is refused before it)
        if entry is None or not re.fullmatch(r"[0-9a-f]{32}", sig):
            raise SignInError("Ce lien personnel n'est pas valable.")
        if not hmac.compare_digest(sig, self._signature(learner_id, entry)):
            raise SignInError("Ce lien personnel n'est pas valable.")
        return Learner(learner_id, entry["name"])
