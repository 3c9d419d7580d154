"""The victims.* catalogue measures are what the victim care summary reports; investigations.*
behave."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from forcepack.measures.compute import catalogue, compute
from forcepack.summaries import victim_care_summary as summary
from test_compliance_helpers import PETERBOROUGH, World, new_world

DEC = dt.date(2019, 12, 31)

# Ibis 12 still calls DuckDB 2.0's deprecated fetch_arrow_table() when it reads a table schema;
# the warning comes from the library pairing, not from forcepack, and changes no result.
pytestmark = pytest.mark.filterwarnings(
    "ignore:fetch_arrow_table\\(\\) is deprecated:DeprecationWarning"
)


@pytest.fixture
def world(tmp_path: Path) -> World:
    w = new_world(tmp_path)
    # South: a 7-day contract kept once, then a 9-day gap (missed); key event told in time.
    w.crime("S1", "2019-12-02 09:00", next_review_due="2019-12-20")
    w.victim("S1", "VS1", vcc_days=7, hub_referred_at="2019-12-03 10:00")
    w.contact("S1", "VS1", "2019-12-06 12:00", "update")
    w.contact("S1", "VS1", "2019-12-15 12:00", "update")
    w.event("S1", "2019-12-03 12:00")
    w.contact("S1", "VS1", "2019-12-04 12:00")
    # North: a domestic abuse crime, enhanced victim, told late, review not yet due.
    w.crime(
        "N1",
        "2019-12-02 09:00",
        district=PETERBOROUGH,
        domestic_abuse=True,
        next_review_due="2020-01-15",
        owning_unit="PVP",
    )
    w.victim("N1", "VN1", priority_group="most_serious")
    w.event("N1", "2019-12-03 12:00")
    w.contact("N1", "VN1", "2019-12-05 12:00")
    w.build("2020-01-01")
    return w


def _value(frame, measure: str) -> tuple[float, float, float]:  # type: ignore[no-untyped-def]
    row = frame.loc[(frame["measure_id"] == measure) & (frame["period_end"] == DEC)].iloc[0]
    return row["value"], row["numerator"], row["denominator"]


def test_victims_measures_are_in_the_catalogue() -> None:
    ids = set(catalogue())
    for mid in (
        "victims.vcc_compliance",
        "victims.code_compliance",
        "victims.hub_referral_rate",
        "victims.key_event_contact_rate",
        "victims.monthly_update_rate",
        "victims.hub_referral_within_2_days",
        "victims.needs_assessment_rate",
        "victims.priority_identified_at_first_contact",
    ):
        assert mid in ids


def test_catalogue_measures_match_the_summary(world: World) -> None:
    ids = [
        "victims.vcc_compliance",
        "victims.code_compliance",
        "victims.hub_referral_rate",
        "victims.key_event_contact_rate",
    ]
    got = compute(ids, con=world.con, cache_results=False)
    s = summary(world.con, "2019-12")
    # VCC (contacts of any type restart the clock): gaps from 2 Dec (next contact 4th, in time),
    # 4 Dec (6th, in time), 6 Dec (due 13th, next 15th: missed), 15 Dec (due 22nd, none by
    # 1 January: missed): 2 of 4.
    assert _value(got, "victims.vcc_compliance") == (0.5, 2, 4)
    assert s.vcc_compliance.month.numerator == 2 and s.vcc_compliance.month.denominator == 4
    for mid, pair in (
        ("victims.code_compliance", s.code_compliance),
        ("victims.hub_referral_rate", s.hub_referral_rate),
        ("victims.key_event_contact_rate", s.code_compliance_by_entitlement["key_event_contact"]),
    ):
        value, num, den = _value(got, mid)
        assert (num, den) == (pair.month.numerator, pair.month.denominator), mid
        assert value == pytest.approx(pair.month.value)


def test_cuts_by_area_flag_and_unit(world: World) -> None:
    by_area = compute(
        "victims.key_event_contact_rate", con=world.con, by="area", cache_results=False
    )
    dec = by_area.loc[by_area["period_end"] == DEC].set_index("area")
    assert dec.loc["South", "value"] == 1.0 and dec.loc["North", "value"] == 0.0
    by_flag = compute(
        "victims.key_event_contact_rate", con=world.con, by="crime_flag", cache_results=False
    )
    da = by_flag.loc[(by_flag["period_end"] == DEC) & (by_flag["crime_flag"] == "domestic_abuse")]
    assert list(da["denominator"]) == [1]
    by_unit = compute(
        "victims.key_event_contact_rate", con=world.con, by="owning_unit", cache_results=False
    )
    assert set(by_unit["owning_unit"].dropna()) == {"CID", "PVP"}


def test_investigation_measures_agree_with_the_summary(world: World) -> None:
    got = compute(
        ["investigations.overdue_reviews", "investigations.average_length_days"],
        con=world.con,
        cache_results=False,
    )
    s = summary(world.con, "2019-12")
    # At the end of December both crimes are open; S1's review was due 20 December (overdue),
    # N1's on 15 January (not). Both were recorded 2 Dec 09:00: 29.625 days old on 1 January.
    assert _value(got, "investigations.overdue_reviews")[0] == s.overdue_reviews == 1
    average = _value(got, "investigations.average_length_days")[0]
    assert average == pytest.approx(29.625)
    assert s.average_investigation_days == pytest.approx(average)
