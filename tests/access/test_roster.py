"""Sign-in without an e-mail: first name + code, or a signed personal link that cannot be forged."""

import json
from datetime import UTC, datetime, timedelta

import pytest
from traitlets.config import Config

from course.access.roster import Roster, SignInError, slugify

MAX_FAILURES = Roster.max_failures.default_value
LOCK_MINUTES = Roster.lock_minutes.default_value


@pytest.fixture
def roster(tmp_path):
    return Roster(tmp_path / "var")


def test_codes_are_checked_and_stored_hashed(roster):
    learner, code = roster.add("Hélène")
    assert learner.id == "helene" and len(code) == 6
    assert roster.sign_in("  hélène ", code).id == "helene"
    assert roster.sign_in("HELENE", code[:3] + " " + code[3:]).id == "helene"
    with pytest.raises(SignInError, match="ne correspond pas"):
        roster.sign_in("Hélène", "000000")
    assert code not in roster.path.read_text(encoding="utf-8")


def test_homonyms_get_distinct_ids_and_codes(roster):
    first, code1 = roster.add("Marie")
    second, code2 = roster.add("Marie")
    assert (first.id, second.id) == ("marie", "marie-2")
    assert roster.sign_in("Marie", code2).id == "marie-2"
    assert roster.sign_in("Marie", code1).id == "marie"


@pytest.mark.parametrize("name", ["../../etc", "😀", "  ", "Jean+Paul*"])
def test_odd_names_give_safe_ids(roster, name):
    if not name.strip():
        with pytest.raises(ValueError):
            roster.add(name)
        return
    learner, _ = roster.add(name)
    assert "/" not in learner.id and "." not in learner.id and "+" not in learner.id
    assert learner.name == name.strip()


def test_links_cannot_be_forged_or_swapped(roster):
    alice, _ = roster.add("Alice")
    bob, _ = roster.add("Bob")
    token = roster.token(alice.id)
    assert roster.from_token(token) == alice
    signature = token.partition(".")[2]
    forged = [
        f"{bob.id}.{signature}",  # Alice's signature on Bob's id
        token[:-1] + ("0" if token[-1] != "0" else "1"),
        "../../etc." + signature,
        alice.id,
        "",
        "carol." + signature,
    ]
    for bad in forged:
        with pytest.raises(SignInError, match="pas valable"):
            roster.from_token(bad)


def test_a_new_secret_invalidates_old_links(tmp_path):
    roster = Roster(tmp_path / "var")
    alice, _ = roster.add("Alice")
    token = roster.token(alice.id)
    roster.secret_path.unlink()
    with pytest.raises(SignInError):
        roster.from_token(token)


def test_slugify():
    assert slugify("Éloïse-Marie") == "eloise-marie"
    assert slugify("../../etc") == "etc"
    assert slugify("😀") == "apprenant"


def test_a_new_code_revokes_the_old_link_too(roster):
    # A lost card: the trainer prints a new one (course cards --reset-codes); the old card's
    # link must stop working like its code, and the new link works.
    alice, old_code = roster.add("Alice")
    bob, _ = roster.add("Bob")
    old_link, bob_link = roster.token(alice.id), roster.token(bob.id)
    new_code = roster.set_code(alice.id)
    with pytest.raises(SignInError, match="pas valable"):
        roster.from_token(old_link)
    with pytest.raises(SignInError, match="ne correspond pas"):
        roster.sign_in("Alice", old_code)
    assert roster.from_token(roster.token(alice.id)) == alice
    assert roster.sign_in("Alice", new_code) == alice
    assert roster.from_token(bob_link) == bob  # nobody else is affected


def test_wrong_codes_in_a_row_lock_the_name_for_a_while(roster):
    alice, code = roster.add("Alice")
    bob, bob_code = roster.add("Bob")
    wrong = "222222" if code != "222222" else "333333"
    for _ in range(MAX_FAILURES - 1):
        with pytest.raises(SignInError, match="ne correspond pas"):
            roster.sign_in("Alice", wrong)
    assert roster.sign_in("alice", code) == alice  # a success clears the count
    for _ in range(MAX_FAILURES):
        with pytest.raises(SignInError, match="ne correspond pas"):
            roster.sign_in("Alice", wrong)
    # Locked: even the right code is refused, in French, with what to do.
    with pytest.raises(SignInError, match=f"Trop d'essais.*{LOCK_MINUTES} minutes"):
        roster.sign_in("ALICE", code)
    assert roster.sign_in("Bob", bob_code) == bob  # other learners sign in as usual
    assert roster.from_token(roster.token(alice.id)) == alice  # her personal link still works

    # The lock ends by itself ...
    attempts = json.loads(roster.attempts_path.read_text(encoding="utf-8"))
    past = (datetime.now(UTC) - timedelta(seconds=1)).isoformat(timespec="seconds")
    attempts["alice"]["locked_until"] = past
    roster.attempts_path.write_text(json.dumps(attempts), encoding="utf-8")
    assert roster.sign_in("Alice", code) == alice
    # ... or when the trainer gives a new code.
    for _ in range(MAX_FAILURES):
        with pytest.raises(SignInError):
            roster.sign_in("Alice", wrong)
    with pytest.raises(SignInError, match="Trop d'essais"):
        roster.sign_in("Alice", code)
    new_code = roster.set_code(alice.id)
    assert roster.sign_in("Alice", new_code) == alice


def test_a_damaged_attempts_file_does_not_block_sign_in(roster):
    alice, code = roster.add("Alice")
    roster.attempts_path.write_text("{pas du json", encoding="utf-8")
    assert roster.sign_in("Alice", code) == alice
    roster.attempts_path.write_text("[1, 2]", encoding="utf-8")
    with pytest.raises(SignInError, match="ne correspond pas"):
        roster.sign_in("Alice", "0")
    assert isinstance(json.loads(roster.attempts_path.read_text()), dict)


def test_lock_out_is_set_in_nbgrader_config(tmp_path):
    config = Config()
    config.Roster.max_failures = 2
    config.Roster.lock_minutes = 9
    roster = Roster(tmp_path / "var", config=config)
    roster.add("Alice", "234567")
    for _ in range(2):
        with pytest.raises(SignInError, match="ne correspond pas"):
            roster.sign_in("Alice", "999999")
    with pytest.raises(SignInError, match="Attendez 9 minutes"):
        roster.sign_in("Alice", "234567")
