"""The harm and victim care summaries (``forcepack harm summary``, ``forcepack victims summary``,
the paper's section 6) report the catalogue's measures: every figure a measure defines equals
that measure computed afresh, for the month and the rolling 12 months, for the force and each
area and district, and the commands print those figures."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import duckdb
import pandas as pd
import pytest

from force_helpers import create_force
from forcepack import compliance, harm
from forcepack.cli.main import main
from forcepack.contract.derived_compliance import CODE_ENTITLEMENTS
from forcepack.measures import catalogue, compute
from forcepack.summaries import HarmSummary, Rate, harm_summary, victim_care_summary
from forcepack.summaries import victim_care as care
from rows import insert

# Ibis 12 reads DuckDB 2.0 schemas through a relation method DuckDB now marks deprecated; the
# warning comes from the libraries, not from forcepack, and does not change any result.
pytestmark = pytest.mark.filterwarnings(
    "ignore:fetch_arrow_table\\(\\) is deprecated:DeprecationWarning"
)

CAMBRIDGE, PETERBOROUGH = "E07000008", "E06000031"  # South, North
DEC = dt.date(2019, 12, 31)
#: harm days of the offences used (src/forcepack/harm/weights/default_chi.csv)
ABH, BURGLARY, RAPE, COMMON = 30.0, 273.5, 1825.0, 2.0


def _ts(text: str) -> dt.datetime:
    return dt.datetime.fromisoformat(text)


def _crime(con: duckdb.DuckDBPyConnection, crime_id: str, at: str, offence: str, **kw: object):  # type: ignore[no-untyped-def]
    district = kw.pop("district", CAMBRIDGE)
    nb = "PBO-A" if district == PETERBOROUGH else "CAM-A"
    insert(
        con,
        "crimes",
        [
            {
                "crime_id": crime_id,
                "recorded_at": _ts(at),
                "offence_code": offence,
                "district_code": district,
                "neighbourhood_code": nb,
                "owning_unit": "CID",
                **kw,
            }
        ],
    )


def _victim(con: duckdb.DuckDBPyConnection, crime_id: str, victim_id: str, **kw: object) -> None:
    insert(con, "crime_victims", [{"crime_id": crime_id, "victim_id": victim_id, **kw}])


@pytest.fixture
def db(tmp_path: Path) -> Path:
    """Six crimes, 2018-12 to 2019-12, in both areas, with victims, events and contacts.

    | crime | recorded   | offence       | harm   | district     | victims          |
    |-------|------------|---------------|--------|--------------|------------------|
    | C0    | 2018-12-20 | 8N ABH        | 30     | Cambridge    | V1 (before)      |
    | C1    | 2019-01-15 | 8N ABH        | 30     | Cambridge    | V1 (repeat, VCC) |
    | C2    | 2019-06-10 | 28E burglary  | 273.5  | Cambridge    | V1 (repeat), V2  |
    | C3    | 2019-12-05 | 19C rape      | 1825   | Peterborough | V3 (priority)    |
    | C4    | 2019-12-11 | 92E cannabis  | 1      | Peterborough | - (proactive)    |
    | C5    | 2019-12-20 | 105A common   | 2      | Cambridge    | V4               |
    """
    path = create_force(tmp_path / "w.duckdb")
    con = duckdb.connect(str(path))
    insert(
        con,
        "neighbourhoods",
        [
            {"neighbourhood_code": "CAM-A", "district_code": CAMBRIDGE},
            {"neighbourhood_code": "PBO-A", "district_code": PETERBOROUGH},
        ],
    )
    _crime(
        con,
        "C0",
        "2018-12-20 10:00",
        "8N",
        status="finalised",
        outcome_code="1",
        outcome_at=_ts("2019-01-05 10:00"),
    )
    _crime(con, "C1", "2019-01-15 10:00", "8N", next_review_due=dt.date(2019, 3, 1))
    _crime(
        con,
        "C2",
        "2019-06-10 10:00",
        "28E",
        status="finalised",
        outcome_code="1",
        outcome_at=_ts("2019-08-01 10:00"),
    )
    _crime(
        con,
        "C3",
        "2019-12-05 10:00",
        "19C",
        district=PETERBOROUGH,
        domestic_abuse=True,
        next_review_due=dt.date(2020, 1, 20),
    )
    _crime(con, "C4", "2019-12-11 10:00", "92E", district=PETERBOROUGH)
    _crime(con, "C5", "2019-12-20 10:00", "105A", next_review_due=dt.date(2019, 12, 28))
    _victim(con, "C0", "V1")
    _victim(
        con,
        "C1",
        "V1",
        vcc_agreed=True,
        vcc_contact_days=7,
        hub_referred_at=_ts("2019-01-16 10:00"),
    )
    _victim(con, "C2", "V1")
    _victim(
        con,
        "C2",
        "V2",
        priority_group="most_serious",
        priority_group_recorded_at=_ts("2019-06-10 10:00"),
    )
    _victim(
        con,
        "C3",
        "V3",
        priority_group="vulnerable",
        hub_referral_declined=True,
        priority_group_recorded_at=_ts("2019-12-09 10:00"),
    )
    _victim(con, "C5", "V4", hub_referred_at=_ts("2019-12-21 10:00"))
    events = [("C3", "2019-12-06 10:00", "arrest"), ("C5", "2019-12-23 10:00", "charge")]
    insert(
        con,
        "investigation_events",
        [
            {"event_id": f"E{i}", "crime_id": c, "event_at": _ts(at), "event_type": kind}
            for i, (c, at, kind) in enumerate(events)
        ],
    )
    contacts = [
        ("C1", "V1", "2019-01-20 10:00", "update"),
        ("C1", "V1", "2019-02-10 10:00", "update"),
        ("C3", "V3", "2019-12-09 10:00", "key_event"),
        ("C5", "V4", "2019-12-24 10:00", "key_event"),
    ]
    insert(
        con,
        "victim_contacts",
        [
            {
                "contact_id": f"K{i}",
                "crime_id": c,
                "victim_id": v,
                "contact_at": _ts(at),
                "contact_type": kind,
                "channel": "phone",
            }
            for i, (c, v, at, kind) in enumerate(contacts)
        ],
    )
    harm.build(con)
    compliance.build(con, as_of=_ts("2020-01-01 00:00"))
    con.close()
    return path


def _measures(
    con: duckdb.DuckDBPyConnection, ids: tuple[str, ...], window: str, by: tuple[str, ...] = ()
) -> dict[tuple[object, ...], pd.Series]:
    """December 2019's results, computed afresh (no stored results): (id, *group) -> row."""
    df = compute(list(ids), con=con, months=["2019-12"], window=window, by=by, cache_results=False)
    return {(r["measure_id"], *(r[d] for d in by)): r for _, r in df.iterrows()}


def _value(row: pd.Series) -> float | None:
    return None if pd.isna(row["value"]) else float(row["value"])


def _assert_rate(rate: Rate, row: pd.Series) -> None:
    assert (rate.numerator, rate.denominator) == (row["numerator"], row["denominator"])
    assert rate.value == (pytest.approx(_value(row)) if rate.denominator else None)


@pytest.mark.parametrize(("months", "window"), [(12, "rolling12"), (1, "month")])
def test_harm_summary_is_the_catalogue(db: Path, months: int, window: str) -> None:
    con = duckdb.connect(str(db), read_only=True)
    try:
        s = harm_summary(con, "2019-12", months=months)
        ids = ("harm.total_days", "harm.per_1000", "harm.repeat_victim_share")
        force = _measures(con, ids, window)
        area = _measures(con, ids[:2], window, ("area",))
        district = _measures(con, ids[:2], window, ("district",))
    finally:
        con.close()
    total, rate = force[("harm.total_days",)], force[("harm.per_1000",)]
    assert (s.total_days, s.crimes) == (total["value"], total["n"])
    assert (s.per_1000, s.population) == (pytest.approx(rate["value"]), rate["denominator"])
    assert s.repeat_victim_share == pytest.approx(_value(force[("harm.repeat_victim_share",)]))
    for places, cut in ((s.areas, area), (s.districts, district)):
        assert places
        for p in places:
            assert p.harm_days == cut[("harm.total_days", p.name)]["value"], p
            assert p.crimes == cut[("harm.total_days", p.name)]["n"], p
            assert p.per_1000 == pytest.approx(cut[("harm.per_1000", p.name)]["value"]), p
    # the worked example: C4 is excluded, C0 is before the window
    if months == 12:
        assert (s.total_days, s.crimes) == (ABH + BURGLARY + RAPE + COMMON, 4)
        # repeat victimisations: V1's C1 (after C0) and C2 (after C1): 30 + 273.5 of all the
        # victims' harm, 30 + 273.5 x 2 (V1, V2) + 1825 + 2
        assert s.repeat_victim_share == pytest.approx((ABH + BURGLARY) / 2404.0)
        assert (s.victims, s.repeat_victims) == (4, 1)
    else:
        assert (s.total_days, s.crimes) == (RAPE + COMMON, 2)
    by_area = {p.code: p for p in s.areas}
    assert by_area["North"].victims_on_lists == 1 and by_area["South"].victims_on_lists == (
        3 if months == 12 else 1
    )


def test_victim_care_summary_is_the_catalogue(db: Path) -> None:
    con = duckdb.connect(str(db), read_only=True)
    try:
        s = victim_care_summary(con, "2019-12")
        ids = tuple(dict.fromkeys(care.CARE_MEASURES))
        windows = {w: _measures(con, ids, w) for w in care.WINDOWS}
        areas = {w: _measures(con, (care.VCC,), w, ("area",)) for w in care.WINDOWS}
        state = _measures(con, care.INVESTIGATION_MEASURES, "month")
    finally:
        con.close()
    pairs = {
        care.VCC: s.vcc_compliance,
        care.CODE: s.code_compliance,
        care.HUB: s.hub_referral_rate,
        care.PRIORITY: s.priority_identified_at_first_contact,
        care.KEY_EVENTS_ENHANCED: s.key_event_contact_enhanced,
        care.KEY_EVENTS_STANDARD: s.key_event_contact_standard,
        **{
            care.ENTITLEMENT_MEASURES[e]: s.code_compliance_by_entitlement[e]
            for e in CODE_ENTITLEMENTS
        },
    }
    assert set(pairs) == set(ids)
    for measure, pair in pairs.items():
        _assert_rate(pair.month, windows["month"][(measure,)])
        _assert_rate(pair.rolling12, windows["rolling12"][(measure,)])
    assert set(s.vcc_compliance_by_area) == {"South"}  # the only contract is in Cambridge
    _assert_rate(
        s.vcc_compliance_by_area["South"].rolling12, areas["rolling12"][(care.VCC, "South")]
    )
    _assert_rate(s.vcc_compliance_by_area["South"].month, areas["month"][(care.VCC, "South")])
    age = state[(care.AGE,)]
    assert s.overdue_reviews == state[(care.OVERDUE,)]["value"]
    assert (s.open_investigations, s.average_investigation_days) == (
        age["n"],
        pytest.approx(age["value"]),
    )
    # the worked example: C1, C3 and C5 are open at the end of December (C4 too: no victims,
    # still a crime); C1's review (1 March) and C5's (28 December) are overdue
    assert (s.open_investigations, s.overdue_reviews) == (4, 2)
    # key events: C3's arrest (6 Dec) is standard (V3's priority group was recorded after it)
    # and told in time on the 9th; C5's charge (23 Dec) is not due by 1 January (bank holidays)
    assert s.key_event_contact_standard.month == Rate(1, 1)
    assert s.key_event_contact_enhanced.month == Rate(0, 0)
    # V4 referred to the Hub, V3 declined (still counted)
    assert s.hub_referral_rate.month == Rate(1, 2)
    # V1's 7-day contract from 15 Jan: contacts on the 20th (in time), 10 Feb (late: missed),
    # then none while C1 stays open (missed): one of three, none falling due in December
    assert s.vcc_compliance.rolling12 == Rate(1, 3) and s.vcc_compliance.month == Rate(0, 0)
    # V3's priority group was recorded four days after the crime: not at first contact
    assert s.priority_identified_at_first_contact.month == Rate(0, 1)
    assert s.priority_identified_at_first_contact.rolling12 == Rate(1, 2)


def test_every_summary_measure_is_in_the_catalogue() -> None:
    from forcepack.summaries.harm import HARM_MEASURES

    ids = set(catalogue())
    for measure in (*HARM_MEASURES, *care.CARE_MEASURES, *care.INVESTIGATION_MEASURES):
        assert measure in ids, measure
    for entitlement, measure in care.ENTITLEMENT_MEASURES.items():
        # each entitlement's measure counts that entitlement's obligations alone
        (condition,) = [c for c in catalogue()[measure].filter if c.column == "entitlement"]
        assert condition.value == entitlement


def test_the_commands_print_the_catalogue_figures(
    db: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    con = duckdb.connect(str(db), read_only=True)
    try:
        s: HarmSummary = harm_summary(con, "2019-12")
        total = _measures(con, ("harm.total_days", "victims.vcc_compliance"), "rolling12")
    finally:
        con.close()
    main(["harm", "summary", "--db", str(db), "--month", "2019-12"])
    printed = capsys.readouterr().out
    days = total[("harm.total_days",)]
    assert f"total {days['value']:,.0f} days from {days['n']:,} crimes" in printed
    assert f"per 1,000 people {s.per_1000:,.1f}" in printed
    main(["victims", "summary", "--db", str(db), "--month", "2019-12"])
    printed = capsys.readouterr().out
    vcc = total[("victims.vcc_compliance",)]
    line = next(ln for ln in printed.splitlines() if ln.strip().startswith("VCC compliance "))
    assert f"({vcc['numerator']:,.0f}/{vcc['denominator']:,.0f})" in line
    assert "V1" not in printed and "V3" not in printed  # no person ids
