"""Factor 12 rules: health endpoints, prediction logging, serving skew, model metadata."""

from __future__ import annotations

from pathlib import Path

from tests.helpers import findings, notebook

FASTAPI_NO_HEALTH = (
    "from fastapi import FastAPI\nimport joblib\n\n"
    "app = FastAPI()\nmodel = joblib.load('model.joblib')\n\n"
    "@app.post('/predict')\n"
    "def predict(features: dict):\n"
    "    return {'y': model.predict([list(features.values())]).tolist()}\n"
)
FLASK_NO_HEALTH = (
    "from flask import Flask, request, jsonify\n\n"
    "app = Flask(__name__)\n\n"
    "@app.route('/api/v1/score', methods=['POST'])\n"
    "def score():\n"
    "    return jsonify(model.predict(request.json['rows']).tolist())\n"
)

# ------------------------------------------------------------------- TF1201 health


def test_fastapi_service_without_health_is_reported(tmp_path: Path) -> None:
    [finding] = findings(tmp_path, "TF1201", {"app/main.py": FASTAPI_NO_HEALTH})
    assert finding.line == 8 and "`/predict` (predict)" in finding.message


def test_flask_service_without_health_is_reported(tmp_path: Path) -> None:
    [finding] = findings(tmp_path, "TF1201", {"serve.py": FLASK_NO_HEALTH})
    assert "/api/v1/score" in finding.message


def test_health_route_in_another_router_probe_or_bentoml_is_fine(tmp_path: Path) -> None:
    variants = [
        {
            "app/main.py": FASTAPI_NO_HEALTH,
            "app/ops.py": "from fastapi import APIRouter\nrouter = APIRouter()\n\n@router.get('/healthz')\ndef healthz():\n    return {'ok': True}\n",
        },
        {
            "serve.py": FLASK_NO_HEALTH,
            "Dockerfile": "FROM python:3.12-slim\nHEALTHCHECK CMD curl -f http://localhost:8000/ || exit 1\n",
        },
        {
            "serve.py": FLASK_NO_HEALTH,
            "k8s/deploy.yaml": "spec:\n  containers:\n    - readinessProbe:\n        httpGet: {path: /docs, port: 80}\n",
        },
        {
            "service.py": "import bentoml\n\n@bentoml.service\nclass Churn:\n    @bentoml.api\n    def predict(self, x): ...\n"
        },
        {"batch.py": "import pandas as pd\n\ndef predict(df):\n    return model.predict(df)\n"},
    ]
    for index, files in enumerate(variants):
        assert findings(tmp_path / str(index), "TF1201", files) == [], files


# ------------------------------------------------------------------- TF1202 prediction logging


def test_predictions_without_logging_are_info(tmp_path: Path) -> None:
    result = findings(
        tmp_path, "TF1202", {"app/main.py": FASTAPI_NO_HEALTH, "serve.py": FLASK_NO_HEALTH}
    )
    assert [(f.path, f.severity.value) for f in result] == [
        ("app/main.py", "info"),
        ("serve.py", "info"),
    ]


def test_logged_predictions_middleware_or_monitoring_are_fine(tmp_path: Path) -> None:
    logged = FASTAPI_NO_HEALTH.replace(
        "    return {", "    logger.info('prediction', extra={'inputs': features})\n    return {"
    )
    middleware = (
        FASTAPI_NO_HEALTH
        + "\n@app.middleware('http')\nasync def log_requests(request, call_next):\n    return await call_next(request)\n"
    )
    variants = [
        {"app/main.py": logged},
        {"app/main.py": middleware},
        {
            "app/main.py": FASTAPI_NO_HEALTH,
            "app/metrics.py": "from prometheus_fastapi_instrumentator import Instrumentator\n",
        },
    ]
    for index, files in enumerate(variants):
        assert findings(tmp_path / str(index), "TF1202", files) == []


def test_predictions_written_to_a_file_or_table_are_recorded(tmp_path: Path) -> None:
    # A handler that writes every prediction down has logged it; where it writes is
    # TF601's business (a local CSV is state), not this rule's.
    records = [
        "    with open('predictions.csv', 'a') as f:\n"
        "        f.write(f'{features},{prediction}\\n')\n",
        "    csv.writer(open('preds.csv', 'a')).writerow([features, prediction])\n",
        "    pd.DataFrame([features]).assign(y=prediction).to_csv('p.csv', mode='a')\n",
        "    db.execute('INSERT INTO predictions VALUES (?, ?)', (str(features), prediction))\n",
    ]
    for index, record in enumerate(records):
        app = FASTAPI_NO_HEALTH.replace("    return {", record + "    return {")
        assert app != FASTAPI_NO_HEALTH
        assert findings(tmp_path / str(index), "TF1202", {"app/main.py": app}) == []
    # A read is not a record.
    query = FASTAPI_NO_HEALTH.replace("    return {", "    db.execute('SELECT 1')\n    return {")
    assert len(findings(tmp_path / "select", "TF1202", {"app/main.py": query})) == 1


# ------------------------------------------------------------------- TF1203 preprocessing refit


def test_scaler_fitted_in_predict_handler_is_reported(tmp_path: Path) -> None:
    code = (
        "from fastapi import FastAPI\nfrom sklearn.preprocessing import StandardScaler\n\napp = FastAPI()\n\n"
        "@app.post('/predict')\n"
        "def predict(rows: list[list[float]]):\n"
        "    X = StandardScaler().fit_transform(rows)\n"
        "    return model.predict(X).tolist()\n"
    )
    [finding] = findings(tmp_path, "TF1203", {"api.py": code})
    assert "StandardScaler" in finding.message and finding.line == 7


def test_encoder_refit_in_flask_route_is_reported(tmp_path: Path) -> None:
    code = (
        "from flask import Flask, request\n\napp = Flask(__name__)\n\n"
        "@app.route('/predict', methods=['POST'])\n"
        "def predict():\n"
        "    df = pd.DataFrame(request.json)\n"
        "    df['city'] = encoder.fit_transform(df['city'])\n"
        "    return {'y': model.predict(df).tolist()}\n"
    )
    [finding] = findings(tmp_path, "TF1203", {"app.py": code})
    assert "encoder.fit_transform" in finding.message


def test_loaded_pipeline_transform_and_training_routes_are_fine(tmp_path: Path) -> None:
    code = (
        "from fastapi import FastAPI\nfrom sklearn.preprocessing import StandardScaler\n\napp = FastAPI()\n"
        "scaler = joblib.load('scaler.joblib')\n\n"
        "@app.post('/predict')\n"
        "def predict(rows: list[list[float]]):\n"
        "    return model.predict(scaler.transform(rows)).tolist()\n\n"
        "@app.post('/retrain')\n"
        "def retrain(rows: list[list[float]]):\n"
        "    StandardScaler().fit(rows)\n"
    )
    assert findings(tmp_path, "TF1203", {"api.py": code}) == []


# ------------------------------------------------------------------- TF1204 model metadata


def test_kaggle_pickle_to_fixed_name_is_info(tmp_path: Path) -> None:
    nb = notebook("import pickle", "with open('model.pkl', 'wb') as f:\n    pickle.dump(clf, f)")
    [finding] = findings(tmp_path, "TF1204", {"train.ipynb": nb})
    assert finding.cell == 1 and finding.cell_line == 2 and "'model.pkl'" in finding.message


def test_joblib_and_torch_fixed_names_are_reported(tmp_path: Path) -> None:
    files = {
        "train.py": "import joblib\n\njoblib.dump(model, 'models/model.joblib')\n",
        "nn/train.py": "import torch\nfrom pathlib import Path\n\ntorch.save(net.state_dict(), Path('checkpoints') / 'best.pt')\n",
    }
    result = findings(tmp_path, "TF1204", files)
    assert [(f.path, f.line) for f in result] == [("nn/train.py", 4), ("train.py", 3)]


def test_versioned_paths_metadata_and_registries_are_fine(tmp_path: Path) -> None:
    variants = [
        {"train.py": "import joblib\n\njoblib.dump(model, settings.model_dir / MODEL_FILE)\n"},
        {"train.py": "import joblib\n\njoblib.dump(model, f'models/{run_id}.joblib')\n"},
        {
            "train.py": "import joblib, json\n\njoblib.dump(model, 'model.joblib')\njson.dump({'version': v}, open('model.json', 'w'))\n"
        },
        {
            "train.py": "import joblib\nimport mlflow\n\njoblib.dump(model, 'model.joblib')\nmlflow.log_artifact('model.joblib')\n"
        },
        {
            "train.py": "import joblib\n\njoblib.dump(model, 'models/model.joblib')\n",
            "dvc.yaml": "stages:\n  train:\n    outs: [models/model.joblib]\n",
        },
        {
            "tests/test_io.py": "import joblib\n\ndef test_roundtrip(tmp_path):\n    joblib.dump(1, 'x.pkl')\n    assert True\n"
        },
    ]
    for index, files in enumerate(variants):
        assert findings(tmp_path / str(index), "TF1204", files) == [], files


UTILS_SAVE_OBJECT = (
    "import os\nimport pickle\n\n\n"
    "def save_object(file_path, obj):\n"
    "    os.makedirs(os.path.dirname(file_path), exist_ok=True)\n"
    "    with open(file_path, 'wb') as file_obj:\n"
    "        pickle.dump(obj, file_obj)\n"
)


def test_model_saved_through_a_project_helper_is_reported_at_the_call(tmp_path: Path) -> None:
    # Issue 15, class 14: the helper pickles whatever path its caller gives; the fixed
    # name is in the caller.
    files = {
        "src/utils.py": UTILS_SAVE_OBJECT,
        "src/train.py": (
            "from src.utils import save_object\n\n\n"
            "def train(model, x, y):\n"
            "    model.fit(x, y)\n"
            "    save_object('artifacts/model.pkl', model)\n"
            "    save_object(file_path='artifacts/preprocessor.pkl', obj=scaler)\n"
        ),
        "src/export.py": (
            "import joblib\nfrom src import helpers\n\n"
            "helpers.dump_model(clf, 'models/clf.joblib')\n"
        ),
        "src/helpers.py": (
            "import joblib\n\n\ndef dump_model(model, path, compress=3):\n"
            "    joblib.dump(model, path, compress=compress)\n"
        ),
        # a project `save_model(model, path)`, named like a registry's save
        "src/io_utils.py": (
            "import torch\n\n\ndef save_model(model, path):\n    torch.save(model.state_dict(), path)\n"
        ),
        "src/finetune.py": (
            "from .io_utils import save_model\n\n\ndef main(net):\n"
            "    save_model(net, 'checkpoints/best.pt')\n"
        ),
    }
    result = findings(tmp_path, "TF1204", files)
    assert [(f.path, f.line) for f in result] == [
        ("src/export.py", 4),
        ("src/finetune.py", 5),
        ("src/train.py", 6),
    ]
    export, _, train = result
    assert (
        "dump_model('models/clf.joblib', ...)" in export.message
        and "`src/helpers.py`" in export.message
    )
    assert "save_object('artifacts/model.pkl', ...)" in train.message
    assert "(and 1 more save in the same function)" in train.message


def test_helper_look_alikes_are_not_saves(tmp_path: Path) -> None:
    variants = [
        # the helper writes a report, not through a saver; the path is a model name
        {
            "src/utils.py": "def save_report(path, text):\n    open(path, 'w').write(text)\n",
            "src/train.py": "from src.utils import save_report\n\nsave_report('model.pkl', 'x')\n",
        },
        # the helper saves under a versioned folder it builds itself: the literal is a
        # name inside it, not the path the saver writes (the path parameter is `folder`)
        {
            "src/utils.py": "import joblib\n\n\ndef save_model_to(folder, name, model):\n"
            "    joblib.dump(model, folder)\n",
            "src/train.py": "from src.utils import save_model_to\n\nsave_model_to(run_dir, 'model.pkl', m)\n",
        },
        # a same-named function the project does not define (a library's), also beside
        # the project's own helper of that name
        {"src/train.py": "from mlem.api import save_object\n\nsave_object('model.pkl', m)\n"},
        {
            "src/utils.py": UTILS_SAVE_OBJECT,
            "src/train.py": "from mlem.api import save_object\n\nsave_object('model.pkl', m)\n",
        },
        # the helper is defined in a test module only
        {
            "tests/conftest.py": UTILS_SAVE_OBJECT,
            "src/train.py": "from tests.conftest import save_object\n\nsave_object('artifacts/model.pkl', m)\n",
        },
        # the project records metadata beside its models
        {
            "src/utils.py": UTILS_SAVE_OBJECT
            + "\n\ndef save_metadata(path, meta):\n    meta['version'] = 1\n",
            "src/train.py": "from src.utils import save_object\n\nsave_object('artifacts/model.pkl', m)\n",
        },
    ]
    for index, files in enumerate(variants):
        assert findings(tmp_path / str(index), "TF1204", files) == [], files


def test_project_calls_that_do_not_log_one_call_down_are_still_reported(tmp_path: Path) -> None:
    # Look-alike (test_real_lookalikes_f9_f12.py): the project method the route calls
    # logs each prediction. A wrapper that only computes (`np.log` is no logger), or that
    # logs two calls down, is not followed that far.
    model = (
        "import logging\nimport numpy as np\n\n"
        "logger = logging.getLogger(__name__)\n\n"
        "def _audit(y):\n"
        "    logger.info('prediction %s', y)\n\n"
        "class ChurnModel:\n"
        "    def predict(self, features):\n"
        "        y = np.log(self.model.predict([features])[0])\n"
        "        _audit(y)\n"
        "        return y\n\n"
        "    def reload(self):\n"
        "        logger.info('reloaded')\n"
    )
    api = (
        "from fastapi import FastAPI\n"
        "from app.model import ChurnModel\n\n"
        "app = FastAPI()\nmodel = ChurnModel()\n\n"
        "@app.get('/health')\ndef health():\n    return {'ok': True}\n\n"
        "@app.post('/predict')\n"
        "def predict(features: dict):\n"
        "    return {'y': model.predict(features)}\n"
    )
    files = {"app/__init__.py": "", "app/model.py": model, "app/main.py": api}
    [finding] = findings(tmp_path, "TF1202", files)
    assert finding.path == "app/main.py" and finding.line == 12
