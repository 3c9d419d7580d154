"""One vocabulary: each closed vocabulary is a StrEnum defined once, and the modules compare
against its members, never against strings of their own."""

from __future__ import annotations

import ast
import subprocess
import sys
from enum import StrEnum
from pathlib import Path
from typing import Any

import click
import duckdb
import ibis
import pytest

import forcepack
from forcepack.contract.derived_compliance import Entitlement
from forcepack.contract.types import ColumnType
from forcepack.contract.vocab import NAMED_PLACE_KINDS, PlaceKind, values
from forcepack.vocab import COUNT_KINDS, PROPORTION_KINDS, Kind

SRC = Path(forcepack.__file__).parent


# ---------------------------------------------------------------------------------------------
# No module compares a vocabulary's attribute with a raw string


def _strings(node: ast.expr) -> list[str]:
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return [node.value]
    if isinstance(node, ast.Tuple | ast.List | ast.Set):
        return [s for e in node.elts for s in _strings(e)]
    return []


def _compared_name(node: ast.expr) -> str | None:
    if isinstance(node, ast.Attribute):
        return node.attr
    if isinstance(node, ast.Name):
        return node.id
    return None


#: The modules the vocabularies were brought into (the dashboard follows separately).
AUDITED = (
    "measures",
    "compliance",
    "harm",
    "cli",
    "names.py",
    "sensitive.py",
)


def _audited_files() -> list[Path]:
    out: list[Path] = []
    for part in AUDITED:
        p = SRC / part
        out.extend(sorted(p.rglob("*.py")) if p.is_dir() else [p])
    return out


def test_no_audited_module_compares_a_kind_op_or_status_with_a_raw_string() -> None:
    found = []
    for path in _audited_files():
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.Compare):
                continue
            if _compared_name(node.left) not in ("op", "kind", "status", "role"):
                continue
            for right in node.comparators:
                if _strings(right):
                    found.append(f"{path.relative_to(SRC)}:{node.lineno} {_strings(right)}")
    assert not found, "compare with the vocabulary's members: " + "; ".join(found)


def _sql_literals() -> list[tuple[str, str]]:
    """Every string constant of forcepack's code (docstrings left out), with where it is."""
    out = []
    for path in sorted(SRC.rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        docstrings = {
            id(n.value)
            for n in ast.walk(tree)
            if isinstance(n, ast.Expr) and isinstance(n.value, ast.Constant)
        }
        for node in ast.walk(tree):
            if (
                isinstance(node, ast.Constant)
                and isinstance(node.value, str)
                and id(node) not in docstrings
            ):
                out.append((f"{path.relative_to(SRC)}:{node.lineno}", node.value))
    return out


def _vocabularies() -> list[type[StrEnum]]:
    from forcepack.contract import vocab
    from forcepack.contract.derived_harm import ExclusionReason

    return [
        Entitlement,
        ExclusionReason,
        vocab.PriorityGroup,
        vocab.ContactType,
        vocab.CrimeStatus,
        vocab.EventType,
        vocab.Grade,
        vocab.LoadStatus,
        vocab.AccessOutcome,
        vocab.DelayReason,
        vocab.Survey,
        vocab.CallTypeCategory,
        vocab.OrderType,
    ]


def test_no_sql_spells_a_contract_vocabulary_value_as_its_own_literal() -> None:
    """``entitlement = 'vcc_contact'`` is written ``entitlement = {lit(Entitlement...)}``."""
    wanted = {f"'{m.value}'": f"{e.__name__}.{m.name}" for e in _vocabularies() for m in e}
    found = [
        f"{where} {member}"
        for where, text in _sql_literals()
        if not where.startswith("contract")
        for literal, member in wanted.items()
        if literal in text
    ]
    assert not found, "use lit(<member>): " + "; ".join(found)


def test_the_sql_the_literals_are_written_into_is_unchanged() -> None:
    from forcepack.compliance.build import _victims_sql

    sql = _victims_sql("obligations", None)
    assert "count(*) FILTER (WHERE entitlement = 'vcc_contact') AS vcc_due" in sql
    assert "FILTER (WHERE entitlement = 'vcc_contact' AND NOT met) AS vcc_missed" in sql


# ---------------------------------------------------------------------------------------------
# Filter operators


def test_the_compiler_builds_every_operator() -> None:
    from forcepack.measures.compiler import condition
    from forcepack.measures.spec import Condition, Op

    t = ibis.table({"n": "int64", "flag": "boolean"}, name="t")
    values_of = {Op.IN: (1, 2), Op.NOT_IN: (1, 2), Op.IS_NULL: True}
    for op in Op:
        expr = condition(t, Condition("n", op, values_of.get(op, 1)))
        assert expr.type().is_boolean(), op
    assert condition(t, Condition("flag", Op.EQ, True)).equals(t.flag)


def test_the_catalogue_page_words_every_operator_by_its_member() -> None:
    from forcepack.measures.docs import _OPS, describe_conditions
    from forcepack.measures.spec import Condition, Op

    assert all(type(k) is Op for k in _OPS)
    assert set(_OPS) | {Op.IS_NULL} == set(Op)
    got = describe_conditions((Condition("grade", Op.NOT_IN, ("a", "b")),))
    assert got == "grade not in a, b"
    assert describe_conditions((Condition("x", Op.IS_NULL, False),)) == "x is not null"


# ---------------------------------------------------------------------------------------------
# Kinds of measure


def test_the_kind_groupings_are_defined_next_to_kind() -> None:
    from forcepack.cli import format as fmt
    from forcepack.measures import export

    assert {k for k in Kind if k.is_count} == COUNT_KINDS == {Kind.COUNT, Kind.LATEST}
    assert {k for k in Kind if k.is_proportion} == PROPORTION_KINDS == {Kind.SHARE, Kind.RATE}
    assert export.COUNT_KINDS is COUNT_KINDS and fmt.COUNT_KINDS is COUNT_KINDS
    assert not hasattr(fmt, "PERCENT_KINDS")
    assert fmt.value_formatter(Kind.LATEST) is fmt.count
    assert fmt.value_formatter("rate") is fmt.percent
    assert fmt.value_formatter(Kind.PER_1000) is fmt.decimal


# ---------------------------------------------------------------------------------------------
# Column types: one map, on ColumnType


def test_column_type_gives_every_spark_type_and_spark_keeps_no_map() -> None:
    from forcepack.measures import spark

    assert {t: t.spark for t in ColumnType} == {
        ColumnType.STRING: "string",
        ColumnType.INTEGER: "bigint",
        ColumnType.DOUBLE: "double",
        ColumnType.BOOLEAN: "boolean",
        ColumnType.DATE: "date",
        ColumnType.TIMESTAMP: "timestamp",
    }
    assert not hasattr(spark, "SPARK_TYPES")
    text = (SRC / "measures" / "spark.py").read_text(encoding="utf-8")
    assert '"bigint"' not in text and "ColumnType." not in text


# ---------------------------------------------------------------------------------------------
# The command line's choices are the vocabularies' values


def _option(command: click.Command, name: str) -> click.Parameter:
    return next(p for p in command.params if p.name == name)


def _choices(command: click.Command, name: str) -> tuple[Any, ...]:
    kind = _option(command, name).type
    assert isinstance(kind, click.Choice)
    return tuple(kind.choices)


def test_the_cli_choices_are_the_vocabularies_values() -> None:
    from forcepack.cli.harm import harm
    from forcepack.cli.options import EnumChoice
    from forcepack.cli.users import users
    from forcepack.dashboard.users import Role
    from forcepack.harm.weights import Duplicates
    from forcepack.harm.weights import Kind as WeightsKind

    assert isinstance(harm, click.Group) and isinstance(users, click.Group)
    build = harm.commands["build"]
    add = users.commands["add"]
    for command, name, vocabulary in (
        (build, "kind", WeightsKind),
        (harm.commands["weights"], "kind", WeightsKind),
        (build, "duplicates", Duplicates),
        (add, "role", Role),
    ):
        assert isinstance(_option(command, name).type, EnumChoice)
        assert _choices(command, name) == values(vocabulary)
    assert _choices(build, "kind") == ("cchi", "css")  # the CLI's spelling
    assert _choices(add, "role") == ("analyst", "area", "neighbourhood", "board")


def test_a_choice_is_checked_and_shown_as_before() -> None:
    from click.testing import CliRunner

    from forcepack.cli.main import cli

    # through the forcepack command, as a user runs it: click keeps a command's help option
    # once made, so asking the harm group alone would leave its commands without -h
    runner = CliRunner()
    shown = runner.invoke(cli, ["harm", "build", "--help"])
    assert "--kind [cchi|css]" in shown.output
    assert "--duplicates [median|min|max|error]" in shown.output
    refused = runner.invoke(cli, ["harm", "build", "--kind", "chi"])
    assert refused.exit_code == 2
    assert "'chi' is not one of 'cchi', 'css'" in refused.output


def test_the_top_level_help_still_loads_no_engine() -> None:
    """The choices' vocabularies are imported only when a command is run or its help shown."""
    code = (
        "import sys, contextlib, io\n"
        "from forcepack.cli.main import main\n"
        "with contextlib.redirect_stdout(io.StringIO()):\n"
        "    try:\n"
        "        main(['--help'])\n"
        "    except SystemExit:\n"
        "        pass\n"
        "print(sorted(m for m in ('pandas', 'duckdb', 'argon2') if m in sys.modules))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=120
    )
    assert done.stdout.strip() == "[]", done.stdout + done.stderr


def test_a_kept_file_prints_only_its_summary(capsys: pytest.CaptureFixture[str]) -> None:
    from forcepack.cli.ingest import _echo_result
    from forcepack.contract.vocab import LoadStatus
    from forcepack.ingest import LoadResult

    def result(status: LoadStatus) -> LoadResult:
        counts = dict(rows_read=0, rows_loaded=0, rows_quarantined=0, inserted=0, updated=0)
        return LoadResult(
            "L1",
            "crimes",
            "crimes.csv",
            "0" * 64,
            **counts,
            unchanged=0,
            status=status,
            extra_columns=("extra",),
            notes=("what the warehouse holds was kept",),
        )

    kept = result(LoadStatus.KEPT)
    _echo_result(kept)
    assert capsys.readouterr().out == kept.summary() + "\n"
    _echo_result(result(LoadStatus.LOADED))
    assert "extra columns reported, not loaded: extra" in capsys.readouterr().out


# ---------------------------------------------------------------------------------------------
# The kind of place a list is scoped to


def test_place_kind_spells_the_places_as_harm_levels_do() -> None:
    from forcepack.harm.score import Level

    assert values(PlaceKind) == ("area", "district", "neighbourhood", "force")
    assert NAMED_PLACE_KINDS == (PlaceKind.AREA, PlaceKind.DISTRICT, PlaceKind.NEIGHBOURHOOD)
    for kind in NAMED_PLACE_KINDS:
        assert Level(kind.value).value == kind.value


def test_a_scope_holds_a_place_kind_and_reads_as_before() -> None:
    from forcepack.sensitive import FORCE_WIDE, Scope, require_scope

    assert str(Scope(PlaceKind.AREA, "North", "North")) == "area North"
    district = Scope(PlaceKind.DISTRICT, "E07000008", "E07000008 Cambridge")
    assert str(district) == "district E07000008 Cambridge"
    assert str(Scope(PlaceKind.FORCE, "", "force-wide")) == FORCE_WIDE
    kind, value = require_scope(district="Cambridge", list_name="A list")
    assert kind is PlaceKind.DISTRICT and value == "Cambridge"
    kind, value = require_scope(force_wide=True, list_name="A list")
    assert kind is PlaceKind.FORCE and value is None


@pytest.fixture
def con(tmp_path: Path) -> duckdb.DuckDBPyConnection:
    from forcepack.warehouse import create

    c = duckdb.connect(str(create(tmp_path / "w.duckdb")))
    c.execute("DELETE FROM districts")
    c.execute("INSERT INTO districts VALUES ('D1', 'Riverside', 'Metro', 'F', 1000, 2019)")
    c.execute("INSERT INTO neighbourhoods VALUES ('N1', 'D1', 'Town Centre')")
    return c


def test_places_resolve_to_place_kinds(con: duckdb.DuckDBPyConnection) -> None:
    from forcepack.errors import InputError
    from forcepack.harm.lists import resolve_scope
    from forcepack.names import place_kind, resolve_place

    place = resolve_place(con, "district", "riverside")
    assert place.kind is PlaceKind.DISTRICT and place.label == "district D1 (Riverside)"
    assert resolve_place(con, PlaceKind.AREA, "metro").label == "area Metro"
    scope = resolve_scope(con, "neighbourhood", "n1")
    assert scope.kind is PlaceKind.NEIGHBOURHOOD and str(scope) == "neighbourhood N1 Town Centre"
    assert str(resolve_scope(con, "area", "METRO")) == "area Metro"
    force = resolve_scope(con, "force", None)
    assert force.kind is PlaceKind.FORCE and str(force) == "force-wide"
    with pytest.raises(InputError, match='place kind "force" is not one of area, district'):
        place_kind("force")
    with pytest.raises(InputError, match='place kind "county"'):
        resolve_place(con, "county", "x")
