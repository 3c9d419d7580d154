"""forcepack's own bookkeeping tables (loads, quarantine, stored results, access log)."""

from __future__ import annotations

from forcepack.contract.columns import CONTRACT_TABLE
from forcepack.contract.types import DT, INT, TS, Column, D, Role, S, Table, register
from forcepack.contract.vocab import ACCESS_OUTCOMES, LOGGED_LOAD_STATUSES, AccessOutcome

_add = register

_add(
    Table(
        "load_log",
        Role.SYSTEM,
        "One row per load of a file: provenance that every output can cite.",
        (
            Column("load_id", S, "Load reference", nullable=False),
            Column("table_name", S, "Contract table loaded", nullable=False),
            Column("file_name", S, "File name as given", nullable=False),
            Column("file_size", INT, "File size in bytes", nullable=False),
            Column("sha256", S, "SHA-256 of the file's bytes", nullable=False),
            Column("rows_read", INT, "Data rows read", nullable=False),
            Column("rows_loaded", INT, "Rows that passed validation", nullable=False),
            Column("rows_quarantined", INT, "Rows rejected to the quarantine", nullable=False),
            Column("rows_inserted", INT, "Loaded rows new to the warehouse"),
            Column("rows_updated", INT, "Loaded rows that restated an existing record"),
            Column("rows_unchanged", INT, "Loaded rows identical to the stored record"),
            Column("started_at", TS, "When the load started (UTC)", nullable=False),
            Column("finished_at", TS, "When the load finished (UTC)"),
            Column("forcepack_version", S, "forcepack version that made the load", nullable=False),
            Column(
                "status",
                S,
                "Result of the load",
                nullable=False,
                enum=LOGGED_LOAD_STATUSES,
            ),
        ),
        key=("load_id",),
        date_column="started_at",
    )
)
_add(
    Table(
        "quarantine",
        Role.SYSTEM,
        "Rows rejected by validation, with the reason: nothing read is lost.",
        (
            Column("load_id", S, "Load the row came from", nullable=False),
            CONTRACT_TABLE,
            Column("file_name", S, "File name", nullable=False),
            Column(
                "row_number", INT, "Row number in the file (1 = first data row)", nullable=False
            ),
            Column("column_name", S, "Column that failed (null = the whole row)"),
            Column("value", S, "The value received, as text (truncated to 200 characters)"),
            Column("rule", S, "Validation rule that failed", nullable=False),
            Column("message", S, "What was wrong and what was allowed", nullable=False),
            Column("raw", S, "The whole row as read, as JSON"),
        ),
        key=(),
    )
)
_add(
    Table(
        "restatements",
        Role.SYSTEM,
        "History of changes to records restated by a later extract (reclassified, cancelled, "
        "given an outcome).",
        (
            Column("load_id", S, "Load that restated the record", nullable=False),
            CONTRACT_TABLE,
            Column("record_key", S, "Key of the record (key columns joined by |)", nullable=False),
            Column("column_name", S, "Column that changed", nullable=False),
            Column("old_value", S, "Value before, as text"),
            Column("new_value", S, "Value after, as text"),
        ),
        key=(),
    )
)
_add(
    Table(
        "access_log",
        Role.SYSTEM,
        "Every request for an OFFICIAL-SENSITIVE list, granted or refused: who, when, which "
        "list, for which scope, with what outcome and why, how many rows, written where. A "
        "warehouse made before `outcome` and `reason` existed gains them when it is opened for "
        "writing, or by `forcepack warehouse create` on it; its older rows are `granted`.",
        (
            Column("accessed_at", TS, "When the list was asked for (UTC)", nullable=False),
            Column("user_name", S, "Operating-system user who asked", nullable=False),
            Column(
                "list_name",
                S,
                "Which list (harm victims, harm offenders, breaches, audit sample)",
                nullable=False,
            ),
            Column(
                "scope",
                S,
                "Area, district or neighbourhood the list was built for (as asked, when refused)",
                nullable=False,
            ),
            Column(
                "period", S, "Month or quarter of the list (as asked, when refused)", nullable=False
            ),
            Column("rows", INT, "Rows written (0 when refused)", nullable=False),
            Column(
                "path",
                S,
                "Where the list was written, every link resolved (as asked when refused; empty "
                "when no file was asked for)",
            ),
            Column(
                "outcome",
                S,
                "granted (the list was written) or refused",
                nullable=False,
                enum=ACCESS_OUTCOMES,
                backfill=AccessOutcome.GRANTED.value,
            ),
            Column("reason", S, "Why the request was refused (empty when granted)"),
        ),
        key=(),
        date_column="accessed_at",
    )
)

_add(
    Table(
        "measure_results",
        Role.SYSTEM,
        "Computed measure results, keyed by measure definition and data hash, so that rebuilding "
        "the pack does not recompute what has not changed.",
        (
            Column(
                "cache_key",
                S,
                "Hash of engine version, definition, data, window, cut and backend",
                nullable=False,
            ),
            Column("measure_id", S, "Measure id", nullable=False),
            Column(
                "definition_hash",
                S,
                "Engine version and hash of the measure's definition (version:hash)",
                nullable=False,
            ),
            Column("data_hash", S, "Hash of the tables the measure reads", nullable=False),
            Column(
                "window_label",
                S,
                "Window label (month, rolling12, rolling:N, fytd); empty on the one row "
                "that records an empty result",
                nullable=False,
            ),
            Column(
                "dimensions",
                S,
                "Dimension values of the row, as a JSON list in the order of the cut",
                nullable=False,
            ),
            Column("period_end", DT, "Last day of the window's final month"),
            Column("value", D, "Value of the measure"),
            Column("numerator", D, "Numerator"),
            Column("denominator", D, "Denominator"),
            Column("n", INT, "Records behind the value"),
            Column("row_number", INT, "Order of the row within its result", nullable=False),
            Column("computed_at", TS, "When the result was computed (UTC)", nullable=False),
        ),
        key=(),
        date_column="computed_at",
    )
)
