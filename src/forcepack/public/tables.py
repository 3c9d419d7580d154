"""The pack's tables, each from the measure catalogue: the force beside its comparison forces,
the categories that moved, the local authority table and the LSOA table (counts suppressed
below the threshold)."""

from __future__ import annotations

import datetime as dt
import enum

import duckdb
import pandas as pd

from forcepack import calendar
from forcepack.contract.forces import Force, forces, local_authorities, match_force
from forcepack.measures import compute
from forcepack.outputs import suppress
from forcepack.public.peers import Peer, nearest
from forcepack.warehouse.sql import ident

TERRITORIAL_FORCES = 43


class ComparisonRole(enum.StrEnum):
    """What a row of the comparison table is (its CSS class and the CSV's note): the force,
    one of its computed peers, or England and Wales as a whole."""

    FORCE = "force"
    PEER = "peer"
    ALL = "all"


def first_of(d: dt.date, months: int) -> dt.date:
    """The first day of the month ``months`` after (or before) ``d``'s month
    (:func:`forcepack.calendar.add`)."""
    return calendar.add(d, months)


def monthly(df: pd.DataFrame) -> pd.DataFrame:
    """``df`` with a ``month`` column (the first day of each row's period)."""
    return df.assign(month=df["period_end"].map(calendar.first_day))


def _lsoa_names(con: duckdb.DuckDBPyConnection, codes: list[str]) -> dict[str, str]:
    if not codes:
        return {}
    rows = con.execute(
        f"SELECT lsoa_code, min(lsoa_name) FROM {ident('public_crimes')} "
        "WHERE lsoa_code IS NOT NULL GROUP BY 1"
    ).fetchall()
    return {str(c): str(n) for c, n in rows}


def comparison(
    con: duckdb.DuckDBPyConnection, cov: pd.DataFrame, force: Force, when: dt.date
) -> tuple[pd.DataFrame, list[Peer], str]:
    month_rows = cov[(cov["month"] == when) & cov["usable"]]
    loaded: dict[str, tuple[Force, float]] = {}
    for r in month_rows.itertuples():
        f = match_force(str(r.falls_within))
        if f is not None and f.territorial:
            loaded[f.force_id] = (f, float(r.crimes))
    cats = monthly(
        compute(
            "public.crimes", con=con, by=["falls_within", "police_uk_category"], cache_results=False
        )
    )
    cats = cats[cats["month"] <= when]
    cats = cats[cats["month"] > first_of(when, -12)]
    cats = cats.assign(
        force_id=cats["falls_within"].map(lambda t: getattr(match_force(str(t)), "force_id", None))
    )
    totals = cats.groupby(["force_id", "police_uk_category"])["value"].sum().unstack(fill_value=0)
    profiles = totals.div(totals.sum(axis=1).replace(0, 1), axis=0)
    candidates = [f for f, _ in loaded.values()]
    peers = nearest(force, candidates, profiles)
    rows = []
    peer_ids = {p.force.force_id for p in peers}
    for fid, (f, n) in loaded.items():
        if fid != force.force_id and fid not in peer_ids:
            continue  # loaded, but neither the force nor one of its peers
        role = ComparisonRole.FORCE if fid == force.force_id else ComparisonRole.PEER
        rows.append(
            {
                "label": f.label,
                "crimes": n,
                "population": f.population,
                "per_1000": 1000 * n / float(f.population or 1),
                "role": role,
            }
        )
    territorial = [f for f in forces() if f.territorial]
    if len(loaded) == len(territorial):
        total = sum(n for _, n in loaded.values())
        popn = sum(float(f.population or 0) for f, _ in loaded.values())
        rows.append(
            {
                "label": "England and Wales",
                "crimes": total,
                "population": popn,
                "per_1000": 1000 * total / popn,
                "role": ComparisonRole.ALL,
            }
        )
        ew = "England and Wales: all 43 territorial forces are loaded for the month."
    else:
        ew = (
            f"England and Wales is not shown: {len(loaded)} of the {TERRITORIAL_FORCES} "
            f"territorial forces are loaded (and pass the coverage gate) for {when:%B %Y}; load "
            "the month's archive of every force to compare with England and Wales."
        )
    df = pd.DataFrame(rows, columns=["label", "crimes", "population", "per_1000", "role"])
    return df.sort_values("per_1000", ascending=False).reset_index(drop=True), peers, ew


def categories(
    con: duckdb.DuckDBPyConnection, text: str, when: dt.date, usable: set[dt.date]
) -> pd.DataFrame:
    df = monthly(
        compute(
            "public.crimes", con=con, by=["falls_within", "police_uk_category"], cache_results=False
        )
    )
    df = df[df["falls_within"] == text]
    prev, year = first_of(when, -1), first_of(when, -12)
    out = []
    for cat, g in df.groupby("police_uk_category"):
        by = dict(zip(g["month"], g["value"].astype(float), strict=True))
        now = by.get(when, 0.0)
        before = by.get(prev) if prev in usable else None
        out.append(
            {
                "category": cat,
                "crimes": now,
                "previous": before,
                "change": None if before is None else now - before,
                "last_year": by.get(year) if year in usable else None,
            }
        )
    res = pd.DataFrame(out, columns=["category", "crimes", "previous", "change", "last_year"])
    for c in ("previous", "change", "last_year"):
        res[c] = pd.to_numeric(res[c], errors="coerce").astype("float64")
    res = res[(res["crimes"] > 0) | (res["previous"].fillna(0.0) > 0)]
    key = res["change"].abs().fillna(-1.0)
    return (
        res.assign(_k=key)
        .sort_values(["_k", "category"], ascending=[False, True])
        .drop(columns="_k")
        .reset_index(drop=True)
    )


def _month_crimes(
    con: duckdb.DuckDBPyConnection, text: str, when: dt.date, by: str
) -> pd.DataFrame:
    """The force's (``falls_within`` ``text``) crimes in month ``when`` by ``by``, the
    values above 0 only."""
    df = compute(
        "public.crimes",
        con=con,
        months=f"{when:%Y-%m}",
        by=["falls_within", by],
        cache_results=False,
    )
    return df[(df["falls_within"] == text) & (df["value"] > 0)]


def local_authority_table(
    con: duckdb.DuckDBPyConnection, force: Force, text: str, when: dt.date
) -> pd.DataFrame:
    df = _month_crimes(con, text, when, "local_authority")
    pops = {
        str(la["lad_name"]): int(la["population"])  # type: ignore[call-overload]
        for la in local_authorities()
        if la["pfa_code"] == force.pfa_code
    }
    rows = []
    outside = 0.0
    no_location = 0.0
    for r in df.itertuples():
        name = r.local_authority
        if name is None or (isinstance(name, float) and pd.isna(name)):
            no_location += float(r.value)
        elif str(name) in pops:
            p = pops[str(name)]
            rows.append(
                {
                    "local_authority": str(name),
                    "crimes": float(r.value),
                    "population": p,
                    "per_1000": 1000 * float(r.value) / p,
                }
            )
        else:
            outside += float(r.value)
    for name, p in pops.items():
        if name not in {r["local_authority"] for r in rows}:
            rows.append({"local_authority": name, "crimes": 0.0, "population": p, "per_1000": 0.0})
    rows.sort(key=lambda r: str(r["local_authority"]))
    if outside:
        rows.append(
            {
                "local_authority": "Not one of the force's local authorities (2016 list): "
                "geocoded outside, or renamed since",
                "crimes": outside,
                "population": None,
                "per_1000": None,
            }
        )
    if no_location:
        rows.append(
            {
                "local_authority": "No location",
                "crimes": no_location,
                "population": None,
                "per_1000": None,
            }
        )
    return pd.DataFrame(rows, columns=["local_authority", "crimes", "population", "per_1000"])


def lsoa_table(con: duckdb.DuckDBPyConnection, text: str, when: dt.date) -> pd.DataFrame:
    df = _month_crimes(con, text, when, "lsoa")
    df = df[df["lsoa"].notna()]
    names = _lsoa_names(con, list(df["lsoa"]))
    out = pd.DataFrame(
        {
            "lsoa": df["lsoa"].astype(str),
            "lsoa_name": [names.get(str(c), "") for c in df["lsoa"]],
            "crimes": df["value"].astype(int),
        }
    )
    out = out.assign(shown=[suppress(int(v)) for v in out["crimes"]])
    return out.sort_values(["crimes", "lsoa"], ascending=[False, True]).reset_index(drop=True)
