"""The JSON schema of `[tool.twelvefold]`: shipped in the package, generated from the
settings table, and in agreement with the parser (what one refuses, the other refuses)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from twelvefold.compat import tomllib
from twelvefold.config import SETTINGS, ConfigError, parse_config
from twelvefold.config_schema import SCHEMA_FILE, schema_text, settings_schema

ROOT = Path(__file__).resolve().parent.parent

VALID: list[dict[str, Any]] = [
    {},
    {"select": ["TF2", "F3"], "ignore": "TF104", "extend-select": ["config"]},
    {"per-file-ignores": {"tests/**": ["TF301"], "notebooks/*": "TF104"}},
    {"exclude": ["data/**"], "fail-on": "error", "preview": True},
    {"severity": {"TF202": "error"}, "kind": "library", "roles": {"tools/*.py": "script"}},
    {"options": {"hard-coded-secret": {"allow": []}}},
]

INVALID: list[dict[str, Any]] = [
    {"selec": ["TF3"]},
    {"select": [3]},
    {"fail-on": "sometimes"},
    {"severity": {"TF202": "fatal"}},
    {"kind": "monorepo"},
    {"roles": {"tools/*.py": "helper"}},
    {"preview": "yes"},
    {"per-file-ignores": ["tests/**"]},
    {"options": {"hard-coded-secret": True}},
]


def validator() -> jsonschema.Draft7Validator:
    schema = json.loads(SCHEMA_FILE.read_text(encoding="utf-8"))
    jsonschema.Draft7Validator.check_schema(schema)
    return jsonschema.Draft7Validator(schema)


def test_the_shipped_schema_is_generated_from_the_settings_table() -> None:
    assert SCHEMA_FILE.read_text(encoding="utf-8") == schema_text(), (
        "regenerate: python -m twelvefold.config_schema"
    )
    assert set(settings_schema()["properties"]) == set(SETTINGS)


@pytest.mark.parametrize("table", VALID, ids=lambda t: ",".join(t) or "empty")
def test_valid_settings_pass_both(table: dict[str, Any]) -> None:
    assert list(validator().iter_errors(table)) == []
    parse_config(table, "pyproject.toml", prefix="tool.twelvefold.")


@pytest.mark.parametrize("table", INVALID, ids=",".join)
def test_invalid_settings_fail_both(table: dict[str, Any]) -> None:
    assert list(validator().iter_errors(table)) != []
    with pytest.raises(ConfigError):
        parse_config(table, "pyproject.toml", prefix="tool.twelvefold.")


def test_this_repository_settings_match_the_schema() -> None:
    data = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    assert list(validator().iter_errors(data["tool"]["twelvefold"])) == []
