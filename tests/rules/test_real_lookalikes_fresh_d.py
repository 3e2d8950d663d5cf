"""Look-alikes from the fourth fresh held-out set (fresh-2026-12-05-d), self-written."""

from __future__ import annotations

from pathlib import Path

from tests.helpers import findings

UPLOAD_SERVICE = (
    "import os\n"
    "from fastapi import FastAPI, File, UploadFile\n\n"
    "app = FastAPI()\n"
    'FOLDER = "{folder}"\n\n\n'
    '@app.post("/upload/")\n'
    "def upload_file(file: UploadFile = File(...)):\n"
    '    with open(os.path.join(FOLDER, file.filename), "wb") as handle:\n'
    "        handle.write(file.file.read())\n"
    '    return {"saved": file.filename}\n'
)


def test_tf601_writes_to_mounted_shared_storage_are_fine(tmp_path: Path) -> None:
    """Cloud Run mounts a bucket at /gcs/<bucket>/; Databricks has /dbfs and /Volumes."""
    for number, folder in enumerate(("/gcs/my-bucket/", "/dbfs/uploads/", "/mnt/shared/in/")):
        root = tmp_path / str(number)
        service = UPLOAD_SERVICE.replace("{folder}", folder)
        assert findings(root, "TF601", {"app/main.py": service}) == [], folder


def test_tf601_a_local_folder_is_still_reported(tmp_path: Path) -> None:
    service = UPLOAD_SERVICE.replace("{folder}", "uploads/")
    [finding] = findings(tmp_path, "TF601", {"app/main.py": service})
    assert finding.line == 10


ENCODER = (
    "from sklearn.base import BaseEstimator, TransformerMixin\n\n"
    "from encoders.quantile import QuantileEncoder\n\n\n"
    "class SummaryEncoder(BaseEstimator, TransformerMixin):\n"
    "    def __init__(self, quantiles=(0.25, 0.75)):\n"
    "        self.quantiles = quantiles\n\n"
    "    def fit(self, X, y):\n"
    "        self.encoders_ = []\n"
    "        for quantile in self.quantiles:\n"
    "            encoder = QuantileEncoder(quantile=quantile)\n"
    "            encoder.fit(X, y)\n"
    "            self.encoders_.append(encoder)\n"
    "        return self\n"
)


def test_tf1102_an_estimator_fitting_its_parts_in_its_own_fit_is_not_a_training_run(
    tmp_path: Path,
) -> None:
    files = {"encoders/__init__.py": "", "encoders/summary.py": ENCODER}
    assert findings(tmp_path, "TF1102", files) == []


def test_tf1102_a_script_fitting_the_encoder_is_still_a_training_run(tmp_path: Path) -> None:
    train = (
        "import pandas as pd\n\nfrom encoders.summary import SummaryEncoder\n\n"
        "frame = pd.read_csv('train.csv')\n"
        "SummaryEncoder().fit(frame.drop(columns='y'), frame['y'])\n"
    )
    files = {"encoders/__init__.py": "", "encoders/summary.py": ENCODER, "train.py": train}
    [finding] = findings(tmp_path, "TF1102", files)
    assert "train.py" in finding.message or finding.path == "train.py"
