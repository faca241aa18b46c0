"""A zip opened without trusting it: the file's size, the number of members, each member's size
and their total are bounded before and while anything is unpacked.

A zip's headers may lie about sizes, so each member is read in chunks and counted as it comes:
a 32 kB « zip bomb » that unpacks to gigabytes stops at the first chunk past the cap, with the
process holding at most one cap of bytes.
"""

from __future__ import annotations

import zipfile
from dataclasses import dataclass
from pathlib import Path

from course.sync.errors import PayloadError, refuse

CHUNK = 64 * 1024


@dataclass(frozen=True)
class Caps:
    file_bytes: int = 32 * 1024 * 1024  # the zip itself
    members: int = 16
    member_bytes: int = 8 * 1024 * 1024  # one member unpacked
    total_bytes: int = 24 * 1024 * 1024  # all members unpacked


def _read(archive: zipfile.ZipFile, info: zipfile.ZipInfo, left: int, cap: int) -> bytes:
    if info.file_size > min(cap, left):
        raise refuse(f"« {info.filename} » est bien trop gros pour un paquet d'ateliers.")
    parts: list[bytes] = []
    size = 0
    with archive.open(info) as member:
        while chunk := member.read(CHUNK):
            size += len(chunk)
            if size > min(cap, left):
                raise refuse(f"« {info.filename} » est bien trop gros pour un paquet d'ateliers.")
            parts.append(chunk)
    return b"".join(parts)


def read_members(path: Path, expected: list[set[str]], caps: Caps = Caps()) -> dict[str, bytes]:
    """Every member of the zip at `path`, which must hold exactly one of the `expected` sets of
    names, within `caps`."""
    try:
        if path.stat().st_size > caps.file_bytes:
            raise refuse("le fichier est bien trop gros pour un paquet d'ateliers.")
        with zipfile.ZipFile(path) as archive:
            infos = archive.infolist()
            if len(infos) > caps.members:
                raise refuse("il contient bien trop de fichiers.")
            names = [i.filename for i in infos]
            if len(set(names)) != len(names) or set(names) not in expected:
                raise refuse("son contenu n'est pas celui d'un paquet d'ateliers numériques.")
            found: dict[str, bytes] = {}
            left = caps.total_bytes
            for info in infos:
                found[info.filename] = _read(archive, info, left, caps.member_bytes)
                left -= len(found[info.filename])
            return found
    except FileNotFoundError:
        raise PayloadError(f"Fichier introuvable : {path}") from None
    except PayloadError:
        raise
    except (zipfile.BadZipFile, zipfile.LargeZipFile, EOFError, OSError, ValueError,
            NotImplementedError, RuntimeError):  # fmt: skip
        raise refuse("le fichier est abîmé (ce n'est pas une archive lisible).") from None
