"""The data contract: one spec gives the DDL, the docs and the reference data."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest

from forcepack.contract import TABLES, table
from forcepack.contract.docs import render_markdown
from forcepack.contract.reference import REFERENCE_TABLES, rows
from forcepack.contract.spec import ColumnType
from forcepack.demo import force_reference
from forcepack.errors import InputError
from forcepack.warehouse import connect, create, table_counts

REPO = Path(__file__).resolve().parents[1]

DESIGN_TABLES = {
    "districts": "district_code, district_name, area, force, population, population_year",
    "neighbourhoods": "neighbourhood_code, district_code, neighbourhood_name",
    "offences": "offence_code, offence_name, ho_group, police_uk_category, harm_days",
    "outcome_types": "outcome_code, outcome_name, outcome_group, prosecution_possible",
    "call_types": "call_type_code, call_type_name, category, valid_from, valid_to",
    "crimes": "crime_id, recorded_at, offence_code, district_code, neighbourhood_code, "
    "incident_id, domestic_abuse, hate_crime, child_sexual_abuse, child_sexual_exploitation, "
    "serious_sexual_offence, knife_crime, status, outcome_code, outcome_at, next_review_due",
    "crime_victims": "crime_id, victim_id, priority_group, vcc_agreed, vcc_contact_days, "
    "hub_referred_at, hub_referral_declined",
    "crime_suspects": "crime_id, person_id",
    "investigation_events": "crime_id, event_type, event_at",
    "victim_contacts": "crime_id, victim_id, contact_at, contact_type, channel",
    "incidents": "incident_id, created_at, call_type_code, grade, district_code, dispatched_at, "
    "arrived_at, delay_reason, source, verbal_only",
    "calls": "call_id, line, offered_at, answered_at, ended_at, secondary",
    "survey_responses": "response_id, survey, crime_id, interviewed_at, district_code, "
    "crime_group, ease_of_contact, actions_taken, follow_up, treatment, overall",
    "missing_episodes": "episode_id, person_id, age, reported_at, district_code, from_care_home",
    "civil_orders": "order_id, order_type, applied_at, granted_at, district_code",
    "qa_backlog": "snapshot_date, crimes_awaiting_qa",
    "system_downtime": "system, start_at, end_at, planned",
}


@pytest.mark.parametrize("name", sorted(DESIGN_TABLES))
def test_warehouse_has_every_design_column(empty_warehouse: Path, name: str) -> None:
    con = duckdb.connect(str(empty_warehouse), read_only=True)
    got = {r[0] for r in con.execute(f"DESCRIBE {name}").fetchall()}
    wanted = {c.strip() for c in DESIGN_TABLES[name].split(",")}
    assert wanted <= got, f"{name} lacks {wanted - got}"


def test_docs_are_not_stale() -> None:
    committed = (REPO / "docs" / "data-contract.md").read_text(encoding="utf-8")
    assert committed == render_markdown(), (
        "docs/data-contract.md is stale: run `make docs` and commit the result"
    )


def test_a_new_warehouse_holds_national_reference_data_and_no_force_geography(
    tmp_path: Path,
) -> None:
    con = connect(create(tmp_path / "new.duckdb"))
    counts = table_counts(con)
    assert counts["districts"] == counts["neighbourhoods"] == counts["call_types"] == 0
    assert counts["outcome_types"] == 22
    assert counts["offences"] == len(rows("offences")) > 0
    assert set(REFERENCE_TABLES) == {"offences", "outcome_types"}


def test_demo_force_reference_rows(empty_warehouse: Path) -> None:
    con = connect(empty_warehouse)
    counts = table_counts(con)
    assert counts["districts"] == 6
    assert counts["call_types"] == len(force_reference.rows("call_types"))
    pops = dict(con.execute("SELECT district_name, population FROM districts").fetchall())
    assert pops == {
        "Cambridge": 125_758,
        "East Cambridgeshire": 89_840,
        "Fenland": 101_491,
        "Huntingdonshire": 177_963,
        "South Cambridgeshire": 159_086,
        "Peterborough": 202_259,
    }
    assert sum(pops.values()) == 856_397
    north = {
        r[0]
        for r in con.execute("SELECT district_name FROM districts WHERE area='North'").fetchall()
    }
    assert north == {"Peterborough", "Fenland"}
    forces = con.execute("SELECT DISTINCT force FROM districts").fetchall()
    assert forces == [("Demo Force",)]
    possible = [
        r[0]
        for r in con.execute(
            "SELECT outcome_code FROM outcome_types WHERE prosecution_possible ORDER BY 1"
        ).fetchall()
    ]
    assert possible == list(range(1, 9))


def test_domestic_call_type_split_on_6_january_2020() -> None:
    ct = {r["call_type_code"]: r for r in force_reference.rows("call_types")}
    assert str(ct["DOM"]["valid_to"]) == "2020-01-05"
    assert str(ct["DOMA"]["valid_from"]) == "2020-01-06"
    assert str(ct["DOMN"]["valid_from"]) == "2020-01-06"
    assert {ct[c]["category"] for c in ("DOM", "DOMA", "DOMN")} == {"domestic_abuse"}


def test_offences_cover_every_police_uk_crime_category() -> None:
    cats = {r["police_uk_category"] for r in rows("offences")}
    spec = set(table("offences").column("police_uk_category").enum or ())
    assert spec - cats == {"Anti-social behaviour"}


def test_unknown_table_names_allowed_ones() -> None:
    with pytest.raises(
        InputError, match=r'table "crime" is not in the data contract; allowed:.*crimes'
    ):
        table("crime")


def test_the_spec_re_exports_every_vocabulary_of_the_contract() -> None:
    from forcepack.contract import spec, vocab

    defined = {
        name
        for name, value in vars(vocab).items()
        if not name.startswith("_")
        and (
            isinstance(value, tuple | dict | str)
            or (getattr(value, "__module__", None) == vocab.__name__)
        )
    }
    assert {"LoadStatus", "SUSPECT_EVENTS", "values"} <= defined and "StrEnum" not in defined
    assert set(vocab.__all__) == defined
    for name in vocab.__all__:
        assert name in spec.__all__
        assert getattr(spec, name) is getattr(vocab, name)


def test_every_reference_table_is_in_the_contract() -> None:
    assert set(REFERENCE_TABLES) <= set(TABLES)


def test_an_older_warehouse_is_told_how_to_gain_new_tables(tmp_path: Path) -> None:
    from forcepack.errors import WarehouseError

    db = create(tmp_path / "old.duckdb")
    con = duckdb.connect(str(db))
    con.execute("DROP TABLE lsoas")
    con.close()
    with pytest.raises(WarehouseError, match=r"lacks the table\(s\) lsoas") as err:
        connect(db)
    assert "forcepack warehouse create --db" in (err.value.hint or "")
    connect(db, read_only=False).close()  # a writable open adds it, keeping the rest
    assert table_counts(connect(db))["lsoas"] == 0


@pytest.mark.parametrize("column_type", list(ColumnType))
def test_each_column_type_spells_the_same_type_in_every_engine(column_type: ColumnType) -> None:
    import ibis
    import pyarrow as pa

    # DuckDB: the spelling is a type DuckDB knows by that name
    con = duckdb.connect()
    got = con.execute(f"SELECT typeof(CAST(NULL AS {column_type.duckdb}))").fetchall()
    assert got == [(column_type.duckdb,)]
    # Arrow and Ibis agree with each other, and DuckDB reads the Arrow type back as itself
    assert type(ibis.dtype(column_type.arrow)) is type(ibis.dtype(column_type.ibis))
    con.register("one", pa.table({"x": pa.array([None], type=column_type.arrow)}))
    assert con.execute("SELECT typeof(x) FROM one").fetchall() == [(column_type.duckdb,)]
    assert column_type.example and column_type.words


def test_a_copied_force_template_is_what_building_one_gives(tmp_path: Path) -> None:
    """The tests' fast warehouses (copies of one built per process) hold what building one
    from nothing holds."""
    from force_helpers import build_force, create_force

    got = []
    for db in (build_force(tmp_path / "a.duckdb"), create_force(tmp_path / "b.duckdb")):
        con = connect(db)
        try:
            tables = con.execute(
                "SELECT table_name, column_name, data_type FROM information_schema.columns "
                "ORDER BY ALL"
            ).fetchall()
            districts = con.execute("SELECT * FROM districts ORDER BY ALL").fetchall()
            got.append((table_counts(con), tables, districts))
        finally:
            con.close()
    assert got[0] == got[1] and got[0][2]
