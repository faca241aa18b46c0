"""The gate of a private space: passwords, link tokens, cookies and CSRF values."""

from __future__ import annotations

import time

from course.access.gate import Gate, check_password, hash_password, set_password
from course.settings import Project


def test_a_password_is_stored_hashed_and_checked(essai_project):
    stored = hash_password("un bon mot de passe")
    assert "un bon" not in stored and check_password("un bon mot de passe", stored)
    assert not check_password("un autre", stored) and not check_password("x", "abimé")
    path = set_password(essai_project, "trainer", "un bon mot de passe")
    gate = Gate(Project(essai_project.root), "trainer")
    assert gate.check_password("un bon mot de passe", "192.168.1.30")
    set_password(essai_project, "trainer", "le nouveau mot de passe")  # replaces, counts at once
    assert path == essai_project.data_dir / "access" / "trainer.password"
    assert (
        path.read_text(encoding="utf-8").startswith("scrypt$") and "nouveau" not in path.read_text()
    )
    assert path.stat().st_mode & 0o077 == 0
    assert "password_hash" not in (essai_project.root / "nbgrader_config.py").read_text()
    assert gate.check_password("le nouveau mot de passe", "192.168.1.30")
    assert not gate.check_password("un bon mot de passe", "192.168.1.30")


def test_wrong_passwords_pause_that_address_only(essai_project):
    set_password(essai_project, "trainer", "le bon mot de passe")
    gate = Gate(Project(essai_project.root), "trainer")
    for _ in range(gate.settings.max_failures):
        assert not gate.check_password("faux", "192.168.1.31")
    assert gate.locked("192.168.1.31")
    assert not gate.check_password("le bon mot de passe", "192.168.1.31")
    assert gate.check_password("le bon mot de passe", "192.168.1.32")


def test_the_link_token_works_from_this_computer_only_and_once_replaced_stops(essai_project):
    gate = Gate(essai_project, "trainer")
    token = gate.issue_link_token()
    assert token not in (essai_project.data_dir / "access" / "trainer.token").read_text()
    assert (essai_project.data_dir / "access" / "trainer.token").stat().st_mode & 0o077 == 0
    assert gate.check_link_token(token, "127.0.0.1")
    assert not gate.check_link_token(token, "192.168.1.30")  # a projected screen opens nothing
    assert not gate.check_link_token("", "127.0.0.1")
    gate.issue_link_token()
    assert not gate.check_link_token(token, "127.0.0.1")
    assert not Gate(essai_project, "coordinator").check_link_token(token, "127.0.0.1")


def test_cookies_are_signed_for_one_role_and_expire(essai_project):
    trainer, coordinator = Gate(essai_project, "trainer"), Gate(essai_project, "coordinator")
    cookie = trainer.new_cookie()
    assert trainer.check_cookie(cookie) and not coordinator.check_cookie(cookie)
    role, expiry, nonce, signature = cookie.split(":")
    assert not trainer.check_cookie(f"{role}:{int(expiry) + 999}:{nonce}:{signature}")
    assert not trainer.check_cookie(f"{role}:{int(time.time()) - 1}:{nonce}:{signature}")
    assert not trainer.check_cookie(None) and not trainer.check_cookie("trainer")
    assert trainer.check_csrf(cookie, trainer.csrf_for(cookie))
    assert not trainer.check_csrf(cookie, trainer.csrf_for(trainer.new_cookie()))
    assert not trainer.check_csrf(None, "")


def test_a_hash_older_versions_wrote_into_the_config_is_moved_to_var_once(essai_project):
    config = essai_project.root / "nbgrader_config.py"
    before = config.read_text(encoding="utf-8")
    old = hash_password("l'ancien mot de passe")
    config.write_text(before + f'c.TrainerAccess.password_hash = "{old}"\n', encoding="utf-8")
    config.chmod(0o644)
    project = Project(essai_project.root)
    gate = Gate(project, "trainer")  # as `course serve` does at start
    assert config.read_text(encoding="utf-8") == before  # the tracked file is clean again
    assert config.stat().st_mode & 0o777 == 0o644
    saved = essai_project.data_dir / "access" / "trainer.password"
    assert saved.read_text(encoding="utf-8") == old
    assert gate.check_password("l'ancien mot de passe", "192.168.1.40")
    set_password(project, "trainer", "le nouveau mot de passe")  # the old one no longer wins
    assert gate.check_password("le nouveau mot de passe", "192.168.1.40")


def test_a_hash_a_deployer_sets_in_the_config_wins(essai_project):
    config = essai_project.root / "nbgrader_config.py"
    deployed = hash_password("celui du déploiement")
    text = config.read_text(encoding="utf-8")
    config.write_text(text + f"c.TrainerAccess.password_hash = {deployed!r}  # déploiement\n")
    project = Project(essai_project.root)
    set_password(project, "trainer", "celui de la formatrice")
    gate = Gate(Project(essai_project.root), "trainer")
    assert gate.check_password("celui du déploiement", "192.168.1.41")
    assert not gate.check_password("celui de la formatrice", "192.168.1.42")
