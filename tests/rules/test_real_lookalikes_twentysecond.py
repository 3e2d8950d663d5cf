"""Look-alikes from the twenty-second session's held-out sets (fresh-2026-12-07-s: fraud
detection; -t: house prices; -u: sentiment analysis; -v: recommenders), each judged on
`71ae044` and failing on it."""

from __future__ import annotations

from pathlib import Path

from twelvefold.config import Config

from tests.helpers import check, findings, inferred_kind, make_repo, notebook

# --------------------------------------------------------------------------- the kind

#: A thesis's experiments: package folders of models and datasets, a menu that runs
#: them, one requirements list; nothing builds, tests, serves or ships them.
_THESIS = {
    "requirements.txt": "torch>=2.1\ntransformers>=4.40\npandas>=2.0\n",
    "main.py": (
        "from experiments.quantize import run_quantization\n"
        "from experiments.finetune import run_finetune\n\n"
        "choice = input('1) finetune 2) quantize: ')\n"
        "print('running', choice)\n"
        "run_finetune() if choice == '1' else run_quantization()\n"
    ),
    "experiments/__init__.py": "",
    "experiments/finetune.py": (
        "import torch\n\n\ndef run_finetune():\n"
        "    print('epoch 1 loss', torch.tensor(0.5).item())\n"
    ),
    "experiments/quantize.py": "def run_quantization():\n    print('int8 accuracy 0.91')\n",
    "datasets/__init__.py": "",
    "datasets/smsa.py": "import pandas as pd\n\n\ndef load():\n    return pd.read_csv('datasets/smsa/train.tsv', sep='\\t')\n",
}


def test_scripts_and_package_folders_run_by_hand_are_research(tmp_path: Path) -> None:
    # Three of four research projects of sets U and V (a quantization thesis, a song
    # recommender run in tmux on a GPU server, a semester sentiment pipeline) were read
    # as applications because they keep package folders: 33 findings judged NOISE (no CI,
    # no tests, prints in experiment modules).
    make_repo(tmp_path, _THESIS)
    assert inferred_kind(tmp_path) == "research"
    codes = {f.code for f in check(tmp_path, config=Config()).findings}
    assert not codes & {"TF801", "TF1001", "TF902"}
    assert "TF202" in codes  # its open ranges are still reported


def test_package_folders_with_dev_tooling_or_a_service_stay_an_application(
    tmp_path: Path,
) -> None:
    # A student team's project that declares its test tooling means to test it (its
    # missing tests were TRUE); one that serves a model is deployed.
    make_repo(tmp_path / "dev", {**_THESIS, "requirements-dev.txt": "pytest==8.3.3\n"})
    assert inferred_kind(tmp_path / "dev") == "application"
    served = {**_THESIS, "experiments/api.py": "from fastapi import FastAPI\n\napp = FastAPI()\n"}
    make_repo(tmp_path / "served", served)
    assert inferred_kind(tmp_path / "served") == "application"
    # A template users copy (`# PyTorch Template Project`) is not one person's record.
    make_repo(tmp_path / "template", {**_THESIS, "README.md": "# PyTorch Template Project\n"})
    assert inferred_kind(tmp_path / "template") == "application"


# --------------------------------------------------------------------------- TF201, TF806


def test_tf201_standard_library_scripts_need_no_manifest(tmp_path: Path) -> None:
    # A Node.js sentiment dashboard's only Python: two generators of dummy JSON that
    # import json, random and datetime. TF201 at error was judged FALSE: nothing to declare.
    files = {
        "backend/api/package.json": '{"name": "api", "dependencies": {"express": "4.19.2"}}\n',
        "backend/api/scripts/dummy_posts.py": (
            "import json\nimport random\nfrom datetime import datetime\n\n"
            "from common import PAGES\n\n"
            "posts = [{'page': random.choice(PAGES), 'at': datetime.now().isoformat()}]\n"
            "print(json.dumps(posts))\n"
        ),
        "backend/api/scripts/common.py": "PAGES = ['news', 'sports']\n",
    }
    assert findings(tmp_path, "TF201", files) == []
    # One third-party import is a package to declare.
    files["backend/api/scripts/scrape.py"] = (
        "import requests\n\nrequests.get('https://example.org')\n"
    )
    [finding] = findings(tmp_path / "scraper", "TF201", files)
    assert finding.severity.value == "error"


def test_tf806_a_package_with_no_dependencies_has_nothing_to_lock(tmp_path: Path) -> None:
    # A stock-sentiment CLI built on the standard library alone (`urllib` to call the
    # API), `requires-python` declared: "no full lock" was judged FALSE.
    files = {
        "pyproject.toml": (
            '[build-system]\nrequires = ["setuptools>=68"]\nbuild-backend = "setuptools.build_meta"\n\n'
            '[project]\nname = "stock-sentiment"\nversion = "0.1.0"\nrequires-python = ">=3.11"\n'
            '\n[project.scripts]\nstock-sentiment = "stock_sentiment.cli:main"\n'
        ),
        "stock_sentiment/__init__.py": "",
        "stock_sentiment/cli.py": (
            "import json\nimport urllib.request\n\nfrom stock_sentiment import score\n\n\n"
            "def main():\n    print(json.dumps(score.rate('AAPL')))\n"
        ),
        "stock_sentiment/score.py": "def rate(ticker):\n    return {'ticker': ticker}\n",
    }
    assert findings(tmp_path, "TF806", files) == []
    files["stock_sentiment/score.py"] = (
        "import numpy as np\n\n\ndef rate(t):\n    return np.zeros(1)\n"
    )
    files["pyproject.toml"] = files["pyproject.toml"].replace(
        'requires-python = ">=3.11"\n',
        'requires-python = ">=3.11"\ndependencies = ["numpy==2.1.3"]\n',
    )
    assert [f.code for f in findings(tmp_path / "numpy", "TF806", files)] == ["TF806"]


# --------------------------------------------------------------------------- TF502


def test_tf502_a_project_table_nothing_builds(tmp_path: Path) -> None:
    # A price-prediction service's pyproject holds its pytest and mypy settings under a
    # `[project]` with `dependencies = []`, no build system and no command; the service
    # ships as an image. "No version" was judged FALSE.
    settings = (
        '[project]\nname = "price-prediction-api"\nrequires-python = ">=3.12"\ndependencies = []\n\n'
        '[tool.pytest.ini_options]\ntestpaths = ["tests"]\n'
    )
    files = {"services/api/pyproject.toml": settings, "services/api/app.py": "print('up')\n"}
    assert findings(tmp_path, "TF502", files) == []
    built = {
        "services/api/pyproject.toml": '[build-system]\nrequires = ["hatchling"]\n\n' + settings
    }
    [finding] = findings(tmp_path / "built", "TF502", {**files, **built})
    assert "price-prediction-api" in finding.message


# --------------------------------------------------------------------------- roles


def test_committed_setuptools_build_output_is_archived(tmp_path: Path) -> None:
    # A house-price MLOps project committed `build/lib/`, setuptools' stale copy of
    # `src/`: its prints and log files were reported twice, judged NOISE.
    module = "import logging\n\nlogger = logging.getLogger(__name__)\n\n\ndef train():\n    print('training')\n    logger.info('done')\n"
    files = {
        "setup.py": "from setuptools import setup\n\nsetup(name='house', version='0.1.0')\n",
        "src/house/__init__.py": "",
        "src/house/train.py": module,
        "build/lib/house/__init__.py": "",
        "build/lib/house/train.py": module,
    }
    reported = findings(tmp_path, "TF902", files)
    assert [f.path for f in reported] == ["src/house/train.py"]


# --------------------------------------------------------------------------- TF1202


def test_tf1202_one_finding_for_a_handler_served_under_an_alias(tmp_path: Path) -> None:
    # A two-tower recommender serves one handler as `/recommendations` and `/v1/recommend`
    # (stacked decorators): the second finding on the same handler was judged NOISE.
    app = (
        "from fastapi import FastAPI\n\nfrom recsys.model import load_model\n\n"
        "app = FastAPI()\nmodel = load_model()\n\n\n"
        "@app.post('/recommendations')\n@app.post('/v1/recommend')\n"
        "def recommend(request: dict):\n    return {'items': model.predict(request['user'])}\n"
    )
    files = {
        "requirements.txt": "fastapi==0.115.0\n",
        "recsys/__init__.py": "",
        "recsys/model.py": "import joblib\n\n\ndef load_model():\n    return joblib.load('model.joblib')\n",
        "recsys/app.py": app,
    }
    [finding] = findings(tmp_path, "TF1202", files)
    assert "`/recommendations`" in finding.message and "`/v1/recommend`" in finding.message


# --------------------------------------------------------------------------- TF401


def test_tf401_a_datasets_lineage_recorded_in_mlflow(tmp_path: Path) -> None:
    # A fraud model's training notebook records its DVC remote as the dataset's source
    # in MLflow (`mlflow.data.from_pandas(df, source="gs://fraud-detection-dvc/...")`):
    # nothing connects to it, judged NOISE. A client given the bucket is reported.
    cells = notebook(
        "import mlflow\n\n"
        "dataset = mlflow.data.from_pandas(df, source='gs://fraud-detection-dvc/dataset', name='train')\n"
        "mlflow.log_input(dataset, context='training')\n"
    )
    assert findings(tmp_path, "TF401", {"training/model_training.ipynb": cells}) == []
    client = "import gcsfs\n\nfs = gcsfs.GCSFileSystem()\nfs.open('gs://fraud-detection-dvc/dataset/train.csv')\n"
    [finding] = findings(tmp_path / "client", "TF401", {"training/load.py": client})
    assert "fraud-detection-dvc" in finding.message


# --------------------------------------------------------------------------- course


def test_a_readme_calling_the_notebooks_a_curriculum_is_a_course(tmp_path: Path) -> None:
    # A banking-fraud lab: "Private pre-publication curriculum for banking fraud
    # detection", 26 lesson notebooks beside a small helper package. Tracking and
    # pipelines for its teaching fits were judged NOISE.
    lessons = {f"notebooks/fraud_case_{k}.ipynb": notebook("model.fit(X, y)") for k in range(20)}
    files = {
        "README.md": "# Banking Fraud Detection Lab\n\nPrivate pre-publication curriculum for "
        "banking fraud detection data science.\n",
        "pyproject.toml": '[project]\nname = "fraud-lab"\nversion = "0.1.0"\n',
        "src/fraud_lab/__init__.py": "",
        **lessons,
    }
    make_repo(tmp_path, files)
    assert inferred_kind(tmp_path) == "course"
    # Curriculum learning is a way to train, not teaching material.
    files = {
        "README.md": "# Fraud models\n\nTrains with curriculum learning on hard cases.\n",
        "pyproject.toml": files["pyproject.toml"],
        "src/fraud_lab/__init__.py": "",
        **lessons,
    }
    make_repo(tmp_path / "training", files)
    assert inferred_kind(tmp_path / "training") != "course"


# --------------------------------------------------------------------------- set W, X


def test_tf504_an_npmrc_that_reads_its_token_from_a_variable(tmp_path: Path) -> None:
    # A stock-prediction frontend copies its `.npmrc`, whose token is the variable's name
    # (`_authToken=NPM_AUTH_TOKEN`), replaced before the build: FALSE at error.
    dockerfile = "FROM node:20.10.0-slim\nWORKDIR /app\nCOPY package.json ./\nCOPY .npmrc ./\nRUN npm install\n"
    files = {
        "frontend/Dockerfile": dockerfile,
        "frontend/.npmrc": "registry=https://registry.npmjs.org/\n//registry.npmjs.org/:_authToken=NPM_AUTH_TOKEN\n",
    }
    assert findings(tmp_path, "TF504", files) == []
    files["frontend/.npmrc"] = "//registry.npmjs.org/:_authToken=${NPM_TOKEN}\n"
    assert findings(tmp_path / "env", "TF504", files) == []
    # A token of its own is copied into every layer of the image.
    files["frontend/.npmrc"] = (
        "//registry.npmjs.org/:_authToken=npm_Q8x2Lr7Vb3Nc9Tz4Yw6Pk1Hd5Js0Mf2Ga7\n"
    )
    [finding] = findings(tmp_path / "token", "TF504", files)
    assert ".npmrc" in finding.message


_HOSPITAL_APP = {
    "requirements.txt": "flask==3.0.3\nflask-sqlalchemy==3.1.1\njoblib==1.4.2\n",
    "backend/__init__.py": "",
    "backend/models.py": "from flask_sqlalchemy import SQLAlchemy\n\ndb = SQLAlchemy()\n",
}


def test_tf1202_routes_named_for_predictions_that_compute_none(tmp_path: Path) -> None:
    # A diabetes hospital app: a report counting stored predictions through SQLAlchemy's
    # `db.session`, an API doc's fixed `/example/predict` sample, a doctor's review of a
    # stored prediction (`/predictions/<int:prediction_id>/review`): 3 FALSE.
    routes = (
        "from flask import Blueprint, jsonify, request\n\n"
        "from backend.models import db, Prediction\n\n"
        "bp = Blueprint('admin', __name__)\n\n\n"
        "@bp.route('/reports/system')\ndef generate_system_report():\n"
        "    rows = db.session.query(Prediction.risk_level).group_by(Prediction.risk_level).all()\n"
        "    return jsonify({'risk': [r[0] for r in rows]})\n\n\n"
        "@bp.route('/example/predict')\ndef predict_example():\n"
        "    return jsonify({'prediction': 'Non-Diabetic', 'probability': 0.15})\n\n\n"
        "@bp.route('/predictions/<int:prediction_id>/review', methods=['PUT'])\n"
        "def review_prediction(prediction_id):\n"
        "    prediction = Prediction.query.get(prediction_id)\n"
        "    prediction.status = request.get_json()['status']\n"
        "    db.session.commit()\n"
        "    return jsonify({'ok': True})\n"
    )
    assert findings(tmp_path, "TF1202", {**_HOSPITAL_APP, "backend/routes.py": routes}) == []
    # The route that runs the model is reported.
    served = routes + (
        "\n\nimport joblib\n\nmodel = joblib.load('model.joblib')\n\n\n"
        "@bp.route('/predict', methods=['POST'])\ndef predict():\n"
        "    return jsonify({'risk': float(model.predict([request.get_json()['x']])[0])})\n"
    )
    [finding] = findings(
        tmp_path / "served", "TF1202", {**_HOSPITAL_APP, "backend/routes.py": served}
    )
    assert "`/predict`" in finding.message


def test_tf301_a_modules_own_self_test_function(tmp_path: Path) -> None:
    # An auth service ends with `def test_auth_service():` registering example users
    # (`'password': 'Test@123456'`), run by hand: 2 FALSE. The same value in the
    # service's own code is reported.
    service = (
        "class AuthService:\n    def register_user(self, data):\n        return data\n\n\n"
        "def test_auth_service():\n    auth = AuthService()\n"
        "    user = {\n        'email': 'john.doe@example.com',\n        'password': 'Test@123456',\n    }\n"
        "    print(auth.register_user(user))\n"
    )
    assert findings(tmp_path, "TF301", {"backend/services/auth_service.py": service}) == []
    seeded = service + "\n\nADMIN = {'email': 'admin@hospital.org', 'password': 'Hosp@123456'}\n"
    [finding] = findings(tmp_path / "seeded", "TF301", {"backend/services/auth_service.py": seeded})
    assert finding.line == seeded.count("\n")


_DJANGO_LOGGING = """LOGGING = {
    'version': 1,
    'handlers': {
        'console': {'class': 'logging.StreamHandler'},
        'file': {'class': 'logging.FileHandler', 'filename': LOG_DIR / 'app.log'},
    },
    'root': {'handlers': ['console'], 'level': 'INFO'},
    'loggers': {'django': {'handlers': ['console'], 'level': 'INFO'}},
}
"""


def test_tf901_a_django_file_handler_no_logger_uses(tmp_path: Path) -> None:
    # A Django API defines a `'file'` handler and attaches only `'console'`: nothing
    # writes to the file (FALSE).
    settings = "from pathlib import Path\n\nLOG_DIR = Path('logs')\n" + _DJANGO_LOGGING
    assert findings(tmp_path, "TF901", {"api/settings.py": settings}) == []
    attached = settings.replace(
        "'django': {'handlers': ['console']", "'django': {'handlers': ['console', 'file']"
    )
    [finding] = findings(tmp_path / "attached", "TF901", {"api/settings.py": attached})
    assert "FileHandler" in finding.message
    # A computed list of handlers may name it: still reported.
    computed = settings.replace("'root': {'handlers': ['console']", "'root': {'handlers': HANDLERS")
    assert len(findings(tmp_path / "computed", "TF901", {"api/settings.py": computed})) == 1


def test_tf1203_a_model_of_the_requests_own_series(tmp_path: Path) -> None:
    # A stock forecaster fits a Prophet model on the history each request posts: the
    # per-series design, not preprocessing refitted away from training (FALSE).
    router = (
        "from fastapi import APIRouter\nfrom prophet import Prophet\n\nrouter = APIRouter()\n\n\n"
        "@router.post('/forecast')\nasync def generate_forecast(data: list[dict]):\n"
        "    model = Prophet(growth='logistic')\n    model.fit(to_frame(data))\n"
        "    return model.predict(model.make_future_dataframe(periods=30)).to_dict()\n"
    )
    files = {"requirements.txt": "fastapi==0.115.0\nprophet==1.1.5\n", "api/forecast.py": router}
    assert findings(tmp_path, "TF1203", files) == []
    scaled = router.replace(
        "    model = Prophet(growth='logistic')\n    model.fit(to_frame(data))\n",
        "    scaler = StandardScaler()\n    scaler.fit(to_frame(data))\n    model = MODEL\n",
    )
    [finding] = findings(tmp_path / "scaled", "TF1203", {**files, "api/forecast.py": scaled})
    assert "scaler.fit" in finding.message or "StandardScaler" in finding.message


# --------------------------------------------------------------------------- TF902

_TRAIN_STEP = """import joblib
from sklearn.ensemble import RandomForestClassifier


def train(frame):
    print("--- 1. loading data ---")
    model = RandomForestClassifier(random_state=0).fit(frame.drop(columns="y"), frame["y"])
    print("--- 2. saving model ---")
    joblib.dump(model, "models/model.joblib")


if __name__ == "__main__":
    train(load())
"""


def test_tf902_a_training_step_run_by_hand(tmp_path: Path) -> None:
    # Hand-run training scripts with a main block that nothing imports or runs
    # (`ml_model/training/train_random_forest.py`, a credit-scoring `src/train.py` only
    # its test imports): their step prints are their report, judged NOISE eight times.
    files = {
        "requirements.txt": "scikit-learn==1.5.2\njoblib==1.4.2\n",
        "app/__init__.py": "",
        "app/serve.py": "import logging\n\nlogger = logging.getLogger(__name__)\n",
        "app/train.py": _TRAIN_STEP,
        "tests/test_train.py": "from app.train import train\n\n\ndef test_train():\n    assert train\n",
    }
    assert findings(tmp_path, "TF902", files) == []
    # Run by the image or the orchestrator (by file or by module), it is the pipeline's
    # step, and its prints are the pipeline's log.
    for runner, text in (
        ("Dockerfile", 'FROM python:3.12.7-slim\nCMD ["python", "app/train.py"]\n'),
        ("compose.yml", "services:\n  train:\n    command: luigi --module app.train Train\n"),
        ("app/pipeline.py", "from app.train import train\n\ntrain(None)\n"),
    ):
        root = tmp_path / runner.replace("/", "_")
        [finding] = findings(root, "TF902", {**files, runner: text})
        assert finding.path == "app/train.py"


def test_tf301_a_real_key_in_a_debug_scripts_test_function(tmp_path: Path) -> None:
    # A retail recommender's one-off debug scripts call the API from `def
    # test_conversation():` with the service's real key: TRUE on five scripts. Only
    # example logins are a self-test's own.
    script = (
        "import requests\n\n\ndef test_conversation():\n"
        "    api_key = '2fed9a0c7b1e4d6f8a3c5e7b9d1f2a4c'\n"
        "    requests.post('https://api.example.org/chat', headers={'X-API-Key': api_key})\n"
    )
    [finding] = findings(tmp_path, "TF301", {"debug_conversation_state.py": script})
    assert finding.line == 5


def test_tf301_a_bracketed_name_in_a_connection_strings_help_text(tmp_path: Path) -> None:
    # A churn engine's Streamlit page shows `postgresql://user:[password]@host:5432/db`
    # as the format to type in (set AA, judged on the session's last commit: FALSE).
    page = (
        "import streamlit as st\n\n"
        "st.markdown('Format: `postgresql://user:[password]@host:5432/db`')\n"
    )
    assert findings(tmp_path, "TF301", {"app.py": page}) == []
    # A password written in is reported.
    real = page.replace("[password]", "Xk8pq2Lm9zRt")
    [finding] = findings(tmp_path / "real", "TF301", {"app.py": real})
    assert finding.line == 3
