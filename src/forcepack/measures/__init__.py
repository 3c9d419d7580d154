"""The measure catalogue and engine: declarative specs computed by Ibis on DuckDB or PySpark.

from forcepack.measures import compute
compute(["crime.recorded"], db="out/demo/warehouse.duckdb", window="rolling12", by="district")
"""

from forcepack.measures.compute import catalogue, compute, get
from forcepack.measures.spec import Kind, MeasureSpec, Polarity, Window, WindowKind

__all__ = ["Kind", "MeasureSpec", "Polarity", "Window", "WindowKind", "catalogue", "compute", "get"]
