"""The hub's proxy (`python -m course.hub.proxy`, the Python configurable-http-proxy) forwards a
crowd's requests at once: tornado's client allowed 10 and answered the others 503 « Timeout in
request queue » after 20 s, which gave sixty learners opening their page together the hub's
error page (issue 20's benchmark). It also passes a page on as it comes: Voilà streams its
pages, and the package sent nothing before the whole page was there. Real proxy, real backend on
loopback, slow like a page that renders for seconds.
"""

from __future__ import annotations

import asyncio
import gzip
import os
import subprocess
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor

import httpx
import pytest
from support.project import free_port
from tornado.httpserver import HTTPServer
from tornado.web import Application, RequestHandler
from tornado.websocket import WebSocketHandler, websocket_connect

SLOW_SECONDS = 8
SLOWER_THAN_TORNADO = 24  # a page drawn in more than tornado's default 20 s is still forwarded
CROWD = 40  # with 10 at a time, the last ones would wait 24-32 s: past the 20 s queue timeout


class Slow(RequestHandler):
    async def get(self) -> None:
        slower = self.request.path.endswith("/lente")
        await asyncio.sleep(SLOWER_THAN_TORNADO if slower else SLOW_SECONDS)
        self.write("ok")


STREAM_SECONDS = 6
FIRST_PART = "<p>La page arrive…</p>"
LAST_PART = "<p>Voici vos questions 📝</p>"
ZIPPED = gzip.compress(("Réponse compressée. " * 500).encode())


class Streaming(RequestHandler):
    """Like Voilà: the top of the page at once, the rest when the kernel has drawn it."""

    async def get(self) -> None:
        self.set_header("Content-Type", "text/html; charset=UTF-8")
        self.write(FIRST_PART)
        await self.flush()
        await asyncio.sleep(STREAM_SECONDS)
        self.write(LAST_PART)


class Zipped(RequestHandler):
    def get(self) -> None:
        self.set_header("Content-Encoding", "gzip")
        self.set_header("Content-Type", "text/plain; charset=UTF-8")
        self.write(ZIPPED)


class Missing(RequestHandler):
    def get(self) -> None:
        self.set_status(404)
        self.set_header("X-Cible", "introuvable")
        self.write("Page introuvable")


class EchoOnceThenClose(WebSocketHandler):
    """A kernel's socket that its server closes (Voilà does when a kernel goes or a ping is
    late): the first message is echoed, then the socket is closed."""

    def on_message(self, message: str | bytes) -> None:
        self.write_message(message, binary=isinstance(message, bytes))
        self.close(1001, "au revoir")


def backend(port: int) -> None:
    async def serve() -> None:
        routes = [(r"/flux", Streaming), (r"/zip", Zipped), (r"/absente", Missing)]
        routes += [(r"/noyau", EchoOnceThenClose), (r".*", Slow)]
        HTTPServer(Application(routes)).listen(port, "127.0.0.1")
        await asyncio.Event().wait()

    asyncio.run(serve())


@pytest.fixture(scope="module")
def proxy_port():
    target, port, api = free_port(), free_port(), free_port()
    threading.Thread(target=backend, args=(target,), daemon=True).start()
    command = [sys.executable, "-m", "course.hub.proxy", "--ip", "127.0.0.1", "--port", str(port)]
    command += ["--api-ip", "127.0.0.1", "--api-port", str(api)]
    command += ["--default-target", f"http://127.0.0.1:{target}"]
    env = {**os.environ, "CONFIGPROXY_AUTH_TOKEN": "jeton-de-test"}
    proxy = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 60
        while True:
            assert proxy.poll() is None, "the proxy stopped at start"
            try:
                httpx.get(f"http://127.0.0.1:{api}/api/routes", timeout=2)
                break
            except httpx.HTTPError:
                assert time.monotonic() < deadline, "the proxy did not start"
                time.sleep(0.2)
        yield port
    finally:
        proxy.terminate()
        proxy.wait(timeout=30)


def test_the_page_starts_before_it_ends(proxy_port):
    started = time.monotonic()
    with httpx.stream("GET", f"http://127.0.0.1:{proxy_port}/flux", timeout=60) as reply:
        chunks = reply.iter_text()
        first = next(chunks)
        first_seconds = time.monotonic() - started
        rest = "".join(chunks)
    assert reply.status_code == 200
    assert reply.headers["content-type"] == "text/html; charset=UTF-8"
    assert first.startswith("<p>La page")
    assert first_seconds < STREAM_SECONDS / 2, "the proxy held the page back until its end"
    assert first + rest == FIRST_PART + LAST_PART
    assert time.monotonic() - started >= STREAM_SECONDS


def test_status_headers_and_compressed_bodies_pass_unchanged(proxy_port):
    zipped = httpx.get(
        f"http://127.0.0.1:{proxy_port}/zip", headers={"Accept-Encoding": "gzip"}, timeout=30
    )
    assert zipped.headers["content-encoding"] == "gzip"
    assert zipped.text == "Réponse compressée. " * 500  # httpx inflates what came zipped
    assert int(zipped.headers.get("content-length", len(ZIPPED))) == len(ZIPPED)
    missing = httpx.get(f"http://127.0.0.1:{proxy_port}/absente", timeout=30)
    assert (missing.status_code, missing.text) == (404, "Page introuvable")
    assert missing.headers["x-cible"] == "introuvable"


def test_a_socket_its_target_closes_is_closed_for_the_browser_too(proxy_port):
    """Left open, the page believed its kernel connected and what the learner sent next went
    nowhere; closed, the page reconnects and sends again what was not confirmed."""
    seen: dict = {}

    async def talk() -> None:
        socket = await websocket_connect(f"ws://127.0.0.1:{proxy_port}/noyau")
        await socket.write_message(b"\x00r\xc3\xa9ponse", binary=True)
        seen["echo"] = await asyncio.wait_for(socket.read_message(), 10)
        seen["after"] = await asyncio.wait_for(socket.read_message(), 10)  # None: closed
        seen["code"] = socket.close_code

    # In its own thread: a sync Playwright of another test file may run a loop in this one.
    worker = threading.Thread(target=lambda: asyncio.run(talk()))
    worker.start()
    worker.join(30)
    assert seen.get("echo") == b"\x00r\xc3\xa9ponse"  # binary, as sent
    assert "after" in seen, "the browser's socket stayed open after its target closed"
    assert seen["after"] is None and seen["code"] == 1001


def test_the_proxy_forwards_a_crowd_at_once(proxy_port):
    port = proxy_port

    def fetch(_n: int) -> int:
        return httpx.get(f"http://127.0.0.1:{port}/page", timeout=120).status_code

    started = time.monotonic()
    with ThreadPoolExecutor(CROWD + 1) as pool:
        slow_page = pool.submit(
            lambda: httpx.get(f"http://127.0.0.1:{port}/page/lente", timeout=120)
        )
        statuses = list(pool.map(fetch, range(CROWD)))
        slow_reply = slow_page.result()
    assert statuses == [200] * CROWD
    assert (slow_reply.status_code, slow_reply.text) == (200, "ok")
    assert time.monotonic() - started < SLOWER_THAN_TORNADO + 2 * SLOW_SECONDS  # together
