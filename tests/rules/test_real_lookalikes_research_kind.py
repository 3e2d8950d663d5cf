"""Look-alikes from research and competition releases (kind `research`), self-written.

On the real corpus every print-as-logging finding in a package module of a research
repository (a paper's mmcv plug-in, a Kaggle solution's data loaders), every unseeded-
randomness finding (guided diffusion's timestep sampling, a competition's crop sampling)
and the one tracking finding (a paper release publishing its logs) were judged NOISE: a
frozen release run by hand is not changed after the fact. The same code in an
application is still reported.
"""

from __future__ import annotations

from pathlib import Path

from twelvefold.config import Config

from tests.helpers import check, make_repo

DATA_LOADER = (
    "import numpy as np\n"
    "import pandas as pd\n\n\n"
    "def get_test_data(folder):\n"
    '    print("Start load test data")\n'
    '    frame = pd.read_csv(folder + "/test.csv")\n'
    '    print("Loaded", len(frame), "rows")\n'
    "    return frame\n"
)
LOGGING_LOADER = "import logging\n\nlogger = logging.getLogger(__name__)\n\n\n" + DATA_LOADER
SAMPLER = (
    "import numpy as np\n\n\n"
    "def sample_timesteps(batch_size, steps):\n"
    "    return np.random.choice(steps, size=(batch_size,))\n"
)
TRAINER = (
    "import pandas as pd\n"
    "from sklearn.ensemble import RandomForestClassifier\n\n"
    'df = pd.read_parquet("data/customers.parquet")\n'
    "model = RandomForestClassifier(random_state=0)\n"
    'model.fit(df.drop(columns="churn"), df["churn"])\n'
    'print("accuracy", model.score(df.drop(columns="churn"), df["churn"]))\n'
)


def _codes(root: Path, kind: str, files: dict[str, str], select: str) -> list[str]:
    make_repo(root, files)
    config = Config(kind=kind, preview=True, select=[select])
    return [f"{f.code} {f.path}" for f in check(root, config=config).findings]


def test_tf902_package_prints_of_a_research_release_are_its_terminal_output(
    tmp_path: Path,
) -> None:
    files = {"src/__init__.py": "", "src/datasets.py": DATA_LOADER}
    assert _codes(tmp_path / "research", "research", files, "TF902") == []
    assert _codes(tmp_path / "app", "application", files, "TF902") == ["TF902 src/datasets.py"]


def test_tf902_a_research_module_that_already_logs_is_still_reported(tmp_path: Path) -> None:
    files = {"src/__init__.py": "", "src/datasets.py": LOGGING_LOADER}
    assert _codes(tmp_path, "research", files, "TF902") == ["TF902 src/datasets.py"]


def test_tf1004_unseeded_sampling_in_a_research_release_is_not_reported(tmp_path: Path) -> None:
    files = {"diffusion/__init__.py": "", "diffusion/resample.py": SAMPLER}
    assert _codes(tmp_path / "research", "research", files, "TF1004") == []
    reported = _codes(tmp_path / "app", "application", files, "TF1004")
    assert reported == ["TF1004 diffusion/resample.py"]


def test_tf1102_a_research_release_is_not_told_to_add_tracking(tmp_path: Path) -> None:
    files = {"train.py": TRAINER}
    assert _codes(tmp_path / "research", "research", files, "TF1102") == []
    assert _codes(tmp_path / "app", "application", files, "TF1102") == ["TF1102 train.py"]
