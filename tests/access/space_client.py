"""A private space served in-process: its tornado rules in an `Application` on a loopback port,
asked with tornado's own HTTP client (as JupyterHub's tests do), in milliseconds."""

from __future__ import annotations

import asyncio
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from http.cookies import SimpleCookie
from urllib.parse import urlencode

from tornado.httpclient import AsyncHTTPClient, HTTPResponse
from tornado.httpserver import HTTPServer
from tornado.testing import bind_unused_port
from tornado.web import Application

from course.web.space import Space


@dataclass
class Reply:
    status: int
    body: str
    headers: dict[str, str]
    cookies: dict[str, str]  # set by the reply


def ask(
    space: Space,
    path: str,
    *,
    method: str = "GET",
    form: dict[str, str] | None = None,
    headers: dict[str, str] | None = None,
    cookies: dict[str, str] | None = None,
) -> Reply:
    """One request to the space, from 127.0.0.1 (the room's own computer)."""

    async def run() -> HTTPResponse:
        sock, port = bind_unused_port()
        server = HTTPServer(Application(space.handlers()))
        server.add_sockets([sock])
        sent = dict(headers or {})
        if cookies:
            sent["Cookie"] = "; ".join(f"{k}={v}" for k, v in cookies.items())
        try:
            return await AsyncHTTPClient().fetch(
                f"http://127.0.0.1:{port}{path}",
                method=method,
                body=urlencode(form or {}) if method == "POST" else None,
                headers=sent,
                follow_redirects=False,
                raise_error=False,
            )
        finally:
            server.stop()

    # In a thread of its own: a browser test earlier in the session (Playwright's sync API) may
    # leave an event loop running in this one.
    with ThreadPoolExecutor(1) as pool:
        response = pool.submit(asyncio.run, run()).result()
    jar: SimpleCookie = SimpleCookie()
    for line in response.headers.get_list("Set-Cookie"):
        jar.load(line)
    return Reply(
        response.code,
        response.body.decode() if response.body else "",
        dict(response.headers),
        {name: morsel.value for name, morsel in jar.items()},
    )
