"""What the coordinator's pages share: the filters read from the address, records read in a
worker thread (the learners' pages, served by the same process, never wait on the gradebook),
and the French wording of figures."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta
from typing import Any
from urllib.parse import urlencode

from tornado.ioloop import IOLoop

from course.coordinator.filters import Filters
from course.coordinator.live import hub_of, records_for
from course.coordinator.records import Records
from course.coordinator.results import RATE_SENTENCE
from course.core import french
from course.web.space import SpaceHandler

FILTER_FIELDS = ("du", "au", "site", "animation", "module")


async def in_thread(function: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
    return await IOLoop.current().run_in_executor(None, lambda: function(*args, **kwargs))


def periods(today: date, kept: dict[str, str]) -> list[tuple[str, str]]:
    """Shortcuts a coordinator reports on (this month, last month, this year), as links that
    keep the other filters."""
    first = today.replace(day=1)
    last_month_end = first - timedelta(days=1)
    spans = [
        ("Ce mois-ci", first, today),
        ("Le mois dernier", last_month_end.replace(day=1), last_month_end),
        ("Cette année", today.replace(month=1, day=1), today),
    ]
    others = {k: v for k, v in kept.items() if k not in ("du", "au") and v}
    links = [
        (label, "?" + urlencode({"du": start.isoformat(), "au": end.isoformat(), **others}))
        for label, start, end in spans
    ]
    links.append(("Toutes les dates", "?" + urlencode(others) if others else "?"))
    return links


percent = french.percent  # the trainer's results page writes rates the same way


def hours(value: float) -> str:
    text = f"{value:.1f}".replace(".", ",").removesuffix(",0")
    return f"{text} h"


class CoordinatorPage(SpaceHandler):
    def filters(self) -> tuple[Filters, str]:
        """The filters of the address (`?du=2026-11-01&site=…`) and a French error, if any."""
        values = {k: self.get_query_argument(k, "")[:200] for k in FILTER_FIELDS}
        days: dict[str, date | None] = {}
        error = ""
        for field in ("du", "au"):
            try:
                days[field] = date.fromisoformat(values[field]) if values[field] else None
            except ValueError:
                days[field], error = None, "Une date n'est pas lisible : elle est ignorée."
        f = Filters(days["du"], days["au"], values["site"], values["animation"], values["module"])
        return f, error

    def query(self) -> str:
        kept = {k: self.get_query_argument(k, "")[:200] for k in FILTER_FIELDS}
        kept = {k: v for k, v in kept.items() if v}
        return "?" + urlencode(kept) if kept else ""

    async def records(self) -> Records:
        return await in_thread(records_for, self.project, include_names=False)

    def names_known(self) -> bool:
        """First names exist only on a site's own laptop, in its roster: bundles never carry
        them, so a coordinator's laptop fed by bundles has none to export."""
        return bool(self.project.roster().learners())

    def page(self, template: str, **context: Any) -> None:
        context.setdefault("notice", "")
        context.setdefault("error", "")
        context.setdefault("query", self.query())
        context.setdefault("names_known", self.names_known())
        context.setdefault("on_hub", hub_of(self.project) is not None)
        kept = {k: self.get_query_argument(k, "")[:200] for k in FILTER_FIELDS}
        context.setdefault("periods", periods(french.today(), kept))
        context.update(
            percent=percent,
            hours=hours,
            points=french.points_text,
            rate_sentence=RATE_SENTENCE,
            count=french.count,
        )
        self.render_page(template, **context)
