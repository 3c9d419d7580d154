"""Victim care contract compliance: gaps between contacts from recording while the crime is open."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from test_compliance_helpers import PETERBOROUGH, World, new_world, ts


@pytest.fixture
def world(tmp_path: Path) -> World:
    return new_world(tmp_path)


def test_gaps_from_recording_until_the_outcome(world: World) -> None:
    # A 7-day contract from Friday 1 March 2019 09:00. Contact due by the end of 8 March:
    # a contact on 8 March at 18:00 is in time. The next gap runs 8 -> 20 March (12 days > 7):
    # one missed contact, answered late on the 20th. The crime's outcome on 25 March comes
    # before the next contact falls due (27 March), so nothing more is owed.
    world.crime(
        "C", "2019-03-01 09:00", status="finalised", outcome_at="2019-03-25 12:00", outcome_code=1
    )
    world.victim("C", "V", vcc_days=7)
    world.contact("C", "V", "2019-03-08 18:00", "update")
    world.contact("C", "V", "2019-03-20 10:00", "update")
    world.build("2019-06-01")
    rows = world.obligations("vcc_contact")
    assert [(r["due_date"], r["met"]) for r in rows] == [
        (dt.date(2019, 3, 8), True),
        (dt.date(2019, 3, 15), False),
    ]
    assert rows[1]["fulfilled_at"] == ts("2019-03-20 10:00")
    assert rows[1]["closes_at"] == ts("2019-03-25 12:00")
    victim = world.con.execute(
        "SELECT vcc_contacts_due, vcc_contacts_missed, vcc_compliant FROM victim_care_victims"
    ).fetchone()
    assert victim == (2, 1, False)


def test_open_crime_is_measured_to_the_build_date(world: World) -> None:
    # An open crime with a 28-day contract and no contact: recorded 1 April 2019, so a contact
    # was due by the end of 29 April; built as of 1 June, that one gap is missed and unanswered.
    world.crime("C", "2019-04-01 09:00")
    world.victim("C", "V", vcc_days=28)
    world.build("2019-06-01")
    (row,) = world.obligations("vcc_contact")
    assert (row["due_date"], row["met"], row["fulfilled_at"]) == (dt.date(2019, 4, 29), False, None)


def test_compliant_victim_and_victims_without_a_contract(world: World) -> None:
    world.crime("KEPT", "2019-04-01 09:00", district=PETERBOROUGH, domestic_abuse=True)
    world.victim("KEPT", "V", vcc_days=10)
    for day in ("2019-04-05", "2019-04-15", "2019-04-25", "2019-05-05"):
        world.contact("KEPT", "V", f"{day} 12:00", "update")
    world.crime("NOVCC", "2019-04-01 09:00")
    world.victim("NOVCC", "V")
    world.build("2019-05-10")
    rows = world.obligations("vcc_contact")
    # gaps open 1, 5, 15, 25 April (all met); the gap from 5 May is due 15 May, after as_of.
    assert len(rows) == 4 and all(r["met"] for r in rows)
    assert {r["crime_id"] for r in rows} == {"KEPT"}
    assert rows[0]["area"] == "North" and rows[0]["domestic_abuse"] is True
    got = dict(
        world.con.execute("SELECT crime_id, vcc_compliant FROM victim_care_victims").fetchall()
    )
    assert got == {"KEPT": True, "NOVCC": None}
