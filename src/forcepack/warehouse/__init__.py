"""The embedded warehouse: a DuckDB file created from the data contract.

Only this package and the measure compiler open DuckDB connections. Commands that only read
open the file read-only, so they can run while nothing else writes and never change it.
"""

from forcepack.warehouse.core import connect, create, data_hash, table_counts

__all__ = ["connect", "create", "data_hash", "table_counts"]
