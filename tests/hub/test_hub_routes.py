"""Every route the server of a hub site registers is guarded, and the list is known.

The server is built in process exactly as `course serve --hub-site` builds it (its configuration,
`AtelierVoila`'s settings and rules, a tornado `Application` as Voilà makes one), then every rule
of every router is walked. A route that appears (a new Voilà, a new space, a new provider page)
fails this test until it is added below, after checking that the guard is right for it.
"""

from __future__ import annotations

import asyncio
import threading
from typing import Any

import pytest
from support.project import essai_project_at

PREFIX = "/services/site-a/"
KERNEL = r"(?P<kernel_id>\w+-\w+-\w+-\w+-\w+)"
SPACE_COMMON = [r"static/([a-z0-9-]+\.(?:css|js|svg))", "", "/deconnexion"]
# Relative to the site's prefix (the spaces' patterns are escaped, Voilà's are not: as given).
EXPECTED = {
    # Voilà (voila.app.Voila.init_handlers, directory mode, preheated kernels)
    f"api/kernels/{KERNEL}",
    f"api/kernels/{KERNEL}/channels",
    "voila/templates/(.*)",
    "voila/static/(.*)",
    "voila/api/themes/(.*)",
    "voila/api/shutdown/(.*)",
    f"voila/query/{KERNEL}",
    "voila/labextensions/(.*)",
    "voila/files/(.*)",
    "",
    "voila/tree(?P<path>(?:(?:/[^/]+)+|/?))",
    "voila/render/(.*)",
    "voila/api/contents(?P<path>(?:(?:/[^/]+)+|/?))",
    # the read-aloud audio (course.server.listen): a signed-in page's POST only
    "lecture",
    # jupyter_server's identity provider (Voilà mounts its handlers at the root)
    "/logout",
    # the trainer's space (course.trainer.space)
    "atelier/static/([a-z0-9-]+\\.(?:css|js|svg))",
    "atelier",
    "atelier/deconnexion",
    "atelier/",
    "atelier/ateliers/(\\d{1,9})",
    "atelier/ateliers/(\\d{1,9})/cartes\\.pdf",
    "atelier/ateliers/(\\d{1,9})/suivi",
    "atelier/ateliers/(\\d{1,9})/correction",
    "atelier/ateliers/(\\d{1,9})/resultats",
    "atelier/ateliers/(\\d{1,9})/debloquer",
    "atelier/ateliers/(\\d{1,9})/nouveau-code",
    "atelier/ateliers/(\\d{1,9})/documents",
    "atelier/ateliers/(\\d{1,9})/documents/(emargement\\.pdf|attestations\\.pdf|resultats\\.pdf|"
    "(?:resultats|activite)\\.(?:csv|xlsx))",
    "atelier/ateliers/(\\d{1,9})/modifier",
    "atelier/ateliers/(\\d{1,9})/presences",
    "atelier/envoyer",
    "atelier/envoyer/paquet\\.zip",
    "atelier/envoyer/appareil",
    "atelier/envoyer/maintenant",
    "atelier/reglages",
    "atelier/vers-la-coordination",
    "atelier/api/ateliers/(\\d{1,9})/suivi",
    "atelier/api/ateliers/(\\d{1,9})/etapes/(ouvrir|ramasser|corriger|rendre)",
    "atelier/api/taches/(\\d{1,9})",
    # the coordination space (course.coordinator.space): refused to everyone at a site
    "coordination/static/([a-z0-9-]+\\.(?:css|js|svg))",
    "coordination",
    "coordination/deconnexion",
    "coordination/",
    "coordination/apprenants",
    "coordination/paquets",
    "coordination/exports/([a-z-]{1,40})\\.(xlsx|csv)",
    "coordination/paquet-du-site\\.zip",
    "coordination/appareils",
    "coordination/api/envoi",
}


def _walk(router: Any):
    for rule in router.rules:
        if hasattr(rule.target, "rules"):
            yield from _walk(rule.target)
        else:
            yield rule.matcher.regex.pattern.removesuffix("$"), rule.target, rule.target_kwargs


@pytest.fixture
def server_rules(tmp_path, monkeypatch):
    """The hub site's tornado application, built as `course serve --hub-site a` builds it."""
    import tornado.web

    from course.server.launcher import AtelierVoila
    from course.server.serve import build_site, voila_config

    project = essai_project_at(tmp_path / "a")
    monkeypatch.chdir(project.root)
    for name, value in {
        "JUPYTERHUB_API_TOKEN": "jeton-de-test",
        "JUPYTERHUB_CLIENT_ID": "service-site-a",
        "JUPYTERHUB_API_URL": "http://127.0.0.1:9/hub/api",
        "JUPYTERHUB_SERVICE_PREFIX": PREFIX,
        "JUPYTERHUB_OAUTH_CALLBACK_URL": f"{PREFIX}oauth_callback",
        "COURSE_HUB_SITE": "a",
    }.items():
        monkeypatch.setenv(name, value)
    no_pool = {"default": {"pool_size": 0}}  # the routes without starting kernels
    app = AtelierVoila(config=voila_config(project, "127.0.0.1", 9, no_pool, hub_site="a"))
    app.initialize([str(build_site(project))])
    app.connection_dir = str(tmp_path)
    web = tornado.web.Application(**app.init_settings())  # as Voilà's start() does
    web.add_handlers(".*$", app.init_handlers())
    return list(_walk(web.default_router))


def test_every_route_of_a_hub_site_is_known_and_guarded(server_rules):
    from voila.request_info_handler import RequestInfoSocketHandler

    from course.server.hub_guard import Guarded, HubGuard, QueryGuard

    callback = [pattern for pattern, cls, _kw in server_rules if not issubclass(cls, Guarded)]
    assert callback == [r"/services/site\-a/oauth_callback"]
    found = set()
    for pattern, cls, _kwargs in server_rules:
        if not issubclass(cls, Guarded):
            continue
        relative = pattern.replace(r"/services/site\-a/", "").replace(PREFIX, "")
        found.add(relative)
        expected_guard = QueryGuard if issubclass(cls, RequestInfoSocketHandler) else HubGuard
        assert isinstance(cls.atelier_guard, expected_guard), pattern
    assert found == EXPECTED, (
        f"new routes to check: {sorted(found - EXPECTED)}; gone: {sorted(EXPECTED - found)}"
    )


def test_every_route_answers_403_or_the_hub_to_a_request_without_a_hub_token(server_rules):
    """The guard runs before any handler: no token, no page (tornado's own test client)."""
    from tornado.httputil import HTTPHeaders, HTTPServerRequest, RequestStartLine
    from tornado.web import Application

    from course.server.hub_guard import Guarded

    app = Application(cookie_secret="secret-de-test")
    for pattern, cls, kwargs in server_rules:
        if not issubclass(cls, Guarded):
            continue
        request = HTTPServerRequest(
            start_line=RequestStartLine("POST", "/x", "HTTP/1.1"),
            headers=HTTPHeaders({"Host": "127.0.0.1:9"}),
            connection=_Connection(),
        )
        handler = cls(app, request, **kwargs)
        handler.path_args, handler.path_kwargs, handler._transforms = [], {}, []
        _run_alone(handler.prepare)
        assert handler._finished, pattern
        assert handler.get_status() == 403, pattern


def _run_alone(start: Any) -> None:
    """Run a coroutine on an event loop of its own, in a thread: Playwright's sync API may hold
    one in this thread when browser tests ran before in the same process."""
    failures: list[BaseException] = []

    def run() -> None:
        try:
            asyncio.run(start())
        except BaseException as exc:  # handed back to the test's thread
            failures.append(exc)

    thread = threading.Thread(target=run)
    thread.start()
    thread.join()
    if failures:
        raise failures[0]


class _Connection:
    """What tornado's handler needs of a connection to answer (the answer is kept)."""

    def __init__(self) -> None:
        self.context = None

    def set_close_callback(self, _callback: Any) -> None:
        pass

    def write_headers(self, start_line: Any, headers: Any, chunk: bytes = b"") -> Any:
        return _done()

    def write(self, chunk: bytes) -> Any:
        return _done()

    def finish(self) -> None:
        pass


def _done() -> Any:
    future = asyncio.get_event_loop().create_future()
    future.set_result(None)
    return future


class _OpenChannel:
    """What the recheck reads of an open kernel channel: its socket, its token, its close."""

    def __init__(self) -> None:
        self.ws_connection = object()
        self.atelier_hub_token = "jeton-d-un-apprenant"
        self.closed: list[tuple[int, str]] = []

    def close(self, code: int, reason: str) -> None:
        self.closed.append((code, reason))


def test_a_recheck_the_hub_does_not_answer_closes_no_channel(server_rules):
    """The hub busy or restarting (here: nothing listens at its API's address) is not a
    sign-out: every open channel stays open, and the recheck itself does not fail."""
    from course.access.hub import HubIdentity
    from course.server.hub_guard import HubGuard
    from course.settings import Project

    guard = HubGuard(HubIdentity(Project(), site="a"))
    channels = [_OpenChannel(), _OpenChannel()]
    for channel in channels:
        guard.channels.add(channel)  # type: ignore[arg-type]
    _run_alone(guard.recheck_channels)
    assert [channel.closed for channel in channels] == [[], []]
    assert len(guard.channels) == 2
