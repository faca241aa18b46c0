"""Signed-in browsers: a random session per sign-in, kept server-side until « Se déconnecter ».

Computers in a médiathèque are shared, and whatever a browser keeps (address bar, history,
storage) is seen by the next person. So the permanent proofs of who a learner is (the card's
code, the card's link `?cle=`) are only ever *exchanged* for a session:

- a session token is random (`secrets`), stored here hashed (reading `var/` gives no usable
  token) and kept by the browser in the cookie `atelier_session` (the only way Voilà lets a
  page's kernel see something from the browser without putting it in the address:
  `VoilaConfiguration.http_header_envs = ["Cookie"]`). The server sets that cookie
  (`course.access.room_web.LearnerSessionHandler`): HttpOnly, so no page script reads it, and
  without an expiry, so closing the browser forgets it;
- a session ends on the server after `LearnerSessions.idle_minutes` without the learner doing
  anything (a page opened, an answer, a key or a click on a page: the page tells the server),
  so a learner who walks away without « Se déconnecter » does not leave the next person signed
  in as them; « Se déconnecter » ends it at once. A browser's copy is then worthless;
- a card's link is *spent* at its first use, whoever was signed in on that browser before:
  Chromium keeps `?cle=` in its history even after `history.replaceState`, so the next person
  must not be able to open it again. The card's QR code stays useful all the same: a spent link
  opens the sign-in form with the learner's first name already written, and asks only the code
  on the card. It is no credential: the first name is no secret, the code is not in the link. A
  new card (`course cards --reset-codes`) gives a new link.

Every kernel shares `var/sessions.json`; it is read and written under a lock, atomically.
"""

from __future__ import annotations

import contextlib
import hashlib
import re
import secrets
import time
from collections.abc import Iterator
from pathlib import Path

from traitlets import Float
from traitlets.config import Config, Configurable

from course.access.request import cookie_value
from course.access.roster import Learner, Roster, SignInError
from course.core.files import locked_json, now_iso

COOKIE = "atelier_session"
TOKEN_PATTERN = re.compile(r"^[A-Za-z0-9_-]{20,100}$")
SPENT = (
    "Ce lien personnel a déjà servi. Pour entrer, écrivez votre prénom et votre code ci-dessous."
)


SEEN_EVERY = 5.0  # seconds: a session's last activity is written at most this often


class LearnerSessions(Configurable):
    """Learners' sessions on this laptop: `c.LearnerSessions.<name>` in nbgrader_config.py."""

    idle_minutes = Float(
        20.0,
        help="Minutes without any activity (a page opened, an answer, a key or a click on a "
        "page) after which a learner's session ends: on a library's shared computer, whoever "
        "sits down next finds the sign-in form. 0: never (not for shared computers).",
    ).tag(config=True)


def _digest(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


def token_from_cookies(header: str | None) -> str | None:
    """The session token in a `Cookie:` header, if it has the shape of one."""
    value = cookie_value(header, COOKIE)
    return value if value is not None and TOKEN_PATTERN.match(value) else None


class SignInSessions:
    """The sessions of every browser signed in to this laptop, in `<data_dir>/sessions.json`.

    `sessions` maps a token's SHA-256 to the learner it signs in; `spent` lists the SHA-256 of
    each card link already exchanged for a session.
    """

    def __init__(self, data_dir: Path, config: Config | None = None):
        self.data_dir = Path(data_dir)
        self.path = self.data_dir / "sessions.json"
        self.idle_seconds = 60 * LearnerSessions(config=config).idle_minutes

    @contextlib.contextmanager
    def _locked(self) -> Iterator[dict]:
        # Missing or damaged: everybody signs in again, nobody gets in wrongly.
        with locked_json(self.path) as data:
            data.setdefault("sessions", {})
            data.setdefault("spent", {})
            yield data

    def _idle(self, entry: object, now: float) -> bool:
        """An entry that signs nobody in any more: damaged, or idle for too long."""
        if not isinstance(entry, dict) or not isinstance(entry.get("learner"), str):
            return True
        seen = entry.get("seen")
        if not isinstance(seen, int | float):
            return True
        return bool(self.idle_seconds) and now - seen > self.idle_seconds

    def create(self, learner_id: str) -> str:
        """A new session for this learner; the token is returned once, for the browser. Idle
        sessions of anybody are dropped on the way: the file stays small."""
        token = secrets.token_urlsafe(32)
        now = time.time()
        with self._locked() as data:
            for key in [k for k, v in data["sessions"].items() if self._idle(v, now)]:
                del data["sessions"][key]
            data["sessions"][_digest(token)] = {
                "learner": learner_id,
                "created": now_iso(),
                "seen": now,
            }
        return token

    def learner_id(self, token: str | None, touch: bool = True) -> str | None:
        """Who a session token signs in (None: no token, unknown, signed out, or idle for
        longer than `idle_minutes`, which ends it). `touch`: this is the learner's activity."""
        return self._lookup(token, touch)[0]

    def remaining(self, token: str | None, touch: bool = False) -> float | None:
        """Seconds before the session ends if nothing happens (None: it already has; `inf`:
        no idle limit); `touch` counts now as activity."""
        return self._lookup(token, touch)[1]

    def _lookup(self, token: str | None, touch: bool) -> tuple[str | None, float | None]:
        if not token or not TOKEN_PATTERN.match(token):
            return None, None
        now = time.time()
        with self._locked() as data:
            key = _digest(token)
            entry = data["sessions"].get(key)
            if entry is None:
                return None, None
            if self._idle(entry, now):
                del data["sessions"][key]
                return None, None
            if touch and now - entry["seen"] >= SEEN_EVERY:
                entry["seen"] = now
            seen = entry["seen"]
        left = self.idle_seconds - (now - seen) if self.idle_seconds else float("inf")
        return entry["learner"], max(0.0, left)

    def revoke(self, token: str | None) -> None:
        """« Se déconnecter »: this token signs nobody in any more."""
        if not token:
            return
        with self._locked() as data:
            data["sessions"].pop(_digest(token), None)

    def revoke_learner(self, learner_id: str) -> int:
        """Sign a learner out everywhere (a new card: whoever found the old one is out too)."""
        with self._locked() as data:
            mine = [k for k, v in data["sessions"].items() if v.get("learner") == learner_id]
            for key in mine:
                del data["sessions"][key]
        return len(mine)

    def spend_link(self, link: str) -> bool:
        """Mark a card link as used; False when it already was (it opens nothing any more)."""
        with self._locked() as data:
            key = _digest(link)
            if key in data["spent"]:
                return False
            data["spent"][key] = now_iso()
            return True

    def is_spent(self, link: str) -> bool:
        with self._locked() as data:
            return _digest(link) in data["spent"]


class SpentLink(SignInError):
    """A genuine card link, already used: the sign-in form says so, with the learner's first
    name already written (`name`), so the card's QR code still helps: only the code is asked."""

    def __init__(self, learner: Learner) -> None:
        super().__init__(SPENT)
        self.learner_id, self.name = learner.id, learner.name


def exchange_link(roster: Roster, link: str, config: Config | None = None) -> tuple[Learner, str]:
    """A card's link, at its first use, for (the learner, a new session token).

    Raises SignInError (French) for a forged or revoked link, and SpentLink for a link already
    used.
    """
    learner = roster.from_token(link)
    sessions = SignInSessions(roster.data_dir, config)
    if not sessions.spend_link(link):
        raise SpentLink(learner)
    return learner, sessions.create(learner.id)
