"""The scale path: many forces, each with its own districts, written in chunks and loaded into
one warehouse where measures cut by force."""

from __future__ import annotations

from collections.abc import Iterator

import duckdb
import pytest

from forcepack.contract.spec import TABLES
from forcepack.demo.config import DEMO_FORCE_NAME, DemoConfig
from forcepack.demo.force_reference import rows
from forcepack.demo.scale import ScaleOptions, ScaleResult, force_size, generate_scale
from forcepack.demo.tables import districts_table

pytestmark = pytest.mark.slow  # generates and loads synthetic forces (seconds each)

SEED = 5
MONTHS = ("2019-10-31", "2019-11-30", "2019-12-31")
#: Tables with a record id carrying the force's prefix (``F02-...``) and a district_code.
PREFIXED = {
    "crimes": "crime_id",
    "incidents": "incident_id",
    "survey_responses": "response_id",
    "missing_episodes": "episode_id",
    "civil_orders": "order_id",
}


@pytest.fixture(scope="module")
def scale(tmp_path_factory: pytest.TempPathFactory) -> ScaleResult:
    """Two forces, three months, loaded into one warehouse."""
    out = tmp_path_factory.mktemp("scale") / "s"
    opts = ScaleOptions.make(
        forces=2, start="2019-10", end="2019-12", out=out, seed=SEED, load=True
    )
    return generate_scale(opts)


@pytest.fixture
def con(scale: ScaleResult) -> Iterator[duckdb.DuckDBPyConnection]:
    assert scale.warehouse is not None
    c = duckdb.connect(str(scale.warehouse), read_only=True)
    yield c
    c.close()


def test_scale_writes_each_force_in_its_own_chunk_and_loads(
    scale: ScaleResult, con: duckdb.DuckDBPyConnection
) -> None:
    assert [p.name for p in scale.files["crimes"]] == ["force-01.parquet", "force-02.parquet"]
    assert [p.name for p in scale.files["districts"]] == ["force-01.parquet", "force-02.parquet"]
    assert len(scale.files["neighbourhoods"]) == 2
    assert len(scale.files["qa_backlog"]) == 1  # no force or place: from the first force only
    per_force = dict(
        con.execute(
            "SELECT split_part(crime_id, '-', 1), count(*) FROM crimes GROUP BY 1"
        ).fetchall()
    )
    (total,) = con.execute("SELECT count(*) FROM calls").fetchone()  # type: ignore[misc]
    assert set(per_force) == {"F01", "F02"}
    assert sum(per_force.values()) == scale.rows["crimes"]
    assert total == scale.rows["calls"]
    # forces differ in size as their size factors do
    ratio = per_force["F02"] / per_force["F01"]
    expected = force_size(SEED, 2) / force_size(SEED, 1)
    assert abs(ratio / expected - 1) < 0.15
    assert scale.rows_per_second > 0


def test_each_force_has_its_own_six_districts(con: duckdb.DuckDBPyConnection) -> None:
    districts = con.execute(
        "SELECT force, district_code, district_name, population FROM districts ORDER BY 1, 2"
    ).fetchall()
    assert len(districts) == 2 * 6
    forces = {r[0] for r in districts}
    assert forces == {"Force 01", "Force 02"}
    assert len({r[1] for r in districts}) == 12  # no code shared between forces
    assert len({r[2] for r in districts}) == 12  # nor a name
    # force 1 keeps the demo force's codes and names; force 2's are its own
    shipped = {(r["district_code"], r["district_name"]) for r in rows("districts")}
    assert {(r[1], r[2]) for r in districts if r[0] == "Force 01"} == shipped
    f2 = [r for r in districts if r[0] == "Force 02"]
    assert all(r[1].startswith("F02-") and r[2].endswith(" (Force 02)") for r in f2)
    # populations follow each force's size factor
    pop = {f: sum(r[3] for r in districts if r[0] == f) for f in forces}
    demo = sum(int(r["population"]) for r in rows("districts"))  # type: ignore[call-overload]
    assert pop["Force 02"] == pytest.approx(demo * force_size(SEED, 2), rel=1e-4)
    neighbourhoods = con.execute("""SELECT force, count(*), count(DISTINCT neighbourhood_code)
        FROM neighbourhoods JOIN districts USING (district_code)
        GROUP BY 1 ORDER BY 1""").fetchall()
    assert neighbourhoods == [("Force 01", 28, 28), ("Force 02", 28, 28)]


def test_references_to_districts_and_neighbourhoods_hold(con: duckdb.DuckDBPyConnection) -> None:
    checked = 0
    for spec in TABLES.values():
        for col in spec.columns:
            ref = col.references
            if ref is None or ref.table not in ("districts", "neighbourhoods"):
                continue
            (n,) = con.execute(  # type: ignore[misc]
                f"SELECT count(*) FROM {spec.name} WHERE {col.name} IS NOT NULL AND "
                f"{col.name} NOT IN (SELECT {ref.column} FROM {ref.table})"
            ).fetchone()
            assert n == 0, f"{spec.name}.{col.name}: {n} rows name no {ref.table} row"
            checked += 1
    assert checked >= 7
    # and each record names its own force's districts
    for table, id_col in PREFIXED.items():
        pairs = con.execute(f"""SELECT DISTINCT split_part({id_col}, '-', 1), force
            FROM {table} JOIN districts USING (district_code) ORDER BY 1""").fetchall()
        assert pairs == [("F01", "Force 01"), ("F02", "Force 02")], table
    (bad,) = con.execute("""SELECT count(*) FROM crimes c
        JOIN neighbourhoods n USING (neighbourhood_code)
        WHERE n.district_code <> c.district_code""").fetchone()  # type: ignore[misc]
    assert bad == 0


def test_recorded_crime_cuts_by_force_and_district(
    scale: ScaleResult, con: duckdb.DuckDBPyConnection
) -> None:
    from forcepack.measures import compute

    by_force = compute("crime.recorded", db=scale.warehouse, by="force")
    whole = compute("crime.recorded", db=scale.warehouse)
    months = [str(m)[:10] for m in whole["period_end"]]
    assert months == list(MONTHS)
    assert len(by_force) == 2 * len(MONTHS)
    assert set(by_force["force"]) == {"Force 01", "Force 02"}
    assert by_force.groupby(["period_end", "force"]).size().eq(1).all()
    summed = by_force.groupby("period_end")["value"].sum()
    assert summed.tolist() == whole.set_index("period_end")["value"].tolist()
    expected = dict(
        con.execute("""SELECT force, count(*) FROM crimes JOIN districts USING (district_code)
        WHERE status <> 'cancelled' GROUP BY 1""").fetchall()
    )
    assert by_force.groupby("force")["value"].sum().to_dict() == expected

    by_district = compute("crime.recorded", db=scale.warehouse, by="district")
    assert by_district["district"].nunique() == 12
    assert len(by_district) == 12 * len(MONTHS)
    assert by_district["value"].sum() == whole["value"].sum()


def test_demo_force_districts_are_the_shipped_ones() -> None:
    """The generator's geography and the shipped districts.csv agree, force name included."""
    made = districts_table(DemoConfig(seed=0)).to_pylist()
    assert made == list(rows("districts"))
    assert {r["force"] for r in made} == {DEMO_FORCE_NAME}


def test_force_one_looks_like_the_demo_and_others_do_not_share_places() -> None:
    demo, first, seventh = (DemoConfig(seed=0, force=f) for f in (0, 1, 7))
    assert demo.place_prefix == first.place_prefix == ""
    assert (first.force_name, seventh.force_name) == ("Force 01", "Force 07")
    assert (seventh.place_prefix, seventh.place_suffix) == ("F07-", " (Force 07)")
