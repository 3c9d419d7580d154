"""Parameters of the demo force: geography, volumes, trends and seasonality.

The demo force is a synthetic Cambridgeshire-like force. Every number that shapes its data is
here, named, so that docs/demo.md can describe it and calibration changes one place.
"""

from __future__ import annotations

from dataclasses import dataclass

from forcepack import calendar
from forcepack.errors import InputError


def parse_month(text: str, option: str) -> str:
    """Check a ``YYYY-MM`` option (the one month rule, :func:`forcepack.calendar.parse`, and a
    year the generator models); return it unchanged or raise a one-line InputError."""
    month = calendar.parse(text, option)
    if not 2000 <= month.year <= 2100:
        raise InputError(
            f'{option} "{text}" is outside the years the demo generator models: give a month '
            "from 2000-01 to 2100-12, e.g. 2019-12"
        )
    return text.strip()


@dataclass(frozen=True, slots=True)
class District:
    code: str
    name: str
    short: str  # prefix of neighbourhood codes
    area: str
    population: int
    crime_rate: float  # recorded crimes per 1,000 people per month, 2016 (before trends)
    growth: float  # yearly growth of recorded crime 2015-2018
    growth_2019: float  # extra yearly growth through 2019
    rural: float  # 0 = urban, 1 = very rural (slower attendance, travel delays)
    care_homes: float  # relative number of children's care homes
    neighbourhoods: tuple[str, ...]


DISTRICTS: tuple[District, ...] = (
    District(
        "E07000008",
        "Cambridge",
        "CAM",
        "South",
        125758,
        9.3,
        0.012,
        0.30,
        0.0,
        0.5,
        ("City Centre", "North", "East", "South", "West"),
    ),
    District(
        "E07000009",
        "East Cambridgeshire",
        "ECA",
        "South",
        89840,
        4.9,
        0.012,
        0.30,
        0.9,
        0.4,
        ("Ely", "Soham", "Littleport", "Rural South"),
    ),
    District(
        "E07000010",
        "Fenland",
        "FEN",
        "North",
        101491,
        6.7,
        0.012,
        0.02,
        0.8,
        2.2,
        ("Wisbech", "March", "Whittlesey", "Chatteris"),
    ),
    District(
        "E07000011",
        "Huntingdonshire",
        "HUN",
        "South",
        177963,
        5.0,
        0.012,
        0.03,
        0.6,
        0.8,
        ("Huntingdon", "St Neots", "St Ives", "Ramsey", "Rural West"),
    ),
    District(
        "E07000012",
        "South Cambridgeshire",
        "SCA",
        "South",
        159086,
        4.1,
        0.012,
        0.02,
        0.7,
        0.4,
        ("Cambourne", "Sawston", "Histon", "Linton"),
    ),
    District(
        "E06000031",
        "Peterborough",
        "PET",
        "North",
        202259,
        9.0,
        0.012,
        0.03,
        0.1,
        2.5,
        ("City Centre", "Central", "East", "West", "North", "South"),
    ),
)

#: The demo force's name in ``districts.force`` (the shipped districts.csv; the board paper's
#: prose calls it "the demo force").
DEMO_FORCE_NAME = "Demo Force"
#: Year of the districts' population estimates.
POPULATION_YEAR = 2019

#: Seasonal factors of recorded crime, January to December.
CRIME_SEASON = (0.95, 0.90, 0.98, 0.97, 1.03, 1.03, 1.06, 1.04, 1.01, 1.04, 1.03, 0.92)
#: Seasonal factors of domestic abuse (summer and Christmas peaks).
DA_SEASON = (0.95, 0.90, 0.95, 0.97, 1.02, 1.04, 1.07, 1.05, 0.98, 1.00, 0.99, 1.08)
#: Seasonal factors of 999 calls (summer nights and the Christmas party season).
CALLS_999_SEASON = (0.92, 0.88, 0.95, 0.97, 1.03, 1.06, 1.09, 1.07, 1.00, 0.99, 0.98, 1.06)
#: Seasonal factors of 101 calls.
CALLS_101_SEASON = (1.00, 0.96, 1.02, 0.99, 1.03, 1.03, 1.05, 1.03, 1.01, 1.00, 0.98, 0.90)


@dataclass(frozen=True, slots=True)
class DemoConfig:
    """What to generate: the seed, the period and the force's identity."""

    seed: int
    start: str = "2015-01"
    end: str = "2019-12"
    force: int = 0  # 0 = the demo force; 1.. = further synthetic forces for scale runs
    scale: float = 1.0  # multiplies volumes (crimes, incidents, calls, contacts)

    def __post_init__(self) -> None:
        parse_month(self.start, "--start")
        parse_month(self.end, "--end")
        if self.start > self.end:
            raise InputError(
                f"--start {self.start} is after --end {self.end}: give a start month on or "
                "before the end month"
            )
        if self.seed < 0:
            raise InputError(f"--seed {self.seed} is negative: give a whole number >= 0")
        if self.scale <= 0:
            raise InputError(f"scale {self.scale} must be greater than zero")

    @property
    def id_prefix(self) -> str:
        """Prefix of record ids: empty for the demo force, ``F07-`` for scale force 7."""
        return "" if self.force == 0 else f"F{self.force:02d}-"

    @property
    def force_name(self) -> str:
        """``districts.force``: the demo force's name, ``Force 07`` for scale force 7."""
        return DEMO_FORCE_NAME if self.force == 0 else f"Force {self.force:02d}"

    @property
    def place_prefix(self) -> str:
        """Prefix of district, neighbourhood and LSOA codes: empty for the demo force and scale
        force 1 (which keep the real codes), ``F07-`` for scale force 7, so that no two forces
        of a scale warehouse share a place."""
        return "" if self.force <= 1 else self.id_prefix

    @property
    def place_suffix(self) -> str:
        """Suffix of district and neighbourhood names, like :attr:`place_prefix`: empty or
        `` (Force 07)``."""
        return "" if self.force <= 1 else f" ({self.force_name})"
