"""A preheated kernel gets its request even from a busy server: Voilà's request socket
(`voila/query/<kernel id>`) may refuse a first handshake or take longer than one attempt's old
5 s, and the kernel tries again; a refusal for good (403) is not retried."""

from __future__ import annotations

import asyncio
import http
import json
import threading
import time
import warnings
from collections.abc import Iterator

import pytest
from websockets.asyncio.server import serve

from course.learner import voila_query

KERNEL = "0f9a1c2e-0000-4000-8000-000000000001"


class RequestSocket:
    """Voilà's request socket, played by a real websockets server on loopback: the handshakes
    it gets are answered by `answer(attempt)` (a status to refuse with, or seconds to wait)."""

    def __init__(self, answer) -> None:
        self.answer = answer
        self.attempts: list[str] = []
        self.port = 0
        self.ready = threading.Event()
        self.stop: asyncio.Future | None = None
        self.loop: asyncio.AbstractEventLoop | None = None

    async def process_request(self, connection, request):
        self.attempts.append(request.path)
        what = self.answer(len(self.attempts))
        if isinstance(what, http.HTTPStatus):
            return connection.respond(what, "refused\n")
        await asyncio.sleep(what)
        return None

    async def handler(self, websocket) -> None:
        await websocket.send(json.dumps({"QUERY_STRING": "cle=abc", "HTTP_COOKIE": "x=é"}))
        await websocket.wait_closed()

    async def main(self) -> None:
        self.loop = asyncio.get_running_loop()
        self.stop = self.loop.create_future()
        async with serve(self.handler, "127.0.0.1", 0, process_request=self.process_request) as s:
            self.port = s.sockets[0].getsockname()[1]
            self.ready.set()
            await self.stop


@pytest.fixture
def request_socket(monkeypatch) -> Iterator:
    servers: list[RequestSocket] = []

    def start(answer) -> RequestSocket:
        server = RequestSocket(answer)
        thread = threading.Thread(target=asyncio.run, args=(server.main(),), daemon=True)
        thread.start()
        assert server.ready.wait(10)
        for name, value in {
            "VOILA_PREHEAT": "True",
            "VOILA_APP_IP": "127.0.0.1",
            "VOILA_APP_PORT": str(server.port),
            "VOILA_WS_BASE_URL": "/services/site-a/",
            "VOILA_KERNEL_ID": KERNEL,
        }.items():
            monkeypatch.setenv(name, value)
        for name in ("QUERY_STRING", "HTTP_COOKIE"):
            monkeypatch.delenv(name, raising=False)
        monkeypatch.setattr(voila_query, "_received", threading.Event())
        servers.append(server)
        return server

    yield start
    for server in servers:
        assert server.loop is not None and server.stop is not None
        server.loop.call_soon_threadsafe(server.stop.set_result, None)


def test_a_busy_server_is_tried_again_until_the_request_comes(request_socket, monkeypatch):
    # First a refusal (503, as a server that cannot take it yet), then a handshake slower than
    # one attempt may wait: the kernel still gets its request.
    monkeypatch.setattr(voila_query, "OPEN_SECONDS", 2.0)
    busy = {1: http.HTTPStatus.SERVICE_UNAVAILABLE, 2: 3.0}
    server = request_socket(lambda n: busy.get(n, 0.0))
    started = time.monotonic()
    assert voila_query.get_query_string() == "cle=abc"
    assert voila_query.os.environ["HTTP_COOKIE"] == "x=é"
    assert server.attempts == [f"/services/site-a/voila/query/{KERNEL}"] * 3
    assert time.monotonic() - started < 20


def test_a_refusal_for_good_is_not_tried_again(request_socket):
    server = request_socket(lambda n: http.HTTPStatus.FORBIDDEN)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        assert voila_query.get_query_string() == ""
    assert len(server.attempts) == 1
    assert any("403" in str(w.message) for w in caught)
