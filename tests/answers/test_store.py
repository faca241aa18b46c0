"""The answers file: atomic writes, restore, accents and emoji, corrupted files, unsafe ids."""

import json
import os

import pytest

from course.answers.store import AnswerStore
from course.core.files import atomic_write
from course.core.ids import InvalidLearnerId, check_learner_id


def test_set_persists_immediately_and_restores(tmp_path):
    path = tmp_path / "answers.json"
    store = AnswerStore(path)
    store.set("q1", "Hélène a écrit : « mot de passe » 🔐")
    store.set("q2", ["Le cadenas", "L'adresse en https"])
    data = json.loads(path.read_text(encoding="utf-8"))
    assert data["answers"]["q1"] == "Hélène a écrit : « mot de passe » 🔐"
    again = AnswerStore(path)
    assert again.get("q1") == "Hélène a écrit : « mot de passe » 🔐"
    assert again.get("q2") == ["Le cadenas", "L'adresse en https"]
    assert "🔐" in path.read_text(encoding="utf-8")  # stored readable, not \\u-escaped


def test_atomic_write_leaves_no_temporary_file_and_keeps_old_on_failure(tmp_path, monkeypatch):
    path = tmp_path / "answers.json"
    atomic_write(path, "old")

    def boom(*_args):
        raise OSError("disk full")

    monkeypatch.setattr(os, "replace", boom)
    with pytest.raises(OSError):
        atomic_write(path, "new")
    assert path.read_text() == "old"
    assert [p.name for p in tmp_path.iterdir()] == ["answers.json"]


def test_corrupted_file_is_kept_aside_and_store_starts_empty(tmp_path):
    path = tmp_path / "answers.json"
    path.write_text('{"answers": {"q1": "a"', encoding="utf-8")
    store = AnswerStore(path)
    assert store.answers == {}
    assert store.recovered_from is not None
    assert store.recovered_from.read_text(encoding="utf-8") == '{"answers": {"q1": "a"'
    store.set("q1", "b")
    assert AnswerStore(path).get("q1") == "b"


def test_malformed_values_are_ignored(tmp_path):
    path = tmp_path / "answers.json"
    path.write_text(json.dumps({"answers": {"q1": 3, "q2": ["a", 1], "q3": "ok"}}))
    assert AnswerStore(path).answers == {"q3": "ok"}
    with pytest.raises(TypeError):
        AnswerStore(path).set("q1", 42)


@pytest.mark.parametrize("bad", ["../../etc", "a/b", "", "A", "marie+1", "*", "é", "x" * 41, ".."])
def test_unsafe_learner_ids_are_refused(bad):
    with pytest.raises(InvalidLearnerId):
        check_learner_id(bad)


def test_safe_learner_id():
    assert check_learner_id("marie-2") == "marie-2"
