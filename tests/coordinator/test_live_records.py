"""The coordination of a hub reads every site's folder live (`course.coordinator.live`): both
sites' workshops and results, each learner under their site's pseudonym (two sites' « Alice »
stay two people, no first name comes through), plus what bundles from laptops outside the hub
brought into the coordination's own book; a workshop added at a site counts at once. No hub
process here: the records only (tests/hub/test_hub_network.py serves them behind a real hub).
"""

from __future__ import annotations

from datetime import date

import pytest
from coordinator_support import RIGHT, WRONG, configure, run_site
from support.project import essai_project_at


@pytest.fixture(scope="module")
def hub(tmp_path_factory):
    from course.hub import admin, layout
    from course.hub.settings import HubSettings, Site

    hub_dir = tmp_path_factory.mktemp("live") / "hub"
    sites = [Site("brest", "Médiathèque de Brest"), Site("quimper", "France Services Quimper")]
    admin.init_hub(hub_dir, HubSettings(sites=sites))
    run_site(layout.site_dir(hub_dir, "brest"), sites[0].name, "Awa",
             {"Alice": RIGHT, "Bruno": WRONG}, {"Alice": (2, "Très bien."), "Bruno": (0, "")})  # fmt: skip
    run_site(layout.site_dir(hub_dir, "quimper"), sites[1].name, "Yann", {"Alice": RIGHT},
             {"Alice": (1, "")})  # fmt: skip
    coordination = layout.coordination_dir(hub_dir)
    essai_project_at(coordination)
    configure(coordination, 'c.CoordinatorSettings.hub_dir = ".."')
    return hub_dir


def test_every_site_is_read_live_under_pseudonyms(hub, monkeypatch):
    from course.coordinator.export import results_sheets
    from course.coordinator.live import records_for
    from course.coordinator.pseudonyms import site_prefix
    from course.hub import layout
    from course.settings import Project

    monkeypatch.delenv("COURSE_ROOT", raising=False)
    coordination = Project(layout.coordination_dir(hub))
    records = records_for(coordination, include_names=True)  # names asked: none come through
    assert sorted(w.site for w in records.workshops) == [
        "France Services Quimper",
        "Médiathèque de Brest",
    ]
    assert sorted(r.site for r in records.results) == [
        "France Services Quimper",
        "Médiathèque de Brest",
        "Médiathèque de Brest",
    ]
    keys = {r.learner_key for r in records.results}
    assert len(keys) == 3  # the two « Alice » are two people
    prefixes = (site_prefix("Médiathèque de Brest"), site_prefix("France Services Quimper"))
    assert all(k.startswith(prefixes) for k in keys)  # each learner under their own site
    assert all(info.name == "" for info in records.learners.values())
    for result in records.results:  # every result finds its workshop through the pseudonyms
        workshop = records.workshop_of(result)
        assert workshop is not None and workshop.site == result.site
    sheet = results_sheets(records, coordination.catalogue.modules)[0]
    assert len(sheet.rows) == 3
    assert "Alice" not in repr(sheet.rows) and "Bruno" not in repr(sheet.rows)

    site = Project(layout.site_dir(hub, "quimper"))
    book = site.workshops()
    alice = site.roster().learners()[0]  # a workshop with nobody in it is counted nowhere
    book.create("Atelier du jeudi", date(2026, 11, 26), ["essai"], trainer="Yann",
                learner_ids=[alice.id])  # fmt: skip
    book.close()
    again = records_for(coordination)
    assert "Atelier du jeudi" in [w.title for w in again.workshops]


def test_bundles_from_laptops_outside_the_hub_are_counted_too(
    hub, two_bundles, tmp_path, monkeypatch
):
    from course.coordinator.bundle_import import import_bundles
    from course.coordinator.live import records_for
    from course.settings import Project

    monkeypatch.delenv("COURSE_ROOT", raising=False)
    essai_project_at(tmp_path / "coordination")  # another coordination, the hub named in full
    configure(tmp_path / "coordination", f"c.CoordinatorSettings.hub_dir = {str(hub)!r}")
    coordination = Project(tmp_path / "coordination")
    before = len(records_for(coordination).results)
    paths, _sites = two_bundles
    import_bundles(coordination, paths[1:])  # Quimper's laptop: one result (its own Chloé)
    assert len(records_for(coordination).results) == before + 1
