"""Our Voilà (`course.server.launcher.AtelierVoila`) built in-process, under a base URL set in
nbgrader_config.py (`c.ServeSettings.base_url`), as `course serve` configures it: the spaces come
before Voilà's rules, Voilà's own pages follow the base URL, and static files are gzipped once.

No kernel is started (no preheated pool, no page rendered): the pages' journeys are the browser
tests' (tests/learner/test_browser_room.py runs the kernel cap and the shutdown beacon).
"""

from __future__ import annotations

import asyncio
import gzip
import signal
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from tornado.httpclient import AsyncHTTPClient
from tornado.httpserver import HTTPServer
from tornado.testing import bind_unused_port
from tornado.web import Application

from course.server.launcher import AtelierVoila
from course.server.serve import ServeSettings, build_site, server_env, voila_config
from course.server.static_gzip import COMPRESSED, STATIC_PREFIXES, GZip
from course.settings import Project

BASE = "/hub/services/site-brest/"


def voila_under_base(project: Project, monkeypatch) -> AtelierVoila:
    with (project.root / "nbgrader_config.py").open("a", encoding="utf-8") as config:
        config.write(f'\nc.ServeSettings.base_url = "{BASE.strip("/")}"\n')  # slashes added
    project = Project(project.root)
    assert ServeSettings(config=project.config).base_url == BASE
    for name, value in server_env(project, "127.0.0.1").items():
        if name in ("JUPYTER_PATH", "COURSE_ROOT"):
            monkeypatch.setenv(name, value)
    config = voila_config(project, "127.0.0.1", 8866, pools={"default": {"pool_size": 0}})
    voila = AtelierVoila(config=config)
    previous = signal.getsignal(signal.SIGTERM)
    voila.initialize([str(build_site(project))])
    signal.signal(signal.SIGTERM, previous)  # Voilà's own handler is for its own process
    return voila


def test_our_voila_serves_spaces_and_pages_under_the_base_url(essai_project, monkeypatch):
    voila = voila_under_base(essai_project, monkeypatch)
    static = Path(next(p for p in voila.static_paths if (Path(p) / "voila.js").is_file()))

    async def journey() -> dict:
        app = Application(**voila.init_settings())
        app.add_handlers(".*$", voila.init_handlers())
        sock, port = bind_unused_port()
        server = HTTPServer(app)
        server.add_sockets([sock])
        client = AsyncHTTPClient(force_instance=True)

        async def get(path: str, **headers: str):
            url = f"http://127.0.0.1:{port}{path}"
            return await client.fetch(url, headers=headers, raise_error=False, decompress_response=False, follow_redirects=False)  # fmt: skip

        try:
            return {
                "tree": await get(BASE),
                "space": await get(BASE + "atelier/"),
                "old_space": await get("/atelier/"),
                "plain": await get(BASE + "voila/static/voila.js"),
                "first": await get(BASE + "voila/static/voila.js", **{"Accept-Encoding": "gzip"}),
                "again": await get(BASE + "voila/static/voila.js", **{"Accept-Encoding": "gzip"}),
            }
        finally:
            server.stop()
            await voila.kernel_manager.shutdown_all()

    with ThreadPoolExecutor(1) as pool:  # Playwright may hold the main thread's event loop
        r = pool.submit(asyncio.run, journey()).result()
    # The learners' home (our tree.html) leads to the catalogue under the base URL.
    assert r["tree"].code == 200
    assert f'href="{BASE}voila/render/index.ipynb"' in r["tree"].body.decode()
    # The trainer's space answers first (Voilà would 404), in French, under the base only.
    assert r["space"].code == 403 and "réservée" in r["space"].body.decode()
    assert r["old_space"].code == 404
    # gzip is applied, and the second request is served from the compressed copy in memory.
    original = (static / "voila.js").read_bytes()
    assert r["plain"].body == original and "Content-Encoding" not in r["plain"].headers
    assert r["first"].headers["Content-Encoding"] == "gzip"
    assert gzip.decompress(r["first"].body) == original
    assert r["again"].body == r["first"].body and r["again"].body in COMPRESSED.values()


def test_the_gzip_transform_knows_static_files_under_the_base_url():
    under = GZip.under(BASE)
    assert under.static_prefixes == tuple(BASE + p for p in STATIC_PREFIXES)
    assert GZip.static_prefixes == ("/voila/static/", "/voila/templates/", "/voila/labextensions/")


def test_the_launcher_knows_the_room_address_under_the_base_url():
    voila = AtelierVoila(ip="127.0.0.1", port=8899, base_url=BASE)
    assert voila.room_url == "http://127.0.0.1:8899/hub/services/site-brest"
    assert AtelierVoila(ip="127.0.0.1", port=8866).room_url == "http://127.0.0.1:8866"
