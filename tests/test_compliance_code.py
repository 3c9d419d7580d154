"""Victims' Code entitlements on tiny hand-built warehouses: worked examples at the edges.

Deadlines are the end of the Nth working day after the event's date (1 enhanced, 5 standard),
written as 00:00 of the next day; a contact at exactly that instant is in time.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from test_compliance_helpers import World, new_world, ts


@pytest.fixture
def world(tmp_path: Path) -> World:
    return new_world(tmp_path)


def _key_event(world: World, crime: str) -> dict:
    (only,) = world.obligations("key_event_contact", crime)
    return only


def test_deadline_on_a_bank_holiday_weekend(world: World) -> None:
    # Arrest on Thursday 18 April 2019 (before Easter). Enhanced: 1 working day. Good Friday,
    # the weekend and Easter Monday do not count, so the deadline is the end of Tuesday 23rd.
    for crime, contact in (("IN_TIME", "2019-04-23 23:59"), ("LATE", "2019-04-24 00:00:01")):
        world.crime(crime, "2019-04-10 09:00")
        world.victim(crime, "V", priority_group="vulnerable")
        world.event(crime, "2019-04-18 15:00")
        world.contact(crime, "V", contact)
    world.build("2019-06-01")
    in_time, late = _key_event(world, "IN_TIME"), _key_event(world, "LATE")
    assert in_time["enhanced"] and in_time["due_date"] == dt.date(2019, 4, 23)
    assert in_time["due_at"] == ts("2019-04-24 00:00")
    assert in_time["met"] is True
    assert late["met"] is False and late["fulfilled_at"] == ts("2019-04-24 00:00:01")
    assert in_time["due_month"] == dt.date(2019, 4, 1)


def test_contact_exactly_at_the_deadline_is_in_time(world: World) -> None:
    world.crime("C", "2019-04-10 09:00")
    world.victim("C", "V", priority_group="most_serious")
    world.event("C", "2019-04-18 15:00")
    world.contact("C", "V", "2019-04-24 00:00:00")  # the deadline instant itself
    world.build("2019-06-01")
    row = _key_event(world, "C")
    assert row["due_at"] == row["fulfilled_at"]
    assert row["met"] is True


def test_event_at_2359_on_a_friday(world: World) -> None:
    # Friday 25 October 2019 at 23:59. Standard: Mon 28, Tue 29, Wed 30, Thu 31, Fri 1 Nov;
    # enhanced: Monday 28th. The event's time of day does not shorten or lengthen either.
    world.crime("STD", "2019-10-01 09:00")
    world.victim("STD", "V")
    world.event("STD", "2019-10-25 23:59", "charge")
    world.contact("STD", "V", "2019-11-01 18:00")
    world.crime("ENH", "2019-10-01 09:00")
    world.victim("ENH", "V", priority_group="intimidated")
    world.event("ENH", "2019-10-25 23:59", "charge")
    world.contact("ENH", "V", "2019-10-29 09:00")  # Tuesday: a day late
    world.build("2019-12-01")
    std, enh = _key_event(world, "STD"), _key_event(world, "ENH")
    assert (std["enhanced"], std["due_date"], std["met"]) == (False, dt.date(2019, 11, 1), True)
    assert (enh["enhanced"], enh["due_date"], enh["met"]) == (True, dt.date(2019, 10, 28), False)
    assert enh["trigger"] == "charge"


def test_clock_change_nights(world: World) -> None:
    # Spring: clocks went forward at 01:00 on Sunday 31 March 2019, so 01:30 never happened on
    # the wall clock; a record stamped then is still read as given. Event Saturday 30th 23:30,
    # enhanced: the deadline is the end of Monday 1 April whatever the clocks did.
    world.crime("SPRING", "2019-03-01 09:00")
    world.victim("SPRING", "V", priority_group="vulnerable")
    world.event("SPRING", "2019-03-30 23:30")
    world.contact("SPRING", "V", "2019-03-31 01:30")
    # Autumn: 01:30 on Sunday 27 October 2019 happened twice; an event then, contacted at 23:59
    # on Monday 28th, is in time for an enhanced victim.
    world.crime("AUTUMN", "2019-10-01 09:00")
    world.victim("AUTUMN", "V", priority_group="vulnerable")
    world.event("AUTUMN", "2019-10-27 01:30")
    world.contact("AUTUMN", "V", "2019-10-28 23:59")
    world.build("2019-12-01")
    assert _key_event(world, "SPRING")["due_date"] == dt.date(2019, 4, 1)
    assert _key_event(world, "SPRING")["met"] is True
    assert _key_event(world, "AUTUMN")["due_date"] == dt.date(2019, 10, 28)
    assert _key_event(world, "AUTUMN")["met"] is True


def test_priority_group_recorded_late(world: World) -> None:
    # Crime recorded Wednesday 1 May 2019; the victim's priority group is recorded only on
    # Friday 10 May at 10:00. Enhanced entitlement applies to events after that moment.
    world.crime("C", "2019-05-01 09:00")
    world.victim("C", "V", priority_group="vulnerable", priority_recorded_at="2019-05-10 10:00")
    world.event("C", "2019-05-07 11:00", "arrest")  # before: standard, due Tue 14 May
    world.contact("C", "V", "2019-05-13 12:00")
    world.event("C", "2019-05-13 15:00", "charge")  # after: enhanced, due Tue 14 May
    world.contact("C", "V", "2019-05-16 12:00")  # Thursday: late for the charge
    world.build("2019-07-01")
    arrest, charge = world.obligations("key_event_contact", "C")
    assert (arrest["enhanced"], arrest["due_date"], arrest["met"]) == (
        False,
        dt.date(2019, 5, 14),
        True,
    )
    assert (charge["enhanced"], charge["due_date"], charge["met"]) == (
        True,
        dt.date(2019, 5, 14),
        False,
    )
    (identified,) = world.con.execute(
        "SELECT priority_identified_at_first_contact FROM victim_care_victims"
    ).fetchone()
    assert identified is False


def test_a_contact_before_the_event_does_not_count(world: World) -> None:
    world.crime("C", "2019-05-01 09:00")
    world.victim("C", "V")
    world.contact("C", "V", "2019-05-02 09:00")
    world.event("C", "2019-05-02 10:00")
    world.build("2019-07-01")
    row = _key_event(world, "C")
    assert row["fulfilled_at"] is None and row["met"] is False


def test_hub_referral_within_2_days_unless_declined(world: World) -> None:
    # Recorded Monday 3 June 2019 at 22:00: due by the end of Wednesday 5 June (calendar days).
    for crime, referred, declined in (
        ("OK", "2019-06-05 23:00", False),
        ("LATE", "2019-06-06 08:00", False),
        ("NEVER", None, False),
        ("DECLINED", None, True),
    ):
        world.crime(crime, "2019-06-03 22:00")
        world.victim(crime, "V", hub_referred_at=referred, declined=declined)
    world.build("2019-07-01")
    rows = {r["crime_id"]: r for r in world.obligations("hub_referral")}
    assert set(rows) == {"OK", "LATE", "NEVER"}  # a declined referral is not owed
    assert rows["OK"]["due_date"] == dt.date(2019, 6, 5)
    assert [rows[c]["met"] for c in ("OK", "LATE", "NEVER")] == [True, False, False]


def test_needs_assessment_within_5_working_days(world: World) -> None:
    # Recorded Tuesday 21 May 2019: Wed 22, Thu 23, Fri 24, (Spring bank holiday Mon 27),
    # Tue 28, Wed 29 -> the 5th working day is Wednesday 29 May.
    world.crime("C", "2019-05-21 12:00")
    world.victim("C", "V")
    world.contact("C", "V", "2019-05-29 17:00", "needs_assessment")
    world.build("2019-07-01")
    (row,) = world.obligations("needs_assessment")
    assert row["due_date"] == dt.date(2019, 5, 29) and row["met"] is True


def test_monthly_updates_while_no_suspect(world: World) -> None:
    # Recorded 31 January 2019, no suspect: an update is due by the end of 28 February (one
    # calendar month, clamped to the month's end), then a month after each update.
    world.crime("NOSUSPECT", "2019-01-31 10:00")
    world.victim("NOSUSPECT", "V")
    world.contact("NOSUSPECT", "V", "2019-02-28 15:00", "update")  # in time
    # next due 28 March; no further contact until the build's as_of of 1 May: one missed.
    world.crime("ARRESTED", "2019-01-31 10:00")  # a suspect identified on 10 February
    world.victim("ARRESTED", "V")
    world.event("ARRESTED", "2019-02-10 10:00", "arrest")
    world.crime("NAMED", "2019-01-31 10:00")  # a suspect known from the start
    world.victim("NAMED", "V")
    world.suspect("NAMED")
    world.build("2019-05-01")
    rows = world.obligations("monthly_update")
    assert {r["crime_id"] for r in rows} == {"NOSUSPECT"}
    first, second = rows
    assert (first["due_date"], first["met"]) == (dt.date(2019, 2, 28), True)
    assert (second["due_date"], second["met"], second["trigger"]) == (
        dt.date(2019, 3, 28),
        False,
        "update",
    )


def test_cancelled_crimes_owe_nothing(world: World) -> None:
    world.crime("C", "2019-05-01 09:00", status="cancelled")
    world.victim("C", "V", vcc_days=7)
    world.event("C", "2019-05-02 10:00")
    world.build("2019-07-01")
    (n,) = world.con.execute("SELECT count(*) FROM victim_care_obligations").fetchone()
    assert n == 0


def test_a_month_does_not_change_when_later_months_arrive(world: World) -> None:
    world.crime("C", "2019-05-01 09:00")
    world.victim("C", "V", vcc_days=14)
    world.event("C", "2019-05-20 10:00")
    world.build("2019-06-01")
    before = world.con.execute(
        "SELECT obligation_id, met FROM victim_care_obligations ORDER BY 1"
    ).fetchall()
    world.contact("C", "V", "2019-06-20 10:00", "update")
    world.build("2019-08-01")
    after = world.con.execute(
        "SELECT obligation_id, met FROM victim_care_obligations WHERE due_date < '2019-06-01' "
        "ORDER BY 1"
    ).fetchall()
    assert before and before == after
    (n, distinct) = world.con.execute(
        "SELECT count(*), count(DISTINCT obligation_id) FROM victim_care_obligations"
    ).fetchone()
    assert n == distinct  # obligation_id is unique by construction (no index enforces it)
    # every obligation included is past its deadline at the build's as_of
    (late,) = world.con.execute(
        "SELECT count(*) FROM victim_care_obligations WHERE due_at > TIMESTAMP '2019-08-01'"
    ).fetchone()
    assert late == 0


def test_a_court_date_years_ahead_still_gets_a_deadline(world: World) -> None:
    # Events far outside the default calendar (2010-2035) still find their working days.
    world.crime("C", "2019-05-01 09:00")
    world.victim("C", "V")
    world.event("C", "2041-01-04 10:00", "court_date")  # a Friday
    world.build("2041-02-01")
    row = _key_event(world, "C")
    # Mon 7, Tue 8, Wed 9, Thu 10, Fri 11 January 2041
    assert row["due_date"] == dt.date(2041, 1, 11)
