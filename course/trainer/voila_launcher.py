"""Voilà as `course serve` runs it: stock Voilà on the configuration `course.trainer.serve`
wrote, with two fixes that cannot be set as configuration.

- gzip, with static files compressed once and kept in memory: Voilà's own `tornado_settings`
  arrive after tornado has chosen its output transforms, so its compression never applies;
- the `_xsrf` cookie Voilà's kernel-shutdown beacon needs (voila#1458), so leaving a page stops
  its kernel instead of leaving it until culled;
- the private spaces (`course.web.mount`: the trainer's `/atelier/`…), put before Voilà's own
  rules so the same server and port serve them.

Run as `python -m course.trainer.voila_launcher CONFIG.json SITE [VOILÀ OPTIONS…]`.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from traitlets.config import Config

# Where our gzip transform keeps compressed static files (served straight from memory).
STATIC_PREFIXES = ("voila/static/", "voila/templates/", "voila/labextensions/")


def launch(config_path: str, argv: list[str]) -> None:
    """Voilà's own entry point on our configuration, plus gzip and the `_xsrf` cookie."""
    import gzip
    import hashlib
    import threading

    from tornado.web import GZipContentEncoding
    from voila.app import Voila
    from voila.tornado.handler import TornadoVoilaHandler

    compressed: dict[str, bytes] = {}  # ETag (tornado's sha512 of the file) or path|date|size

    class GZip(GZipContentEncoding):
        """Tornado's gzip transform; static files are compressed once instead of per request."""

        def __init__(self, request):
            super().__init__(request)
            self.path = request.path
            self._static = request.method == "GET" and request.path.lstrip("/").startswith(
                STATIC_PREFIXES
            )
            self._key = None
            self._parts: list[bytes] = []

        def transform_first_chunk(self, status_code, headers, chunk, finishing):
            key = None
            if self._static and status_code == 200:
                # Labextension files are served without ETag (no-cache): path, date and size.
                key = headers.get("Etag") or "|".join(
                    [self.path, headers.get("Last-Modified", ""), headers.get("Content-Length", "")]
                )
            body = compressed.get(key) if key and self._gzipping else None
            if body is None:
                self._key = key
                return super().transform_first_chunk(status_code, headers, chunk, finishing)
            headers["Vary"] = ", ".join(filter(None, [headers.get("Vary"), "Accept-Encoding"]))
            headers["Content-Encoding"] = "gzip"
            headers["Content-Length"] = str(len(body))
            self._cached = True
            return status_code, headers, body

        def transform_chunk(self, chunk, finishing):
            if getattr(self, "_cached", False):
                return b""
            chunk = super().transform_chunk(chunk, finishing)
            if self._gzipping and self._key:
                self._parts.append(chunk)
                if finishing:
                    compressed[self._key] = b"".join(self._parts)
            return chunk

    def prewarm(folders: list[str]) -> None:
        """Compress the front end's files ahead of the first page (zlib releases the GIL)."""
        for folder in folders:
            for path in Path(folder).rglob("*"):
                if path.suffix in (".js", ".css", ".json", ".svg") and path.is_file():
                    data = path.read_bytes()
                    etag = f'"{hashlib.sha512(data).hexdigest()}"'
                    compressed.setdefault(etag, gzip.compress(data, GZip.GZIP_LEVEL, mtime=0))

    class RenderHandler(TornadoVoilaHandler):
        """Voilà's page handler, plus the `_xsrf` cookie its kernel-shutdown beacon needs.

        On leaving a page, Voilà's front end posts the cookie's value to /voila/api/shutdown;
        Voilà never sets that cookie, so every such shutdown fails with a 403 (voila#1458) and
        the kernel lives on until culled.
        """

        async def prepare(self):
            await super().prepare()
            self.xsrf_token  # noqa: B018 - sets the cookie

    class AtelierVoila(Voila):
        def init_settings(self):
            settings = super().init_settings()
            # Given to tornado.web.Application() itself, where transforms are decided.
            settings["transforms"] = [GZip]
            return settings

        def init_handlers(self):
            from course.settings import Project
            from course.web.mount import space_handlers

            voila = [
                (rule[0], RenderHandler, *rule[2:]) if rule[1] is TornadoVoilaHandler else rule
                for rule in super().init_handlers()
            ]
            return [*space_handlers(Project()), *voila]

        def start(self):
            folders = [*self.static_paths, *self.labextensions_path]
            threading.Thread(target=prewarm, args=(folders,), daemon=True).start()
            super().start()

    config = Config(json.loads(Path(config_path).read_text(encoding="utf-8")))
    AtelierVoila.launch_instance(argv, config=config)


if __name__ == "__main__":
    launch(sys.argv[1], sys.argv[2:])
