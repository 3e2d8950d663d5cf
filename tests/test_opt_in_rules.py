"""Opt-in rules: stable, left out of the default selection, run when a selector names them.

TF402 (a data path written in the code) was right in 2 of 35 findings on the real
corpus, so a default run does not report it; a project that wants it selects it by code,
prefix, factor or ALL, as ruff's non-default rules are selected.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from twelvefold.config import Config, ConfigError, selected_codes
from twelvefold.engine import Target, run
from twelvefold.registry import all_rules

from tests.helpers import make_repo

_SERVICE = {
    "pyproject.toml": (
        '[project]\nname = "shop"\nversion = "1.0"\nrequires-python = ">=3.11"\n'
        'dependencies = ["pandas==2.2.2"]\n'
    ),
    "src/shop/__init__.py": "",
    "src/shop/features.py": (
        'import pandas as pd\n\n\ndef load():\n    return pd.read_csv("data/raw/customers.csv")\n'
    ),
}


def _codes(config: Config) -> set[str]:
    rules = all_rules()
    return selected_codes(
        config, list(rules), {code: rule.factor for code, rule in rules.items()}, "test"
    )


def test_the_default_selection_leaves_the_opt_in_rules_out() -> None:
    codes = _codes(Config())
    assert {"TF104", "TF207", "TF304", "TF402", "TF501", "TF805", "TF1204"}.isdisjoint(codes)
    assert {"TF301", "TF401", "TF1003"} <= codes


@pytest.mark.parametrize(
    ("config", "selected"),
    [
        (Config(extend_select=["TF402"]), True),
        (Config(extend_select=["tf402"]), True),
        (Config(select=["F4"]), True),
        (Config(select=["TF4"]), True),
        (Config(select=["ALL"]), True),
        (Config(select=["ALL"], ignore=["TF402"]), False),
        (Config(extend_select=["TF401"]), False),
        (Config(select=["F3"]), False),
    ],
)
def test_a_selector_naming_an_opt_in_rule_brings_it_in(config: Config, selected: bool) -> None:
    assert ("TF402" in _codes(config)) is selected


def test_an_opt_in_rule_reports_only_when_selected(tmp_path: Path) -> None:
    root = make_repo(tmp_path / "repo", _SERVICE)
    default = run([Target(root)], Config(kind="application"), jobs=1)
    assert not [f for f in default.findings if f.code == "TF402"]
    assert "TF402" not in {rule.code for rule in default.rules}
    chosen = run([Target(root)], Config(kind="application", extend_select=["TF402"]), jobs=1)
    assert [(f.code, f.path, f.line) for f in chosen.findings if f.code == "TF402"] == [
        ("TF402", "src/shop/features.py", 5)
    ]


def test_an_opt_in_rule_left_out_is_not_reported_as_turned_off(tmp_path: Path) -> None:
    import subprocess
    import sys

    root = make_repo(tmp_path / "repo", _SERVICE)
    done = subprocess.run(
        [sys.executable, "-m", "twelvefold", "check", "--fail-on", "never", str(root)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert "turned off" not in done.stdout + done.stderr
    ignored = make_repo(
        tmp_path / "ignored", {**_SERVICE, "twelvefold.toml": 'ignore = ["TF401"]\n'}
    )
    done = subprocess.run(
        [sys.executable, "-m", "twelvefold", "check", "--fail-on", "never", str(ignored)],
        capture_output=True,
        text=True,
        check=False,
    )
    # Only the rule the settings turned off is counted, not the five opt-in ones.
    total = sum(1 for rule in all_rules().values() if rule.default and not rule.preview)
    assert f"1 of {total} rules are turned off" in done.stdout + done.stderr


def test_a_preview_rule_named_without_preview_is_still_refused() -> None:
    with pytest.raises(ConfigError, match="TF306 is a preview rule"):
        _codes(Config(extend_select=["TF306"]))
