"""Process-local trims of nbgrader's per-notebook overhead, applied in batch workers only.

Profiled without a kernel (cProfile on `batch_grade._worker`), nbgrader spends most of a copy's
time redoing work whose result never changes within a run (docs/architecture.md, « Grading
cost »):

- `CheckCellMetadata` runs twice per notebook, reads its schema file again each time and calls
  `jsonschema.validate` for every cell; that function first checks the *schema* itself against
  its meta-schema, every time, and the cells' metadata are the same in every copy;
- every `Gradebook(...)` (nine per copy) creates a new SQLAlchemy engine, so SQLAlchemy's
  compiled-statement cache, which lives on the engine, starts empty for each one, and every
  query is compiled again; each also reflects the table list and runs `create_all` (a PRAGMA
  per table) on a database whose tables exist since `generate_assignment`, checks that the
  course row exists (a query and a commit), and `close()` then closes the SQLite connection
  that the next gradebook opens again;
- the three lookups run for every cell build their joined query from scratch
  (`course.trainer.prepared_queries`);
- `SaveAutoGrades` commits after every grade and comment;
- the cyclic garbage collector walks every object of the (large) imported code again and
  again; the workers freeze what exists after the imports (`gc.freeze`).

Every trim keeps results identical: the cached validator is exactly the one
`jsonschema.validate` builds, checked once, and a metadata value is accepted without a second
look only if the same value was found valid under the same schema; the shared engine is the one
`create_engine` builds for the same URL and options, its pooled connections are closed when the
worker ends (`dispose_engines`); `create_all`, the table list and the course row are checked by
the first Gradebook of the worker, and no table or course is dropped during a run; the grades
and comments are written by the same UPDATEs in the same order, committed once per notebook.
`benchmarks/autograde_speed.py` and `tests/trainer/test_autograde_speed.py` compare every row
with stock nbgrader's. The trims are applied to the worker processes of `course grade` only
(never on import), so `nbgrader` itself is untouched.
"""

from __future__ import annotations

import contextlib
import gc
import types
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

_applied = False


def skip_iri_grammar() -> None:
    """Do not import `rfc3987_syntax` (1.5 s of CPU building 38 lark grammars at import).

    jsonschema imports it, when installed, only to check the "iri" formats; no schema nbgrader
    or nbformat validates during autograde uses them, and jsonschema works without it. Only
    effective before jsonschema is first imported, so `course grade` calls it first thing.
    """
    import sys

    if "jsonschema" not in sys.modules:
        sys.modules.setdefault("rfc3987_syntax", None)  # type: ignore[arg-type]


def _cached_jsonschema() -> types.SimpleNamespace:
    """A stand-in for the `jsonschema` module as nbgrader's metadata validator uses it.

    nbgrader reads its schema file again for every notebook (`MetadataValidator()` per
    `CheckCellMetadata` run), so the schema is recognised by its content (its `repr`), and the
    last schema object seen is remembered so the same object costs no `repr`.
    """
    import jsonschema
    from jsonschema import exceptions, validators

    by_content: dict[str, tuple[Any, set[str]]] = {}
    last: list[Any] = [None, None]  # schema object, its (validator, values found valid)

    def validate(instance: Any, schema: Any, cls: Any = None, *args: Any, **kwargs: Any) -> None:
        """`jsonschema.validate`, with the schema check and validator built once per schema."""
        if cls is not None or args or kwargs:
            return jsonschema.validate(instance, schema, cls, *args, **kwargs)
        if last[0] is not schema:
            content = repr(schema)
            if content not in by_content:
                cls = validators.validator_for(schema)
                cls.check_schema(schema)
                by_content[content] = (cls(schema), set())
            last[:] = [schema, by_content[content]]
        validator, valid = last[1]
        # Most cells carry the same metadata in every copy: a value already found valid under
        # this schema is valid again (repr tells 1 from True and a list from a tuple).
        seen = repr(instance)
        if seen in valid:
            return None
        error = exceptions.best_match(validator.iter_errors(instance))
        if error is not None:
            raise error
        valid.add(seen)
        return None

    return types.SimpleNamespace(
        validate=validate, ValidationError=jsonschema.ValidationError, __name__="jsonschema"
    )


def _synchronous_normal(dbapi_connection: Any, _record: Any) -> None:
    dbapi_connection.execute("PRAGMA synchronous=NORMAL")


_ENGINES: dict[tuple, Any] = {}


def _shared_create_engine(original: Any) -> Any:
    engines = _ENGINES

    def create_engine(url: Any, **kwargs: Any) -> Any:
        """One engine per URL and options for the whole worker (keeps the compiled cache)."""
        from sqlalchemy import event

        key = (str(url), tuple(sorted(kwargs.items())))
        if key not in engines:
            engine = engines[key] = original(url, **kwargs)
            if engine.dialect.name == "sqlite":
                event.listen(engine, "connect", _synchronous_normal)
        return engines[key]

    return create_engine


def _once_per_engine(original: Any) -> Any:
    done: set[int] = set()

    def create_all(bind: Any, **kwargs: Any) -> None:
        """`MetaData.create_all`, skipped once it has run on this engine (tables then exist)."""
        if id(bind) not in done or kwargs:
            original(bind=bind, **kwargs)
            done.add(id(bind))

    return create_all


def _cached_inspect(original: Any) -> Any:
    inspectors: dict[int, Any] = {}

    def inspect(subject: Any, *args: Any, **kwargs: Any) -> Any:
        """One SQLAlchemy inspector per engine: its reflection cache then survives."""
        from sqlalchemy.engine import Engine

        if not isinstance(subject, Engine) or args or kwargs:
            return original(subject, *args, **kwargs)
        if id(subject) not in inspectors:
            inspectors[id(subject)] = original(subject)
        return inspectors[id(subject)]

    return inspect


def _course_checked_once(original: Any) -> Any:
    seen: set[tuple[str, str]] = set()

    def check_course(self: Any, course_id: str = "default_course", **kwargs: Any) -> Any:
        """`Gradebook.check_course`: the course row exists once one call found or made it.

        Only `Gradebook.__init__` calls it, and ignores what it returns; it costs a query and
        a commit on each of the nine gradebooks a copy opens.
        """
        key = (str(self.engine.url), course_id)
        if key in seen and not kwargs:
            return None
        course = original(self, course_id=course_id, **kwargs)
        seen.add(key)
        return course

    return check_course


def _close_keeping_pool(self: Any) -> None:
    """`Gradebook.close`, minus disposing the worker's shared engine.

    Disposing closed the pool's SQLite connection, and the next of the nine gradebooks a copy
    opens paid for a new one (open, first read of the WAL index, checkpoint on the last close):
    about a fifth of a copy's database time. The session is still removed, so its transaction
    ends; `dispose_engines` closes the pooled connections when the worker ends.
    """
    self.db.remove()


def _save_autogrades_in_one_commit(self: Any, nb: Any, resources: Any) -> tuple[Any, Any]:
    """`SaveAutoGrades.preprocess` (nbgrader/preprocessors/saveautogrades.py), one commit a copy.

    nbgrader commits after each grade and comment, about twenty times a copy, and every commit
    expires the session's objects too. Here the per-cell commits only flush (the same UPDATEs,
    in the same order) and one commit ends the notebook, also when a cell fails: what is saved
    is exactly what the per-cell commits would have saved.
    """
    from nbgrader.api import Gradebook
    from nbgrader.preprocessors import SaveAutoGrades

    self.notebook_id = resources["nbgrader"]["notebook"]
    self.assignment_id = resources["nbgrader"]["assignment"]
    self.student_id = resources["nbgrader"]["student"]
    self.db_url = resources["nbgrader"]["db_url"]
    self.gradebook = Gradebook(self.db_url)
    with self.gradebook:
        session = self.gradebook.db
        session.commit = session.flush
        try:
            nb, resources = super(SaveAutoGrades, self).preprocess(nb, resources)
        except BaseException:
            del session.commit
            with contextlib.suppress(Exception):  # keep what was saved; raise the first error
                session.commit()
            raise
        del session.commit
        session.commit()
    return nb, resources


def dispose_engines() -> None:
    """Close every shared engine's pooled connections (end of a worker)."""
    for engine in _ENGINES.values():
        engine.dispose()
    _ENGINES.clear()


@contextmanager
def wal_journal(database: Path) -> Iterator[None]:
    """Run the block with the SQLite gradebook in WAL mode, then restore its journal mode.

    nbgrader commits after every grade and comment (about 45 commits a copy); in SQLite's
    default rollback-journal mode each commit waits for the disk twice, and on this machine's
    virtual disk that waiting, not the CPU, was most of a batch's time. In WAL mode with
    `synchronous=NORMAL` (set by the workers on each connection) a commit waits for no disk,
    readers never block the writer, and the database stays consistent even after a power cut
    (SQLite's documented guarantee; at worst the last commits are lost and a re-run redoes
    them). The file's own journal mode is put back afterwards, so formgrader and nbgrader find
    the gradebook as they left it; if another program holds it open then, WAL simply stays.
    """
    import sqlite3

    with contextlib.closing(sqlite3.connect(database, timeout=600)) as con:
        previous = con.execute("PRAGMA journal_mode").fetchone()[0]
        con.execute("PRAGMA journal_mode=WAL")
    try:
        yield
    finally:
        if previous.lower() != "wal":
            with contextlib.closing(sqlite3.connect(database, timeout=600)) as con:
                with contextlib.suppress(sqlite3.OperationalError):
                    con.execute(f"PRAGMA journal_mode={previous}")


def apply() -> None:
    """Install both trims in this process (idempotent)."""
    global _applied
    if _applied:
        return
    import nbgrader.api
    import nbgrader.nbgraderformat.common as common

    from course.trainer import prepared_queries

    common.jsonschema = _cached_jsonschema()
    nbgrader.api.create_engine = _shared_create_engine(nbgrader.api.create_engine)
    nbgrader.api.inspect = _cached_inspect(nbgrader.api.inspect)
    metadata = nbgrader.api.Base.metadata
    metadata.create_all = _once_per_engine(metadata.create_all)
    gradebook = nbgrader.api.Gradebook
    gradebook.check_course = _course_checked_once(gradebook.check_course)
    gradebook.close = _close_keeping_pool
    prepared_queries.install()
    from nbgrader.preprocessors import SaveAutoGrades

    SaveAutoGrades.preprocess = _save_autogrades_in_one_commit
    gc.freeze()
    _applied = True
