"""Both private spaces served under a base URL, as behind a proxy (`/hub/services/site-brest/`):
every link, form action, script address, redirect and cookie path stays under it.

The spaces' tornado rules run in-process (`space_handlers(project, BASE)`), with a client that
keeps cookies as a browser does (sent only under their path), so a cookie with the wrong path
shows up as a refused page.
"""

from __future__ import annotations

import asyncio
import re
from concurrent.futures import ThreadPoolExecutor
from html.parser import HTMLParser
from http.cookies import SimpleCookie
from typing import Any
from urllib.parse import urlencode, urljoin, urlsplit

import pytest
from support.spaces import save_site_settings, workshop_form
from tornado.httpclient import AsyncHTTPClient, HTTPResponse
from tornado.httpserver import HTTPServer
from tornado.testing import bind_unused_port
from tornado.web import Application

from course.access.gate import Gate
from course.server.spaces import space_handlers

BASE = "/hub/services/site-brest/"
URL_ATTRIBUTES = {"href", "src", "action", "data-url", "data-start", "data-status"}


class Addresses(HTMLParser):
    """Every address a page gives out (links, forms, scripts, the URLs space.js calls)."""

    def __init__(self) -> None:
        super().__init__()
        self.found: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.found += [value for name, value in attrs if name in URL_ATTRIBUTES and value]


def addresses(html: str) -> list[str]:
    parser = Addresses()
    parser.feed(html)
    return parser.found


class Browser:
    """An HTTP client for the in-process server: follows no redirect, keeps cookies by path."""

    def __init__(self, root: str) -> None:
        self.root = root
        self.cookies: dict[str, tuple[str, str]] = {}  # name -> (value, path)
        self.set_cookie_paths: list[str] = []
        self.client = AsyncHTTPClient(force_instance=True)

    async def request(self, path: str, form: dict[str, Any] | None = None) -> HTTPResponse:
        sent = "; ".join(
            f"{name}={value}"
            for name, (value, where) in self.cookies.items()
            if urlsplit(path).path.startswith(where)
        )
        response = await self.client.fetch(
            self.root + path,
            method="POST" if form is not None else "GET",
            body=urlencode(form, doseq=True) if form is not None else None,
            headers={"Cookie": sent} if sent else {},
            follow_redirects=False,
            raise_error=False,
        )
        for header in response.headers.get_list("Set-Cookie"):
            for name, morsel in SimpleCookie(header).items():
                self.set_cookie_paths.append(morsel["path"])
                if morsel["max-age"] == "0" or "1970" in morsel["expires"]:
                    self.cookies.pop(name, None)
                else:
                    self.cookies[name] = (morsel.value, morsel["path"])
        return response


def under_base(page: str, address: str) -> bool:
    return urlsplit(urljoin(page, address)).path.startswith(BASE)


async def visit(browser: Browser, path: str, seen: list[str]) -> str:
    """A page that must be served (200), its addresses added to `seen` (resolved)."""
    response = await browser.request(path)
    assert response.code == 200, (path, response.code)
    html = response.body.decode()
    seen += [urljoin(path, a) for a in addresses(html)]
    return html


def serve_and_run(project: Any, journey: Any) -> Any:
    async def main() -> Any:
        app = Application(space_handlers(project, BASE))
        sock, port = bind_unused_port()
        server = HTTPServer(app)
        server.add_sockets([sock])
        try:
            return await journey(Browser(f"http://127.0.0.1:{port}"))
        finally:
            server.stop()

    # In a thread of its own: Playwright's sync API (browser tests of the same session) leaves
    # an event loop running in the main thread.
    with ThreadPoolExecutor(1) as pool:
        return pool.submit(asyncio.run, main()).result()


def space_link(project: Any, role: str, prefix: str) -> tuple[str, str]:
    """The space's home under the base URL and its one-time sign-in link."""
    home = BASE + prefix + "/"
    return home, f"{home}connexion?jeton={Gate(project, role).issue_link_token()}"


def test_the_trainers_space_stays_under_the_base_url(essai_project):
    project = essai_project
    save_site_settings(project)  # past the first visit's settings
    home, link = space_link(project, "trainer", "atelier")
    seen: list[str] = []

    async def journey(browser: Browser) -> dict[str, Any]:
        outside = await browser.request("/atelier/")  # the old absolute prefix serves nothing
        signed_in = await browser.request(link)
        bare = await browser.request(BASE + "atelier")
        await visit(browser, home, seen)
        module = project.catalogue.modules[0].id
        form = {"_jeton": Gate(project, "trainer").csrf_for(browser.cookies["atelier-trainer"][0])}
        made = await browser.request(home, {**form, **workshop_form(module=module, trainer="Sam")})
        workshop = made.headers["Location"].split("?")[0]
        enrolled = await browser.request(workshop, {**form, "op": "inscrire", "name": "Zoé"})
        group = await visit(browser, workshop, seen)
        for page in ("suivi", "correction", "resultats"):
            await visit(browser, f"{workshop}/{page}?module={module}", seen)
        static = await browser.request(home + "static/space.js")
        cards = await browser.request(workshop + "/cartes.pdf")
        signed_out = await browser.request(BASE + "atelier/deconnexion", form)
        after = await browser.request(home)
        return locals()

    r = serve_and_run(project, journey)
    assert r["outside"].code == 404
    assert r["signed_in"].code == 303 and r["signed_in"].headers["Location"] == home
    assert r["bare"].headers["Location"] == home
    assert r["made"].code == 303 and r["workshop"].startswith(home + "ateliers/")
    assert r["enrolled"].code == 303 and r["enrolled"].headers["Location"].startswith(home)
    assert "Zoé" in r["group"]
    # The room's address (printed on the cards) is this server's, under the base URL.
    assert re.search(r"127\.0\.0\.1:\d+/hub/services/site-brest\b", r["group"])
    assert r["static"].code == 200 and r["cards"].code == 200
    assert r["cards"].body.startswith(b"%PDF")
    assert r["signed_out"].code == 303 and r["signed_out"].headers["Location"] == BASE
    assert r["after"].code == 403  # the cookie was cleared on its own path
    assert set(r["browser"].set_cookie_paths) == {home}
    assert len(seen) > 20
    assert [a for a in seen if not under_base(BASE, a)] == []
    assert {BASE + "atelier/static/space.css", BASE + "atelier/static/space.js"} <= set(seen)


def test_the_coordinators_space_stays_under_the_base_url(essai_project):
    project = essai_project
    home, link = space_link(project, "coordinator", "coordination")
    seen: list[str] = []

    async def journey(browser: Browser) -> dict[str, Any]:
        signed_in = await browser.request(link)
        for page in ("", "apprenants", "paquets"):
            await visit(browser, home + page, seen)
        exports = sorted({a for a in seen if "/exports/" in a})
        downloads = [(await browser.request(a)).code for a in exports]
        # A site with nothing held yet gets a French « nothing to send », not a refusal.
        bundle = await browser.request(home + "paquet-du-site.zip")
        return locals()

    r = serve_and_run(project, journey)
    assert r["signed_in"].code == 303 and r["signed_in"].headers["Location"] == home
    assert len(r["exports"]) > 5 and set(r["downloads"]) == {200}
    assert r["bundle"].code in (200, 400) and "Accès réservé" not in r["bundle"].body.decode()
    assert set(r["browser"].set_cookie_paths) == {home}
    assert [a for a in seen if not under_base(BASE, a)] == []


@pytest.mark.parametrize("base", ["/", "/hub/services/site-brest/"])
def test_space_addresses_are_joined_to_the_base_url(essai_project, base):
    from course.trainer.space import trainer_space

    space = trainer_space(essai_project)
    rules = space.handlers(base)
    assert space.url() == base + "atelier/"
    assert space.url("/ateliers/3") == base + "atelier/ateliers/3"
    patterns = [pattern for pattern, _cls, _kw in rules]
    assert all(re.match(pattern + "$", base + "atelier") or
               pattern.startswith(re.escape(base + "atelier/")) for pattern in patterns)  # fmt: skip
