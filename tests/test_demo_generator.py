"""The demo generator: deterministic, coherent in time and references, with the seed's trends.

Coherence checks run on the session demo warehouse with SQL written here; determinism checks
generate a short period twice (cheap) and compare the warehouse data hashes.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path

import duckdb
import numpy as np
import pyarrow as pa
import pytest

from forcepack.contract.spec import TABLES, Role
from forcepack.demo import GENERATED_TABLES, build_demo
from forcepack.demo import generate as gen
from forcepack.demo.config import DemoConfig
from forcepack.demo.generate import generate_force
from forcepack.warehouse import connect


@pytest.fixture(scope="module")
def con(demo_warehouse: Path) -> Iterator[duckdb.DuckDBPyConnection]:
    c = connect(demo_warehouse)
    yield c
    c.close()


def scalar(con: duckdb.DuckDBPyConnection, sql: str) -> object:
    row = con.execute(sql).fetchone()
    assert row is not None
    return row[0]


# --- determinism ------------------------------------------------------------------------------


@pytest.mark.slow
def test_same_seed_same_data_different_seed_differs(tmp_path: Path) -> None:
    a = build_demo(tmp_path / "a", seed=7, start="2019-11", end="2020-01")
    b = build_demo(tmp_path / "b", seed=7, start="2019-11", end="2020-01")
    c = build_demo(tmp_path / "c", seed=8, start="2019-11", end="2020-01")
    assert a.data_hash == b.data_hash
    assert a.rows == b.rows
    assert c.data_hash != a.data_hash
    # across the call-type change of 6 January 2020, domestic incidents use the valid codes
    con = connect(a.warehouse)
    try:
        codes = dict(
            con.execute(
                """SELECT call_type_code, bool_and(created_at < DATE '2020-01-06')
                FROM incidents WHERE call_type_code LIKE 'DOM%' GROUP BY 1"""
            ).fetchall()
        )
    finally:
        con.close()
    assert codes == {"DOM": True, "DOMA": False, "DOMN": False}


def _tables(cfg: DemoConfig) -> dict[str, pa.Table]:
    return dict(generate_force(cfg))


def test_each_table_family_draws_from_its_own_stream(monkeypatch: pytest.MonkeyPatch) -> None:
    """A family that draws more numbers (as a new table or a changed model would) moves no other
    family's records: every other table is identical, row for row."""
    cfg = DemoConfig(seed=11, start="2019-10", end="2019-12")
    before = _tables(cfg)
    real = gen.generate_missing

    def greedy(rng: np.random.Generator, months: object, scale: float = 1.0) -> object:
        rng.random(1_000)  # draws first, so its own table changes too
        return real(rng, months, scale)  # type: ignore[arg-type]

    monkeypatch.setattr(gen, "generate_missing", greedy)
    after = _tables(cfg)
    assert not after["missing_episodes"].equals(before["missing_episodes"])
    for name, table in before.items():
        if name != "missing_episodes":
            assert after[name].equals(table), name
    # streams are named children of the seed and force: the same name gives the same numbers,
    # another name or force other numbers
    a = gen.stream(cfg, "calls").random(4)
    assert np.array_equal(a, gen.stream(cfg, "calls").random(4))
    assert not np.array_equal(a, gen.stream(cfg, "surveys").random(4))
    other_force = DemoConfig(seed=11, start="2019-10", end="2019-12", force=2)
    assert not np.array_equal(a, gen.stream(other_force, "calls").random(4))


def test_every_generated_table_is_populated(con: duckdb.DuckDBPyConnection) -> None:
    for name in GENERATED_TABLES:
        assert scalar(con, f"SELECT count(*) FROM {name}") > 0, name
    assert set(GENERATED_TABLES) == {t.name for t in TABLES.values() if t.role is Role.FORCE} | {
        "neighbourhoods"
    }


# --- contract: enums, references, time orders --------------------------------------------------


@pytest.mark.parametrize("name", GENERATED_TABLES)
def test_enums_references_and_time_orders_hold(con: duckdb.DuckDBPyConnection, name: str) -> None:
    spec = TABLES[name]
    for col in spec.columns:
        if col.enum:
            allowed = ", ".join(f"'{v}'" for v in col.enum)
            bad = scalar(con, f"SELECT count(*) FROM {name} WHERE {col.name} NOT IN ({allowed})")
            assert bad == 0, f"{name}.{col.name} outside its enumeration"
        if col.references:
            ref = col.references
            bad = scalar(
                con,
                f"""SELECT count(*) FROM {name} x WHERE x.{col.name} IS NOT NULL
                AND NOT EXISTS (SELECT 1 FROM {ref.table} r WHERE r.{ref.column} = x.{col.name})""",
            )
            assert bad == 0, f"{name}.{col.name} not in {ref.table}.{ref.column}"
        if col.minimum is not None:
            assert scalar(con, f"SELECT count(*) FROM {name} WHERE {col.name} < {col.minimum}") == 0
        if col.maximum is not None:
            assert scalar(con, f"SELECT count(*) FROM {name} WHERE {col.name} > {col.maximum}") == 0
    for order in spec.time_order:
        bad = scalar(con, f"SELECT count(*) FROM {name} WHERE {order.later} < {order.earlier}")
        assert bad == 0, f"{name}: {order.later} before {order.earlier}"


# --- coherence in time -----------------------------------------------------------------------


def test_events_contacts_and_outcomes_follow_recording(con: duckdb.DuckDBPyConnection) -> None:
    assert (
        scalar(
            con,
            """SELECT count(*) FROM investigation_events e JOIN crimes c
                          USING (crime_id) WHERE e.event_at < c.recorded_at""",
        )
        == 0
    )
    assert (
        scalar(
            con,
            """SELECT count(*) FROM victim_contacts v JOIN crimes c
                          USING (crime_id) WHERE v.contact_at < c.recorded_at""",
        )
        == 0
    )
    assert scalar(con, "SELECT count(*) FROM crimes WHERE outcome_at < recorded_at") == 0
    assert (
        scalar(
            con,
            "SELECT count(*) FROM crime_victims v JOIN crimes c USING (crime_id) "
            "WHERE v.hub_referred_at < c.recorded_at",
        )
        == 0
    )


def test_contacts_belong_to_the_crimes_victims(con: duckdb.DuckDBPyConnection) -> None:
    assert (
        scalar(
            con,
            """SELECT count(*) FROM victim_contacts v WHERE NOT EXISTS (
        SELECT 1 FROM crime_victims cv WHERE cv.crime_id = v.crime_id
        AND cv.victim_id = v.victim_id)""",
        )
        == 0
    )


def test_status_outcome_and_review_agree(con: duckdb.DuckDBPyConnection) -> None:
    rows = dict(
        con.execute("""SELECT status, count(*) FILTER (WHERE
        (status = 'finalised') <> (outcome_code IS NOT NULL AND outcome_at IS NOT NULL)
        OR (status = 'open') <> (next_review_due IS NOT NULL)) FROM crimes
        GROUP BY status""").fetchall()
    )
    assert set(rows) == {"open", "finalised", "cancelled"}
    assert sum(rows.values()) == 0
    overdue = scalar(
        con,
        """SELECT avg((next_review_due < DATE '2019-12-31')::INT)
                             FROM crimes WHERE status = 'open'""",
    )
    assert 0.1 < overdue < 0.6  # a realistic share of reviews overdue at the end


def test_outcome_events_agree_with_outcomes(con: duckdb.DuckDBPyConnection) -> None:
    bad = scalar(
        con,
        """SELECT count(*) FROM investigation_events e JOIN crimes c
        USING (crime_id) WHERE (e.event_type = 'charge' AND c.outcome_code <> 1)
        OR (e.event_type = 'out_of_court_disposal' AND c.outcome_code NOT IN (2, 3, 6, 7, 8))""",
    )
    assert bad == 0
    no_suspect = scalar(
        con,
        """SELECT count(*) FROM crimes c JOIN crime_suspects s
                                USING (crime_id) WHERE c.outcome_code = 18""",
    )
    assert no_suspect == 0


def test_surveys_sample_victims_6_to_12_weeks_after_their_crime(
    con: duckdb.DuckDBPyConnection,
) -> None:
    lo, hi = con.execute("""SELECT min(date_diff('day', c.recorded_at, s.interviewed_at)),
        max(date_diff('day', c.recorded_at, s.interviewed_at))
        FROM survey_responses s JOIN crimes c USING (crime_id)""").fetchone()  # type: ignore[misc]
    assert lo >= 42 and hi <= 84
    assert (
        scalar(
            con,
            """SELECT count(*) FROM survey_responses s WHERE NOT EXISTS
        (SELECT 1 FROM crime_victims v WHERE v.crime_id = s.crime_id)""",
        )
        == 0
    )
    assert (
        scalar(
            con,
            """SELECT count(*) FROM survey_responses s JOIN crimes c
        USING (crime_id) WHERE s.district_code <> c.district_code OR c.status = 'cancelled'
        OR (s.survey = 'domestic_abuse') <> c.domestic_abuse""",
        )
        == 0
    )


def test_incidents_link_to_crimes(con: duckdb.DuckDBPyConnection) -> None:
    share = scalar(con, "SELECT avg((incident_id IS NOT NULL)::INT) FROM crimes")
    assert 0.4 < share < 0.9
    assert (
        scalar(
            con,
            """SELECT count(*) FROM crimes c JOIN incidents i USING (incident_id)
        WHERE i.created_at > c.recorded_at OR i.district_code <> c.district_code
        OR i.created_at < c.occurred_at""",
        )
        == 0
    )
    assert (
        scalar(
            con,
            """SELECT count(*) FROM (SELECT incident_id FROM crimes
        WHERE incident_id IS NOT NULL GROUP BY 1 HAVING count(*) > 1)""",
        )
        == 0
    )


def test_incident_fields_follow_the_rules(con: duckdb.DuckDBPyConnection) -> None:
    # call types valid on the creation date
    assert (
        scalar(
            con,
            """SELECT count(*) FROM incidents i JOIN call_types t
        USING (call_type_code) WHERE i.created_at::DATE < t.valid_from
        OR i.created_at::DATE > coalesce(t.valid_to, DATE '9999-12-31')""",
        )
        == 0
    )
    # delay reason set exactly for attendances beyond target
    assert (
        scalar(
            con,
            """SELECT count(*) FROM incidents WHERE (delay_reason IS NOT NULL) <> (
        arrived_at IS NOT NULL AND (
          (grade = 'immediate' AND date_diff('second', created_at, arrived_at) > 900)
          OR (grade = 'prompt' AND date_diff('second', created_at, arrived_at) > 3600)))""",
        )
        == 0
    )
    # verbal_only only for domestic incidents
    assert (
        scalar(
            con,
            """SELECT count(*) FROM incidents i JOIN call_types t
        USING (call_type_code) WHERE (verbal_only IS NOT NULL) <> (t.category =
        'domestic_abuse')""",
        )
        == 0
    )
    assert (
        scalar(
            con,
            "SELECT count(*) FROM incidents WHERE grade = "
            "'resolved_without_deployment' AND arrived_at IS NOT NULL",
        )
        == 0
    )


def test_response_times_are_right_skewed(con: duckdb.DuckDBPyConnection) -> None:
    mean, median = con.execute("""SELECT avg(m), median(m) FROM (SELECT date_diff('second',
        created_at, arrived_at) / 60.0 AS m FROM incidents WHERE grade = 'prompt'
        AND arrived_at IS NOT NULL)""").fetchone()  # type: ignore[misc]
    assert mean > 1.15 * median
    rural, urban = con.execute("""SELECT
        median(m) FILTER (WHERE district_name = 'Fenland'),
        median(m) FILTER (WHERE district_name = 'Cambridge') FROM (SELECT district_code,
        date_diff('second', created_at, arrived_at) / 60.0 AS m FROM incidents
        WHERE grade = 'immediate' AND arrived_at IS NOT NULL) JOIN districts
        USING (district_code)""").fetchone()  # type: ignore[misc]
    assert rural > urban


def test_response_times_are_slower_in_busier_hours(con: duckdb.DuckDBPyConnection) -> None:
    """Prompt incidents created in the busiest quarter of each month's hours wait longer (median)
    than those in the quietest quarter."""
    busy, quiet = con.execute("""
        WITH inc AS (
            SELECT grade, arrived_at, created_at,
                   count(*) OVER (PARTITION BY date_trunc('hour', created_at)) AS hour_volume,
                   date_trunc('month', created_at) AS month
            FROM incidents),
        ranked AS (
            SELECT *, ntile(4) OVER (PARTITION BY month ORDER BY hour_volume) AS quartile
            FROM inc)
        SELECT median(date_diff('second', created_at, arrived_at) / 60.0)
                   FILTER (WHERE quartile = 4),
               median(date_diff('second', created_at, arrived_at) / 60.0)
                   FILTER (WHERE quartile = 1)
        FROM ranked WHERE grade = 'prompt' AND arrived_at IS NOT NULL""").fetchone()  # type: ignore[misc]
    assert busy > 1.2 * quiet


# --- people ------------------------------------------------------------------------------------


def test_repeat_domestic_abuse_victims(con: duckdb.DuckDBPyConnection) -> None:
    most = scalar(
        con,
        """SELECT max(n) FROM (SELECT victim_id, count(*) AS n
        FROM crime_victims JOIN crimes USING (crime_id) WHERE domestic_abuse
        AND recorded_at >= '2019-01-01' GROUP BY victim_id)""",
    )
    assert most >= 4
    share = scalar(
        con,
        """SELECT avg((n > 1)::INT) FROM (SELECT victim_id, count(*) AS n
        FROM crime_victims JOIN crimes USING (crime_id) WHERE domestic_abuse
        GROUP BY victim_id)""",
    )
    assert 0.2 < share < 0.8
    assert (
        scalar(
            con, "SELECT count(*) FROM crime_victims WHERE victim_id NOT SIMILAR TO 'V[0-9a-f]{12}'"
        )
        == 0
    )


def test_priority_groups_vcc_and_hub_referrals(con: duckdb.DuckDBPyConnection) -> None:
    # victims of domestic abuse and serious sexual offences are most serious, except where the
    # group would be recorded after the end of the extract (up to 30 days late): not yet in it
    assert (
        scalar(
            con,
            """SELECT count(*) FROM crime_victims v JOIN crimes c USING (crime_id)
        WHERE (c.domestic_abuse OR c.serious_sexual_offence)
        AND v.priority_group IS DISTINCT FROM 'most_serious'
        AND NOT (v.priority_group IS NULL AND c.recorded_at >= TIMESTAMP '2019-12-01')""",
        )
        == 0
    )
    # nothing is dated after the extract's end (December 2019)
    for column in ("priority_group_recorded_at", "hub_referred_at"):
        assert scalar(con, f"SELECT max({column}) FROM crime_victims") < dt.datetime(2020, 1, 1)
    late = scalar(
        con,
        """SELECT avg((v.priority_group_recorded_at > c.recorded_at
        + INTERVAL 1 DAY)::INT) FROM crime_victims v JOIN crimes c USING (crime_id)
        WHERE v.priority_group IS NOT NULL""",
    )
    assert 0.02 < late < 0.3
    assert (
        scalar(
            con,
            "SELECT count(*) FROM crime_victims WHERE vcc_agreed <> (vcc_contact_days IS NOT NULL)",
        )
        == 0
    )
    days = {
        r[0]
        for r in con.execute(
            "SELECT DISTINCT vcc_contact_days FROM crime_victims WHERE vcc_agreed"
        ).fetchall()
    }
    assert days == {7, 14, 28}
    within, late_ref, declined = con.execute("""SELECT
        avg((hub_referred_at <= recorded_at + INTERVAL 2 DAY)::INT) FILTER (WHERE NOT
            hub_referral_declined),
        avg((hub_referred_at > recorded_at + INTERVAL 2 DAY)::INT) FILTER (WHERE NOT
            hub_referral_declined),
        avg(hub_referral_declined::INT)
        FROM crime_victims JOIN crimes USING (crime_id) WHERE status <> 'cancelled'
        """).fetchone()  # type: ignore[misc]
    assert within > 0.75 and late_ref > 0.03 and 0.02 < declined < 0.2


def test_suspects_include_repeat_offenders(con: duckdb.DuckDBPyConnection) -> None:
    most = scalar(
        con,
        """SELECT max(n) FROM (SELECT person_id, count(*) AS n
        FROM crime_suspects GROUP BY person_id)""",
    )
    assert most >= 10


def test_victim_care_contract_updates_mostly_on_time(con: duckdb.DuckDBPyConnection) -> None:
    """Share of VCC victims whose gaps between contacts (from recording) never exceed the
    agreed interval: realistic, between 50% and 90%."""
    share = scalar(
        con,
        """
        WITH times AS (
            SELECT v.crime_id, v.victim_id, v.vcc_contact_days AS days, c.recorded_at AS t
            FROM crime_victims v JOIN crimes c USING (crime_id) WHERE v.vcc_agreed
            UNION ALL
            SELECT k.crime_id, k.victim_id, v.vcc_contact_days, k.contact_at
            FROM victim_contacts k JOIN crime_victims v USING (crime_id, victim_id)
            WHERE v.vcc_agreed AND k.contact_type = 'update'),
        gaps AS (
            SELECT crime_id, victim_id, days,
                   date_diff('second', lag(t) OVER w, t) / 86400.0 AS gap
            FROM times WINDOW w AS (PARTITION BY crime_id, victim_id ORDER BY t)),
        per_victim AS (
            SELECT crime_id, victim_id, max(gap) <= max(days) AS ok FROM gaps
            WHERE gap IS NOT NULL GROUP BY ALL)
        SELECT avg(ok::INT) FROM per_victim""",
    )
    assert 0.5 < share < 0.9


# --- trends ------------------------------------------------------------------------------------


def yearly(con: duckdb.DuckDBPyConnection, sql: str) -> dict[int, int]:
    return {int(y): int(n) for y, n in con.execute(sql).fetchall()}


def test_trends_of_the_seed(con: duckdb.DuckDBPyConnection) -> None:
    da = yearly(
        con,
        "SELECT year(recorded_at), count(*) FROM crimes WHERE domestic_abuse "
        "AND status <> 'cancelled' GROUP BY 1",
    )
    assert da[2019] > da[2018] > da[2016] > da[2015]
    csa = yearly(
        con, "SELECT year(recorded_at), count(*) FROM crimes WHERE child_sexual_abuse GROUP BY 1"
    )
    assert csa[2019] > 1.3 * csa[2018]
    calls = yearly(
        con, "SELECT year(offered_at), count(*) FROM calls WHERE line = '101' GROUP BY 1"
    )
    assert calls[2015] > calls[2016] > calls[2017] > calls[2018] > calls[2019]
    recorded = yearly(
        con, "SELECT year(recorded_at), count(*) FROM crimes WHERE status <> 'cancelled' GROUP BY 1"
    )
    assert 5000 * 12 < recorded[2019] < 6500 * 12
    care = dict(
        con.execute("""SELECT district_name, count(*) FROM missing_episodes
        JOIN districts USING (district_code) WHERE from_care_home GROUP BY 1""").fetchall()
    )
    assert care["Fenland"] + care["Peterborough"] > 0.5 * sum(care.values())
    missing = yearly(
        con, "SELECT year(reported_at), count(*) FROM missing_episodes WHERE age < 18 GROUP BY 1"
    )
    assert missing[2019] > missing[2015]


def test_volumes_like_the_force(con: duckdb.DuckDBPyConnection) -> None:
    per_month = con.execute("""SELECT
        (SELECT count(*) FROM incidents WHERE year(created_at) = 2019) / 12,
        (SELECT count(*) FROM calls WHERE line = '999' AND year(offered_at) = 2019) / 12,
        (SELECT count(*) FROM calls WHERE line = '101' AND year(offered_at) = 2019) / 12,
        (SELECT count(*) FROM survey_responses WHERE survey = 'domestic_abuse'
         AND year(interviewed_at) = 2019) / 12""").fetchone()  # type: ignore[misc]
    incidents, c999, c101, da_survey = per_month
    assert 5500 < incidents < 8500
    assert 10_000 <= c999 <= 12_500
    assert 20_000 <= c101 <= 30_000
    assert 15 <= da_survey <= 21
    abandonment = scalar(
        con,
        """SELECT avg((answered_at IS NULL)::INT) FROM calls
        WHERE line = '101' AND NOT secondary""",
    )
    secondary = scalar(
        con,
        """SELECT avg((answered_at IS NULL)::INT) FROM calls
        WHERE line = '101' AND secondary""",
    )
    assert 0.08 < abandonment < 0.22 and secondary > abandonment


def test_open_investigations_age_through_2019(con: duckdb.DuckDBPyConnection) -> None:
    """Mean age (days) of investigations open at the end of June and of December 2019."""
    rows = dict(
        con.execute(
            """
            WITH ends AS (SELECT * FROM (VALUES (TIMESTAMP '2019-07-01'),
                                                (TIMESTAMP '2020-01-01')) v(e))
            SELECT e, avg(date_diff('day', recorded_at, e)) FROM ends JOIN crimes
              ON recorded_at < e AND status <> 'cancelled'
             AND (outcome_at IS NULL OR outcome_at >= e)
            GROUP BY e"""
        ).fetchall()
    )
    june, december = (rows[k] for k in sorted(rows))
    assert december > june * 1.05
