"""Files a person opens: checked before they are written, safe when they are opened.

Three rules every command that writes a file or folder follows (docs/outputs.md):

- **Where**: :func:`check_out` refuses an output that is the command's warehouse, any DuckDB
  warehouse file or its ``.wal``, a symbolic link (always: nothing is written through a link),
  a folder, or an existing file unless the user passed ``--force``. :func:`replace_file` writes
  through a temporary file in the same folder and renames it into place, so a link planted
  after the check is replaced, never followed, and a failed write leaves no partial file.
- **Formulas**: :func:`defuse` makes a text cell that a spreadsheet would read as a formula
  (starting ``=``, ``+``, ``-``, ``@``, a tab or a carriage return) start with an apostrophe, so
  it shows as text. Every CSV and XLSX forcepack writes passes its cells, headers and sheet
  names through it.
- **Small counts**: :func:`suppress` shows a count of 1 to ``SUPPRESSION_THRESHOLD - 1`` as
  ``[c]`` in anything marked for the public (0 stays 0).
"""

from __future__ import annotations

import contextlib
import numbers
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pandas as pd

from forcepack.errors import InputError, MissingFileError
from forcepack.settings import SUPPRESSION_THRESHOLD

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
#: What a suppressed count is shown as (the ONS convention for "confidential").
SUPPRESSED = "[c]"
#: Bytes 8-11 of every DuckDB database file.
_DUCKDB_MAGIC = b"DUCK"


def defuse(value: Any) -> Any:
    """``value`` made safe for a spreadsheet cell: text a spreadsheet would run as a formula
    gets a leading apostrophe; numbers, dates and other text are returned unchanged."""
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return "'" + value
    return value


def defuse_frame(df: pd.DataFrame) -> pd.DataFrame:
    """A copy of ``df`` with every text cell and every column name passed through
    :func:`defuse` (the work is per column, in pandas, not per record in Python)."""
    out = df.copy()
    for col in out.columns:
        if out[col].dtype == object or pd.api.types.is_string_dtype(out[col].dtype):
            # kept as object: a column of whole counts and decimals must not become floats
            out[col] = pd.Series([defuse(v) for v in out[col]], index=out.index, dtype=object)
    out.columns = [defuse(str(c)) for c in out.columns]
    return out


def suppress(value: Any, threshold: int = SUPPRESSION_THRESHOLD) -> Any:
    """A count for the public: 1 to ``threshold - 1`` becomes ``[c]``; 0, larger counts and
    missing values are returned unchanged."""
    if value is None or isinstance(value, bool):
        return value
    try:
        if pd.isna(value):
            return value
    except (TypeError, ValueError):
        return value
    if isinstance(value, numbers.Real) and 0 < float(value) < threshold:
        return SUPPRESSED
    return value


def is_warehouse_file(path: Path) -> bool:
    """Whether ``path`` is a DuckDB database file (by its header), or a ``.wal`` file (the
    write-ahead log DuckDB replays into the warehouse beside it)."""
    return path.name.endswith(".wal") or _has_duckdb_header(path)


def _has_duckdb_header(path: Path) -> bool:
    try:
        with path.open("rb") as fh:
            head = fh.read(12)
    except OSError:
        return False
    return head[8:12] == _DUCKDB_MAGIC


def _same(a: Path, b: Path) -> bool:
    try:
        return a.resolve() == b.resolve()
    except OSError:
        return False


def _refuse_link(path: Path, option: str, what: str) -> None:
    """Refuse an output ``path`` that is a symbolic link (``what``: path or folder)."""
    if path.is_symlink():
        raise InputError(
            f"{option} {path} is a symbolic link (to {os.readlink(path)}); forcepack never "
            "writes through a link",
            hint=f"give the real {what} as {option}",
        )


def check_out(
    path: Path | str,
    *,
    force: bool = False,
    warehouse: Path | str | None = None,
    option: str = "--out",
) -> Path:
    """Check ``path`` may be written by a command (see the module docstring); returns it.

    ``warehouse`` is the warehouse the command uses (refused as an output, with its ``.wal``);
    any other DuckDB file is refused too. Raises :class:`InputError` (or
    :class:`MissingFileError` when the folder does not exist).
    """
    path = Path(path)
    shown = f"{option} {path}"
    _refuse_link(path, option, "path")
    if warehouse is not None:
        db = Path(warehouse)
        for protected in (db, db.with_name(db.name + ".wal")):
            if _same(path, protected):
                raise InputError(
                    f"{shown} is the warehouse this command uses ({db}); an output never "
                    "replaces a warehouse",
                    hint=f"give another {option}",
                )
    if path.is_dir():
        raise InputError(f"{shown} is a folder; give a file name", hint=f"e.g. {path}/out.csv")
    if is_warehouse_file(path):
        raise InputError(
            f"{shown} is a DuckDB warehouse file (or its .wal); an output never replaces a "
            "warehouse, even with --force",
            hint=f"give another {option}",
        )
    if path.exists() and not force:
        raise InputError(
            f"{shown} already exists; forcepack does not replace a file unless asked",
            hint="give --force to replace it, or choose another name",
        )
    parent = path.parent if str(path.parent) else Path(".")
    if not parent.is_dir():
        raise MissingFileError(
            f"output folder {parent} does not exist",
            hint=f"create it first, or choose another {option}",
        )
    return path


def check_out_folder(
    path: Path | str, *, warehouse: Path | str | None = None, option: str = "--out"
) -> Path:
    """Check a folder a command writes into: not a link, not a file (a warehouse above all).

    The folder is created when missing. Each file written into it is checked with
    :func:`check_out`.
    """
    path = Path(path)
    shown = f"{option} {path}"
    _refuse_link(path, option, "folder")
    if warehouse is not None and _same(path, Path(warehouse)):
        raise InputError(f"{shown} is the warehouse this command uses; give a folder")
    if path.exists() and not path.is_dir():
        what = "a DuckDB warehouse file" if is_warehouse_file(path) else "a file"
        raise InputError(f"{shown} is {what}, not a folder", hint=f"give a folder as {option}")
    try:
        path.mkdir(parents=True, exist_ok=True)
    except OSError as err:
        raise MissingFileError(
            f"cannot create the output folder {path}: {err.strerror}",
            hint=f"choose a writable {option}",
        ) from err
    return path


@contextlib.contextmanager
def replace_file(path: Path, *, private: bool = False) -> Iterator[Path]:
    """Yield a temporary path beside ``path``; when the block ends without error, rename it
    onto ``path`` (replacing a link itself, never its target); on error remove it.

    The file is readable by its owner only when ``private`` (personal data), else it gets the
    usual permissions (``0666`` less the umask).
    """
    path = Path(path)
    parent = path.parent if str(path.parent) else Path(".")
    fd, tmp_name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".part", dir=parent)
    os.close(fd)
    tmp = Path(tmp_name)
    try:
        yield tmp
        if not private:
            mask = os.umask(0)
            os.umask(mask)
            os.chmod(tmp, 0o666 & ~mask)
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


def write_text(
    path: Path | str,
    text: str,
    *,
    force: bool = False,
    warehouse: Path | str | None = None,
    option: str = "--out",
) -> Path:
    """Check ``path`` (:func:`check_out`) and write ``text`` to it as UTF-8."""
    path = check_out(path, force=force, warehouse=warehouse, option=option)
    with replace_file(path) as tmp:
        tmp.write_text(text, encoding="utf-8", newline="")
    return path
