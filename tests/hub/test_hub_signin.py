"""A real hub (JupyterHub 6, our authenticator, the Python proxy with HTTPS, its database on a
real PostgreSQL) with two sites: who signs in at its French page, as whom, in which groups, and
what a sign-out leaves. One hub for the whole file (module fixture).

The sites' real services (`course serve --hub-site`) are not started here: a stand-in service per
site (`support/hub_whoami.py`, JupyterHub's own OAuth) shows what the hub's roles and sign-out
allow; what the real services do behind the hub is tested with them.
"""

from __future__ import annotations

import html
import re
import subprocess
import time

import httpx
import pytest
from support.hub import COURSE, add_stand_in_services, make_hub, running_hub

from course.access.hub_names import learner_username
from course.core.files import secret_key
from course.hub import layout
from course.hub.settings import load, save
from course.settings import Project

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def hub(tmp_path_factory, postgres):
    folder = tmp_path_factory.mktemp("hub")
    db_url = postgres.create_database("hub_signin")
    hub_dir = make_hub(
        folder / "hub",
        sites={"a": ["marie"], "b": ["paul", "lea"]},
        coordinators=["claire"],
        services=False,
        db_url=db_url,
    )
    add_stand_in_services(hub_dir)
    # Staff are checked against hub.toml every second instead of every 5 minutes.
    refresh = layout.extra_config_dir(hub_dir) / "refresh.py"
    refresh.parent.mkdir(parents=True, exist_ok=True)
    refresh.write_text("c.Authenticator.auth_refresh_age = 1\n")
    with running_hub(hub_dir) as running:
        yield running


def enrol(hub, slug: str, name: str) -> tuple[str, str]:
    """Add a learner to the site's roster: (their expected hub username, their code)."""
    roster = Project(layout.site_dir(hub.hub_dir, slug)).roster()
    learner, code = roster.add(name)
    return learner_username(secret_key(roster.secret_path), slug, learner.id), code


def sign_in(client: httpx.Client, hub, **fields: str) -> httpx.Response:
    """The hub's sign-in page as a browser uses it: the page (its form value), then the form."""
    page = client.get(f"{hub.url}/hub/login")
    assert page.status_code == 200
    xsrf = re.search(r'name="_xsrf" value="([^"]+)"', page.text).group(1)
    return client.post(f"{hub.url}/hub/login", data={"_xsrf": xsrf, **fields})


def learner_sign_in(client, hub, site: str, name: str, code: str) -> httpx.Response:
    return sign_in(client, hub, kind="apprenant", site=site, username=name, password=code)


def user_names(hub) -> set[str]:
    return {u["name"] for u in hub.api("/users")}


def test_the_sign_in_page_is_french_and_lists_the_sites(hub):
    with hub.client() as client:
        page = client.get(f"{hub.url}/hub/login")
    assert page.status_code == 200
    assert '<html lang="fr">' in page.text
    assert "Mon prénom" in page.text and "Mon code" in page.text
    assert ">Site A</option>" in page.text and ">Site B</option>" in page.text
    assert "Username" not in page.text and "Password" not in page.text
    # « Vos données », as on the laptop's sign-in form: read without signing in.
    assert 'href="/hub/donnees"' in page.text
    with hub.client() as anonymous:
        notice = anonymous.get(f"{hub.url}/hub/donnees")
    assert notice.status_code == 200, notice.status_code
    assert "Vos données : ce que nous gardons sur vous" in notice.text
    assert "Où et combien de temps" in notice.text


def test_a_learner_signs_in_as_an_opaque_user_of_their_site(hub):
    username, code = enrol(hub, "a", "Hélène")
    with hub.client() as client:
        answer = learner_sign_in(client, hub, "a", "Hélène", code)
        assert answer.status_code == 302
        assert answer.headers["location"] == "/services/site-a/"
        assert "jupyterhub-hub-login" in client.cookies
    assert re.fullmatch(r"l-[0-9a-f]{24}", username)
    user = hub.api(f"/users/{username}")
    assert user["groups"] == ["site.a.learner"]
    assert "helene" not in str(user["name"]).lower()


def test_a_learner_reaches_their_site_service_only(hub):
    username, code = enrol(hub, "a", "Yasmine")
    with hub.client(follow_redirects=True) as client:
        assert learner_sign_in(client, hub, "a", "Yasmine", code).status_code == 200
        mine = client.get(f"{hub.url}/services/site-a/")
        assert mine.status_code == 200, mine.text
        assert mine.json() == {"name": username, "groups": ["site.a.learner"]}
        other = client.get(f"{hub.url}/services/site-b/")
    assert other.status_code == 403
    assert username not in other.text


def test_a_card_link_signs_in_once(hub):
    roster = Project(layout.site_dir(hub.hub_dir, "a")).roster()
    learner, _code = roster.add("Sofia")
    token = roster.token(learner.id)
    username = learner_username(secret_key(roster.secret_path), "a", learner.id)
    with hub.client() as client:
        other_site = client.get(f"{hub.url}/hub/carte/b/?cle={token}")
        assert other_site.status_code == 403
        answer = client.get(f"{hub.url}/hub/carte/a/?cle={token}")
    assert answer.status_code == 302
    assert answer.headers["location"] == "/services/site-a/"
    assert hub.api(f"/users/{username}")["groups"] == ["site.a.learner"]
    with hub.client() as next_person:  # the same link from the browser's history
        spent = next_person.get(f"{hub.url}/hub/carte/a/?cle={token}")
    assert spent.status_code == 403
    assert "Ce lien personnel a déjà servi" in html.unescape(spent.text)
    assert '<option value="a" selected>' in spent.text
    assert "jupyterhub-hub-login" not in next_person.cookies


def test_the_same_learner_cannot_sign_in_at_another_site(hub):
    _username, code = enrol(hub, "a", "Ahmed")
    with hub.client() as client:
        answer = learner_sign_in(client, hub, "b", "Ahmed", code)
    assert answer.status_code == 403
    assert "Le prénom ou le code ne correspond pas" in answer.text


def test_five_wrong_codes_lock_the_first_name(hub):
    username, code = enrol(hub, "a", "Lucie")
    with hub.client() as client:
        for _ in range(5):
            wrong = learner_sign_in(client, hub, "a", "Lucie", "ZZZZ-ZZZZ")
            assert wrong.status_code == 403
            assert "ne correspond pas" in wrong.text
        locked = learner_sign_in(client, hub, "a", "Lucie", code)
    assert locked.status_code == 403
    assert "Trop d'essais avec ce prénom" in html.unescape(locked.text)
    assert hub.api(f"/users/{username}") is None


@pytest.mark.parametrize("name", ["../../etc", "<script>alert(1)</script>", "🙂🙂"])
def test_a_hostile_first_name_changes_nothing(hub, name):
    # Nothing typed is written to the hub's log either (a first name is personal data).
    before = user_names(hub)
    with hub.client() as client:
        answer = learner_sign_in(client, hub, "a", name, "AAAA-AAAA")
    assert answer.status_code == 403
    assert "<script>alert(1)</script>" not in answer.text
    assert user_names(hub) == before
    # Enrolled under that name, the learner is still an opaque user of their site only.
    username, code = enrol(hub, "a", name)
    with hub.client() as client:
        assert learner_sign_in(client, hub, "a", name, code).status_code == 302
    assert re.fullmatch(r"l-[0-9a-f]{24}", username)
    assert hub.api(f"/users/{username}")["groups"] == ["site.a.learner"]
    assert not (hub.hub_dir.parent / "etc").exists()
    assert name not in hub.all_logs()


def test_a_trainer_signs_in_with_a_password_and_is_trainer_of_their_site_only(hub):
    with hub.client() as client:
        wrong = sign_in(client, hub, kind="equipe", username="marie", password="pas-le-bon")
        assert wrong.status_code == 403
        assert "Identifiant ou mot de passe incorrect" in wrong.text
        answer = sign_in(
            client, hub, kind="equipe", username="marie", password="marie-mot-de-passe"
        )
        assert answer.status_code == 302
        assert answer.headers["location"] == "/services/site-a/atelier/"
        assert client.get(f"{hub.url}/services/site-a/", follow_redirects=True).json() == {
            "name": "marie",
            "groups": ["site.a.trainer"],
        }
        other = client.get(f"{hub.url}/services/site-b/", follow_redirects=True)
    assert other.status_code == 403
    assert hub.api("/users/marie")["groups"] == ["site.a.trainer"]


def test_five_wrong_passwords_lock_a_staff_username(hub):
    with hub.client() as client:
        for _ in range(5):
            wrong = sign_in(client, hub, kind="equipe", username="paul", password="pas-le-bon")
            assert "Identifiant ou mot de passe incorrect" in wrong.text
        locked = sign_in(client, hub, kind="equipe", username="paul", password="paul-mot-de-passe")
    assert locked.status_code == 403
    assert "Trop d'essais pour cet identifiant" in html.unescape(locked.text)
    assert hub.api("/users/paul") is None


def test_staff_follow_hub_toml_while_signed_in(hub):
    with hub.client() as client:
        answer = sign_in(client, hub, kind="equipe", username="lea", password="lea-mot-de-passe")
        assert answer.status_code == 302
        assert client.get(f"{hub.url}/services/site-b/", follow_redirects=True).status_code == 200
        kept = httpx.Cookies(client.cookies)
        settings = load(hub.hub_dir)  # the administrator moves Léa from site B to site A
        settings.site("b").trainers.remove("lea")
        settings.site("a").trainers.append("lea")
        save(hub.hub_dir, settings)
        time.sleep(1.5)
        assert client.get(f"{hub.url}/hub/home").status_code == 200
        assert hub.api("/users/lea")["groups"] == ["site.a.trainer"]
        settings.site("a").trainers.remove("lea")  # then takes her off the hub
        del settings.trainers["lea"]
        save(hub.hub_dir, settings)
        time.sleep(1.5)
        ended = client.get(f"{hub.url}/hub/home")
    assert ended.status_code == 302 and ended.headers["location"].startswith("/hub/login")
    with hub.client(cookies=kept) as copy:
        service = copy.get(f"{hub.url}/services/site-b/", follow_redirects=True)
    assert "Mon prénom" in service.text


def test_the_coordinator_is_in_coordination(hub):
    with hub.client() as client:
        answer = sign_in(
            client, hub, kind="equipe", username="claire", password="claire-mot-de-passe"
        )
        assert answer.status_code == 302
        for slug in ("a", "b"):  # a site's service is for its learners and trainers
            site = client.get(f"{hub.url}/services/site-{slug}/", follow_redirects=True)
            assert site.status_code == 403
    assert hub.api("/users/claire")["groups"] == ["coordination"]


def test_sign_out_ends_the_session_on_the_server(hub):
    _username, code = enrol(hub, "a", "Karim")
    with hub.client() as client:
        assert learner_sign_in(client, hub, "a", "Karim", code).status_code == 302
        service = client.get(f"{hub.url}/services/site-a/", follow_redirects=True)
        assert service.status_code == 200
        kept = httpx.Cookies(client.cookies)  # what a browser (or someone) copied
        home = client.get(f"{hub.url}/hub/home")
        assert home.status_code == 200
        assert 'href="/services/site-a/">Aller à mes ateliers' in home.text
        out = client.get(f"{hub.url}/hub/logout")
        assert out.status_code == 200
        assert "Fermez maintenant cette fenêtre" in out.text
        assert "cookies" in out.headers["clear-site-data"]
    time.sleep(1.5)  # the stand-in service asks the hub again after 1 s
    with hub.client(cookies=kept) as copy:
        again = copy.get(f"{hub.url}/hub/home")
        assert again.status_code == 302
        assert again.headers["location"].startswith("/hub/login")
        # The service's own cookie holds a token the hub deleted: back to the sign-in page.
        service = copy.get(f"{hub.url}/services/site-a/", follow_redirects=True)
    assert service.status_code == 200
    assert "Mon prénom" in service.text and "Karim" not in service.text


def test_https_with_secure_cookies_and_plain_http_only_redirects(hub):
    assert hub.url.startswith("https://127.0.0.1:")
    _username, code = enrol(hub, "b", "Inès")
    with hub.client() as client:
        answer = learner_sign_in(client, hub, "b", "Inès", code)
    cookies = answer.headers.get_list("set-cookie")
    login = [c for c in cookies if c.startswith("jupyterhub-hub-login=")]
    assert login and all("Secure" in c and "HttpOnly" in c for c in login)
    with httpx.Client() as plain:
        redirect = plain.get(f"{hub.http_url}/hub/login?next=%2Fhub%2Fhome")
    assert redirect.status_code == 301
    port = hub.url.rsplit(":", 1)[1]
    assert redirect.headers["location"] == (
        f"https://127.0.0.1:{port}/hub/login?next=%2Fhub%2Fhome"
    )
    assert "Hélène" not in redirect.text and "form" not in redirect.text
    with pytest.raises(httpx.HTTPError), httpx.Client() as plain:
        plain.get(hub.url.replace("https://", "http://") + "/hub/login")


def test_upgrade_db_covers_the_hub_database(hub, tmp_path):
    project = tmp_path / "projet"
    project.mkdir()
    (project / "nbgrader_config.py").write_text("c = get_config()\n")
    done = subprocess.run(
        [*COURSE, "upgrade-db", "--hub", str(hub.hub_dir)],
        cwd=project,
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, done.stderr
    assert "Base du hub à jour" in done.stdout


@pytest.mark.browser
def test_in_chromium_a_learner_signs_in_and_out_and_the_browser_keeps_nothing(hub, guard):
    from browser_checks import axe_violations
    from browser_chromium import new_context

    username, code = enrol(hub, "b", "Chloé")
    context = new_context(guard, ignore_https_errors=True)
    try:
        page = context.new_page()
        page.goto(f"{hub.url}/hub/login")
        assert axe_violations(page) == []
        page.select_option("#site", "b")
        page.fill("#prenom", "Chloé")
        page.fill("#code", code)
        page.click("#apprenant button")
        page.wait_for_url("**/services/site-b/")
        assert username in page.content()
        assert any(c["name"] == "jupyterhub-hub-login" for c in context.cookies())
        page.goto(f"{hub.url}/hub/logout")
        assert "Fermez maintenant cette fenêtre" in page.content()
        assert axe_violations(page) == []
        assert [c["name"] for c in context.cookies()] == []
    finally:
        context.close()
