"""The server's audio route for « Écouter » (`course.server.listen`), in process on a loopback
port: only a signed-in learner's browser, with the page's `_xsrf` value, gets audio; everything
else gets a French refusal as JSON, and a machine without espeak-ng says so in plain French."""

from __future__ import annotations

import asyncio
import concurrent.futures
import json
import wave
from io import BytesIO

from support.project import configured
from tornado.httpclient import AsyncHTTPClient
from tornado.httpserver import HTTPServer
from tornado.testing import bind_unused_port
from tornado.web import Application

from course.access.sessions import COOKIE, SignInSessions
from course.learner.speech import TOO_LONG, UNAVAILABLE
from course.server.listen import BAD_REQUEST, NOT_SIGNED_IN, REFUSED, ListenHandler

XSRF = "ab" * 16  # a tornado xsrf token (version 1: hex); the page sends the cookie's value


def post(project, body: bytes, cookies: dict[str, str], headers: dict[str, str] | None = None):
    """One POST to /lecture on a fresh server: (status, content type, body)."""

    async def run():
        sock, port = bind_unused_port()
        server = HTTPServer(Application([("/lecture", ListenHandler, {"project": project})]))
        server.add_sockets([sock])
        client = AsyncHTTPClient(force_instance=True)
        sent = {"Cookie": "; ".join(f"{k}={v}" for k, v in cookies.items()), **(headers or {})}
        try:
            reply = await client.fetch(f"http://127.0.0.1:{port}/lecture", method="POST",
                                       body=body, headers=sent, raise_error=False)  # fmt: skip
        finally:
            client.close()
            server.stop()
        return reply.code, reply.headers.get("Content-Type", ""), reply.body

    # In a thread of its own: a browser test before this one in the same worker may have left
    # this thread marked as running a loop (Playwright's sync API), where asyncio.run refuses.
    with concurrent.futures.ThreadPoolExecutor(1) as pool:
        return pool.submit(asyncio.run, run()).result()


def signed_in(project) -> dict[str, str]:
    learner, _ = project.roster().add("Alice")
    return {COOKIE: SignInSessions(project.data_dir).create(learner.id), "_xsrf": XSRF}


def ask(project, cookies, texte: object = "Bonjour à tous.", **extra):
    body = json.dumps({"texte": texte, "vitesse": "normale", **extra}).encode()
    return post(project, body, cookies, {"X-XSRFToken": XSRF})


def test_a_signed_in_learner_gets_the_audio(essai_project):
    status, kind, body = ask(essai_project, signed_in(essai_project))
    assert (status, kind) == (200, "audio/wav")
    with wave.open(BytesIO(body)) as audio:
        assert audio.getnframes() / audio.getframerate() > 0.5
    assert len(list((essai_project.data_dir / "lecture").glob("*.wav"))) == 1


def test_nobody_else_gets_it(essai_project):
    cookies = signed_in(essai_project)
    body = json.dumps({"texte": "Bonjour", "vitesse": "normale"}).encode()
    # No xsrf value in the request (another site's form, a script): refused.
    status, _, reply = post(essai_project, body, cookies)
    assert status == 403 and json.loads(reply) == {"erreur": REFUSED}
    # No session, or a session signed out: refused, said in French.
    for session in ({}, {COOKIE: "x" * 43}):
        status, _, reply = ask(essai_project, {"_xsrf": XSRF, **session})
        assert status == 403 and json.loads(reply) == {"erreur": NOT_SIGNED_IN}
    SignInSessions(essai_project.data_dir).revoke(cookies[COOKIE])
    status, _, reply = ask(essai_project, cookies)
    assert status == 403 and json.loads(reply)["erreur"] == NOT_SIGNED_IN
    assert not (essai_project.data_dir / "lecture").exists()  # nothing made for them


def test_odd_requests_are_refused_in_french(essai_project):
    cookies = signed_in(essai_project)
    headers = {"X-XSRFToken": XSRF}
    for body in (b"{", b"[1, 2]", json.dumps("Bonjour").encode()):
        status, _, reply = post(essai_project, body, cookies, headers)
        assert status == 400 and json.loads(reply) == {"erreur": BAD_REQUEST}, body
    status, _, reply = ask(essai_project, cookies, "a" * 4001)
    assert status == 400 and json.loads(reply) == {"erreur": TOO_LONG}
    status, _, reply = ask(essai_project, cookies, "a" * 100_000)
    assert status == 413 and json.loads(reply) == {"erreur": BAD_REQUEST}
    status, _, reply = ask(essai_project, cookies, vitesse="turbo")
    assert status == 400 and "vitesse" in json.loads(reply)["erreur"]


def test_without_espeak_the_page_is_told_in_plain_french(essai_project):
    project = configured(essai_project, 'c.SpeechSettings.command = "espeak-ng-absent"')
    status, kind, reply = ask(project, signed_in(project))
    assert status == 503 and kind.startswith("application/json")
    assert json.loads(reply) == {"erreur": UNAVAILABLE}
    assert "Traceback" not in reply.decode()
