"""Sessions (`course.access.sessions`): a card link is exchanged once, a session ends with « Se
déconnecter » or a new card, and nothing odd in a link or a cookie gets anybody in."""

from __future__ import annotations

import time

import pytest

from course.access.roster import Roster, SignInError
from course.access.sessions import COOKIE, SignInSessions, exchange_link, token_from_cookies


@pytest.fixture
def roster(tmp_path):
    roster = Roster(tmp_path)
    roster.add("Alice")
    roster.add("Bob")
    return roster


def test_a_card_link_opens_one_session_then_is_spent(roster):
    link = roster.token("alice")
    learner, token = exchange_link(roster, link)
    assert learner.id == "alice"
    sessions = SignInSessions(roster.data_dir)
    assert sessions.learner_id(token) == "alice"
    with pytest.raises(SignInError, match="a déjà servi"):
        exchange_link(roster, link)
    assert token not in (roster.data_dir / "sessions.json").read_text()  # stored hashed
    sessions.revoke(token)
    assert sessions.learner_id(token) is None


def test_a_new_link_or_a_new_card_replaces_the_old_one(roster):
    old = roster.token("alice")
    _, token = exchange_link(roster, old)
    fresh = roster.new_link("alice")
    assert fresh != old
    with pytest.raises(SignInError, match="pas valable"):
        roster.from_token(old)
    assert exchange_link(roster, fresh)[0].id == "alice"
    roster.set_code("alice")  # a lost card: every session of Alice ends, the link changes
    assert SignInSessions(roster.data_dir).learner_id(token) is None
    with pytest.raises(SignInError, match="pas valable"):
        roster.from_token(fresh)


@pytest.mark.parametrize("link", ["alice.é€😀", "alice.\x00", "alice.<script>", "é" * 40, "a.b.c"])
def test_odd_links_are_refused_in_french(roster, link):
    with pytest.raises(SignInError, match="pas valable"):
        roster.from_token(link)


def test_cookies(roster):
    sessions = SignInSessions(roster.data_dir)
    token = sessions.create("bob")
    assert token_from_cookies(f"_xsrf=abc; {COOKIE}={token}") == token
    assert sessions.learner_id(token_from_cookies(f"{COOKIE}={token}")) == "bob"
    for header in ("", None, f"{COOKIE}=court", f'{COOKIE}="{token}\\"', "\x00=;;"):
        assert sessions.learner_id(token_from_cookies(header)) is None
    assert sessions.learner_id("x" * 43) is None


def test_a_session_ends_after_the_idle_time_and_activity_keeps_it(roster):
    from traitlets.config import Config

    config = Config()
    config.LearnerSessions.idle_minutes = 1 / 60  # one second
    sessions = SignInSessions(roster.data_dir, config)
    assert SignInSessions(roster.data_dir).idle_seconds == 20 * 60  # a library's default
    token = sessions.create("alice")
    assert 0 < sessions.remaining(token) <= 1
    time.sleep(0.6)
    assert sessions.learner_id(token, touch=False) == "alice"
    time.sleep(0.6)  # 1.2 s without activity
    assert sessions.learner_id(token) is None
    assert sessions.remaining(token) is None  # ended, and removed
    assert "alice" not in (roster.data_dir / "sessions.json").read_text()
