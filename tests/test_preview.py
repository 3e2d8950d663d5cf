"""Rule lifecycle: a preview rule runs only when preview is on.

A release that adds a rule must not fail a gate pinned to the previous release, so new
rules ship as `preview = True`: off unless `--preview` or `preview = true` in the
settings. The rule comes from a plugin here (the CLI runs in a subprocess with its own
registry), exactly as a built-in preview rule would behave.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.helpers import make_repo
from tests.test_plugins import PLUGIN_RULES, make_plugin, twelvefold

PREVIEW_RULES = PLUGIN_RULES.replace(
    '    prefilter = b"breakpoint("', '    prefilter = b"breakpoint("\n    preview = True'
)
PYPROJECT = '[project]\nname = "p"\nversion = "1"\nrequires-python = ">=3.11"\ndependencies = []\n'


@pytest.fixture
def site(tmp_path: Path) -> Path:
    body = PREVIEW_RULES.format(code="ACME101", name="breakpoint-left")
    return make_plugin(tmp_path / "site", "acme-rules", "acme_rules", body=body)


def project(root: Path, settings: str = "") -> Path:
    return make_repo(
        root,
        {
            "pyproject.toml": PYPROJECT + settings,
            "job.py": "def run(x):\n    breakpoint()\n    return x\n",
        },
    )


def codes(done) -> set[str]:
    return {finding["code"] for finding in json.loads(done.stdout)["findings"]}


def test_a_preview_rule_does_not_run_by_default(site: Path, tmp_path: Path) -> None:
    repo = project(tmp_path / "repo")
    done = twelvefold(site, "check", "--no-cache", "--output-format", "json", "--", str(repo))
    assert "ACME101" not in codes(done), done.stderr


def test_preview_flag_runs_it(site: Path, tmp_path: Path) -> None:
    repo = project(tmp_path / "repo")
    done = twelvefold(
        site, "check", "--no-cache", "--preview", "--output-format", "json", "--", str(repo)
    )
    assert "ACME101" in codes(done), done.stderr


def test_preview_setting_runs_it_and_no_preview_flag_wins(site: Path, tmp_path: Path) -> None:
    repo = project(tmp_path / "repo", "\n[tool.twelvefold]\npreview = true\n")
    on = twelvefold(site, "check", "--no-cache", "--output-format", "json", "--", str(repo))
    assert "ACME101" in codes(on), on.stderr
    off = twelvefold(
        site, "check", "--no-cache", "--no-preview", "--output-format", "json", "--", str(repo)
    )
    assert "ACME101" not in codes(off), off.stderr


def test_selecting_a_preview_rule_by_code_without_preview_is_a_usage_error(
    site: Path, tmp_path: Path
) -> None:
    repo = project(tmp_path / "repo")
    done = twelvefold(site, "check", "--no-cache", "--select", "ACME101", "--", str(repo))
    assert done.returncode == 2
    assert "ACME101 is a preview rule" in done.stderr and "--preview" in done.stderr
    # A prefix or ALL only widens the selection: the preview rule stays out, quietly.
    wide = twelvefold(site, "check", "--no-cache", "--select", "ALL", "-q", "--", str(repo))
    assert wide.returncode in (0, 1) and "ACME101" not in wide.stdout


def test_preview_must_be_a_boolean(tmp_path: Path) -> None:
    repo = project(tmp_path / "repo", '\n[tool.twelvefold]\npreview = "yes"\n')
    done = twelvefold(None, "check", "--no-cache", "--", str(repo))
    assert (
        done.returncode == 2 and "`tool.twelvefold.preview`: must be true or false" in done.stderr
    )


def test_rules_and_explain_show_the_status(site: Path) -> None:
    listing = twelvefold(site, "rules")
    line = next(line for line in listing.stdout.splitlines() if line.startswith("ACME101"))
    assert "preview" in line
    from twelvefold.registry import all_rules

    status = {code: rule.status() for code, rule in all_rules().items()}
    assert status["TF402"] == "opt-in" and status["TF301"] == "stable"
    for line in listing.stdout.splitlines():
        if line.startswith("TF"):
            assert status[line.split()[0]] in line.split(), line
    data = json.loads(twelvefold(site, "rules", "--output-format", "json").stdout)
    assert {rule["code"]: rule["status"] for rule in data}["ACME101"] == "preview"
    assert "Status: preview" in twelvefold(site, "explain", "ACME101").stdout
    assert "Status: stable" in twelvefold(site, "explain", "TF301").stdout
    assert 'Status: opt-in (stable, runs when selected: `extend-select = ["TF402"]`)' in (
        twelvefold(site, "explain", "TF402").stdout
    )
