"""The public pack's two charts, in the board paper's palette and font: forces' rates sorted
(a bar each), and the force's monthly crimes (one tick per month). SVG through vl-convert, with
alt text stating every value shown."""

from __future__ import annotations

import datetime as dt

import altair as alt
import pandas as pd
import vl_convert as vlc

from forcepack.report import format as fmt
from forcepack.report.charts import FONT, PALETTE, WIDTH
from forcepack.report.model import Chart

#: Bar colour of the pack's own force; comparison forces take the second palette colour.
OWN, OTHER = PALETTE[0], PALETTE[4]


def _svg(chart: alt.TopLevelMixin) -> str:
    spec = (
        chart.configure(font=FONT)
        .configure_view(strokeWidth=0)
        .configure_axis(labelFontSize=10, grid=True, gridColor="#e6e6e6")
        .to_dict(validate=False)
    )
    return str(vlc.vegalite_to_svg(spec))


def rate_bars(title: str, data: pd.DataFrame, own: str) -> Chart:
    """Forces sorted by rate: ``data`` has label and per_1000; ``own`` is the pack's force."""
    df = data[["label", "per_1000"]].copy()
    df["who"] = ["this force" if lbl == own else "comparison" for lbl in df["label"]]
    order = list(df.sort_values("per_1000", ascending=False)["label"])
    chart = (
        alt.Chart(df)
        .mark_bar()
        .encode(
            y=alt.Y("label:N", title=None, sort=order),
            x=alt.X(
                "per_1000:Q",
                title="crimes per 1,000 residents",
                axis=alt.Axis(format=".1f", tickCount=6),
            ),
            color=alt.Color(
                "who:N",
                title=None,
                scale=alt.Scale(domain=["this force", "comparison"], range=[OWN, OTHER]),
            ),
        )
        .properties(width=WIDTH - 140, height=24 * len(df))
    )
    parts = [f"{r.label} {r.per_1000:.2f}" for r in df.sort_values("per_1000").itertuples()][::-1]
    alt_text = f"{title}: bar chart, highest first. {fmt.join(parts)}."
    return Chart(title, _svg(chart), alt_text)


def monthly_line(title: str, months: list[dt.date], values: list[float]) -> Chart:
    """One value a month (a line with a point each month, one axis label a month)."""
    df = pd.DataFrame({"month": pd.to_datetime(months), "value": values})
    chart = (
        alt.Chart(df)
        .mark_line(point=alt.OverlayMarkDef(size=30), color=OWN, strokeWidth=1.8)
        .encode(
            x=alt.X(
                "yearmonth(month):O",
                title=None,
                axis=alt.Axis(format="%b %y", labelAngle=0),
            ),
            y=alt.Y(
                "value:Q", title=None, axis=alt.Axis(format=",.0f"), scale=alt.Scale(zero=False)
            ),
        )
        .properties(width=WIDTH - 60, height=150)
    )
    parts = [f"{fmt.month(m)} {v:,.0f}" for m, v in zip(months, values, strict=True)]
    alt_text = f"{title}: line chart. {fmt.join(parts)}."
    return Chart(title, _svg(chart), alt_text)
