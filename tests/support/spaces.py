"""An in-process client for the private spaces, like JupyterHub's test helpers
(`get_page`, `api_request`): the spaces' own tornado handlers in an `Application`, served on a
loopback port by this process, and a client that keeps cookies as a browser does.

It signs in through the real gate (the link token `course serve` prints, or the password),
sends the CSRF value on every POST (`_jeton` from the page's `data-jeton`, or the `X-Jeton`
header for the API) and follows redirects only when asked. A request takes milliseconds: no
Voilà, no browser. What only a browser proves (the script's live updates, axe) stays in the
browser journeys.

    with SpaceClient(project) as trainer:      # the trainer's space, "/atelier/"
        trainer.sign_in()                      # the link token, from 127.0.0.1
        page = trainer.post("", workshop_form())
        assert page.status == 303
"""

from __future__ import annotations

import asyncio
import json
import threading
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from http.cookies import SimpleCookie
from typing import Any
from urllib.parse import urlencode, urljoin, urlsplit

from bs4 import BeautifulSoup
from tornado.httpclient import AsyncHTTPClient, HTTPResponse
from tornado.httpserver import HTTPServer
from tornado.testing import bind_unused_port
from tornado.web import Application

# What the create form sends when the trainer fills in everything La Coop needs.
WORKSHOP_FORM = {
    "module": "essai",
    "start": "14:00",
    "duration": "90",
    "place": "Médiathèque, salle 2",
    "trainer": "Camille Martin",
}


def workshop_form(**changes: str) -> dict[str, str]:
    """The trainer's create form, filled in (today, 14 h 00, 90 minutes…), with `changes`."""
    from datetime import datetime
    from zoneinfo import ZoneInfo

    today = datetime.now(ZoneInfo("Europe/Paris")).date().isoformat()
    return {**WORKSHOP_FORM, "day": today, **changes}


def save_site_settings(project, name: str = "Médiathèque d'essai") -> None:
    """The trainer's first visit done: the site's settings saved (`var/site.json`)."""
    from course.workshops.site import SiteProfile, save_profile

    save_profile(project.data_dir, SiteProfile(name, ["Médiathèque, salle 2"], ["Camille Martin"]))


# Generous: the first enrolment of a test session imports nbgrader on a busy two-core machine.
TIMEOUT = 300


def space_rules(project, base_url: str = "/") -> list:
    """Every space's tornado rules, as `course serve` mounts them under its base URL (the one
    call to the mount)."""
    from course.server.spaces import space_handlers

    return space_handlers(project, base_url)


class Page:
    """One response: status, headers, body; its HTML parsed on demand (BeautifulSoup)."""

    def __init__(self, response: HTTPResponse, url: str):
        self.status = response.code
        self.headers = response.headers
        self.body = response.body or b""
        self.url = url  # the path asked last (after redirects, when followed)
        self._soup: BeautifulSoup | None = None

    @property
    def text(self) -> str:
        return self.body.decode("utf-8")

    @property
    def location(self) -> str:
        return self.headers.get("Location", "")

    def json(self) -> Any:
        return json.loads(self.body)

    @property
    def soup(self) -> BeautifulSoup:
        if self._soup is None:
            self._soup = BeautifulSoup(self.text, "html.parser")
        return self._soup

    def words(self) -> str:
        """The page's visible text, spaces collapsed (what a person reads)."""
        return " ".join(self.soup.get_text(" ").split())

    def row(self, name: str):
        """The table row whose text holds `name` (a learner's row)."""
        found = [tr for tr in self.soup.find_all("tr") if name in tr.get_text()]
        assert found, f"no row for {name!r} in {self.url}"
        return found[0]

    def status_text(self) -> str:
        """What the page's `role=status` (a notice) or `role=alert` (an error) says."""
        found = self.soup.select('[role="status"], [role="alert"]')
        return " ".join(" ".join(el.get_text(" ").split()) for el in found)


class SpaceClient:
    """One browser (its own cookies) on the spaces of `project`, for the space of `role`,
    mounted under `base_url` as `course serve` would (Voilà's `base_url`). Its server and
    client run on an event loop in a thread of their own, so it works in any test, a browser
    test included (Playwright's sync API runs a loop in the test's thread: `asyncio.run` fails
    there)."""

    def __init__(self, project, role: str = "trainer", base_url: str = "/",
                 rules: list | None = None):  # fmt: skip
        """`rules`: other tornado rules than the mounted spaces' (a test's own handler of a
        space), each with its `space` keyword."""
        self.project = project
        rules = space_rules(project, base_url) if rules is None else rules
        spaces = {kw["space"].role: kw["space"] for _path, _cls, kw in rules}
        self.space = spaces[role]
        self.cookies: dict[str, str] = {}
        self.jeton = ""
        # The server and the client run on an event loop in a thread of their own: the test's
        # thread may already run one (Playwright's sync API does, in browser tests).
        self.loop = asyncio.new_event_loop()
        self.thread = threading.Thread(target=self.loop.run_forever, daemon=True)
        self.thread.start()
        self.run(self._listen, rules)

    async def _listen(self, rules: list) -> None:
        sock, self.port = bind_unused_port()
        self.server = HTTPServer(Application(rules))
        self.server.add_sockets([sock])
        self.http = AsyncHTTPClient(force_instance=True)
        self.base = f"http://127.0.0.1:{self.port}"

    def close(self) -> None:
        async def stop() -> None:
            self.server.stop()
            await self.server.close_all_connections()
            self.http.close()
            await self.loop.shutdown_default_executor()

        self.run(stop)
        self.loop.call_soon_threadsafe(self.loop.stop)
        self.thread.join(timeout=30)
        self.loop.close()

    def __enter__(self) -> SpaceClient:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def run(self, function: Any, *args: Any, **kwargs: Any) -> Any:
        """`function(*args, **kwargs)` awaited on this client's loop, from the test's thread."""

        async def call() -> Any:
            return await function(*args, **kwargs)

        return asyncio.run_coroutine_threadsafe(call(), self.loop).result(TIMEOUT + 30)

    # --- requests ---

    def path(self, path: str) -> str:
        """A path of this space (`"ateliers/1"`), or an absolute one (`"/coordination/"`)."""
        return path if path.startswith("/") else self.space.url(path)

    def fetch(
        self,
        path: str,
        method: str = "GET",
        body: bytes | None = None,
        headers: dict[str, str] | None = None,
        follow: bool = False,
    ) -> Page:
        url = self.path(path)
        for _hop in range(10):
            sent = dict(headers or {})
            if self.cookies:
                sent["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
            response = self.run(self.http.fetch, self.base + url, method=method, body=body,
                                headers=sent, follow_redirects=False, raise_error=False,
                                request_timeout=TIMEOUT)  # fmt: skip
            self._keep_cookies(response)
            page = Page(response, url)
            if not (follow and page.status in (301, 302, 303, 307, 308)):
                break
            url = urlsplit(urljoin(url, page.location)).path + _query(page.location)
            if page.status == 303:
                method, body = "GET", None
        if "text/html" in page.headers.get("Content-Type", "") and page.status == 200:
            found = page.soup.body.get("data-jeton") if page.soup.body else None
            self.jeton = str(found or self.jeton)
        return page

    def get(self, path: str = "", follow: bool = False) -> Page:
        return self.fetch(path, follow=follow)

    def post(self, path: str, form: dict | list | None = None, follow: bool = False,
             jeton: bool = True, files: dict[str, list[tuple[str, bytes]]] | None = None,
             ) -> Page:  # fmt: skip
        """A form sent as a browser would, with the page's `_jeton` (`jeton=False`: without);
        `files` (field -> [(file name, content)]) sends it as multipart, as a file input does."""
        fields = list(form.items()) if isinstance(form, dict) else list(form or [])
        if jeton:
            fields.append(("_jeton", self.jeton))
        if files:
            body, kind = _multipart(fields, files)
        else:
            body, kind = urlencode(fields).encode(), "application/x-www-form-urlencoded"
        return self.fetch(path, "POST", body, {"Content-Type": kind}, follow)

    def api(self, path: str, method: str = "GET") -> Page:
        """A call of the space's script: JSON, the CSRF value in `X-Jeton`."""
        headers = {"X-Jeton": self.jeton, "Accept": "application/json"}
        return self.fetch(path, method, b"" if method == "POST" else None, headers)

    def _keep_cookies(self, response: HTTPResponse) -> None:
        """Keep what `Set-Cookie` sets, forget what it clears (tornado's `clear_cookie`: an
        empty value that expired a year ago)."""
        for header in response.headers.get_list("Set-Cookie"):
            cookie = SimpleCookie()
            cookie.load(header)
            for name, morsel in cookie.items():
                expires = morsel["expires"] and parsedate_to_datetime(morsel["expires"])
                gone = expires and expires < datetime.now(UTC)
                if morsel.value and morsel["max-age"] != "0" and not gone:
                    self.cookies[name] = morsel.value
                else:
                    self.cookies.pop(name, None)

    # --- signing in ---

    def sign_in(self, password: str | None = None) -> Page:
        """In through the gate, as the person would: the link token `course serve` prints (this
        process is 127.0.0.1), or the password; then on the space's home page."""
        from course.access.gate import Gate

        if password is None:
            token = Gate(self.project, self.space.role).issue_link_token()
            page = self.get("connexion?" + urlencode({"jeton": token}))
        else:
            self.get("connexion")
            page = self.post("connexion", {"mot_de_passe": password})
        assert page.status == 303, page.text
        return self.get(page.location, follow=True)  # the first visit goes on to the settings


@dataclass
class Reply:
    status: int
    body: str
    headers: dict[str, str]
    cookies: dict[str, str]  # set by the reply


def ask(
    space,
    path: str,
    *,
    method: str = "GET",
    form: dict[str, str] | None = None,
    headers: dict[str, str] | None = None,
    cookies: dict[str, str] | None = None,
) -> Reply:
    """One request to `space`'s own rules (`Space.handlers()`, e.g. with a test's identity
    provider), from 127.0.0.1, with exactly these cookies and form (no `_jeton` added)."""
    with SpaceClient(space.project, role=space.role, rules=space.handlers()) as client:
        client.cookies = dict(cookies or {})
        body = urlencode(form or {}).encode() if method == "POST" else None
        page = client.fetch(path, method, body, headers)
    jar: SimpleCookie = SimpleCookie()
    for line in page.headers.get_list("Set-Cookie"):
        jar.load(line)
    set_now = {name: morsel.value for name, morsel in jar.items()}
    return Reply(page.status, page.text, dict(page.headers), set_now)


def _query(location: str) -> str:
    query = urlsplit(location).query
    return f"?{query}" if query else ""


def _multipart(fields: list, files: dict[str, list[tuple[str, bytes]]]) -> tuple[bytes, str]:
    """A `multipart/form-data` body (RFC 7578), as a browser sends a form with files."""
    boundary = "----atelier" + uuid.uuid4().hex
    parts = []
    for name, value in fields:
        head = f'Content-Disposition: form-data; name="{name}"'
        parts.append(f"{head}\r\n\r\n".encode() + str(value).encode())
    for name, uploads in files.items():
        for filename, content in uploads:
            head = f'Content-Disposition: form-data; name="{name}"; filename="{filename}"'
            kind = "Content-Type: application/octet-stream"
            parts.append(f"{head}\r\n{kind}\r\n\r\n".encode() + content)
    sep = f"--{boundary}\r\n".encode()
    body = b"".join(sep + part + b"\r\n" for part in parts) + f"--{boundary}--\r\n".encode()
    return body, f"multipart/form-data; boundary={boundary}"
