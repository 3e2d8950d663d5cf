"""What a ruff user expects of the command line (issue 17): no abbreviations, colour
control, `--output-file`, `concise`, `--exit-zero`, `--show-settings`."""

from __future__ import annotations

from pathlib import Path

import pytest
from twelvefold.commands import use_color

from tests.helpers import TABLE_OUTPUT, make_repo, run_cli

#: A provider-format key (a name-matched value is only a warning); split so the
#: repository itself holds no token.
TOKEN = "ghp_" + "R8x2Lq9Vt4Zk7Wm3Pn6Bc1Jd5Hf0Gs8Ya2Qe"
LEAKY = {"src/settings.py": 'DB_PASSWORD = "' + "Xk8#" + 'pq2!Lm9z"\n'}


run = run_cli


@pytest.mark.parametrize(
    ("typed", "meant"),
    [("--stat", "--statistics"), ("--sel", "--select"), ("--no-cach", "--no-cache")],
)
def test_an_abbreviated_flag_is_an_error_with_a_hint(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], typed: str, meant: str
) -> None:
    repo = make_repo(tmp_path / "repo", LEAKY)
    code, _, err = run(capsys, "check", typed, str(repo))
    assert code == 2 and f"did you mean {meant}?" in err


def test_a_misspelt_flag_gets_the_closest_one(capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(capsys, "check", "--colour", "never", ".")
    assert code == 2 and "did you mean --color?" in err


@pytest.mark.parametrize(
    ("choice", "terminal", "env", "expected"),
    [
        ("always", False, {}, True),
        ("never", True, {"FORCE_COLOR": "1"}, False),
        ("auto", True, {}, True),
        ("auto", False, {}, False),
        ("auto", True, {"NO_COLOR": "1"}, False),
        ("auto", True, {"TERM": "dumb"}, False),
        ("auto", False, {"FORCE_COLOR": "1"}, True),
        ("auto", True, {"NO_COLOR": ""}, True),  # an empty NO_COLOR is not set
    ],
)
def test_colour_choice(
    monkeypatch: pytest.MonkeyPatch, choice: str, terminal: bool, env: dict, expected: bool
) -> None:
    for name in ("NO_COLOR", "FORCE_COLOR", "TERM"):
        monkeypatch.delenv(name, raising=False)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    assert use_color(choice, terminal) is expected


def test_color_always_colours_a_pipe(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    repo = make_repo(tmp_path / "repo", LEAKY)
    _, out, _ = run(capsys, "check", "--color", "always", str(repo))
    assert "\x1b[31m" in out
    _, out, _ = run(capsys, "check", "--color", "never", str(repo))
    assert "\x1b[" not in out


@pytest.mark.parametrize("flag", ["--output-file", "--output", "-o"])
def test_output_file_and_its_aliases(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], flag: str
) -> None:
    repo = make_repo(tmp_path / "repo", LEAKY)
    target = tmp_path / "report.txt"
    code, out, _ = run(capsys, "check", flag, str(target), str(repo))
    assert code == 1 and out == ""
    assert "TF301" in target.read_text(encoding="utf-8")


def test_concise_is_the_default_format_by_another_name(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    repo = make_repo(tmp_path / "repo", LEAKY)
    assert run(capsys, "check", str(repo)) == run(
        capsys, "check", "--output-format", "concise", str(repo)
    )


def test_exit_zero_passes_and_says_so(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    repo = make_repo(tmp_path / "repo", LEAKY)
    code, out, _ = run(capsys, "check", "--exit-zero", str(repo))
    assert code == 0 and "TF301" in out
    assert "--exit-zero: the exit code ignores every finding" in out
    # A usage error is still one.
    code, _, _ = run(capsys, "check", "--exit-zero", "--select", "TF999", str(repo))
    assert code == 2


def test_show_settings_names_the_file_and_the_merged_values(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    repo = make_repo(
        tmp_path / "repo",
        {**LEAKY, "twelvefold.toml": 'ignore = ["TF303"]\nfail-on = "error"\n'},
    )
    code, out, _ = run(capsys, "check", "--show-settings", "--ignore", "TF1001", str(repo))
    assert code == 0
    assert "settings from " in out and "twelvefold.toml" in out
    assert 'ignore = ["TF303", "TF1001"]' in out and 'fail-on = "error"' in out


def _project(tmp_path: Path) -> Path:
    return make_repo(
        tmp_path / "proj",
        {
            "pyproject.toml": '[project]\nname = "p"\nversion = "1"\nrequires-python = ">=3.11"\n'
            'dependencies = ["requests"]\n',
            "src/app/main.py": 'import os\n\nDATA = "/home/alice/data.csv"\n',
            "scripts/seed.py": 'DATA = "/home/bob/seed.csv"\n',
        },
    )


def test_a_subfolder_is_audited_as_part_of_its_project(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    project = _project(tmp_path)
    monkeypatch.chdir(project)
    _, at_root, _ = run(capsys, "check", "-q", "--fail-on", "never")
    monkeypatch.chdir(project / "src")
    _, in_src, _ = run(capsys, "check", "-q", "--fail-on", "never")
    root_lines = set(at_root.splitlines())
    src_lines = set(in_src.splitlines())
    # The same repository-level findings (no "no manifest", "no build" for src/ alone),
    # the file findings of files under src/ only, paths relative to where the user stands.
    assert "app/main.py:3:8: TF303 machine-specific path `/home/alice/data.csv`" in src_lines
    assert not any("scripts/seed.py" in line or "/home/bob" in line for line in src_lines)
    assert not any("TF201" in line for line in src_lines)
    for line in src_lines:
        if line.startswith(".: "):
            assert line in root_lines
        elif line.startswith("../"):
            assert line[3:] in root_lines
        else:
            assert "src/" + line in root_lines


def test_a_folder_with_its_own_project_files_is_its_own_root(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    project = _project(tmp_path)
    nested = project / "services" / "api"
    nested.mkdir(parents=True)
    (nested / "pyproject.toml").write_text('[project]\nname = "api"\n', encoding="utf-8")
    (nested / "serve.py").write_text('DATA = "/home/carol/x.csv"\n', encoding="utf-8")
    _, out, _ = run(capsys, "check", "-q", "--fail-on", "never", str(nested))
    assert "serve.py:1:8: TF303" in out and "/home/alice" not in out


def test_show_fixes_lists_what_fix_would_change_and_changes_nothing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    import json

    cell = {
        "cell_type": "code",
        "execution_count": 1,
        "metadata": {},
        "source": ["print(1)\n"],
        "outputs": [TABLE_OUTPUT],
    }
    notebook = json.dumps(
        {"cells": [cell], "metadata": {}, "nbformat": 4, "nbformat_minor": 5}, indent=1
    )
    repo = make_repo(
        tmp_path / "repo",
        {"twelvefold.toml": 'kind = "application"\n', "notebooks/eda.ipynb": notebook + "\n"},
    )
    before = (repo / "notebooks/eda.ipynb").read_text(encoding="utf-8")
    _, out, _ = run(capsys, "check", "--show-fixes", "--select", "TF104", str(repo))
    assert "Fixable with --fix (1):" in out and "  notebooks/eda.ipynb: stripped" in out
    assert (repo / "notebooks/eda.ipynb").read_text(encoding="utf-8") == before
    # With a machine format on stdout, the list goes to stderr.
    _, out, err = run(
        capsys, "check", "--show-fixes", "--select", "TF104", "--output-format", "json", str(repo)
    )
    json.loads(out)
    assert "Fixable with --fix (1):" in err


def test_also_output_writes_other_formats_from_the_same_run(tmp_path: Path, capsys) -> None:
    repo = make_repo(
        tmp_path / "repo",
        {"twelvefold.toml": 'select = ["F3"]\n', "app.py": f"TOKEN = '{TOKEN}'\n"},
    )
    sarif, summary = tmp_path / "out.sarif", tmp_path / "summary.md"
    code, out, _ = run_cli(
        capsys,
        "check",
        "--no-cache",
        "--output-format",
        "github",
        "--also-output",
        f"sarif={sarif}",
        "--also-output",
        f"markdown={summary}",
        "--",
        str(repo),
    )
    assert code == 1 and out.startswith("::error")
    alone_code, alone, _ = run_cli(
        capsys, "check", "--no-cache", "--output-format", "sarif", "--", str(repo)
    )
    assert sarif.read_text(encoding="utf-8") == alone and alone_code == code
    assert "TF301" in summary.read_text(encoding="utf-8")


def test_also_output_refuses_a_bad_format_and_a_symlink(tmp_path: Path, capsys) -> None:
    repo = make_repo(tmp_path / "repo", {"app.py": "x = 1\n"})
    code, _, err = run_cli(capsys, "check", "--also-output", "xml=out.xml", "--", str(repo))
    assert code == 2 and "FORMAT=FILE" in err
    (tmp_path / "target").write_text("keep\n", encoding="utf-8")
    (tmp_path / "link.sarif").symlink_to(tmp_path / "target")
    code, _, err = run_cli(
        capsys, "check", "--also-output", f"sarif={tmp_path / 'link.sarif'}", "--", str(repo)
    )
    assert code == 2 and "cannot write the report" in err
    assert (tmp_path / "target").read_text(encoding="utf-8") == "keep\n"
