"""The ``forcepack`` command: a thin shell over the library."""
