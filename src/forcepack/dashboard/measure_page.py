"""A measure's page: SPC chart, windows, drill-down by area -> district -> neighbourhood."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlencode

import duckdb
import pandas as pd

from forcepack import calendar
from forcepack.contract.vocab import NAMED_PLACE_KINDS, PlaceKind
from forcepack.dashboard.data import WINDOWS, Judgement, fmt_value
from forcepack.dashboard.scope import Place
from forcepack.dashboard.warehouse import View
from forcepack.errors import InputError
from forcepack.measures.spec import MeasureSpec
from forcepack.report import charts as charts_mod
from forcepack.report.units import unit_of
from forcepack.stats import assurance_icon, variation_icon
from forcepack.stats.icons import ASSURANCE_MEANING, VARIATION_MEANING
from forcepack.stats.vocab import Assurance, Variation


class Unknown(InputError):
    """A measure, window or month in the URL that the warehouse does not hold (404)."""


@dataclass
class Page:
    spec: MeasureSpec
    window: str
    windows: dict[str, str]
    place: Place | None
    crumbs: list[tuple[str, str]]
    month: dt.date
    value: str
    series: list[dict[str, Any]]
    children: list[dict[str, Any]]
    child_kind: str | None
    chart_svg: str
    chart_alt: str
    judgement: str
    icons: list[str]
    download: pd.DataFrame
    query: str
    months: list[dt.date] = field(default_factory=list)

    @property
    def scope_slug(self) -> str:
        return "" if self.place is None else f"-{self.place.kind}-{self.place.code}"

    @property
    def scope_label(self) -> str:
        return "Force" if self.place is None else f"{self.place.kind.title()} {self.place.label}"


def _place(v: View, params: dict[str, str]) -> Place | None:
    named = [(k, params[k]) for k in reversed(NAMED_PLACE_KINDS) if params.get(k)]
    if len(named) > 1:
        raise Unknown("give one of area, district or neighbourhood, not several")
    if not named:
        return None
    return v.places.find(*named[0])


def _cut_rows(
    con: duckdb.DuckDBPyConnection, v: View, spec: MeasureSpec, window: str, place: Place | None
) -> pd.DataFrame:
    """The rows of the series at ``place`` (force level when None)."""
    if place is None:
        return v.stored.frame(con, spec.id, window, ())
    dim = place.kind
    if dim not in spec.dimensions:
        raise Unknown(
            f"measure {spec.id} is not cut by {dim}; it is cut by " + ", ".join(spec.dimensions)
        )
    df = v.stored.frame(con, spec.id, window, (dim,))
    return df[df[dim] == place.name].reset_index(drop=True)


def _children(
    con: duckdb.DuckDBPyConnection,
    v: View,
    spec: MeasureSpec,
    window: str,
    place: Place | None,
    end: dt.date,
    params: dict[str, str],
) -> tuple[str | None, list[dict[str, Any]]]:
    kind = {
        None: PlaceKind.AREA,
        PlaceKind.AREA: PlaceKind.DISTRICT,
        PlaceKind.DISTRICT: PlaceKind.NEIGHBOURHOOD,
    }.get(place.kind if place else None)
    if kind is None or kind not in spec.dimensions:
        return None, []
    places = [
        p for p in v.places.table(kind).values() if place is None or v.places.contains(place, p)
    ]
    df = v.stored.frame(con, spec.id, window, (kind,))
    at = df[df["period_end"] == end].set_index(kind)
    rows = []
    for p in places:
        value = at["value"].get(p.name) if p.name in at.index else None
        n = at["n"].get(p.name) if p.name in at.index else None
        query = {"window": window, kind: p.code}
        rows.append(
            {
                "label": p.label,
                "href": f"/measures/{spec.id}?{urlencode(query)}",
                "value": fmt_value(None if pd.isna(value) else value, spec)
                if value is not None
                else "–",
                "n": "" if n is None or pd.isna(n) else f"{int(n):,}",
            }
        )
    return kind, rows


def _words(j: Judgement | None, spec: MeasureSpec) -> tuple[str, list[str]]:
    if j is None:
        return "Fewer than 12 months are stored: too few for process limits.", []
    text = "Monthly values, latest month: " + VARIATION_MEANING[Variation(j.variation)] + "."
    icons = [variation_icon(j.variation, size=48)]
    if j.assurance:
        text += (
            " "
            + ASSURANCE_MEANING[Assurance(j.assurance)]
            + (f" ({fmt_value(spec.target, spec)})." if spec.target is not None else ".")
        )
        icons.append(assurance_icon(j.assurance, size=48))
    last = j.points.iloc[-1]
    text += (
        f" Mean {fmt_value(float(last['mean']), spec)}; process limits "
        f"{fmt_value(float(last['lcl']), spec)} to {fmt_value(float(last['ucl']), spec)}."
    )
    return text, icons


def build(
    con: duckdb.DuckDBPyConnection,
    v: View,
    measure_id: str,
    params: dict[str, str],
    *,
    chart: bool = True,
) -> Page:
    spec = v.stored.specs.get(measure_id)
    if spec is None:
        raise Unknown(f'measure "{measure_id}" is not in the catalogue')
    window = params.get("window", "month")
    if window not in WINDOWS:
        raise Unknown(f'window "{window}" is not one of {", ".join(WINDOWS)}')
    place = _place(v, params)
    raw = _cut_rows(con, v, spec, window, place)
    rows = raw.sort_values("period_end")
    months = list(rows["period_end"])
    if not months:
        raise Unknown(f"measure {measure_id} has no stored values for this place")
    reported = v.stored.reporting_end
    end = max((m for m in months if reported is None or m <= reported), default=months[-1])
    if params.get("month"):
        text = params["month"]
        try:
            asked = calendar.parse(text)
        except InputError as err:
            raise Unknown(err.message, hint=err.hint) from None
        match = [m for m in months if calendar.Month.of(m) == asked]
        if not match:
            raise Unknown(
                f'month "{text}" is not a month of {measure_id} in the data '
                f"({months[0]:%Y-%m} to {months[-1]:%Y-%m})"
            )
        end = match[0]
    upto = rows[rows["period_end"] <= end]
    kind, children = _children(con, v, spec, window, place, end, params)
    scope_key = "force" if place is None else f"{place.kind}:{place.code}"
    monthly = rows if window == "month" else _cut_rows(con, v, spec, "month", place)
    monthly = monthly[monthly["period_end"] <= end]
    j = v.stored.judge(con, spec.id, monthly, scope_key)
    words, icons = _words(j, spec)
    drawn = _chart(spec, window, upto, j, place) if chart else ("", "")
    crumbs = [("Force", f"/measures/{spec.id}?window={window}")]
    if place is not None:
        area = v.places.areas[place.area]
        crumbs.append((area.label, f"/measures/{spec.id}?window={window}&area={area.code}"))
        if place.district:
            d = v.places.districts[place.district]
            crumbs.append((d.label, f"/measures/{spec.id}?window={window}&district={d.code}"))
        if place.kind is PlaceKind.NEIGHBOURHOOD:
            crumbs.append((place.label, ""))
    tail = upto.tail(24).iloc[::-1]
    series = [
        {
            "period": f"{r.period_end:%b %Y}",
            "value": fmt_value(None if pd.isna(r.value) else float(r.value), spec),
            "numerator": "" if pd.isna(r.numerator) else f"{r.numerator:,.0f}",
            "denominator": "" if pd.isna(r.denominator) else f"{r.denominator:,.0f}",
            "n": "" if pd.isna(r.n) else f"{int(r.n):,}",
        }
        for r in tail.itertuples()
    ]
    query = {"window": window}
    if place is not None:
        query[place.kind] = place.code
    last_value = upto["value"].iloc[-1]
    return Page(
        spec=spec,
        window=window,
        windows=WINDOWS,
        place=place,
        crumbs=crumbs,
        month=end,
        value=fmt_value(None if pd.isna(last_value) else float(last_value), spec),
        series=series,
        children=children,
        child_kind=kind,
        chart_svg=drawn[0],
        chart_alt=drawn[1],
        judgement=words,
        icons=icons,
        download=raw,
        query=urlencode(query),
        months=months,
    )


def _chart(
    spec: MeasureSpec, window: str, rows: pd.DataFrame, j: Judgement | None, place: Place | None
) -> tuple[str, str]:
    where = "force" if place is None else place.label
    title = f"{spec.title}, {where}, {WINDOWS[window]}"
    if window == "month" and j is not None:
        chart = charts_mod.spc_chart(title, j.points, unit=unit_of(spec), target=spec.target)
    else:
        data = rows.dropna(subset=["value"]).tail(36).assign(series=WINDOWS[window])
        chart = charts_mod.trend_chart(
            title, data[["period_end", "series", "value"]], unit=unit_of(spec)
        )
    return chart.svg, chart.alt
