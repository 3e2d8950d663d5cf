"""Notebooks are first-class: cells analysed as Python, magics understood, findings located
by cell, line in cell and line in the .ipynb file, outputs scanned, bad files survived."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.helpers import check, make_repo, notebook

MAGIC_CELLS = (
    "%matplotlib inline\n%load_ext autoreload\n%autoreload 2\nimport pandas as pd",
    "!ls data\n!pip list | grep pandas",
    "%%bash\nfor f in data/*.csv; do\n  wc -l $f\ndone",
    "files = !ls data\nlen(files)",
    "df = pd.DataFrame()\ndf?\ndf.head??\npd.read_csv?",
    "%timeit x = [i for i in range(100)]",
    "for name in files:\n    !echo {name}\n    print(name)",
    "%%time\nresult = sum(range(10))",
    'df = pd.read_csv("/home/alice/data/train.csv")',
)


def _diagnostics(result, path: str) -> list[str]:  # type: ignore[no-untyped-def]
    return [d.message for d in result.diagnostics if d.path == path]


def test_magics_and_shell_escapes_are_not_parse_errors(tmp_path: Path) -> None:
    text = notebook(*MAGIC_CELLS)
    make_repo(tmp_path, {"eda.ipynb": text})
    result = check(tmp_path)
    assert not _diagnostics(result, "eda.ipynb")
    # The code after all the magics is still analysed: the last cell's path is found.
    [finding] = [f for f in result.findings if f.code == "TF303"]
    assert (finding.cell, finding.cell_line) == (len(MAGIC_CELLS) - 1, 1)


def test_a_python_syntax_error_in_one_cell_is_one_diagnostic_naming_the_cell(
    tmp_path: Path,
) -> None:
    make_repo(
        tmp_path, {"broken.ipynb": notebook("import os", "def f(:\n    pass"), "a.py": "x = 1\n"}
    )
    result = check(tmp_path)
    messages = _diagnostics(result, "broken.ipynb")
    assert len(messages) == 1 and "cell 1" in messages[0] and "syntax error" in messages[0]
    assert not result.internal_errors


@pytest.mark.parametrize("code", ["TF303", "TF205", "TF301"])
def test_findings_carry_cell_cell_line_and_the_file_line_that_holds_the_text(
    tmp_path: Path, code: str
) -> None:
    lines = {
        "TF303": 'out = "/home/alice/out/preds.csv"',
        "TF205": "!pip install xgboost",
        "TF301": 'DB_PASSWORD = "Xk8pq2Lm9zR4"',
    }
    text = notebook(
        "# Setup\nimport os\nimport pandas as pd", f"x = 1\ny = 2\n{lines[code]}\nz = 3"
    )
    make_repo(tmp_path, {"nb.ipynb": text})
    [finding] = check(tmp_path, select=[code]).findings
    assert (finding.cell, finding.cell_line) == (1, 3)
    on_disk = text.splitlines()[finding.line - 1]
    assert json.dumps(lines[code] + "\n")[1:-1] in on_disk


def test_file_lines_survive_many_html_tables_in_the_outputs(tmp_path: Path) -> None:
    # Held-out set M (ml-zoomcamp): Jupyter stores `text/html` before `text/plain`; read
    # the other way round, each table's rows were misses, and after sixteen the finding in
    # a later cell had no file line.
    def table(cell: int) -> dict:
        rows = [f"<tr><th>cell {cell} row {n}</th></tr>\n" for n in range(4)]
        return {
            "output_type": "execute_result",
            "execution_count": cell,
            "metadata": {},
            "data": {"text/html": rows, "text/plain": [f"   a{cell}\n", "0  1"]},
        }

    split = "parts = train_test_split(X, y, test_size=0.2)"
    cells: list = [(f"df{cell}.head()", [table(cell)]) for cell in range(8)]
    cells.append(f"from sklearn.model_selection import train_test_split\n{split}")
    # as Jupyter writes it: keys sorted, so `outputs` before `source`
    text = json.dumps(json.loads(notebook(*cells)), indent=1, sort_keys=True) + "\n"
    make_repo(tmp_path, {"eda.ipynb": text})
    [finding] = check(tmp_path, select=["TF1003"]).findings
    assert (finding.cell, finding.cell_line) == (8, 2) and finding.line is not None
    assert split in text.splitlines()[finding.line - 1]


def test_single_string_sources_map_to_their_one_physical_line(tmp_path: Path) -> None:
    """nbformat allows a cell's source as one string: every line of it is on one file line."""
    document = {
        "cells": [
            {"cell_type": "markdown", "metadata": {}, "source": "# Title"},
            {
                "cell_type": "code",
                "execution_count": None,
                "metadata": {},
                "outputs": [],
                "source": 'import pandas as pd\ndf = pd.read_csv("/Users/bob/data.csv")\n',
            },
        ],
        "metadata": {},
        "nbformat": 4,
        "nbformat_minor": 5,
    }
    text = json.dumps(document, indent=1)
    make_repo(tmp_path, {"nb.ipynb": text})
    [finding] = check(tmp_path, select=["TF303"]).findings
    assert (finding.cell, finding.cell_line) == (1, 2)
    assert "/Users/bob/data.csv" in text.splitlines()[finding.line - 1]


def test_outputs_are_scanned_for_secrets_with_the_output_line(tmp_path: Path) -> None:
    token = "ghp_" + "Ab7" + "k2LmQ9xW4rT8vN3pZ6sY1cD5fG0hJ2uE7iO"
    outputs = [
        {
            "output_type": "execute_result",
            "execution_count": 1,
            "metadata": {},
            "data": {"text/plain": ["'ok'"]},
        },
        {
            "output_type": "stream",
            "name": "stdout",
            "text": ["loaded config\n", f"github token: {token}\n"],
        },
    ]
    text = notebook("import os", ("print(load())", outputs))
    make_repo(tmp_path, {"nb.ipynb": text})
    [finding] = check(tmp_path, select=["TF301"]).findings
    assert finding.cell == 1 and "output" in finding.message
    assert "github token" in text.splitlines()[finding.line - 1]
    assert token not in finding.message and token not in (finding.source or "")


@pytest.mark.parametrize(
    "content",
    [
        "{ not json",
        '{"cells": "nope", "nbformat": 4}',
        "[1, 2, 3]",
        '{"cells": [{"cell_type": "code", "source": 42, "outputs": "x"}, 7, {"cell_type": "raw"}]}',
        "",
    ],
)
def test_malformed_notebooks_give_at_most_one_diagnostic_and_no_crash(
    tmp_path: Path, content: str
) -> None:
    make_repo(tmp_path, {"bad.ipynb": content, "train.py": 'P = "/home/alice/x.csv"\n'})
    result = check(tmp_path)
    assert not result.internal_errors
    assert len(_diagnostics(result, "bad.ipynb")) <= 1
    if content.startswith("{ not") or content.startswith("[") or '"nope"' in content:
        assert len(_diagnostics(result, "bad.ipynb")) == 1
    assert [f.path for f in result.findings if f.code == "TF303"] == ["train.py"]  # the run went on


def test_output_lines_are_located_on_demand_in_each_cell_of_the_file() -> None:
    from twelvefold.notebook import parse_notebook

    text = notebook(
        ("print(1)", [{"output_type": "stream", "name": "stdout", "text": "one\ntwo\n"}]),
        "x = 2",
        (
            "df.head()",
            [
                {"output_type": "stream", "name": "stderr", "text": ["warn: a\n", "warn: b"]},
                {"output_type": "execute_result", "data": {"text/plain": ["   col\n", "0  3"]}},
            ],
        ),
    )
    cells = parse_notebook(text).cells
    assert cells[0].output_lines == ["one", "two"]
    assert cells[1].output_lines == []
    assert cells[2].output_lines == ["warn: a", "warn: b", "   col", "0  3"]
    file_lines = text.splitlines()
    for cell in cells:
        for line, number in zip(cell.output_lines, cell.output_file_lines, strict=True):
            assert number is not None and json.dumps(line)[1:-1] in file_lines[number - 1]
