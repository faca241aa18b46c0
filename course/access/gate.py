"""Who may enter a private space: a role, proven by a link token or a password, kept by a cookie.

- **Link token** (this computer): `course serve` makes a fresh random token per role at each
  start (`issue_link_token`) and prints the link; only its SHA-256 is kept, in
  `var/access/<role>.token` (owner only). It is accepted from the loopback address only, so a
  link seen on a projected screen opens nothing from another computer. (Behind a proxy every
  request comes from the loopback address: such a site needs another identity provider,
  `course.access.provider`.)
- **Password** (another computer): an scrypt hash kept in `var/access/<role>.password` (owner
  only), written by the trainer's settings page or `course mot-de-passe`; never in
  `nbgrader_config.py`, which git tracks. A deployer may still set `c.TrainerAccess.password_hash`
  (or `CoordinatorAccess`) there: set explicitly, it wins, like any traitlets setting. The lines
  older versions wrote there are moved to `var/access/` once (`migrate_old_passwords`). Wrong
  passwords from one address are slowed down (`max_failures`, then `lock_minutes`).
- **Cookie**: either proof is exchanged for a cookie `atelier-<role>` = role, expiry and an
  HMAC with a secret kept in `var/access/cookie.key`; HttpOnly, SameSite=Strict, limited to the
  space's path, Secure over HTTPS, and without an expiry of its own: closing the browser forgets
  it (a space is often opened on the reception desk's shared computer). Forms and scripts also
  send a CSRF value derived from that cookie.
- **Server-side sessions**: a cookie opens the space only while the server keeps it, in
  `var/access/<role>-sessions.json` (hashed): « Se déconnecter » ends it (`end`), and so do
  `idle_minutes` without any request from that browser, and `session_hours` in all. A copy kept
  by the browser, or copied elsewhere, then opens nothing; the page asks to sign in again.

`course.access.room.RoomIdentity` asks a gate per role; the sign-in pages are in
`course.access.room_web`.
"""

from __future__ import annotations

import contextlib
import hashlib
import hmac
import re
import secrets
import stat
import time
from pathlib import Path

from traitlets import Float, Int, Unicode
from traitlets.config import Config, Configurable

from course.core.files import (
    PRIVATE_DIR,
    atomic_write,
    locked_json,
    private_dir,
    private_write,
    secret_key,
)
from course.settings import CONFIG_FILE, Project

LOOPBACK = {"127.0.0.1", "::1", "::ffff:127.0.0.1"}
SCRYPT = {"n": 2**14, "r": 8, "p": 1}
SEEN_EVERY = 5.0  # seconds: a session's last request is written at most this often


class SpaceAccess(Configurable):
    """How one role gets in; each role has its own subclass, so its own config section."""

    password_hash = Unicode(
        "",
        help="scrypt hash of the password that opens this space from another computer; set it "
        "with `course mot-de-passe`. Empty: only the link printed by `course serve` opens it.",
    ).tag(config=True)
    session_hours = Int(
        12, help="Hours at most a sign-in to this space lasts, however active the browser."
    ).tag(config=True)
    idle_minutes = Float(
        30.0,
        help="Minutes without any page of this space asked after which its sign-in ends: on "
        "a shared computer (a reception desk), the next person finds the sign-in page. 0: "
        "never (not for shared computers).",
    ).tag(config=True)
    max_failures = Int(5, help="Wrong passwords in a row from one address before a pause.").tag(
        config=True
    )
    lock_minutes = Int(5, help="Minutes an address waits after too many wrong passwords.").tag(
        config=True
    )


class TrainerAccess(SpaceAccess):
    """The trainer's space (`/atelier/`): `c.TrainerAccess.<name>`."""


class CoordinatorAccess(SpaceAccess):
    """The coordinator's space (`/coordination/`): `c.CoordinatorAccess.<name>`."""


ACCESS_CLASSES: dict[str, type[SpaceAccess]] = {
    "trainer": TrainerAccess,
    "coordinator": CoordinatorAccess,
}
ROLE_PATTERN = re.compile(r"^[a-z]{1,30}$")


def _check_role(role: str) -> str:
    if role not in ACCESS_CLASSES or not ROLE_PATTERN.match(role):
        raise ValueError(f"unknown role {role!r}")
    return role


def _digest(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


def access_dir(project: Project) -> Path:
    folder = private_dir(project.data_dir / "access")
    folder.chmod(PRIVATE_DIR)  # also when an older copy made it with the default mode
    return folder


def hash_password(password: str) -> str:
    salt = secrets.token_bytes(16)
    digest = hashlib.scrypt(
        password.encode(), salt=salt, n=SCRYPT["n"], r=SCRYPT["r"], p=SCRYPT["p"]
    )
    return f"scrypt${SCRYPT['n']}${SCRYPT['r']}${SCRYPT['p']}${salt.hex()}${digest.hex()}"


def check_password(password: str, stored: str) -> bool:
    try:
        kind, n, r, p, salt, digest = stored.split("$")
        if kind != "scrypt":
            return False
        found = hashlib.scrypt(
            password.encode(), salt=bytes.fromhex(salt), n=int(n), r=int(r), p=int(p)
        )
    except ValueError:
        return False
    return hmac.compare_digest(found.hex(), digest)


# The line `course mot-de-passe` wrote into nbgrader_config.py before passwords moved to var/.
OLD_LINE = re.compile(
    r'^c\.(TrainerAccess|CoordinatorAccess)\.password_hash = "(scrypt\$[^"]*)"\s*$'
)


def password_file(project: Project, role: str) -> Path:
    return project.data_dir / "access" / f"{_check_role(role)}.password"


def migrate_old_passwords(project: Project) -> list[str]:
    """Move the password hashes older versions wrote into nbgrader_config.py (a tracked file)
    to `var/access/<role>.password`, and take them out of that file and of `project.config`;
    a hash already saved in var/ is kept. Returns the roles moved."""
    path = project.root / CONFIG_FILE
    roles = {cls.__name__: role for role, cls in ACCESS_CLASSES.items()}
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except OSError:
        return []
    moved, kept = [], []
    for line in lines:
        found = OLD_LINE.match(line)
        if not found:
            kept.append(line)
            continue
        role = roles[found.group(1)]
        if not password_file(project, role).exists():
            access_dir(project)
            private_write(password_file(project, role), found.group(2))
        project.config[found.group(1)].pop("password_hash", None)
        moved.append(role)
    if moved:
        mode = stat.S_IMODE(path.stat().st_mode)
        atomic_write(path, "\n".join(kept) + "\n")
        path.chmod(mode)
    return moved


def configured_password(project: Project, role: str) -> bool:
    """Whether a deployer set this role's hash in nbgrader_config.py (it then wins)."""
    return bool(ACCESS_CLASSES[_check_role(role)](config=project.config).password_hash)


def set_password(project: Project, role: str, password: str) -> Path:
    """Save the role's password hash in `var/access/<role>.password` (replacing an older one);
    an older one in nbgrader_config.py is taken out of it first."""
    if len(password) < 8:
        raise ValueError("Le mot de passe doit avoir au moins 8 caractères.")
    migrate_old_passwords(project)
    access_dir(project)
    return private_write(password_file(project, role), hash_password(password))


class Gate:
    """The access checks of one role on one project (used by every handler of its space)."""

    def __init__(self, project: Project, role: str, config: Config | None = None):
        self.project = project
        self.role = _check_role(role)
        migrate_old_passwords(project)
        self.settings = ACCESS_CLASSES[role](config=config or project.config)
        self.cookie_name = f"atelier-{role}"
        self._failures: dict[str, tuple[int, float]] = {}  # address -> (count, locked until)

    # --- secrets ---

    def _secret(self) -> bytes:
        return secret_key(access_dir(self.project) / "cookie.key")

    def _sign(self, message: str) -> str:
        return hmac.new(self._secret(), message.encode(), hashlib.sha256).hexdigest()

    # --- the link token ---

    def issue_link_token(self) -> str:
        """A new link token for this role (the previous one stops working)."""
        token = secrets.token_urlsafe(24)
        digest = hashlib.sha256(token.encode()).hexdigest()
        private_write(access_dir(self.project) / f"{self.role}.token", digest)
        return token

    def check_link_token(self, token: str, address: str) -> bool:
        if address not in LOOPBACK or not token:
            return False
        try:
            stored = (access_dir(self.project) / f"{self.role}.token").read_text().strip()
        except FileNotFoundError:
            return False
        return hmac.compare_digest(hashlib.sha256(token.encode()).hexdigest(), stored)

    # --- the password ---

    @property
    def password_hash(self) -> str:
        """The deployer's hash when set in nbgrader_config.py, else the one saved in var/
        (read at each use: a password chosen in the settings page counts at once)."""
        if self.settings.password_hash:
            return str(self.settings.password_hash)
        try:
            return password_file(self.project, self.role).read_text(encoding="utf-8").strip()
        except OSError:
            return ""

    @property
    def has_password(self) -> bool:
        return bool(self.password_hash)

    def locked(self, address: str) -> bool:
        count, until = self._failures.get(address, (0, 0.0))
        return until > time.time()

    def check_password(self, password: str, address: str) -> bool:
        if self.locked(address) or not self.has_password:
            return False
        if check_password(password, self.password_hash):
            self._failures.pop(address, None)
            return True
        count = self._failures.get(address, (0, 0.0))[0] + 1
        until = time.time() + 60 * self.settings.lock_minutes
        self._failures[address] = (count, until if count >= self.settings.max_failures else 0.0)
        return False

    # --- the cookie ---

    def new_cookie(self) -> str:
        """A new signed cookie, kept as a session on the server (old sessions go on the way)."""
        now = time.time()
        expiry = int(now) + 3600 * self.settings.session_hours
        body = f"{self.role}:{expiry}:{secrets.token_hex(8)}"
        value = f"{body}:{self._sign(body)}"
        with self._sessions() as sessions:
            for key in [k for k, v in sessions.items() if self._over(v, now)]:
                del sessions[key]
            sessions[_digest(value)] = {"expiry": expiry, "seen": now}
        return value

    def check_cookie(self, value: str | None) -> bool:
        """A genuine cookie of this role whose session the server still keeps; this request
        counts as the browser's activity."""
        if not self._expiry(value):
            return False
        now = time.time()
        with self._sessions() as sessions:
            key = _digest(str(value))
            entry = sessions.get(key)
            if entry is None:
                return False
            if self._over(entry, now):
                del sessions[key]
                return False
            if now - entry["seen"] >= SEEN_EVERY:
                entry["seen"] = now
        return True

    def _over(self, entry: object, now: float) -> bool:
        """A session that opens nothing any more: damaged, expired, or idle for too long."""
        if not isinstance(entry, dict):
            return True
        seen, expiry = entry.get("seen"), entry.get("expiry")
        if not isinstance(seen, int | float) or not isinstance(expiry, int | float):
            return True
        idle = 60 * self.settings.idle_minutes
        return expiry < now or (idle > 0 and now - seen > idle)

    def _expiry(self, value: str | None) -> int:
        """When a genuine, unexpired cookie of this role expires (0: not one)."""
        if not value:
            return 0
        body, _, signature = value.rpartition(":")
        role, _, rest = body.partition(":")
        expiry = rest.partition(":")[0]
        if role != self.role or not expiry.isdigit() or int(expiry) < time.time():
            return 0
        return int(expiry) if hmac.compare_digest(signature, self._sign(body)) else 0

    def _sessions(self) -> contextlib.AbstractContextManager[dict]:
        """This role's sessions (SHA-256 of the cookie -> expiry, last request), under a lock.
        Missing or damaged: everybody signs in again, nobody gets in wrongly."""
        return locked_json(access_dir(self.project) / f"{self.role}-sessions.json")

    def end(self, value: str | None) -> None:
        """Sign-out: this cookie opens nothing any more, even where a browser kept a copy."""
        if value:
            with self._sessions() as sessions:
                sessions.pop(_digest(value), None)

    def csrf_for(self, cookie: str) -> str:
        return self._sign(f"csrf:{cookie}")[:32]

    def check_csrf(self, cookie: str | None, given: str | None) -> bool:
        return bool(cookie and given) and hmac.compare_digest(
            self.csrf_for(cookie or ""), given or ""
        )
