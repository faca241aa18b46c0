"""Two sites behind one real JupyterHub on loopback, each served by `course serve --hub-site`
as the hub's service: a learner of site A signs in at the hub, opens a page and answers (in
Chromium); nobody reaches what is not theirs, over HTTP or WebSocket: site B's pages and kernels
for A's learner, A's kernels for a client without a session, an anonymous one or another
learner, B's trainer space for A's trainer; after the hub's sign-out the old cookies open
nothing at the service either.

The hub is hub-core's (`course hub start`, its French sign-in, HTTPS on a test certificate:
tests/support/hub.py) with the sites' real services. The WebSockets are opened by hand
(`websockets`), with and without cookies, and the refusal's HTTP status is asserted: the
ready-made proxies in front of Voilà let these through (issue 20).
"""

from __future__ import annotations

import copy
import io
import re
import ssl
import threading
import time
from dataclasses import dataclass
from datetime import date

import pytest
import requests
from support.hub import make_hub, running_hub
from support.project import essai_project_at
from websockets.exceptions import InvalidStatus
from websockets.sync.client import connect

pytestmark = [pytest.mark.browser, pytest.mark.slow]

PAGE = "voila/render/essai/evaluation.ipynb"
KERNEL_ID = re.compile(r'"kernelId":\s*"([0-9a-f-]{36})"')
XSRF_FIELD = re.compile(r'name="_xsrf" value="([^"]+)"')
PUBLIC = "https://hub.exemple.fr"  # hub.toml's public_url: the hub as people reach it
JETON = re.compile(r'name="_jeton" value="([^"]+)"')
LIGHT = "\nc.ServeSettings.pool_size = 1\nc.ServeSettings.max_pooled_kernels = 2\n"
# People of site A may mint API tokens of their own (the hub's roles give them none), so a test
# can present A's identity straight to B's service: a token carries its owner's scopes only.
OWN_TOKENS = (
    "c.JupyterHub.load_roles.append({'name': 'test-own-tokens', 'scopes': ['tokens!user'], "
    "'groups': ['site.a.learner', 'site.a.trainer']})\n"
)


@dataclass
class Person:
    """Who signs in at the hub's page: a learner (site, first name, code) or staff."""

    site: str  # "" for staff
    name: str  # first name, or staff username
    secret: str  # code, or password
    username: str  # their hub username


@dataclass
class Sites:
    """The running hub (tests/support/hub.py) and what the tests need of it."""

    running: object
    people: dict[str, Person]
    projects: dict[str, object]
    ports: dict[str, int]
    certificate: str
    workshop: int  # site A's workshop, Alice's group

    @property
    def url(self) -> str:
        return self.running.url  # type: ignore[attr-defined]

    @property
    def tls(self) -> ssl.SSLContext:
        return self.running.verify  # type: ignore[attr-defined]


@pytest.fixture(scope="module")
def hub(tmp_path_factory):
    from course.access.hub_names import learner_username
    from course.core.files import secret_key
    from course.hub import layout
    from course.hub.settings import load
    from course.settings import Project
    from course.trainer.workflow import release

    folder = tmp_path_factory.mktemp("sites")
    source = essai_project_at(folder / "source").root  # one module, one question of each type
    with (source / "nbgrader_config.py").open("a", encoding="utf-8") as config:
        config.write(LIGHT)  # two preheated kernels per site: two cores run the whole hub
    hub_dir = make_hub(
        folder / "hub", sites={"a": ["marie"], "b": ["paul"]}, source=source, public_url=PUBLIC
    )
    extra = layout.extra_config_dir(hub_dir)
    extra.mkdir(parents=True, exist_ok=True)
    (extra / "test-own-tokens.py").write_text(OWN_TOKENS, encoding="utf-8")
    projects = {slug: Project(layout.site_dir(hub_dir, slug)) for slug in ("a", "b")}
    release(projects["a"], projects["a"].catalogue.get("essai"))
    people = {
        staff: Person("", staff, f"{staff}-mot-de-passe", staff) for staff in ("marie", "paul")
    }
    for slug, names in {"a": ("Alice", "Bruno", "Denise"), "b": ("Chloé",)}.items():
        roster = projects[slug].roster()
        for name in names:
            learner, code = roster.add(name)
            username = learner_username(secret_key(roster.secret_path), slug, learner.id)
            people[name] = Person(slug, name, code, username)
    book = projects["a"].workshops()
    workshop = book.create("Atelier du site A", date(2026, 11, 24), ["essai"], trainer="marie")
    book.close()
    settings = load(hub_dir)
    ports = {site.slug: site.port for site in settings.sites}
    with running_hub(hub_dir, timeout=600) as running:
        yield Sites(running, people, projects, ports, settings.ssl_cert, workshop.id)


class HubClient:
    """Cookies and redirects as a browser would, with no browser: quick HTTP checks."""

    def __init__(self, hub: Sites):
        self.hub = hub
        self.http = requests.Session()
        self.http.trust_env = False  # REQUESTS_CA_BUNDLE would replace the test's certificate
        self.http.verify = hub.certificate

    def sign_in(self, person: Person) -> None:
        """The hub's French sign-in page, as a browser fills it in."""
        page = self.http.get(f"{self.hub.url}/hub/login", timeout=30)
        fields = {"_xsrf": XSRF_FIELD.search(page.text).group(1)}  # type: ignore[union-attr]
        if person.site:
            fields |= {"kind": "apprenant", "site": person.site}
        else:
            fields |= {"kind": "equipe"}
        fields |= {"username": person.name, "password": person.secret}
        answer = self.http.post(
            f"{self.hub.url}/hub/login", data=fields, timeout=30, allow_redirects=False
        )
        assert answer.status_code == 302, f"hub sign-in refused for {person.name}"

    def get(self, path: str, **options) -> requests.Response:
        options.setdefault("timeout", 60)
        return self.http.get(self.hub.url + path, **options)

    def cookie_header(self) -> str:
        return "; ".join(f"{c.name}={c.value}" for c in self.http.cookies)

    def sign_out(self) -> None:
        self.get("/hub/logout")


def signed_in(hub: Sites, name: str) -> HubClient:
    client = HubClient(hub)
    client.sign_in(hub.people[name])
    return client


def page_kernel(client: HubClient, site: str = "a") -> str:
    """Open the evaluation page of `site` as `client`; the id of the kernel drawn for it."""
    answer = client.get(f"/services/site-{site}/{PAGE}")
    assert answer.status_code == 200, answer.status_code
    found = KERNEL_ID.search(answer.text)
    assert found, "no kernel id in the page"
    return found.group(1)


def socket_status(hub: Sites, url: str, cookie: str = "", token: str = "") -> int:
    """Open a WebSocket as a script would; 101 when accepted, else the refusal's status (0: no
    answer within a minute; in a thread, so a stuck handshake fails the test instead of
    hanging it)."""
    headers = {}
    if cookie:
        headers["Cookie"] = cookie
    if token:
        headers["Authorization"] = f"token {token}"
    tls = hub.tls if url.startswith("wss:") else None
    found: list[int] = []

    def attempt() -> None:
        try:
            with connect(url, additional_headers=headers, open_timeout=30, ssl=tls):
                found.append(101)
        except InvalidStatus as refused:
            found.append(refused.response.status_code)

    thread = threading.Thread(target=attempt, daemon=True)
    thread.start()
    thread.join(timeout=60)
    return found[0] if found else 0


def channels(hub: Sites, kernel_id: str, site: str = "a", direct: bool = False) -> str:
    base = hub.url.replace("http", "ws", 1)  # wss:// through the hub's HTTPS proxy
    if direct:  # straight to the service's port, as any local process could try
        base = f"ws://127.0.0.1:{hub.ports[site]}"
    return f"{base}/services/site-{site}/api/kernels/{kernel_id}/channels"


def api_token(client: HubClient, username: str) -> str:
    """A hub API token of the signed-in user (the hub's own page for this does the same)."""
    xsrf = client.http.cookies.get("_xsrf", path="/hub/")
    answer = client.http.post(
        f"{client.hub.url}/hub/api/users/{username}/tokens",
        json={"note": "test"},
        headers={"X-XSRFToken": xsrf or ""},
        timeout=30,
    )
    assert answer.status_code == 201, answer.text
    return answer.json()["token"]


def test_learner_signs_in_at_the_hub_opens_a_page_and_answers(hub, guard):
    from browser_pages import question, wait_saved
    from browser_support import new_context, wait_drawn

    from course.answers.store import ANSWERS_FILE, AnswerStore

    alice = hub.people["Alice"]
    context = new_context(guard, ignore_https_errors=True)  # the test's own certificate
    page = context.new_page()
    page.goto(f"{hub.url}/services/site-a/{PAGE}")
    page.get_by_label("Mon lieu d'atelier").select_option("a")
    page.get_by_label("Mon prénom").fill(alice.name)
    page.get_by_label("Mon code (sur ma carte)").fill(alice.secret)
    page.get_by_role("button", name="Entrer").click()
    wait_drawn(page)
    assert page.url.startswith(f"{hub.url}/services/site-a/{PAGE}")
    assert page.get_by_text("Vous êtes entré avec le prénom Alice.").is_visible()
    assert page.locator(".cq-signin").count() == 0  # the hub's sign-in is the only one
    box = question(page, "eval-message")
    box.get_by_label("Votre réponse").fill("Appeler la banque au numéro habituel.")
    box.get_by_label("Votre réponse").press("Tab")
    wait_saved(page, "eval-message")
    project = hub.projects["a"]
    module = project.catalogue.get("essai")
    stored = AnswerStore(project.workspace("alice", module.id) / ANSWERS_FILE).answers
    assert stored["eval-message"] == "Appeler la banque au numéro habituel."
    # The widgets' front end came once, by URL, under the service's prefix (course.learner.assets).
    link = "link[rel=stylesheet][href^='%s/services/site-a/voila/static/question.css?v=']"
    assert page.locator(link % hub.url).count() == 1
    # « Se déconnecter » on the page ends the hub session: the page does not open again.
    page.get_by_role("button", name="Se déconnecter").click()
    page.wait_for_url(f"{hub.url}/hub/**")
    page.goto(f"{hub.url}/services/site-a/{PAGE}")
    page.wait_for_url(f"{hub.url}/hub/login**")
    assert page.get_by_label("Mon prénom").is_visible()
    context.close()


def test_a_learner_of_site_a_reaches_nothing_of_site_b(hub):
    alice = signed_in(hub, "Alice")
    # Through the hub: the hub refuses the OAuth of a service her roles do not reach.
    assert alice.get(f"/services/site-b/{PAGE}").status_code == 403
    # Straight to B's service with her own hub token: B's guard asks the hub, and refuses.
    token = api_token(alice, hub.people["Alice"].username)
    a_port, b_port = hub.ports["a"], hub.ports["b"]
    auth = {"Authorization": f"token {token}"}
    page_b = requests.get(
        f"http://127.0.0.1:{b_port}/services/site-b/{PAGE}", headers=auth, timeout=60
    )
    assert page_b.status_code == 403
    assert "Accès réservé" in page_b.text
    page_a = requests.get(
        f"http://127.0.0.1:{a_port}/services/site-a/{PAGE}", headers=auth, timeout=60
    )
    assert page_a.status_code == 200  # the same token is good at her own site
    # B's kernel channels: a kernel really drawn for Chloé, B's learner.
    kernel_b = page_kernel(signed_in(hub, "Chloé"), "b")
    assert socket_status(hub, channels(hub, kernel_b, "b"), cookie=alice.cookie_header()) == 403
    assert socket_status(hub, channels(hub, kernel_b, "b", direct=True), token=token) == 403


def test_kernel_channels_refuse_no_session_anonymous_and_other_learners(hub):
    bruno = signed_in(hub, "Bruno")
    kernel = page_kernel(bruno)
    url = channels(hub, kernel)
    assert socket_status(hub, url, cookie=bruno.cookie_header()) == 101  # the page's own learner
    assert socket_status(hub, url) == 403  # no session at all
    anonymous = HubClient(hub)
    anonymous.get("/hub/login")  # the cookies a visitor gets without signing in
    assert socket_status(hub, url, cookie=anonymous.cookie_header()) == 403
    assert socket_status(hub, channels(hub, kernel, direct=True)) == 403
    forged = "service-site-a=2|1:0|10:1796645843|14:service-site-a|40:Zm9yZ2Vk|00"
    assert socket_status(hub, channels(hub, kernel, direct=True), cookie=forged) == 403
    # Another learner of the same site: signed in, but not this page's.
    denise = signed_in(hub, "Denise")
    assert socket_status(hub, url, cookie=denise.cookie_header()) == 403
    assert denise.get(f"/services/site-a/api/kernels/{kernel}").status_code == 403
    # The preheat socket is for the server's kernels only, whoever is signed in.
    query = url.replace(f"api/kernels/{kernel}/channels", f"voila/query/{kernel}")
    assert socket_status(hub, query, cookie=bruno.cookie_header()) == 403
    # Voilà's REST routes want a session too.
    visitor = requests.get(
        f"{hub.url}/services/site-a/api/kernels/{kernel}", verify=hub.certificate, timeout=60
    )
    assert visitor.status_code == 403


def test_a_kernel_is_its_pages_learner_from_the_first_request_on(hub):
    """The page's request binds its kernel to its learner: another learner of the same site
    who learnt the kernel's id and asks for it before the page's own front end does is
    refused on the REST route and on the channels, and the page's learner still gets in."""
    denise, bruno = signed_in(hub, "Denise"), signed_in(hub, "Bruno")
    kernel = page_kernel(denise)  # drawn; nothing has asked for the kernel yet
    assert bruno.get(f"/services/site-a/api/kernels/{kernel}").status_code == 403
    assert socket_status(hub, channels(hub, kernel), cookie=bruno.cookie_header()) == 403
    assert denise.get(f"/services/site-a/api/kernels/{kernel}").status_code == 200
    assert socket_status(hub, channels(hub, kernel), cookie=denise.cookie_header()) == 101
    # A kernel no page was drawn with is nobody's: even a signed-in learner of the site.
    unknown = "00000000-0000-4000-8000-000000000000"
    assert denise.get(f"/services/site-a/api/kernels/{unknown}").status_code == 403


def test_a_trainer_reaches_their_own_site_space_only(hub):
    trainer = signed_in(hub, "marie")  # trainer of site A
    home = trainer.get("/services/site-a/atelier/")
    assert home.status_code == 200
    assert "Se déconnecter" in home.text
    assert trainer.get("/services/site-b/atelier/").status_code == 403
    token = api_token(trainer, "marie")
    direct = requests.get(
        f"http://127.0.0.1:{hub.ports['b']}/services/site-b/atelier/",
        headers={"Authorization": f"token {token}"},
        timeout=60,
    )
    assert direct.status_code == 403
    # A learner of A does not enter A's trainer space, nor anyone the coordination space.
    alice = signed_in(hub, "Alice")
    assert alice.get("/services/site-a/atelier/").status_code == 403
    assert trainer.get("/services/site-a/coordination/").status_code == 403


def test_the_trainers_settings_and_the_data_notice_pass_axe_in_chromium(hub, guard):
    """Two hub pages nobody had checked in a browser: the trainer's « Réglages du site » of a
    site behind the hub (signed in at the hub's staff form) and the hub's « Vos données »."""
    from browser_support import axe_violations, new_context

    context = new_context(guard, ignore_https_errors=True)  # the test's own certificate
    page = context.new_page()
    page.goto(f"{hub.url}/hub/donnees")
    assert page.get_by_role("heading", level=1).count() == 1
    assert axe_violations(page) == []
    page.goto(f"{hub.url}/hub/login")
    page.get_by_text("Je suis formateur, formatrice ou coordinateur").click()
    page.get_by_label("Identifiant").fill("marie")
    page.get_by_label("Mot de passe").fill(hub.people["marie"].secret)
    page.get_by_role("button", name="Se connecter").click()
    page.wait_for_url(f"{hub.url}/services/site-a/**")
    page.goto(f"{hub.url}/services/site-a/atelier/reglages")
    # A first visit: « Bienvenue : les réglages de ce site », the form to fill in.
    assert "réglages" in page.get_by_role("heading", level=1).inner_text()
    assert page.get_by_label("Vos lieux d'atelier (un par ligne)").is_visible()
    assert axe_violations(page) == []
    context.close()


def test_the_trainer_space_and_the_cards_give_the_hubs_public_address(hub):
    """Behind the hub, learners come through the hub's sign-in for their site: the group page
    and the cards the trainer prints there say its public address, never the service's own."""
    from PIL import Image
    from pypdf import PdfReader

    # `course hub start` says the address people use, too.
    assert f"Le hub démarre : {PUBLIC}/ (2 sites)." in hub.running.log.read_text()  # type: ignore[attr-defined]
    trainer = signed_in(hub, "marie")
    group = f"/services/site-a/atelier/ateliers/{hub.workshop}"
    page = trainer.get(group)
    assert page.status_code == 200, page.status_code
    assert f"{PUBLIC}/hub/carte/a" in page.text
    assert "127.0.0.1" not in page.text
    # She enrols a learner from her space and prints the group's cards there.
    jeton = JETON.search(page.text).group(1)  # type: ignore[union-attr]
    added = trainer.http.post(
        hub.url + group,
        data={"op": "inscrire", "name": "Émile", "_jeton": jeton},
        timeout=60,
    )
    assert added.status_code == 200 and "Émile est dans le groupe." in added.text
    code = re.search(r'<span class="code">(\d{3}) (\d{3})</span>', added.text)
    assert code, "the group page shows Émile's new code once"
    cards = trainer.get(group + "/cartes.pdf")
    assert cards.status_code == 200 and cards.content.startswith(b"%PDF")
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(cards.content)).pages)
    assert "Émile" in text
    # Printed right after she enrolled him: his card carries the code, and still does when
    # the PDF is asked for again (opened in the browser, then printed: walk.md trainer 6).
    assert f"{code.group(1)} {code.group(2)}" in text, text
    again = trainer.get(group + "/cartes.pdf")
    reprinted = "".join(p.extract_text() for p in PdfReader(io.BytesIO(again.content)).pages)
    assert f"{code.group(1)} {code.group(2)}" in reprinted, reprinted
    flat = text.replace("\n", "")
    assert "hub.exemple.fr/hub/carte/a" in flat
    assert "127.0.0.1" not in text
    # The QR code is Émile's personal link at the hub's card sign-in for site A (the same
    # picture as that link's), and its key signs him in at the hub.
    from course.trainer.cards import qr_png

    roster = hub.projects["a"].roster()
    emile = next(lr for lr in roster.learners() if lr.name == "Émile")
    path = f"/hub/carte/a/?cle={roster.token(emile.id)}"
    (drawn,) = PdfReader(io.BytesIO(cards.content)).pages[0].images
    expected = Image.open(qr_png(PUBLIC + path)).convert("L")
    assert drawn.image.convert("L").tobytes() == expected.tobytes()
    arrived = HubClient(hub).get(path)
    assert arrived.status_code == 200, arrived.status_code
    assert arrived.url.startswith(f"{hub.url}/services/site-a/")


def test_after_sign_out_the_old_cookies_open_nothing(hub):
    denise = signed_in(hub, "Denise")
    kernel = page_kernel(denise)
    # What a browser's copy of the service's cookies would still hold after sign-out. (The
    # hub's own login cookie is the hub's business: see tests/support/hub.py.)
    kept = [copy.copy(c) for c in denise.http.cookies if c.path.startswith("/services/")]
    assert any(c.name == "service-site-a" for c in kept)
    cookie = "; ".join(f"{c.name}={c.value}" for c in kept)
    assert denise.get(f"/services/site-a/api/kernels/{kernel}").status_code == 200
    denise.sign_out()
    replay = requests.Session()
    replay.trust_env = False
    replay.verify = hub.certificate
    for kept_cookie in kept:
        replay.cookies.set_cookie(kept_cookie)
    page = replay.get(f"{hub.url}/services/site-a/{PAGE}", timeout=60, allow_redirects=False)
    assert page.status_code == 302
    assert page.headers["Location"].startswith("/hub/api/oauth2/authorize")
    followed = replay.get(f"{hub.url}/services/site-a/{PAGE}", timeout=60)
    assert followed.url.startswith(f"{hub.url}/hub/login")
    api = replay.get(f"{hub.url}/services/site-a/api/kernels/{kernel}", timeout=60)
    assert api.status_code == 403
    assert socket_status(hub, channels(hub, kernel), cookie=cookie) == 403


def test_an_open_page_channel_closes_after_sign_out(hub):
    bruno = signed_in(hub, "Bruno")
    kernel = page_kernel(bruno)
    # Straight to the service: the server's own closing of the channel is what this proves.
    url = channels(hub, kernel, direct=True)
    with connect(url, additional_headers={"Cookie": bruno.cookie_header()}) as socket:
        bruno.sign_out()
        deadline = time.time() + 60
        closed = None
        while time.time() < deadline and closed is None:
            try:
                socket.recv(timeout=1)
            except TimeoutError:
                continue
            except Exception as exc:  # the server closed the channel
                closed = exc
        assert closed is not None, "the page's channel stayed open after sign-out"
