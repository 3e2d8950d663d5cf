"""Look-alikes from the twenty-fourth session: what a gate must not fail on, from the
held-out sets judged so far; each failing on the session's start (`7105d32`)."""

from __future__ import annotations

from pathlib import Path

from twelvefold.config import Config
from twelvefold.model import Finding, Severity

from tests.helpers import check, findings, inferred_kind, make_repo

# --------------------------------------------------------------------------- TF302

_HADOOP_SETTINGS = """CORE_CONF_fs_defaultFS=hdfs://namenode:9000
HBASE_CONF_hbase_rootdir=hdfs://namenode:9000/hbase
HBASE_CONF_hbase_cluster_distributed=false
HBASE_MANAGES_ZK=true
"""


def test_tf302_a_named_settings_file_is_a_warning_not_an_error(tmp_path: Path) -> None:
    # omshivarjun/traffic-prediction's `hbase-distributed-local.env`: the stock settings
    # file of a Hadoop stack's images, committed on purpose, no secret in it. Still
    # reported (the name invites a filled-in copy), as a warning a gate does not fail on.
    files = {"hbase-distributed-local.env": _HADOOP_SETTINGS, "app/train.py": "print(1)\n"}
    found = findings(tmp_path / "repo", "TF302", files)
    assert [(f.path, f.severity) for f in found] == [
        ("hbase-distributed-local.env", Severity.WARNING)
    ]


def test_tf302_a_named_env_file_holding_a_secret_is_still_an_error(tmp_path: Path) -> None:
    files = {
        "hbase-distributed-local.env": _HADOOP_SETTINGS + "HBASE_ADMIN_PASSWORD=Qz7vK2mW9xLp\n",
        "app/train.py": "print(1)\n",
    }
    found = findings(tmp_path / "repo", "TF302", files)
    assert [(f.path, f.severity) for f in found] == [
        ("hbase-distributed-local.env", Severity.ERROR)
    ]


# --------------------------------------------------------------------------- TF206, TF204

_MAX_MODEL = {
    "Dockerfile": (
        "FROM quay.io/codait/max-base:v1.5.2\n"
        "COPY requirements.txt .\n"
        "RUN pip install -r requirements.txt\n"
        "COPY . .\n"
        'CMD ["python", "app.py"]\n'
    ),
    "requirements.txt": "spacy==3.7.4\n",
    "app.py": "from maxfw.core import MAXApp\n\nMAXApp().run()\n",
    "api/__init__.py": "",
}


def test_tf206_what_ibms_max_base_image_installs_is_declared(tmp_path: Path) -> None:
    # IBM/MAX-Named-Entity-Tagger: `api/predict.py` imports flask, which the MAX base
    # image installs (maxfw requires flask-restx, which requires Flask).
    files = {
        **_MAX_MODEL,
        "api/predict.py": "import spacy\nfrom flask_restx import fields\nfrom flask import abort\n",
    }
    assert findings(tmp_path / "repo", "TF206", files) == []
    # Not what the base image lacks.
    files["api/predict.py"] += "import pandas\n"
    found = findings(tmp_path / "other", "TF206", files)
    assert [(f.path, f.line) for f in found] == [("api/predict.py", 4)]


def test_tf204_a_release_of_ibms_max_base_image_fixes_python(tmp_path: Path) -> None:
    # The MAX base image installs `python==3.7.11` with conda: its tag fixes the Python.
    files = {**_MAX_MODEL, "api/predict.py": "import spacy\n"}
    assert findings(tmp_path / "repo", "TF204", files) == []
    files["Dockerfile"] = files["Dockerfile"].replace(":v1.5.2", ":latest")
    assert [f.code for f in findings(tmp_path / "latest", "TF204", files)] == ["TF204"]


# ------------------------------------------------------------------- TF1001, TF801, TF204

_EXERCISE = {
    "README.md": "# Wine quality API\nFork the repo and write the API in `api/main.py`.\n",
    "docker-compose.yml": "services:\n  db:\n    build: ./db\n",
    "db/Dockerfile": "FROM postgres:16.2\n",
    "api/main.py": "",
    "exercises/exercises.py": (
        'abbr = ["AL", "AK", "AZ"]\n'
        'states = {"AL": "Alabama", "AK": "Alaska", "AZ": "Arizona"}\n'
        "\n# 1. create a list with the full name of every state\n"
    ),
}


def test_an_exercise_skeleton_has_no_code_to_test_or_gate(tmp_path: Path) -> None:
    # synthetica-ai/wine-quality-api: an interview exercise, an empty `api/main.py` to
    # fill in and prompts under `exercises/`: nothing yet to test, run in CI or version.
    codes = ["TF1001", "TF801", "TF204"]
    assert findings(tmp_path / "repo", codes, _EXERCISE) == []
    # Once the API has code, each is reported.
    files = {**_EXERCISE, "api/main.py": "from flask import Flask\n\napp = Flask(__name__)\n"}
    found = findings(tmp_path / "filled", codes, files)
    assert sorted(f.code for f in found) == ["TF1001", "TF204", "TF801"]


# --------------------------------------------------------------------------- TF205

_KAGGLE_HELPER = '''"""Download the dataset with the Kaggle API."""
import subprocess
import sys


def install_kaggle():
    try:
        import kaggle  # noqa: F401
    except ImportError:
        subprocess.check_call([sys.executable, "-m", "pip", "install", "SPEC"])


def main():
    install_kaggle()


if __name__ == "__main__":
    main()
'''


def test_tf205_a_fallback_install_of_a_pinned_package(tmp_path: Path) -> None:
    # ARD-IN/medical-insurance-cost-mlops' `download_data_alternative.py`: `kaggle` is
    # installed only when its import fails, and requirements.txt pins it: an environment
    # built from the requirements never runs that branch.
    files = {
        "requirements.txt": "kaggle==1.6.6\npandas==2.2.2\n",
        "download_data.py": _KAGGLE_HELPER.replace("SPEC", "kaggle"),
        "src/train.py": "import pandas\n",
    }
    assert findings(tmp_path / "bare", "TF205", files) == []
    files["download_data.py"] = _KAGGLE_HELPER.replace("SPEC", "kaggle==1.6.6")
    assert findings(tmp_path / "same", "TF205", files) == []


def test_tf205_other_fallback_installs_are_still_reported(tmp_path: Path) -> None:
    cases = {
        # another version than the pin
        "other-version": ("kaggle==1.5.0", "kaggle==1.6.6\n"),
        # declared as a range: the branch may install any release
        "range": ("kaggle", "kaggle>=1.6\n"),
        # not declared at all
        "undeclared": ("kaggle", "pandas==2.2.2\n"),
    }
    for name, (spec, requirements) in cases.items():
        files = {
            "requirements.txt": requirements,
            "download_data.py": _KAGGLE_HELPER.replace("SPEC", spec),
        }
        found = findings(tmp_path / name, "TF205", files)
        assert [(f.path, f.line) for f in found] == [("download_data.py", 10)], name
    # Not in an `except ImportError:` branch: it always installs.
    files = {
        "requirements.txt": "kaggle==1.6.6\n",
        "download_data.py": _KAGGLE_HELPER.replace("except ImportError:", "except OSError:"),
    }
    files["download_data.py"] = files["download_data.py"].replace("SPEC", "kaggle")
    assert [f.line for f in findings(tmp_path / "always", "TF205", files)] == [10]


_API_FALLBACK = """try:
    from fastapi import FastAPI
except ImportError:
    import subprocess

    subprocess.check_call(["pip", "install", "fastapi"])
    from fastapi import FastAPI

app = FastAPI()
"""


def test_tf205_the_products_own_fallback_install_is_still_reported(tmp_path: Path) -> None:
    # Sakyo001/pneumonia-detection-cnn: the API that `start.sh` serves (`uvicorn
    # app:app`) installs fastapi when its import fails: TRUE, though requirements.txt
    # pins it: it installs where the product runs.
    files = {
        "requirements.txt": "fastapi==0.104.1\n",
        "app.py": _API_FALLBACK,
        "start.sh": "#!/bin/bash\npython -m uvicorn app:app --host 0.0.0.0 --port 8000\n",
    }
    found = findings(tmp_path / "served", "TF205", files)
    assert [(f.path, f.line) for f in found] == [("app.py", 6)]
    # Nothing serves or imports it: a helper run by hand.
    del files["start.sh"]
    assert findings(tmp_path / "by-hand", "TF205", files) == []


# --------------------------------------------------------------------------- kind, TF401

_RESEARCH_README = """# Big Vision

This codebase is designed for training large-scale vision models on Cloud TPU VMs.

The open-sourcing of this codebase has two main purposes:
1. Publishing the code of research projects developed in this codebase.
2. Providing a strong starting point for running large-scale vision experiments.

Projects: [ViT](https://arxiv.org/abs/2010.11929), [MLP-Mixer](https://arxiv.org/abs/2105.01601).
"""

_VIT = '''"""A Vision Transformer."""

_CHECKPOINTS = {
    "B/16": "gs://vit_models/augreg/B_16-i21k-300ep.npz",
}


def load(name):
    return _CHECKPOINTS[name]
'''


def _research_codebase() -> dict[str, str]:
    files = {
        "README.md": _RESEARCH_README,
        "big_vision/__init__.py": "",
        "big_vision/models/__init__.py": "",
        "big_vision/models/vit.py": _VIT,
        "big_vision/train.py": "from big_vision.models import vit\n\nvit.load('B/16')\n",
    }
    for number in range(4):
        files[f"big_vision/utils_{number}_test.py"] = "def test_shape():\n    assert True\n"
    return files


def test_a_research_groups_codebase_is_research(tmp_path: Path) -> None:
    # google-research/big_vision: "Publishing the code of research projects", a package
    # folder with its tests beside the modules, and nothing that packages, builds or
    # runs it in CI: training runs launched by hand. Read as an application, its
    # released checkpoints' buckets (`gs://big_vision/...`, 96 of them) were reported.
    root = make_repo(tmp_path / "research", _research_codebase())
    assert inferred_kind(root) == "research"
    assert _inferred_kind_findings(root, "TF401") == []


def test_a_research_codebase_with_ci_stays_an_application(tmp_path: Path) -> None:
    files = {
        **_research_codebase(),
        ".github/workflows/ci.yml": "on: push\njobs:\n  t:\n    runs-on: ubuntu-latest\n"
        "    steps:\n      - run: pytest\n",
    }
    root = make_repo(tmp_path / "ci", files)
    assert inferred_kind(root) == "application"
    assert [f.line for f in _inferred_kind_findings(root, "TF401")] == [4]


def _inferred_kind_findings(root: Path, code: str) -> list[Finding]:
    """The findings of `code` with the repository's kind inferred (`findings` says
    application)."""
    return check(root, config=Config(select=[code])).findings


# --------------------------------------------------------------------------- TF105

_RUN = "0123456789abcdef0123456789abcdef"


def test_tf105_an_mlflow_artifact_root_of_any_name_is_one_run_store(tmp_path: Path) -> None:
    # Madan-KU/Wine-Quality-DVC: `mlflow server --default-artifact-root ./artifacts`
    # committed 25 runs' `model.pkl`, reported once each (24 NOISE): one store, one fix.
    files = {"app.py": "import pickle\n"}
    for run in range(4):
        folder = f"artifacts/13/{run}{_RUN[1:]}/artifacts/model"
        files[f"{folder}/model.pkl"] = "x"
        files[f"{folder}/MLmodel"] = "flavors: {}\n"
    found = findings(tmp_path / "repo", "TF105", files)
    assert [(f.message, f.severity) for f in found] == [
        ("MLflow run store `artifacts/` (8 files) is committed to git", Severity.WARNING)
    ]


def test_tf105_a_kept_empty_run_folder_stores_nothing(tmp_path: Path) -> None:
    # JaywardhanYadav's `mlruns/.gitkeep`: the folder kept for local runs, which
    # .gitignore keeps out of git.
    files = {"app.py": "import mlflow\n", "mlruns/.gitkeep": ""}
    assert findings(tmp_path / "kept", "TF105", files) == []
    files["mlruns/0/meta.yaml"] = "name: Default\n"
    found = findings(tmp_path / "run", "TF105", files)
    assert [f.message for f in found] == ["MLflow run store `mlruns/` (1 file) is committed to git"]


# --------------------------------------------------------------------------- TF902

_SCRAPER = """import requests


def scrape_all_pages(low, high):
    print(f"Scraping prices {low} to {high}")
    response = requests.get("https://example.org/wines", params={"min": low}, timeout=10)
    print(f"Got {len(response.text)} bytes")
    return response.text


cheap = scrape_all_pages(0, 15)
dear = scrape_all_pages(15, 500000)
"""


def test_tf902_a_package_module_that_runs_its_own_work_by_hand(tmp_path: Path) -> None:
    # LucasPoncet/wine-quality-forecasting's `src/scraping/Vivinoscraper.py`: its top
    # level calls its own scraping function, and nothing imports or runs it: a script
    # run by hand, whose prints are its progress (FALSE as a package's logging).
    files = {
        "requirements.txt": "requests==2.32.3\n",
        "src/__init__.py": "",
        "src/scraping/__init__.py": "",
        "src/scraping/vivino_scraper.py": _SCRAPER,
        "src/train.py": (
            "import logging\n\nlogger = logging.getLogger(__name__)\n\n\n"
            "def train():\n    logger.info('training')\n"
        ),
    }
    assert findings(tmp_path / "by-hand", "TF902", files) == []
    # Imported by the pipeline, its prints are the package's logging again.
    files["src/pipeline.py"] = "from src.scraping import vivino_scraper\n"
    found = findings(tmp_path / "imported", "TF902", files)
    assert [f.path for f in found] == ["src/scraping/vivino_scraper.py"]


_RUNNER = """import logging

from sklearn.metrics import classification_report

logger = logging.getLogger(__name__)


def run_pipeline(model, x_test, y_test):
    logger.info("evaluating")
    preds = model.predict(x_test)
    print(classification_report(y_test, preds))
    return preds
"""


def test_tf902_a_printed_report_is_a_result_not_a_log_message(tmp_path: Path) -> None:
    # LucasPoncet's `ftt_runner.py`: one `print(classification_report(...))` at the end
    # of a run, in a module that logs: the run's result for its reader (2 NOISE; openai
    # evals' `print(results.summary())` judged the same).
    files = {"requirements.txt": "scikit-learn==1.5.2\n", "src/runner.py": _RUNNER}
    assert findings(tmp_path / "report", "TF902", files) == []
    files["src/runner.py"] = _RUNNER.replace(
        "print(classification_report(y_test, preds))", 'print(f"accuracy {preds.mean()}")'
    )
    found = findings(tmp_path / "message", "TF902", files)
    assert [f.path for f in found] == ["src/runner.py"]
