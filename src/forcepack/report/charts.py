"""Charts for the board paper: Altair specs rendered to SVG and PNG by vl-convert (no browser).

SPC charts follow Making Data Count: the monthly series, its mean and process limits, special
cause points coloured by whether they are improvement or concern (and shaped, so colour is not
the only cue), and the variation and assurance icons beside the chart. The palette is
Okabe-Ito, readable with the common colour-vision deficiencies. Every chart carries alt text
that states what it shows and its latest value.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

import altair as alt
import pandas as pd
import vl_convert as vlc

from forcepack.report import format as fmt
from forcepack.report.model import Chart, Table
from forcepack.report.units import Unit

#: Okabe-Ito palette (colour-blind safe), in the order series take it.
PALETTE = ("#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#000000")
#: Making Data Count point colours: common cause grey, improvement blue, concern orange.
POINT_COLOURS = {
    "common": "#7F7F7F",
    "improvement": "#0072B2",
    "concern": "#E69F00",
    "neutral": "#CC79A7",
}
POINT_SHAPES = {
    "common": "circle",
    "improvement": "diamond",
    "concern": "triangle-up",
    "neutral": "square",
}
POINT_LABELS = {
    "common": "Common cause",
    "improvement": "Special cause: improvement",
    "concern": "Special cause: concern",
    "neutral": "Special cause: neither better nor worse",
}
WIDTH, HEIGHT = 520, 190
FONT = "DejaVu Sans"


def _axis_format(unit: Unit, span: float | None = None, ticks: int = 6) -> str:
    """The value axis's label format; with the axis's ``span`` (top less bottom), a decimal
    place where whole labels would repeat (two minutes over six ticks would read 17, 18, 18,
    19, 19). Counts keep whole labels: their axes step by at least 1."""
    step = None if span is None else span / ticks
    if unit is Unit.SHARE:
        return ".1%" if step is not None and step < 0.01 else ".0%"
    if unit is Unit.MINUTES and step is not None and step < 1:
        return ",.1f"
    return ",.0f"


def _worded(value: float, unit: Unit) -> str:
    if unit is Unit.SHARE:
        return fmt.percent(value)
    if unit is Unit.MINUTES:
        return fmt.minutes(value)
    return fmt.number(value)


def _config(chart: alt.TopLevelMixin) -> alt.TopLevelMixin:
    return (
        chart.configure(font=FONT)
        .configure_view(stroke=None)
        .configure_axis(labelFontSize=10, titleFontSize=10, gridColor="#e5e5e5")
        .configure_legend(labelFontSize=10, titleFontSize=10, orient="bottom", labelLimit=0)
    )


#: The value axis's title when a chart is not given one: what the unit is.
UNIT_TITLES = {Unit.SHARE: "Per cent", Unit.MINUTES: "Minutes", Unit.COUNT: "Number"}


def _render(
    spec: dict,
    title: str,
    alt_text: str,
    caption: str | None,
    icons: Sequence[str] = (),
    table: Table | None = None,
) -> Chart:
    svg = vlc.vegalite_to_svg(spec)
    if icons:
        svg = _with_icons(svg, icons)
    return Chart(title=title, svg=svg, alt=alt_text, caption=caption, table=table)


def _table(title: str, columns: Sequence[str], rows: Sequence[Sequence[str]]) -> Table:
    """The chart's data as a table (the HTML's alternative to the picture)."""
    return Table(
        caption=f"{title}: the chart's data", columns=tuple(columns), rows=tuple(map(tuple, rows))
    )


def to_png(svg: str, scale: float = 2.0) -> bytes:
    """A chart's SVG as PNG (for Word, which does not take SVG everywhere)."""
    return bytes(vlc.svg_to_png(svg, scale=scale))


def _size(svg: str) -> tuple[float, float]:
    m = re.search(r'<svg[^>]*\bwidth="([\d.]+)"[^>]*\bheight="([\d.]+)"', svg)
    if not m:
        raise ValueError("chart SVG has no width and height")
    return float(m.group(1)), float(m.group(2))


def _with_icons(svg: str, icons: Sequence[str], size: float = 44.0) -> str:
    """Place icon SVGs in a column to the right of a chart SVG, as one SVG."""
    w, h = _size(svg)
    total_w = w + size + 12
    total_h = max(h, len(icons) * (size + 6))
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" '
        f'width="{total_w:.0f}" height="{total_h:.0f}" viewBox="0 0 {total_w:.0f} {total_h:.0f}">',
        _nested(svg, 0, 0, w, h),
    ]
    for i, icon in enumerate(icons):
        parts.append(_nested(icon, w + 8, 6 + i * (size + 6), size, size))
    parts.append("</svg>")
    return "".join(parts)


def _nested(svg: str, x: float, y: float, w: float, h: float) -> str:
    body = re.sub(r"<\?xml[^>]*\?>", "", svg).strip()
    vb = re.search(r'viewBox="([^"]+)"', body)
    viewbox = vb.group(1) if vb else None
    if viewbox is None:
        iw, ih = _size(body)
        viewbox = f"0 0 {iw:g} {ih:g}"
    inner = re.sub(r"^<svg[^>]*>", "", body, count=1)
    inner = re.sub(r"</svg>\s*$", "", inner)
    return (
        f'<svg x="{x:g}" y="{y:g}" width="{w:g}" height="{h:g}" viewBox="{viewbox}">{inner}</svg>'
    )


def spc_chart(
    title: str,
    points: pd.DataFrame,
    *,
    unit: Unit,
    target: float | None = None,
    icons: Sequence[str] = (),
    summary: str = "",
    caption: str | None = None,
    y_title: str | None = None,
) -> Chart:
    """An XmR chart: ``points`` has period_end, value, mean, ucl, lcl and kind per month.

    ``kind`` is ``common``, ``improvement`` or ``concern``. ``icons`` are SVG strings (variation,
    assurance) drawn beside the chart; ``summary`` is added to the alt text.
    """
    df = points.copy()
    df["period_end"] = pd.to_datetime(df["period_end"])
    df["month"] = df["period_end"].dt.to_period("M").dt.start_time
    df["kind_label"] = df["kind"].map(POINT_LABELS)
    x = alt.X(
        "month:T",
        title=None,
        axis=alt.Axis(format="%b %y", labelAngle=0, tickCount="month", labelOverlap=True),
    )
    lo = float(min(df["lcl"].min(), df["value"].min()))
    hi = float(max(df["ucl"].max(), df["value"].max()))
    if target is not None:
        lo, hi = min(lo, target), max(hi, target)
    pad = (hi - lo) * 0.08 or 1.0
    bottom, top = max(lo - pad, 0.0), hi + pad
    y_fmt = _axis_format(unit, top - bottom)
    y_scale = alt.Scale(domain=[bottom, top], zero=False)
    base = alt.Chart(df).encode(x=x)
    line = base.mark_line(color="#7F7F7F", strokeWidth=1.5).encode(
        y=alt.Y(
            "value:Q",
            title=y_title or UNIT_TITLES[unit],
            axis=alt.Axis(
                format=y_fmt,
                tickCount=6,
                tickMinStep=1 if unit is Unit.COUNT else alt.Undefined,
            ),
            scale=y_scale,
        )
    )
    mean = base.mark_line(color="#000000", strokeWidth=1).encode(y="mean:Q")
    limits = [
        base.mark_line(color="#555555", strokeDash=[4, 3], strokeWidth=1).encode(y=f"{c}:Q")
        for c in ("ucl", "lcl")
    ]
    kinds = [k for k in POINT_LABELS if k in set(df["kind"])]
    dots = base.mark_point(filled=True, size=55, opacity=1).encode(
        y="value:Q",
        color=alt.Color(
            "kind_label:N",
            title=None,
            scale=alt.Scale(
                domain=[POINT_LABELS[k] for k in kinds], range=[POINT_COLOURS[k] for k in kinds]
            ),
        ),
        shape=alt.Shape(
            "kind_label:N",
            title=None,
            scale=alt.Scale(
                domain=[POINT_LABELS[k] for k in kinds], range=[POINT_SHAPES[k] for k in kinds]
            ),
        ),
    )
    layers = [line, mean, *limits, dots]
    if target is not None:
        tgt = (
            alt.Chart(pd.DataFrame({"target": [target]}))
            .mark_rule(color="#D55E00", strokeDash=[8, 4], strokeWidth=1.5)
            .encode(y="target:Q")
        )
        layers.append(tgt)
    chart = alt.layer(*layers).properties(width=WIDTH, height=HEIGHT)
    spec = _config(chart).to_dict(validate=False)
    last = df.iloc[-1]
    first = df.iloc[0]
    alt_text = (
        f"{title}: statistical process control chart of {len(df)} monthly values from "
        f"{fmt.month(first['period_end'].date())} to {fmt.month(last['period_end'].date())}. "
        f"Latest value {_worded(float(last['value']), unit)}; mean "
        f"{_worded(float(last['mean']), unit)}, process limits "
        f"{_worded(float(last['lcl']), unit)} to {_worded(float(last['ucl']), unit)}."
        + (f" {summary}" if summary else "")
    )
    rows = [
        (
            fmt.month(r.period_end.date()),
            _worded(float(r.value), unit),
            _worded(float(r.mean), unit),
            _worded(float(r.lcl), unit),
            _worded(float(r.ucl), unit),
        )
        for r in df.itertuples()
    ]
    table = _table(title, ("Month", "Value", "Centre line", "Lower limit", "Upper limit"), rows)
    return _render(spec, title, alt_text, caption, icons, table)


def _subtitle(chart: alt.Chart, subtitle: str | None) -> alt.Chart:
    """The Analysis Function's subtitle (what is measured) above the plot, under the headline
    title the paper prints."""
    if not subtitle:
        return chart
    return chart.properties(
        title=alt.TitleParams(
            subtitle, anchor="start", fontSize=11, fontWeight="normal", color="#414042"
        )
    )


def trend_chart(
    title: str,
    data: pd.DataFrame,
    *,
    unit: Unit,
    caption: str | None = None,
    subtitle: str | None = None,
    y_title: str | None = None,
) -> Chart:
    """Lines over time, one per ``series``: ``data`` has period_end, series and value.
    ``subtitle`` says what is measured; ``y_title`` is the value axis title with its unit."""
    df = data.copy()
    df["period_end"] = pd.to_datetime(df["period_end"])
    df["month"] = df["period_end"].dt.to_period("M").dt.start_time
    series = list(dict.fromkeys(df["series"]))
    chart = (
        alt.Chart(df)
        .mark_line(point=alt.OverlayMarkDef(size=18), strokeWidth=1.8)
        .encode(
            x=alt.X(
                "month:T",
                title=None,
                axis=alt.Axis(format="%b %y", labelAngle=0, labelOverlap=True),
            ),
            y=alt.Y(
                "value:Q",
                title=y_title or UNIT_TITLES[unit],
                axis=alt.Axis(format=_axis_format(unit), tickCount=5),
                scale=alt.Scale(zero=False),
            ),
            color=alt.Color(
                "series:N",
                title=None,
                scale=alt.Scale(domain=series, range=list(PALETTE[: len(series)])),
                legend=alt.Legend() if len(series) > 1 else None,
            ),
            strokeDash=alt.StrokeDash("series:N", title=None, legend=None),
        )
        .properties(width=WIDTH, height=HEIGHT)
    )
    spec = _config(_subtitle(chart, subtitle)).to_dict(validate=False)
    latest = df.sort_values("period_end").groupby("series", sort=False).tail(1)
    parts = [f"{r.series} {_worded(float(r.value), unit)}" for r in latest.itertuples()]
    end = fmt.month(df["period_end"].max().date())
    alt_text = (
        f"{title}: line chart of {fmt.join(series)} from "
        f"{fmt.month(df['period_end'].min().date())} to {end}. Latest values ({end}): "
        f"{fmt.join(parts)}."
    )
    wide = df.pivot_table(index="month", columns="series", values="value", aggfunc="first")
    rows = [
        (fmt.month(m.date()), *(_worded(float(wide.at[m, c]), unit) for c in series))
        for m in wide.index
    ]
    return _render(spec, title, alt_text, caption, table=_table(title, ("Month", *series), rows))


def bar_chart(
    title: str,
    data: pd.DataFrame,
    *,
    unit: Unit,
    caption: str | None = None,
    subtitle: str | None = None,
    x_title: str | None = None,
) -> Chart:
    """Horizontal bars: ``data`` has category and value (e.g. delay reasons by incident type),
    each bar labelled with its value. ``subtitle`` says what is measured; ``x_title`` is the
    value axis title with its unit."""
    frame = data.assign(label=[_worded(float(v), unit) for v in data["value"]])
    base = alt.Chart(frame).encode(
        y=alt.Y("category:N", title=None, sort="-x"),
        x=alt.X(
            "value:Q",
            title=x_title or UNIT_TITLES[unit],
            axis=alt.Axis(format=_axis_format(unit), tickCount=5, tickMinStep=1)
            if unit is Unit.COUNT
            else alt.Axis(format=_axis_format(unit), tickCount=5),
        ),
    )
    bars = base.mark_bar(color=PALETTE[0])
    labels = base.mark_text(align="left", dx=3, fontSize=10, color="#000000").encode(text="label:N")
    chart = (bars + labels).properties(width=WIDTH - 120, height=22 * len(data))
    spec = _config(_subtitle(chart, subtitle)).to_dict(validate=False)
    parts = [f"{r.category} {_worded(float(r.value), unit)}" for r in data.itertuples()]
    alt_text = f"{title}: bar chart. {fmt.join(parts)}."
    rows = [(str(r.category), str(r.label)) for r in frame.itertuples()]
    return _render(
        spec,
        title,
        alt_text,
        caption,
        table=_table(title, ("Category", x_title or UNIT_TITLES[unit]), rows),
    )
