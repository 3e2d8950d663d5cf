"""Look-alikes from held-out set Q (fresh-2026-12-05-q), judged before any change: a
library's CI script that checks its documentation notebooks run (shap, TF1101). The
other set Q classes are tested beside their rules (TF801/TF802 PipelineLib and reusable
workflows, TF206 conda installs in an image)."""

from __future__ import annotations

from pathlib import Path


def test_tf1101_a_librarys_script_checking_its_docs_notebooks_run(tmp_path: Path) -> None:
    # Held-out set Q (shap): CI runs `scripts/run_notebooks_timeouts.py`, which executes
    # the documentation notebooks to check they still run.
    from twelvefold.config import Config

    from tests.helpers import check, make_repo

    runner = (
        "import nbformat\nfrom nbconvert.preprocessors import ExecutePreprocessor\n\n\n"
        "def run(path):\n    nb = nbformat.read(path, as_version=4)\n"
        "    ExecutePreprocessor(timeout=600).preprocess(nb)\n"
    )
    files = {"shapx/__init__.py": "", "scripts/run_notebooks.py": runner}
    root = make_repo(tmp_path / "lib", files)
    assert check(root, select=["TF1101"], config=Config(kind="library")).findings == []
    # in an application, running a notebook is reported; in a library's package such a
    # helper runs its users' notebooks (set LLL's recommenders, FALSE)
    root = make_repo(tmp_path / "pkg", {"shapx/__init__.py": "", "shapx/report.py": runner})
    assert check(root, select=["TF1101"], config=Config(kind="library")).findings == []
    assert len(check(root, select=["TF1101"], config=Config(kind="application")).findings) == 1
    root = make_repo(tmp_path / "app", files)
    assert len(check(root, select=["TF1101"], config=Config(kind="application")).findings) == 1
