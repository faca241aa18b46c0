"""The hub's own pages (`course/hub/templates/`) extend one `_page.html`: rendered through a
Jinja environment built the way JupyterHub builds its own (our folder before JupyterHub's, as
`course.hub.jhconfig` sets `template_paths`), each is a whole French page with its title, the
hub's style, and the no-referrer line only on the sign-in pages; JupyterHub's own templates
still find their `page.html`."""

from __future__ import annotations

import re

import pytest
from jinja2 import ChoiceLoader, Environment, FileSystemLoader, PrefixLoader
from jupyterhub.app import JupyterHub

from course.hub.jhconfig import TEMPLATES
from course.hub.notice import notice_html

VARS = {
    "base_url": "/hub/",
    "atelier_home": "/user/x/",
    "message": "Votre compte n'est pas sur la liste.",
    "status_code": 404,
    "sites": [("a", "Site A")],
    "authenticator_login_url": "/hub/login",
    "xsrf": "jeton",
    "notice": notice_html(),
}


@pytest.fixture(scope="module")
def env() -> Environment:
    """JupyterHub's loader (`JupyterHub.init_tornado_settings`) with our folder first."""
    base = JupyterHub()._template_paths_default()[0]
    loader = ChoiceLoader(
        [
            PrefixLoader({"templates": FileSystemLoader([base])}, "/"),
            FileSystemLoader([str(TEMPLATES), base]),
        ]
    )
    return Environment(loader=loader, autoescape=True)


@pytest.mark.parametrize(
    ("name", "title", "says", "no_referrer"),
    [
        ("login.html", "Connexion — Ateliers numériques", "Mon code (sur ma carte)", True),
        ("donnees.html", "Vos données — Ateliers numériques", "Ce que nous gardons", True),
        ("proconnect.html", "Connexion impossible — Ateliers numériques", "pas sur la liste", True),
        ("logout.html", "Vous êtes déconnecté — Ateliers numériques", "Fermez maintenant", False),
        ("home.html", "Ateliers numériques", "Aller à mes ateliers", False),
        ("error.html", "Page indisponible — Ateliers numériques", "Page introuvable", False),
        ("404.html", "Page indisponible — Ateliers numériques", "Page introuvable", False),
    ],
)
def test_every_hub_page_is_a_whole_french_page(env, name, title, says, no_referrer):
    html = env.get_template(name).render(**VARS)
    assert html.lstrip().startswith('<!DOCTYPE html>\n<html lang="fr">')
    assert re.findall(r"<title>(.*?)</title>", html) == [title]
    assert html.count("<main>") == 1 and html.rstrip().endswith("</html>")
    assert 'name="viewport"' in html and "font-family: system-ui" in html
    assert ('<meta name="referrer" content="no-referrer">' in html) == no_referrer
    assert says in html


def test_jupyterhub_keeps_its_own_page_template(env):
    """`_page.html` is ours alone: JupyterHub's pages still extend its `page.html`."""
    base = JupyterHub()._template_paths_default()[0]
    assert env.get_template("page.html").filename.startswith(base)
    assert env.get_template("_page.html").filename == str(TEMPLATES / "_page.html")
    assert env.get_template("templates/page.html").filename.startswith(base)


def test_the_sign_in_page_links_the_learners_data_notice(env):
    """« Vos données », as on the laptop's sign-in form: the same notice, at the hub, for
    anyone (`course.hub.notice`, mounted by the authenticator without a sign-in)."""
    from course.learner.pages.privacy import notice_html as laptop_notice

    login = env.get_template("login.html").render(**VARS)
    assert '<a href="/hub/donnees">Vos données : ce que nous gardons sur vous' in login
    page = env.get_template("donnees.html").render(**VARS)
    assert laptop_notice() in page and 'href="/hub/login"' in page


@pytest.mark.parametrize(
    ("status", "says"),
    [
        (403, "réservé aux personnes qui y animent"),  # a trainer at another site's space
        (404, "Si le hub vient de démarrer"),  # the proxy has no route until the services run
        (500, "Ce n'est pas possible"),
    ],
)
def test_the_error_page_says_what_its_status_means(env, status, says):
    html = env.get_template("error.html").render(**{**VARS, "status_code": status})
    assert says in html and 'href="/hub/login"' in html
