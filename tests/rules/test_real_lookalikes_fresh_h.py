"""Look-alikes from the eighth fresh held-out set (fresh-2026-12-05-h), self-written."""

from __future__ import annotations

import json
from pathlib import Path

from tests.helpers import findings, notebook

# ------------------------------------------------------------ Colab notebooks: TF205, TF206

_COLAB_CELLS = (
    "!pip install -Uqq tf2onnx\n",
    "import onnx\nimport tf2onnx\nimport tensorflow as tf\n",
    "model = tf.keras.applications.ResNet50()\nonnx_model, _ = tf2onnx.convert.from_keras(model)\n",
)
_APP = {
    "requirements.txt": "fastapi==0.110.0\nonnxruntime==1.17.1\n",
    "api/__init__.py": "",
    "api/main.py": "from fastapi import FastAPI\n\napp = FastAPI()\n",
}


def _colab(notebook_text: str) -> str:
    document = json.loads(notebook_text)
    document["metadata"]["colab"] = {"provenance": [], "name": "TF_to_ONNX.ipynb"}
    return json.dumps(document, indent=1) + "\n"


def test_a_notebook_written_for_colab_installs_and_imports_as_colab_runs_it(
    tmp_path: Path,
) -> None:
    files = {**_APP, "notebooks/TF_to_ONNX.ipynb": _colab(notebook(*_COLAB_CELLS))}
    assert findings(tmp_path, ["TF205", "TF206"], files) == []


def test_an_open_in_colab_link_or_a_google_colab_import_says_the_same(tmp_path: Path) -> None:
    badge = "[![Open In Colab](https://colab.research.google.com/assets/colab-badge.svg)](x)"
    linked = notebook(badge, cell_type="markdown")
    cells = json.loads(linked)["cells"] + json.loads(notebook(*_COLAB_CELLS))["cells"]
    document = {**json.loads(linked), "cells": cells}
    mounted = notebook(
        "from google.colab import drive\ndrive.mount('/content/drive')", *_COLAB_CELLS
    )
    for name, text in (("linked", json.dumps(document)), ("mounted", mounted)):
        files = {**_APP, "notebooks/demo.ipynb": text}
        assert findings(tmp_path / name, ["TF205", "TF206"], files) == [], name


def test_an_applications_own_notebook_is_still_reported(tmp_path: Path) -> None:
    files = {**_APP, "notebooks/TF_to_ONNX.ipynb": notebook(*_COLAB_CELLS)}
    # Its install is reported; its imports are not (beside the service's own modules).
    assert [f.code for f in findings(tmp_path / "app", ["TF205", "TF206"], files)] == ["TF205"]
    alone = {"requirements.txt": _APP["requirements.txt"], "convert.ipynb": notebook(*_COLAB_CELLS)}
    found = [f.message.split("`")[1] for f in findings(tmp_path / "alone", "TF206", alone)]
    # tensorflow: the notebook installs tf2onnx itself, which brings onnx
    assert found == ["tensorflow"]


# ------------------------------------------------------------------------------ TF902

_SET_LOGGER = (
    "import logging\nimport os\n\n\n"
    "def set_logger(log_file=None):\n"
    "    _logger = logging.getLogger()\n"
    "    _logger.addHandler(logging.StreamHandler())\n"
    "    if log_file is not None:\n"
    '        print("Log will be saved in {}.".format(log_file))\n'
    '        print("Start logging into file {}...".format(log_file))\n'
    "        _logger.addHandler(logging.FileHandler(log_file))\n"
    "    return _logger\n"
)
_PREVIEW = (
    "import logging\n\nlogger = logging.getLogger(__name__)\n\n\n"
    "def predict_from_file(model, data_df, output_file_path=None):\n"
    '    data_df["prediction"] = model.predict(data_df)\n'
    '    logger.info("Generated predictions for %d records", len(data_df))\n'
    "    if output_file_path:\n"
    "        data_df.to_parquet(output_file_path)\n"
    "    else:\n"
    '        print("Prediction Results (showing first 10 rows):")\n'
    '        print(data_df[["prediction"]].head(10).to_string(index=False))\n'
    '        print(f"Total records processed: {len(data_df)}")\n'
    "    return data_df\n"
)
_PROGRESS = (
    "import logging\n\nlogger = logging.getLogger(__name__)\n\n\n"
    "def fit(model, loader, epochs):\n"
    "    for epoch in range(epochs):\n"
    "        loss = model.step(loader)\n"
    '        print(f"epoch {epoch}: loss {loss:.4f}")\n'
    '    print("done")\n'
)


def test_tf902_prints_of_a_logging_setup_function_and_of_a_table_report(tmp_path: Path) -> None:
    files = {
        "pkg/__init__.py": "",
        "pkg/utils/__init__.py": "",
        "pkg/utils/logging.py": _SET_LOGGER,
        "pkg/inference.py": _PREVIEW,
    }
    assert findings(tmp_path, "TF902", files) == []


def test_tf902_progress_prints_beside_a_logger_are_still_reported(tmp_path: Path) -> None:
    files = {"pkg/__init__.py": "", "pkg/training.py": _PROGRESS}
    [finding] = findings(tmp_path, "TF902", files)
    assert finding.path == "pkg/training.py" and finding.line == 9


# ------------------------------------------------------------------------------ TF402

_DOWNLOADED = (
    "import urllib.request\n\n"
    "import onnxruntime as ort\n"
    "from fastapi import FastAPI\n\n"
    "app = FastAPI()\n"
    'MODEL_FN = "resnet50_w_preprocessing.onnx"\n\n\n'
    '@app.on_event("startup")\n'
    "def load_modules():\n"
    "    urllib.request.urlretrieve(get_model_url(), MODEL_FN)\n"
    "    global session\n"
    "    session = ort.InferenceSession(MODEL_FN)\n"
)


def test_tf402_reading_back_the_file_a_download_just_wrote_is_a_local_copy(
    tmp_path: Path,
) -> None:
    assert findings(tmp_path, "TF402", {"api/__init__.py": "", "api/main.py": _DOWNLOADED}) == []


def test_tf402_a_model_read_from_a_fixed_path_is_still_reported(tmp_path: Path) -> None:
    code = _DOWNLOADED.replace("    urllib.request.urlretrieve(get_model_url(), MODEL_FN)\n", "")
    [finding] = findings(tmp_path, "TF402", {"api/__init__.py": "", "api/main.py": code})
    assert "resnet50_w_preprocessing.onnx" in finding.message


# ------------------------------------------------------------------------------ TF206

_RELEASES = (
    "import requests\nfrom github import Github\n\n\n"
    "def get_latest_model_url():\n"
    '    release = Github().get_repo("org/models").get_latest_release()\n'
    '    return requests.get(release.assets_url, timeout=10).json()[0]["url"]\n'
)


def test_tf206_requests_comes_with_a_declared_pygithub(tmp_path: Path) -> None:
    files = {
        "requirements.txt": "PyGithub==2.6.1\n",
        "api/__init__.py": "",
        "api/utils.py": _RELEASES,
    }
    assert findings(tmp_path, "TF206", files) == []


def test_tf206_requests_without_what_brings_it_is_still_reported(tmp_path: Path) -> None:
    files = {
        "requirements.txt": "pynacl==1.5.0\n",
        "api/__init__.py": "",
        "api/utils.py": _RELEASES,
    }
    found = sorted(f.message.split("`")[1] for f in findings(tmp_path, "TF206", files))
    assert found == ["github", "requests"]
