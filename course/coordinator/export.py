"""The results export, as people read it: a results sheet, a questions sheet, a competences
sheet, in XLSX (one workbook) or CSV (one file per sheet, French convention).

One row per learner and evaluation with site, trainer and workshop, the points of every
question of the modules in the selection (`selected_modules`), the total and its percentage;
the questions sheet says what each question column is (module, text, type, points, Pix
competence); the competences sheet gives, per learner, Pix's three columns per competence
(questions, right answers, share). The anonymised variant names learners by pseudonym only and
has no first-name column.
"""

from __future__ import annotations

from pathlib import Path

from course.content.catalogue import Module
from course.coordinator import filters as select
from course.coordinator.competences import (
    competence_label,
    competence_order,
    question_index,
    tally,
)
from course.coordinator.filters import EVERYTHING, Filters
from course.coordinator.live import records_for
from course.coordinator.records import Records
from course.coordinator.sheets import Column, Sheet
from course.coordinator.writers import write_csvs, write_xlsx
from course.settings import Project


def question_columns(modules: list[Module]) -> list[tuple[Module, int, str]]:
    """(module, position, column title) of every evaluation question: « M01 Q3 »."""
    return [(m, n, f"M{m.number:02d} Q{n}") for m in modules for n, _q in enumerate(m.questions, 1)]


def results_sheet(records: Records, modules: list[Module], f: Filters, anonymous: bool) -> Sheet:
    qcols = question_columns(modules)
    columns = [
        Column("Site", width=22),
        Column("Animateur ou animatrice", width=20),
        Column("Atelier", width=30),
        Column("Date de l'atelier", "date", 12),
        Column("Apprenant (pseudonyme)", width=24),
        *([] if anonymous else [Column("Prénom", width=14)]),
        Column("Module", width=26),
        Column("Envoyée le", "datetime", 16),
        *[Column(title, "number", 8) for _m, _n, title in qcols],
        Column("Points obtenus", "number"),
        Column("Points possibles", "number"),
        Column("Résultat", "percent"),
        Column("Correction à faire", width=12),
    ]
    titles = {m.id: m.title for m in modules}
    sheet = Sheet("Résultats", columns, slug="resultats")
    for result, workshop in select.results(records, f):
        if result.module_id not in titles:
            continue
        learner = records.learners.get(result.learner_key)
        row: list = [
            workshop.site if workshop else result.site,
            workshop.trainer if workshop else "",
            workshop.title if workshop else "",
            workshop.day if workshop else None,
            learner.pseudonym if learner else result.learner_key,
        ]
        if not anonymous:
            row.append(learner.name if learner else "")
        row += [titles[result.module_id], records.local(result.submitted)]
        for module, n, _title in qcols:
            outcome = None
            if module.id == result.module_id:
                outcome = result.questions.get(module.questions[n - 1].id)
            row.append(outcome.score if outcome else None)
        share = result.score / result.max_score if result.max_score else None
        row += [result.score, result.max_score, share, "Non" if result.graded else "Oui"]
        sheet.add(row)
    return sheet


def questions_sheet(modules: list[Module]) -> Sheet:
    sheet = Sheet(
        "Questions",
        [
            Column("Colonne", width=9),
            Column("Module", width=26),
            Column("Identifiant", width=18),
            Column("Question", width=60),
            Column("Type", width=30),
            Column("Points", "number"),
            Column("Compétence Pix", width=50),
        ],
        slug="questions",
    )
    for module, n, title in question_columns(modules):
        q = module.questions[n - 1]
        sheet.add(
            [
                title,
                module.title,
                q.id,
                q.prompt.strip(),
                q.kind.label,
                q.points,
                competence_label(q.competence),
            ]
        )
    return sheet


def competences_sheet(
    records: Records, modules: list[Module], f: Filters, anonymous: bool
) -> Sheet:
    index = question_index(modules)
    kept = [r for r, _w in select.results(records, f) if any(r.module_id == m.id for m in modules)]
    per_learner = tally(kept, index)
    codes = competence_order(q.competence for q in index.values())
    columns = [Column("Site", width=22), Column("Apprenant (pseudonyme)", width=24)]
    if not anonymous:
        columns.append(Column("Prénom", width=14))
    for code in codes:
        columns += [
            Column(f"{code} Questions", "integer"),
            Column(f"{code} Bonnes réponses", "integer"),
            Column(f"{code} Part de bonnes réponses", "percent"),
        ]
    sheet = Sheet("Compétences", columns, slug="competences")
    for key in sorted(per_learner, key=lambda k: records.learners[k].pseudonym):
        learner = records.learners[key]
        row: list = [learner.site, learner.pseudonym]
        if not anonymous:
            row.append(learner.name)
        for code in codes:
            t = per_learner[key].get(code)
            row += [t.taken, t.right, t.share] if t else [0, 0, None]
        sheet.add(row)
    return sheet


def selected_modules(records: Records, modules: list[Module], f: Filters) -> list[Module]:
    """The modules of the selection: held in one of its workshops or with a result in it. Only
    their questions become columns (a run of module 02 alone exports module 02's questions,
    not every question of the catalogue)."""
    held = {m for w in select.workshops(records, f) for m in w.module_ids}
    held |= {r.module_id for r, _w in select.results(records, f)}
    return [m for m in modules if m.id in held and (not f.module_id or m.id == f.module_id)]


def results_sheets(
    records: Records, modules: list[Module], f: Filters = EVERYTHING, anonymous: bool = False
) -> list[Sheet]:
    modules = selected_modules(records, modules, f)
    return [
        results_sheet(records, modules, f, anonymous),
        questions_sheet(modules),
        competences_sheet(records, modules, f, anonymous),
    ]


def export_results(
    project: Project,
    output: Path,
    fmt: str = "xlsx",
    f: Filters = EVERYTHING,
    anonymous: bool = False,
) -> tuple[int, list[Path]]:
    """Write the results export; return its number of result rows and the files written."""
    records = records_for(project, include_names=not anonymous)
    sheets = results_sheets(records, project.catalogue.modules, f, anonymous)
    if fmt == "csv":
        return len(sheets[0].rows), write_csvs(output, sheets)
    write_xlsx(output, sheets)
    return len(sheets[0].rows), [output]
