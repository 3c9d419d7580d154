"""Victim care on the demo force: the build runs at full size and its tables are consistent."""

from __future__ import annotations

import shutil
from pathlib import Path

import duckdb
import pytest

from forcepack.compliance import build
from forcepack.compliance.rules import AUDIT_SAMPLE_SIZE
from forcepack.summaries import victim_care_summary as summary

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def demo_victims(demo_warehouse: Path, tmp_path_factory: pytest.TempPathFactory):  # type: ignore[no-untyped-def]
    """The demo warehouse with the victim care tables (built on a copy unless already built)."""
    con = duckdb.connect(str(demo_warehouse), read_only=True)
    (built,) = con.execute("SELECT count(*) FROM victim_care_victims").fetchone()  # type: ignore[misc]
    if built:
        yield con
        con.close()
        return
    con.close()
    copy = tmp_path_factory.mktemp("victims-demo") / "warehouse.duckdb"
    shutil.copyfile(demo_warehouse, copy)
    con = duckdb.connect(str(copy))
    build(con)
    yield con
    con.close()


def test_every_obligation_is_past_due_and_met_means_in_time(demo_victims) -> None:  # type: ignore[no-untyped-def]
    bad = demo_victims.execute(
        """
        SELECT count(*) FILTER (WHERE met AND (fulfilled_at IS NULL OR fulfilled_at > due_at)),
               count(*) FILTER (WHERE NOT met AND fulfilled_at <= due_at),
               count(*) FILTER (WHERE due_at <> (due_date + 1)::TIMESTAMP),
               count(*) FILTER (WHERE due_date < starts_at::DATE),
               count(*) FILTER (WHERE entitlement IN ('key_event_contact', 'needs_assessment')
                                AND NOT w.is_working_day),
               count(*)
        FROM victim_care_obligations o JOIN working_days w ON w.day = o.due_date
        """
    ).fetchone()
    assert bad[:5] == (0, 0, 0, 0, 0)  # working-day deadlines fall on working days
    assert bad[5] > 100_000


def test_obligation_ids_are_unique(demo_victims) -> None:  # type: ignore[no-untyped-def]
    (n, distinct) = demo_victims.execute(
        "SELECT count(*), count(DISTINCT obligation_id) FROM victim_care_obligations"
    ).fetchone()
    assert n == distinct


def test_victim_counts_add_up(demo_victims) -> None:  # type: ignore[no-untyped-def]
    (mismatch,) = demo_victims.execute(
        """
        SELECT count(*) FROM victim_care_victims v
        LEFT JOIN (SELECT crime_id, victim_id, count(*) FILTER (WHERE code_entitlement) AS due,
                          count(*) FILTER (WHERE code_entitlement AND NOT met) AS missed
                   FROM victim_care_obligations GROUP BY ALL) o USING (crime_id, victim_id)
        WHERE coalesce(o.due, 0) <> v.code_obligations_due
           OR coalesce(o.missed, 0) <> v.code_obligations_missed
        """
    ).fetchone()
    assert mismatch == 0


def test_december_2019_summary_is_plausible(demo_victims) -> None:  # type: ignore[no-untyped-def]
    s = summary(demo_victims, "2019-12")
    for pair in (
        s.vcc_compliance,
        s.code_compliance,
        s.hub_referral_rate,
        *s.code_compliance_by_entitlement.values(),
    ):
        assert pair.month.denominator > 100
        assert 0.3 < pair.month.value < 1.0  # type: ignore[operator]
    assert set(s.vcc_compliance_by_area) == {"North", "South"}
    assert s.open_investigations > s.overdue_reviews > 0


def test_audit_sample_on_the_demo(demo_victims) -> None:  # type: ignore[no-untyped-def]
    from forcepack.compliance import audit_sample

    sample = audit_sample(demo_victims, "2019Q4", seed=3)
    assert len(sample.cases) == AUDIT_SAMPLE_SIZE
    assert sum(sample.allocation.values()) == AUDIT_SAMPLE_SIZE
    share_north = sample.eligible["North"] / sum(sample.eligible.values())
    assert abs(sample.allocation["North"] - AUDIT_SAMPLE_SIZE * share_north) < 1
    assert sample.cases["outcome_at"].min().year == 2019
