"""`course serve --self-signed` / `--certfile --keyfile`: HTTPS on the room's network.

The certificate made on request lives under `var/tls/` (the key 0600), names this computer, and
is made again only when needed; the server answers over TLS, verified against that very
certificate; a preheated page's kernel still gets its request (over `wss://`, trusting the
same certificate); and the cookies are Secure. A wrong certificate is refused in French.
"""

from __future__ import annotations

import ssl
import urllib.error
import urllib.request

import pytest
from browser_support import make_site, new_context, open_page, running

from course.access.gate import Gate
from course.server.tls import TlsError, check, self_signed

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    return make_site(tmp_path_factory.mktemp("https") / "projet", learners=("Alice",))


@pytest.fixture(scope="module")
def tls(site):
    return self_signed(site.project, ["127.0.0.1"])


@pytest.fixture(scope="module")
def server(site, tls):
    # One preheated kernel for the home page: its request reaches it over wss://.
    yield from running(site.project, pool_size=1, tls=tls)


def test_the_certificate_is_private_kept_and_checked(site, tls, tmp_path):
    assert tls.keyfile.stat().st_mode & 0o777 == 0o600
    assert tls.keyfile.parent.stat().st_mode & 0o777 == 0o700
    assert tls.keyfile.parent == site.project.data_dir / "tls"
    assert self_signed(site.project, ["127.0.0.1"]) == tls  # kept, not made at each start
    stamp = tls.certfile.stat().st_mtime
    assert self_signed(site.project, ["127.0.0.1"]).certfile.stat().st_mtime == stamp
    assert check(tls.certfile, tls.keyfile) == tls
    with pytest.raises(TlsError, match="introuvable"):
        check(tmp_path / "absent.pem", None)
    other = tmp_path / "autre.pem"
    other.write_text("pas un certificat", encoding="utf-8")
    with pytest.raises(TlsError, match="ne vont pas ensemble"):
        check(tls.certfile, other)


def test_pages_are_served_over_verified_tls(server, site, tls):
    from course.server.serve import announce
    from course.trainer.cards import short_address

    assert server.base.startswith("https://127.0.0.1:")
    said = announce(site.project, "127.0.0.1", server.port, tls)
    assert said.room.startswith("https://") and said.trainer_link.startswith("https://")
    assert short_address(said.room) == said.room  # learners must type the https://
    trusting = ssl.create_default_context(cafile=str(tls.certfile))  # verification on
    with urllib.request.urlopen(server.url(), context=trusting, timeout=120) as reply:
        assert reply.status == 200 and "cq-" in reply.read().decode()
    with pytest.raises(urllib.error.URLError, match="CERTIFICATE_VERIFY_FAILED"):
        urllib.request.urlopen(server.url(), context=ssl.create_default_context(), timeout=30)
    plain = server.url().replace("https://", "http://")
    with pytest.raises((urllib.error.URLError, ConnectionError)):
        urllib.request.urlopen(plain, timeout=30).read()


def test_signing_in_over_https_gives_secure_cookies(server, site, guard):
    # The browser is told to accept this certificate, as a learner does once on the warning.
    context = new_context(guard, ignore_https_errors=True)
    page = open_page(context, server.url(token=site.token("Alice")), guard)
    assert page.get_by_text("Bonjour Alice.").is_visible()
    page.wait_for_function("!location.search.includes('cle=')")
    for _ in range(50):
        cookie = next((c for c in context.cookies() if c["name"] == "atelier_session"), None)
        if cookie:
            break
        page.wait_for_timeout(200)
    assert cookie is not None and cookie["secure"] and cookie["httpOnly"]
    token = Gate(site.project, "trainer").issue_link_token()
    page.goto(f"{server.base}/atelier/connexion?jeton={token}")
    assert page.get_by_role("heading", level=1).inner_text() == "Les ateliers du jour"
    trainer = next(c for c in context.cookies() if c["name"] == "atelier-trainer")
    assert trainer["secure"] and trainer["httpOnly"] and trainer["expires"] == -1
    context.close()
