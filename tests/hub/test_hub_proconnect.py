"""Staff sign-in through ProConnect, against a real OpenID Connect provider: `oidc-provider`
(npm, OpenID certified) on Debian's Node.js, configured as ProConnect answers (PKCE required,
nonce, acr eidas1, userinfo as a signed JWT, end_session_endpoint), and a real hub on loopback
(HTTPS) whose hub.toml switches the staff to ProConnect. The browser's part is played by httpx
following the real redirects and posting the provider's real sign-in form.
"""

from __future__ import annotations

import html
import json
import re
import subprocess
import time
import tomllib
import urllib.parse
from pathlib import Path

import httpx
import pytest
from support.hub import make_hub, running_hub
from support.project import free_port

from course.hub import layout
from course.hub.proconnect import FAILED, USE_PROCONNECT, read_client_secret, secret_path
from course.hub.run import prepare
from course.hub.settings import HubConfigError, dumps, load, parse, save
from course.settings import Project

pytestmark = pytest.mark.slow

OIDC = Path(__file__).parents[1] / "oidc"
CLIENT_ID = "hub-ateliers"
ACCOUNTS = {
    "marie": {
        "password": "marie-pc",
        "given_name": "Marie",
        "usual_name": "Dupont",
        "email": "marie.dupont@brest.fr",
        "siret": "21290019700013",
    },
    "inconnu": {
        "password": "inconnu-pc",
        "given_name": "Jean",
        "usual_name": "Martin",
        "email": "jean.martin@ailleurs.fr",
        "siret": "21290019700013",
    },
    "paul": {  # listed, but the provider vouches for a lower level than eidas1
        "password": "paul-pc",
        "given_name": "Paul",
        "usual_name": "Le Gall",
        "email": "paul.legall@brest.fr",
        "siret": "21290019700013",
        "acr": "eidas0",
    },
}


@pytest.fixture(scope="module")
def provider() -> tuple[str, dict]:
    """The provider's issuer URL (a free loopback port) and its configuration."""
    assert (OIDC / "node_modules" / "oidc-provider").is_dir(), (
        "tests/oidc/node_modules manque : lancez bash scripts/test.sh (npm ci --prefix tests/oidc)"
    )
    port = free_port()
    config = {
        "port": port,
        "client_id": CLIENT_ID,
        "client_secret": "secret-de-test-" + "x" * 32,
        "redirect_uris": [],  # filled by the hub fixture (its port)
        "post_logout_redirect_uris": [],
        "accounts": ACCOUNTS,
    }
    return f"http://127.0.0.1:{port}", config


@pytest.fixture(scope="module")
def hub(tmp_path_factory, provider):
    issuer, config = provider
    folder = tmp_path_factory.mktemp("hub")
    hub_dir = make_hub(
        folder / "hub", sites={"a": ["marie"], "b": ["paul"]}, coordinators=["claire"],
        services=False,
    )  # fmt: skip
    settings = load(hub_dir)
    settings.proconnect_issuer, settings.proconnect_client_id = issuer, CLIENT_ID
    settings.emails = {"marie": "Marie.Dupont@brest.fr", "paul": "paul.legall@brest.fr"}
    save(hub_dir, settings)
    # Staff are checked against hub.toml every second instead of every 5 minutes.
    layout.extra_config_dir(hub_dir).mkdir(parents=True, exist_ok=True)
    (layout.extra_config_dir(hub_dir) / "refresh.py").write_text(
        "c.Authenticator.auth_refresh_age = 1\n"
    )
    secret = secret_path(hub_dir)
    secret.write_text(config["client_secret"] + "\n")
    secret.chmod(0o600)
    hub_url = f"https://127.0.0.1:{settings.port}"
    config["redirect_uris"] = [f"{hub_url}/hub/oauth_callback"]
    config["post_logout_redirect_uris"] = [f"{hub_url}/hub/logout"]
    config_path = folder / "oidc.json"
    config_path.write_text(json.dumps(config))
    log = (folder / "oidc.log").open("w")
    node = subprocess.Popen(
        ["node", str(OIDC / "provider.mjs"), str(config_path)], stdout=subprocess.PIPE,
        stderr=log, text=True,
    )  # fmt: skip
    try:
        assert node.stdout is not None
        assert node.stdout.readline().startswith("ready "), (folder / "oidc.log").read_text()
        with running_hub(hub_dir) as running:
            yield running
    finally:
        node.terminate()
        node.wait(timeout=10)
        log.close()


def proconnect_sign_in(
    client: httpx.Client, hub, login: str, password: str, back: httpx.Client | None = None
) -> httpx.Response:
    """A browser's journey: the hub's ProConnect button, the provider's sign-in form, back to
    the hub's callback (in `back`, another browser, if given); the callback's answer."""
    answer = client.get(f"{hub.url}/hub/oauth_login")
    assert answer.status_code == 302, answer.text
    authorize = urllib.parse.urlparse(answer.headers["location"])
    asked = urllib.parse.parse_qs(authorize.query)
    assert asked["acr_values"] == ["eidas1"] and asked["code_challenge_method"] == ["S256"]
    assert asked["scope"] == ["openid given_name usual_name email siret"]
    assert len(asked["nonce"][0]) >= 32
    answer = client.get(answer.headers["location"], follow_redirects=True)
    action = re.search(r'<form method="post" action="([^"]+)"', answer.text)
    assert action, answer.text
    url = str(answer.url.join(action.group(1)))
    answer = client.post(url, data={"login": login, "password": password})
    while answer.status_code in (302, 303):
        url = str(answer.url.join(answer.headers["location"]))
        if urllib.parse.urlparse(url).path == "/hub/oauth_callback":
            return (back or client).get(url)
        answer = client.get(url)
    raise AssertionError(f"no way back to the hub: {answer.status_code} {answer.text[:500]}")


def test_the_sign_in_page_offers_proconnect_to_staff_and_the_code_to_learners(hub):
    with hub.client() as client:
        page = client.get(f"{hub.url}/hub/login")
    assert page.status_code == 200
    assert "S'identifier avec ProConnect" in html.unescape(page.text)
    assert 'action="/hub/oauth_login"' in page.text
    assert "Mon prénom" in page.text and "Mon code" in page.text
    assert 'id="mot-de-passe"' not in page.text


def test_learners_keep_their_first_name_and_code(hub):
    roster = Project(layout.site_dir(hub.hub_dir, "a")).roster()
    _learner, code = roster.add("Hélène")
    with hub.client() as client:
        page = client.get(f"{hub.url}/hub/login")
        xsrf = re.search(r'name="_xsrf" value="([^"]+)"', page.text).group(1)
        fields = {"kind": "apprenant", "site": "a", "username": "Hélène", "password": code}
        answer = client.post(f"{hub.url}/hub/login", data={"_xsrf": xsrf, **fields})
    assert answer.status_code == 302
    assert answer.headers["location"] == "/services/site-a/"


def test_a_trainer_listed_by_email_signs_in_and_is_trainer_of_their_site_only(hub):
    with hub.client() as client:
        back = proconnect_sign_in(client, hub, "marie", "marie-pc")
        assert back.status_code == 302, back.text
        assert back.headers["location"] == "/services/site-a/atelier/"
        assert client.get(f"{hub.url}/hub/home").status_code == 200
    marie = hub.api("/users/marie")
    assert marie["groups"] == ["site.a.trainer"]


def test_an_unlisted_email_is_refused_in_french(hub):
    before = {u["name"] for u in hub.api("/users")}
    with hub.client() as client:
        back = proconnect_sign_in(client, hub, "inconnu", "inconnu-pc")
        assert back.status_code == 403
        text = html.unescape(back.text)
        assert "L'adresse jean.martin@ailleurs.fr n'est pas inscrite sur ce hub" in text
        assert '<html lang="fr">' in back.text
        assert client.get(f"{hub.url}/hub/home").status_code == 302  # not signed in
    assert {u["name"] for u in hub.api("/users")} == before


def test_a_providers_answer_opens_nothing_in_another_browser(hub):
    """Login injection: someone's callback address (code and state) sent to another browser,
    which never asked for it (no state cookie), signs nobody in."""
    with hub.client() as client, hub.client() as victim:
        back = proconnect_sign_in(client, hub, "marie", "marie-pc", back=victim)
        assert back.status_code == 403
        assert FAILED in html.unescape(back.text)
        assert victim.get(f"{hub.url}/hub/home").status_code == 302


def test_the_staff_password_form_is_off(hub):
    with hub.client() as client:
        page = client.get(f"{hub.url}/hub/login")
        xsrf = re.search(r'name="_xsrf" value="([^"]+)"', page.text).group(1)
        data = {"_xsrf": xsrf, "kind": "equipe", "username": "marie"}
        answer = client.post(
            f"{hub.url}/hub/login", data={**data, "password": "marie-mot-de-passe"}
        )
    assert answer.status_code == 403
    assert USE_PROCONNECT in html.unescape(answer.text)


def test_a_userinfo_signed_with_a_key_the_hub_does_not_trust_is_refused(hub, provider):
    issuer, _config = provider
    with hub.client() as client:
        assert client.post(f"{issuer}/test/forge-userinfo").status_code == 204
        back = proconnect_sign_in(client, hub, "marie", "marie-pc")
        assert back.status_code == 403
        assert FAILED in html.unescape(back.text)
        assert client.get(f"{hub.url}/hub/home").status_code == 302
    assert "InvalidSignatureError" in hub.log.read_text()


def test_logout_ends_the_hub_session_and_the_providers(hub):
    with hub.client() as client:
        assert proconnect_sign_in(client, hub, "marie", "marie-pc").status_code == 302
        kept = httpx.Cookies(client.cookies)
        out = client.get(f"{hub.url}/hub/logout")
        assert out.status_code == 302
        end = urllib.parse.urlparse(out.headers["location"])
        asked = urllib.parse.parse_qs(end.query)
        assert out.headers["location"].startswith(
            load(hub.hub_dir).proconnect_issuer + "/session/end?"
        )
        assert asked["post_logout_redirect_uri"] == [f"{hub.url}/hub/logout"]
        assert asked["id_token_hint"][0].count(".") == 2
        # The provider asks to confirm (its own form), then sends the browser back to the hub.
        confirm = client.get(out.headers["location"])
        form = re.search(r'action="([^"]+)"', confirm.text)
        xsrf = re.search(r'name="xsrf" value="([^"]+)"', confirm.text)
        assert form and xsrf, confirm.text
        done = client.post(
            str(confirm.url.join(form.group(1))), data={"xsrf": xsrf.group(1), "logout": "yes"}
        )
        assert done.status_code in (302, 303)
        assert done.headers["location"].startswith(f"{hub.url}/hub/logout")
        page = client.get(done.headers["location"])
        assert page.status_code == 200
        assert "Vous êtes déconnecté" in page.text
    with hub.client(cookies=kept) as copy:  # a copied cookie opens nothing
        again = copy.get(f"{hub.url}/hub/home")
    assert again.status_code == 302
    assert again.headers["location"].startswith("/hub/login")


def test_an_identity_below_eidas1_is_refused(hub):
    with hub.client() as client:
        back = proconnect_sign_in(client, hub, "paul", "paul-pc")
        assert back.status_code == 403
        assert FAILED in html.unescape(back.text)
    assert hub.api("/users/paul") is None
    assert "Refused ProConnect answer: acr 'eidas0' instead of 'eidas1'" in hub.log.read_text()


def test_in_chromium_a_trainer_goes_through_proconnect_and_back_out(hub, guard):
    """The same journey in a real browser (its cookie rules: Secure, SameSite, the hub on
    HTTPS and the provider on plain HTTP)."""
    from browser_checks import axe_violations
    from browser_chromium import new_context

    context = new_context(guard, ignore_https_errors=True)
    try:
        page = context.new_page()
        page.goto(f"{hub.url}/hub/login")
        page.click("summary")
        assert axe_violations(page) == []
        page.click("#proconnect button")
        page.fill("input[name=login]", "marie")
        page.fill("input[name=password]", "marie-pc")
        page.click("button[type=submit]")
        page.wait_for_url("**/services/site-a/atelier/")
        names = {c["name"] for c in context.cookies()}
        assert {"jupyterhub-hub-login", "atelier-proconnect"} <= names
        page.goto(f"{hub.url}/hub/logout")  # to the provider, which asks to confirm
        page.click("button[name=logout]")
        page.wait_for_url(f"{hub.url}/hub/logout**")
        assert "Vous êtes déconnecté" in page.content()
        assert axe_violations(page) == []
        hub_cookies = [c["name"] for c in context.cookies(hub.url)]
        assert "jupyterhub-hub-login" not in hub_cookies
        assert "atelier-proconnect" not in hub_cookies
    finally:
        context.close()


def test_an_email_taken_off_hub_toml_ends_that_persons_sessions(hub):
    with hub.client() as client:
        assert proconnect_sign_in(client, hub, "marie", "marie-pc").status_code == 302
        assert client.get(f"{hub.url}/hub/home").status_code == 200
        settings = load(hub.hub_dir)
        listed = dict(settings.emails)
        settings.emails.pop("marie")
        save(hub.hub_dir, settings)
        try:
            time.sleep(1.5)
            again = client.get(f"{hub.url}/hub/home")
        finally:
            settings.emails = listed
            save(hub.hub_dir, settings)
    assert again.status_code == 302
    assert again.headers["location"].startswith("/hub/login")


def test_hub_toml_proconnect_and_emails_are_checked(tmp_path):
    base = {"trainers": {"marie": "Marie"}, "sites": [{"slug": "a", "trainers": ["marie"]}]}
    proconnect = {"issuer": "https://auth.agentconnect.gouv.fr/api/v2/", "client_id": "x"}
    good = parse({**base, "proconnect": proconnect, "emails": {"marie": " Marie@Brest.fr"}})
    assert good.proconnect_issuer == "https://auth.agentconnect.gouv.fr/api/v2"
    assert good.emails == {"marie": "marie@brest.fr"}
    again = parse(tomllib.loads(dumps(good)))
    assert (again.proconnect_issuer, again.proconnect_client_id) == (
        "https://auth.agentconnect.gouv.fr/api/v2",
        "x",
    )
    assert again.emails == good.emails
    for data, says in [
        ({"proconnect": {"issuer": proconnect["issuer"]}}, "donnez « issuer » et « client_id »"),
        (
            {"proconnect": {**proconnect, "issuer": "http://pc.example"}},
            "doit commencer par https://",
        ),
        ({"emails": {"claire": "c@x.fr"}}, "ni formateur ni coordinateur"),
        ({"emails": {"marie": "pas-un-email"}}, "n'est pas valide"),
    ]:
        with pytest.raises(HubConfigError, match=re.escape(says)):
            parse({**base, **data})


def test_the_client_secret_is_a_private_file_checked_before_the_hub_starts(tmp_path):

    hub_dir = make_hub(tmp_path / "hub", sites={"a": ["marie"]}, services=False, https=False)
    settings = load(hub_dir)
    settings.proconnect_issuer, settings.proconnect_client_id = "https://pc.example", "x"
    save(hub_dir, settings)
    assert "secret" not in layout.config_path(hub_dir).read_text()
    with pytest.raises(HubConfigError, match="ProConnect est configuré mais le secret manque"):
        prepare(hub_dir)  # what `course hub start` checks before starting anything
    assert not layout.generated_config_path(hub_dir).exists()
    secret = secret_path(hub_dir)
    secret.write_text("le-secret\n")
    secret.chmod(0o644)
    with pytest.raises(HubConfigError, match="lisible par d'autres comptes"):
        read_client_secret(hub_dir)
    secret.chmod(0o600)
    assert read_client_secret(hub_dir) == "le-secret"
