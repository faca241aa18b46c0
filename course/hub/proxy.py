"""The hub's proxy: the Python `configurable-http-proxy` (no Node), with HTTPS added.

Its 0.4.0 command line refuses `--ssl-key/--ssl-cert` (« not supported yet ») and
`--redirect-port`, and its `X-Forwarded-Proto` is always `http` (it reads the scheme from the
request's path). JupyterHub starts this module instead (`c.ConfigurableHTTPProxy.command`) with
the same arguments: we take out the TLS and redirect ones, run the package's own `main`, and
give its public listener our TLS context; a small listener on the plain HTTP port answers every
request with a redirect to HTTPS and nothing else. Its WebSocket handler also answers the
subprotocol the target chose (the package drops it, and browsers then refuse the socket), and
passes the browser's binary frames on as binary, and closes the browser's socket when the
target closes its own. It forwards a response as it comes (the package read each one whole
before sending its first byte, and Voilà streams its pages). With `--log-file`, its INFO lines
(one per request) go to that private file and the terminal keeps its warnings and errors
(`course.hub.logs`).
"""

from __future__ import annotations

import ssl
import sys
from typing import Any

from tornado import httpserver, web

OURS = ("--ssl-key", "--ssl-cert", "--redirect-port", "--redirect-to", "--log-file")


def split_arguments(argv: list[str]) -> tuple[list[str], dict[str, str]]:
    """(arguments for configurable-http-proxy, our own options)."""
    rest: list[str] = []
    ours: dict[str, str] = {}
    items = iter(argv)
    for arg in items:
        name, equals, value = arg.partition("=")
        if name in OURS:
            ours[name] = value if equals else next(items, "")
        else:
            rest.append(arg)
    return rest, ours


class RedirectHandler(web.RequestHandler):
    """Plain HTTP: one answer, a permanent redirect to the same path over HTTPS."""

    def initialize(self, https_port: int) -> None:
        self.https_port = https_port

    def prepare(self) -> None:
        host = self.request.host_name or "127.0.0.1"
        host = f"[{host}]" if ":" in host else host  # an IPv6 address
        port = "" if self.https_port == 443 else f":{self.https_port}"
        self.redirect(f"https://{host}{port}{self.request.uri}", permanent=True)


def redirect_app(https_port: int) -> web.Application:
    return web.Application([(r".*", RedirectHandler, {"https_port": https_port})])


# Requests the proxy forwards at once. Tornado's client allows 10 and fails the others with a
# 503 « Timeout in request queue » after 20 s: sixty learners opening their page together (about
# a hundred files each, and a page that renders for seconds) got hub error pages (issue 20's
# benchmark, benchmarks/hub_load.py).
MAX_FORWARDED = 1000
# How long the proxy waits for a page. The proxy gives its requests no timeout of their own, so
# tornado's 20 s applied: when sixty learners opened their evaluation at once, Voilà drew the
# pages in 20-100 s and the proxy cut 49 of 60 at 20 s with a 503 « Timeout during request »
# (benchmarks/hub_load.py, the site logs). A room's pages are slow, never abandoned.
PAGE_SECONDS = 600
# Hop-by-hop headers, and the length the proxy no longer knows once it streams.
NOT_FORWARDED = frozenset({"content-length", "transfer-encoding", "connection", "keep-alive"})


def _patch(context: ssl.SSLContext | None) -> None:
    from configurable_http_proxy import cli, handlers
    from tornado.httpclient import AsyncHTTPClient

    AsyncHTTPClient.configure(
        None, max_clients=MAX_FORWARDED, defaults={"request_timeout": PAGE_SECONDS}
    )

    if context is not None:
        made: list[Any] = []

        def server(app: Any, **kwargs: Any) -> httpserver.HTTPServer:
            # The first server `main` makes is the public one, the second the REST API.
            if not made:
                kwargs["ssl_options"] = context
            made.append(app)
            return httpserver.HTTPServer(app, **kwargs)

        cli.HTTPServer = server

    original = handlers.ProxyHandler._get_proxy_request

    def proxy_request(self: Any, url: str) -> Any:
        request = original(self, url)
        if self.proxy.x_forward:
            request.headers["X-Forwarded-Proto"] = self.request.protocol
        return request

    handlers.ProxyHandler._get_proxy_request = proxy_request

    def select_subprotocol(self: Any, subprotocols: list[str]) -> str | None:
        # The package never answers a WebSocket subprotocol: JupyterLab's kernel socket asks for
        # « v1.kernel.websocket.jupyter.org », Voilà accepts it, the browser gets no answer and
        # fails the handshake, then reconnects without: every learner page showed « La
        # connexion est revenue » as it opened. Give the browser what the target chose.
        client = getattr(self, "ws_client", None)
        chosen = client.selected_subprotocol if client is not None else None
        return chosen if chosen in subprotocols else None

    def on_message(self: Any, message: str | bytes) -> None:
        # As the package's, but a binary frame stays binary (it sent every frame as text, which
        # the v1 kernel protocol above, all binary frames, does not survive).
        if self.ws_client:
            prefix = self.target["prefix"] if self.target else ""
            if prefix:
                self.proxy.update_last_activity(prefix)
            self.ws_client.write_message(message, binary=isinstance(message, bytes))

    handlers.ProxyHandler.select_subprotocol = select_subprotocol
    handlers.ProxyHandler.on_message = on_message
    handlers.ProxyHandler.call_proxy = call_proxy
    handlers.ProxyHandler.start_ws_client = start_ws_client


async def start_ws_client(self: Any, path: str | None = None) -> None:
    """As the package's, with two changes.

    - When the target closes its socket, the browser's is closed too. The package kept it open:
      the page believed its kernel connected and what the learner sent went nowhere, where a
      closed socket makes the page reconnect and send again what was not confirmed.
    - The connection to the target may take `PAGE_SECONDS`: tornado's 20 s cut a kernel socket
      whose site was busy (« 599 … /channels » after 20 s with sixty learners).
    """
    import urllib.parse

    from configurable_http_proxy.handlers import apply_timeout
    from tornado.httpclient import HTTPClientError
    from tornado.websocket import websocket_connect

    self.closed = False
    url = await self.get_target_url(path)
    if url is None:
        return
    parts = urllib.parse.urlparse(url)
    url = parts._replace(scheme=parts.scheme.replace("http", "ws")).geturl()

    def relay(message: str | bytes | None) -> None:
        if self.closed:  # the browser has gone: close the target's socket
            if self.ws_client:
                self.ws_client.close()
                self.ws_client = None
            return
        if message is None:  # the target has gone: close the browser's socket
            client, self.ws_client = self.ws_client, None
            code = client.close_code if client is not None else None
            self.close(code if code and code != 1005 else 1011, "target closed")
            return
        prefix = self.target["prefix"] if self.target else ""
        if prefix:
            self.proxy.update_last_activity(prefix)
        if self.ws_client:
            self.write_message(message, binary=isinstance(message, bytes))

    request = self._get_proxy_request(url)
    request.connect_timeout = request.request_timeout = PAGE_SECONDS
    try:
        self.ws_client = await apply_timeout(
            self.proxy.timeout, websocket_connect(request, on_message_callback=relay)
        )
    except HTTPClientError as err:
        self.set_status(err.code)
        self.write(err.message)
        self.finish()
    except Exception as err:
        await self.handle_proxy_error(503, err)
        raise


async def call_proxy(self: Any, path: str | None = None) -> None:
    """Forward one HTTP request and pass the answer on as it comes.

    The package's own `call_proxy` fetched the whole answer, then wrote it. Voilà streams a page
    (its head and our « loading » note at once, heartbeats while the kernel starts, then the
    cells): through that proxy a learner who pressed « Entrer » saw the sign-in page stay put
    for the whole draw, 85 s (median) and 156 s (95th percentile) with sixty learners opening
    their evaluation together (benchmarks/hub_load.py, stop 28). Here the status and headers are
    set when they arrive and each chunk is written and flushed at once; the next chunk is read
    when the browser has taken this one, so a slow browser slows its own page only. The body
    stays compressed as the target sent it (no inflating and sending it bigger).
    """
    from tornado import httputil
    from tornado.httpclient import AsyncHTTPClient

    url = await self.get_target_url(path)
    if url is None:
        return
    request = self._get_proxy_request(url)
    request.decompress_response = False
    lines: list[str] = []

    def header_line(line: str) -> None:
        if line != "\r\n":
            lines.append(line)
            return
        start = httputil.parse_response_start_line(lines[0].rstrip("\r\n"))
        headers = httputil.HTTPHeaders.parse("".join(lines[1:]))
        lines.clear()
        self.set_status(start.code, start.reason)
        ours = {name.lower() for name in self._headers}  # Server, Content-Type, Date
        for name, value in headers.get_all():
            if name.lower() in NOT_FORWARDED:
                continue
            if name.lower() in ours:
                self.set_header(name, value)
                ours.discard(name.lower())
            else:
                self.add_header(name, value)

    def body_chunk(chunk: bytes) -> Any:
        self.write(chunk)
        return self.flush()  # awaited by tornado's client before it reads on

    request.header_callback = header_line
    request.streaming_callback = body_chunk
    try:
        await AsyncHTTPClient().fetch(request, raise_error=False)
    except Exception as error:
        if not self._headers_written:
            await self.handle_proxy_error(503, error)
            return
        # Part of the answer has gone: ending it cleanly would make a cut page look whole.
        self.proxy.log.warning(f"Answer cut ({self.request.method} {url}): {error}")
        self.request.connection.close()
        self._finished = True
        return
    self.finish()


def main(argv: list[str] | None = None) -> None:
    rest, ours = split_arguments(list(sys.argv[1:] if argv is None else argv))
    if ours.get("--log-file"):  # INFO lines to the hub's private file, not the terminal
        from pathlib import Path

        import configurable_http_proxy  # noqa: F401  (its import adds the terminal's handler)

        from course.hub.logs import log_to_file

        log_to_file(Path(ours["--log-file"]))
    context = None
    if ours.get("--ssl-cert"):
        context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        context.load_cert_chain(ours["--ssl-cert"], ours.get("--ssl-key") or None)
    _patch(context)
    if ours.get("--redirect-port"):
        ip = "127.0.0.1"
        if "--ip" in rest:
            ip = rest[rest.index("--ip") + 1]
        https_port = int(ours.get("--redirect-to") or rest[rest.index("--port") + 1])
        redirect_app(https_port).listen(int(ours["--redirect-port"]), ip)
    from configurable_http_proxy.cli import main as proxy_main

    proxy_main(rest)


if __name__ == "__main__":
    main()
