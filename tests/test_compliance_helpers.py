"""Tiny hand-built warehouses for the victim care tests (no tests here, only builders).

``World`` inserts a crime, its victims, events and contacts with sensible defaults, so a test
states only the facts its worked example turns on.
"""

from __future__ import annotations

import datetime as dt
import itertools
from dataclasses import dataclass, field
from pathlib import Path

import duckdb

from force_helpers import create_force
from rows import insert

CAMBRIDGE = "E07000008"  # South
PETERBOROUGH = "E06000031"  # North


def ts(text: str) -> dt.datetime:
    return dt.datetime.fromisoformat(text)


@dataclass
class World:
    con: duckdb.DuckDBPyConnection
    _ids: itertools.count = field(default_factory=lambda: itertools.count(1))

    def crime(
        self,
        crime_id: str,
        recorded_at: str,
        *,
        district: str = CAMBRIDGE,
        status: str = "open",
        outcome_at: str | None = None,
        outcome_code: int | None = None,
        domestic_abuse: bool = False,
        owning_unit: str | None = "CID",
        next_review_due: str | None = None,
        offence_code: str = "1",
    ) -> None:
        insert(
            self.con,
            "crimes",
            [
                {
                    "crime_id": crime_id,
                    "recorded_at": ts(recorded_at),
                    "offence_code": offence_code,
                    "district_code": district,
                    "domestic_abuse": domestic_abuse,
                    "status": status,
                    "outcome_code": outcome_code,
                    "outcome_at": ts(outcome_at) if outcome_at else None,
                    "next_review_due": (
                        dt.date.fromisoformat(next_review_due) if next_review_due else None
                    ),
                    "owning_unit": owning_unit,
                }
            ],
        )

    def victim(
        self,
        crime_id: str,
        victim_id: str,
        *,
        priority_group: str | None = None,
        priority_recorded_at: str | None = None,
        vcc_days: int | None = None,
        hub_referred_at: str | None = None,
        declined: bool = False,
    ) -> None:
        insert(
            self.con,
            "crime_victims",
            [
                {
                    "crime_id": crime_id,
                    "victim_id": victim_id,
                    "priority_group": priority_group,
                    "priority_group_recorded_at": (
                        ts(priority_recorded_at) if priority_recorded_at else None
                    ),
                    "vcc_agreed": vcc_days is not None,
                    "vcc_contact_days": vcc_days,
                    "hub_referred_at": ts(hub_referred_at) if hub_referred_at else None,
                    "hub_referral_declined": declined,
                }
            ],
        )

    def event(self, crime_id: str, event_at: str, event_type: str = "arrest") -> str:
        event_id = f"E{next(self._ids)}"
        insert(
            self.con,
            "investigation_events",
            [
                {
                    "event_id": event_id,
                    "crime_id": crime_id,
                    "event_type": event_type,
                    "event_at": ts(event_at),
                }
            ],
        )
        return event_id

    def contact(
        self, crime_id: str, victim_id: str, contact_at: str, contact_type: str = "key_event"
    ) -> str:
        contact_id = f"K{next(self._ids)}"
        insert(
            self.con,
            "victim_contacts",
            [
                {
                    "contact_id": contact_id,
                    "crime_id": crime_id,
                    "victim_id": victim_id,
                    "contact_at": ts(contact_at),
                    "contact_type": contact_type,
                    "channel": "phone",
                }
            ],
        )
        return contact_id

    def suspect(self, crime_id: str, person_id: str = "S1") -> None:
        insert(self.con, "crime_suspects", [{"crime_id": crime_id, "person_id": person_id}])

    def build(self, as_of: str | None = None):  # type: ignore[no-untyped-def]
        from forcepack.compliance import build

        return build(self.con, as_of=ts(as_of) if as_of else None)

    def obligations(self, entitlement: str, crime_id: str | None = None) -> list[dict]:
        where = "entitlement = ?" + (" AND crime_id = ?" if crime_id else "")
        params = [entitlement, crime_id] if crime_id else [entitlement]
        cur = self.con.execute(
            f"SELECT * FROM victim_care_obligations WHERE {where} ORDER BY starts_at, due_date",
            params,
        )
        cols = [d[0] for d in cur.description]
        return [dict(zip(cols, row, strict=True)) for row in cur.fetchall()]


def new_world(tmp_path: Path) -> World:
    path = create_force(tmp_path / "victims.duckdb")
    return World(duckdb.connect(str(path)))


def finalised_world(
    tmp_path: Path, cases: int, districts: tuple[str, ...] = (PETERBOROUGH,)
) -> World:
    """A built world of ``cases`` crimes recorded 1 September 2019 and finalised 15 November
    2019, one victim each (``C000``/``V000`` ...), in ``districts`` taken in turn: what an
    audit sample of 2019Q4 draws from."""
    w = new_world(tmp_path)
    for i in range(cases):
        crime = f"C{i:03d}"
        w.crime(
            crime,
            "2019-09-01 09:00",
            district=districts[i % len(districts)],
            status="finalised",
            outcome_at="2019-11-15 12:00",
            outcome_code=1,
        )
        w.victim(crime, f"V{i:03d}")
    w.build("2020-02-01")
    return w
