"""Offence mixes of the demo force and the per-offence behaviour the generator needs.

Each family (domestic abuse, child sexual abuse, serious sexual offences against adults,
everything else) has its own mix of Home Office
offence codes. Per-offence traits (does it have a victim, how it reaches the control room, how
long it takes to investigate, how likely a prosecution is) are keyed by the offence's family.
"""

from __future__ import annotations

import numpy as np

GENERAL_MIX: dict[str, float] = {
    "8N": 6.0,
    "105A": 11.0,
    "3B": 1.2,
    "8L": 4.0,
    "8Q": 1.0,
    "8R": 5.0,
    "11A": 0.3,
    "36": 0.1,
    "1": 0.01,
    "2": 0.03,
    "4.1": 0.005,
    "5D": 0.8,
    "4.4": 0.05,
    "88E": 0.4,
    "34A": 0.1,
    "34B": 0.6,
    "28E": 3.6,
    "28F": 1.2,
    "30C": 1.5,
    "39": 0.8,
    "44": 2.5,
    "46": 7.5,
    "40": 0.6,
    "49": 9.0,
    "45": 3.5,
    "48": 1.4,
    "126": 0.3,
    "37.2": 0.1,
    "56A": 0.1,
    "56B": 0.6,
    "58A": 2.0,
    "58B": 1.3,
    "58C": 3.0,
    "58D": 2.0,
    "92A": 0.6,
    "92E": 1.8,
    "92D": 0.4,
    "10D": 0.8,
    "10C": 0.2,
    "10B": 0.05,
    "9A": 5.5,
    "9B": 0.6,
    "66": 0.3,
    "99": 1.5,
}
DA_MIX: dict[str, float] = {
    "8N": 15.0,
    "105A": 25.0,
    "8L": 8.0,
    "8Q": 6.0,
    "8U": 10.0,
    "8R": 6.0,
    "3B": 4.0,
    "5D": 1.5,
    "58A": 8.0,
    "58C": 2.0,
    "58D": 2.0,
    "9A": 5.0,
    "49": 2.0,
    "36": 0.3,
    "1": 0.02,
}
CSA_MIX: dict[str, float] = {
    "19D": 8.0,
    "19E": 6.0,
    "19G": 2.0,
    "20B": 15.0,
    "21": 10.0,
    "22B": 12.0,
    "71": 4.0,
}
#: Serious sexual offences against adults: a volume of their own (volumes.py), some of them
#: domestic abuse.
SSO_MIX: dict[str, float] = {"19C": 0.6, "19F": 0.06, "17A": 0.2, "20A": 1.0}
#: Those of them that are domestic abuse (more of them rapes).
SSO_DOMESTIC_MIX: dict[str, float] = {"19C": 3.0, "20A": 2.0}
#: The 2019 rise in child sexual abuse: reports of non-contact offences and exploitation.
CSA_NON_CONTACT_MIX: dict[str, float] = {"22B": 3.0, "71": 1.0}
#: Every mix the generator draws offences from.
MIXES: tuple[dict[str, float], ...] = (
    GENERAL_MIX,
    DA_MIX,
    CSA_MIX,
    SSO_MIX,
    SSO_DOMESTIC_MIX,
    CSA_NON_CONTACT_MIX,
)

# Families: v = violence, s = sexual, c = child sexual abuse, b = burglary dwelling,
# o = other burglary, r = robbery, t = theft, h = shoplifting, m = vehicle, d = damage,
# g = drugs, w = weapons, p = public order, x = other, k = homicide
FAMILY: dict[str, str] = {
    "1": "k",
    "2": "k",
    "4.1": "k",
    "5D": "v",
    "8N": "v",
    "105A": "v",
    "3B": "v",
    "8L": "v",
    "8Q": "v",
    "8U": "v",
    "8R": "v",
    "11A": "v",
    "36": "v",
    "4.4": "v",
    "19C": "s",
    "19F": "s",
    "17A": "s",
    "20A": "s",
    "88E": "s",
    "19D": "c",
    "19E": "c",
    "19G": "c",
    "20B": "c",
    "21": "c",
    "22B": "c",
    "71": "c",
    "34A": "r",
    "34B": "r",
    "28E": "b",
    "28F": "o",  # attempted residential burglary: quick to close, like other burglary
    "30C": "o",
    "39": "t",
    "44": "t",
    "40": "t",
    "49": "t",
    "46": "h",
    "45": "m",
    "48": "m",
    "126": "m",
    "37.2": "m",
    "56A": "d",
    "56B": "d",
    "58A": "d",
    "58B": "d",
    "58C": "d",
    "58D": "d",
    "92A": "g",
    "92E": "g",
    "92D": "g",
    "10D": "w",
    "10C": "w",
    "10B": "w",
    "9A": "p",
    "9B": "p",
    "66": "p",
    "99": "x",
}
FAMILIES = "vscbortmhdgwpxk"

# Per family (order of FAMILIES): share of crimes raised from a control-room incident, the call
# type of that incident, median days to an outcome, relative chance of a prosecution-possible
# outcome, and the chance the victim is a person (0 = victimless).
_TRAITS: dict[str, tuple[float, str, float, float, float]] = {
    "v": (0.85, "ASLT", 30, 1.3, 1.0),
    "s": (0.55, "SEXO", 160, 0.8, 1.0),
    "c": (0.25, "SEXO", 220, 0.8, 1.0),
    "b": (0.92, "BURD", 18, 0.45, 1.0),
    "o": (0.80, "BURO", 14, 0.35, 1.0),
    "r": (0.90, "ASLT", 35, 1.1, 1.0),
    "t": (0.35, "THEF", 10, 0.35, 1.0),
    "m": (0.45, "THEF", 10, 0.25, 1.0),
    "h": (0.55, "THEF", 7, 4.0, 1.0),
    "d": (0.60, "CDAM", 12, 0.5, 1.0),
    "g": (0.20, "SUSP", 30, 7.0, 0.0),
    "w": (0.50, "SUSP", 35, 5.0, 0.0),
    "p": (0.70, "PUBO", 20, 1.6, 0.5),
    "x": (0.30, "OTHR", 40, 1.0, 0.0),
    "k": (0.95, "ASLT", 300, 3.0, 1.0),
}
LINK_SHARE = np.array([_TRAITS[f][0] for f in FAMILIES])
CALL_TYPE = np.array([_TRAITS[f][1] for f in FAMILIES])
MEDIAN_DAYS = np.array([_TRAITS[f][2] for f in FAMILIES])
PP_PROPENSITY = np.array([_TRAITS[f][3] for f in FAMILIES])
HAS_VICTIM = np.array([_TRAITS[f][4] for f in FAMILIES])

SURVEY_GROUP = {"b": "burglary", "v": "violent_crime", "r": "violent_crime", "m": "vehicle_crime"}

KNIFE_ALWAYS = {"10D"}
KNIFE_SOMETIMES = {"5D": 0.25, "8N": 0.03, "34B": 0.15, "3B": 0.10, "2": 0.4, "1": 0.4}
HATE_ALWAYS = {"9B"}
SSO = {"19C", "19F", "17A", "20A", "19D", "19E", "19G", "20B", "21"}


def mix_arrays(mix: dict[str, float]) -> tuple[np.ndarray, np.ndarray]:
    """Offence codes and their probabilities."""
    codes = np.array(list(mix))
    w = np.array(list(mix.values()), dtype=float)
    return codes, w / w.sum()


def family_index(codes: np.ndarray) -> np.ndarray:
    """Position in FAMILIES of each offence code's family."""
    lookup = {c: FAMILIES.index(f) for c, f in FAMILY.items()}
    uniq, inv = np.unique(codes, return_inverse=True)
    return np.array([lookup[c] for c in uniq], dtype=np.int64)[inv]
