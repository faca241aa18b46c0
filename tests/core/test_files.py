"""The floor's files: atomic writes never leave half a file, private files and folders are their
owner's only, locked JSON lets two processes change one file without losing a change, and a
secret key is made once and read back by everyone."""

from __future__ import annotations

import multiprocessing
import os
import stat

import pytest

from course.core.files import (
    atomic_write,
    locked_json,
    private_append,
    private_dir,
    private_write,
    secret_key,
)

FORK = multiprocessing.get_context("fork")


def mode(path) -> int:
    return stat.S_IMODE(os.stat(path).st_mode)


def test_atomic_write_writes_text_and_bytes_and_keeps_the_old_file_on_failure(
    tmp_path, monkeypatch
):
    path = tmp_path / "sous-dossier" / "réponses.json"
    atomic_write(path, "Hélène 🔐")
    assert path.read_text(encoding="utf-8") == "Hélène 🔐"
    atomic_write(path, b"\x00\x01")
    assert path.read_bytes() == b"\x00\x01"

    def full_disk(_fd):
        raise OSError("disque plein")

    monkeypatch.setattr(os, "fsync", full_disk)  # after writing, before the file is replaced
    with pytest.raises(OSError, match="disque plein"):
        atomic_write(path, "nouveau")
    assert path.read_bytes() == b"\x00\x01"
    assert [p.name for p in path.parent.iterdir()] == ["réponses.json"]  # no temporary file left


def _rewrite(path, rounds: int) -> None:
    for n in range(rounds):
        atomic_write(path, ("A" if n % 2 else "B") * 200_000)


def test_a_reader_never_sees_half_a_file_while_another_process_writes(tmp_path):
    path = tmp_path / "gros.txt"
    atomic_write(path, "A" * 200_000)
    writer = FORK.Process(target=_rewrite, args=(path, 150))
    writer.start()
    seen = set()
    while True:
        alive = writer.is_alive()
        text = path.read_text()
        seen.add((len(text), text[0], len(set(text))))
        if not alive:
            break
    writer.join(60)
    assert writer.exitcode == 0
    assert seen <= {(200_000, "A", 1), (200_000, "B", 1)} and seen


def test_private_files_and_folders_are_their_owners_only(tmp_path):
    old = os.umask(0o022)
    try:
        shared = tmp_path / "var"
        shared.mkdir(mode=0o755)
        card = private_write(shared / "cartes" / "atelier-1.pdf", b"%PDF")
        assert card.read_bytes() == b"%PDF"
        assert mode(card) == 0o600 and mode(card.parent) == 0o700
        assert mode(shared) == 0o755  # a folder that already existed is left as it is

        before = shared / "ancien.txt"
        before.write_text("lisible par tous")
        before.chmod(0o644)
        private_write(before, "à moi seul")
        assert mode(before) == 0o600 and before.read_text() == "à moi seul"

        with private_append(shared / "journaux" / "voila.log") as log:
            log.write(b"une ligne\n")
        with private_append(shared / "journaux" / "voila.log") as log:
            log.write(b"une autre\n")
        assert (shared / "journaux" / "voila.log").read_bytes() == b"une ligne\nune autre\n"
        assert mode(shared / "journaux" / "voila.log") == 0o600
        assert mode(shared / "journaux") == 0o700
        assert mode(private_dir(shared / "acces")) == 0o700
    finally:
        os.umask(old)


def _count(path, barrier, rounds: int) -> None:
    barrier.wait()
    for _ in range(rounds):
        with locked_json(path) as data:
            seen = data.get("count", 0)
            os.sched_yield()  # invite the other process in between the read and the write
            data["count"] = seen + 1


def test_locked_json_lets_two_processes_change_one_file_without_losing_a_change(tmp_path):
    path = tmp_path / "sessions.json"
    barrier, rounds = FORK.Barrier(2), 100
    workers = [FORK.Process(target=_count, args=(path, barrier, rounds)) for _ in range(2)]
    for w in workers:
        w.start()
    for w in workers:
        w.join(60)
        assert w.exitcode == 0
    with locked_json(path) as data:
        assert data == {"count": 2 * rounds}


def test_locked_json_starts_empty_from_a_damaged_file_and_keeps_nothing_of_a_failed_block(
    tmp_path,
):
    path = tmp_path / "essais.json"
    path.write_text("[1, 2", encoding="utf-8")
    with locked_json(path) as data:
        assert data == {}
        data["hélène"] = {"échecs": 1}
    assert path.read_text(encoding="utf-8") == '{\n "hélène": {\n  "échecs": 1\n }\n}\n'
    with pytest.raises(RuntimeError), locked_json(path) as data:
        data["hélène"]["échecs"] = 2
        raise RuntimeError("panne au milieu")
    with locked_json(path) as data:
        assert data == {"hélène": {"échecs": 1}}


def _key_of(path, barrier, keys) -> None:
    barrier.wait()
    keys.put(secret_key(path).hex())


def test_a_secret_key_is_made_once_private_and_the_same_for_every_process(tmp_path):
    path = tmp_path / "var" / "secret.key"
    barrier, keys = FORK.Barrier(3), FORK.Queue()
    workers = [FORK.Process(target=_key_of, args=(path, barrier, keys)) for _ in range(3)]
    for w in workers:
        w.start()
    made = {keys.get(timeout=60) for _ in workers}
    for w in workers:
        w.join(60)
    assert len(made) == 1  # three first calls at once: one key
    key = secret_key(path)
    assert made == {key.hex()} and len(key) == 32
    assert secret_key(path) == key and mode(path) == 0o600
    assert [p.name for p in path.parent.iterdir()] == ["secret.key"]

    path.write_text("abîmé")
    renewed = secret_key(path)
    assert len(renewed) == 32 and renewed != key and secret_key(path) == renewed
