"""The identity provider is chosen in nbgrader_config.py, and every page asks it: with another
provider configured (one trusting an upstream's header, `upstream_identity.py`), the trainer's
space and a learner page know who is there from it, and no page changed."""

from __future__ import annotations

from pathlib import Path

import pytest
from support.spaces import ask, save_site_settings, workshop_form

from course.access.settings import identity_provider
from course.settings import CONFIG_FILE, ROOT_ENV, Project
from course.trainer.space import trainer_space

CONFIGURED = 'c.AccessSettings.identity_provider_class = "upstream_identity.UpstreamIdentity"\n'


@pytest.fixture
def upstream(project_dir, monkeypatch) -> Project:
    monkeypatch.syspath_prepend(str(Path(__file__).parent))
    with open(project_dir / CONFIG_FILE, "a", encoding="utf-8") as config:
        config.write(CONFIGURED)
    project = Project(project_dir)
    project.roster().add("Alice")
    return project


def test_the_configured_provider_is_the_one_asked(upstream):
    assert type(identity_provider(upstream)).__name__ == "UpstreamIdentity"


def test_the_trainer_space_knows_who_is_there_from_the_configured_provider(upstream):
    save_site_settings(upstream)  # past the first visit's settings
    space = trainer_space(upstream)
    trainer = {"X-Remote-User": "trainer"}
    home = ask(space, "/atelier/", headers=trainer)
    assert home.status == 200 and "Les ateliers du jour" in home.body
    for who in ({}, {"X-Remote-User": "learner:alice"}, {"X-Remote-User": "coordinator"}):
        assert ask(space, "/atelier/", headers=who).status == 403
    # The room's own proofs open nothing here: its cookie, and its sign-in page is not mounted.
    from course.access.gate import Gate

    room_cookie = {"atelier-trainer": Gate(upstream, "trainer").new_cookie()}
    assert ask(space, "/atelier/", cookies=room_cookie).status == 403
    assert ask(space, "/atelier/connexion", headers=trainer).status == 404
    # The CSRF value is the provider's too.
    csrf = home.body.split('data-jeton="')[1].split('"')[0]
    filled = workshop_form(module="proteger-ses-donnees", title="Atelier du jeudi")
    form = {**filled, "_jeton": "faux"}
    assert ask(space, "/atelier/", method="POST", headers=trainer, form=form).status == 403
    posted = ask(space, "/atelier/", method="POST", headers=trainer, form={**form, "_jeton": csrf})
    assert posted.status == 303  # the workshop is made, for the trainer the upstream vouched for
    book = upstream.workshops()
    assert [w.title for w in book.all()] == ["Atelier du jeudi"]
    book.close()


def test_a_learner_page_knows_its_learner_from_the_configured_provider(upstream, monkeypatch):
    from course.learner.pages import CataloguePage
    from course.server.serve import voila_config

    # What Voilà does with `http_header_envs`: the header reaches the kernel as a variable.
    headers = voila_config(upstream, "127.0.0.1", 8866).VoilaConfiguration.http_header_envs
    assert headers == ["X-Remote-User"]
    monkeypatch.setenv(ROOT_ENV, str(upstream.root))
    monkeypatch.setenv("HTTP_X_REMOTE_USER", "learner:alice")
    page = CataloguePage()
    page.show()
    assert page.learner is not None and page.learner.id == "alice"
    assert page.identity is not None and page.identity.site == "amont"
    texts = " ".join(getattr(child, "value", "") for child in page.root.children)
    assert "Bonjour Alice." in texts
    monkeypatch.setenv("HTTP_X_REMOTE_USER", "learner:zoe")  # nobody of this name
    nobody = CataloguePage()
    nobody.show()
    assert nobody.learner is None
    texts = " ".join(getattr(child, "value", "") for child in nobody.root.children)
    assert "entrez votre prénom et votre code" in texts


def test_the_printed_space_links_come_from_the_configured_provider(upstream):
    from course.access.gate import Gate
    from course.access.room import RoomIdentity
    from course.server.serve import announce

    earlier = Gate(upstream, "trainer").issue_link_token()
    # Signed in upstream: `course serve` prints the plain sign-in page and issues no token (a
    # new one would end the earlier link).
    link = announce(upstream, "127.0.0.1", 8866).trainer_link
    assert link == "http://127.0.0.1:8866/atelier/connexion"
    assert Gate(upstream, "trainer").check_link_token(earlier, "127.0.0.1")
    # The room's provider prints a fresh one-time link, valid from this computer only.
    path = RoomIdentity(upstream).space_link("trainer", "/atelier/connexion")
    path, _, token = path.partition("?jeton=")
    assert path == "/atelier/connexion" and token
    assert Gate(upstream, "trainer").check_link_token(token, "127.0.0.1")
    assert not Gate(upstream, "trainer").check_link_token(earlier, "127.0.0.1")
