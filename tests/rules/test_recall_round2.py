"""Issue 15 (recall), second round: the classes a reviewer found that no rule reported,
each with realistic violations and the look-alikes that must stay quiet."""

from __future__ import annotations

from pathlib import Path

from tests.helpers import check, findings, make_repo

# ------------------------------------------------ class 4: downloads at import through helpers

FLASK_MLFLOW_SERVICE = """import os

import mlflow
from flask import Flask, jsonify, request

RUN_ID = os.getenv("RUN_ID")
logged_model = f"s3://mlflow-models-acme/1/{RUN_ID}/artifacts/model"
model = mlflow.pyfunc.load_model(logged_model)

app = Flask("duration-prediction")


@app.route("/predict", methods=["POST"])
def predict_endpoint():
    return jsonify({"duration": float(model.predict(request.get_json())[0])})


if __name__ == "__main__":
    app.run(debug=True, host="0.0.0.0", port=9696)
"""


def test_served_flask_module_with_a_main_block_loading_a_remote_mlflow_model(
    tmp_path: Path,
) -> None:
    [finding] = findings(tmp_path, "TF701", {"app/predict.py": FLASK_MLFLOW_SERVICE})
    assert finding.line == 8
    assert "mlflow.pyfunc.load_model(logged_model)" in finding.message
    assert "`s3://mlflow-models-acme/1/{...}`" in finding.message


def test_framework_download_helpers_at_module_level_are_reported(tmp_path: Path) -> None:
    worker = (
        "import subprocess\n"
        "import mlflow\n"
        "import nltk\n"
        "import tensorflow as tf\n"
        "from keras.utils.data_utils import get_file\n"
        "from tensorflow.keras.applications import ResNet50\n"
        "from torch.utils import model_zoo\n"
        "from app.settings import settings\n"
        "\n"
        "VOCAB = get_file('vocab.txt', 'https://storage.example.com/vocab.txt')\n"
        "LABELS = tf.keras.utils.get_file('labels.json', origin=settings.labels_url)\n"
        "backbone = ResNet50(include_top=False)\n"
        "state = model_zoo.load_url('https://download.pytorch.org/models/resnet18.pth')\n"
        "nltk.download('stopwords')\n"
        "model = mlflow.sklearn.load_model('models:/churn/Production')\n"
        "subprocess.check_output(['aws', 's3', 'cp', f's3://models/{settings.run}/', str(settings.registry), '--recursive'])\n"
    )
    found = findings(tmp_path, "TF701", {"app/worker.py": worker})
    assert [f.line for f in found] == [10, 11, 12, 13, 14, 15, 16]
    assert "ImageNet weights" in found[2].message
    assert "NLTK data" in found[4].message
    assert "`models:/churn/Production`" in found[5].message
    assert "with `aws`" in found[6].message


def test_local_loads_uploads_lazy_loaders_and_scripts_are_fine(tmp_path: Path) -> None:
    service = (
        "import os\n"
        "import subprocess\n"
        "import mlflow\n"
        "from fastapi import FastAPI\n"
        "from tensorflow.keras.applications import ResNet50\n"
        "from tensorflow.keras.applications.resnet50 import preprocess_input\n"
        "\n"
        "model = mlflow.pyfunc.load_model('artifacts/model')\n"
        "registry = mlflow.pyfunc.load_model(os.environ['MODEL_URI'])\n"
        "backbone = ResNet50(weights=None, include_top=False)\n"
        "tuned = ResNet50(weights='weights/resnet.h5')\n"
        "subprocess.run(['aws', 's3', 'cp', 'reports/summary.json', 's3://acme-reports/'])\n"
        "subprocess.run(['gsutil', '-m', 'cp', str(os.getcwd()), f'gs://{os.environ[\"BUCKET\"]}/'])\n"
        "app = FastAPI()\n"
        "\n"
        "\n"
        "@app.on_event('startup')\n"
        "def load() -> None:\n"
        "    app.state.model = mlflow.pyfunc.load_model('models:/churn/Production')\n"
        "\n"
        "\n"
        "@app.get('/health')\n"
        "def health() -> dict:\n"
        "    return {'ok': True}\n"
    )
    # A training script with a main block and no routes: starting it is its whole job.
    train = (
        "import mlflow\nimport nltk\n\n"
        "nltk.download('punkt')\n"
        "BASE = mlflow.sklearn.load_model('models:/churn/Staging')\n\n"
        "if __name__ == '__main__':\n    print(BASE)\n"
    )
    cli = (
        "import click\nimport mlflow\n\n"
        "model = mlflow.pyfunc.load_model('runs:/abc123/model')\n\n\n"
        "@click.command()\ndef main() -> None:\n    print(model)\n\n\n"
        "if __name__ == '__main__':\n    main()\n"
    )
    files = {"app/main.py": service, "app/train.py": train, "app/cli.py": cli}
    assert findings(tmp_path, "TF701", files) == []


# ------------------------------------------------ class 15: setup.py install_requires

GUIDED_SETUP = """from setuptools import setup

setup(
    name="guided-diffusion",
    py_modules=["guided_diffusion"],
    install_requires=["blobfile>=1.0.5", "torch", "tqdm"],
)
"""


def test_unpinned_install_requires_of_an_application_without_lock(tmp_path: Path) -> None:
    files = {
        "setup.py": GUIDED_SETUP,
        "guided_diffusion/__init__.py": "import blobfile\nimport torch\nimport tqdm\n",
    }
    [finding] = findings(tmp_path, "TF202", files)
    assert (finding.path, finding.line) == ("setup.py", 6)
    assert "3 install_requires are not pinned" in finding.message and "`torch`" in finding.message


def test_install_requires_as_a_module_constant_is_read(tmp_path: Path) -> None:
    setup = (
        "import setuptools\n\n"
        "REQUIRED_PACKAGES = [\n    'google-cloud-aiplatform==1.4.2',\n    'tensorflow-transform>=1.2',\n]\n\n"
        "setuptools.setup(name='executor', install_requires=REQUIRED_PACKAGES)\n"
    )
    [finding] = findings(tmp_path, "TF202", {"setup.py": setup, "executor/__init__.py": ""})
    assert (
        finding.line == 5 and "`tensorflow-transform>=1.2` in install_requires" in finding.message
    )


def test_setup_py_pinned_by_a_lock_a_requirements_file_or_read_from_one(tmp_path: Path) -> None:
    pinned_beside = {
        "setup.py": GUIDED_SETUP,
        "requirements.txt": "blobfile==1.0.5\ntorch==2.3.1\ntqdm==4.66.4\n",
    }
    assert findings(tmp_path / "a", "TF202", pinned_beside) == []
    locked = {"setup.py": GUIDED_SETUP, "poetry.lock": "# locked\n"}
    assert findings(tmp_path / "b", "TF202", locked) == []
    from_file = {
        "setup.py": "from setuptools import setup\n\nsetup(name='x', install_requires=open('requirements.txt').read().splitlines())\n",
        "requirements.txt": "torch==2.3.1\n",
    }
    assert findings(tmp_path / "c", "TF202", from_file) == []
    # The same open list in requirements.txt: one finding, at the requirements file.
    twice = {"setup.py": GUIDED_SETUP, "requirements.txt": "blobfile>=1.0.5\ntorch\ntqdm\n"}
    assert [f.path for f in findings(tmp_path / "d", "TF202", twice)] == ["requirements.txt"]
    # Only build and test tools open.
    tools = "from setuptools import setup\nsetup(name='x', install_requires=['numpy==1.26.4', 'pip', 'pytest'])\n"
    assert findings(tmp_path / "e", "TF202", {"setup.py": tools}) == []


def test_a_librarys_install_requires_keeps_its_ranges(tmp_path: Path) -> None:
    from twelvefold.config import Config

    files = {"setup.py": GUIDED_SETUP, "guided_diffusion/__init__.py": "import torch\n"}
    make_repo(tmp_path, files)
    result = check(tmp_path, select=["TF202"], config=Config(kind="library", preview=True))
    assert result.findings == []
