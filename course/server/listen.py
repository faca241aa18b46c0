"""The server's side of « Écouter » (`static/listen.js`): `POST <base_url>lecture` with
`{"texte": …, "vitesse": "normale"}` answers the WAV eSpeak NG made of it
(`course.learner.speech`), for signed-in learners only.

Who asks is decided like a learner page's kernel decides it: the project's identity provider
reads the headers a kernel is handed (`IdentityProvider.get_kernel_identity`; the room's session
cookie, or behind a hub the identity the guard signed; never the query: a card's link is not
spent here). A request without a learner's session is refused,
so the audio route serves nobody outside the room's signed-in learners. The session cookie is
`SameSite=Strict`, and the request must also carry Voilà's `_xsrf` value (set by every page,
`course.server.launcher.RenderHandler`) in `X-XSRFToken`.
"""

from __future__ import annotations

import json
from typing import Any

from tornado.ioloop import IOLoop
from tornado.web import HTTPError, RequestHandler

from course.access.provider import KernelRequest
from course.access.settings import identity_provider
from course.core.errors import UserError
from course.learner.speech import Speech, SpeechSettings, SpeechUnavailable
from course.settings import Project

PATH = "lecture"
NOT_SIGNED_IN = "Pour écouter, entrez d'abord votre prénom et votre code en bas de la page."
REFUSED = "Cette demande de lecture a été refusée. Rechargez la page (touche F5)."
BAD_REQUEST = "Cette demande de lecture n'est pas lisible."


class ListenHandler(RequestHandler):
    """Audio of a page's text for the learner signed in on this browser."""

    def initialize(self, project: Project) -> None:
        self.project = project
        self.access = identity_provider(project)
        self.speech = Speech(project.data_dir, SpeechSettings(config=project.config))

    def set_default_headers(self) -> None:
        self.set_header("Cache-Control", "no-store")
        self.set_header("X-Content-Type-Options", "nosniff")
        self.set_header("Referrer-Policy", "no-referrer")

    def check_xsrf_cookie(self) -> None:
        """Checked in `post` whatever the application's `xsrf_cookies` setting is."""

    def answer(self, status: int, message: str) -> None:
        self.set_status(status)
        self.set_header("Content-Type", "application/json; charset=utf-8")
        self.finish(json.dumps({"erreur": message}, ensure_ascii=False))

    def get(self) -> None:
        self.answer(405, BAD_REQUEST)

    async def post(self) -> None:
        try:
            RequestHandler.check_xsrf_cookie(self)
        except HTTPError:
            self.answer(403, REFUSED)
            return
        # Exactly what a page's kernel would be handed (Voilà's `http_header_envs`): the room's
        # session cookie, or behind a hub the identity its guard signed (`hub_guard`).
        names = type(self.access).kernel_headers
        request = KernelRequest(
            headers={name.lower(): self.request.headers.get(name, "") for name in names}
        )
        loop = IOLoop.current()
        visit = await loop.run_in_executor(None, self.access.get_kernel_identity, request)
        if visit.identity is None or visit.identity.learner_id is None:
            self.answer(403, NOT_SIGNED_IN)
            return
        limit = self.speech.settings.max_chars * 4 + 1000  # UTF-8 and JSON around the text
        if len(self.request.body) > limit:
            self.answer(413, BAD_REQUEST)
            return
        try:
            asked: Any = json.loads(self.request.body or b"{}")
        except ValueError:
            asked = None
        if not isinstance(asked, dict):
            self.answer(400, BAD_REQUEST)
            return
        try:
            data = await loop.run_in_executor(
                None, self.speech.audio, asked.get("texte"), asked.get("vitesse", "normale")
            )
        except SpeechUnavailable as exc:
            self.answer(503, str(exc))
            return
        except UserError as exc:
            self.answer(400, str(exc))
            return
        self.set_header("Content-Type", "audio/wav")
        self.finish(data)
