"""Shared fixtures: tiny composable warehouses and one session-scoped demo warehouse."""

from __future__ import annotations

from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"
POLICE_UK = SHARED / "data" / "police-uk"


@pytest.fixture
def empty_warehouse(tmp_path: Path) -> Path:
    """A new warehouse with the contract tables and shipped reference data, no force data."""
    from forcepack.warehouse import create

    return create(tmp_path / "warehouse.duckdb")
