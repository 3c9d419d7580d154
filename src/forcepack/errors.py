"""One error base class for forcepack, and a small tree under it.

Every error a user can cause carries a one-line message that names the thing that is wrong,
what was allowed, what was received and how to fix it. The CLI prints ``str(error)`` and exits
with ``error.exit_code``; tracebacks appear only with ``--debug``. Input errors also inherit the
built-in exception a Python caller would expect (``ValueError``, ``FileNotFoundError``...).
"""

from __future__ import annotations


class ForcepackError(Exception):
    """Base class of every error forcepack raises on purpose."""

    exit_code = 1

    def __init__(self, message: str, *, hint: str | None = None) -> None:
        self.message = message
        self.hint = hint
        super().__init__(message if hint is None else f"{message} ({hint})")


class InputError(ForcepackError, ValueError):
    """A value the user gave (an option, an argument, a setting) is not allowed."""

    exit_code = 2


class ConfigError(InputError):
    """A configuration or specification file (a measure catalogue, a harm table) is invalid."""


class MissingFileError(ForcepackError, FileNotFoundError):
    """A file or folder the user named does not exist or cannot be written."""

    exit_code = 2


class DataError(ForcepackError, ValueError):
    """An extract or a table does not meet the data contract."""

    exit_code = 3


class WarehouseError(ForcepackError):
    """The warehouse is missing, locked, or not a forcepack warehouse."""

    exit_code = 4


class AccessError(ForcepackError, PermissionError):
    """A request for OFFICIAL-SENSITIVE data that the rules do not allow (no area named...)."""

    exit_code = 5
