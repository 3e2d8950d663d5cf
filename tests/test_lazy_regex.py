"""Patterns compiled on first use behave as the compiled patterns they stand for."""

from __future__ import annotations

import re

from twelvefold.lazy_regex import LazyPattern, lazy_compile
from twelvefold.rule import literal_prefilter


def test_a_lazy_pattern_compiles_on_first_use_and_answers_like_re() -> None:
    lazy = lazy_compile(r"(?P<key>api_key)\s*=\s*(\w+)", re.IGNORECASE)
    assert isinstance(lazy, LazyPattern) and "search" not in vars(lazy)  # not compiled yet
    compiled = re.compile(lazy.pattern, lazy.flags)
    text = "x = 1\nAPI_KEY = abc\napi_key=def\n"
    assert lazy.search(text).group("key") == compiled.search(text).group("key")  # type: ignore[union-attr]
    assert "search" in vars(lazy)  # bound once: later calls skip __getattr__
    assert [m.span() for m in lazy.finditer(text)] == [m.span() for m in compiled.finditer(text)]
    assert lazy.sub("K", text) == compiled.sub("K", text)
    assert lazy.fullmatch("api_key = x") is not None and lazy.match("nope") is None
    assert lazy.findall(text) == compiled.findall(text)
    assert lazy.groupindex == compiled.groupindex  # anything else is the compiled pattern's


def test_an_invalid_pattern_fails_when_used_as_re_compile_would() -> None:
    broken = lazy_compile(r"(unclosed")
    try:
        broken.search("x")
    except re.error:
        pass
    else:  # pragma: no cover - the assertion below explains
        raise AssertionError("an invalid pattern must raise re.error when used")


def test_literal_prefilters_are_found_without_compiling() -> None:
    lazy = lazy_compile(rb"\.fit\(|mlflow|wandb")
    assert literal_prefilter(lazy) == (b".fit(", b"mlflow", b"wandb")
    assert "search" not in vars(lazy)
    with_class = lazy_compile(rb"fit[(]|mlflow")
    assert literal_prefilter(with_class) is with_class  # not all literals: kept as a regex
    assert literal_prefilter(re.compile(rb"a|b")) == (b"a", b"b")
