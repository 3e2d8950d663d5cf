"""TF208 (preview): a library imports what its own install metadata leaves out (issue 15,
class 15: `install_requires` incomplete compared with the package's imports)."""

from __future__ import annotations

from pathlib import Path

from twelvefold.config import Config

from tests.helpers import check, make_repo

SETUP = (
    "from setuptools import find_packages, setup\n\n"
    'setup(name="churnlib", version="0.3.0", packages=find_packages(), '
    'install_requires=["numpy>=1.26", "scikit-learn>=1.4"])\n'
)
LIBRARY = {
    "setup.py": SETUP,
    "requirements.txt": (
        "numpy==2.1.0\nscikit-learn==1.5.2\npandas==2.2.3\nmatplotlib==3.9.2\npolars==1.9.0\n"
        "torch==2.4.1\n"
    ),
    "churnlib/__init__.py": (
        '"""Churn helpers."""\n\nimport numpy as np\nimport pandas as pd\nimport joblib\nimport torch\n'
    ),
    "churnlib/frames.py": "import polars as pl\n",
    "churnlib/plots.py": (
        "def plot(frame):\n    import matplotlib.pyplot as plt  # lazy: an optional feature\n"
        "    return plt.plot(frame)\n"
    ),
    "churnlib/optional.py": "try:\n    import pandas\nexcept ImportError:\n    pandas = None\n",
    "tests/test_frames.py": "import pandas as pd\nimport pytest\n",
    "examples/demo.py": "import pandas as pd\nimport matplotlib\n",
}


def _findings(root: Path, files: dict[str, str], kind: str = "library") -> list:
    make_repo(root, files)
    config = Config(kind=kind, preview=True)
    return check(root, select=["TF208"], config=config).findings


def test_an_import_only_requirements_txt_declares_is_reported(tmp_path: Path) -> None:
    [finding] = _findings(tmp_path, LIBRARY)
    assert (finding.path, finding.line) == ("churnlib/__init__.py", 4)
    assert "setup.py install_requires does not list `pandas`" in finding.message
    # joblib comes with scikit-learn; torch is left to users; polars is only imported by
    # a feature module; matplotlib is lazy; tests and examples are not the package


def test_pyproject_dependencies_are_the_metadata(tmp_path: Path) -> None:
    files = {
        **{k: v for k, v in LIBRARY.items() if k != "setup.py"},
        "pyproject.toml": (
            '[project]\nname = "churnlib"\nversion = "0.3.0"\n'
            'dependencies = ["numpy>=1.26", "scikit-learn>=1.4", "pandas>=2.2"]\n'
            'classifiers = ["Programming Language :: Python :: 3"]\n'
        ),
    }
    assert _findings(tmp_path, files) == []


def test_unreadable_metadata_and_applications_are_not_judged(tmp_path: Path) -> None:
    computed = SETUP.replace(
        'install_requires=["numpy>=1.26", "scikit-learn>=1.4"]',
        "install_requires=open('requirements.txt').read().splitlines()",
    )
    assert _findings(tmp_path / "computed", {**LIBRARY, "setup.py": computed}) == []
    assert _findings(tmp_path / "app", LIBRARY, kind="application") == []


def test_setup_cfg_install_requires_are_the_metadata(tmp_path: Path) -> None:
    cfg = "[metadata]\nname = churnlib\n\n[options]\ninstall_requires =\n    numpy>=1.26\n    scikit-learn>=1.4\n"
    files = {**{k: v for k, v in LIBRARY.items() if k != "setup.py"}, "setup.cfg": cfg}
    [finding] = _findings(tmp_path / "cfg", files)
    assert "setup.cfg install_requires does not list `pandas`" in finding.message
    from_file = cfg.replace(
        "\n    numpy>=1.26\n    scikit-learn>=1.4\n", " file: requirements.txt\n"
    )
    assert _findings(tmp_path / "file", {**files, "setup.cfg": from_file}) == []
