"""Comparison forces, computed from public facts (the published most similar groups could not
be sourced; see reference/sources/README.md).

Among the territorial forces loaded in the warehouse with a usable month, the nearest to the
force are those with the smallest distance over standardised features: the logarithm of the
resident population, and the share of each police.uk crime category in the force's crimes over
the loaded months up to the pack's month. Each feature is divided by its standard deviation
across the candidates and the force, so that no one dominates; a feature with no spread is left
out. The ``PEERS`` nearest are kept. The method is in docs/public.md; the pack labels the group
"computed".
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import pandas as pd

from forcepack.contract.forces import Force

#: How many comparison forces a pack shows at most.
PEERS = 5
METHOD = (
    "computed: the loaded forces nearest in log population and crime-category profile "
    "(standardised distance; docs/public.md)"
)


@dataclass(frozen=True, slots=True)
class Peer:
    force: Force
    distance: float


def nearest(
    force: Force, candidates: list[Force], profiles: pd.DataFrame, *, k: int = PEERS
) -> list[Peer]:
    """The ``k`` candidates nearest ``force``. ``profiles`` has one row per force id (index)
    and one column per crime category holding that category's share of the force's crimes."""
    others = [c for c in candidates if c.force_id != force.force_id and c.population]
    if not others or force.population is None:
        return []
    ids = [force.force_id, *(c.force_id for c in others)]
    pops = {force.force_id: force.population, **{c.force_id: c.population for c in others}}
    feats = profiles.reindex(ids).fillna(0.0)
    feats = feats.assign(_log_population=[math.log(float(pops[i] or 1)) for i in ids])
    sd = feats.std(ddof=0)
    keep = [c for c in feats.columns if sd[c] > 0]
    if not keep:
        return [Peer(c, 0.0) for c in sorted(others, key=lambda c: c.label)[:k]]
    z = (feats[keep] - feats[keep].mean()) / sd[keep]
    origin = z.loc[force.force_id].to_numpy()
    peers = [
        Peer(c, float(np.sqrt(((z.loc[c.force_id].to_numpy() - origin) ** 2).sum())))
        for c in others
    ]
    peers.sort(key=lambda p: (p.distance, p.force.label))
    return peers[:k]
