"""A device's record log: what this laptop wrote, as versioned records the coordinator can
apply once, in any order, by any road (network or file).

Each record (a workshop, a learner's pseudonym, a result, a lesson's progress) has a random id,
the device's id and, for each of its fields, the device counter at which that field last
changed. `note` compares what the laptop holds now with the log (`var/sync/journal.json`, under
a lock) and gives a changed field the next counter; a record whose fields are unchanged keeps
its counters, so it is not sent again. Results are keyed by their submission: a new submission
is a new record, an old one never changes (append-only); a workshop edited changes only the
fields edited, which the coordinator applies field by field, the newest counter winning.
`pending(since)` is what the coordinator has not seen: every record with a field newer than the
counter it acknowledged (`acked`, from its last answer; 0 when it never answered).

The acknowledged counter has a file of its own (`var/sync/acked.json`, a few bytes): reading or
moving it does not parse and rewrite the whole log (a second of a sync with nothing new, on a
laptop with thousands of records, went to parsing the log twice). Logs written before keep it
in the log's `acked`, read when the small file is not there yet.
"""

from __future__ import annotations

import hashlib
import json
import secrets
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from course.core.files import file_lock, private_dir, private_write

FILE = "sync/journal.json"
ACKED = "sync/acked.json"
Fields = Mapping[str, Any]


def _hash(value: Any) -> str:
    blob = json.dumps(value, sort_keys=True, ensure_ascii=False).encode()
    return hashlib.sha256(blob).hexdigest()[:20]


class Journal:
    """The log of one device, in one project's `var/`: read once, written once per change
    (compact JSON, atomically, under a lock: a sync and the server's timer may meet)."""

    def __init__(self, data_dir: Path):
        self.path = Path(data_dir) / FILE
        self.acked_path = Path(data_dir) / ACKED
        self._state: dict[str, Any] | None = None

    def _load(self) -> dict[str, Any]:
        try:
            state = json.loads(self.path.read_text(encoding="utf-8"))
        except (FileNotFoundError, ValueError):
            state = {}
        self._state = state if isinstance(state, dict) else {}
        return self._state

    def _save(self, state: dict[str, Any]) -> None:
        private_dir(self.path.parent)
        private_write(self.path, json.dumps(state, ensure_ascii=False, separators=(",", ":")))

    def note(self, current: Mapping[tuple[str, str], Fields]) -> int:
        """Record what changed in `current` ((kind, key) -> fields); return the counter."""
        private_dir(self.path.parent)
        with file_lock(self.path):
            state = self._load()
            counter = int(state.get("counter", 0))
            records: dict[str, Any] = state.setdefault("records", {})
            before = counter
            for (kind, key), fields in sorted(current.items()):
                entry = records.get(f"{kind} {key}")
                if entry is None:
                    entry = records[f"{kind} {key}"] = {"id": secrets.token_hex(16), "fields": {}}
                known = entry["fields"]
                hashes = {f: _hash(v) for f, v in fields.items()}
                changed = [f for f, h in hashes.items() if known.get(f, ("",))[0] != h]
                if changed:
                    counter += 1
                    for name in changed:
                        known[name] = [hashes[name], counter]
            state["counter"] = counter
            if counter != before:
                self._save(state)
            return counter

    def pending(
        self, current: Mapping[tuple[str, str], Fields], since: int
    ) -> list[dict[str, Any]]:
        """Every record with a field newer than `since`: id, kind, key, and each field's value
        with its counter (all fields: the coordinator keeps the newer of each)."""
        records = (self._state if self._state is not None else self._load()).get("records", {})
        found = []
        for (kind, key), fields in sorted(current.items()):
            entry = records.get(f"{kind} {key}")
            if entry is None:
                continue
            counters = {f: entry["fields"][f][1] for f in fields if f in entry["fields"]}
            if counters and max(counters.values()) > since:
                found.append({
                    "id": entry["id"], "kind": kind, "key": key,
                    "fields": {f: [fields[f], counters[f]] for f in counters},
                })  # fmt: skip
        return found

    def acked(self) -> int:
        try:
            return int(json.loads(self.acked_path.read_text(encoding="utf-8"))["acked"])
        except (FileNotFoundError, ValueError, KeyError, TypeError):
            state = self._state if self._state is not None else self._load()
            return int(state.get("acked", 0))  # a log written before the small file

    def acknowledge(self, seen: int, upto: int | None = None) -> None:
        """The coordinator holds everything up to `seen`: later syncs start from there. `upto`:
        the counter of the payload it answered (no later than the log's own), which spares
        reading the log for it."""
        with file_lock(self.acked_path):
            bound = upto if upto is not None else int(self._load().get("counter", 0))
            acked = max(self.acked(), min(seen, bound))
            private_dir(self.acked_path.parent)
            private_write(self.acked_path, json.dumps({"acked": acked}))
