"""Each site's database on the hub's PostgreSQL (`course.hub.databases`): its URL, and a server
that does not answer refusing `course hub add-site` with nothing written. The real server is
exercised by tests/hub/test_hub_network.py."""

from __future__ import annotations

import pytest
from support.project import REPO, free_port


def test_a_site_database_is_named_after_the_hub_and_keeps_its_address():
    from course.hub.databases import site_db_url

    hub = "postgresql+psycopg://atelier:s3cret@db.local:5433/reseau"
    assert site_db_url(hub, "saint-brieuc") == (
        "postgresql+psycopg://atelier:s3cret@db.local:5433/reseau_site_saint_brieuc"
    )
    assert site_db_url("", "brest") == ""  # SQLite in the site's folder


def test_add_site_refused_when_postgresql_does_not_answer(tmp_path):
    from course.hub import admin, layout
    from course.hub.settings import HubConfigError, HubSettings

    url = f"postgresql+psycopg://atelier@127.0.0.1:{free_port()}/reseau"
    admin.init_hub(tmp_path / "hub", HubSettings(db_url=url))
    before = layout.config_path(tmp_path / "hub").read_text(encoding="utf-8")
    with pytest.raises(HubConfigError, match="La base PostgreSQL du hub ne répond pas"):
        admin.add_site(tmp_path / "hub", "brest", "Médiathèque de Brest", REPO)
    assert layout.config_path(tmp_path / "hub").read_text(encoding="utf-8") == before
    assert not layout.site_dir(tmp_path / "hub", "brest").exists()
    assert not layout.coordination_dir(tmp_path / "hub").exists()
