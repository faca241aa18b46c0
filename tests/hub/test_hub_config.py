"""The hub's configuration: every bad one is a French sentence and a non-zero exit with nothing
started; the default database is SQLite in the private folder; an idle session ends by itself."""

from __future__ import annotations

import re
import stat
import subprocess
import time

import pytest
from support.hub import COURSE, make_certificate, make_hub, running_hub
from support.project import REPO, free_port

from course.hub import layout
from course.hub.settings import load, save
from course.settings import Project


def course(hub_dir, *args: str, stdin: str | None = None) -> subprocess.CompletedProcess:
    return subprocess.run(
        [*COURSE, "hub", *args, "--dossier", str(hub_dir)],
        capture_output=True,
        text=True,
        input=stdin,
        cwd=REPO,
    )


@pytest.fixture
def hub_dir(tmp_path):
    """A hub with one site and one trainer, on free ports, not started."""
    return make_hub(tmp_path / "hub", sites={"a": ["marie"]}, services=False)


def refused(hub_dir, *args: str, says: str) -> None:
    done = course(hub_dir, *args)
    assert done.returncode == 1, done.stdout + done.stderr
    assert says in " ".join(done.stderr.split()), done.stderr
    assert "Traceback" not in done.stderr
    assert not layout.generated_config_path(hub_dir).exists()  # nothing was started


def test_a_site_named_twice(hub_dir):
    path = layout.config_path(hub_dir)
    text = path.read_text(encoding="utf-8")
    site = text[text.index("[[sites]]") :]
    path.write_text(text + "\n" + site.replace("port = ", "port = 1"), encoding="utf-8")
    refused(hub_dir, "start", says="le site « a » est déclaré deux fois")
    refused(hub_dir, "add-site", "a", "--depuis", str(REPO), says="le site « a » est déclaré")


def test_a_trainer_in_no_site(hub_dir):
    path = layout.config_path(hub_dir)
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("[trainers]\n", '[trainers]\npaul = "Paul"\n'), "utf-8")
    refused(hub_dir, "start", says="le formateur « paul » n'est rattaché à aucun site")


def test_a_site_naming_an_undeclared_trainer(hub_dir):
    path = layout.config_path(hub_dir)
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace('trainers = ["marie"]', 'trainers = ["marie", "zoe"]'), "utf-8")
    refused(
        hub_dir, "start", says="nomme « zoe », qui n'est pas déclaré dans la section « trainers »"
    )


def test_a_certificate_that_does_not_match_its_key(hub_dir, tmp_path):
    cert, _key = make_certificate(tmp_path / "one", "one")
    _cert, other_key = make_certificate(tmp_path / "two", "two")
    settings = load(hub_dir)
    settings.ssl_cert, settings.ssl_key = str(cert), str(other_key)
    save(hub_dir, settings)
    refused(hub_dir, "start", says="ne correspond pas à sa clé")


def test_postgresql_unreachable(hub_dir):
    settings = load(hub_dir)
    settings.db_url = f"postgresql+psycopg://hub@127.0.0.1:{free_port()}/hub"
    save(hub_dir, settings)
    refused(hub_dir, "start", says="La base PostgreSQL du hub ne répond pas")


def test_an_unknown_site_in_add_trainer(hub_dir):
    before = layout.config_path(hub_dir).read_text(encoding="utf-8")
    refused(hub_dir, "add-trainer", "paul", "--site", "zz", says="Le site « zz » n'existe pas")
    assert layout.config_path(hub_dir).read_text(encoding="utf-8") == before


def test_a_password_for_nobody_and_a_short_one(hub_dir):
    done = course(hub_dir, "set-password", "inconnu", stdin="un-long-mot-de-passe\n")
    assert done.returncode == 1 and "ni formateur ni coordinateur" in done.stderr
    done = course(hub_dir, "set-password", "marie", stdin="court\n")
    assert done.returncode == 1 and "au moins 10 caractères" in done.stderr


def test_the_commands_make_the_hub_folder(tmp_path):
    hub_dir = tmp_path / "hub"
    assert course(hub_dir, "init").returncode == 0
    done = course(
        hub_dir, "add-site", "brest", "--nom", "Médiathèque de Brest", "--depuis", str(REPO)
    )
    assert done.returncode == 0, done.stderr
    assert course(hub_dir, "add-trainer", "marie", "--site", "brest").returncode == 0
    assert course(hub_dir, "add-coordinator", "claire").returncode == 0
    done = course(hub_dir, "set-password", "marie", stdin="marie-mot-de-passe\n")
    assert done.returncode == 0, done.stderr
    settings = load(hub_dir)
    assert [(s.slug, s.name, s.trainers) for s in settings.sites] == [
        ("brest", "Médiathèque de Brest", ["marie"])
    ]
    assert settings.coordinators == ["claire"]
    site = Project(layout.site_dir(hub_dir, "brest"))
    assert site.catalogue.modules  # a full project: its modules are there
    assert site.config.WorkshopSettings.site == "Médiathèque de Brest"
    passwords = layout.passwords_path(hub_dir)
    assert stat.S_IMODE(passwords.stat().st_mode) == 0o600
    assert stat.S_IMODE(layout.private_dir(hub_dir).stat().st_mode) == 0o700
    assert "marie-mot-de-passe" not in passwords.read_text()
    assert "marie-mot-de-passe" not in layout.config_path(hub_dir).read_text()


def test_proconnect_emails_from_the_commands_keep_what_the_admin_wrote(hub_dir):
    """`add-trainer --email`, `add-coordinator --email` and `set-email` write [emails] in
    hub.toml in place: the administrator's comments stay; a bad address, a person the hub does
    not know or an address already given is a French refusal that changes nothing."""
    path = layout.config_path(hub_dir)
    text = path.read_text(encoding="utf-8")
    text = text.replace(
        "[trainers]\n", "# L'équipe de Brest, mise à jour en novembre.\n[trainers]\n"
    )
    text = text.replace('marie = "Marie"', 'marie = "Marie"  # arrivée en 2026')
    path.write_text(text, encoding="utf-8")
    done = course(hub_dir, "add-trainer", "paul", "--site", "a", "--email", "Paul.M@Brest.fr")
    assert done.returncode == 0, done.stderr
    assert course(hub_dir, "add-coordinator", "claire", "--email", "claire@cd29.fr").returncode == 0
    done = course(hub_dir, "set-email", "marie", "marie.dupont@brest.fr")
    assert done.returncode == 0, done.stderr
    assert "marie.dupont@brest.fr" in done.stdout
    settings = load(hub_dir)
    assert settings.emails == {
        "paul": "paul.m@brest.fr", "claire": "claire@cd29.fr", "marie": "marie.dupont@brest.fr"
    }  # fmt: skip
    assert settings.site("a").trainers == ["marie", "paul"]
    assert settings.coordinators == ["claire"]
    written = path.read_text(encoding="utf-8")
    assert "# L'équipe de Brest, mise à jour en novembre." in written
    assert 'marie = "Marie"  # arrivée en 2026' in written
    # Changed again: the same line, no second entry.
    assert course(hub_dir, "set-email", "marie", "marie@brest.fr").returncode == 0
    assert load(hub_dir).emails["marie"] == "marie@brest.fr"
    before = path.read_text(encoding="utf-8")
    for args, says in (
        (("set-email", "marie", "marie.brest.fr"), "Adresse e-mail invalide : 'marie.brest.fr'"),
        (("set-email", "inconnu", "x@brest.fr"), "« inconnu » n'est ni formateur ni coordinateur"),
        (("set-email", "paul", "claire@cd29.fr"), "L'adresse claire@cd29.fr est déjà celle de « claire »"),
        (("add-trainer", "lea", "--site", "a", "--email", "pas-une-adresse"), "Adresse e-mail invalide"),
    ):  # fmt: skip
        done = course(hub_dir, *args)
        assert done.returncode == 1, done.stdout
        assert says in " ".join(done.stderr.split()), done.stderr
        assert "Traceback" not in done.stderr
    assert path.read_text(encoding="utf-8") == before  # nothing written, not even « lea »


def test_each_site_service_is_told_the_hubs_public_address(hub_dir):
    """hub.toml's `public_url` reaches every site's service (its cards and trainer space give
    the hub's sign-in for the site); without it, where the hub listens, its network address
    in place of 0.0.0.0."""
    from course.access.hub_names import HUB_PUBLIC_ENV
    from course.hub.jhconfig import services
    from course.server.lan import hub_room_url

    settings = load(hub_dir)
    settings.start_services = True
    settings.public_url = "https://hub.exemple.fr"
    (site,) = [s for s in services(hub_dir, settings) if s["name"] == "site-a"]
    assert site["environment"] == {HUB_PUBLIC_ENV: "https://hub.exemple.fr"}
    assert hub_room_url("https://hub.exemple.fr/", "a") == "https://hub.exemple.fr/hub/carte/a"
    settings.public_url, settings.ip, settings.port = "", "0.0.0.0", 8443
    (site,) = [s for s in services(hub_dir, settings) if s["name"] == "site-a"]
    guessed = hub_room_url(site["environment"][HUB_PUBLIC_ENV], "a")
    assert guessed.startswith("http") and guessed.endswith(":8443/hub/carte/a")
    assert "0.0.0.0" not in guessed


def test_a_public_address_that_is_not_one_is_refused(hub_dir):
    path = layout.config_path(hub_dir)
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace('public_url = ""', 'public_url = "hub.exemple.fr"'), "utf-8")
    refused(hub_dir, "start", says="« public_url » doit être l'adresse du hub")


@pytest.mark.slow
def test_sqlite_by_default_and_an_idle_session_ends_by_itself(tmp_path):
    hub_dir = make_hub(
        tmp_path / "hub", sites={"a": []}, services=False, https=False, idle_minutes=0.05
    )
    roster = Project(layout.site_dir(hub_dir, "a")).roster()
    _learner, code = roster.add("Marie")
    with running_hub(hub_dir) as hub, hub.client() as client:
        page = client.get(f"{hub.url}/hub/login")
        xsrf = re.search(r'name="_xsrf" value="([^"]+)"', page.text).group(1)
        fields = {"_xsrf": xsrf, "kind": "apprenant", "site": "a"}
        signed = client.post(
            f"{hub.url}/hub/login", data={**fields, "username": "Marie", "password": code}
        )
        assert signed.status_code == 302
        assert client.get(f"{hub.url}/hub/home").status_code == 200
        assert layout.sqlite_path(hub_dir).is_file()
        time.sleep(5)  # nothing for longer than idle_minutes (3 s; checked every second)
        answer = client.get(f"{hub.url}/hub/home")
        assert answer.status_code == 302
        assert answer.headers["location"].startswith("/hub/login")
