"""The claims file: every judgement of the paper, with the evidence to reproduce its verdict.

Direction and significance words live only in ``sentences/judgement.toml``, reached only through
``Context.claim``; every claim's verdict is re-derived here from its own series and method with
the statistics functions, independently of the builder that made it.
"""

from __future__ import annotations

import json
import re
import tomllib
from importlib import resources
from pathlib import Path
from typing import Any

import pandas as pd
import pytest

from forcepack.report import build_paper, write_paper
from forcepack.report.inputs import demo_inputs_dir
from forcepack.stats import (
    Baseline,
    ChangePoint,
    Verdict,
    attribute_chart,
    count_change,
    detect_shift,
    recent_improvement,
    spc,
    trend,
    verdict_of,
)

#: Words of direction, trend or significance that only a claim may put in a sentence.
JUDGEMENT_WORDS = re.compile(
    r"\b(ris(e|es|en|ing)|rose|f(a|e)ll(s|en|ing)?|significant(ly)?|stable|improv\w*|"
    r"concern\w*|trend\w*|increas\w*|decreas\w*|deteriorat\w*|shift\w*)\b",
    re.IGNORECASE,
)
SENTENCES = resources.files("forcepack.report").joinpath("sentences")
SOURCE = Path(__file__).resolve().parents[1] / "src" / "forcepack" / "report"


def _templates() -> dict[str, dict[str, Any]]:
    return {
        f.name.removesuffix(".toml"): tomllib.loads(f.read_text("utf-8"))
        for f in SENTENCES.iterdir()
        if f.name.endswith(".toml")
    }


def _strings(group: str, table: dict[str, Any], prefix: str = "") -> list[tuple[str, str]]:
    out = []
    for k, v in table.items():
        if isinstance(v, dict):
            out += _strings(group, v, f"{prefix}{k}.")
        else:
            out.append((f"{group}.{prefix}{k}", str(v)))
    return out


#: Templates allowed to hold such words without a claim: none.
NOT_YET_CLAIMED: set[str] = set()


def test_no_template_outside_judgement_holds_a_direction_word() -> None:
    found = []
    for group, table in _templates().items():
        if group == "judgement":
            continue
        for key, text in _strings(group, table):
            if JUDGEMENT_WORDS.search(text) and key not in NOT_YET_CLAIMED:
                found.append(f"{key}: {JUDGEMENT_WORDS.search(text).group(0)!r}")  # type: ignore[union-attr]
    assert found == [], "direction words with no claim behind them:\n" + "\n".join(found)


def test_judgement_sentences_are_keyed_by_verdict_and_reached_only_by_claims() -> None:
    verdicts = {v.value for v in Verdict} | {"none"}
    for name, table in _templates()["judgement"].items():
        assert set(table) <= verdicts, f"judgement.{name} has variants {set(table) - verdicts}"
    users = [
        p.name for p in SOURCE.rglob("*.py") if re.search(r"""["']judgement\.""", p.read_text())
    ]
    assert users == ["builders.py"]  # Context.claim, and nothing else


def test_the_word_list_catches_what_it_should() -> None:
    for text in ("a statistically significant fall", "Recorded crime rose", "trending upwards"):
        assert JUDGEMENT_WORDS.search(text)
    for text in ("higher than both", "the lowest month in the data", "more crimes than"):
        assert not JUDGEMENT_WORDS.search(text)


def _dates(series: list[dict[str, Any]]) -> pd.Series:
    return pd.to_datetime(pd.Series([r["date"] for r in series]))


def _baseline(b: dict[str, Any]) -> Baseline:
    points = tuple(ChangePoint(pd.Timestamp(c["date"]), c["reason"]) for c in b["change_points"])
    return Baseline(points, b["n_points"])


def _chart(c: dict[str, Any]) -> Any:
    series = c["series"]
    if c["method"] == "xmr":
        return spc(
            [r["value"] for r in series],
            _dates(series),
            improvement=c["improvement"],
            baseline=_baseline(c["baseline"]),
            method=c["rules"],
            target=c["target"],
        )
    return attribute_chart(
        [r["numerator"] for r in series],
        [r["denominator"] for r in series] if c["method"] != "c" else None,
        _dates(series),
        chart=c["method"],
        improvement=c["improvement"],
        baseline=_baseline(c["baseline"]),
        method=c["rules"],
        target=c["target"],
    )


def rederive(c: dict[str, Any]) -> str | None:
    """The verdict of one claim, computed again from its own series and method."""
    method = c["method"]
    if method in ("xmr_moving_range", "poisson_exact"):
        got = count_change(
            [r["value"] for r in c["series"]], _dates(c["series"]), compare=c["compare"]
        )
        assert got.method.value == method, c["sentence"]
        result: Any = got
    elif method in ("xmr", "p", "pp", "u", "up", "c"):
        result = _chart(c)
    elif method == "sustained_run":
        result = detect_shift(_chart(c["chart"]))
        assert result is not None, c["sentence"]
    elif method == "recent_special_cause":
        result = recent_improvement(_chart(c["chart"]), points=c["points"])
    elif method == "mann_kendall":
        result = trend([r["value"] for r in c["series"]], _dates(c["series"]))
    else:
        raise AssertionError(f"unknown method {method} in claim {c['sentence']!r}")
    v = verdict_of(result)
    return None if v is None else v.value


def check_claims(doc: dict[str, Any], paper: Any) -> None:
    for c in doc["claims"]:
        for field in (
            "paragraph",
            "key",
            "sentence",
            "measure_id",
            "window",
            "cut",
            "method",
            "series",
            "baseline",
            "verdict",
        ):
            assert field in c, (field, c["sentence"])
        assert c["verdict"] in {v.value for v in Verdict}
        assert c["series"], c["sentence"]
        # the paragraph the claim names: its own number, or under a quoted commitment (whose
        # paragraphs carry none) the commitment's
        found = paper.by_key(c["key"])
        section = next(s for s in paper.all_sections() if found in s.blocks)
        assert c["paragraph"] == (found.number or section.number), c["sentence"]
        assert found.number or section.quote_title
        body = " ".join(b.text for b in section.blocks if getattr(b, "key", None) == c["key"])
        chart_captions = " ".join(
            b.caption or "" for s in paper.all_sections() for b in s.blocks if hasattr(b, "svg")
        )
        assert c["sentence"] in body or c["sentence"] in chart_captions
        assert c["phrase"] in c["sentence"]
        assert rederive(c) == c["verdict"], c["sentence"]


@pytest.fixture(scope="module")
def fake_paper(tmp_path_factory: pytest.TempPathFactory) -> Any:
    from force_helpers import create_force
    from test_report_render import fake_compute

    w = create_force(tmp_path_factory.mktemp("claims") / "warehouse.duckdb")
    return build_paper(w, "2019-12", inputs=demo_inputs_dir(), compute=fake_compute)


@pytest.mark.slow
def test_write_paper_writes_the_claims_file_beside_the_paper(
    fake_paper: Any, tmp_path: Path
) -> None:
    files = write_paper(fake_paper, tmp_path, "html")
    claims = tmp_path / "board-paper-2019-12.claims.json"
    assert claims in files
    doc = json.loads(claims.read_text("utf-8"))
    assert doc["month"] == "December 2019"
    keys = {c["key"] for c in doc["claims"]}
    assert {"demand.calls", "crime.recorded", "crime.domestic_abuse"} <= keys
    check_claims(doc, fake_paper)
    again = tmp_path / "again"
    write_paper(fake_paper, again, "html")
    assert (again / claims.name).read_bytes() == claims.read_bytes()


@pytest.mark.slow
def test_every_demo_claim_reproduces_from_its_own_series(
    demo_warehouse: Path, tmp_path: Path
) -> None:
    paper = build_paper(demo_warehouse, "2019-12", inputs=demo_inputs_dir())
    write_paper(paper, tmp_path, "html")
    doc = json.loads((tmp_path / "board-paper-2019-12.claims.json").read_text("utf-8"))
    assert len(doc["claims"]) >= 6
    check_claims(doc, paper)
