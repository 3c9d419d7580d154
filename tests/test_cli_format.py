"""Measure results as people read them (tables) and as programs read them (CSV, JSON)."""

from __future__ import annotations

import datetime as dt
import json
import math

import pandas as pd
import pytest

from forcepack.cli.format import count, decimal, integral_counts, percent, render_table, words
from forcepack.measures import export as ex

END = dt.date(2019, 12, 31)
KINDS = {
    "crime.recorded": "count",
    "satisfaction.overall": "share",
    "outcomes.prosecution_possible_rate": "rate",
    "response.immediate.median_minutes": "median",
    "harm.total_days": "sum",
    "crime.recorded_per_1000": "per_1000",
}
NAN = math.nan


def _frame() -> pd.DataFrame:
    rows = [
        # measure, value, numerator, denominator, n, previous month, last year
        ("crime.recorded", 70240.0, 70240.0, NAN, 70240, 69001.0, NAN),
        ("satisfaction.overall", 0.7632, 29.0, 38.0, 38, 0.744186, 0.75),
        ("outcomes.prosecution_possible_rate", 0.117012, 683.0, 5837.0, 5837, 0.08708, NAN),
        ("response.immediate.median_minutes", 17.833333, NAN, NAN, 1462, 18.0, 17.5),
        ("harm.total_days", 511739.5, 511739.5, NAN, 5576, 484083.0, NAN),
        ("crime.recorded_per_1000", 6.851962, 5868.0, 856397.0, 5868, 7.2, NAN),
    ]
    df = pd.DataFrame(
        rows,
        columns=[
            "measure_id",
            "value",
            "numerator",
            "denominator",
            "n",
            "value_previous_month",
            "value_last_year",
        ],
    )
    df.insert(1, "period_end", END)
    df.insert(2, "window", "month")
    df["n"] = df["n"].astype("Int64")
    return df


def _cells(text: str) -> dict[str, list[str]]:
    """The table's cells per measure id (columns split on runs of spaces)."""
    lines = text.rstrip("\n").splitlines()
    return {line.split()[0]: line.split()[1:] for line in lines[1:]}


def test_each_kind_has_its_format() -> None:
    assert count(70240.0) == "70,240" and count(1234567) == "1,234,567"
    assert count(511739.5) == "511,739.5" and count(NAN) == "" and count(None) == ""
    assert percent(0.7632) == "76.3%" and percent(1.0) == "100.0%" and percent(0) == "0.0%"
    assert decimal(17.833333) == "17.83" and decimal(18.0) == "18" and decimal(17.5) == "17.5"
    assert decimal(105.004) == "105" and decimal(12345.678) == "12,345.68"


def test_table_formats_values_by_the_measures_kind() -> None:
    text = render_table(_frame(), KINDS)
    assert "e+" not in text and "nan" not in text.lower()
    cells = _cells(text)
    # measure_id, period_end, window, value, numerator, [denominator], n, previous, [last year]
    assert cells["crime.recorded"] == [
        "2019-12-31", "month", "70,240", "70,240", "70,240", "69,001",
    ]  # fmt: skip
    assert cells["satisfaction.overall"] == [
        "2019-12-31", "month", "76.3%", "29", "38", "38", "74.4%", "75.0%",
    ]  # fmt: skip
    assert cells["outcomes.prosecution_possible_rate"][2:7] == [
        "11.7%", "683", "5,837", "5,837", "8.7%",
    ]  # fmt: skip
    # a median in minutes: no trailing zeros, in the comparison columns too
    assert cells["response.immediate.median_minutes"][2:] == ["17.83", "1,462", "18", "17.5"]
    assert cells["harm.total_days"][2:] == ["511,739.5", "511,739.5", "5,576", "484,083"]
    assert cells["crime.recorded_per_1000"][2:] == ["6.85", "5,868", "856,397", "5,868", "7.2"]


def test_csv_and_json_keep_precision_with_counts_as_integers() -> None:
    df = integral_counts(_frame(), KINDS)
    lines = ex.to_csv(df).splitlines()
    assert lines[1] == "crime.recorded,2019-12-31,month,70240,70240,,70240,69001,"
    assert lines[2] == "satisfaction.overall,2019-12-31,month,0.7632,29,38,38,0.744186,0.75"
    assert lines[4].startswith("response.immediate.median_minutes,2019-12-31,month,17.833333,,")
    assert lines[5].startswith("harm.total_days,2019-12-31,month,511739.5,511739.5,,5576,")
    records = json.loads(ex.to_json(df))
    first = records[0]
    assert (first["value"], first["numerator"], first["n"]) == (70240, 70240, 70240)
    assert all(isinstance(first[k], int) for k in ("value", "numerator", "n"))
    assert first["denominator"] is None and first["value_last_year"] is None
    share = records[1]
    assert share["value"] == 0.7632 and isinstance(share["denominator"], int)
    assert records[4]["numerator"] == 511739.5  # a sum of days that is not whole stays so


@pytest.mark.parametrize(
    ("code", "shown"),
    [
        ("hate_crime", "Hate crime"),
        ("key_event_contact", "Key event contact"),
        ("Violence against the person", "Violence against the person"),
        ("DVDS_ask", "DVDS_ask"),
        ("burglary", "burglary"),
    ],
)
def test_codes_in_words(code: str, shown: str) -> None:
    assert words(code) == shown
