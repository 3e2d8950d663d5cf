from __future__ import annotations

import ast
import os

import pytest
from twelvefold import sources

# Tests build git repositories: keep the developer's git configuration out of them.
os.environ.setdefault("GIT_CONFIG_NOSYSTEM", "1")


@pytest.fixture
def parses(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The paths of the Python modules parsed during a run."""
    parsed: list[str] = []
    real = ast.parse

    def recording(source: str, filename: str = "<unknown>", *args: object, **kw: object):  # type: ignore[no-untyped-def]
        parsed.append(filename)
        return real(source, filename, *args, **kw)  # type: ignore[arg-type]

    monkeypatch.setattr(sources.ast, "parse", recording)
    return parsed
