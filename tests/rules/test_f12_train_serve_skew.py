"""TF1205: serving code re-implements the training code's preprocessing (issue 15, class 6)."""

from __future__ import annotations

from pathlib import Path

from twelvefold.config import Config

from tests.helpers import check, findings, make_repo

FEATURES = (
    "import pandas as pd\n\n\n"
    "def preprocess(frame: pd.DataFrame) -> pd.DataFrame:\n"
    '    """Fill gaps and derive the ratio the model was trained on."""\n'
    "    frame = frame.fillna(0)\n"
    '    frame["ratio"] = frame["total"] / frame["tenure"].clip(lower=1)\n'
    "    return frame\n"
)
TRAIN = (
    "import joblib\n"
    "from sklearn.linear_model import LogisticRegression\n\n"
    "from churn.features import preprocess\n\n\n"
    "def train(frame):\n"
    "    model = LogisticRegression(random_state=0).fit(preprocess(frame), frame.pop('y'))\n"
    "    joblib.dump(model, 'artifacts/model.joblib')\n"
)


def _project(service: str, extra: dict[str, str] | None = None) -> dict[str, str]:
    return {
        "pyproject.toml": '[project]\nname = "churn"\nversion = "0.1.0"\n',
        "Dockerfile": "FROM python:3.12-slim\n",
        "src/churn/__init__.py": "",
        "src/churn/features.py": FEATURES,
        "src/churn/train.py": TRAIN,
        "src/churn/service.py": service,
        **(extra or {}),
    }


def test_a_service_redefining_the_training_preprocess_is_reported(tmp_path: Path) -> None:
    service = (
        "import joblib\nimport pandas as pd\nfrom fastapi import FastAPI\n\n"
        "app = FastAPI()\nmodel = joblib.load('artifacts/model.joblib')\n\n\n"
        "def preprocess(frame: pd.DataFrame) -> pd.DataFrame:\n"
        '    frame["ratio"] = frame["total"] / frame["tenure"]\n'
        "    return frame\n\n\n"
        "@app.post('/predict')\n"
        "def predict(rows: list[dict]):\n"
        "    return model.predict(preprocess(pd.DataFrame(rows))).tolist()\n"
    )
    [finding] = findings(tmp_path, "TF1205", _project(service))
    assert (finding.path, finding.line) == ("src/churn/service.py", 9)
    assert "defines `preprocess` again although src/churn/features.py:4" in finding.message
    assert "churn.features" in finding.fix


def test_a_lambda_handler_copying_the_body_under_another_name_is_reported(tmp_path: Path) -> None:
    handler = (
        "import json\nimport pandas as pd\n\n\n"
        "def clean_payload(frame: pd.DataFrame) -> pd.DataFrame:\n"
        "    frame = frame.fillna(0)\n"
        '    frame["ratio"] = frame["total"] / frame["tenure"].clip(lower=1)\n'
        "    return frame\n\n\n"
        "def handler(event, context):\n"
        "    frame = clean_payload(pd.DataFrame(json.loads(event['body'])))\n"
        "    return {'statusCode': 200, 'body': frame.to_json()}\n"
    )
    [finding] = findings(tmp_path, "TF1205", _project("", {"serverless/handler.py": handler}))
    assert (finding.path, finding.line) == ("serverless/handler.py", 5)
    assert "repeats the body of `preprocess` (src/churn/features.py:4)" in finding.message


def test_serving_that_imports_or_wraps_the_shared_preprocessing_is_fine(tmp_path: Path) -> None:
    importing = (
        "import pandas as pd\nfrom fastapi import FastAPI\n\n"
        "from churn.features import preprocess\n\n"
        "app = FastAPI()\n"
    )
    wrapping = (
        "import pandas as pd\nfrom flask import Flask\n\n"
        "from churn import features\n\n"
        "app = Flask(__name__)\n\n\n"
        "def preprocess(rows: list[dict]) -> pd.DataFrame:\n"
        "    return features.preprocess(pd.DataFrame(rows))\n"
    )
    tests_copy = "def preprocess(frame):\n    return frame.fillna(0)\n"
    files = _project(
        importing,
        {"src/churn/web.py": wrapping, "tests/test_features.py": tests_copy},
    )
    assert findings(tmp_path, "TF1205", files) == []


def test_preprocessing_only_in_services_or_in_another_sub_project_is_fine(tmp_path: Path) -> None:
    """Two services each with their own input parsing share nothing with training; a
    preprocessing function of another sub-project is not this service's training code."""
    service_a = (
        "from fastapi import FastAPI\n\napp = FastAPI()\n\n\n"
        "def normalize_text(text: str) -> str:\n    return text.strip().lower()\n"
    )
    service_b = (
        "from flask import Flask\n\napp = Flask(__name__)\n\n\n"
        "def normalize_text(text: str) -> str:\n    return ' '.join(text.split())\n"
    )
    files = {
        "pyproject.toml": '[project]\nname = "svc"\nversion = "0.1.0"\n',
        "Dockerfile": "FROM python:3.12-slim\n",
        "api_a/main.py": service_a,
        "api_b/main.py": service_b,
        "forecasting/features.py": "def normalize_text(text):\n    return text.lower()\n",
        "forecasting/train.py": "from features import normalize_text\n",
    }
    assert findings(tmp_path, "TF1205", files) == []


def test_only_applications_are_checked(tmp_path: Path) -> None:
    service = (
        "from fastapi import FastAPI\n\napp = FastAPI()\n\n\n"
        "def preprocess(frame):\n    return frame.dropna()\n"
    )
    make_repo(tmp_path, _project(service))
    library = Config(kind="library", preview=True)
    assert check(tmp_path, select=["TF1205"], config=library).findings == []
    assert [f.code for f in check(tmp_path, select=["TF1205"]).findings] == ["TF1205"]
