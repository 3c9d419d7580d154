"""The measure catalogue and engine: declarative specs computed by Ibis on DuckDB or PySpark.

from forcepack.measures import compute
compute(["crime.recorded"], db="out/demo/warehouse.duckdb", window="rolling12", by="district")

The catalogue (``catalogue``, ``get``) loads without the engine; ``compute`` imports pandas,
DuckDB and Ibis on first use, so that listing or showing a measure stays fast.
"""

from __future__ import annotations

import sys
import types
from typing import TYPE_CHECKING, Any

from forcepack.measures.spec import Kind, MeasureSpec, Polarity, Window, WindowKind, catalogue, get

if TYPE_CHECKING:
    from forcepack.measures.compute import compute

__all__ = ["Kind", "MeasureSpec", "Polarity", "Window", "WindowKind", "catalogue", "compute", "get"]


def __getattr__(name: str) -> Any:
    if name == "compute":
        from forcepack.measures.compute import compute as function

        return function
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


class _Package(types.ModuleType):
    """Keeps ``forcepack.measures.compute`` the function once the submodule of that name is
    imported (importing a submodule sets the package's attribute to the module)."""

    def __setattr__(self, name: str, value: Any) -> None:
        if name == "compute" and isinstance(value, types.ModuleType):
            value = value.compute
        super().__setattr__(name, value)


sys.modules[__name__].__class__ = _Package
