"""The coordinator's dashboard in figures: for a period and filters, by site, by trainer and by
module, what was held and what was learnt; the success rate of each Pix competence; each
learner's competence profile.

Computed from `Records` with the same `Filters` as the exports, so the screen and the
spreadsheets agree. A workshop with two modules counts in both modules' lines (the total line
counts it once). Learners appear by pseudonym only: the coordinator needs no first name.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from course.content.catalogue import Module
from course.coordinator import filters as select
from course.coordinator.competences import Tally, competence_label, overall, question_index, tally
from course.coordinator.filters import Filters
from course.coordinator.records import Records, Result
from course.coordinator.results import success_rate
from course.workshops import Workshop

NO_WORKSHOP = "(non renseigné)"


@dataclass
class Line:
    label: str
    workshops: int = 0
    learners: int = 0
    hours: float = 0.0
    lessons_completed: int = 0
    sent: int = 0
    graded: int = 0
    average: float | None = None  # the success rate (`results.success_rate`) of what was sent


@dataclass
class CompetenceRate:
    code: str
    label: str
    asked: int  # every question sent, blank ones included (« Questions posées »)
    points: float
    possible: float

    @property
    def share(self) -> float | None:
        """The project's success rate (`results.success_rate`)."""
        return success_rate(self.points, self.possible)


@dataclass
class Profile:
    pseudonym: str
    site: str
    competences: list[CompetenceRate] = field(default_factory=list)


@dataclass
class Dashboard:
    filters: Filters
    total: Line
    by_site: list[Line]
    by_trainer: list[Line]
    by_module: list[Line]
    competences: list[CompetenceRate]
    profiles: list[Profile]
    sites: list[str]  # every site, trainer and module known, for the filter form
    trainers: list[str]
    modules: list[Module]


Pair = tuple[Result, Workshop | None]


def _line(
    label: str, records: Records, workshops: list[Workshop], results: list[Pair], module: str = ""
) -> Line:
    learners = {k for w in workshops for k in w.learner_ids} | {r.learner_key for r, _ in results}
    pairs = {
        (k, m)
        for w in workshops
        for k in w.learner_ids
        for m in w.module_ids
        if not module or m == module
    }
    graded = [r for r, _ in results if r.graded and r.max_score]
    obtained = sum(r.score for r, _ in results)
    possible = sum(r.max_score for r, _ in results)
    return Line(
        label=label,
        workshops=len(workshops),
        learners=len(learners),
        hours=sum(w.duration_minutes for w in workshops) / 60,
        lessons_completed=sum(
            1 for x in records.lessons if x.completed and (x.learner_key, x.module_id) in pairs
        ),
        sent=len(results),
        graded=len(graded),
        average=success_rate(obtained, possible),
    )


def _grouped(
    records: Records,
    workshops: list[Workshop],
    results: list[Pair],
    of_workshop: Callable[[Workshop], list[str]],
    of_result: Callable[[Pair], str],
    names: dict[str, str] | None = None,
    by_module: bool = False,
) -> list[Line]:
    keys = sorted({k for w in workshops for k in of_workshop(w)} | {of_result(p) for p in results})
    lines = []
    for key in keys:
        ws = [w for w in workshops if key in of_workshop(w)]
        rs = [p for p in results if of_result(p) == key]
        label = (names or {}).get(key, key) or NO_WORKSHOP
        lines.append(_line(label, records, ws, rs, key if by_module else ""))
    return lines


def rates(per_competence: dict[str, Tally]) -> list[CompetenceRate]:
    return [
        CompetenceRate(code, competence_label(code), t.asked, t.points, t.possible)
        for code, t in per_competence.items()
    ]


def dashboard(records: Records, modules: list[Module], f: Filters) -> Dashboard:
    workshops = select.workshops(records, f)
    results = select.results(records, f)
    titles = {m.id: m.title for m in modules}
    index = question_index(modules)
    per_learner = tally([r for r, _ in results], index)
    profiles = []
    for key, competences in per_learner.items():
        info = records.learners.get(key)
        profile = Profile(info.pseudonym if info else key, info.site if info else "")
        profile.competences = rates(overall({key: competences}))
        profiles.append(profile)
    profiles.sort(key=lambda p: (p.site, p.pseudonym))
    by_site = _grouped(
        records,
        workshops,
        results,
        lambda w: [w.site],
        lambda p: p[1].site if p[1] else p[0].site,
    )
    # A known site with nothing in the filters yet still shows, with zeros (a hub's new site).
    shown = {line.label for line in by_site}
    for name in sorted(set(records.sites) - shown):
        if not f.site or f.site == name:
            by_site.append(_line(name, records, [], []))
    by_site.sort(key=lambda line: line.label)
    return Dashboard(
        filters=f,
        total=_line("Total", records, workshops, results),
        by_site=by_site,
        by_trainer=_grouped(
            records,
            workshops,
            results,
            lambda w: [w.trainer],
            lambda p: p[1].trainer if p[1] else "",
        ),  # fmt: skip
        by_module=_grouped(
            records,
            workshops,
            results,
            lambda w: w.module_ids,
            lambda p: p[0].module_id,
            titles,
            by_module=True,
        ),  # fmt: skip
        competences=rates(overall(per_learner)),
        profiles=profiles,
        sites=sorted({w.site for w in records.workshops if w.site} | set(records.sites)),
        trainers=sorted({w.trainer for w in records.workshops if w.trainer}),
        modules=modules,
    )
