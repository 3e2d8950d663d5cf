"""Factor 6 rules: web services that keep state on local disk or in module-level stores."""

from __future__ import annotations

from pathlib import Path

from tests.helpers import findings, notebook

PREDICT_LOGGING_TO_CSV = """import csv
from datetime import datetime

import joblib
import pandas as pd
from fastapi import FastAPI, UploadFile

app = FastAPI()
model = joblib.load("model.joblib")
UPLOAD_DIR = Path(__file__).parent / "uploads"


def log_prediction(features, label):
    with open("predictions.csv", "a", newline="") as handle:
        csv.writer(handle).writerow([datetime.now().isoformat(), *features, label])


@app.post("/predict")
def predict(features: list[float]) -> dict:
    label = int(model.predict([features])[0])
    log_prediction(features, label)
    return {"label": label}


@app.post("/upload")
async def upload(file: UploadFile) -> dict:
    (UPLOAD_DIR / file.filename).write_bytes(await file.read())
    return {"ok": True}
"""


# ------------------------------------------------------------------- TF601 local state


def test_fastapi_service_logging_predictions_and_saving_uploads_is_reported(tmp_path: Path) -> None:
    found = findings(tmp_path, "TF601", {"app/main.py": PREDICT_LOGGING_TO_CSV})
    assert [(f.line, f.severity.value) for f in found] == [(14, "warning"), (27, "warning")]
    assert (
        "`log_prediction` (called by a request handler) appends to the local file `predictions.csv`"
        in found[0].message
    )
    assert (
        "request handler `upload` writes the local file `<module dir>/uploads/{...}`"
        in found[1].message
    )


def test_flask_service_with_sqlite_and_dataframe_append_is_reported(tmp_path: Path) -> None:
    service = (
        "import sqlite3\n"
        "import pandas as pd\n"
        "from flask import Flask, request\n"
        "app = Flask(__name__)\n"
        "\n"
        "@app.route('/score', methods=['POST'])\n"
        "def score():\n"
        "    row = pd.DataFrame([request.json])\n"
        "    row.to_csv('scored.csv', mode='a', header=False)\n"
        "    db = sqlite3.connect('feedback.db')\n"
        "    db.execute('insert into feedback values (?)', (request.json['y'],))\n"
        "    request.files['image'].save(f'static/uploads/{request.json[\"id\"]}.png')\n"
        "    return 'ok'\n"
    )
    found = findings(tmp_path, "TF601", {"service.py": service})
    assert [f.line for f in found] == [9, 10, 12]
    assert "appends to (`to_csv`) the local file `scored.csv`" in found[0].message
    assert "SQLite database in the local file `feedback.db`" in found[1].message
    assert "saves to the local file `static/uploads/{...}.png`" in found[2].message


def test_temp_files_configured_paths_training_jobs_and_notebooks_are_fine(tmp_path: Path) -> None:
    service = (
        "import os, sqlite3, tempfile\n"
        "from fastapi import FastAPI, UploadFile\n"
        "from churn.config import settings\n"
        "app = FastAPI()\n"
        "\n"
        "@app.on_event('startup')\n"
        "def warm():\n"
        "    open('ready.flag', 'w').close()\n"
        "\n"
        "@app.post('/predict')\n"
        "async def predict(file: UploadFile):\n"
        "    with tempfile.NamedTemporaryFile(suffix='.wav') as tmp:\n"
        "        tmp.write(await file.read())\n"
        "    with open('/tmp/last_request.json', 'w') as handle:\n"
        "        handle.write('{}')\n"
        "    with open('model_card.md') as card:\n"
        "        card.read()\n"
        "    db = sqlite3.connect(':memory:')\n"
        "    with open(os.path.join(settings.output_dir, 'audit.jsonl'), 'a') as audit:\n"
        "        audit.write('{}')\n"
        "    open('.cache/embeddings.npy', 'wb').close()\n"
        "    return {}\n"
    )
    training = (
        "import pandas as pd\n"
        "def main():\n"
        "    df = pd.read_csv('data/train.csv')\n"
        "    df.to_csv('data/processed/train.csv')\n"
        "    with open('metrics.json', 'w') as f:\n"
        "        f.write('{}')\n"
    )
    files = {
        "app/main.py": service,
        "train.py": training,
        "demo.ipynb": notebook(
            "from fastapi import FastAPI\napp = FastAPI()\n@app.get('/')\ndef root():\n    open('log.csv', 'a').write('x')"
        ),
        "tests/test_main.py": "from fastapi.testclient import TestClient\n@app.get('/x')\ndef x():\n    open('out.csv', 'w')\n",
    }
    assert findings(tmp_path, "TF601", files) == []


# ------------------------------------------------------------------- TF602 module-level store


def test_job_store_and_history_list_in_a_service_are_reported(tmp_path: Path) -> None:
    service = (
        "from collections import defaultdict\n"
        "from fastapi import FastAPI\n"
        "app = FastAPI()\n"
        "JOBS: dict[str, dict] = {}\n"
        "history = []\n"
        "counts = defaultdict(int)\n"
        "\n"
        "@app.post('/jobs/{job_id}')\n"
        "def create(job_id: str):\n"
        "    JOBS[job_id] = {'status': 'queued'}\n"
        "    return JOBS[job_id]\n"
        "\n"
        "@app.post('/predict')\n"
        "def predict(x: float):\n"
        "    history.append(x)\n"
        "    counts['predict'] += 1\n"
        "    return {'n': len(history)}\n"
    )
    found = findings(tmp_path, "TF602", {"api.py": service})
    # Reported where each store is defined, the mutation as the related place.
    assert [(f.line, f.severity.value) for f in found] == [
        (4, "warning"),
        (5, "warning"),
        (6, "warning"),
    ]
    assert (
        "module-level `JOBS` is mutated by item assignment in request handler `create` (see line 10)"
        in found[0].message
    )
    assert found[0].related == ((10, "`JOBS` mutated by item assignment in `create`"),)
    assert (
        "`history` is mutated by `.append()` in request handler `predict` (see line 15)"
        in found[1].message
    )
    assert "`counts`" in found[2].message and found[2].related[0][0] == 16


def test_flask_session_store_is_reported(tmp_path: Path) -> None:
    service = (
        "import flask\n"
        "app = flask.Flask(__name__)\n"
        "SESSIONS = dict()\n"
        "@app.route('/login', methods=['POST'])\n"
        "def login():\n"
        "    SESSIONS.update({flask.request.form['user']: True})\n"
        "    return 'ok'\n"
    )
    [finding] = findings(tmp_path, "TF602", {"web/app.py": service})
    assert finding.line == 3 and "`SESSIONS`" in finding.message
    assert finding.related[0][0] == 6


def test_constants_caches_startup_state_and_scripts_are_fine(tmp_path: Path) -> None:
    service = (
        "import joblib\n"
        "from contextlib import asynccontextmanager\n"
        "from fastapi import FastAPI\n"
        "LABELS = ['cat', 'dog']\n"
        "ml_models = {}\n"
        "_cache = {}\n"
        "MODELS = {}\n"
        "\n"
        "@asynccontextmanager\n"
        "async def lifespan(app):\n"
        "    ml_models['clf'] = joblib.load('model.joblib')\n"
        "    yield\n"
        "    ml_models.clear()\n"
        "\n"
        "app = FastAPI(lifespan=lifespan)\n"
        "\n"
        "@app.get('/predict/{name}')\n"
        "def predict(name: str, x: float):\n"
        "    if name not in MODELS:\n"
        "        MODELS[name] = joblib.load(f'models/{name}.joblib')\n"
        "    _cache[x] = MODELS[name].predict([[x]])\n"
        "    result = []\n"
        "    result.append(LABELS[int(_cache[x][0])])\n"
        "    return {'label': result[0]}\n"
    )
    script = "results = []\nfor fold in range(5):\n    results.append(fold)\n"
    files = {"app/main.py": service, "cv.py": script}
    assert findings(tmp_path, "TF602", files) == []
