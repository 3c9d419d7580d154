"""Crime Harm Index: weights, scores, the monthly victim and offender lists, board figures.

Public API:

- :func:`build` scores every recorded crime into ``crime_harm``, ``victim_harm`` and
  ``offender_harm`` (with a weighting from :mod:`forcepack.harm.weights`).
- :func:`harm_by`, :func:`total_days`, :func:`concentration`, :func:`repeat_victim_share`
  sum harm per crime, victim, offender, place, district and month.
- :func:`make_list` / :func:`write_list` make the OFFICIAL-SENSITIVE victim and offender lists.
- :func:`summary` gives the board paper aggregate, non-personal figures.
"""

from forcepack.harm.build import BuildResult, build
from forcepack.harm.lists import (
    DEFAULT_TOP,
    HarmList,
    ListKind,
    make_list,
    resolve_scope,
    write_list,
)
from forcepack.harm.score import (
    Concentration,
    Exclusions,
    Level,
    concentration,
    harm_by,
    repeat_victim_share,
    total_days,
    window,
)
from forcepack.harm.summary import HarmSummary, PlaceHarm, summary

__all__ = [
    "DEFAULT_TOP",
    "BuildResult",
    "Concentration",
    "Exclusions",
    "HarmList",
    "HarmSummary",
    "Level",
    "ListKind",
    "PlaceHarm",
    "build",
    "concentration",
    "harm_by",
    "make_list",
    "repeat_victim_share",
    "resolve_scope",
    "summary",
    "total_days",
    "window",
    "write_list",
]
