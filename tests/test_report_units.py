"""A measure's chart unit, control chart and direction of improvement are read from its spec,
wherever it is charted or judged: the paper, the dashboard and the public pack."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

import pytest

from forcepack import measures
from forcepack.measures import get
from forcepack.public import pack
from forcepack.report.assessed import share_reading
from forcepack.report.build_commitments import share_chart
from forcepack.report.spc_blocks import reading
from forcepack.report.units import Unit, unit_of
from forcepack.stats.vocab import ChartType, Polarity, chart_of
from forcepack.vocab import Kind
from report_helpers import monthly_shares

DEC19 = dt.date(2019, 12, 31)
#: 35 steady months of 75% (+/- 1 point) and a last month given by each test.
STEADY = [0.75 + (0.01 if i % 2 else -0.01) for i in range(35)]


def _respec(monkeypatch: pytest.MonkeyPatch, measure_id: str, **changes: object) -> None:
    """The catalogue's spec of ``measure_id`` with ``changes``, wherever it is looked up."""
    changed = replace(get(measure_id), **changes)  # type: ignore[arg-type]
    real = measures.get

    def fake(mid: str) -> measures.MeasureSpec:
        return changed if mid == measure_id else real(mid)

    monkeypatch.setattr(measures, "get", fake)
    monkeypatch.setattr(pack, "get", fake)


@pytest.mark.parametrize(
    ("measure_id", "unit"),
    [
        ("satisfaction.overall", "share"),  # a share in %
        ("outcomes.prosecution_possible_rate", "share"),  # a rate
        ("public.located_share", "share"),  # a share whose unit is "share", not "%"
        ("response.prompt.median_minutes", "minutes"),
        ("crime.recorded", "count"),
        ("demand.qa_backlog", "count"),  # a latest count
        ("crime.recorded_per_1000", "count"),
    ],
)
def test_a_measures_unit_is_read_from_its_spec(measure_id: str, unit: str) -> None:
    assert unit_of(get(measure_id)) == unit
    assert unit_of(measure_id) == unit  # by id, from the catalogue


def test_the_unit_follows_the_spec_not_the_measure_name() -> None:
    spec = get("crime.recorded")
    assert unit_of(replace(spec, kind=Kind.SHARE, unit="crimes")) is Unit.SHARE
    assert unit_of(replace(spec, kind=Kind.MEDIAN, unit="minutes")) is Unit.MINUTES
    assert unit_of(replace(spec, kind=Kind.MEAN, unit="%")) is Unit.SHARE


def test_a_control_chart_is_chosen_by_the_kind() -> None:
    assert chart_of(Kind.SHARE) is ChartType.PP and chart_of("rate") is ChartType.PP
    assert {chart_of(k) for k in Kind if k not in (Kind.SHARE, Kind.RATE)} == {ChartType.XMR}


def test_the_papers_spc_chart_is_in_the_measures_unit(monkeypatch: pytest.MonkeyPatch) -> None:
    minutes = [18.0 + (0.5 if i % 2 else -0.5) for i in range(35)] + [18.2]
    mid = "response.prompt.median_minutes"
    got = reading(monthly_shares(minutes), mid, DEC19, title="Response")
    assert "Latest value 18 minutes" in got.chart.alt
    # the same series, were the measure a count, is worded as a number
    _respec(monkeypatch, mid, kind=Kind.MEAN, unit="calls")
    got = reading(monthly_shares(minutes), mid, DEC19, title="Response")
    assert "Latest value 18;" in got.chart.alt and "minutes" not in got.chart.alt


def test_a_share_is_judged_on_its_p_prime_chart() -> None:
    ctx = monthly_shares([*STEADY, 0.755])
    _, result = share_reading(ctx, "investigations.da_bail_share")
    assert result.chart is ChartType.PP and ctx.said[0].record["method"] == "pp"
    chart = share_chart(result, "investigations.da_bail_share", "victims.bail", "within range")
    assert "75.5%" in chart.alt


def test_a_measure_that_is_no_proportion_is_judged_on_an_xmr_chart(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # were da_bail_share a mean (say, days), its values are charted as they are, as the
    # dashboard charts them, not as numerators out of denominators
    mid = "investigations.da_bail_share"
    _respec(monkeypatch, mid, kind=Kind.MEAN, unit="days")
    ctx = monthly_shares([*STEADY, 0.755])
    _, result = share_reading(ctx, mid)
    assert result.chart is ChartType.XMR and ctx.said[0].record["method"] == "xmr"
    chart = share_chart(result, mid, "victims.bail", "within range")
    assert "75.5%" not in chart.alt and "Latest value 1;" in chart.alt


#: Twelve ordinary months and a thirteenth far above them.
COUNTS = [50.0, 53, 48, 51, 47, 52, 49, 50, 54, 46, 51, 49, 95]
MONTHS = [dt.date(2018 + i // 12, i % 12 + 1, 1) for i in range(13)]


def test_the_public_pack_judges_a_catalogue_count_by_its_polarity(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    mid = "public.anti_social_behaviour"
    assert pack._judge(COUNTS, MONTHS, mid) == "special cause variation (higher)"  # neutral
    _respec(monkeypatch, mid, polarity=Polarity.LOWER_IS_BETTER)
    words = pack._judge(COUNTS, MONTHS, mid)
    assert words == "special cause variation of a concerning nature"
    _respec(monkeypatch, mid, polarity=Polarity.HIGHER_IS_BETTER)
    words = pack._judge(COUNTS, MONTHS, mid)
    assert words == "special cause variation of an improving nature"
    # a series that is no catalogue measure is judged neutral
    assert pack._judge(COUNTS, MONTHS, None) == "special cause variation (higher)"
