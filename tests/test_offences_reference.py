"""The shipped offence classification, checked against the verbatim sources beside it, and a
force's own offence list: validity dates, unknown codes, a superseding list."""

from __future__ import annotations

import csv
import re
from importlib import resources
from pathlib import Path

import pytest

from forcepack.contract.reference import rows as reference_rows
from forcepack.contract.spec import HO_GROUPS, POLICE_UK_CATEGORIES, TABLES
from forcepack.errors import DataError
from forcepack.ingest import load_extract
from forcepack.warehouse import connect, create
from ingest_helpers import CRIME_HEADER, crime, write_csv

SOURCES = resources.files("forcepack.contract").joinpath("reference", "sources")
#: The one data.police.uk category rule for codes the M-O-P-D join lacks (see sources/README.md).
GROUP_RULE = {"Fraud offences": "Other crime"}
VIOLENCE = "Violence and sexual offences"


def _ons() -> dict[str, tuple[str | None, str, str | None]]:
    """code -> (name, group, sub-group) from the ONS 2017/18 Cypher, parsed here independently."""
    text = SOURCES.joinpath("ons-crime-offence-2017-18.cypher").read_text(encoding="utf-8")
    label, parent = {}, {}
    for m in re.finditer(
        r"(?:MATCH \(parent:\S+ \{ code:'(?P<p>[^']*)' \}\)\s*WITH parent )?"
        r"CREATE \(node:\S+ \{ code:'(?P<c>[^']*)',label:'(?P<l>(?:[^'\\]|\\.)*)' \}\)",
        text,
    ):
        label[m["c"]] = m["l"].replace("\\'", "'")
        if m["p"]:
            parent[m["c"]] = m["p"]
    out: dict[str, tuple[str | None, str, str | None]] = {}
    for node in set(label) - set(parent.values()) - {"offence"}:
        path = [node]
        while path[-1] in parent:
            path.append(parent[path[-1]])
        path = path[-2::-1]  # group, [sub-group], leaf
        group = label[path[0]]
        if node.startswith("1-"):  # the combined homicide node
            for code in node.split("-"):
                out[code] = (None, group, label[node])
        else:
            out[node] = (label[node], group, label[path[1]] if len(path) == 3 else None)
    return out


def _mopd() -> dict[str, dict[str, str]]:
    text = SOURCES.joinpath("mopd-policeuk-ons-code-join.csv").read_text(encoding="utf-8")
    return {
        r["ONS_COUNTS_code"]: r
        for r in csv.DictReader(text.splitlines())
        if "/" not in r["ONS_COUNTS_code"]
    }


SHIPPED = {str(r["offence_code"]): r for r in reference_rows("offences")}
ONS = _ons()
MOPD = _mopd()
SOURCED = {c: r for c, r in SHIPPED.items() if not str(r["source"]).startswith("forcepack")}


def test_every_source_code_ships() -> None:
    assert len(ONS) == 139  # 136 leaves, the homicide node holding four codes
    assert set(ONS) | set(MOPD) <= set(SHIPPED)
    # beyond the sources, only codes forcepack shipped before (kept with their own source)
    for code in set(SHIPPED) - set(ONS) - set(MOPD):
        assert str(SHIPPED[code]["source"]).startswith("forcepack"), code


def test_sourced_rows_carry_the_sources_values() -> None:
    assert SOURCED, "the shipped list has rows taken from the sources"
    for code, row in SOURCED.items():
        if code in ONS:
            name, group, subgroup = ONS[code]
            assert row["offence_name"] == (name or MOPD[code]["ONS_COUNTS_description"]), code
            assert (row["ho_group"], row["ho_subgroup"]) == (group, subgroup), code
        else:
            assert row["offence_name"] == MOPD[code]["ONS_COUNTS_description"], code
            assert row["ho_subgroup"] is None, code
        category = MOPD.get(code, {}).get("POLICE_UK_CAT_MAP_category", "").strip()
        if category:
            assert str(row["police_uk_category"]).lower() == category.lower(), code
            assert "M-O-P-D 2021 hand match" in str(row["source"]), code
        else:
            assert row["police_uk_category"] == GROUP_RULE[str(row["ho_group"])], code
            assert "derived from the group" in str(row["source"]), code


def test_a_kept_row_that_differs_from_the_sources_says_what_they_have() -> None:
    kept = {c: r for c, r in SHIPPED.items() if str(r["source"]).startswith("forcepack")}
    assert len(kept) == 56  # the first forcepack list, kept whole
    for code, row in kept.items():
        source = str(row["source"])
        if code not in ONS and code not in MOPD:
            assert "not a code in ONS 2017/18" in source, code
            continue
        name = (ONS[code][0] if code in ONS else None) or MOPD[code]["ONS_COUNTS_description"]
        group = ONS[code][1] if code in ONS else None
        if "agrees with ONS" in source:
            assert row["ho_group"] == group, code
        homicide = code in ONS and ONS[code][0] is None  # ONS names only the combined node
        differs = name.lower().replace(" ", "") != str(row["offence_name"]).lower().replace(" ", "")
        if differs and not homicide:
            assert f'"{name}"' in source, code  # quotes what the source calls the code


def test_groups_and_categories_are_closed_vocabularies() -> None:
    groups = {g for _n, g, _s in ONS.values()}
    assert groups <= set(HO_GROUPS)
    assert {"Fraud offences", "Miscellaneous crimes against society"} <= set(HO_GROUPS)
    categories = {r["POLICE_UK_CAT_MAP_category"].strip().lower() for r in MOPD.values()}
    assert categories - {""} <= {c.lower() for c in POLICE_UK_CATEGORIES}
    assert {str(r["ho_group"]) for r in SHIPPED.values()} <= set(HO_GROUPS)


def test_only_the_legacy_fraud_codes_have_an_end_date() -> None:
    dated = {c for c, r in SHIPPED.items() if r["valid_to"] is not None}
    fraud = {c for c, (_n, _g, s) in ONS.items() if s == "Fraud offences to 2012/13"}
    assert dated == fraud and len(fraud) == 8
    assert {str(SHIPPED[c]["valid_to"]) for c in fraud} == {"2013-03-31"}
    assert all(r["valid_from"] is None for r in SHIPPED.values())
    assert TABLES["offences"].column("harm_days").nullable


@pytest.fixture
def db(tmp_path: Path) -> Path:
    from forcepack.demo.force_reference import install

    path = create(tmp_path / "w.duckdb")
    con = connect(path, read_only=False)
    try:
        install(con)
    finally:
        con.close()
    return path


def _quarantine(db: Path) -> list[tuple[str, str]]:
    con = connect(db)
    try:
        return [
            (str(rule), str(message))
            for rule, message in con.execute(
                "SELECT rule, message FROM quarantine ORDER BY row_number"
            ).fetchall()
        ]
    finally:
        con.close()


def test_a_code_used_after_its_end_date_is_quarantined(db: Path, tmp_path: Path) -> None:
    rows = [
        crime(1, offence_code="53B", recorded_at="2013-03-31 23:00:00"),
        crime(2, offence_code="53B", recorded_at="2013-04-01 08:00:00"),
    ]
    r = load_extract(db, "crimes", write_csv(tmp_path / "c.csv", CRIME_HEADER, rows))
    assert (r.rows_loaded, r.rows_quarantined) == (1, 1)
    [(rule, message)] = _quarantine(db)
    assert rule == "reference_date"
    assert "53B" in message and "not a valid offences code on 2013-04-01" in message


def test_an_unknown_code_is_quarantined_naming_the_offence_list(db: Path, tmp_path: Path) -> None:
    r = load_extract(
        db, "crimes", write_csv(tmp_path / "c.csv", CRIME_HEADER, [crime(1, offence_code="8Z")])
    )
    assert (r.rows_loaded, r.rows_quarantined) == (0, 1)
    [(rule, message)] = _quarantine(db)
    assert rule == "reference"
    assert "offence_code" in message and "8Z" in message
    assert "is not in offences.offence_code; add it to the force's offences list" in message
    assert "forcepack ingest offences FILE" in message


def test_a_force_list_supersedes_the_shipped_one(db: Path, tmp_path: Path) -> None:
    # a force's own list, with only the required columns: two codes, one of its own
    header = ["offence_code", "offence_name", "ho_group", "police_uk_category"]
    own = [
        ["8N", "Assault with injury", "Violence against the person", VIOLENCE],
        ["8Z", "A local code", "Miscellaneous crimes against society", "Other crime"],
    ]
    r = load_extract(db, "offences", write_csv(tmp_path / "o.csv", header, own))
    assert (r.rows_loaded, r.rows_quarantined) == (2, 0)
    assert any(f"{len(SHIPPED) - 1:,} offences row(s)" in n for n in r.notes), r.notes
    rows = [crime(1, offence_code="8Z"), crime(2, offence_code="46")]
    c = load_extract(db, "crimes", write_csv(tmp_path / "c.csv", CRIME_HEADER, rows))
    assert (c.rows_loaded, c.rows_quarantined) == (1, 1)  # 46 is no longer in the list
    con = connect(db)
    try:
        stored = con.execute(
            "SELECT offence_code, harm_days, ho_subgroup FROM offences ORDER BY 1"
        ).fetchall()
    finally:
        con.close()
    # columns the file leaves out keep their stored values; a new code has none
    kept = ("8N", SHIPPED["8N"]["harm_days"], SHIPPED["8N"]["ho_subgroup"])
    assert stored == [kept, ("8Z", None, None)]


def test_a_force_list_with_a_bad_group_is_refused_whole(db: Path, tmp_path: Path) -> None:
    header = ["offence_code", "offence_name", "ho_group", "police_uk_category"]
    bad = [["8N", "Assault with injury", "Violence", "Violence and sexual offences"]]
    with pytest.raises(DataError, match=r"ho_group .*Violence"):
        load_extract(db, "offences", write_csv(tmp_path / "o.csv", header, bad))
    con = connect(db)
    try:
        (n,) = con.execute("SELECT count(*) FROM offences").fetchone()  # type: ignore[misc]
    finally:
        con.close()
    assert n == len(SHIPPED)
