"""The room's identity provider (`RoomIdentity`) keeps its contract: a learner page's kernel knows
its learner from the session cookie (and nobody once it is ended), a card link works once, a
space knows its role from its cookie, signing out ends that cookie on the server, and a POST
without the CSRF value is refused."""

from __future__ import annotations

import time

import pytest
from support.spaces import ask, save_site_settings

from course.access.presence import last_seen
from course.access.provider import Identity, KernelRequest
from course.access.room import RoomIdentity
from course.access.roster import TOKEN_PARAM, SignInError
from course.access.sessions import COOKIE, SPENT, SignInSessions
from course.access.settings import identity_provider
from course.trainer.space import trainer_space


@pytest.fixture
def room(project) -> RoomIdentity:
    provider = identity_provider(project)
    assert type(provider) is RoomIdentity  # the default, with no configuration
    return provider


def with_cookie(token: str) -> KernelRequest:
    return KernelRequest(headers={"cookie": f"_xsrf=abc; {COOKIE}={token}"})


def test_a_page_kernel_knows_its_learner_from_the_session_cookie(room, project):
    alice, code = project.roster().add("Alice")
    assert room.get_kernel_identity(KernelRequest()).identity is None
    identity = room.sign_in("alice", code)
    assert identity == Identity(frozenset({"learner"}), "alice", "", "Alice")
    session = room.start_session(identity)
    visit = room.get_kernel_identity(with_cookie(session))
    assert visit.identity == identity and visit.session == session and not visit.refusal
    assert last_seen(project.data_dir, alice.id) is not None  # the trainer's live progress
    with pytest.raises(SignInError):
        room.sign_in("alice", "000000")


def test_an_ended_session_signs_nobody_in(room, project):
    project.roster().add("Alice", code="234567")
    identity = room.sign_in("Alice", "234567")
    session = room.start_session(identity)
    assert room.session_open(session, identity)
    room.end_session(session)  # « Se déconnecter »
    assert not room.session_open(session, identity)
    assert room.get_kernel_identity(with_cookie(session)).identity is None
    # Signing in again on a browser that held someone's session ends that session.
    old = room.start_session(identity)
    room.start_session(identity, replacing=old)
    assert room.get_kernel_identity(with_cookie(old)).identity is None


def test_a_card_link_signs_in_once(room, project):
    roster = project.roster()
    bob, _ = roster.add("Bob")
    link = KernelRequest(query=f"{TOKEN_PARAM}={roster.token(bob.id)}")
    first = room.get_kernel_identity(link)
    assert first.identity is not None and first.identity.learner_id == "bob" and first.session
    assert room.get_kernel_identity(link).refusal == SPENT
    forged = KernelRequest(query=f"{TOKEN_PARAM}=bob.{'0' * 32}")
    assert "pas valable" in room.get_kernel_identity(forged).refusal
    blank = KernelRequest(query=f"{TOKEN_PARAM}=")
    assert room.get_kernel_identity(blank).refusal  # `?cle=` is a bad link, not no link


def test_a_space_knows_its_role_from_its_cookie_and_sign_out_ends_it(project):
    save_site_settings(project)  # past the first visit's settings
    space = trainer_space(project)
    token = space.access.gate("trainer").issue_link_token()  # type: ignore[attr-defined]
    assert ask(space, "/atelier/").status == 403
    signed = ask(space, f"/atelier/connexion?jeton={token}")
    assert signed.status == 303 and signed.headers["Location"] == "/atelier/"
    cookie = {"atelier-trainer": signed.cookies["atelier-trainer"]}
    home = ask(space, "/atelier/", cookies=cookie)
    assert home.status == 200 and "Les ateliers du jour" in home.body
    csrf = home.body.split('data-jeton="')[1].split('"')[0]
    assert csrf
    # A POST without the CSRF value (a form posted from elsewhere) changes nothing.
    refused = ask(space, "/atelier/deconnexion", method="POST", cookies=cookie)
    assert refused.status == 403 and ask(space, "/atelier/", cookies=cookie).status == 200
    wrong = ask(space, "/atelier/deconnexion", method="POST", cookies=cookie, form={"_jeton": "x"})
    assert wrong.status == 403
    out = ask(space, "/atelier/deconnexion", method="POST", cookies=cookie, form={"_jeton": csrf})
    assert out.status == 303
    # The browser could have kept a copy of the cookie: the server refuses it now.
    assert ask(space, "/atelier/", cookies=cookie).status == 403
    progress = ask(space, "/atelier/api/ateliers/1/suivi", cookies=cookie)
    assert progress.status == 403 and "erreur" in progress.body


def test_the_space_link_opens_nothing_from_another_computer_or_for_another_role(project):
    space = trainer_space(project)
    room = space.access
    assert isinstance(room, RoomIdentity)
    coordinator = room.gate("coordinator").new_cookie()
    assert ask(space, "/atelier/", cookies={"atelier-trainer": coordinator}).status == 403
    token = room.gate("trainer").issue_link_token()
    proxied = ask(space, f"/atelier/connexion?jeton={token}", headers={"X-Real-Ip": "10.0.0.9"})
    assert proxied.status == 303  # tornado ignores X-Real-Ip unless told to trust a proxy
    assert "ouvre pas cet espace" in ask(space, "/atelier/connexion?jeton=faux").body


def test_a_card_link_is_spent_even_by_the_learner_already_signed_in(room, project):
    """Alice, signed in, opens her own card again: the link is spent all the same, so after
    « Se déconnecter » the history's copy signs nobody in; it only writes her first name."""
    roster = project.roster()
    roster.add("Alice")
    roster.add("Bob")
    session = SignInSessions(project.data_dir).create("alice")
    link = roster.new_link("alice")
    cookie = {"cookie": f"{COOKIE}={session}"}
    visit = room.get_kernel_identity(KernelRequest(f"{TOKEN_PARAM}={link}", cookie))
    assert visit.identity is not None and visit.identity.learner_id == "alice"
    assert visit.session == session  # the same session: no new token handed out
    assert SignInSessions(project.data_dir).is_spent(link)
    room.end_session(session)  # « Se déconnecter »
    replay = room.get_kernel_identity(KernelRequest(f"{TOKEN_PARAM}={link}"))
    assert replay.identity is None and "a déjà servi" in replay.refusal
    assert replay.name_hint == "Alice"
    # Before a page starts: an unused link or an open session counts as signed in.
    assert not room.page_is_signed_in(KernelRequest(f"{TOKEN_PARAM}={link}"))
    assert not room.page_is_signed_in(KernelRequest(f"{TOKEN_PARAM}=bob.{'0' * 32}"))
    assert room.page_is_signed_in(KernelRequest(f"{TOKEN_PARAM}={roster.new_link('bob')}"))
    other = SignInSessions(project.data_dir).create("bob")
    assert room.page_is_signed_in(KernelRequest(headers={"cookie": f"{COOKIE}={other}"}))
    assert not room.page_is_signed_in(KernelRequest(headers={"cookie": f"{COOKIE}={session}"}))
    assert not room.page_is_signed_in(KernelRequest())


def test_space_sessions_end_when_idle_and_their_cookie_has_no_expiry(project):
    from course.access.gate import Gate

    config = project.config
    config.TrainerAccess.idle_minutes = 1 / 60  # one second
    gate = Gate(project, "trainer", config=config)
    cookie = gate.new_cookie()
    assert gate.check_cookie(cookie)
    assert cookie not in (project.data_dir / "access" / "trainer-sessions.json").read_text()
    time.sleep(1.3)
    assert not gate.check_cookie(cookie)  # idle: refused, and forgotten
    assert not gate.check_cookie(cookie)
    # Signed but unknown to the server (made elsewhere, or before « Se déconnecter »): refused.
    kept = gate.new_cookie()
    gate.end(kept)
    assert not gate.check_cookie(kept)
    space = trainer_space(project)
    token = space.access.gate("trainer").issue_link_token()  # type: ignore[attr-defined]
    signed = ask(space, f"/atelier/connexion?jeton={token}")
    line = signed.headers["Set-Cookie"].lower()
    assert "httponly" in line and "samesite=strict" in line and "path=/atelier/" in line
    assert "expires" not in line and "max-age" not in line  # forgotten when the browser closes
    assert "secure" not in line  # plain HTTP here; HTTPS: tests/server/test_browser_https.py
