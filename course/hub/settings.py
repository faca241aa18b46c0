"""The hub's one configuration file, `<hub>/hub.toml`: its address, HTTPS, database, idle time,
the sites (slug, name, trainers, port) and the staff accounts.

An administrator may edit it by hand; `course hub add-site`, `add-trainer`, `add-coordinator`
and `set-email` edit it too, in place (tomlkit): what they do not change, comments included,
stays as the administrator wrote it. Every reading checks it
completely (`HubConfigError`, French) before anything starts: a site named twice, a trainer in
no site or a site naming an undeclared trainer, a bad slug or username.

    [hub]
    public_url = "https://hub.example.fr"   # what learners type and cards print (empty: guessed)
    ip = "0.0.0.0"
    port = 8443                 # HTTPS
    http_port = 8080            # plain HTTP: a redirect to HTTPS only (0: none)
    ssl_cert = "/etc/ssl/hub.pem"
    ssl_key = "/etc/ssl/hub.key"
    db_url = ""                 # empty: SQLite in <hub>/prive/; else postgresql+psycopg://...
    idle_minutes = 30
    session_hours = 8
    coordinators = ["claire"]

    [trainers]
    marie = "Marie Dupont"

    [[sites]]
    slug = "brest"
    name = "Médiathèque de Brest"
    trainers = ["marie"]
    port = 8870

    [proconnect]                # optional: staff sign in with ProConnect (course.hub.proconnect)
    issuer = "https://auth.agentconnect.gouv.fr/api/v2"
    client_id = "..."           # the secret: <hub>/prive/proconnect-secret (0600), never here

    [emails]                    # the ProConnect e-mail of a trainer or coordinator
    marie = "marie.dupont@brest.fr"
"""

from __future__ import annotations

import json
import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from course.access.hub_names import LEARNER_PREFIX, InvalidSiteSlug, check_site_slug
from course.core.errors import UserError
from course.core.files import atomic_write
from course.hub import layout

STAFF_NAME = re.compile(r"^[a-z][a-z0-9_-]{1,31}$")
EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
PUBLIC_URL = re.compile(r"^https?://[^/\s?#@]+(/[^\s?#]*)?$")
FIRST_SITE_PORT = 8870
COORDINATION_SERVICE = "coordination"


class HubConfigError(UserError, ValueError):
    """The hub's configuration cannot be used as it is (French message for the administrator)."""


@dataclass
class Site:
    slug: str
    name: str
    trainers: list[str] = field(default_factory=list)
    port: int = 0


@dataclass
class HubSettings:
    """What hub.toml says, checked."""

    ip: str = "127.0.0.1"
    # The address people use to reach the hub ("https://hub.example.fr"): the sites' services
    # print it on the sign-in cards and show it in the trainer space. Empty: the hub's own
    # listening address (its network address when it listens on 0.0.0.0).
    public_url: str = ""
    port: int = 8443
    http_port: int = 8080
    hub_port: int = 8081
    proxy_api_port: int = 8001
    coordination_port: int = 8869
    ssl_cert: str = ""
    ssl_key: str = ""
    db_url: str = ""
    idle_minutes: float = 30.0
    session_hours: float = 8.0
    # False: the hub signs people in and starts no service (checks of the sign-in alone).
    start_services: bool = True
    # The coordination space as a hub service (`course serve --hub-coordination`), every site
    # read live; it starts once the hub has a site (its folder is made by `add-site`).
    coordination_service: bool = True
    coordinators: list[str] = field(default_factory=list)
    trainers: dict[str, str] = field(default_factory=dict)
    sites: list[Site] = field(default_factory=list)
    # ProConnect for the staff ([proconnect] issuer, client_id) and their e-mails ([emails]).
    proconnect_issuer: str = ""
    proconnect_client_id: str = ""
    emails: dict[str, str] = field(default_factory=dict)

    def site(self, slug: str) -> Site:
        for site in self.sites:
            if site.slug == slug:
                return site
        known = ", ".join(s.slug for s in self.sites) or "aucun"
        raise HubConfigError(f"Le site « {slug} » n'existe pas sur ce hub (sites : {known}).")

    def trainer_sites(self, username: str) -> list[str]:
        return [s.slug for s in self.sites if username in s.trainers]

    def next_port(self) -> int:
        used = {s.port for s in self.sites}
        port = FIRST_SITE_PORT
        while port in used or port in (self.coordination_port, self.hub_port):
            port += 1
        return port


def check_staff_name(name: str) -> str:
    """A staff username: a hub username that is readable, URL-safe and never a learner's."""
    if not isinstance(name, str) or not STAFF_NAME.match(name) or name.startswith(LEARNER_PREFIX):
        raise HubConfigError(
            f"Identifiant invalide : {name!r} (2 à 32 caractères : lettres minuscules sans "
            f"accent, chiffres, - et _, commençant par une lettre, pas par « {LEARNER_PREFIX} »)."
        )
    return name


def _typed(table: dict[str, Any], key: str, kind: type, default: Any, where: str) -> Any:
    value = table.get(key, default)
    if kind is float and isinstance(value, int) and not isinstance(value, bool):
        value = float(value)
    if not isinstance(value, kind) or (isinstance(value, bool) and kind is not bool):
        raise HubConfigError(f"Dans {where}, « {key} » n'a pas le bon type : {value!r}.")
    return value


def parse(data: dict[str, Any], where: str = layout.CONFIG_NAME) -> HubSettings:
    """Check a parsed hub.toml completely; the first problem found is raised, in French."""
    hub = data.get("hub", {})
    defaults = HubSettings()
    settings = HubSettings(
        **{
            key: _typed(hub, key, type(getattr(defaults, key)), getattr(defaults, key), where)
            for key in (
                "ip",
                "public_url",
                "port",
                "http_port",
                "hub_port",
                "proxy_api_port",
                "coordination_port",
                "ssl_cert",
                "ssl_key",
                "db_url",
                "idle_minutes",
                "session_hours",
                "start_services",
                "coordination_service",
            )
        }  # fmt: skip
    )
    settings.public_url = settings.public_url.strip().rstrip("/")
    if settings.public_url and not PUBLIC_URL.match(settings.public_url):
        raise HubConfigError(
            f"Dans {where}, « public_url » doit être l'adresse du hub telle que les gens la "
            f"tapent, par exemple « https://hub.example.fr » : {settings.public_url!r}."
        )
    if settings.idle_minutes <= 0 or settings.session_hours <= 0:
        raise HubConfigError(f"Dans {where}, « idle_minutes » et « session_hours » sont positifs.")
    settings.coordinators = [check_staff_name(n) for n in hub.get("coordinators", [])]
    trainers = data.get("trainers", {})
    if not isinstance(trainers, dict):
        raise HubConfigError(
            f"Dans {where}, la section « trainers » associe un identifiant à un nom."
        )
    settings.trainers = {check_staff_name(k): str(v) for k, v in trainers.items()}
    seen: set[str] = set()
    for entry in data.get("sites", []):
        try:
            slug = check_site_slug(entry.get("slug", ""))
        except InvalidSiteSlug as error:
            raise HubConfigError(f"Dans {where} : {error}") from None
        if slug in seen:
            raise HubConfigError(f"Dans {where}, le site « {slug} » est déclaré deux fois.")
        seen.add(slug)
        site = Site(
            slug=slug,
            name=_typed(entry, "name", str, slug, where),
            trainers=[check_staff_name(n) for n in entry.get("trainers", [])],
            port=_typed(entry, "port", int, 0, where),
        )
        for name in site.trainers:
            if name not in settings.trainers:
                raise HubConfigError(
                    f"Dans {where}, le site « {slug} » nomme « {name} », qui n'est pas déclaré "
                    f"dans la section « trainers » (course hub add-trainer {name} --site {slug})."
                )
        settings.sites.append(site)
    for site in settings.sites:
        site.port = site.port or settings.next_port()
    for name in settings.trainers:
        if not settings.trainer_sites(name):
            raise HubConfigError(
                f"Dans {where}, le formateur « {name} » n'est rattaché à aucun site : ajoutez-le "
                "à la liste « trainers » d'un site, ou retirez-le de la section « trainers »."
            )
    ports = [settings.port, settings.hub_port, settings.proxy_api_port, settings.coordination_port]
    ports += [s.port for s in settings.sites] + ([settings.http_port] if settings.http_port else [])
    if len(set(ports)) != len(ports):
        raise HubConfigError(f"Dans {where}, deux services ont le même port : {sorted(ports)}.")
    if bool(settings.ssl_cert) != bool(settings.ssl_key):
        raise HubConfigError(f"Dans {where}, donnez « ssl_cert » et « ssl_key » ensemble.")
    _parse_proconnect(data, settings, where)
    return settings


def _parse_proconnect(data: dict[str, Any], settings: HubSettings, where: str) -> None:
    """[proconnect] (issuer and client id, together; HTTPS but on loopback) and [emails]: one
    e-mail per declared trainer or coordinator, no e-mail twice (it decides who signs in)."""
    section = data.get("proconnect", {})
    settings.proconnect_issuer = _typed(section, "issuer", str, "", where).rstrip("/")
    settings.proconnect_client_id = _typed(section, "client_id", str, "", where)
    issuer = settings.proconnect_issuer
    if bool(issuer) != bool(settings.proconnect_client_id):
        raise HubConfigError(f"Dans {where}, donnez « issuer » et « client_id » de ProConnect.")
    if issuer and not re.match(r"^(https://|http://127\.0\.0\.1[:/])", issuer):
        raise HubConfigError(f"Dans {where}, l'adresse de ProConnect doit commencer par https://.")
    emails = data.get("emails", {})
    if not isinstance(emails, dict):
        raise HubConfigError(
            f"Dans {where}, la section « emails » associe un identifiant à un e-mail."
        )
    staff = {*settings.trainers, *settings.coordinators}
    for name, email in emails.items():
        if name not in staff:
            raise HubConfigError(
                f"Dans {where}, la section « emails » nomme « {name} », qui n'est ni formateur "
                "ni coordinateur de ce hub."
            )
        if not isinstance(email, str) or not EMAIL.match(email.strip()):
            raise HubConfigError(
                f"Dans {where}, l'e-mail de « {name} » n'est pas valide : {email!r}."
            )
        email = email.strip().lower()
        if email in settings.emails.values():
            raise HubConfigError(f"Dans {where}, l'e-mail {email} est donné à deux personnes.")
        settings.emails[name] = email


def load(hub_dir: Path) -> HubSettings:
    """The hub's settings, checked; a missing or unreadable file is a French error."""
    path = layout.config_path(hub_dir)
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise HubConfigError(
            f"Pas de configuration de hub ici : {path} n'existe pas (course hub init)."
        ) from None
    except tomllib.TOMLDecodeError as error:
        raise HubConfigError(f"Le fichier {path} est mal écrit : {error}.") from None
    return parse(data, str(path))


HUB_KEYS = (
    "ip", "public_url", "port", "http_port", "hub_port", "proxy_api_port", "coordination_port",
    "ssl_cert", "ssl_key", "db_url", "idle_minutes", "session_hours", "start_services",
    "coordination_service", "coordinators",
)  # fmt: skip


def _value(value: Any) -> str:
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False)  # a TOML basic string is a JSON string
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list):
        return "[" + ", ".join(_value(v) for v in value) + "]"
    return repr(value)


def dumps(settings: HubSettings) -> str:
    lines = [
        "# Configuration du hub (course hub). Modifiable à la main ; vérifiée au démarrage.",
        "",
    ]
    lines.append("[hub]")
    for key in HUB_KEYS:
        lines.append(f"{key} = {_value(getattr(settings, key))}")
    lines += ["", "[trainers]"]
    lines += [f"{name} = {_value(full)}" for name, full in settings.trainers.items()]
    for site in settings.sites:
        lines += ["", "[[sites]]", f"slug = {_value(site.slug)}", f"name = {_value(site.name)}"]
        lines += [f"trainers = {_value(site.trainers)}", f"port = {site.port}"]
    if settings.proconnect_issuer:
        lines += ["", "[proconnect]", f"issuer = {_value(settings.proconnect_issuer)}"]
        lines.append(f"client_id = {_value(settings.proconnect_client_id)}")
    if settings.emails:
        lines += ["", "[emails]"]
        lines += [f"{name} = {_value(email)}" for name, email in settings.emails.items()]
    return "\n".join(lines) + "\n"


def _sync(table: Any, values: dict[str, Any], drop_others: bool = True) -> None:
    """Make a tomlkit table hold `values`, touching only the keys whose value changes (an
    unchanged line keeps its comment; a changed one keeps its end-of-line comment too)."""
    if drop_others:
        for key in [k for k in table if k not in values]:
            del table[key]
    for key, value in values.items():
        if key not in table or table[key] != value:
            table[key] = value


def edited(text: str, settings: HubSettings) -> str:
    """hub.toml's `text` changed to say `settings`, comments and layout kept where unchanged."""
    import tomlkit

    doc = tomlkit.parse(text)
    hub = doc.setdefault("hub", tomlkit.table())
    _sync(hub, {key: getattr(settings, key) for key in HUB_KEYS}, drop_others=False)
    _sync(doc.setdefault("trainers", tomlkit.table()), dict(settings.trainers))
    if "sites" not in doc:
        doc.append("sites", tomlkit.aot())
    sites = doc["sites"]
    wanted = {site.slug for site in settings.sites}
    for index in reversed(range(len(sites))):
        if sites[index].get("slug") not in wanted:
            del sites[index]
    for site in settings.sites:
        table = next((t for t in sites if t.get("slug") == site.slug), None)
        if table is None:
            table = tomlkit.table()
            sites.append(table)
        values = {
            "slug": site.slug,
            "name": site.name,
            "trainers": site.trainers,
            "port": site.port,
        }
        _sync(table, values, drop_others=False)
    if settings.proconnect_issuer:
        values = {"issuer": settings.proconnect_issuer, "client_id": settings.proconnect_client_id}
        _sync(doc.setdefault("proconnect", tomlkit.table()), values)
    elif "proconnect" in doc:
        del doc["proconnect"]
    if settings.emails or "emails" in doc:
        _sync(doc.setdefault("emails", tomlkit.table()), dict(settings.emails))
    # A key added at a table's end comes after its blank line: one again before each header
    # (not between a header and the comment above it).
    return re.sub(r"(\n[^#\n][^\n]*)\n(\[)", r"\1\n\n\2", tomlkit.dumps(doc))


def save(hub_dir: Path, settings: HubSettings) -> Path:
    """Write hub.toml: a new one whole (`dumps`), an existing one edited in place (`edited`),
    after checking that what is written reads back as `settings` (else it is written whole)."""
    path = layout.config_path(hub_dir)
    text = dumps(settings)
    if path.is_file():
        try:
            kept = edited(path.read_text(encoding="utf-8"), settings)
            if parse(tomllib.loads(kept)) == settings:
                text = kept
        except Exception:  # a layout tomlkit cannot keep (dotted keys, inline tables…)
            pass
    parse(tomllib.loads(text))
    return atomic_write(path, text)
