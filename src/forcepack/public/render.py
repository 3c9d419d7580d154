"""The public pack as files: ``public-pack-<force>-<YYYY-MM>.html``, ``.pdf`` and ``.csv``.

HTML from a Jinja2 template (self-contained: charts inline as SVG, no external request), PDF
from that HTML through WeasyPrint (A4, OFFICIAL on every page, fixed metadata dates so the same
figures give the same file), and the figures as one tidy CSV whose cells pass through
:func:`forcepack.outputs.defuse_frame`. LSOA counts below the suppression threshold are ``[c]``
everywhere.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pandas as pd
from jinja2 import Environment, PackageLoader, select_autoescape
from markupsafe import Markup

from forcepack import __version__
from forcepack.outputs import check_out, defuse_frame, replace_file, suppress
from forcepack.pdf import FIXED_DATE, pdf_from_html
from forcepack.public.charts import monthly_line, rate_bars
from forcepack.public.pack import MIN_MONTHS, PublicPack
from forcepack.report import format as fmt
from forcepack.settings import SUPPRESSION_THRESHOLD
from forcepack.vocab import Kind

MARKING = "OFFICIAL"
FORMATS = ("html", "pdf", "csv")
NOT_LOADED = "not loaded"


def _count(v: Any) -> str:
    return NOT_LOADED if v is None or pd.isna(v) else f"{float(v):,.0f}"


def _rate(v: Any) -> str:
    return NOT_LOADED if v is None or pd.isna(v) else f"{float(v):,.2f}"


def _share(v: Any) -> str:
    return NOT_LOADED if v is None or pd.isna(v) else fmt.percent(float(v))


def _shown(unit: Kind, v: Any) -> str:
    return {Kind.COUNT: _count, Kind.PER_1000: _rate, Kind.SHARE: _share}[unit](v)


def _blank(v: Any, show: Any) -> str:
    return "" if v is None or pd.isna(v) else show(v)


def _context(pack: PublicPack, created: str | None) -> dict[str, Any]:
    f = pack.force
    comp = pack.comparison
    chart = None
    if len(comp) > 1:
        chart = rate_bars(f"Crimes per 1,000 residents, {fmt.month(pack.month)}", comp, f.label)
    trend = None
    if len(pack.series) > 1:
        trend = monthly_line(
            f"{f.label}: crimes a month (usable months loaded)",
            list(pack.series["month"]),
            [float(v) for v in pack.series["crimes"]],
        )
    changed = pack.categories["change"].notna().any()
    return {
        "title": f"Public performance pack: {f.label}, {fmt.month(pack.month)}",
        "marking": MARKING,
        "force": f,
        "month_name": fmt.month(pack.month),
        "month_short": f"{pack.month:%b %Y}",
        "snapshot_dates": ", ".join(sorted({d for _, d in pack.snapshots})) or "unknown",
        "archives": ", ".join(pack.archives),
        "headlines": [
            {
                "name": h.name,
                "value": _shown(h.unit, h.value),
                "previous": _shown(h.unit, h.previous),
                "last_year": _shown(h.unit, h.last_year),
                "judgement": h.judgement,
            }
            for h in pack.headlines
        ],
        "min_months": MIN_MONTHS,
        "trend": _svg(trend),
        "chart": _svg(chart),
        "peer_names": fmt.join([p.force.label for p in pack.peers]) or "none loaded",
        "peer_method": pack.peer_method,
        "comparison": [
            {
                "label": r.label,
                "crimes": _count(r.crimes),
                "population": _count(r.population),
                "per_1000": _rate(r.per_1000),
                "role": r.role,
            }
            for r in comp.itertuples()
        ],
        "england_wales": pack.england_wales,
        "categories": [
            {
                "category": r.category,
                "crimes": _count(r.crimes),
                "previous": _count(r.previous),
                "change": NOT_LOADED if pd.isna(r.change) else f"{r.change:+,.0f}",
                "last_year": _count(r.last_year),
            }
            for r in pack.categories.head(8).itertuples()
        ],
        "categories_note": (
            "Changes are counts, not judged for significance."
            if changed
            else "The month before is not loaded or not usable, so no change is shown."
        ),
        "las": [
            {
                "local_authority": r.local_authority,
                "crimes": _count(r.crimes),
                "population": _blank(r.population, _count),
                "per_1000": _blank(r.per_1000, _rate),
            }
            for r in pack.local_authorities.itertuples()
        ],
        "lsoas": [
            {"lsoa": r.lsoa, "lsoa_name": r.lsoa_name, "shown": r.shown}
            for r in pack.lsoas.head(10).itertuples()
        ],
        "threshold": SUPPRESSION_THRESHOLD,
        "coverage": [
            {
                "month": f"{r.month:%b %Y}",
                "crimes": _count(r.crimes) if r.present else "missing",
                "located_share": _share(r.located_share) if r.present else "",
                "usable": "yes" if r.usable else "no",
            }
            for r in pack.coverage.itertuples()
        ],
        "caveats": pack.caveats,
        "files": ", ".join(name for name, _ in pack.snapshots) or "none",
        "version": __version__,
        "data_hash": pack.data_hash,
        "created": created,
    }


def _svg(chart: Any) -> Any:
    if chart is None:
        return None
    return {"svg": Markup(chart.svg), "alt": chart.alt}


def html_string(pack: PublicPack, *, css: str = "", created: str | None = None) -> str:
    env = Environment(
        loader=PackageLoader("forcepack.public", "templates"),
        autoescape=select_autoescape(["html", "j2"]),
        keep_trailing_newline=True,
    )
    ctx = _context(pack, created)
    ctx["css"] = Markup(f"<style>{css}</style>") if css else ""
    return env.get_template("pack.html.j2").render(**ctx)


def _page_css(pack: PublicPack) -> str:
    font = '"DejaVu Sans", Arial, sans-serif'
    footer = f"{pack.force.label} public pack, {fmt.month(pack.month)}"
    return f"""
@page {{
  size: A4; margin: 18mm 16mm 20mm 16mm; font-family: {font};
  @top-center {{ content: "{MARKING}"; font-family: {font}; font-size: 9pt; font-weight: bold; }}
  @bottom-center {{ content: "{MARKING}"; font-family: {font}; font-size: 9pt; font-weight: bold; }}
  @bottom-left {{ content: "{footer}"; font-family: {font}; font-size: 8pt; color: #333; }}
  @bottom-right {{ content: "Page " counter(page) " of " counter(pages);
                   font-family: {font}; font-size: 8pt; color: #333; }}
}}
p.marking {{ display: none; }}
h2 {{ break-after: avoid; }} tr {{ break-inside: avoid; }} figure {{ break-inside: avoid; }}
"""


def pdf_bytes(pack: PublicPack) -> bytes:
    """The pack as PDF bytes, through the paper's PDF step (fixed dates, repeatable bytes)."""
    return pdf_from_html(html_string(pack, css=_page_css(pack), created=FIXED_DATE))


def figures(pack: PublicPack) -> pd.DataFrame:
    """Every figure of the pack as one tidy table (section, item, measure, value, ...)."""
    f, m = pack.force, f"{pack.month:%Y-%m}"
    rows: list[dict[str, Any]] = []

    def add(section: str, item: str, measure: str, value: Any, **extra: Any) -> None:
        rows.append(
            {
                "force": f.falls_within,
                "month": m,
                "section": section,
                "item": item,
                "measure": measure,
                "value": value,
                "note": extra.get("note", ""),
            }
        )

    for h in pack.headlines:
        add("headline", h.name, "month", h.value, note=h.judgement)
        add("headline", h.name, "month_before", h.previous)
        add("headline", h.name, "year_before", h.last_year)
    for r in pack.comparison.itertuples():
        add("comparison", r.label, "crimes", r.crimes, note=r.role)
        add("comparison", r.label, "population_2011", r.population)
        add("comparison", r.label, "per_1000", r.per_1000)
    for r in pack.categories.itertuples():
        add("category", r.category, "crimes", r.crimes)
        add("category", r.category, "month_before", r.previous)
        add("category", r.category, "year_before", r.last_year)
    for r in pack.local_authorities.itertuples():
        add("local_authority", r.local_authority, "crimes", r.crimes)
        add("local_authority", r.local_authority, "per_1000", r.per_1000)
    for r in pack.lsoas.itertuples():
        add("lsoa", f"{r.lsoa} {r.lsoa_name}".strip(), "crimes", suppress(int(r.crimes)))
    add("provenance", "forcepack", "version", __version__)
    add("provenance", "public tables", "data_hash", pack.data_hash)
    for r in pack.coverage.itertuples():
        add("coverage", f"{r.month:%Y-%m}", "crimes", r.crimes, note="usable" if r.usable else "")
        add("coverage", f"{r.month:%Y-%m}", "located_share", r.located_share)
    df = pd.DataFrame(rows)
    df["value"] = [
        "" if v is None or (isinstance(v, float) and pd.isna(v)) else v for v in df["value"]
    ]
    return defuse_frame(df)


def write_pack(
    pack: PublicPack,
    out: Path,
    formats: tuple[str, ...] = FORMATS,
    *,
    force: bool = False,
    warehouse: Path | None = None,
) -> list[Path]:
    """Write the pack's files into ``out`` (each checked first); returns their paths."""
    paths = {
        f: check_out(out / f"{pack.stem}.{f}", force=force, warehouse=warehouse) for f in formats
    }
    written = []
    for kind, path in paths.items():
        with replace_file(path) as tmp:
            if kind == "html":
                tmp.write_text(html_string(pack), encoding="utf-8")
            elif kind == "pdf":
                tmp.write_bytes(pdf_bytes(pack))
            else:
                figures(pack).to_csv(tmp, index=False, lineterminator="\n")
        written.append(path)
    return written
