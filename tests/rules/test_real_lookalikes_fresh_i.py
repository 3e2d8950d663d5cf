"""Look-alikes from the ninth fresh held-out set (fresh-2026-12-05-i), self-written."""

from __future__ import annotations

from pathlib import Path

from twelvefold.config import Config
from twelvefold.discovery import discover
from twelvefold.manifests import parse_requirement
from twelvefold.project import ProjectModel, build_model

from tests.helpers import check, findings, make_repo, notebook


def model_of(root: Path) -> ProjectModel:
    return build_model(root, discover(root, None).files)


def findings_as(root: Path, code: str, kind: str, files: dict[str, str]) -> list:
    make_repo(root, files)
    return check(root, config=Config(kind=kind, preview=True, select=[code])).findings


# --------------------------------------------------------------- TF302 `.env.default`

_ENV_DEFAULT = (
    'FS_API_KEY = "<your-feature-store-api-key>"\n'
    'WANDB_API_KEY = "<your-wandb-api-key>"\n'
    'WANDB_PROJECT = "energy_consumption"\n'
)


def test_tf302_a_committed_env_default_is_a_template(tmp_path: Path) -> None:
    files = {".env.default": _ENV_DEFAULT, "training-pipeline/.env.default": _ENV_DEFAULT}
    assert findings(tmp_path, "TF302", files) == []


def test_tf302_a_committed_env_local_is_still_reported(tmp_path: Path) -> None:
    [finding] = findings(tmp_path, "TF302", {".env.local": _ENV_DEFAULT})
    assert finding.path == ".env.local"


# ------------------------------------------------------------ TF701 Streamlit pages

_PAGE = (
    "import requests\nimport streamlit as st\n\n"
    'API_URL = "http://api:8001/api/v1"\n'
    'areas = requests.get(f"{API_URL}/area_values", timeout=10).json()\n'
    'area = st.selectbox("Area", areas)\n'
)


def test_tf701_a_streamlit_page_fetching_its_options_is_no_import_time_download(
    tmp_path: Path,
) -> None:
    files = {"frontend/__init__.py": "", "frontend/main.py": _PAGE}
    assert findings(tmp_path, "TF701", files) == []


def test_tf701_the_same_request_in_a_module_a_service_imports_is_reported(tmp_path: Path) -> None:
    module = _PAGE.replace("import streamlit as st\n", "").replace(
        'area = st.selectbox("Area", areas)\n', ""
    )
    files = {"frontend/__init__.py": "", "frontend/options.py": module}
    [finding] = findings(tmp_path, "TF701", files)
    assert finding.path == "frontend/options.py"


# ------------------------------------------------------ TF402 placeholder data paths

_EDA = notebook(
    "import os\nimport pandas as pd\nfrom sklearn.linear_model import LogisticRegression\n",
    "DIR = 'PATH/TO/YOUR/DATA'\n"
    "X = pd.read_csv(os.path.join(DIR, 'files/application_train.csv'))\n",
    "LogisticRegression().fit(X.drop(columns='TARGET'), X['TARGET'])\n",
)


def test_tf402_a_path_the_reader_is_to_fill_in_names_no_location(tmp_path: Path) -> None:
    files = {"src/__init__.py": "", "src/pipeline.py": "X = 1\n", "notebooks/eda.ipynb": _EDA}
    assert findings_as(tmp_path, "TF402", "application", files) == []


def test_tf402_a_real_relative_path_in_the_same_notebook_is_reported(tmp_path: Path) -> None:
    eda = _EDA.replace("PATH/TO/YOUR/DATA", "data/raw")
    files = {"src/__init__.py": "", "src/pipeline.py": "X = 1\n", "notebooks/eda.ipynb": eda}
    [finding] = findings_as(tmp_path, "TF402", "application", files)
    assert "data/raw/files/application_train.csv" in finding.message


# ----------------------------------------------- TF206 notebooks beside the project's code

_EDA_IMPORTS = notebook("import pandas as pd\nimport seaborn as sns\nimport shap\n")


def test_tf206_notebooks_beside_the_projects_modules_explore_in_the_dev_environment(
    tmp_path: Path,
) -> None:
    files = {
        "requirements.txt": "pandas==2.2.2\nlightgbm==4.3.0\n",
        "src/__init__.py": "",
        "src/models.py": "import lightgbm\nimport pandas as pd\n",
        "notebooks/eda.ipynb": _EDA_IMPORTS,
    }
    assert findings_as(tmp_path, "TF206", "application", files) == []


def test_tf206_a_notebook_only_repository_declares_what_its_notebooks_import(
    tmp_path: Path,
) -> None:
    files = {"requirements.txt": "pandas==2.2.2\n", "eda.ipynb": _EDA_IMPORTS}
    found = sorted(
        f.message.split("`")[1] for f in findings_as(tmp_path, "TF206", "research", files)
    )
    assert found == ["seaborn", "shap"]


# --------------------------------------------------------- TF202 patch-series pins


def test_tf202_a_compatible_release_of_a_patch_series_is_a_pin() -> None:
    for text in ("flask~=2.2.2", "numpy==1.26.*", "torch~=2.0.0rc1"):
        requirement = parse_requirement(text)
        assert requirement is not None and requirement.pinned, text
    for text in ("flask~=2.2", "numpy==1.*", "numpy>=1.26"):
        requirement = parse_requirement(text)
        assert requirement is not None and not requirement.pinned, text


# -------------------------------------------------------------------- TF902 in a course

_HELPER = (
    "import numpy as np\n\n\n"
    "def extract_song_snippet(text):\n"
    "    songs = [s for s in text.split('X:') if s]\n"
    '    print("Found {} songs in text".format(len(songs)))\n'
    "    if not songs:\n"
    '        print("No valid songs found")\n'
    "    return songs\n"
)


def test_tf902_a_courses_helper_package_prints_to_the_students_notebook(tmp_path: Path) -> None:
    files = {
        "mitdeeplearning/__init__.py": "",
        "mitdeeplearning/lab1.py": _HELPER,
        "mitdeeplearning/util.py": "from loguru import logger\n",
    }
    assert findings_as(tmp_path / "course", "TF902", "course", files) == []
    [finding] = findings_as(tmp_path / "app", "TF902", "application", files)
    assert finding.path == "mitdeeplearning/lab1.py"


# ------------------------------------------------------------------------- project kind

_PAPER_README = (
    "## Elucidating the Design Space of Diffusion-Based Generative Models\n"
    "Official PyTorch implementation of the NeurIPS 2022 paper\n"
    "https://arxiv.org/abs/2206.00364\n"
)
_ENV_IMAGE = (
    "FROM nvcr.io/nvidia/pytorch:22.10-py3\nRUN pip install imageio==2.31.1\nWORKDIR /workspace\n"
)


def test_a_papers_code_with_an_environment_image_is_research(tmp_path: Path) -> None:
    files = {
        "README.md": _PAPER_README,
        "Dockerfile": _ENV_IMAGE,
        "train.py": "import torch\n",
        "training/__init__.py": "",
        "training/loop.py": "import torch\n",
    }
    assert model_of(make_repo(tmp_path / "paper", files)).kind == "research"
    served = {**files, "Dockerfile": _ENV_IMAGE + "EXPOSE 8080\nCMD python serve.py\n"}
    assert model_of(make_repo(tmp_path / "served", served)).kind == "application"


def test_an_open_solution_with_a_leaderboard_table_is_a_competition_release(
    tmp_path: Path,
) -> None:
    readme = (
        "# Home Credit Default Risk: Open Solution\n\n"
        "This is an open solution to the [Home Credit Default Risk challenge]"
        "(https://www.kaggle.com/c/home-credit-default-risk).\n\n"
        "| link to code | name | CV | LB |\n|---|---|---|---|\n| solution 1 | chestnut | 0.745 | 0.742 |\n"
    )
    files = {
        "README.md": readme,
        "requirements.txt": "lightgbm==2.1.1\n",
        "main.py": "import click\n",
        "src/__init__.py": "",
        "src/models.py": "import lightgbm\n",
    }
    assert model_of(make_repo(tmp_path, files)).kind == "research"


# ------------------------------------------------------------------ TF206 TFX's image

_TFX_COMPONENT = (
    "import tensorflow as tf\n"
    "import tensorflow_model_analysis as tfma\n"
    "from tfx.types import artifact_utils\n"
)


def test_tf206_modules_built_on_tfxs_image_import_tfx_and_what_it_brings(tmp_path: Path) -> None:
    files = {
        "requirements.txt": "kfp==1.8.1\n",
        "Dockerfile": "FROM gcr.io/tfx-oss-public/tfx:1.2.0\nCOPY src/ src/\n",
        "src/__init__.py": "",
        "src/components.py": _TFX_COMPONENT,
    }
    assert findings_as(tmp_path / "image", "TF206", "application", files) == []
    bare = {**files, "Dockerfile": "FROM python:3.8-slim\nCOPY src/ src/\n"}
    found = findings_as(tmp_path / "bare", "TF206", "application", bare)
    assert sorted(f.message.split("`")[1] for f in found) == [
        "tensorflow",
        "tensorflow_model_analysis",
        "tfx.types",
    ]


# ------------------------------------------------------ TF206 a setup.py's grown list

_SETUP = (
    "from distutils.core import setup\n\n"
    "install_deps = ['numpy', 'tqdm']\n"
    "tf_ver = '2.0.0a'\n"
    "if get_dist('tensorflow>=' + tf_ver) is None:\n"
    "    install_deps.append('tensorflow>=' + tf_ver)\n\n"
    "setup(name='labkit', packages=['labkit'], install_requires=install_deps)\n"
)


def test_tf206_a_requirement_a_setup_py_appends_is_declared(tmp_path: Path) -> None:
    files = {
        "setup.py": _SETUP,
        "labkit/__init__.py": "",
        "labkit/lab1.py": "import numpy as np\nimport tensorflow as tf\n",
    }
    assert findings_as(tmp_path / "grown", "TF206", "application", files) == []
    plain = {
        **files,
        "setup.py": _SETUP.replace(
            "    install_deps.append('tensorflow>=' + tf_ver)\n", "    pass\n"
        ),
    }
    [finding] = findings_as(tmp_path / "plain", "TF206", "application", plain)
    assert "tensorflow" in finding.message


# --------------------------------------------------- TF1202 a route of stored results

_VIEWS = (
    "import pandas as pd\nfrom fastapi import FastAPI\n\napp = FastAPI()\n\n\n"
    '@app.get("/predictions/{area}")\n'
    "async def get_predictions(area: int):\n"
    '    preds = pd.read_parquet("gs://bucket/predictions.parquet")\n'
    '    return preds.loc[area].to_dict(orient="records")\n'
)


def test_tf1202_a_route_serving_a_batch_jobs_stored_predictions_infers_nothing(
    tmp_path: Path,
) -> None:
    files = {"api/__init__.py": "", "api/views.py": _VIEWS}
    assert findings_as(tmp_path / "stored", "TF1202", "application", files) == []
    live = _VIEWS.replace(
        '    preds = pd.read_parquet("gs://bucket/predictions.parquet")\n',
        "    preds = model.predict(pd.DataFrame({'area': [area]}))\n",
    )
    found = findings_as(tmp_path / "live", "TF1202", "application", {**files, "api/views.py": live})
    assert [f.path for f in found] == ["api/views.py"]
