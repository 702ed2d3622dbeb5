"""The package version, in one place: ``pyproject.toml`` reads it from here when building.

A constant, not ``importlib.metadata.version()``: that import alone added about
1,400 objects to every process using the SDK, which each full garbage collection
then walks (the pauses a web service sees in its tail latency).
"""

__all__ = ["VERSION"]

VERSION = "0.1.0"
