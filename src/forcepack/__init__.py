"""forcepack: a police force's monthly performance pack from its own records."""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("forcepack")
except PackageNotFoundError:  # running from a source tree that is not installed
    __version__ = "0.0.0+unknown"

__all__ = ["__version__"]
