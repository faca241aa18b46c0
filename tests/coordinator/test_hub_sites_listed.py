"""On a hub, the coordination lists every site, even one with no workshop yet (walk.md,
coordinator 2: a site with nothing was invisible): in the records (`Records.sites`), the
dashboard's « Site » filter and its table, with zeros. « Paquets des sites » and « Appareils »
say they are for laptops outside the hub. In process: the hub's folders, no hub process."""

from __future__ import annotations

import pytest
from coordinator_support import configure
from support.project import essai_project_at
from support.spaces import SpaceClient

BREST, QUIMPER = "Médiathèque de Brest", "France Services Quimper"


@pytest.fixture
def hub(tmp_path, monkeypatch):
    from course.hub import admin, layout
    from course.hub.settings import HubSettings, Site

    monkeypatch.delenv("COURSE_ROOT", raising=False)
    hub_dir = tmp_path / "hub"
    admin.init_hub(hub_dir, HubSettings(sites=[Site("brest", BREST), Site("quimper", QUIMPER)]))
    for slug, name in (("brest", BREST), ("quimper", QUIMPER)):
        essai_project_at(layout.site_dir(hub_dir, slug))
        configure(layout.site_dir(hub_dir, slug), f"c.WorkshopSettings.site = {name!r}")
    from datetime import date

    from course.settings import Project

    brest = Project(layout.site_dir(hub_dir, "brest"))
    alice, _code = brest.roster().add("Alice")  # a workshop with nobody in it counts nowhere
    book = brest.workshops()
    book.create("Atelier du lundi", date(2026, 12, 7), ["essai"], trainer="Awa",
                learner_ids=[alice.id])  # fmt: skip
    book.close()
    coordination = layout.coordination_dir(hub_dir)
    essai_project_at(coordination)
    configure(coordination, 'c.CoordinatorSettings.hub_dir = ".."')
    return hub_dir


def test_a_hub_site_with_no_workshop_is_listed_with_zeros(hub):
    from course.coordinator.figures import dashboard
    from course.coordinator.filters import Filters
    from course.coordinator.live import records_for
    from course.hub import layout
    from course.settings import Project

    coordination = Project(layout.coordination_dir(hub))
    records = records_for(coordination)
    assert sorted(records.sites) == [QUIMPER, BREST]
    assert [w.site for w in records.workshops] == [BREST]
    board = dashboard(records, coordination.catalogue.modules, Filters())
    assert board.sites == [QUIMPER, BREST]
    lines = {line.label: line for line in board.by_site}
    assert lines[BREST].workshops == 1
    quimper = lines[QUIMPER]
    assert (quimper.workshops, quimper.learners, quimper.hours, quimper.sent) == (0, 0, 0, 0)
    # Filtered on Brest, Quimper's zeros are not shown; filtered on Quimper, they are.
    assert [line.label for line in dashboard(records, [], Filters(site=BREST)).by_site] == [BREST]
    assert [line.label for line in dashboard(records, [], Filters(site=QUIMPER)).by_site] == [
        QUIMPER
    ]


def test_the_dashboard_and_the_laptop_pages_on_a_hub(hub):
    from course.hub import layout
    from course.settings import Project

    coordination = Project(layout.coordination_dir(hub))
    with SpaceClient(coordination, role="coordinator") as client:
        client.sign_in()
        board = client.get("")
        assert board.status == 200, board.text
        options = [o.get_text() for o in board.soup.select("select[name=site] option")]
        assert QUIMPER in options and BREST in options
        table = next(t for t in board.soup.find_all("table")
                     if "Les chiffres de chaque site" in t.text)  # fmt: skip
        assert QUIMPER in table.get_text()
        for page in ("paquets", "appareils"):
            said = client.get(page)
            assert said.status == 200, said.text
            assert "Les sites du hub n'ont besoin de rien" in said.words(), page
            assert "cet ordinateur" not in said.words(), page


def test_a_laptop_coordination_says_nothing_of_a_hub(coordinator):
    with SpaceClient(coordinator, role="coordinator") as client:
        client.sign_in()
        for page in ("paquets", "appareils"):
            said = client.get(page).words()
            assert "Les sites du hub" not in said
            if page == "paquets":
                assert "Le paquet de ce site" in said
