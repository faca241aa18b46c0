"""Who gets into the trainer's space, in process (`support.spaces`): the link from this
computer, the password from another, the cookie's attributes, the CSRF value on every change,
and a French refusal with nothing of the space for everyone else (a learner's browser on the
same machine included)."""

from __future__ import annotations

import pytest
from support.spaces import SpaceClient, workshop_form

PASSWORD = "mot-de-passe-de-test"
# Every page, file and API of the space, for a workshop (1) that exists.
PATHS = [
    "",
    "ateliers/1",
    "ateliers/1/cartes.pdf",
    "ateliers/1/suivi",
    "ateliers/1/correction",
    "ateliers/1/resultats",
    "api/ateliers/1/suivi",
    "api/taches/1",
    "static/space.css",
    "static/space.js",
    "connexion?jeton=faux",
]


@pytest.fixture
def space(trainer, essai_project):
    """A space with a workshop whose group has Ahmed, and the trainer's password set (read
    by a new `Project`, as `course serve` reads it at start)."""
    from course.access.gate import set_password
    from course.settings import Project

    made = trainer.post("", workshop_form())
    trainer.post(made.location.split("?")[0], {"op": "inscrire", "name": "Ahmed"})
    set_password(essai_project, "trainer", PASSWORD)
    return Project(essai_project.root)


def test_the_link_gives_a_strict_cookie_and_leaves_the_address_bar(essai_project):
    from course.access.gate import Gate

    with SpaceClient(essai_project) as client:
        token = Gate(essai_project, "trainer").issue_link_token()
        entered = client.get(f"connexion?jeton={token}")
        assert entered.status == 303 and entered.location == "/atelier/"
        cookie = entered.headers["Set-Cookie"]
        assert cookie.startswith("atelier-trainer=")
        assert all(part in cookie for part in ("HttpOnly", "SameSite=Strict", "Path=/atelier/"))
        home = client.get(entered.location, follow=True)  # the first visit: the settings
        assert home.status == 200 and home.url == "/atelier/reglages"
        assert home.soup.h1.get_text() == "Bienvenue : les réglages de ce site"
        for header, value in {
            "Cache-Control": "no-store",
            "Referrer-Policy": "no-referrer",
            "X-Frame-Options": "DENY",
        }.items():
            assert home.headers[header] == value
        assert "script-src 'self'" in home.headers["Content-Security-Policy"]


def test_the_password_from_another_computer(space):
    with SpaceClient(space) as client:
        form = client.get("connexion")
        assert form.status == 200 and form.soup.select_one('input[name="mot_de_passe"]')
        assert "Ahmed" not in form.text
        wrong = client.post("connexion", {"mot_de_passe": "pas-le-bon"})
        assert wrong.status == 403 and "Mot de passe refusé." in wrong.words()
        assert "Ahmed" not in wrong.text and client.get("").status == 403
        home = client.sign_in(PASSWORD)
        assert home.status == 200 and home.url == "/atelier/"


def test_without_a_password_the_sign_in_page_refuses(essai_project):
    with SpaceClient(essai_project) as client:
        refused = client.get("connexion")
        assert refused.status == 403 and "Accès réservé" in refused.words()


@pytest.mark.parametrize("who", ["anonymous", "learner"])
def test_everyone_else_is_refused_everywhere_in_french(space, who):
    """No cookie, or a learner's own session cookie (same machine, same origin)."""
    from course.access.sessions import SignInSessions

    with SpaceClient(space) as client:
        if who == "learner":
            learner, _code = space.roster().add("Zoé")
            client.cookies["atelier_session"] = SignInSessions(space.data_dir).create(learner.id)
        for path in PATHS:
            page = client.get(path)
            assert page.status == 403, path
            assert "Ahmed" not in page.text and "essai" not in page.text, path
        assert client.get("ateliers/1/suivi").soup.h1.get_text() == "Accès réservé"
        assert "réservée à la personne qui anime" in client.get("").words()
        assert client.get("api/ateliers/1/suivi").json() == {"erreur": "Accès réservé."}
        for path in ("api/ateliers/1/etapes/ramasser", "ateliers/1", ""):
            posted = client.post(path, {"op": "retirer", "learner": "ahmed"})
            assert posted.status == 403, path
    assert [lr.name for lr in space.roster().learners() if lr.id == "ahmed"] == ["Ahmed"]


def test_a_change_without_the_csrf_value_is_refused(trainer, space):
    refused = trainer.post("ateliers/1", {"op": "inscrire", "name": "Intrus"}, jeton=False)
    assert refused.status == 403
    assert "Intrus" not in {lr.name for lr in space.roster().learners()}
    trainer.jeton = ""  # the script's call without its X-Jeton header
    assert trainer.api("api/ateliers/1/etapes/ramasser", "POST").status == 403
    assert trainer.space.extra["jobs"].started == 0


def test_signing_out_ends_the_cookie(trainer):
    # Every signed-in page offers it (the shared header): a form to this space's sign-out page
    # with the CSRF value.
    (form,) = trainer.get("").soup.select("header form.sign-out")
    assert form["action"] == "/atelier/deconnexion" and form["method"] == "post"
    assert form.select_one("input[name=_jeton]")["value"] == trainer.jeton
    assert form.button.get_text(strip=True) == "Se déconnecter"
    out = trainer.post("deconnexion")
    assert out.status == 303 and out.location == "/"
    assert "atelier-trainer" not in trainer.cookies
    assert trainer.get("").status == 403


def test_an_unknown_step_says_so_in_french(trainer):
    api = trainer.get("api/taches/99")
    assert api.status == 404 and api.json() == {"erreur": "Cette étape est inconnue."}
