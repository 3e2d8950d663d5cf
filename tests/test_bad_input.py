"""Bad input: broken configuration is a usage error (exit 2) that says what to fix;
broken, mis-encoded or absurd repository files are diagnostics, never crashes."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from twelvefold.cli import main
from twelvefold.config import Config
from twelvefold.engine import Target, run

from tests.helpers import make_repo
from tests.hostile_cases import PLANTED_FILES, PLANTED_PATH

# --- configuration errors: exit 2, naming the file, the key and the valid choices -------

VALID_KEYS = (
    "exclude, extend-select, fail-on, ignore, kind, options, per-file-ignores, preview, roles, "
    "select, severity"
)

CONFIG_ERRORS = [
    # (config text, substrings the message must hold)
    pytest.param("select = [\n", ["invalid TOML", "end of document"], id="invalid-toml"),
    pytest.param("select = 3\n", ["`select`", "list of strings"], id="select-wrong-type"),
    pytest.param(
        'select = ["TF301", 7]\n', ["`select`", "list of strings"], id="select-mixed-types"
    ),
    pytest.param("exclude = [1]\n", ["`exclude`", "list of strings"], id="exclude-wrong-type"),
    pytest.param('selec = ["TF3"]\n', ["`selec`", "unknown key", VALID_KEYS], id="unknown-key"),
    pytest.param(
        'select = ["TF999"]\n',
        ["`select`", "'TF999'", "matches no rule", "twelvefold rules"],
        id="select-unknown-code",
    ),
    pytest.param(
        'ignore = ["XX1"]\n', ["`ignore`", "'XX1'", "matches no rule"], id="ignore-unknown-code"
    ),
    pytest.param(
        'extend-select = ["F13"]\n',
        ["`extend-select`", "'F13'", "F1-F12"],
        id="extend-select-unknown-factor",
    ),
    pytest.param(
        '[per-file-ignores]\n"a.py" = ["TF999"]\n',
        ["`per-file-ignores.a.py`", "'TF999'", "matches no rule"],
        id="per-file-ignores-unknown-code",
    ),
    pytest.param(
        "per-file-ignores = 3\n",
        ["`per-file-ignores`", "glob = [codes]"],
        id="per-file-ignores-wrong-type",
    ),
    pytest.param(
        'fail-on = "sometimes"\n',
        ["`fail-on`", "'sometimes'", "error, warning, info, never"],
        id="fail-on-bad-choice",
    ),
    pytest.param(
        "fail-on = 1\n", ["`fail-on`", "error, warning, info, never"], id="fail-on-wrong-type"
    ),
    pytest.param(
        '[severity]\nTF999 = "error"\n',
        ["`severity`", "'TF999'", "twelvefold rules"],
        id="severity-unknown-code",
    ),
    pytest.param(
        '[severity]\nTF301 = "fatal"\n',
        ["`severity`.TF301", "'fatal'", "error, warning, info"],
        id="severity-bad-level",
    ),
    pytest.param(
        "[options.nope]\nx = 1\n",
        ["`options.nope`", "no rule", "twelvefold rules"],
        id="options-unknown-rule",
    ),
    pytest.param(
        "[options.hard-coded-secret]\nx = 1\n",
        ["`options.hard-coded-secret`", "'x'", "valid"],
        id="options-unknown-option",
    ),
    pytest.param("[options]\nTF301 = 3\n", ["`options`", "tables"], id="options-wrong-type"),
    pytest.param("x = " + "[" * 50_000 + "]" * 50_000 + "\n", ["invalid TOML"], id="deeply-nested"),
    pytest.param("\ufeffselect = 3\n", ["`select`", "list of strings"], id="bom-then-error"),
]


def _run_cli(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


@pytest.mark.parametrize(("text", "expected"), CONFIG_ERRORS)
def test_config_error_in_twelvefold_toml(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], text: str, expected: list[str]
) -> None:
    root = make_repo(tmp_path / "repo", {**PLANTED_FILES, "twelvefold.toml": text}, git_init=False)
    code, out, err = _run_cli(capsys, "check", str(root))
    assert code == 2, err
    assert "twelvefold.toml" in err
    for part in expected:
        assert part in err, (part, err)
    assert "Traceback" not in err and out == ""


def test_config_error_in_pyproject_names_the_table(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    pyproject = '[project]\nname = "x"\n[tool.twelvefold]\nbogus = 1\n'
    root = make_repo(
        tmp_path / "repo", {**PLANTED_FILES, "pyproject.toml": pyproject}, git_init=False
    )
    code, _, err = _run_cli(capsys, "check", str(root))
    assert code == 2
    assert "pyproject.toml" in err and "`tool.twelvefold.bogus`" in err and VALID_KEYS in err


@pytest.mark.parametrize(
    "text",
    ["[tool]\ntwelvefold = 3\n", '[tool.twelvefold]\nselect = "TF3"\nfail-on = ["error"]\n'],
    ids=["not-a-table", "wrong-type"],
)
def test_pyproject_tool_table_errors(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], text: str
) -> None:
    root = make_repo(tmp_path / "repo", {**PLANTED_FILES, "pyproject.toml": text}, git_init=False)
    code, _, err = _run_cli(capsys, "check", str(root))
    assert code == 2 and "pyproject.toml" in err and "tool.twelvefold" in err


def test_config_not_utf8(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    root = make_repo(
        tmp_path / "repo",
        {**PLANTED_FILES, "twelvefold.toml": "select = ['TF301']  # caf\xe9\n".encode("latin-1")},
        git_init=False,
    )
    code, _, err = _run_cli(capsys, "check", str(root))
    assert code == 2 and "twelvefold.toml" in err and "UTF-8" in err


def test_explicit_config_file_missing(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    root = make_repo(tmp_path / "repo", PLANTED_FILES, git_init=False)
    code, _, err = _run_cli(capsys, "check", "--config", str(tmp_path / "nope.toml"), str(root))
    assert code == 2 and "nope.toml" in err


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (["--select", "TF999"], ["'TF999'", "matches no rule"]),
        (["--ignore", "nonsense"], ["'nonsense'", "matches no rule"]),
        (["--output-format", "xml"], ["invalid choice", "json"]),
        (["--fail-on", "often"], ["invalid choice", "warning"]),
    ],
    ids=["select", "ignore", "format", "fail-on"],
)
def test_bad_command_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], args: list[str], expected: list[str]
) -> None:
    root = make_repo(tmp_path / "repo", PLANTED_FILES, git_init=False)
    try:
        code, _, err = _run_cli(capsys, "check", *args, str(root))
    except SystemExit as exit_:  # argparse exits for choices
        code, err = int(exit_.code or 0), capsys.readouterr().err
    assert code == 2
    for part in expected:
        assert part in err, (part, err)


@pytest.mark.parametrize(
    ("comment", "expected"),
    [
        ("# twelvefold: ignore[TF999]", "'TF999'"),
        ("# twelvefold: ignore-file[NOPE1]", "'NOPE1'"),
        ("# twelvefold: ignore[TF301, TF000]", "'TF000'"),
    ],
)
def test_unknown_code_in_a_suppression_comment(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], comment: str, expected: str
) -> None:
    root = make_repo(
        tmp_path / "repo", {**PLANTED_FILES, "src/a.py": f"x = 1  {comment}\n"}, git_init=False
    )
    code, _, err = _run_cli(capsys, "check", str(root))
    assert code == 2
    assert "src/a.py:1" in err and expected in err and "suppression comment" in err


# --- malformed repository files: diagnostics, never crashes ------------------------------

MALFORMED = {
    "src/syntax.py": "import yaml\n\n\ndef broken(:\n    pass\n",
    "src/nul.py": b"x = 1\x00\x00\n",
    "src/latin1.py": "name = 'caf\xe9'\n".encode("latin-1"),
    "src/utf16.py": "TOKEN = 'x'\n".encode("utf-16"),
    "src/bom.py": "\ufeffimport os\n".encode(),
    "src/lone_surrogate.py": b'x = "\xed\xa0\x80"\n',
    "src/tabs_spaces.py": "if True:\n\tx = 1\n        y = 2\n",
    "src/null_byte_in_string.py": b'password = "a\x00b"\n',
    "notebooks/not_json.ipynb": "{not json",
    "notebooks/list.ipynb": "[1, 2, 3]",
    "notebooks/cells_not_list.ipynb": '{"cells": {"a": 1}}',
    "notebooks/weird_cells.ipynb": json.dumps(
        {
            "cells": [
                1,
                None,
                "x",
                {"cell_type": 5, "source": 7, "outputs": "no"},
                {"source": [1, None, "ok\n"]},
            ]
        }
    ),
    "notebooks/bad_syntax.ipynb": json.dumps(
        {
            "cells": [
                {
                    "cell_type": "code",
                    "source": ["def (:\n"],
                    "outputs": [{"text": 5}, {"data": {"text/plain": [None]}}],
                }
            ]
        }
    ),
    "notebooks/empty.ipynb": "",
    "requirements.txt": "requests==2.32.3\n-r\n--hash\n-e\n===\n@@@\nfoo[bar\ntorch >= ; python_version\nnumpy \\\n",
    "requirements-dev.txt": "-r requirements-dev.txt\n-c ../../../../etc/passwd\npytest\n",
    "pkg/pyproject.toml": '[project\nname = "x"\n',
    "sub/pyproject.toml": '[project]\nname = 3\ndependencies = "notalist"\nrequires-python = 3.10\n[tool.poetry]\ndependencies = [1]\n[dependency-groups]\ndev = {x = 1}\n',
    "environment.yml": "dependencies:\n  - python=3.11\n  - {pip: 3}\n  - - nested\n",
    "conda/environment.yml": ": : :\n\t- bad\n",
    ".github/workflows/ci.yml": "on: [push\njobs: {\n",
    ".github/workflows/weird.yml": "- just\n- a list\n",
    ".github/workflows/scalar.yml": "42\n",
    ".github/workflows/tags.yml": "!!python/object/apply:os.system ['touch /tmp/twelvefold-yaml-pwned']\n",
    "docker-compose.yml": "services: [1, 2\n",
    "Dockerfile": "FROM\nRUN \\\n",
    "docker/Dockerfile.dev": "\x00\x01\x02",
    ".env": "=\n==\nexport\nPASSWORD\nTOKEN='unterminated\n",
    "config/settings.json": '{"a": [1, 2,',
    "setup.cfg": "[metadata\nname = x\n[options]\ninstall_requires =\n\t@@@\n",
    "setup.py": "from setuptools import setup\nsetup(install_requires=[1, None, f'{x}'])\n",
    "uv.lock": "version = [\n",
    "poetry.lock": "\x00\x00",
    "Pipfile": "[packages\n",
    "Makefile": "all:\n\tpip install $(\n",
    "scripts/run.sh": "#!/bin/sh\npip install 'unterminated\n",
    ".pre-commit-config.yaml": "repos: 3\n",
    ".gitignore": "[\n!\n\\\n/[\n",
}


def test_malformed_files_of_every_kind_never_crash(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = make_repo(tmp_path / "repo", {**MALFORMED, PLANTED_PATH: PLANTED_FILES[PLANTED_PATH]})
    result = run([Target(root)], Config(), jobs=1)
    assert result.internal_errors == [], [d.message for d in result.internal_errors]
    assert any(f.code == "TF301" and f.path == PLANTED_PATH for f in result.findings)
    assert not Path("/tmp/twelvefold-yaml-pwned").exists()
    said = {d.path for d in result.diagnostics}
    for path in ("src/syntax.py", "src/latin1.py", "notebooks/not_json.ipynb"):
        assert path in said, f"{path}: a skipped file must say why"
    for output_format in ("text", "full", "json"):
        code = main(["check", "--output-format", output_format, str(root)])
        out = capsys.readouterr().out
        assert code == 1
        if output_format == "json":
            json.loads(out)


def test_non_utf8_file_names(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    root = make_repo(tmp_path / "repo", PLANTED_FILES, git_init=False)
    raw = bytes(tmp_path / "repo" / "src") + b"/caf\xe9_\xff.py"
    Path(bytes(root / "src").decode()).mkdir()
    with open(raw, "wb") as handle:
        handle.write(b'API_TOKEN = "x"\n')
    for output_format in ("text", "json"):
        code = main(["check", "--output-format", output_format, str(root)])
        out = capsys.readouterr().out
        assert code == 1
        if output_format == "json":
            assert any(f["path"] == PLANTED_PATH for f in json.loads(out)["findings"])
        out.encode("utf-8")  # printable: surrogate escapes never reach the output
