"""The page's request (query string `?cle=...`, the headers of `http_header_envs` such as
`Cookie:`), read in the kernel without importing Voilà; `course.access.request.KernelRequest`
holds it for the identity provider.

`voila.utils.get_query_string()` does exactly this, but importing `voila.utils` imports the
whole server side of Voilà (jupyter_server, jupyterlab_server, jsonschema and its format
checkers): about 4 s of CPU per kernel on our 2-core machine, i.e. per page view, more than
everything else a page costs. This module repeats its few lines, with Voilà 0.5's names:

- a kernel started for a request gets the query string in the `QUERY_STRING` variable;
- a preheated kernel (`VOILA_PREHEAT=True`) is started before anybody asks for the page, so it
  waits on Voilà's websocket `voila/query/<kernel id>` until a request takes it, then receives
  the request's variables as a JSON object.

`tests/learner/test_page_imports.py` keeps Voilà's server side out of the kernels, and the browser tests
sign learners in through preheated kernels.
"""

from __future__ import annotations

import asyncio
import json
import os
import ssl
import threading
import warnings


def _query_url() -> str:
    protocol = os.getenv("VOILA_WS_PROTOCOL", "ws")
    ip = os.getenv("VOILA_APP_IP", "127.0.0.1")
    port = os.getenv("VOILA_APP_PORT", "8866")
    base = os.getenv("VOILA_WS_BASE_URL", os.getenv("VOILA_SERVER_URL", "/"))
    return f"{protocol}://{ip}:{port}{base}voila/query/{os.getenv('VOILA_KERNEL_ID')}"


KERNEL_KEY_ENV = "COURSE_KERNEL_KEY"  # behind a hub, the socket wants the server's key
KERNEL_KEY_HEADER = "X-Atelier-Kernel-Key"  # (course.server.hub_guard)


def _tls() -> ssl.SSLContext | None:
    """Over HTTPS (`course serve --certfile`): trust the server's own certificate, named by
    `COURSE_QUERY_CA`, the one a room's laptop may have made itself (the kernel reaches it at
    127.0.0.1, which the certificate may not name: the chain is checked, not the name)."""
    cafile = os.getenv("COURSE_QUERY_CA")
    if not cafile or os.getenv("VOILA_WS_PROTOCOL") != "wss":
        return None
    context = ssl.create_default_context(cafile=cafile)
    context.check_hostname = False
    context.verify_flags |= ssl.VERIFY_X509_PARTIAL_CHAIN  # a leaf certificate as the anchor
    return context


# A preheated kernel is useless without its request: it keeps trying. On a busy server the
# handshake took more than the 5 s it once had (60 learners at a hub: 2 pages drawn for
# nobody, which paused themselves in front of their learner), and Voilà keeps the request for a
# kernel that connects late (`RequestInfoSocketHandler._cache`).
OPEN_SECONDS = 30.0  # one attempt's handshake
PATIENCE_SECONDS = 600.0  # then the page is drawn for nobody (a visitor's sign-in form)
RETRY_SECONDS = 1.0


async def _receive(url: str) -> str | None:
    from websockets.asyncio.client import connect
    from websockets.exceptions import InvalidStatus, WebSocketException

    key = os.getenv(KERNEL_KEY_ENV)
    headers = {KERNEL_KEY_HEADER: key} if key else None
    tls = _tls()  # read once, not at every attempt
    loop = asyncio.get_running_loop()
    deadline = loop.time() + PATIENCE_SECONDS
    while True:
        try:
            async with connect(
                url, open_timeout=OPEN_SECONDS, ssl=tls, additional_headers=headers
            ) as websocket:
                message = await websocket.recv()
                return message if isinstance(message, str) else message.decode()
        except (TimeoutError, OSError, WebSocketException) as error:
            refused = isinstance(error, InvalidStatus) and error.response.status_code < 500
            if refused or loop.time() + RETRY_SECONDS >= deadline:
                warnings.warn(f"Failed to connect to {url}: {error!r}", stacklevel=2)
                return None
            await asyncio.sleep(RETRY_SECONDS)


_received = threading.Event()


def wait_for_request() -> None:
    """In a preheated kernel, block until a page request takes it; then set its variables.

    Only the first call waits: a kernel serves exactly one request."""
    if os.getenv("VOILA_PREHEAT", "False") == "False" or _received.is_set():
        return
    _received.set()
    received: list[str | None] = []
    # The kernel's own event loop is running: wait on a loop of our own, in a thread.
    thread = threading.Thread(target=lambda: received.append(asyncio.run(_receive(_query_url()))))
    thread.start()
    thread.join()
    if received and received[0] is not None:
        for name, value in json.loads(received[0]).items():
            os.environ[name] = value


def get_query_string() -> str:
    """The query string of the request this page is drawn for ("" when there is none)."""
    wait_for_request()
    return os.getenv("QUERY_STRING", "")
