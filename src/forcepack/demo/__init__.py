"""The demo force: a synthetic Cambridgeshire-like force, generated from a seed.

``build_demo`` generates every contract table (January 2015 to December 2019 by default),
writes them as Parquet and loads a warehouse whose figures reproduce the model board paper's
(docs/calibration.md). ``forcepack.demo.scale`` generates many forces in bounded memory.
"""

from forcepack.demo.config import DemoConfig
from forcepack.demo.generate import GENERATED_TABLES, DemoResult, build_demo, generate_force

__all__ = ["GENERATED_TABLES", "DemoConfig", "DemoResult", "build_demo", "generate_force"]
