"""Look-alikes from the twenty-first session's held-out sets (fresh-2026-12-07-m: loan
default and heart disease projects; fresh-2026-12-07-n: energy forecasting and anomaly
detection), each failing on the checker its set was judged on (`daf2199` for set M)."""

from __future__ import annotations

from pathlib import Path

from twelvefold.config import Config

from tests.helpers import check, findings, inferred_kind, make_repo, notebook

# --------------------------------------------------------------------------- TF1102

_OUTLIER_CLASS = """from sklearn.base import BaseEstimator, TransformerMixin


class OutlierRemover3SD(BaseEstimator, TransformerMixin):
    def fit(self, df, numerical_columns):
        self.stats_ = df[numerical_columns].agg(["mean", "std"])
        return self

    def transform(self, df):
        return df
"""


def test_tf1102_names_the_model_fit_not_a_preprocessing_step(tmp_path: Path) -> None:
    # A loan-default notebook fits a notebook-defined outlier remover first
    # (`outlier_remover_3sd.fit(X_train, numerical_columns)`) and trains the model dozens
    # of cells later. The untracked training was TRUE; naming the remover's `fit` as the
    # training was judged FALSE. The model's fit is named instead.
    cells = notebook(
        _OUTLIER_CLASS,
        "outlier_remover_3sd = OutlierRemover3SD()\n"
        "outlier_remover_3sd.fit(X_train, numerical_columns)\n",
        "from sklearn.linear_model import LogisticRegression\n\n"
        "pipeline = LogisticRegression(random_state=42)\n"
        "pipeline.fit(X_train, y_train)\n",
    )
    [finding] = findings(tmp_path, "TF1102", {"loan_default_prediction.ipynb": cells})
    assert "pipeline.fit" in finding.message
    assert "outlier" not in finding.message
    # An autoencoder is a model: fitting it is training.
    code = "autoencoder.fit(X_train, X_train, epochs=10)\n"
    [finding] = findings(tmp_path / "ae", "TF1102", {"train.py": code})
    assert "autoencoder.fit" in finding.message


# --------------------------------------------------------------------------- TF206

_APP_FILES = {
    "requirements.txt": "fastapi==0.115.0\nuvicorn==0.30.6\n",
    "api/__init__.py": "",
    "api/main.py": "from fastapi import FastAPI\n\napp = FastAPI()\n",
}


def test_tf206_a_hidden_one_off_helper_at_the_root(tmp_path: Path) -> None:
    # A heart-disease application's `.codex_build_defense_docx.py` renders a Markdown
    # guide into a .docx for the viva (judged NOISE: nobody adds python-docx to the app's
    # requirements for it). No import can name a module whose name starts with a dot: it
    # is run by hand, a one-off script. The same import in the application is reported.
    helper = "from docx import Document\n\nDocument().save('docs/guide.docx')\n"
    files = {**_APP_FILES, ".codex_build_defense_docx.py": helper}
    assert findings(tmp_path / "hidden", "TF206", files) == []
    files = {**_APP_FILES, "api/report.py": helper}
    [finding] = findings(tmp_path / "app", "TF206", files)
    assert finding.path == "api/report.py"


# --------------------------------------------------------------------------- TF301

_MINIO = """apiVersion: apps/v1
kind: Deployment
metadata:
  name: minio
spec:
  template:
    spec:
      containers:
        - name: minio
          image: minio/minio:RELEASE.2024-01-16T16-07-38Z
          env:
            - name: MINIO_ROOT_USER
              value: admin
          args: ["server", "/data"]
      rootUser: admin
      rootPassword: rootpass123
"""


def test_tf301_a_demo_login_in_a_parked_manifest(tmp_path: Path) -> None:
    # A loan-default platform keeps the MinIO manifest it dropped for GCS in
    # `kubernetes/disabled/`, outside the folder ArgoCD syncs (judged NOISE: a demo root
    # password in a manifest nothing deploys). The same manifest where it is deployed is
    # reported, and a provider's key in the parked folder still is.
    assert findings(tmp_path / "parked", "TF301", {"kubernetes/disabled/minio.yaml": _MINIO}) == []
    [finding] = findings(tmp_path / "live", "TF301", {"kubernetes/applications/minio.yaml": _MINIO})
    assert "demo login" in finding.message
    key = "aws_secret_access_key: " + "wJalrXUtnFEMI/K7MDENG/bPxRfiCYzEXAMPLEKEY"[::-1] + "\n"
    leaked = _MINIO + "      aws_access_key_id: AKIA" + "ZQ3DN4XKJ7WLPMRT" + "\n      " + key
    assert findings(tmp_path / "key", "TF301", {"kubernetes/disabled/minio.yaml": leaked})


# --------------------------------------------------------------------------- TF401

_KFP_PIPELINE = """from kfp import compiler, dsl

IMAGE = "us-central1-docker.pkg.dev/acme/apps/loan-trainer:1.0"
MLFLOW_URI = "http://mlflow.mlflow.svc.cluster.local:5000"


@dsl.container_component
def train_step():
    return dsl.ContainerSpec(image=IMAGE, command=["python", "src/train.py"])


@dsl.pipeline(name="loan-default-training")
def training_pipeline():
    task = train_step()
    task.set_env_variable("MLFLOW_TRACKING_URI", MLFLOW_URI)


if __name__ == "__main__":
    compiler.Compiler().compile(training_pipeline, "training_pipeline.yaml")
"""


def test_tf401_a_host_a_kubeflow_pipeline_puts_in_a_steps_environment(tmp_path: Path) -> None:
    # Judged both ways: NOISE on a loan-default platform ("deployment wiring, like a
    # manifest's env:"), TRUE on a workshop lab whose docs call the variable
    # customisable (a participant must edit code). A TRUE is not given up for a NOISE:
    # still reported.
    files = {"requirements.txt": "kfp==2.7.0\nmlflow==2.16.0\n"}
    files["ml/pipelines/training_pipeline.py"] = _KFP_PIPELINE
    [finding] = findings(tmp_path, "TF401", files)
    assert "mlflow.mlflow.svc.cluster.local" in finding.message


# --------------------------------------------------------------------------- TF1202

_DEPENDENCIES = """import json
from pathlib import Path

DEPLOY_DATA_DIR = Path("deploy/data")


def _load_json(path: Path) -> dict:
    return json.loads(path.read_text())


def get_price_forecast() -> dict:
    return _load_json(DEPLOY_DATA_DIR / "price_forecast.json")
"""

_ROUTES = """from datetime import datetime

from fastapi import APIRouter, FastAPI

from energy_forecasting.api import dependencies as deps

app = FastAPI()
router = APIRouter()


def _parse_forecast_response(raw: dict) -> dict:
    return {"issued_at": datetime.fromisoformat(raw["issued_at"]), "values": raw["values"]}


@router.get("/health")
def health() -> dict:
    return {"status": "ok"}


@router.get("/forecast/price")
def price_forecast() -> dict:
    return _parse_forecast_response(deps.get_price_forecast())


app.include_router(router)
"""


def test_tf1202_a_route_serving_the_forecast_a_batch_job_stored(tmp_path: Path) -> None:
    # An energy dashboard's API serves the JSON its daily inference job wrote: the route
    # `/forecast/price` calls `deps.get_price_forecast()` of another module, which reads
    # the file, and shapes it with `_parse_forecast_response` (4 routes judged FALSE). A
    # route whose helper predicts is still reported.
    files = {
        "pyproject.toml": '[project]\nname = "energy-forecasting"\nversion = "0.1.0"\n',
        "energy_forecasting/__init__.py": "",
        "energy_forecasting/api/__init__.py": "",
        "energy_forecasting/api/dependencies.py": _DEPENDENCIES,
        "energy_forecasting/api/routes.py": _ROUTES,
    }
    assert findings(tmp_path / "stored", "TF1202", files) == []
    files["energy_forecasting/api/dependencies.py"] = _DEPENDENCIES.replace(
        '    return _load_json(DEPLOY_DATA_DIR / "price_forecast.json")',
        "    import joblib\n\n"
        '    model = joblib.load(DEPLOY_DATA_DIR / "model.joblib")\n'
        '    return {"issued_at": "2026-01-01", "values": model.predict([[1.0]]).tolist()}',
    )
    [finding] = findings(tmp_path / "computed", "TF1202", files)
    assert "/forecast/price" in finding.message


# --------------------------------------------------------------------------- TF1101

_RUN_NOTEBOOKS = '''"""Re-run the analysis notebooks so their outputs are current."""

import subprocess
import sys

for name in ["02_model_evaluation", "04_error_analysis"]:
    subprocess.run(
        [sys.executable, "-m", "jupyter", "nbconvert", "--to", "notebook", "--execute",
         "--inplace", f"notebooks/{name}.ipynb"],
        check=True,
    )
'''


def test_tf1101_a_script_refreshing_notebook_outputs(tmp_path: Path) -> None:
    # An energy-forecast service's `scripts/run_notebooks.py` re-executes its
    # analysis-only notebooks in place (judged FALSE: it refreshes their outputs, the
    # model is trained by `scripts/retrain.py`). A pipeline module executing a notebook
    # into a run's output is reported, and so is a script writing another notebook.
    files = {"requirements.txt": "nbconvert==7.16.4\n", "scripts/run_notebooks.py": _RUN_NOTEBOOKS}
    assert findings(tmp_path / "refresh", "TF1101", files) == []
    files["scripts/run_notebooks.py"] = _RUN_NOTEBOOKS.replace(
        '"--inplace", ', '"--output", "run", '
    )
    assert len(findings(tmp_path / "output", "TF1101", files)) == 1
    files = {"requirements.txt": "nbconvert==7.16.4\n", "src/pipeline/train.py": _RUN_NOTEBOOKS}
    assert len(findings(tmp_path / "pipeline", "TF1101", files)) == 1


# --------------------------------------------------------------------------- TF1003

_NODES = """from sklearn.ensemble import RandomForestRegressor


def train_random_forest(X_train, y_train, params: dict) -> RandomForestRegressor:
    model = RandomForestRegressor(
        n_estimators=params["n_estimators"], random_state=params["random_state"]
    )
    model.fit(X_train, y_train)
    return model
"""


def test_tf1003_a_prototype_notebook_beside_seeded_pipeline_code(tmp_path: Path) -> None:
    # A Kedro energy-forecasting pipeline seeds its random-forest node from
    # `parameters_random_forest_pipeline.yml`; the exploration notebook the author
    # prototyped in has an unseeded `RandomForestRegressor()` (judged NOISE). Without
    # seeded training code the notebook is still reported.
    cells = notebook(
        "from sklearn.ensemble import RandomForestRegressor\n\n"
        "rfr = RandomForestRegressor(n_estimators=600, max_depth=3)\n"
        "rfr.fit(X_train, y_train)\n"
    )
    files = {
        "requirements.txt": "scikit-learn==1.5.1\n",
        "notebooks/Machine Learning - Energy_Forecasting.ipynb": cells,
        "src/energy_model/__init__.py": "",
        "src/energy_model/pipelines/random_forest/nodes.py": _NODES,
    }
    assert findings(tmp_path / "seeded", "TF1003", files) == []
    files["src/energy_model/pipelines/random_forest/nodes.py"] = _NODES.replace(
        ', random_state=params["random_state"]', ""
    )
    reported = findings(tmp_path / "unseeded", "TF1003", files)
    assert [f.path for f in reported] == ["src/energy_model/pipelines/random_forest/nodes.py"]
    del files["src/energy_model/pipelines/random_forest/nodes.py"]
    [finding] = findings(tmp_path / "alone", "TF1003", files)
    assert finding.path.endswith(".ipynb")


# --------------------------------------------------------------------------- set O

_APP = """import logging
import time

from fastapi import FastAPI, Request
from starlette.middleware.base import BaseHTTPMiddleware

from src.api.routes import predict

logger = logging.getLogger(__name__)


class RequestLoggingMiddleware(BaseHTTPMiddleware):
    async def dispatch(self, request: Request, call_next):
        start = time.perf_counter()
        response = await call_next(request)
        logger.info("%s %s %.1f ms", request.url.path, response.status_code,
                    (time.perf_counter() - start) * 1000)
        return response


app = FastAPI()
app.add_middleware(RequestLoggingMiddleware)
app.include_router(predict.router)


@app.get("/health")
def health() -> dict:
    return {"status": "healthy"}
"""

_PREDICT_ROUTER = """from fastapi import APIRouter

from src.model import classifier

router = APIRouter()


@router.post("/predict")
def predict(text: str) -> dict:
    return {"label": classifier.predict([text])[0]}
"""


def test_tf1202_a_request_middleware_registered_by_the_app_module(tmp_path: Path) -> None:
    # A text-classification API logs every `/predict*` request in a middleware that
    # `src/api/app.py` registers; the routes live in `src/api/routes/predict.py` (2
    # FALSE: the middleware was looked for in the route's module only). A router in a
    # folder the middleware's app does not cover is still reported.
    files = {
        "requirements.txt": "fastapi==0.115.0\n",
        "src/__init__.py": "",
        "src/api/__init__.py": "",
        "src/api/app.py": _APP,
        "src/api/routes/__init__.py": "",
        "src/api/routes/predict.py": _PREDICT_ROUTER,
    }
    assert findings(tmp_path / "middleware", "TF1202", files) == []
    files["src/batch/__init__.py"] = ""
    files["src/batch/service.py"] = _PREDICT_ROUTER.replace(
        "router = APIRouter()", "router = APIRouter()\n"
    )
    files["src/api/app.py"] = _APP
    files["src/api/routes/predict.py"] = _PREDICT_ROUTER
    [finding] = findings(tmp_path / "elsewhere", "TF1202", files)
    assert finding.path == "src/batch/service.py"


def test_tf1102_quotes_a_mixed_precision_backward_as_written(tmp_path: Path) -> None:
    # A plant-disease ResNet script's `scaler.scale(loss).backward()` was quoted as
    # `scaler.scale.backward()` (judged TRUE, with a note on the garbled call).
    code = (
        "import torch\n\n"
        "scaler = torch.cuda.amp.GradScaler()\n"
        "for images, labels in loader:\n"
        "    loss = criterion(model(images), labels)\n"
        "    scaler.scale(loss).backward()\n"
    )
    [finding] = findings(tmp_path, "TF1102", {"train.py": code})
    assert "`scaler.scale(loss).backward()`" in finding.message


_HISTORY = """from flask import Blueprint, redirect, url_for

from app.extensions import db
from app.models import Prediction

history_bp = Blueprint("history", __name__)


@history_bp.get("/health")
def health():
    return {"status": "ok"}


@history_bp.post("/history/<int:prediction_id>/delete")
def delete(prediction_id):
    item = Prediction.query.filter_by(id=prediction_id).first_or_404()
    db.session.delete(item)
    db.session.commit()
    return redirect(url_for("history.index"))
"""


def test_tf1202_a_route_whose_placeholder_names_a_prediction(tmp_path: Path) -> None:
    # A plant-disease Flask app's `/history/<int:prediction_id>/delete` deletes a stored
    # record (judged FALSE): the placeholder named the route a prediction route, and
    # `db.session.delete` read as a model session. A `/predict` route is still asked.
    files = {
        "requirements.txt": "flask==3.0.3\n",
        "app/__init__.py": "",
        "app/routes/history.py": _HISTORY,
    }
    assert findings(tmp_path / "delete", "TF1202", files) == []
    files["app/routes/history.py"] = (
        _HISTORY.replace('"/history/<int:prediction_id>/delete"', '"/predict/<int:prediction_id>"')
        .replace("def delete(", "def predict_again(")
        .replace(
            "    db.session.delete(item)\n", "    item.label = model.predict([item.features])[0]\n"
        )
    )
    assert len(findings(tmp_path / "predict", "TF1202", files)) == 1


def test_tf206_sqlalchemy_with_flask_sqlalchemy_declared(tmp_path: Path) -> None:
    # Flask-SQLAlchemy requires SQLAlchemy (2.5.1 and 3.1.1 alike): `from sqlalchemy
    # import func` beside a declared `Flask-SQLAlchemy==3.1.1` was judged FALSE.
    code = "from flask_sqlalchemy import SQLAlchemy\nfrom sqlalchemy import func\n\ndb = SQLAlchemy()\n"
    files = {"requirements.txt": "Flask==3.0.3\nFlask-SQLAlchemy==3.1.1\n", "app/models.py": code}
    assert findings(tmp_path / "declared", "TF206", files) == []
    files["requirements.txt"] = "Flask==3.0.3\n"
    assert len(findings(tmp_path / "undeclared", "TF206", files)) == 1


def test_tf103_dataset_manifests_of_hashes(tmp_path: Path) -> None:
    # A plant-disease app keeps its images out of git and commits, under
    # `training/datasets/manifests/`, tables of each image's path, split and SHA-256
    # (judged FALSE: they are how its dataset is versioned). The same volume of plain
    # feature tables is reported.
    header = "dataset,role,source_path,sha256,width,height\n"
    row = "PLDD-UP,train,EB/early-blight (1).jpeg," + "9d76a69b" * 8 + ",404,363\n"
    manifest = header + row * 70_000  # about 6 MB
    files = {"requirements.txt": "flask==3.0.3\n", "app/__init__.py": ""}
    files["training/datasets/manifests/dataset-v2-test.csv"] = manifest
    assert findings(tmp_path / "manifest", "TF103", files) == []
    files["training/datasets/manifests/dataset-v2-test.csv"] = manifest.replace("sha256", "feature")
    assert len(findings(tmp_path / "table", "TF103", files)) == 1


_LAMBDA_DOCKERFILE = """FROM public.ecr.aws/lambda/python:3.9
COPY lambda_function.py embedding_utils.py ${LAMBDA_TASK_ROOT}/
COPY requirements.txt .
RUN pip install -r requirements.txt
CMD [ "lambda_function.lambda_handler" ]
"""


def test_tf206_boto3_in_a_module_of_a_lambda_image(tmp_path: Path) -> None:
    # A document classifier's Lambda image copies `embedding_utils.py`, which imports
    # boto3, beside the handler (judged NOISE): Lambda's Python runtime, which AWS's base
    # image is, includes the SDK. On another base image boto3 is still undeclared.
    files = {
        "Dockerfile": _LAMBDA_DOCKERFILE,
        "requirements.txt": "numpy==1.26.4\n",
        "lambda_function.py": "from embedding_utils import embed\n\n\n"
        "def lambda_handler(event, context):\n    return embed(event['text'])\n",
        "embedding_utils.py": "import boto3\n\n\ndef embed(text):\n"
        "    return boto3.client('bedrock-runtime').invoke_model(body=text)\n",
    }
    assert findings(tmp_path / "lambda", "TF206", files) == []
    files["Dockerfile"] = _LAMBDA_DOCKERFILE.replace(
        "public.ecr.aws/lambda/python:3.9", "python:3.9-slim"
    )
    [finding] = findings(tmp_path / "slim", "TF206", files)
    assert finding.path == "embedding_utils.py"


def test_tf902_a_tuning_script_at_the_root(tmp_path: Path) -> None:
    # `train_model.py` at a Lambda project's root runs an Optuna study, trains the
    # booster and prints the results at its top level; its one function is the objective
    # (judged NOISE: a hand-run script's output). A pipeline module printing progress
    # inside its functions is still reported.
    code = (
        "import lightgbm as lgb\nimport optuna\n\n\n"
        "def objective(trial):\n    return trial.suggest_float('lr', 0.01, 0.3)\n\n\n"
        "study = optuna.create_study(direction='maximize')\n"
        "study.optimize(objective, n_trials=50)\n"
        "print('Best hyperparameters: ', study.best_params)\n"
        "bst = lgb.train(study.best_params, train_data, 100)\n"
        "print('Model saved.')\n"
    )
    files = {"requirements.txt": "lightgbm==4.5.0\noptuna==4.0.0\n", "train_model.py": code}
    assert findings(tmp_path / "script", "TF902", files) == []
    files["train_model.py"] = (
        "import lightgbm as lgb\n\n\n"
        "def train(params, data):\n"
        "    for fold in range(5):\n"
        "        lgb.train(params, data, 100)\n"
        "        print(f'fold {fold} done')\n"
    )
    assert len(findings(tmp_path / "module", "TF902", files)) == 1


# --------------------------------------------------------------------------- set P

_CHURN_ROUTE = """import pandas as pd
from fastapi import APIRouter, UploadFile

from app.db import save_customer_uploads, save_prediction_results
from app.model import predict_dataframe

router = APIRouter()


@router.get("/health")
def health() -> dict:
    return {"status": "ok"}


@router.post("/predict")
async def predict(file: UploadFile):
    df = pd.read_excel(await file.read())
    save_customer_uploads(df=df)
    predictions = predict_dataframe(df)
    save_prediction_results(predictions=predictions)
    return {"predictions": predictions}
"""


def test_tf1202_a_route_saving_its_predictions_to_the_database(tmp_path: Path) -> None:
    # A churn service stores every uploaded row and every prediction in MySQL through
    # project helpers (`save_prediction_results(...)`; judged FALSE). Saving the model is
    # not logging a prediction.
    files = {
        "requirements.txt": "fastapi==0.115.0\n",
        "app/__init__.py": "",
        "app/routes.py": _CHURN_ROUTE,
    }
    assert findings(tmp_path / "saved", "TF1202", files) == []
    files["app/routes.py"] = _CHURN_ROUTE.replace(
        "save_customer_uploads(df=df)", "save_model()"
    ).replace("    save_prediction_results(predictions=predictions)\n", "")
    assert len(findings(tmp_path / "model", "TF1202", files)) == 1


def test_tf303_a_configuration_template(tmp_path: Path) -> None:
    # An OCR API's `config-example.py`, copied to the ignored `config.py` and edited by
    # each user, carries its author's paths as sample values (4 judged NOISE). The same
    # path in the application's code is reported.
    config = (
        "class Config:\n    MODELS_FOLDER = 'C:/Users/LachubCz_NTB/Documents/PERO-API/models'\n"
    )
    assert findings(tmp_path / "template", "TF303", {"config-example.py": config}) == []
    assert len(findings(tmp_path / "code", "TF303", {"app/config_loader.py": config})) == 1


def test_tf1001_tf801_a_generated_stub(tmp_path: Path) -> None:
    # Three commits in: `uv init`'s hello-world `main.py` and one EDA notebook (judged
    # NOISE: nothing to test or to run in CI yet). A project with code of its own is told.
    stub = 'def main():\n    print("Hello from customer-churn-mlops!")\n\n\nif __name__ == "__main__":\n    main()\n'
    files = {
        "pyproject.toml": '[project]\nname = "customer-churn-mlops"\nversion = "0.1.0"\n',
        "main.py": stub,
        "notebooks/eda.ipynb": notebook(
            "import pandas as pd\ndf = pd.read_csv('../data/raw/train.csv')"
        ),
    }
    assert findings(tmp_path / "stub", "TF1001", files) == []
    assert findings(tmp_path / "stub-ci", "TF801", files) == []
    files["main.py"] = stub + "\n\ndef churn_rate(df):\n    return df['Churn'].mean()\n" * 8
    assert len(findings(tmp_path / "code", "TF1001", files)) == 1


def test_tf206_the_import_after_a_pip_install_fallback(tmp_path: Path) -> None:
    # A report generator installs python-docx in its `except ImportError:` and imports
    # it again (judged NOISE: TF205 already reports the install). An import of it
    # elsewhere, unguarded, is reported.
    code = (
        "import subprocess\nimport sys\n\n"
        "try:\n    from docx import Document\nexcept ImportError:\n"
        '    subprocess.check_call([sys.executable, "-m", "pip", "install", "python-docx"])\n'
        "    from docx import Document\n"
    )
    files = {"requirements.txt": "pandas==2.2.2\n", "generate_report.py": code}
    assert findings(tmp_path / "fallback", "TF206", files) == []
    files["report.py"] = "from docx import Document\n"
    [finding] = findings(tmp_path / "plain", "TF206", files)
    assert finding.path == "report.py"
    # An install at a module's top level (a Colab export's `os.system("pip install -q
    # lightgbm shap")`) leaves its later imports required (5 judged TRUE).
    exported = 'import os\nos.system("pip install -q lightgbm shap")\n\nimport seaborn as sns\n'
    files = {"requirements.txt": "pandas==2.2.2\n", "models/multiclass_models.py": exported}
    [finding] = findings(tmp_path / "exported", "TF206", files)
    assert "seaborn" in finding.message


# --------------------------------------------------------------------------- set Q

_EXAMPLE_SCRIPT = '''"""
Example script demonstrating how to use the Resume Analysis System.
"""

import logging

from django.core.files.base import ContentFile

logger = logging.getLogger(__name__)


def analyze(path):
    print(f"Analyzing {path}...")
    return ContentFile(b"")


def main():
    analyze("resume.pdf")
    print("Done.")


if __name__ == "__main__":
    main()
'''


def test_tf902_an_example_script_in_a_django_app(tmp_path: Path) -> None:
    # A resume-screening backend keeps `apps/ai/resume_analysis.py`, "Example script
    # demonstrating how to use ...", with a main block, beside its Django app (judged
    # FALSE: nothing imports it). The same module without the docstring is reported.
    files = {
        "requirements.txt": "django==5.0.6\n",
        "apps/__init__.py": "",
        "apps/ai/__init__.py": "",
    }
    files["apps/ai/resume_analysis.py"] = _EXAMPLE_SCRIPT
    assert findings(tmp_path / "example", "TF902", files) == []
    files["apps/ai/resume_analysis.py"] = _EXAMPLE_SCRIPT.replace(
        "Example script demonstrating how to use", "Analysis of"
    )
    assert len(findings(tmp_path / "module", "TF902", files)) == 1


def test_tf902_an_old_copy_beside_the_module(tmp_path: Path) -> None:
    # A fact-checking backend keeps `backend/verifier_old.py` beside `verifier.py`
    # (judged NOISE: nothing imports it). The live module is reported.
    code = (
        "from fastapi import FastAPI\n\napp = FastAPI()\n\n\n"
        "def verify(claim):\n    print(f'verifying {claim}')\n    return True\n"
    )
    files = {"requirements.txt": "fastapi==0.115.0\n", "backend/__init__.py": ""}
    files["backend/verifier_old.py"] = code
    assert findings(tmp_path / "old", "TF902", files) == []
    files["backend/verifier.py"] = code
    [finding] = findings(tmp_path / "live", "TF902", files)
    assert finding.path == "backend/verifier.py"


def test_tf205_an_install_only_colab_runs(tmp_path: Path) -> None:
    # A Streamlit fact-checker's demo notebook installs its packages under `if
    # 'google.colab' in sys.modules:` (judged NOISE: locally the project installs with
    # `uv sync`). The same install unguarded is reported.
    cell = (
        "import sys\n\nif 'google.colab' in sys.modules:\n"
        "    !pip install -q underthesea transformers datasets\n"
    )
    files = {
        "pyproject.toml": '[project]\nname = "verity"\nversion = "0.1.0"\n',
        "app.py": "import streamlit\n",
    }
    files["notebooks/Verity_End_to_End.ipynb"] = notebook(cell)
    assert findings(tmp_path / "colab", "TF205", files) == []
    files["notebooks/Verity_End_to_End.ipynb"] = notebook(
        "!pip install -q underthesea transformers datasets\n"
    )
    assert len(findings(tmp_path / "local", "TF205", files)) == 1


def test_tf806_a_conda_env_export(tmp_path: Path) -> None:
    # A dissertation's `environment.yml` is a `conda env export` (about 300 packages,
    # each pinned to its build: judged FALSE, the conda twin of a pip freeze). A
    # hand-written environment of a few pins still is no full lock.
    specs = "".join(f"  - pkg{i}=1.{i}.0=py38_0\n" for i in range(40))
    files = {
        "environment.yml": f"name: fake-news\nchannels:\n  - defaults\ndependencies:\n{specs}",
        "src/detect.py": "import pkg0\n",
    }
    assert findings(tmp_path / "export", "TF806", files) == []
    files["environment.yml"] = (
        "name: fake-news\nchannels:\n  - defaults\ndependencies:\n  - numpy=1.26.4\n"
    )
    assert len(findings(tmp_path / "hand", "TF806", files)) == 1


# --------------------------------------------------------------------------- set R


def test_tf503_a_courses_base_image_in_each_students_folder(tmp_path: Path) -> None:
    # A science club's MLOps exercises: one `model_api_N/` per student, each `FROM
    # continuumio/anaconda3` (12 NOISE: one lesson's choice reported per folder). One
    # finding names the others.
    files = {
        "README.md": "# MLOps course\n\nExercises of the course: lesson 1, containerised models.\n",
        "lessons/01_containers.md": "# Lesson 1\n",
    }
    for number in range(1, 5):
        files[f"01_containerized_ml_models/model_api_{number}/Dockerfile"] = (
            'FROM continuumio/anaconda3\nCOPY app.py /app/\nCMD ["python", "/app/app.py"]\n'
        )
        files[f"01_containerized_ml_models/model_api_{number}/app.py"] = "import flask\n"
    make_repo(tmp_path, files)
    config = Config(kind="course", select=["TF503"])
    [finding] = check(tmp_path, config=config).findings
    assert "(and in 3 more Dockerfiles)" in finding.message


def test_tf701_a_notebook_exported_as_a_script(tmp_path: Path) -> None:
    # `experiments/upbit_api/BTC_news_crawling_API.py`, a notebook saved with `jupyter
    # nbconvert --to script` (`get_ipython().system(...)`, `# In[3]:`), fetches the news
    # at its top level: its purpose, run by hand (judged FALSE as an import-time
    # download). The same call in a module the service imports is reported.
    exported = (
        "#!/usr/bin/env python\n# coding: utf-8\n\n# In[1]:\n\n\n"
        'get_ipython().system("pip install requests schedule")\n\n\n# In[3]:\n\n\n'
        "import requests\n\n"
        'news = requests.get("https://cryptopanic.com/api/v1/posts/").json()\n'
    )
    files = {"requirements.txt": "requests==2.32.3\n", "experiments/upbit_api/crawl.py": exported}
    assert findings(tmp_path / "export", "TF701", files) == []
    module = (
        "import requests\n\nnews = requests.get('https://cryptopanic.com/api/v1/posts/').json()\n"
    )
    files = {
        "requirements.txt": "requests==2.32.3\nfastapi==0.115.0\n",
        "app/__init__.py": "",
        "app/news.py": module,
        "app/main.py": "from fastapi import FastAPI\n\nfrom app.news import news\n\napp = FastAPI()\n",
    }
    assert len(findings(tmp_path / "module", "TF701", files)) == 1


_CCDS_PYPROJECT = """[build-system]
requires = ["flit_core >=3.2,<4"]
build-backend = "flit_core.buildapi"

[project]
name = "mlops_online_news_popularity"
version = "0.0.1"
readme = "README.md"
classifiers = [
    "Programming Language :: Python :: 3",
]
requires-python = "~=3.10.0"
"""


def test_a_cookiecutter_data_science_project_is_no_library(tmp_path: Path) -> None:
    # A team's news-popularity pipeline generated by cookiecutter-data-science: the
    # template's pyproject carries one classifier, which made it a library, so its
    # unpinned requirements.txt went unreported (listed as missed). Its README's CCDS
    # badge says what it is. A library's classifiers still make it a library.
    readme = (
        "# mlops-project\n\n"
        '<a target="_blank" href="https://cookiecutter-data-science.drivendata.org/">\n'
        '    <img src="https://img.shields.io/badge/CCDS-Project%20template-328F97?logo=cookiecutter" />\n'
        "</a>\n"
    )
    files = {
        "README.md": readme,
        "pyproject.toml": _CCDS_PYPROJECT,
        "requirements.txt": "loguru  # logging\ntqdm  # progress bars\n",
        "mlops_online_news_popularity/__init__.py": "",
    }
    make_repo(tmp_path / "ccds", files)
    assert inferred_kind(tmp_path / "ccds") == "application"
    files["README.md"] = "# mlops-project\n"
    make_repo(tmp_path / "library", files)
    assert inferred_kind(tmp_path / "library") == "library"
