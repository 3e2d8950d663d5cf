"""Differences between supported Python versions, in one place."""

import sys

try:
    # Tomli is the standard library's `tomllib` (same code, same results); from 2.2.1 its
    # wheels are compiled with mypyc, about three times faster on a large `uv.lock` or
    # `poetry.lock` (the `fast` extra installs it).
    import tomli as tomllib
except ImportError:  # pragma: no cover - exercised without the `fast` extra
    if sys.version_info >= (3, 11):
        import tomllib
    else:
        raise

__all__ = ["tomllib"]
