"""A hostile pull request must not switch the gate off (issue 13).

Each test builds one attack as a committed git repository beside a real violation (a
hard-coded AWS key) and runs the real CLI on it: option-like file names, output paths
that are committed symlinks or hard links, relabelled baseline entries, malformed
baselines, and settings that turn rules, paths or the exit code off without a word.
"""

from __future__ import annotations

import html
import json
import os
from pathlib import Path

import pytest

from tests.helpers import TABLE_OUTPUT, git, make_repo, run_cli

AWS_KEY = "AKIA" + "Q7ZP3MDKW9RTX2VB"
SETTINGS_LINE = f'AWS_ACCESS_KEY_ID = "{AWS_KEY}"\n'
PYPROJECT = '[project]\nname = "p"\nversion = "1"\nrequires-python = ">=3.11"\ndependencies = []\n'
F3_ONLY = '[tool.twelvefold]\nselect = ["F3"]\n'


run = run_cli


@pytest.fixture
def leaky(tmp_path: Path) -> Path:
    return make_repo(
        tmp_path / "repo",
        {"pyproject.toml": PYPROJECT + F3_ONLY, "src/settings.py": SETTINGS_LINE},
    )


# -- 1. option injection through file names ------------------------------------------


@pytest.mark.parametrize(
    "name", ["--fail-on=never", "--ignore=ALL", "--select=TF1204", "--write-baseline=x.json"]
)
def test_a_file_named_like_an_option_is_never_read_as_one(
    leaky: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, name: str
) -> None:
    (leaky / name).write_text("", encoding="utf-8")
    git(leaky, "add", "-A")
    git(leaky, "commit", "-qm", "x")
    monkeypatch.chdir(leaky)
    # As pre-commit calls it with no `--`: refused, exit 2, nothing written.
    code, _, err = run(capsys, "check", name, "src/settings.py")
    assert code == 2 and "is both an option and a file" in err
    assert not (leaky / "x.json").exists()
    # With `--` (the hook's default args): a file, and the key is reported.
    code, out, _ = run(capsys, "check", "--", name, "src/settings.py")
    assert code == 1 and "src/settings.py:1" in out and "TF301" in out


def test_options_still_work_when_no_file_has_their_name(
    leaky: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(leaky)
    code, out, _ = run(capsys, "check", "--fail-on=never", "--", "src/settings.py")
    assert code == 0 and "TF301" in out
    assert "fail-on = never: no finding fails the run" in out


def test_the_action_passes_the_path_after_the_end_of_options_marker() -> None:
    import yaml

    root = Path(__file__).resolve().parent.parent
    action = yaml.safe_load((root / "action.yml").read_text(encoding="utf-8"))
    script = next(step["run"] for step in action["runs"]["steps"] if step.get("id") == "check")
    calls = [line for line in script.splitlines() if "-m twelvefold check" in line]
    assert len(calls) == 1  # one run: the log, the summary and the SARIF
    assert calls[0].rstrip().endswith('-- "$INPUT_PATH"')


# -- 3. output paths never follow committed symlinks ---------------------------------


@pytest.mark.parametrize(
    ("option", "name"),
    [
        ("--output", "twelvefold.sarif"),
        ("--write-baseline", ".twelvefold-baseline.json"),
        ("--output", "gl-code-quality-report.json"),
    ],
)
def test_output_through_a_committed_symlink_is_refused(
    tmp_path: Path,
    leaky: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    option: str,
    name: str,
) -> None:
    victim = tmp_path / "outside" / "bashrc"
    victim.parent.mkdir()
    victim.write_text("export PATH=/usr/bin\n", encoding="utf-8")
    (leaky / name).symlink_to(victim)
    git(leaky, "add", "-A")
    git(leaky, "commit", "-qm", "link")
    monkeypatch.chdir(leaky)
    code, _, err = run(capsys, "check", option, name, "--output-format", "sarif")
    assert code == 2 and "symlink" in err
    assert victim.read_text(encoding="utf-8") == "export PATH=/usr/bin\n"


def test_output_under_a_symlinked_folder_is_refused(
    tmp_path: Path, leaky: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    outside = tmp_path / "outside"
    outside.mkdir()
    (leaky / "reports").symlink_to(outside)
    monkeypatch.chdir(leaky)
    code, _, err = run(capsys, "check", "--output", "reports/twelvefold.sarif")
    assert code == 2 and "reports is a symlink" in err
    assert list(outside.iterdir()) == []


def test_output_into_a_hard_linked_file_is_refused(
    tmp_path: Path, leaky: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    other = tmp_path / "other-name"
    other.write_text("keep\n", encoding="utf-8")
    os.link(other, leaky / "report.json")
    monkeypatch.chdir(leaky)
    code, _, err = run(capsys, "check", "--output", "report.json", "--output-format", "json")
    assert code == 2 and "hard links" in err
    assert other.read_text(encoding="utf-8") == "keep\n"


def test_a_plain_output_file_is_written_and_replaced(
    leaky: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(leaky)
    (leaky / "report.json").write_text("x" * 100_000, encoding="utf-8")
    code, _, _ = run(capsys, "check", "--output", "report.json", "--output-format", "json")
    assert code == 1
    document = json.loads((leaky / "report.json").read_text(encoding="utf-8"))
    assert [f["code"] for f in document["findings"]] == ["TF301"]


# -- 4. a baseline entry excuses only its own finding --------------------------------


def _baseline(leaky: Path, capsys: pytest.CaptureFixture[str]) -> tuple[Path, dict]:
    path = leaky / ".twelvefold-baseline.json"
    code, _, _ = run(capsys, "check", str(leaky), "--write-baseline", str(path))
    assert code == 0
    return path, json.loads(path.read_text(encoding="utf-8"))


def test_a_relabelled_baseline_entry_hides_nothing(
    leaky: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path, document = _baseline(leaky, capsys)
    [entry] = document["findings"]
    entry.update(code="TF999", path="docs/conf_helper.py", message="harmless")
    path.write_text(json.dumps(document), encoding="utf-8")
    code, out, _ = run(capsys, "check", str(leaky), "--baseline", str(path))
    assert code == 1 and "src/settings.py:1" in out and "TF301" in out
    assert "0 findings suppressed by the baseline" in out
    assert "1 baseline entry" in out and "name no known rule" in out

    # Same code, another file: the entry is stale, the finding is reported.
    entry.update(code="TF301", path="docs/conf_helper.py")
    path.write_text(json.dumps(document), encoding="utf-8")
    code, out, _ = run(capsys, "check", str(leaky), "--baseline", str(path))
    assert code == 1 and "src/settings.py:1" in out
    assert "docs/conf_helper.py: TF301 baseline entry no longer found" in out


@pytest.mark.parametrize("output_format", ["text", "json", "sarif", "github", "markdown", "junit"])
def test_every_format_says_how_many_findings_the_baseline_suppressed(
    leaky: Path, capsys: pytest.CaptureFixture[str], output_format: str
) -> None:
    path, _ = _baseline(leaky, capsys)
    code, out, _ = run(
        capsys, "check", str(leaky), "--baseline", str(path), "--output-format", output_format
    )
    assert code == 0
    assert "1 finding suppressed by the baseline" in out


def test_gitlab_shows_the_baseline_suppression_as_an_issue(
    leaky: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path, _ = _baseline(leaky, capsys)
    code, out, _ = run(
        capsys, "check", str(leaky), "--baseline", str(path), "--output-format", "gitlab"
    )
    assert code == 0
    descriptions = [issue["description"] for issue in json.loads(out)]
    assert any("1 finding suppressed by the baseline" in text for text in descriptions)


# -- 8. settings that switch the gate off are named in the report --------------------


@pytest.mark.parametrize(
    ("settings", "said"),
    [
        ('ignore = ["ALL"]\n', "rules are turned off (ignore = ALL)"),
        ('exclude = ["**"]\n', "paths excluded from the audit: **"),
        ('fail-on = "never"\n', "fail-on = never: no finding fails the run"),
        ('[severity]\nTF301 = "info"\n', "severities changed: TF301 error -> info"),
        ('[per-file-ignores]\n"src/*" = ["TF301"]\n', "rules turned off for some paths: src/*"),
    ],
)
@pytest.mark.parametrize("output_format", ["text", "json", "sarif", "github", "markdown", "junit"])
def test_settings_that_disable_checks_are_named_in_every_format(
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    settings: str,
    said: str,
    output_format: str,
) -> None:
    repo = make_repo(
        tmp_path / "repo",
        {
            "pyproject.toml": PYPROJECT,
            ".twelvefold.toml": settings,
            "src/settings.py": SETTINGS_LINE,
        },
    )
    _, out, _ = run(capsys, "check", str(repo), "--output-format", output_format)
    # Markdown escapes `*`, XML writes `>` as `&gt;`: read the text as a reader would.
    out = html.unescape(out).replace("\\", "")
    assert said in out
    if output_format != "github":  # github names the file on its summary line
        assert "settings: .twelvefold.toml" in out
    else:
        assert out.rstrip().endswith("settings: .twelvefold.toml")


def test_a_shadowed_config_file_is_named(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    repo = make_repo(
        tmp_path / "repo",
        {
            "pyproject.toml": PYPROJECT + '[tool.twelvefold]\nselect = ["ALL"]\n',
            ".twelvefold.toml": 'select = ["F1"]\n',
            "src/settings.py": SETTINGS_LINE,
        },
    )
    _, out, _ = run(capsys, "check", str(repo))
    assert "settings: .twelvefold.toml" in out
    assert "pyproject.toml also holds twelvefold settings and is ignored" in out


def test_nothing_checked_is_na_never_pass(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    repo = make_repo(
        tmp_path / "repo",
        {"twelvefold.toml": 'exclude = ["**"]\n', "src/settings.py": SETTINGS_LINE},
    )
    _, out, _ = run(capsys, "check", str(repo), "--output-format", "json")
    scorecard = json.loads(out)["summary"]["scorecard"]
    assert {entry["status"] for entry in scorecard.values()} == {"n/a"}


def test_quiet_text_keeps_findings_on_stdout_and_warnings_on_stderr(
    leaky: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = run(capsys, "check", str(leaky), "--quiet", "--fail-on", "never")
    assert code == 0 and out.splitlines() == [
        "src/settings.py:1:22: TF301 AWS access key ID hard-coded: 'AKIA…(20 chars)'"
    ]
    assert "twelvefold: warning: fail-on = never" in err
    assert "settings:" not in err  # the info notice is not a warning


def test_default_settings_say_so_and_disable_nothing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    repo = make_repo(tmp_path / "repo", {"src/settings.py": SETTINGS_LINE})
    _, out, _ = run(capsys, "check", str(repo), "--output-format", "json")
    assert json.loads(out)["notices"] == [
        {"level": "info", "message": "settings: defaults (no config file)"}
    ]


# -- 9. malformed baselines: one line, exit 2 ----------------------------------------


@pytest.mark.parametrize(
    ("content", "said"),
    [
        ('{"tool": "twelvefold", "version": 1, "findings": 5}', '"findings" must be a list'),
        ('{"tool": "twelvefold", "version": 1, "findings": true}', '"findings" must be a list'),
        ("[" * 100_000 + "]" * 100_000, "nested too deeply"),
        (
            '{"tool": "twelvefold", "version": 1, "findings": [{"fingerprint": "a", "code": '
            '"TF301", "path": 7}]}',
            '"path" must be a string',
        ),
        (b"\xff\xfe\x00garbage", "not valid JSON"),
    ],
)
def test_a_malformed_baseline_is_a_usage_error(
    leaky: Path, capsys: pytest.CaptureFixture[str], content: str | bytes, said: str
) -> None:
    path = leaky / "baseline.json"
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content, encoding="utf-8")
    code, _, err = run(capsys, "check", str(leaky), "--baseline", str(path))
    assert code == 2 and said in err
    assert "Traceback" not in err and len(err.strip().splitlines()) == 1


def test_a_baseline_symlinked_to_a_device_is_refused(
    leaky: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = leaky / "baseline.json"
    path.symlink_to("/dev/zero")
    code, _, err = run(capsys, "check", str(leaky), "--baseline", str(path))
    assert code == 2 and "symlink" in err


def test_a_fifo_baseline_does_not_hang(leaky: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = leaky / "baseline.json"
    os.mkfifo(path)
    code, _, err = run(capsys, "check", str(leaky), "--baseline", str(path))
    assert code == 2 and "not a regular file" in err


def test_an_oversized_baseline_is_refused(
    leaky: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    from twelvefold import baseline

    monkeypatch.setattr(baseline, "MAX_BASELINE_BYTES", 1000)
    path = leaky / "baseline.json"
    path.write_text(
        json.dumps({"tool": "twelvefold", "version": 1, "findings": [], "pad": "x" * 5000}),
        encoding="utf-8",
    )
    code, _, err = run(capsys, "check", str(leaky), "--baseline", str(path))
    assert code == 2 and "is over" in err


# -- 3. --fix never writes through a link --------------------------------------------


def _notebook_with_outputs() -> str:
    cell = {
        "cell_type": "code",
        "execution_count": 1,
        "metadata": {},
        "source": ["print(1)\n"],
        "outputs": [TABLE_OUTPUT],
    }
    document = {"cells": [cell], "metadata": {}, "nbformat": 4, "nbformat_minor": 5}
    return json.dumps(document, indent=1) + "\n"


def test_fix_refuses_a_hard_linked_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    repo = make_repo(
        tmp_path / "repo",
        {
            "twelvefold.toml": 'kind = "application"\nselect = ["TF104"]\n',
            "notebooks/eda.ipynb": _notebook_with_outputs(),
        },
    )
    outside = tmp_path / "elsewhere.ipynb"
    os.link(repo / "notebooks/eda.ipynb", outside)
    before = outside.read_text(encoding="utf-8")
    code, _, err = run(capsys, "check", str(repo), "--fix")
    assert code == 2 and "hard links" in err
    assert outside.read_text(encoding="utf-8") == before
    # Without the second name, the same fix is applied.
    outside.unlink()
    code, _, err = run(capsys, "check", str(repo), "--fix")
    assert code == 0 and "fixed notebooks/eda.ipynb" in err


def test_fix_refuses_a_file_under_a_symlinked_folder(tmp_path: Path) -> None:
    from twelvefold.fixes import FileChange, apply_changes
    from twelvefold.safe_io import UnsafeWriteError

    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "eda.ipynb").write_text("{}\n", encoding="utf-8")
    repo = tmp_path / "repo"
    repo.mkdir()
    (repo / "notebooks").symlink_to(outside)
    change = FileChange("notebooks/eda.ipynb", "{}\n", "{ }\n", "strip outputs")
    with pytest.raises(UnsafeWriteError, match="notebooks is a symlink"):
        apply_changes(repo, [change])
    assert (outside / "eda.ipynb").read_text(encoding="utf-8") == "{}\n"


@pytest.mark.parametrize(
    ("settings", "said"),
    [
        ('kind = "research"\n', "kind = research: set by the settings"),
        ('roles = { "src/**" = "example" }\n', "file roles set by the settings: src/** = example"),
    ],
)
def test_settings_that_change_the_project_model_are_named(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], settings: str, said: str
) -> None:
    repo = make_repo(
        tmp_path / "repo", {"twelvefold.toml": settings, "src/settings.py": SETTINGS_LINE}
    )
    _, out, _ = run(capsys, "check", str(repo), "--output-format", "json")
    assert any(said in notice["message"] for notice in json.loads(out)["notices"])
