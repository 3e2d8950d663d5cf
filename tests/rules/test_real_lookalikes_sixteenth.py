"""Look-alikes from the sixteenth session's held-out set (UUU: ML pipelines, recommender
libraries and applications), each failing on the checker the set was judged on."""

from __future__ import annotations

from pathlib import Path

from twelvefold.config import Config

from tests.helpers import check, findings, make_repo

# --------------------------------------------------------------------------- TF301


def test_tf301_a_requirement_naming_a_secret_package(tmp_path: Path) -> None:
    # simon-bouchard/book-recommendation-platform's conda-exported requirements.txt pins
    # `microsoft-security-utilities-secret-masker==1.0.0b4` (FALSE, at error): a
    # package's name and version. An index URL's credentials there are still a secret.
    requirements = (
        "azure-keyvault-secrets==4.7.0\n"
        "microsoft-security-utilities-secret-masker==1.0.0b4\n"
        "pandas==2.2.2\n"
    )
    assert findings(tmp_path / "names", "TF301", {"requirements.txt": requirements}) == []
    leaked = "--extra-index-url https://deploy:Zq8vN3kTw4Lp9xRe@pypi.internal.example/simple\n"
    [finding] = findings(tmp_path / "url", "TF301", {"requirements.txt": leaked + requirements})
    assert finding.line == 1 and "connection string" in finding.message


# --------------------------------------------------------------------------- TF206


def test_tf206_modules_a_declared_distribution_always_installs(tmp_path: Path) -> None:
    # aurelpow/nba-ml-pipeline catches `google.api_core.exceptions` beside its declared
    # google-cloud-bigquery, and imports `requests` beside nba_api (NOISE twice). A module
    # nothing declared brings is still reported.
    module = (
        "import requests\n"
        "from google.api_core.exceptions import NotFound\n"
        "from google.cloud import bigquery\n"
        "from nba_api.stats.endpoints import leaguegamefinder\n"
    )
    files = {
        "requirements.txt": "google-cloud-bigquery==3.27.0\nnba_api==1.10.0\n",
        "Dockerfile": "FROM python:3.12-slim\nCOPY . /app\nRUN pip install -r requirements.txt\n",
        "src/collect/games.py": module,
        "src/collect/__init__.py": "",
    }
    assert findings(tmp_path / "declared", "TF206", files) == []
    files["src/collect/games.py"] = module + "import sklearn\n"
    [finding] = findings(tmp_path / "missing", "TF206", files)
    assert "scikit-learn" in finding.message


# --------------------------------------------------------------------------- TF902


def test_tf902_a_function_that_prints_the_value_it_computed(tmp_path: Path) -> None:
    # LibRecommender's `count_params()` and ml-pipeline-generator's `list_components()`
    # compute one value and end by printing it, returning nothing (FALSE twice): that
    # print is the function's result. Progress printed on the way is still logging.
    module = (
        "def count_params(variables):\n"
        "    total = sum(v.size for v in variables)\n"
        '    print(f"total params: {total:,}")\n'
        "\n\n"
        "def list_components(config):\n"
        "    names = [k for k, v in vars(config).items() if hasattr(v, 'component')]\n"
        "    print(names)\n"
    )
    files = {
        "pyproject.toml": "[project]\nname = 'recs'\nclassifiers = ['Programming Language :: Python']\n",
        "src/recs/__init__.py": "",
        "src/recs/misc.py": module,
    }

    def library(root: Path) -> list[str]:
        make_repo(root, files)
        config = Config(kind="library", preview=True)
        return [f.message for f in check(root, select=["TF902"], config=config).findings]

    assert library(tmp_path / "result") == []
    files["src/recs/misc.py"] = module + (
        "\n\ndef fit(model, data):\n"
        "    print('fitting the model...')\n"
        "    model.fit(data)\n"
        "    print('done')\n"
    )
    [message] = library(tmp_path / "progress")
    assert "fit()" in message


# --------------------------------------------------------------------------- TF804


def test_tf804_one_workflow_checking_the_lock_checks_it_for_every_push(tmp_path: Path) -> None:
    # CCRI-POPROX/poprox-recommender's docker-image.yml sets `UV_LOCKED: 1` on every push
    # and pull request; its other workflows run a plain `uv sync` (NOISE three times): a
    # stale uv.lock already fails CI. A repository checking it nowhere is still told.
    plain = (
        "on: [push, pull_request]\njobs:\n  test:\n    runs-on: ubuntu-24.04\n    steps:\n"
        "      - uses: actions/checkout@v4\n      - run: uv sync\n      - run: uv run pytest\n"
    )
    locked = plain.replace("    runs-on:", "    env:\n      UV_LOCKED: 1\n    runs-on:")
    files = {
        "pyproject.toml": "[project]\nname = 'recs'\nversion = '0.1.0'\n",
        "uv.lock": "version = 1\n",
        "tests/test_x.py": "def test_x():\n    assert True\n",
        ".github/workflows/test.yml": plain,
        ".github/workflows/docker-image.yml": locked,
    }
    assert findings(tmp_path / "checked", "TF804", files) == []
    del files[".github/workflows/docker-image.yml"]
    [finding] = findings(tmp_path / "nowhere", "TF804", files)
    assert finding.path == ".github/workflows/test.yml"


# --------------------------------------------------------------------------- TF303


def test_tf303_a_dated_archive_folder_is_kept_for_the_record(tmp_path: Path) -> None:
    # kht321/fx-ml-pipeline keeps superseded DAGs in `archive_2025_11_07/` (NOISE three
    # times: nothing loads them, its README says so). The same path in the live DAGs is
    # still reported.
    dag = 'DATA_DIR = "/Users/kevin/Projects/fx/data"\n\n\ndef load():\n    return DATA_DIR\n'
    files = {"archive_2025_11_07/dags/fx_pipeline_debug.py": dag, "dags/__init__.py": ""}
    assert findings(tmp_path / "archived", "TF303", files) == []
    files["dags/fx_pipeline.py"] = dag
    [finding] = findings(tmp_path / "live", "TF303", files)
    assert finding.path == "dags/fx_pipeline.py"


# --------------------------------------------------------------------------- TF505


def test_tf505_the_value_of_pips_retries_option_is_no_package(tmp_path: Path) -> None:
    # Yunpei24/fraud-detection-ml's images run `pip install --retries 5 --timeout 100 ...`
    # (FALSE five times: `5` reported as an unpinned package). The unpinned package
    # beside it is still reported, and named alone.
    dockerfile = (
        "FROM python:3.11-slim\nWORKDIR /app\nCOPY requirements.txt .\n"
        "RUN pip install --no-cache-dir --retries 5 --timeout 100 -r requirements.txt\n"
        "COPY . .\n"
    )
    files = {
        "requirements.txt": "pandas==2.2.2\nscikit-learn==1.5.2\n",
        "Dockerfile": dockerfile,
        "app/__init__.py": "",
    }
    assert findings(tmp_path / "options", "TF505", files) == []
    files["Dockerfile"] = dockerfile + "RUN pip install --retries 5 psycopg2-binary\n"
    [finding] = findings(tmp_path / "package", "TF505", files)
    assert "`psycopg2-binary`" in finding.message and "`5`" not in finding.message


# --------------------------------------------------------------------------- TF401


def test_tf401_the_host_after_a_password_the_code_fills_in(tmp_path: Path) -> None:
    # Yunpei24/fraud-detection-ml builds `f"postgresql://fraud_user:{os.getenv(...)}@
    # postgres:5432/..."` (FALSE twice: the user `fraud_user` named as the host). The host
    # is the part after the password.
    module = (
        "import os\n\nSETTINGS = {\n"
        "    \"DATABASE_URL\": f\"postgresql://fraud_user:{os.getenv('PG_PASSWORD', '')}"
        '@db.prod.internal:5432/fraud",\n}\n'
    )
    [finding] = findings(tmp_path, "TF401", {"app/__init__.py": "", "app/settings.py": module})
    assert "`db.prod.internal`" in finding.message and "fraud_user" not in finding.message


def test_tf401_the_local_default_of_a_configured_tracking_server(tmp_path: Path) -> None:
    # rafaelgreca/e2e-mlops-project: `if aws.EC2 != "YOUR_EC2_INSTANCE_URL":
    # set_tracking_uri(f"http://{aws.EC2}:5000") else: set_tracking_uri("http://mlflow:5000")`
    # (FALSE three times): the literal is the default when the setting is left unset.
    module = (
        "import mlflow\n\nfrom app.settings import aws\n\n"
        'if aws.EC2 != "YOUR_EC2_INSTANCE_URL":\n'
        '    mlflow.set_tracking_uri(f"http://{aws.EC2}:5000")\n'
        "else:\n"
        '    mlflow.set_tracking_uri("http://mlflow.prod.internal:5000")\n'
    )
    files = {"app/__init__.py": "", "app/settings.py": "aws = None\n", "app/api.py": module}
    assert findings(tmp_path / "default", "TF401", files) == []
    files["app/api.py"] = (
        'import mlflow\n\nmlflow.set_tracking_uri("http://mlflow.prod.internal:5000")\n'
    )
    [finding] = findings(tmp_path / "fixed", "TF401", files)
    assert "mlflow.prod.internal" in finding.message


def test_tf206_what_a_declared_extra_installs(tmp_path: Path) -> None:
    # mongodb-industry-solutions/fsi-aml-fraud-detection declares `fastapi[all]==0.92.0`
    # and imports uvicorn (FALSE): the `all` extra installs it. Plain `fastapi` does not.
    files = {
        "requirements.txt": "fastapi[all]==0.92.0\npymongo==4.6.1\n",
        "Dockerfile": "FROM python:3.11-slim\nCOPY . /app\nRUN pip install -r requirements.txt\n",
        "app/__init__.py": "",
        "app/main.py": "import uvicorn\nfrom fastapi import FastAPI\n\napp = FastAPI()\n",
    }
    assert findings(tmp_path / "extra", "TF206", files) == []
    files["requirements.txt"] = "fastapi==0.92.0\npymongo==4.6.1\n"
    [finding] = findings(tmp_path / "plain", "TF206", files)
    assert "`uvicorn`" in finding.message


def test_tf301_an_api_schemas_example_and_a_ci_jobs_own_database(tmp_path: Path) -> None:
    # Yunpei24/fraud-detection-ml: pydantic `json_schema_extra={"example": {"password":
    # "SecurePass123!"}}` (FALSE twice, at error) and a workflow's `services: postgres:
    # env: POSTGRES_PASSWORD: ...` (NOISE at error). The same values elsewhere still count.
    schema = (
        "from pydantic import BaseModel, ConfigDict\n\n\n"
        "class UserCreate(BaseModel):\n"
        "    username: str\n"
        "    password: str\n\n"
        "    model_config = ConfigDict(\n"
        '        json_schema_extra={"example": {"username": "john", "password": "Zq8vN3kTw4Lp"}}\n'
        "    )\n"
    )
    workflow = (
        "on: [push]\njobs:\n  test:\n    runs-on: ubuntu-24.04\n"
        "    services:\n      postgres:\n        image: postgres:15-alpine\n"
        "        env:\n          POSTGRES_PASSWORD: Zq8vN3kTw4Lp\n"
        "    steps:\n      - run: pytest\n"
    )
    files = {"api/schemas.py": schema, ".github/workflows/ci.yml": workflow}
    assert findings(tmp_path / "examples", "TF301", files) == []
    files["api/settings.py"] = 'ADMIN_PASSWORD = "Zq8vN3kTw4Lp"\n'
    files[".github/workflows/deploy.yml"] = workflow.replace(
        "    services:\n      postgres:\n        image: postgres:15-alpine\n        env:\n",
        "    env:\n",
    )
    found = sorted(f.path for f in findings(tmp_path / "values", "TF301", files))
    assert found == [".github/workflows/deploy.yml", "api/settings.py"]


def test_tf505_a_lock_copied_from_the_context_root_with_a_leading_slash(tmp_path: Path) -> None:
    # mongodb-industry-solutions/fsi-aml-fraud-detection: `COPY /backend/pyproject.toml
    # /backend/poetry.lock ./` then `poetry install` (FALSE: "no poetry.lock in the
    # repository"): a COPY source's leading slash is the build context's root.
    dockerfile = (
        "FROM python:3.10-slim\nCOPY /backend/pyproject.toml /backend/poetry.lock ./\n"
        "RUN pip install poetry==1.8.4\nRUN poetry install --no-root\nCOPY ./backend/ .\n"
    )
    files = {
        "Dockerfile.backend": dockerfile,
        "backend/pyproject.toml": "[tool.poetry]\nname = 'aml'\nversion = '0.1.0'\n",
        "backend/poetry.lock": "# locked\n",
        "backend/main.py": "",
    }
    assert findings(tmp_path / "copied", "TF505", files) == []
    del files["backend/poetry.lock"]
    [finding] = findings(tmp_path / "none", "TF505", files)
    assert "no poetry.lock" in finding.message


# --------------------------------------------------------------------------- TF602


def test_tf602_a_processs_live_websocket_connections(tmp_path: Path) -> None:
    # mongodb-industry-solutions/fsi-aml-fraud-detection keeps `active_connections` and
    # `_cs_connections` of WebSockets it broadcasts to (FALSE twice): sockets only the
    # process holding them can write to. A store of request data is still reported.
    module = (
        "from fastapi import FastAPI, WebSocket\n\napp = FastAPI()\n"
        "active_connections: list[WebSocket] = []\n\n\n"
        '@app.websocket("/ws")\n'
        "async def websocket_endpoint(websocket: WebSocket) -> None:\n"
        "    await websocket.accept()\n"
        "    active_connections.append(websocket)\n"
    )
    files = {"backend/__init__.py": "", "backend/routes.py": module}
    assert findings(tmp_path / "sockets", "TF602", files) == []
    files["backend/routes.py"] = module.replace("active_connections", "received_events")
    [finding] = findings(tmp_path / "events", "TF602", files)
    assert "received_events" in finding.message


# --------------------------------------------------------------- TF902, TF1002: Mage


def _mage_project(block: str) -> dict[str, str]:
    return {
        "machine_learning/io_config.yaml": "version: 0.1.1\ndefault:\n  AWS_REGION: eu-west-1\n",
        "machine_learning/metadata.yaml": "project_type: standalone\n",
        "machine_learning/pipelines/train/metadata.yaml": "blocks: []\n",
        "machine_learning/__init__.py": "",
        "machine_learning/transformers/train_evaluate.py": block,
        "app/__init__.py": "",
        "app/service.py": "import logging\n\nlogging.getLogger(__name__).info('ready')\n",
    }


_MAGE_BLOCK = (
    "if 'transformer' not in globals():\n"
    "    from mage_ai.data_preparation.decorators import transformer\n"
    "if 'test' not in globals():\n"
    "    from mage_ai.data_preparation.decorators import test\n\n\n"
    "@transformer\n"
    "def transform(df, *args, **kwargs):\n"
    "    print('training the model...')\n"
    "    print('done')\n"
    "    return df\n\n\n"
    "@test\n"
    "def test_output(output, *args) -> None:\n"
    "    assert output is not None\n"
)


def test_tf902_and_tf1002_a_mage_projects_blocks(tmp_path: Path) -> None:
    # edumunozsala/online-gaming-mlops-project runs its pipeline in Mage, which keeps what
    # a block prints as the block's log (NOISE four times) and runs a block's `@test`
    # functions on its output (FALSE). Outside a Mage project the same module is reported.
    files = _mage_project(_MAGE_BLOCK)
    assert findings(tmp_path / "mage", ["TF902", "TF1002"], files) == []
    del files["machine_learning/io_config.yaml"]
    codes = {f.code for f in findings(tmp_path / "plain", ["TF902", "TF1002"], files)}
    assert "TF902" in codes


def test_tf1002_a_script_running_pytest_from_its_own_folder(tmp_path: Path) -> None:
    # The same repository's `scripts/integration-test.sh` does `cd "$(dirname "$0")"`
    # then `pytest ../tests/integration_tests.py` (FALSE: said never to run).
    test = "def test_prediction():\n    assert 1 + 1 == 2\n"
    files = {
        "pyproject.toml": "[tool.pytest.ini_options]\ntestpaths = ['tests']\n",
        "tests/test_unit.py": test,
        "tests/integration_tests.py": test,
        "scripts/integration-test.sh": 'cd "$(dirname "$0")"\npipenv run pytest ../tests/integration_tests.py\n',
    }
    assert findings(tmp_path / "script", "TF1002", files) == []
    del files["scripts/integration-test.sh"]
    [finding] = findings(tmp_path / "none", "TF1002", files)
    assert finding.path == "tests/integration_tests.py"


# --------------------------------------------------------------------------- TF901


def test_tf901_a_file_handler_inside_basicconfig_is_one_finding(tmp_path: Path) -> None:
    # junxng/churn-mlops-project: `logging.basicConfig(filename=..., handlers=[
    # logging.FileHandler(...), logging.StreamHandler()])` reported twice (NOISE).
    module = (
        "import logging\nimport sys\n\n"
        "logging.basicConfig(\n"
        "    filename='logs/app.log',\n"
        "    handlers=[logging.FileHandler('logs/app.log'), logging.StreamHandler(sys.stdout)],\n"
        ")\n"
    )
    [finding] = findings(
        tmp_path / "one", "TF901", {"src/app/__init__.py": "", "src/app/log.py": module}
    )
    assert finding.line == 4
    files = {
        "src/app/__init__.py": "",
        "src/app/log.py": module + "handler = logging.FileHandler('x.log')\n",
    }
    assert len(findings(tmp_path / "two", "TF901", files)) == 2


# --------------------------------------------------------------------------- TF1202


def test_tf1202_routes_named_for_forecasts_that_compute_none(tmp_path: Path) -> None:
    # AndyRipperDev/time-series-forecasting-app's `endpoints/forecast.py`: routes that
    # list forecast jobs from the database, download stored results or queue a background
    # job (FALSE eight times). A route that runs the model is still reported.
    routes = (
        "from fastapi import APIRouter, BackgroundTasks\n\n"
        "from app import crud\nfrom app.jobs import forecast_job\n\n"
        "router = APIRouter()\n\n\n"
        '@router.get("/forecasts")\n'
        "def read_forecasts(db):\n"
        "    return crud.get_forecasts(db)\n\n\n"
        '@router.post("/forecasts")\n'
        "def create_forecast(body: dict, background_tasks: BackgroundTasks):\n"
        "    job = crud.create_forecast_job(body)\n"
        "    background_tasks.add_task(forecast_job, job.id)\n"
        "    return job\n"
    )
    files = {
        "app/__init__.py": "",
        "app/api.py": routes,
        "app/main.py": "from fastapi import FastAPI\n\napp = FastAPI()\n",
    }
    assert findings(tmp_path / "records", "TF1202", files) == []
    files["app/api.py"] = routes + (
        '\n\n@router.post("/forecast/now")\n'
        "def forecast_now(body: dict):\n"
        "    return {'values': crud.model.predict(body['series'])}\n"
    )
    [finding] = findings(tmp_path / "model", "TF1202", files)
    lines = files["app/api.py"].splitlines()
    assert lines[finding.line - 1].startswith(('@router.post("/forecast/now")', "def forecast_now"))


# --------------------------------------------------------------------------- TF302


def test_tf302_a_create_react_apps_env_of_settings(tmp_path: Path) -> None:
    # AndyRipperDev/time-series-forecasting-app commits `frontend/.env` with only
    # `REACT_APP_API_URL=http://localhost:8000` beside a react-scripts package.json (FALSE
    # at error): CRA's guide commits `.env` and ignores `.env*.local`. A secret there is
    # still reported.
    files = {
        "frontend/package.json": '{"dependencies": {"react": "^18.2.0", "react-scripts": "5.0.1"}}\n',
        "frontend/.env": "REACT_APP_API_URL=http://localhost:8000\n",
        "frontend/src/index.js": "",
    }
    assert findings(tmp_path / "settings", "TF302", files) == []
    files["frontend/.env"] += "STRIPE_SECRET_KEY=rk_live_Zq8vN3kTw4Lp9xRe7Yb2Mc5D\n"
    [finding] = findings(tmp_path / "secret", "TF302", files)
    assert finding.path == "frontend/.env"


def test_tf206_a_databricks_notebook_kept_as_source(tmp_path: Path) -> None:
    # microsoft/dstoolkit-time-series-forecasting's `notebooks/.../run_ml_experiment_
    # mlflow.py` starts `# Databricks notebook source` and imports mlflow (NOISE): the
    # cluster's ML runtime ships it. The same import in the package is reported.
    notebook_source = (
        "# Databricks notebook source\nimport mlflow\n\n# COMMAND ----------\n"
        "mlflow.set_experiment('/Users/me/tsfa')\n"
    )
    files = {
        "pyproject.toml": "[project]\nname = 'tsfa'\nversion = '0.1.0'\ndependencies = ['pandas==2.2.2']\n",
        "tsfa/__init__.py": "",
        "notebooks/run_ml_experiment_mlflow.py": notebook_source,
    }
    assert findings(tmp_path / "databricks", "TF206", files) == []
    files["tsfa/tracking.py"] = "import mlflow\n"
    [finding] = findings(tmp_path / "package", "TF206", files)
    assert finding.path == "tsfa/tracking.py"


# --------------------------------------------------------------------------- TF201


def test_tf201_an_image_built_in_code_declares_its_packages(tmp_path: Path) -> None:
    # modal-labs/llm-finetuning declares its environment as `modal.Image.from_registry(
    # ...).pip_install("accelerate==0.31.0", ...)` (FALSE at error). Code that builds
    # no image still has no manifest.
    app = (
        "import modal\n\n"
        'image = modal.Image.from_registry("winglian/axolotl:main").pip_install(\n'
        '    "accelerate==0.31.0", "wandb==0.17.0"\n)\n'
        'app = modal.App("finetune", image=image)\n'
    )
    assert findings(tmp_path / "modal", "TF201", {"src/common.py": app, "src/train.py": ""}) == []
    [finding] = findings(
        tmp_path / "bare", "TF201", {"src/common.py": "import torch\n", "src/train.py": ""}
    )
    assert "no dependency manifest" in finding.message


def test_tf902_a_modal_apps_functions(tmp_path: Path) -> None:
    # modal-labs/llm-finetuning's `src/train.py` prints inside `@app.function`s (NOISE
    # twice): Modal keeps each call's stdout as its log. Without Modal it is logging.
    module = (
        "import modal\n\napp = modal.App('finetune')\n\n\n"
        "@app.function()\n"
        "def train(config):\n"
        "    print('starting training...')\n"
        "    print('done')\n"
    )
    files = {
        "src/__init__.py": "",
        "src/train.py": module,
        "src/serve.py": "import logging\n\nlogging.getLogger(__name__).info('x')\n",
    }
    assert findings(tmp_path / "modal", "TF902", files) == []
    # ... or that takes the app from a common module (`from .common import app`)
    files["src/train.py"] = module.replace(
        "import modal\n\napp = modal.App('finetune')\n", "from src.common import app\n"
    )
    assert findings(tmp_path / "common", "TF902", files) == []
    # TensorFlow's `@tf.function(...)` is no Modal function (recommenders' SASRec).
    files["src/train.py"] = files["src/train.py"].replace(
        "@app.function()\n", "@tf.function(reduce_retracing=True)\n"
    )
    [finding] = findings(tmp_path / "plain", "TF902", files)
    assert finding.path == "src/train.py"


def test_tf206_an_extra_named_for_the_distribution_it_adds(tmp_path: Path) -> None:
    # truefoundry/llm-finetune declares `snowflake-connector-python[pandas]==3.12.3` and
    # imports pandas (FALSE): the extra installs it.
    files = {
        "requirements.txt": "snowflake-connector-python[pandas]==3.12.3\n",
        "Dockerfile": "FROM python:3.11-slim\nCOPY . /app\nRUN pip install -r requirements.txt\n",
        "data/__init__.py": "",
        "data/load.py": "import pandas as pd\nimport snowflake.connector\n",
    }
    assert findings(tmp_path / "extra", "TF206", files) == []
    files["requirements.txt"] = "snowflake-connector-python==3.12.3\n"
    [finding] = findings(tmp_path / "plain", "TF206", files)
    assert "`pandas`" in finding.message


def test_tf301_opencosts_published_trial_key(tmp_path: Path) -> None:
    # phuchoang2603/realtime-credit-card-fraud-detection carries Grafana's k8s-monitoring
    # chart, whose OpenCost defaults ship OpenCost's GCP trial key (FALSE at error). Known
    # by its fingerprint; any other Google key there is still reported.
    published = "AIzaSyD29b" + "GxmHAVEOBYtgd8sYM2gM2ekfxQX4U"
    values = "opencost:\n  extraEnv:\n    CLOUD_PROVIDER_API_KEY: {key}\n"
    files = {"charts/monitoring/values.yaml": values.format(key=published)}
    assert findings(tmp_path / "published", "TF301", files) == []
    other = "AIzaSyD29b" + "Zq8vN3kTw4Lp9xRe7Yb2Mc5DhJ6sF"
    files = {"charts/monitoring/values.yaml": values.format(key=other)}
    [finding] = findings(tmp_path / "other", "TF301", files)
    assert finding.message.startswith("Google API key")


def test_tf204_and_tf806_an_image_built_in_code(tmp_path: Path) -> None:
    # modal-labs/llm-finetuning's `src/common.py` builds its images in code, one with
    # `add_python="3.10"`, packages pinned (FALSE twice: no Python version declared, no
    # environment described). Without the image both are still reported.
    common = (
        "import modal\n\n"
        'image = modal.Image.from_registry("winglian/axolotl:main", add_python="3.10")'
        '.pip_install("accelerate==0.31.0")\n'
        'app = modal.App("finetune", image=image)\n'
    )
    files = {
        "requirements.txt": "modal==0.64.0\n",
        "src/__init__.py": "",
        "src/common.py": common,
    }
    assert findings(tmp_path / "image", ["TF204", "TF806"], files) == []
    files["src/common.py"] = 'import modal\n\napp = modal.App("finetune")\n'
    assert sorted(f.code for f in findings(tmp_path / "none", ["TF204", "TF806"], files)) == [
        "TF204",
        "TF806",
    ]
