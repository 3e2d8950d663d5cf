"""`check --fix` and `--diff`: safe, mechanical fixes, compared as before/after trees."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from twelvefold.cli import main
from twelvefold.fixes import dockerfile_exec_form, gitignore, notebook_outputs

from tests.helpers import TABLE_OUTPUT, git, make_repo, notebook

PYPROJECT = (
    '[project]\nname = "p"\nversion = "1"\nrequires-python = ">=3.11"\ndependencies = []\n'
    '\n[tool.twelvefold]\nextend-select = ["TF104"]\n'  # opt-in: --fix strips notebooks
)


def tree(root: Path) -> dict[str, str]:
    return {
        path.relative_to(root).as_posix(): path.read_text(encoding="utf-8")
        for path in sorted(root.rglob("*"))
        if path.is_file() and not {".git", ".twelvefold_cache"} & set(path.relative_to(root).parts)
    }


def fix(capsys: pytest.CaptureFixture[str], root: Path, *args: str) -> tuple[int, str, str]:
    code = main(["check", str(root), *args])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def executed_notebook() -> str:
    """A notebook as Jupyter saves it after a run: outputs, counts, non-ASCII text."""
    document = {
        "cells": [
            {"cell_type": "markdown", "metadata": {}, "source": ["# Exploration — churn\n"]},
            {
                "cell_type": "code",
                "execution_count": 7,
                "metadata": {"tags": ["setup"]},
                "outputs": [
                    {"name": "stdout", "output_type": "stream", "text": ["rows: 1042 ✓\n"]},
                    TABLE_OUTPUT,
                    {
                        "data": {"text/plain": ["42"]},
                        "execution_count": 7,
                        "metadata": {},
                        "output_type": "execute_result",
                    },
                ],
                "source": ["import pandas as pd\n", "print('rows: 1042 ✓')\n", "42"],
            },
            {
                "cell_type": "code",
                "execution_count": None,
                "metadata": {},
                "outputs": [],
                "source": [],
            },
        ],
        "metadata": {
            "kernelspec": {"display_name": "Python 3", "language": "python", "name": "python3"}
        },
        "nbformat": 4,
        "nbformat_minor": 5,
    }
    return json.dumps(document, indent=1, sort_keys=True, ensure_ascii=False) + "\n"


def stripped_notebook() -> str:
    document = json.loads(executed_notebook())
    document["cells"][1]["outputs"] = []
    document["cells"][1]["execution_count"] = None
    return json.dumps(document, indent=1, sort_keys=True, ensure_ascii=False) + "\n"


BEFORE = {
    "pyproject.toml": PYPROJECT,
    ".gitignore": "__pycache__/\n.venv/",  # no trailing newline
    "Dockerfile": "FROM python:3.12-slim\nWORKDIR /app\nCOPY . .\nCMD uvicorn churn.api:app --host 0.0.0.0 --port 8000\n",
    "notebooks/explore.ipynb": executed_notebook(),
    "src/churn/__init__.py": "",
}
UNTRACKED = {
    ".env": "DATABASE_URL=postgresql://localhost/churn\n",
    "data/raw/customers.csv": "id,churn\n1,0\n",
}
AFTER = {
    **BEFORE,
    **UNTRACKED,
    ".gitignore": (
        "__pycache__/\n.venv/\n\n# twelvefold --fix: keep local configuration and data out of git\n.env\n/data/\n"
    ),
    "Dockerfile": 'FROM python:3.12-slim\nWORKDIR /app\nCOPY . .\nCMD ["uvicorn", "churn.api:app", "--host", "0.0.0.0", "--port", "8000"]\n',
    "notebooks/explore.ipynb": stripped_notebook(),
}


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    root = make_repo(tmp_path / "repo", BEFORE)
    for name, text in UNTRACKED.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(text, encoding="utf-8")
    return root


def test_fix_rewrites_the_tree_as_expected(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = fix(capsys, repo, "--fix")
    assert tree(repo) == AFTER
    assert (
        "fixed .gitignore" in err
        and "fixed Dockerfile" in err
        and "fixed notebooks/explore.ipynb" in err
    )
    # git now ignores what was flagged.
    assert (
        git(repo, "status", "--porcelain", "--untracked-files=all").split("\n").count("?? .env")
        == 0
    )
    assert "data/" not in git(repo, "status", "--porcelain", "--untracked-files=all")
    # The report that follows the fixes shows what is left: the .env finding is gone.
    code, out, _ = fix(capsys, repo, "--select", "TF302", "--output-format", "json")
    assert code == 0 and json.loads(out)["findings"] == []


def test_fix_is_idempotent(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    fix(capsys, repo, "--fix")
    once = tree(repo)
    fix(capsys, repo, "--fix")
    assert tree(repo) == once
    code, out, err = fix(capsys, repo, "--diff")
    assert code == 0 and out == "" and "nothing to fix" in err


def test_diff_previews_and_changes_nothing(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    before = tree(repo)
    code, out, err = fix(capsys, repo, "--diff")
    assert code == 1
    assert tree(repo) == before
    assert "--- a/Dockerfile\n+++ b/Dockerfile\n" in out
    assert '-CMD uvicorn churn.api:app --host 0.0.0.0 --port 8000\n+CMD ["uvicorn"' in out
    assert '-   "execution_count": 7,\n+   "execution_count": null,' in out
    assert "+.env\n+/data/\n" in out
    assert "would change 3 file(s)" in err


def test_diff_creates_a_missing_gitignore(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = make_repo(tmp_path / "r", {"pyproject.toml": PYPROJECT})
    (root / ".env").write_text("TOKEN=\n", encoding="utf-8")
    code, out, _ = fix(capsys, root, "--diff", "--select", "F3")
    assert code == 1 and out.startswith("--- /dev/null\n+++ b/.gitignore\n")
    fix(capsys, root, "--fix", "--select", "F3")  # only the fixes of factor 3 rules
    assert (root / ".gitignore").read_text(encoding="utf-8") == f"{gitignore.HEADER}\n.env\n"


def test_fix_respects_the_rule_selection(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    # Ignoring TF302 means the .env file is none of the fix's business.
    fix(capsys, repo, "--fix", "--ignore", "TF302")
    assert ".env" not in (repo / ".gitignore").read_text(encoding="utf-8").splitlines()


# --- .gitignore -------------------------------------------------------------------------


def test_gitignore_only_adds_what_findings_point_at(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = make_repo(
        tmp_path / "r",
        {
            "pyproject.toml": PYPROJECT,
            ".gitignore": "*.pyc\r\n",  # CRLF is kept
            ".env.example": "TOKEN=\n",
            "models/__init__.py": "",  # a package of code, not artefacts
            "data/.gitkeep": "",  # tracked: needs a human to write negations
            "config/.env.production": "TOKEN=abc\n",  # committed: flagged
        },
    )
    (root / "models/model.pkl").write_bytes(b"\x80\x04")
    (root / "data/train.csv").write_text("a\n1\n", encoding="utf-8")
    (root / "checkpoints").mkdir()
    (root / "checkpoints/epoch1.ckpt").write_bytes(b"\x00")
    fix(capsys, root, "--fix")
    text = (root / ".gitignore").read_bytes().decode("utf-8")
    assert text == f"*.pyc\r\n\r\n{gitignore.HEADER}\r\n.env.production\r\n/checkpoints/\r\n"


def test_add_patterns_is_idempotent_and_escapes_nothing_it_should_not() -> None:
    once = gitignore.add_patterns("", [".env", "/data/"])
    assert gitignore.add_patterns(once, [".env", "/data/"]) == once
    assert gitignore.add_patterns(once, ["/wandb/"]) == once + "/wandb/\n"
    assert gitignore._escape("#weird[1].env") == "\\#weird\\[1\\].env"


# --- notebooks --------------------------------------------------------------------------


def test_notebook_fix_preserves_jupyter_formatting() -> None:
    after, description = notebook_outputs.fix(executed_notebook())
    assert after == stripped_notebook()
    assert "✓" in after and "\\u2713" not in after  # ensure_ascii=False, like Jupyter
    assert description == "stripped 3 output(s) and 1 execution count(s)"
    assert notebook_outputs.fix(after) == (after, "")


def test_notebook_fix_keeps_the_files_own_key_order_and_indent() -> None:
    text = json.dumps(
        {
            "nbformat": 4,
            "nbformat_minor": 5,
            "metadata": {},
            "cells": [
                {
                    "source": ["1"],
                    "outputs": [{"output_type": "stream", "name": "stdout", "text": ["1"]}],
                    "cell_type": "code",
                    "metadata": {},
                    "execution_count": 1,
                }
            ],
        },
        indent=2,
    )  # another writer: indent 2, unsorted keys, no trailing newline
    after, _ = notebook_outputs.fix(text)
    assert after == text.replace('"execution_count": 1', '"execution_count": null').replace(
        '"outputs": [\n        {\n          "output_type": "stream",\n          "name": "stdout",\n          "text": [\n            "1"\n          ]\n        }\n      ]',
        '"outputs": []',
    )


@pytest.mark.parametrize(
    "text",
    [
        notebook(
            ("print(1)", [{"output_type": "stream", "name": "stdout", "text": ["1\n"]}])
        ).replace('\n "metadata"', '\n  "metadata"'),
        '{"cells": [{"cell_type": "code", "execution_count": 3, "outputs": [], "source": []}]}',  # one line
        "{not json",
        "[]",
    ],
)
def test_notebook_that_would_be_reformatted_is_left_alone(text: str) -> None:
    assert notebook_outputs.fix(text) == (text, "")


def test_clean_notebook_is_not_rewritten(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = make_repo(tmp_path / "r", {"pyproject.toml": PYPROJECT, "nb.ipynb": stripped_notebook()})
    _, out, _ = fix(capsys, root, "--diff")
    assert "nb.ipynb" not in out


# --- Dockerfile -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("command", "argv"),
    [
        ("python -m churn.serve", ["python", "-m", "churn.serve"]),
        (
            "uvicorn app:app --host 0.0.0.0 --port 8000",
            ["uvicorn", "app:app", "--host", "0.0.0.0", "--port", "8000"],
        ),
        (
            'gunicorn -b :8000 "churn.api:create_app()"',
            ["gunicorn", "-b", ":8000", "churn.api:create_app()"],
        ),
        ("python serve.py --name 'my model'", ["python", "serve.py", "--name", "my model"]),
    ],
)
def test_unambiguous_shell_form_becomes_exec_form(command: str, argv: list[str]) -> None:
    assert dockerfile_exec_form.to_exec_form(command) == argv


@pytest.mark.parametrize(
    "command",
    [
        "python serve.py --port $PORT",
        'python serve.py --port "${PORT:-8000}"',
        "python migrate.py && python serve.py",
        "python serve.py | tee log.txt",
        "python serve.py > out.log",
        "python serve.py; echo done",
        "python serve.py &",
        "python `which serve`",
        "python $(cat entry)",
        "python *.py",
        "python ~/serve.py",
        "PORT=8000 python serve.py",
        "python serve.py # a comment",
        "python serve.py \\\\n",
        "python 'unterminated",
        '["python", "serve.py"]',
        "",
    ],
)
def test_ambiguous_commands_are_left_alone(command: str) -> None:
    assert dockerfile_exec_form.to_exec_form(command) is None


def test_dockerfile_fix_handles_stages_continuations_and_keyword_case() -> None:
    before = (
        "FROM python:3.12-slim AS build\n"
        "RUN pip install uv\n"
        "cmd python -m build\n"  # lower-case keyword is kept
        "\n"
        "FROM python:3.12-slim\n"
        "ENTRYPOINT python serve.py\n"  # the stage also sets CMD: left alone
        "CMD --port 8000\n"
        "\n"
        "FROM python:3.12-slim AS worker\n"
        "CMD celery -A churn.tasks worker \\\n"
        "    --loglevel info\n"
        "FROM python:3.12-slim AS api\n"
        'ENTRYPOINT ["python", "-m", "churn"]\n'
        "CMD serve --port 8000\n"  # would become arguments of the ENTRYPOINT: left alone
    )
    after, description = dockerfile_exec_form.fix(before)
    assert after == before.replace(
        "cmd python -m build\n", 'cmd ["python", "-m", "build"]\n'
    ).replace(
        "CMD celery -A churn.tasks worker \\\n    --loglevel info\n",
        'CMD ["celery", "-A", "churn.tasks", "worker", "--loglevel", "info"]\n',
    )
    assert description == "exec form for CMD on line 3, CMD on line 10"
    assert dockerfile_exec_form.fix(after) == (after, "")


@pytest.mark.parametrize(
    "text",
    [
        "# escape=`\nFROM mcr.microsoft.com/windows/servercore\nCMD python serve.py\n",
        'FROM python:3.12\nSHELL ["/bin/bash", "-o", "pipefail", "-c"]\nCMD python serve.py\n',
        "FROM python:3.12\nRUN <<EOF\nCMD python x.py\nEOF\nCMD python serve.py\n",
        "FROM python:3.12\nCMD python serve.py \\\n# a comment\n  --port 1\n",
    ],
)
def test_dockerfiles_needing_judgement_are_left_alone(text: str) -> None:
    assert dockerfile_exec_form.fix(text) == (text, "")


def test_fix_never_writes_through_a_symlink(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    outside = tmp_path / "outside.ipynb"
    outside.write_text(executed_notebook(), encoding="utf-8")
    root = make_repo(tmp_path / "r", {"pyproject.toml": PYPROJECT})
    (root / "linked.ipynb").symlink_to(outside)
    fix(capsys, root, "--fix")
    assert outside.read_text(encoding="utf-8") == executed_notebook()


def test_fix_strips_every_notebook_a_grouped_finding_covers(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """TF104 reports the notebooks of a repository as one finding: `--fix` strips them
    all, not only the one the finding points at."""
    root = make_repo(
        tmp_path / "nbs",
        {
            "pyproject.toml": PYPROJECT,
            "notebooks/a.ipynb": executed_notebook(),
            "notebooks/b.ipynb": executed_notebook(),
        },
    )
    fix(capsys, root, "--fix", "--select", "TF104")
    assert tree(root)["notebooks/a.ipynb"] == stripped_notebook()
    assert tree(root)["notebooks/b.ipynb"] == stripped_notebook()
