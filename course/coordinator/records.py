"""Everything the coordinator counts, from one place: this laptop's own data and the bundles.

`gather` merges the local site (workshops from the book, results from nbgrader's gradebook,
lesson progress from the learners' folders, first names from the roster) with what bundles from
other sites brought (`course.coordinator.store`). Every export and the coordinator space read a
`Records`, so they always agree, and tests can build one by hand.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import datetime, time
from zoneinfo import ZoneInfo

from sqlalchemy import select

from course.coordinator.results import QuestionResult, Scored, submissions
from course.core import french
from course.core.files import from_iso
from course.settings import Project
from course.workshops import Workshop


@dataclass(frozen=True)
class LearnerInfo:
    key: str  # the id in workshop groups: a roster id here, a pseudonym from a bundle
    site: str
    pseudonym: str
    name: str = ""  # the first name, known only on the learner's own site


@dataclass
class Result(Scored):
    site: str
    learner_key: str
    module_id: str
    submitted: datetime | None  # aware (UTC)
    questions: dict[str, QuestionResult] = field(default_factory=dict)

    @property
    def graded(self) -> bool:
        return all(q.score is not None for q in self.questions.values())


@dataclass(frozen=True)
class Lesson:
    learner_key: str
    module_id: str
    done: int
    total: int

    @property
    def completed(self) -> bool:
        return self.total > 0 and self.done >= self.total


@dataclass
class Records:
    workshops: list[Workshop]
    learners: dict[str, LearnerInfo]
    results: list[Result]
    lessons: list[Lesson]
    timezone: str = "Europe/Paris"
    # Sites known even with nothing recorded yet (a hub's: `course.coordinator.live`), so the
    # coordinator sees that they exist, with zeros.
    sites: list[str] = field(default_factory=list)

    def local(self, moment: datetime | None) -> datetime | None:
        """A moment in `timezone` (naive: UTC), without its zone (what a spreadsheet shows)."""
        if moment is None:
            return None
        return french.local(moment, ZoneInfo(self.timezone)).replace(tzinfo=None)

    def workshop_of(self, result: Result) -> Workshop | None:
        """The workshop a result belongs to: the last one of the learner's group on that module
        held on or before the day it was sent (else the first one after)."""
        found = [
            w
            for w in self.workshops
            if result.module_id in w.module_ids and result.learner_key in w.learner_ids
        ]
        if not found:
            return None
        found.sort(key=lambda w: (w.day, w.start or time(0), w.id))
        sent = self.local(result.submitted)
        if sent is None:
            return found[-1]
        before = [w for w in found if w.day <= sent.date()]
        return before[-1] if before else found[0]

    def participants(self, workshop: Workshop) -> list[str]:
        """Who came to a workshop, as La Coop counts its « participants »: those the trainer
        marked present, and those who worked in it (an evaluation sent for it, or a lesson of
        its modules begun), like attestations do (`course.learner.attended`) for a trainer who
        forgot to mark presence. Somebody enrolled who left no trace is not counted. A bundle
        made before presence was carried brings no marks: its traces still count."""
        present = set(workshop.present_ids)
        modules = set(workshop.module_ids)
        group = set(workshop.learner_ids)
        present |= {
            r.learner_key
            for r in self.results
            if r.learner_key in group and r.module_id in modules and self.workshop_of(r) is workshop
        }
        present |= {
            x.learner_key
            for x in self.lessons
            if x.learner_key in group and x.module_id in modules and x.done > 0
        }
        return [k for k in workshop.learner_ids if k in present]


def local_lessons(project: Project) -> list[Lesson]:
    from course.answers.store import LESSON_FILE, AnswerStore, is_empty

    found: list[Lesson] = []
    if not project.learners_dir.is_dir():
        return found
    for module in project.catalogue.modules:
        ids = {q.id for q in module.practice_questions}
        for folder in sorted(project.learners_dir.glob(f"*/{module.id}")):
            path = folder / LESSON_FILE
            if not path.is_file():
                continue
            answers = AnswerStore(path).answers
            done = len([k for k, v in answers.items() if k in ids and not is_empty(v)])
            found.append(Lesson(folder.parent.name, module.id, done, len(ids)))
    return found


def local_site(project: Project) -> str:
    """This site's name: set in nbgrader_config.py by a deployer, else saved by the trainer in
    her space's settings (`course.workshops.site`)."""
    from course.workshops.site import site_name

    return site_name(project.data_dir, project.config)


def gather(project: Project, *, include_names: bool = True) -> Records:
    """This project's records and those its bundles brought, in one `Records`."""
    from course.coordinator.pseudonyms import Pseudonyms
    from course.coordinator.store import ImportedLearner, ImportedLesson, ImportedResult

    site = local_site(project)
    book = project.workshops()
    try:
        # A cancelled workshop, or one nobody is enrolled in, is counted nowhere.
        workshops = [w for w in book.all() if w.counts]
        for workshop in workshops:  # made here before the site had a name: still this site's
            workshop.site = workshop.site or site
        pseudonyms = Pseudonyms(project.data_dir, site)
        learners: dict[str, LearnerInfo] = {}
        for learner in project.roster().learners():
            name = learner.name if include_names else ""
            learners[learner.id] = LearnerInfo(learner.id, site, pseudonyms.of(learner.id), name)
        results = [
            Result(site, s.learner_id, s.module_id, from_iso(s.timestamp), s.questions)
            for s in submissions(project)
        ]
        lessons = local_lessons(project)
        with book.session() as session:
            for row in session.scalars(select(ImportedLearner)):
                learners[row.key] = LearnerInfo(row.key, row.site, row.key)
            for r in session.scalars(select(ImportedResult)):
                questions = {
                    q["id"]: QuestionResult(q["id"], q["score"], q["max"])
                    for q in json.loads(r.questions)
                }
                results.append(Result(r.site, r.learner_key, r.module_id, r.submitted, questions))
            for lesson in session.scalars(select(ImportedLesson)):
                lessons.append(
                    Lesson(lesson.learner_key, lesson.module_id, lesson.done, lesson.total)
                )
    finally:
        book.close()
    for key in {k for w in workshops for k in w.learner_ids} - set(learners):
        learners[key] = LearnerInfo(key, site, pseudonyms.of(key))
    return Records(workshops, learners, results, lessons, project.settings.timezone)
