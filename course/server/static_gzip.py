"""Static files gzipped once and served from memory (`GZip`), for `course serve`'s Voilà.

Voilà's own `tornado_settings` arrive after tornado has chosen its output transforms, so its
compression never applies; tornado's transform would compress the same front-end files (about
2 MB of JavaScript) again for every page. Its own file so the launcher stays about starting Voilà.
"""

from __future__ import annotations

import gzip
import hashlib
from pathlib import Path

from jupyter_server.utils import url_path_join
from tornado.httputil import HTTPHeaders, HTTPServerRequest
from tornado.web import GZipContentEncoding

# Where our gzip transform keeps compressed static files (served straight from memory), under
# the server's base URL.
STATIC_PREFIXES = ("voila/static/", "voila/templates/", "voila/labextensions/")
# ETag (tornado's sha512 of the file) or path|date|size -> the gzipped body.
COMPRESSED: dict[str, bytes] = {}


class GZip(GZipContentEncoding):
    """Tornado's gzip transform; static files are compressed once instead of per request."""

    static_prefixes = tuple("/" + prefix for prefix in STATIC_PREFIXES)  # under base URL "/"

    def __init__(self, request: HTTPServerRequest) -> None:
        super().__init__(request)
        self.path = request.path
        self._static = request.method == "GET" and request.path.startswith(self.static_prefixes)
        self._key: str | None = None
        self._parts: list[bytes] = []
        self._cached = False

    @classmethod
    def under(cls, base_url: str) -> type[GZip]:
        """This transform for a server whose routes start with `base_url`."""
        prefixes = tuple(url_path_join(base_url, prefix) for prefix in STATIC_PREFIXES)
        return type("GZip", (cls,), {"static_prefixes": prefixes})

    def transform_first_chunk(
        self, status_code: int, headers: HTTPHeaders, chunk: bytes, finishing: bool
    ) -> tuple[int, HTTPHeaders, bytes]:
        key = None
        if self._static and status_code == 200:
            # Labextension files are served without ETag (no-cache): path, date and size.
            key = headers.get("Etag") or "|".join(
                [self.path, headers.get("Last-Modified", ""), headers.get("Content-Length", "")]
            )
        body = COMPRESSED.get(key) if key and self._gzipping else None
        if body is None:
            self._key = key
            return super().transform_first_chunk(status_code, headers, chunk, finishing)
        headers["Vary"] = ", ".join(filter(None, [headers.get("Vary"), "Accept-Encoding"]))
        headers["Content-Encoding"] = "gzip"
        headers["Content-Length"] = str(len(body))
        self._cached = True
        return status_code, headers, body

    def transform_chunk(self, chunk: bytes, finishing: bool) -> bytes:
        if self._cached:
            return b""
        chunk = super().transform_chunk(chunk, finishing)
        if self._gzipping and self._key:
            self._parts.append(chunk)
            if finishing:
                COMPRESSED[self._key] = b"".join(self._parts)
        return chunk


def prewarm(folders: list[str]) -> None:
    """Compress the front end's files ahead of the first page (zlib releases the GIL)."""
    for folder in folders:
        for path in Path(folder).rglob("*"):
            if path.suffix in (".js", ".css", ".json", ".svg") and path.is_file():
                data = path.read_bytes()
                etag = f'"{hashlib.sha512(data).hexdigest()}"'
                COMPRESSED.setdefault(etag, gzip.compress(data, GZip.GZIP_LEVEL, mtime=0))
