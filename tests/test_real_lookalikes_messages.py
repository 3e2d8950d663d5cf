"""Messages, locations and the scorecard as judged on real repositories (issue 14, item 12).

A finding is FALSE when its place or its message is wrong even if the thing is there:
`[cell 3, line None]` in a text line, `line: null` in JSON for a notebook finding whose
cell and line are known, a factor scored `pass` when nothing of it was checked.
"""

from __future__ import annotations

import contextlib
import io
import json
from pathlib import Path

from twelvefold.cli import main

from tests.helpers import make_repo


def cli(*args: str) -> str:
    out = io.StringIO()
    with (
        contextlib.redirect_stdout(out),
        contextlib.redirect_stderr(io.StringIO()),
        contextlib.suppress(SystemExit),
    ):
        main(list(args))
    return out.getvalue()


def jupyter_notebook(*cells: tuple[str, list[str]]) -> str:
    """A notebook as Jupyter saves it: keys sorted (`outputs` before `source`), indent 1,
    each cell's printed lines as a stream output."""
    raw = [
        {
            "cell_type": "code",
            "execution_count": number,
            "id": f"cell-{number}",
            "metadata": {},
            "outputs": [
                {"name": "stdout", "output_type": "stream", "text": [f"{line}\n" for line in out]}
            ]
            if out
            else [],
            "source": source.splitlines(keepends=True),
        }
        for number, (source, out) in enumerate(cells, start=1)
    ]
    document = {
        "cells": raw,
        "metadata": {"kernelspec": {"name": "python3"}},
        "nbformat": 4,
        "nbformat_minor": 5,
    }
    return json.dumps(document, indent=1, sort_keys=True, ensure_ascii=False) + "\n"


# A training notebook that printed its progress (many output lines), then a cell
# reading a file from one person's home folder.
TRAINED = jupyter_notebook(
    ("import pandas as pd\nimport torch", []),
    (
        "for epoch in range(400):\n    print(f'epoch {epoch} loss {1 / (epoch + 1):.3f}')",
        [f"epoch {n} loss {1 / (n + 1):.3f}" for n in range(400)],
    ),
    ("df = pd.read_csv('data/valid.csv')\ndf.shape", ["(1200, 8)"]),
    ("state = torch.load('/home/alice/ckpt/best.pt')\nprint('loaded')", ["loaded"]),
)


def test_json_gives_the_file_line_of_a_notebook_finding(tmp_path: Path) -> None:
    root = make_repo(tmp_path / "nb", {"train.ipynb": TRAINED})
    document = json.loads(cli("check", str(root), "--select", "TF303", "--output-format", "json"))
    [finding] = document["findings"]
    assert (finding["cell"], finding["cell_line"]) == (3, 1)
    assert finding["line"] is not None
    assert "/home/alice/ckpt/best.pt" in TRAINED.splitlines()[finding["line"] - 1]


def test_text_names_the_cell_of_a_notebook_finding_without_a_cell_line(tmp_path: Path) -> None:
    files = {"train.ipynb": TRAINED, "twelvefold.toml": 'kind = "application"\n'}
    out = cli("check", str(make_repo(tmp_path / "nb", files)), "--select", "TF104")
    [line] = [line for line in out.splitlines() if line.startswith("train.ipynb")]
    assert line.endswith("code cells [cell 1]"), line
    assert "line None" not in out and "(first: cell" not in out


# ---------------------------------------------------------------------------- scorecard

SCRIPT = {
    "add.py": "import sys\n\nprint(sum(int(a) for a in sys.argv[1:]))\n",
}
TRAINING_SCRIPT = {
    "requirements.txt": "numpy==1.26.4\nscikit-learn==1.5.2\n",
    "train.py": (
        "import numpy as np\n"
        "from sklearn.linear_model import LogisticRegression\n"
        "X, y = np.random.default_rng(0).normal(size=(100, 3)), np.arange(100) % 2\n"
        "model = LogisticRegression(random_state=0).fit(X, y)\n"
        "print(model.score(X, y))\n"
    ),
}


def scorecard(root: Path, **settings: object) -> dict[int, str]:
    from twelvefold.config import Config
    from twelvefold.engine import Target, factor_status, run

    return dict(factor_status(run([Target(root)], Config(**settings))))  # type: ignore[arg-type]


def test_a_factor_with_only_info_findings_passes_when_its_rules_applied(tmp_path: Path) -> None:
    from twelvefold.config import Config
    from twelvefold.engine import Target, run

    # An application's training script (a research release is not told to track).
    root = make_repo(tmp_path / "train", TRAINING_SCRIPT)
    found = run([Target(root)], Config(kind="application")).findings
    assert {f.severity.value for f in found if f.factor == 11} == {"info"}  # TF1102
    assert scorecard(root, kind="application")[11] == "pass"


def test_a_factor_whose_rules_are_all_turned_off_is_not_applicable(tmp_path: Path) -> None:
    root = make_repo(tmp_path / "train", TRAINING_SCRIPT)
    assert scorecard(root, ignore=["F11"])[11] == "n/a"


def test_a_one_file_script_has_no_service_so_factor_12_is_not_applicable(tmp_path: Path) -> None:
    status = scorecard(make_repo(tmp_path / "script", SCRIPT))
    assert status[12] == "n/a"


def test_a_repository_without_python_has_no_tests_or_training_to_score(tmp_path: Path) -> None:
    # Azure/mlops-v2 (set W): pipeline YAML, docs and shell scripts, no Python at all;
    # factors 10 and 11 were scored "pass" though nothing of theirs was checked.
    files = {
        "README.md": "# MLOps accelerator\n",
        ".github/workflows/ci.yml": "on: [push]\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n      - run: echo hi\n",
        "infrastructure/main.bicep": "param location string\n",
        "scripts/initialise_repo.sh": "#!/usr/bin/env bash\necho init\n",
    }
    status = scorecard(make_repo(tmp_path / "infra", files))
    assert status[10] == "n/a" and status[11] == "n/a"
    # With one Python module, factor 10's rules have something to look at.
    files["src/train.py"] = "import random\nprint(random.random())\n"
    assert scorecard(make_repo(tmp_path / "code", files))[10] != "n/a"
