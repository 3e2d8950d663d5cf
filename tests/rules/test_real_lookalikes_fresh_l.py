"""Look-alikes from the twelfth fresh held-out set (fresh-2026-12-05-l), self-written."""

from __future__ import annotations

from pathlib import Path

from tests.helpers import inferred_kind, make_repo, notebook


def test_a_books_chapter_folders_make_a_course(tmp_path: Path) -> None:
    files = {
        "README.md": "# Build a Large Language Model (From Scratch)\n\nThe book's code.\n",
        "pyproject.toml": '[project]\nname = "llms-from-scratch"\nversion = "1.0.0"\n',
        "pkg/llms_from_scratch/__init__.py": "",
        "pkg/llms_from_scratch/ch04.py": "import torch\n",
    }
    for number in range(1, 5):
        files[f"ch0{number}/01_main-chapter-code/ch0{number}.ipynb"] = notebook("import torch")
    assert inferred_kind(make_repo(tmp_path / "book", files)) == "course"
    # Folders that merely start with `ch` are no chapters.
    renamed = {
        path.replace("ch0", "checkpoints_v") if path.startswith("ch0") else path: text
        for path, text in files.items()
    }
    assert inferred_kind(make_repo(tmp_path / "app", renamed)) == "application"


def test_tf1002_a_courses_lesson_smoke_tests_are_not_checked(tmp_path: Path) -> None:
    from twelvefold.config import Config

    from tests.helpers import check

    files = {
        "requirements.txt": "torch==2.6.0\n",
        "pyproject.toml": '[tool.pytest.ini_options]\ntestpaths = ["tests"]\n',
        "tests/check_model.py": "def test_model_runs():\n    assert True\n",
        "tests/test_train.py": "def test_x():\n    assert True\n",
        "gpt.py": "import torch\n",
    }
    root = make_repo(tmp_path / "course", files)
    course = check(root, config=Config(kind="course", select=["TF1002"])).findings
    assert course == []
    root = make_repo(tmp_path / "app", files)
    app = check(root, config=Config(kind="application", select=["TF1002"])).findings
    assert [f.path for f in app] == ["tests/check_model.py"]


_METRICS = (
    "import torch\n\n\n"
    "def model_metadata():\n"
    "    # Mocked performance metrics, randomized each run to demo metadata tracking\n"
    "    return {'r2': torch.rand(1).item(), 'rmse': torch.rand(1).item() * 3}\n\n\n"
    "def train(model, X, y):\n"
    "    model.fit(X, y)\n"
)
_API = (
    '"""Mimics an external orders API: uses the responses package to mock it."""\n'
    "import numpy as np\n\n\n"
    "def orders(n):\n"
    "    return np.random.standard_exponential(n)\n\n\n"
    "def train(model, X, y):\n"
    "    model.fit(X, y)\n"
)


def test_tf1004_data_the_code_says_it_makes_up_is_no_result(tmp_path: Path) -> None:
    from tests.helpers import findings

    files = {"pkg/__init__.py": "", "pkg/definitions.py": _METRICS, "pkg/resources.py": _API}
    assert findings(tmp_path / "mocked", "TF1004", files) == []
    plain = {
        **files,
        "pkg/definitions.py": _METRICS.replace(
            "# Mocked performance metrics", "# Performance metrics"
        ),
        "pkg/resources.py": _API.replace("mock it", "call it").replace("Mimics", "Wraps"),
    }
    found = sorted(f.path for f in findings(tmp_path / "real", "TF1004", plain))
    assert found == ["pkg/definitions.py", "pkg/resources.py"]
