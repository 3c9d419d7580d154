"""Crime Harm Index: weights, scores, the monthly victim and offender lists.

Public API:

- :func:`build` scores every recorded crime into ``crime_harm``, ``victim_harm`` and
  ``offender_harm`` (with a weighting from :mod:`forcepack.harm.weights`).
- :func:`harm_by` ranks crimes, victims, offenders and places by harm; :func:`concentration`
  gives the share of harm suffered by the most harmed victims.
- :func:`make_list` / :func:`write_list` make the OFFICIAL-SENSITIVE victim and offender lists.

Harm totals, rates and the repeat victimisation share are catalogue measures (``harm.*``);
the board paper's aggregate figures are :func:`forcepack.summaries.harm_summary`.
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
    window,
)

__all__ = [
    "DEFAULT_TOP",
    "BuildResult",
    "Concentration",
    "Exclusions",
    "HarmList",
    "Level",
    "ListKind",
    "build",
    "concentration",
    "harm_by",
    "make_list",
    "resolve_scope",
    "window",
    "write_list",
]
