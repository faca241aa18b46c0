"""Signed-in browsers: a random session per sign-in, kept server-side until « Se déconnecter ».

Computers in a médiathèque are shared, and whatever a browser keeps (address bar, history,
storage) is seen by the next person. So the permanent proofs of who a learner is (the card's
code, the card's link `?cle=`) are only ever *exchanged* for a session:

- a session token is random (`secrets`), handed to the browser once, kept there in a cookie (the
  only way Voilà lets a page's kernel see something from the browser without putting it in the
  address: `VoilaConfiguration.http_header_envs = ["Cookie"]`), and stored here hashed, so
  reading `var/` does not give a usable token;
- « Se déconnecter » revokes it here: the cookie the browser may still hold is then worthless;
- a card's link is *spent* at its first use: Chromium keeps `?cle=` in its history even after
  `history.replaceState`, so the next person must not be able to open it again. A later visit
  asks for the first name and code; a new card (`course cards --reset-codes`) gives a new link.

Every kernel shares `var/sessions.json`; it is read and written under a lock, atomically.
"""

from __future__ import annotations

import contextlib
import hashlib
import re
import secrets
from collections.abc import Iterator
from pathlib import Path

from course.access.request import cookie_value
from course.access.roster import Learner, Roster, SignInError
from course.core.files import locked_json, now_iso

COOKIE = "atelier_session"
TOKEN_PATTERN = re.compile(r"^[A-Za-z0-9_-]{20,100}$")
SPENT = (
    "Ce lien personnel a déjà servi. Pour entrer, écrivez votre prénom et votre code ci-dessous."
)


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

    def __init__(self, data_dir: Path):
        self.data_dir = Path(data_dir)
        self.path = self.data_dir / "sessions.json"

    @contextlib.contextmanager
    def _locked(self) -> Iterator[dict]:
        # Missing or damaged: everybody signs in again, nobody gets in wrongly.
        with locked_json(self.path) as data:
            data.setdefault("sessions", {})
            data.setdefault("spent", {})
            yield data

    def create(self, learner_id: str) -> str:
        """A new session for this learner; the token is returned once, for the browser."""
        token = secrets.token_urlsafe(32)
        with self._locked() as data:
            data["sessions"][_digest(token)] = {"learner": learner_id, "created": now_iso()}
        return token

    def learner_id(self, token: str | None) -> str | None:
        """Who a session token signs in (None: no token, unknown, or signed out)."""
        if not token or not TOKEN_PATTERN.match(token):
            return None
        with self._locked() as data:
            entry = data["sessions"].get(_digest(token))
        return entry["learner"] if isinstance(entry, dict) else None

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


def exchange_link(roster: Roster, link: str) -> tuple[Learner, str]:
    """A card's link, at its first use, for (the learner, a new session token).

    Raises SignInError (French) for a forged or revoked link, and for a link already used.
    """
    learner = roster.from_token(link)
    sessions = SignInSessions(roster.data_dir)
    if not sessions.spend_link(link):
        raise SignInError(SPENT)
    return learner, sessions.create(learner.id)
