"""The coordinator's records read live from every site of a hub: no bundles between sites that
share a hub (`course hub`).

On a hub, each site is a full project folder (`course.hub.layout.site_dir`) with its workshops
book and nbgrader gradebook (SQLite in its folder, or its own PostgreSQL database). The
coordination project (`<hub>/coordination/`, `c.CoordinatorSettings.hub_dir`) reads them all at
each page: every site's records are gathered as on its own laptop (`records.gather`), then its
learners are renamed to their pseudonyms, exactly as its bundle would carry them
(`course.coordinator.bundle.contents`), so two sites' `marie` never meet and no first name
reaches the coordination. The coordination's own book adds what bundles from laptops outside
the hub brought. Every export, the dashboard and La Coop's report go through `records_for`.
Every hub site is named in `Records.sites`, so one with no workshop yet still shows, zeros.
"""

from __future__ import annotations

from pathlib import Path

from course.coordinator.records import LearnerInfo, Lesson, Records, Result, gather, local_site
from course.coordinator.settings import CoordinatorSettings
from course.settings import Project


def hub_of(project: Project) -> Path | None:
    """The hub folder whose sites this coordination reads live, or None (a laptop)."""
    configured = CoordinatorSettings(config=project.config).hub_dir
    if not configured:
        return None
    folder = Path(configured)
    return folder if folder.is_absolute() else (project.root / folder).resolve()


def site_records(site: Project) -> Records:
    """One site's records as the coordination may see them: pseudonyms, no first names."""
    records = gather(site, include_names=False)
    learners = records.learners

    def key(learner_id: str) -> str:
        info = learners.get(learner_id)
        return info.pseudonym if info else learner_id

    for workshop in records.workshops:  # detached rows: renamed here, never written back
        for attendance in workshop.attendances:
            attendance.learner_id = key(attendance.learner_id)
    results = [
        Result(r.site, key(r.learner_key), r.module_id, r.submitted, r.questions)
        for r in records.results
    ]
    lessons = [Lesson(key(n.learner_key), n.module_id, n.done, n.total) for n in records.lessons]
    renamed = {
        info.pseudonym: LearnerInfo(info.pseudonym, info.site, info.pseudonym)
        for info in learners.values()
    }
    return Records(records.workshops, renamed, results, lessons, records.timezone)


def hub_records(project: Project, hub_dir: Path) -> Records:
    """The coordination's own records (bundles from elsewhere) and every hub site's, live."""
    from course.hub import layout
    from course.hub.settings import load

    merged = gather(project, include_names=False)
    for declared in load(hub_dir).sites:
        folder = layout.site_dir(hub_dir, declared.slug)
        if not (folder / "nbgrader_config.py").is_file():
            merged.sites.append(declared.name)  # declared by hand, not made yet: still a site
            continue  # `course hub start` says so
        site = Project(folder)
        merged.sites.append(local_site(site) or declared.name)  # as its workshops name it
        one = site_records(site)
        merged.workshops += one.workshops
        merged.learners.update(one.learners)
        merged.results += one.results
        merged.lessons += one.lessons
    return merged


def records_for(project: Project, *, include_names: bool = True) -> Records:
    """What the coordinator counts: every site of the hub, live, when this project coordinates
    a hub; else this laptop's own records and its bundles (`records.gather`)."""
    hub_dir = hub_of(project)
    if hub_dir is None:
        return gather(project, include_names=include_names)
    return hub_records(project, hub_dir)
