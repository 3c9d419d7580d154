"""Where data.police.uk files come from: loose CSV files, folders, and monthly archive zips.

data.police.uk's archive (``2019-01.zip``, or a custom download) holds one folder per month
(``YYYY-MM/``) of ``YYYY-MM-<force>-street.csv``, ``-outcomes.csv`` and ``-stop-and-search.csv``
files for every force. An archive is read member by member: each street or outcomes file is
extracted alone to a temporary file, loaded, and removed, so the archive of every force is never
unpacked to disk. Each row is stamped with its **snapshot**: the archive's name without ``.zip``
(``2019-01``), or none for a loose file. ``forces`` keeps only the named forces' files (by the
force id in the file name); Northern Ireland's files are not of England and Wales and are left
out of an archive, and said so.
"""

from __future__ import annotations

import re
import shutil
import tempfile
import zipfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from forcepack.errors import DataError, MissingFileError

#: ``2019-01-bedfordshire-street.csv``: month, force id, kind.
FILE_NAME = re.compile(
    r"^(?P<month>\d{4}-\d{2})-(?P<force>[a-z0-9-]+?)-(?P<kind>street|outcomes|stop-and-search)"
    r"\.csv$"
)
#: An archive member: ``2019-01/2019-01-bedfordshire-street.csv``.
MEMBER = re.compile(r"^(?:.*/)?(?P<folder>\d{4}-\d{2})/(?P<file>[^/]+\.csv)$")
LOADED_KINDS = ("street", "outcomes")


@dataclass(frozen=True, slots=True)
class Item:
    """One file to load: its path on disk (a temporary copy for an archive member), the name
    the load log records, its snapshot, and whether the user named it."""

    path: Path
    name: str
    snapshot: str | None
    explicit: bool = False


def force_of(file_name: str) -> str | None:
    """The data.police.uk force id in a file name (``bedfordshire``), or None."""
    m = FILE_NAME.match(Path(file_name).name.lower())
    return m["force"] if m else None


def _wanted(name: str, forces: frozenset[str] | None) -> bool:
    if forces is None:
        return True
    return force_of(name) in forces


def _archive(path: Path, forces: frozenset[str] | None, notes: list[str]) -> Iterator[Item]:
    try:
        zf = zipfile.ZipFile(path)
    except zipfile.BadZipFile:
        raise DataError(f"{path.name} is not a zip archive (data.police.uk archives are)") from None
    with zf, tempfile.TemporaryDirectory(prefix="fp-police-uk-") as tmp:
        members = [(i, MEMBER.match(i.filename)) for i in zf.infolist() if not i.is_dir()]
        laid_out = [(i, m) for i, m in members if m and FILE_NAME.match(m["file"].lower())]
        if not laid_out:
            seen = ", ".join(i.filename for i, _ in members[:3]) or "nothing"
            raise DataError(
                f"{path.name} is not a data.police.uk archive: no member is "
                f"YYYY-MM/YYYY-MM-<force>-street.csv or -outcomes.csv (it holds {seen})"
            )
        skipped: dict[str, int] = {}
        for info, m in sorted(laid_out, key=lambda x: x[0].filename):
            file = m["file"]
            name_m = FILE_NAME.match(file.lower())
            assert name_m is not None
            if name_m["kind"] not in LOADED_KINDS or not _wanted(file, forces):
                continue
            if name_m["force"] == "northern-ireland":
                skipped[name_m["force"]] = skipped.get(name_m["force"], 0) + 1
                continue
            target = Path(tmp) / file
            with zf.open(info) as src, target.open("wb") as dst:
                shutil.copyfileobj(src, dst, 1 << 20)
            try:
                yield Item(target, f"{path.name}:{info.filename}", path.stem)
            finally:
                target.unlink(missing_ok=True)
        for force, n in skipped.items():
            notes.append(
                f"{path.name}: {n:,} {force} files left out (not a force of England and Wales)"
            )


def items(
    paths: Iterable[str | Path], forces: Iterable[str] | None = None, notes: list[str] | None = None
) -> Iterator[Item]:
    """Every data.police.uk file under ``paths`` (files, folders, archives), in order, lazily."""
    wanted = None if forces is None else frozenset(forces)
    notes = [] if notes is None else notes
    for raw in paths:
        p = Path(raw)
        if not p.exists():
            raise MissingFileError(f"data.police.uk path {p} does not exist")
        if p.is_dir():
            for f in sorted(x for x in p.rglob("*") if x.is_file()):
                if f.suffix.lower() == ".zip":
                    yield from _archive(f, wanted, notes)
                elif f.suffix.lower() == ".csv" and _wanted(f.name, wanted):
                    yield Item(f, f.name, None)
        elif p.suffix.lower() == ".zip":
            yield from _archive(p, wanted, notes)
        elif _wanted(p.name, wanted):
            yield Item(p, p.name, None, explicit=True)
