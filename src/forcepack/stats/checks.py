"""The argument checks the statistics share: a series of numbers, its first bad point and a
whole-number setting, each refused with the same message wherever it is passed."""

from __future__ import annotations

from typing import Any

import numpy as np

from forcepack.errors import InputError


def series(
    values: Any, what: str, *, of: str = "numbers", hint: str = "pass one value per period"
) -> np.ndarray:
    """``values`` as a float array, or an InputError naming ``what`` unless it is a non-empty
    1-D series (``of`` says what its values are in the message)."""
    y = np.asarray(values, dtype=float)
    if y.ndim != 1 or y.size == 0:
        raise InputError(
            f"{what}: expected a non-empty 1-D series of {of}, received shape {y.shape}",
            hint=hint,
        )
    return y


def at_least(value: object, minimum: int, what: str, hint: str) -> None:
    """Refuse ``value`` (named ``what``) unless it is a whole number of at least ``minimum``;
    a bool is not a number here, though Python counts it as one."""
    if isinstance(value, bool) or not isinstance(value, int) or value < minimum:
        raise InputError(
            f"{what}: must be a whole number of at least {minimum}, received {value!r}",
            hint=hint,
        )


def first_bad(bad: np.ndarray) -> int | None:
    """The position of the first point flagged in the boolean array ``bad``, or None; a message
    names that point."""
    at = np.flatnonzero(bad)
    return int(at[0]) if at.size else None
