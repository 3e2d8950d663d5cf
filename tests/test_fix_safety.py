"""`--fix` never loses work and never crashes on an odd tree.

A fix rewrites a file in place. Stripping a notebook's outputs cannot be undone unless
git holds the file as it is, so a rewriting fix touches only files git tracks with no
unstaged change (committed, or staged as in a pre-commit hook); any other is left alone,
and stderr says so. The `.gitignore` fix only appends lines: it applies whatever git's
view of the file.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from twelvefold.cli import main
from twelvefold.fixes import gitignore, read_text

from tests.helpers import git, make_repo
from tests.test_fix import PYPROJECT, executed_notebook, stripped_notebook

SHELL_FORM = "FROM python:3.12-slim\nCMD python -m churn.serve\n"
EXEC_FORM = 'FROM python:3.12-slim\nCMD ["python", "-m", "churn.serve"]\n'


def fix(capsys: pytest.CaptureFixture[str], root: Path, *args: str) -> tuple[int, str, str]:
    code = main(["check", str(root), *args])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


# --- a .gitignore that is not a file ------------------------------------------------------


@pytest.mark.parametrize("mode", ["--fix", "--diff"])
def test_a_gitignore_that_is_a_directory_is_reported_and_the_run_goes_on(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], mode: str
) -> None:
    root = make_repo(tmp_path / "r", {"pyproject.toml": PYPROJECT, "Dockerfile": SHELL_FORM})
    (root / ".gitignore").mkdir()
    (root / ".gitignore" / "keep").write_text("")
    (root / ".env").write_text("DATABASE_URL=postgresql://localhost/churn\n")
    code, out, err = fix(capsys, root, mode)
    assert "Traceback" not in err and code == 1, err
    assert ".gitignore" in err and "directory" in err
    if mode == "--fix":
        assert (root / "Dockerfile").read_text() == EXEC_FORM  # the other fixes still apply
    else:
        assert "+++ b/Dockerfile" in out and ".gitignore" not in out
    assert (root / ".gitignore" / "keep").exists()


def test_read_text_refuses_what_is_not_a_regular_file(tmp_path: Path) -> None:
    (tmp_path / "folder").mkdir()
    (tmp_path / "link").symlink_to(tmp_path / "folder")
    assert read_text(tmp_path, "folder") is None
    assert read_text(tmp_path, "link") is None
    assert read_text(tmp_path, "missing") is None


# --- only what git can give back is rewritten ------------------------------------------


def test_an_untracked_notebook_is_not_stripped(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = make_repo(tmp_path / "r", {"pyproject.toml": PYPROJECT})
    (root / "explore.ipynb").write_text(executed_notebook(), encoding="utf-8")
    _, out, err = fix(capsys, root, "--diff")
    assert "explore.ipynb" not in out
    assert "explore.ipynb" in err and "git does not track it" in err
    fix(capsys, root, "--fix")
    assert (root / "explore.ipynb").read_text(encoding="utf-8") == executed_notebook()
    # Once staged (what a pre-commit hook sees), git can give it back: it is fixed.
    git(root, "add", "explore.ipynb")
    _, _, err = fix(capsys, root, "--fix")
    assert (root / "explore.ipynb").read_text(encoding="utf-8") == stripped_notebook()
    assert "fixed explore.ipynb" in err
    git(root, "checkout", "--", "explore.ipynb")  # and the outputs are back
    assert (root / "explore.ipynb").read_text(encoding="utf-8") == executed_notebook()


def test_a_notebook_with_unstaged_outputs_is_not_stripped(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = make_repo(tmp_path / "r", {"pyproject.toml": PYPROJECT, "nb.ipynb": stripped_notebook()})
    (root / "nb.ipynb").write_text(executed_notebook(), encoding="utf-8")  # new outputs
    _, out, err = fix(capsys, root, "--diff")
    assert "nb.ipynb" not in out and "it has unstaged changes" in err
    fix(capsys, root, "--fix")
    assert (root / "nb.ipynb").read_text(encoding="utf-8") == executed_notebook()


def test_a_dockerfile_outside_git_is_not_rewritten(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = make_repo(
        tmp_path / "r",
        {"pyproject.toml": PYPROJECT, "Dockerfile": SHELL_FORM, "nb.ipynb": executed_notebook()},
        git_init=False,
    )
    _, _, err = fix(capsys, root, "--fix")
    assert (root / "Dockerfile").read_text() == SHELL_FORM
    assert (root / "nb.ipynb").read_text(encoding="utf-8") == executed_notebook()
    assert "Dockerfile" in err and "nb.ipynb" in err and "git" in err


def test_a_subfolder_of_a_repository_is_fixed_by_git_s_view(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """git reports paths from the top of the repository, fixes from the audited root."""
    repo = make_repo(
        tmp_path / "r",
        {
            "service/pyproject.toml": PYPROJECT,
            "service/Dockerfile": SHELL_FORM,
            "service/nb.ipynb": executed_notebook(),
        },
    )
    (repo / "service/nb.ipynb").write_text(executed_notebook().replace("1042", "1043"))
    _, _, err = fix(capsys, repo / "service", "--fix")
    assert "not fixing nb.ipynb" in err
    assert (repo / "service/Dockerfile").read_text() == EXEC_FORM
    assert "1043" in (repo / "service/nb.ipynb").read_text()
    assert json.loads((repo / "service/nb.ipynb").read_text())["cells"][1]["outputs"]


def test_an_uncommitted_gitignore_is_still_extended(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The .gitignore fix only appends: nothing of the file is lost, whatever git says."""
    root = make_repo(tmp_path / "r", {"pyproject.toml": PYPROJECT, ".gitignore": "*.pyc\n"})
    (root / ".gitignore").write_text("*.pyc\n__pycache__/\n")  # changed, not committed
    (root / ".env").write_text("TOKEN=\n")
    fix(capsys, root, "--fix", "--select", "F3")
    assert (root / ".gitignore").read_text() == f"*.pyc\n__pycache__/\n\n{gitignore.HEADER}\n.env\n"
