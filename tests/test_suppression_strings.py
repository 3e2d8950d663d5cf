"""Only a real comment suppresses: the suppression syntax inside a string is data.

A pull request that wants a secret through could write the suppression into a string on
the same line (`x = "# twelvefold: ignore[TF301]"`), into a docstring, or into a file
that does not tokenize, where the old scan fell back to honouring every line. Secrets
are built by concatenation so this file holds none.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from twelvefold import suppression

from tests.helpers import findings, make_repo, notebook
from tests.test_cli import run

AWS_KEY = "AKIA" + "Q7ZP3MDKW9RTX2VB"
GITHUB_TOKEN = "ghp_" + "Q7zbcdfghjklmnpqrstvwzBCDFGHJKLM23"
IGNORE = "twelvefold: " + "ignore[TF301]"
IGNORE_FILE = "twelvefold: " + "ignore-file[TF301]"


def lines_of(tmp_path: Path, files: dict[str, str], code: str = "TF301") -> list[tuple[str, int]]:
    return sorted((f.path, f.line or 0) for f in findings(tmp_path, code, files))


# --- Python ----------------------------------------------------------------------------


def test_a_suppression_inside_a_python_string_does_not_count(tmp_path: Path) -> None:
    files = {
        "a.py": f'KEY = "{AWS_KEY}"; note = "# {IGNORE}"\n',
        "b.py": f"KEY = '{AWS_KEY}'; note = f'# {IGNORE}'\n",
        "c.py": f'DOC = """\nKEY {AWS_KEY}  # {IGNORE}\n"""\n',
    }
    assert lines_of(tmp_path, files) == [("a.py", 1), ("b.py", 1), ("c.py", 2)]


def test_a_real_comment_after_a_string_with_a_hash_still_suppresses(tmp_path: Path) -> None:
    files = {
        "a.py": f'tag = "#"; KEY = "{AWS_KEY}"  # {IGNORE}\n',
        "b.py": f'KEY = "{AWS_KEY}"  # a note # {IGNORE}\n',
    }
    assert lines_of(tmp_path, files) == []


def test_an_ignore_file_in_a_string_of_a_file_that_does_not_tokenize_is_not_honoured(
    tmp_path: Path,
) -> None:
    """An unclosed bracket: the tokenizer fails at the end of the file."""
    files = {"a.py": f'note = "# {IGNORE_FILE}"\nKEY = "{AWS_KEY}"\nbroken = (\n'}
    assert lines_of(tmp_path, files) == [("a.py", 2)]


def test_a_file_that_does_not_tokenize_honours_no_ignore_file_at_all(tmp_path: Path) -> None:
    """Fail closed: which `#` starts a comment is unknown past the error."""
    files = {"a.py": f'# {IGNORE_FILE}\nKEY = "{AWS_KEY}"\ns = """never closed\n'}
    assert lines_of(tmp_path, files) == [("a.py", 2)]


def test_line_suppressions_of_a_file_that_does_not_tokenize(tmp_path: Path) -> None:
    """Before the error the tokenizer knows; after it, only a `#` outside quotes on the
    line counts."""
    files = {
        "a.py": (
            f'A = "{AWS_KEY}"  # {IGNORE}\n'
            f'B = "{AWS_KEY}"; c = "# {IGNORE}"\n'
            "broken = (\n"
            f'D = "{AWS_KEY}"  # {IGNORE}\n'
            f'E = "{AWS_KEY}"; f = "# {IGNORE}"\n'
        )
    }
    assert lines_of(tmp_path, files) == [("a.py", 2), ("a.py", 5)]


def test_an_unknown_code_inside_a_string_is_no_usage_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    make_repo(
        tmp_path,
        {
            "a.py": 'HELP = "write `# twelvefold: ignore[TF999]` to silence"\n',
            "config.yml": 'help: "# twelvefold: ignore[TF999]"\nbare: "# twelvefold: ignore"\n',
        },
    )
    code, _, err = run(capsys, "check", str(tmp_path), "--select", "TF301")
    assert code == 0, err
    assert "TF999" not in err and "refused" not in err


# --- notebooks -------------------------------------------------------------------------


def test_a_suppression_inside_a_string_of_a_notebook_cell_does_not_count(
    tmp_path: Path,
) -> None:
    files = {
        "nb.ipynb": notebook(
            f"token = '{GITHUB_TOKEN}'; note = '# {IGNORE}'\n",
            f"other = '{GITHUB_TOKEN}'  # {IGNORE}\n",
        ),
        "file.ipynb": notebook(f"note = '# {IGNORE_FILE}'\n", f"token = '{GITHUB_TOKEN}'\n"),
    }
    found = findings(tmp_path, "TF301", files)
    assert sorted((f.path, f.cell, f.cell_line) for f in found) == [
        ("file.ipynb", 1, 1),
        ("nb.ipynb", 0, 1),
    ]


def test_an_ignore_file_comment_in_a_notebook_code_cell_still_works(tmp_path: Path) -> None:
    files = {"nb.ipynb": notebook(f"# {IGNORE_FILE}\n", f"token = '{GITHUB_TOKEN}'\n")}
    assert findings(tmp_path, "TF301", files) == []


def test_a_suppression_in_a_markdown_cell_is_not_a_comment(tmp_path: Path) -> None:
    """In markdown `#` starts a heading."""
    document = json.loads(notebook(f"token = '{GITHUB_TOKEN}'\n"))
    document["cells"].insert(
        0, {"cell_type": "markdown", "metadata": {}, "source": [f"# {IGNORE_FILE}\n"]}
    )
    found = findings(tmp_path, "TF301", {"nb.ipynb": json.dumps(document, indent=1)})
    assert len(found) == 1


# --- other file types ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "text"),
    [
        ("config.yml", f'aws_key: "{AWS_KEY} # {IGNORE}"\n'),
        ("config.yml", f"aws_key: '{AWS_KEY} # {IGNORE}'\n"),
        ("config.yml", f"aws_key: {AWS_KEY}#{IGNORE}\n"),  # no space: part of the value
        ("deploy.env", f'AWS_ACCESS_KEY_ID="{AWS_KEY} # {IGNORE}"\n'),
        ("deploy.sh", f"export AWS_ACCESS_KEY_ID='{AWS_KEY}'; echo '# {IGNORE}'\n"),
        ("settings.toml", f'note = """\naws_key = {AWS_KEY} # {IGNORE}\n"""\n'),
        ("settings.toml", f'aws_key = "{AWS_KEY}" ; note = "# {IGNORE}"\n'),
        ("Dockerfile", f'FROM python:3.12\nENV AWS_ACCESS_KEY_ID="{AWS_KEY} # {IGNORE}"\n'),
        ("data.json", f'{{"aws_key": "{AWS_KEY}", "note": "# {IGNORE}"}}\n'),
    ],
)
def test_a_suppression_inside_a_quoted_value_does_not_count(
    tmp_path: Path, name: str, text: str
) -> None:
    assert len(findings(tmp_path, "TF301", {name: text})) == 1


@pytest.mark.parametrize(
    ("name", "text"),
    [
        ("config.yml", f'aws_key: "{AWS_KEY}"  # {IGNORE}\n'),
        ("config.yml", f"aws_key: {AWS_KEY}  # {IGNORE}\n"),
        ("config.yml", f"# {IGNORE_FILE}\naws_key: {AWS_KEY}\n"),
        ("config.yml", f"aws_key: '{AWS_KEY}' # it's a test key # {IGNORE}\n"),
        ("deploy.env", f'AWS_ACCESS_KEY_ID="{AWS_KEY}" # {IGNORE}\n'),
        ("deploy.sh", f"export AWS_ACCESS_KEY_ID='{AWS_KEY}'  # {IGNORE}\n"),
        ("settings.toml", f'aws_key = "{AWS_KEY}"  # {IGNORE}\n'),
    ],
)
def test_a_real_comment_in_other_file_types_still_suppresses(
    tmp_path: Path, name: str, text: str
) -> None:
    assert findings(tmp_path, "TF301", {name: text}) == []


def test_a_string_in_a_manifest_does_not_suppress_a_repo_rule(tmp_path: Path) -> None:
    """Repo rules (TF202 reads pyproject.toml) go through the same check."""
    head = '[project]\nname = "p"\nversion = "1"\n'
    strings = (
        head + 'description = "# twelvefold: ignore-file[TF202]"\n'
        'dependencies = ["pandas>=2", "torch>=2", "# twelvefold: ignore[TF202]"]\n'
    )
    comment = head + 'dependencies = ["pandas>=2", "torch>=2"]  # twelvefold: ignore[TF202]\n'
    code = {"x.py": "import pandas, torch\n"}
    found = findings(tmp_path / "strings", "TF202", {"pyproject.toml": strings, **code})
    assert [(f.path, f.line) for f in found] == [("pyproject.toml", 5)]
    assert findings(tmp_path / "comment", "TF202", {"pyproject.toml": comment, **code}) == []


# --- the scanner itself ----------------------------------------------------------------


def test_scan_reports_line_suppressions_of_real_comments_only() -> None:
    lines = [f'a = "{AWS_KEY}"  # {IGNORE}', f'b = "# {IGNORE}"', "c = 1  # twelvefold: ignore"]
    found = suppression.scan(lines, {"TF301"}, python=True)
    assert found.line_codes == {1: {"TF301"}}
    assert found.bare_lines == [3]
